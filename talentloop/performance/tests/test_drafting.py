"""KR rules and OKRs drafted from interview scores: the shipped rules, exact targets and sources, who may
draft and approve, and every refusal with its message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.org.models import Competency
from talentloop.performance import drafting, services
from talentloop.performance.models import KeyResult, KRRule, Objective, PerformanceCycle

from ._support import make_hire_report, make_key_result, make_objective

SCORES: dict[str, float | None] = {"customer_orientation": 90, "communication": 85.5, "teamwork": None,
                                   "problem_solving": 72.5}


def _rule(code: str) -> KRRule:
    return KRRule.objects.get(competency__code=code)


def test_default_rules_are_shipped_for_five_common_competencies(db: Any) -> None:
    rules = {r.competency.code: r for r in KRRule.objects.select_related("competency")}
    assert set(rules) == {"communication", "customer_orientation", "execution", "problem_solving", "teamwork"}
    co = rules["customer_orientation"]
    assert (co.title_zh, co.title_en, co.formula, co.parameter, co.cap, co.floor, co.weight, co.is_active) == (
        "季度客户满意度达到 {target} 分", "Quarterly customer satisfaction score ≥ {target}", "offset", Decimal(2),
        Decimal(100), None, Decimal(20), True,
    )
    assert (rules["problem_solving"].formula, rules["problem_solving"].parameter) == ("ratio", Decimal("1.1"))


def test_a_draft_cites_each_rule_and_interview_score(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    report = make_hire_report(org["employees"]["report"], SCORES)
    draft = drafting.okr_draft(actor=org["users"]["manager"], employee=org["employees"]["report"], cycle=cycle)
    (objective,) = draft.objectives
    assert (objective.status, objective.level, objective.owner_employee, objective.title) == (
        "draft", "personal", org["employees"]["report"], "First goals from the hiring interview",
    )
    krs = list(objective.key_results.order_by("id"))
    rows = [(kr.title, kr.start_value, kr.target_value, kr.current_value, kr.weight, kr.direction) for kr in krs]
    assert rows == [
        ("360° feedback on communication ≥ 87.5", Decimal("85.5"), Decimal("87.5"), Decimal("85.5"), Decimal(20),
         "increase"),
        ("Quarterly customer satisfaction score ≥ 92", Decimal(90), Decimal(92), Decimal(90), Decimal(20), "increase"),
        ("Problem-solving indicator reaches 79.8 within 3 months (110% of the interview score)", Decimal("72.5"),
         Decimal("79.8"), Decimal("72.5"), Decimal(20), "increase"),
    ]
    assert krs[1].source == {
        "rule": _rule("customer_orientation").pk, "competency": "customer_orientation", "interview_score": 90.0,
        "formula": "score + 2, cap 100", "report": report.pk,
        "explanation": "interview: customer orientation 90 → target 92",
    }
    assert (krs[2].source or {})["formula"] == "score × 1.1, cap 100"
    assert [(s.rule, s.competency, s.reason) for s in draft.skipped] == [
        (_rule("execution").pk, "execution", "The interview report has no score for execution."),
        (_rule("teamwork").pk, "teamwork", "The interview report has no score for teamwork."),
    ]
    assert AuditEntry.objects.filter(object_type="performance.keyresult", action="create").count() == 3


def test_a_chinese_draft_uses_the_chinese_titles(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    with translation.override("zh-hans"):
        draft = drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    (kr,) = draft.objectives[0].key_results.all()
    assert kr.title == "季度客户满意度达到 92 分"
    # The competency's Chinese name; the sentence around it comes from the zh-Hans catalogue (merged separately).
    assert "客户导向 90 → " in (kr.source or {})["explanation"]


def test_the_most_recent_ready_report_is_used_and_a_capped_target_is_skipped(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    first = make_hire_report(org["employees"]["report"], {"customer_orientation": 60}, built_minutes_ago=60)
    make_hire_report(
        org["employees"]["report"], {"customer_orientation": 10}, ready=False, round=3,
        application=first.session.application,
    )
    latest = make_hire_report(
        org["employees"]["report"], {"customer_orientation": 99, "communication": 100}, round=2,
        application=first.session.application,
    )
    draft = drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    assert draft.report == latest
    (kr,) = draft.objectives[0].key_results.all()
    assert (kr.start_value, kr.target_value) == (Decimal(99), Decimal(100))
    assert [s.reason for s in draft.skipped if s.competency == "communication"] == [
        "The target would not go beyond the start value, so there is nothing to achieve."
    ]


def test_inactive_rules_draft_nothing_and_a_draft_needs_one_key_result(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    KRRule.objects.filter(competency__code="customer_orientation").update(is_active=False)
    with pytest.raises(ValidationFailed) as caught:
        drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    assert str(caught.value.message) == (
        "No active rule applies to 李员工's interview report, so no key result could be drafted."
    )
    assert "The interview report has no score for teamwork." in caught.value.errors["rules"]
    assert not Objective.objects.exists()


# --- refusals -----------------------------------------------------------------------------------------------


def test_no_interview_report_is_refused_with_the_reason(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["outsider"], {"customer_orientation": 90})  # someone else's
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90}, ready=False)
    with pytest.raises(ValidationFailed) as caught:
        drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    assert caught.value.errors == {"employee": [
        "李员工 has no ready interview report from the application that led to their hire, so there is nothing to "
        "draft OKRs from."
    ]}


def test_an_employee_outside_the_cycle_is_refused(org: dict[str, Any]) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    other = services.cycle_create(
        actor=org["users"]["hr"], name="R&D only", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
        employees=[org["employees"]["outsider"].pk],
    )
    with pytest.raises(ValidationFailed) as caught:
        drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=other)
    assert caught.value.errors == {"cycle": ["李员工 does not take part in the cycle “R&D only”."]}


@pytest.mark.parametrize("who", ["employee", "outsider", "recruiter", "candidate"])
def test_only_hr_or_the_manager_drafts(org: dict[str, Any], cycle: PerformanceCycle, who: str) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    with pytest.raises(PermissionDenied) as caught:
        drafting.okr_draft(actor=org["users"][who], employee=org["employees"]["report"], cycle=cycle)
    assert str(caught.value.message) == "Only HR or 李员工's manager can draft 李员工's OKRs from the interview."


def test_a_manager_outside_the_chain_is_refused(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["outsider"], SCORES)
    with pytest.raises(PermissionDenied):
        drafting.okr_draft(actor=org["users"]["manager"], employee=org["employees"]["outsider"], cycle=cycle)


def test_drafting_twice_for_a_cycle_is_a_conflict(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    draft = drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    with pytest.raises(Conflict) as caught:
        drafting.okr_draft(actor=org["users"]["manager"], employee=org["employees"]["report"], cycle=cycle)
    assert str(caught.value.message) == (
        f"OKRs for 李员工 in the cycle “2026 Q3” were already drafted from the interview (objective "
        f"{draft.objectives[0].pk}); edit or approve that draft instead."
    )
    assert Objective.objects.count() == 1


def test_a_closed_cycle_takes_no_draft(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    services.cycle_update(actor=org["users"]["hr"], cycle=cycle, changes={"phase": "closed"})
    with pytest.raises(Conflict, match="closed"):
        drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)


# --- approval -----------------------------------------------------------------------------------------------


def test_the_manager_edits_then_approves_a_draft(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    manager = org["users"]["manager"]
    objective = drafting.okr_draft(actor=manager, employee=org["employees"]["report"], cycle=cycle).objectives[0]
    kr = objective.key_results.get(source__competency="customer_orientation")
    assert kr.title.endswith("≥ 92")
    # The form sends the title unchanged with the new target: the number in the title follows the target.
    services.key_result_update(actor=manager, key_result=kr, changes={"title": kr.title, "target_value": Decimal(95)})
    approved = drafting.okr_draft_approve(actor=manager, objective=objective)
    assert approved.status == "active"
    kr.refresh_from_db()
    assert (kr.target_value, (kr.source or {})["interview_score"]) == (Decimal(95), 90.0)
    assert kr.title.endswith("≥ 95")
    assert AuditEntry.objects.filter(
        object_type="performance.objective", object_id=str(objective.pk), action="update", field="status",
    ).values_list("old_value", "new_value").get() == ("draft", "active")
    with pytest.raises(Conflict) as caught:
        drafting.okr_draft_approve(actor=org["users"]["hr"], objective=objective)
    assert str(caught.value.message) == (
        "This objective is not a draft (it is “In progress”), so there is nothing to approve."
    )


@pytest.mark.parametrize("who", ["employee", "outsider"])
def test_the_employee_cannot_approve_their_own_draft(org: dict[str, Any], cycle: PerformanceCycle, who: str) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    objective = drafting.okr_draft(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle
    ).objectives[0]
    with pytest.raises(PermissionDenied) as caught:
        drafting.okr_draft_approve(actor=org["users"][who], objective=objective)
    assert str(caught.value.message) == "Only HR or 李员工's manager can approve 李员工's drafted OKRs."


def test_approval_needs_a_personal_objective_with_key_results(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    empty = make_objective(org, cycle)
    with pytest.raises(ValidationFailed, match="Add at least one key result"):
        drafting.okr_draft_approve(actor=org["users"]["hr"], objective=empty)
    company = make_objective(org, cycle, owner=None, level="company")
    make_key_result(org, company)
    with pytest.raises(ValidationFailed, match="Only personal objectives"):
        drafting.okr_draft_approve(actor=org["users"]["hr"], objective=company)


# --- rules --------------------------------------------------------------------------------------------------


def _new_rule(org: dict[str, Any], **values: Any) -> KRRule:
    data: dict[str, Any] = {
        "competency": Competency.objects.get(code="sales_acumen"), "title_zh": " 季度销售额达到 {target} 万元 ",
        "title_en": "Quarterly sales ≥ {target}", "metric": "Sales", "unit": "10k yuan", "formula": "ratio",
        "parameter": Decimal("1.2"), "weight": Decimal(30),
    }
    data.update(values)
    return drafting.kr_rule_create(actor=org["users"]["hr"], **data)


def test_hr_creates_updates_and_deletes_a_rule(org: dict[str, Any]) -> None:
    rule = _new_rule(org)
    assert (rule.title_zh, rule.cap, rule.floor, rule.is_active) == (
        "季度销售额达到 {target} 万元", Decimal(100), None, True,
    )
    drafting.kr_rule_update(actor=org["users"]["hr"], rule=rule, changes={"floor": Decimal(50), "is_active": False})
    rule.refresh_from_db()
    assert (rule.floor, rule.is_active) == (Decimal(50), False)
    drafting.kr_rule_delete(actor=org["users"]["hr"], rule=rule)
    assert not KRRule.objects.filter(pk=rule.pk).exists()
    assert list(
        AuditEntry.objects.filter(object_type="performance.krrule").order_by("id").values_list("action", flat=True)
    ) == ["create", "update", "update", "delete"]


@pytest.mark.parametrize("who", ["manager", "employee", "recruiter"])
def test_only_hr_writes_rules(org: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        drafting.kr_rule_create(actor=org["users"][who], competency=Competency.objects.first())


def test_bad_rules_are_refused_field_by_field(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _new_rule(org, title_en=" ", metric="", parameter=Decimal(0), cap=Decimal(40), floor=Decimal(50),
                  weight=Decimal(101))
    assert caught.value.errors == {
        "title_en": ["A rule needs a title in Chinese and in English."],
        "metric": ["A key result needs a metric: what is measured."],
        "parameter": ["A ratio must be above 0; 1.1 makes the target 1.1 times the interview score."],
        "cap": ["The cap must not be below the floor."],
        "weight": ["A weight is a percentage above 0 and at most 100."],
    }
    rule = _new_rule(org)
    with pytest.raises(ValidationFailed) as caught:
        drafting.kr_rule_update(actor=org["users"]["hr"], rule=rule, changes={"weight": Decimal(0)})
    assert list(caught.value.errors) == ["weight"]


def test_the_database_refuses_a_bad_rule(db: Any) -> None:
    competency = Competency.objects.get(code="sales_acumen")
    base = {"competency": competency, "title_zh": "x", "title_en": "x", "metric": "m", "weight": Decimal(10)}
    with pytest.raises(IntegrityError), transaction.atomic():
        KRRule.objects.create(**base, formula="ratio", parameter=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        KRRule.objects.create(**base, formula="offset", parameter=Decimal(1), cap=Decimal(10), floor=Decimal(20))
    with pytest.raises(IntegrityError), transaction.atomic():
        KRRule.objects.create(**{**base, "weight": Decimal(0)}, formula="offset", parameter=Decimal(1))


def test_drafted_weights_over_100_are_scaled(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    KRRule.objects.update(weight=Decimal(50))
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90, "communication": 80, "teamwork": 70})
    objective = drafting.okr_draft(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle
    ).objectives[0]
    weights = list(objective.key_results.order_by("id").values_list("weight", flat=True))
    assert weights == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert KeyResult.objects.count() == 3
