"""Phases, deadlines, review weights, drafting a whole cycle's OKRs and new hires joining cycles: exact results,
who may do it, and every refusal with its message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Notification
from talentloop.core.testing.factories import EmployeeFactory
from talentloop.org.models import Employee
from talentloop.performance import drafting, phases, services
from talentloop.performance.models import KeyResult, KRRule, Objective, PerformanceCycle, PhaseDeadline

from ._support import make_hire_report

SCORES: dict[str, float | None] = {"customer_orientation": 90, "communication": 85.5, "teamwork": None}


def _due(cycle: PerformanceCycle) -> dict[str, dt.date]:
    return dict(PhaseDeadline.objects.filter(cycle=cycle).values_list("phase", "due"))


# --- phase --------------------------------------------------------------------------------------------------


def test_hr_moves_the_cycle_to_a_phase_and_it_is_audited(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    moved = phases.cycle_phase_set(actor=org["users"]["hr"], cycle=cycle, phase="self_review")
    assert PerformanceCycle.objects.get(pk=cycle.pk).phase == moved.phase == "self_review"
    entry = AuditEntry.objects.get(object_type="performance.performancecycle", field="phase")
    assert (entry.old_value, entry.new_value) == ("goal_setting", "self_review")
    phases.cycle_phase_set(actor=org["users"]["hr"], cycle=moved, phase="self_review")  # unchanged: no entry
    assert AuditEntry.objects.filter(field="phase").count() == 1


def test_an_unknown_phase_is_refused(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    with pytest.raises(ValidationFailed) as caught:
        phases.cycle_phase_set(actor=org["users"]["hr"], cycle=cycle, phase="review")
    assert caught.value.errors == {"phase": [
        "“review” is not a phase; use one of: goal_setting, self_review, manager_review, feedback_360, calibration, "
        "closed."
    ]}


@pytest.mark.parametrize("role", ["manager", "employee", "recruiter"])
def test_only_hr_changes_phases_deadlines_and_weights(org: dict[str, Any], cycle: PerformanceCycle, role: str) -> None:
    actor = org["users"][role]
    with pytest.raises(PermissionDenied):
        phases.cycle_phase_set(actor=actor, cycle=cycle, phase="closed")
    with pytest.raises(PermissionDenied):
        phases.cycle_deadlines_set(actor=actor, cycle=cycle, deadlines={"goal_setting": dt.date(2026, 7, 15)})
    with pytest.raises(PermissionDenied):
        phases.cycle_settings_set(actor=actor, cycle=cycle, changes={"enrol_new_hires": True})
    with pytest.raises(PermissionDenied):
        phases.cycle_okrs_draft(actor=actor, cycle=cycle)
    assert PerformanceCycle.objects.get(pk=cycle.pk).phase == "goal_setting"


# --- deadlines ----------------------------------------------------------------------------------------------


def test_deadlines_are_set_then_replaced(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    hr = org["users"]["hr"]
    rows = phases.cycle_deadlines_set(actor=hr, cycle=cycle, deadlines={
        "goal_setting": dt.date(2026, 7, 15), "manager_review": dt.date(2026, 9, 20),
    })
    assert [(d.phase, d.due) for d in rows] == [
        ("goal_setting", dt.date(2026, 7, 15)), ("manager_review", dt.date(2026, 9, 20)),
    ]
    phases.cycle_deadlines_set(actor=hr, cycle=cycle, deadlines={
        "goal_setting": dt.date(2026, 7, 20), "calibration": dt.date(2026, 10, 10),
    })
    assert _due(cycle) == {"goal_setting": dt.date(2026, 7, 20), "calibration": dt.date(2026, 10, 10)}
    entries = list(AuditEntry.objects.filter(field="deadlines").order_by("id").values_list("old_value", "new_value"))
    assert entries == [
        ("", "goal_setting=2026-07-15, manager_review=2026-09-20"),
        ("goal_setting=2026-07-15, manager_review=2026-09-20", "goal_setting=2026-07-20, calibration=2026-10-10"),
    ]


def test_bad_deadlines_are_refused_and_nothing_changes(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    hr = org["users"]["hr"]
    phases.cycle_deadlines_set(actor=hr, cycle=cycle, deadlines={"goal_setting": dt.date(2026, 7, 15)})
    with pytest.raises(ValidationFailed) as caught:
        phases.cycle_deadlines_set(actor=hr, cycle=cycle, deadlines={
            "goal_setting": dt.date(2026, 8, 1), "self_review": dt.date(2026, 7, 20),
        })
    assert caught.value.errors == {"deadlines": [
        "The deadline of Self review (2026-07-20) is before the deadline of Goal setting (2026-08-01); phases follow "
        "one another."
    ]}
    with pytest.raises(ValidationFailed) as caught:
        phases.cycle_deadlines_set(actor=hr, cycle=cycle, deadlines={
            "closed": dt.date(2026, 10, 1), "goal_setting": dt.date(2026, 6, 1),
        })
    assert caught.value.errors == {"deadlines": [
        "“closed” is not a phase with a deadline; use one of: goal_setting, self_review, manager_review, "
        "feedback_360, calibration.",
        "The deadline of Goal setting (2026-06-01) is before the cycle starts (2026-07-01).",
    ]}
    assert _due(cycle) == {"goal_setting": dt.date(2026, 7, 15)}


# --- weights and enrolment ----------------------------------------------------------------------------------


def test_review_weights_must_add_up_to_100(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    hr = org["users"]["hr"]
    with pytest.raises(ValidationFailed) as caught:
        phases.cycle_settings_set(actor=hr, cycle=cycle, changes={"weight_manager": Decimal(60)})
    assert caught.value.errors == {"weight_manager": [
        "The manager rating, 360° feedback and results weights add up to 110%; they must add up to 100%."
    ]}
    with pytest.raises(ValidationFailed) as caught:
        phases.cycle_settings_set(actor=hr, cycle=cycle, changes={"weight_results": Decimal(-5)})
    assert caught.value.errors == {"weight_results": ["A weight is a percentage from 0 to 100."]}
    saved = phases.cycle_settings_set(actor=hr, cycle=cycle, changes={
        "weight_manager": Decimal(60), "weight_feedback": Decimal(20), "weight_results": Decimal(20),
        "enrol_new_hires": True,
    })
    fresh = PerformanceCycle.objects.get(pk=cycle.pk)
    assert (fresh.weight_manager, fresh.weight_feedback, fresh.weight_results, fresh.enrol_new_hires) == (
        Decimal(60), Decimal(20), Decimal(20), True,
    ) == (saved.weight_manager, saved.weight_feedback, saved.weight_results, saved.enrol_new_hires)


def test_cycle_create_takes_weights_enrolment_and_deadlines_in_one_go(org: dict[str, Any]) -> None:
    cycle = phases.cycle_create(
        actor=org["users"]["hr"], name="Probation 2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
        kind="probation", employees=[org["employees"]["report"].pk], enrol_new_hires=True,
        weight_manager=Decimal(70), weight_feedback=Decimal(0), weight_results=Decimal(30),
        deadlines={"goal_setting": dt.date(2026, 1, 31)},
    )
    assert (cycle.enrol_new_hires, cycle.weight_manager, _due(cycle)) == (
        True, Decimal(70), {"goal_setting": dt.date(2026, 1, 31)}
    )
    with pytest.raises(ValidationFailed):
        phases.cycle_create(
            actor=org["users"]["hr"], name="Bad", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
            weight_manager=Decimal(90),
        )
    assert not PerformanceCycle.objects.filter(name="Bad").exists()


# --- drafting a whole cycle ---------------------------------------------------------------------------------


def _kr_rows(employee: Any, cycle: PerformanceCycle) -> list[tuple[Any, ...]]:
    return [
        (kr.title, kr.metric, kr.unit, kr.start_value, kr.target_value, kr.current_value, kr.direction, kr.weight,
         kr.source, kr.objective.title, kr.objective.description, kr.objective.status, kr.objective.level)
        for kr in KeyResult.objects.filter(objective__owner_employee=employee, objective__cycle=cycle)
        .select_related("objective").order_by("id")
    ]


def test_bulk_drafts_look_exactly_like_one_by_one_drafts(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    report, indirect = org["employees"]["report"], org["employees"]["indirect"]
    make_hire_report(report, SCORES)
    make_hire_report(indirect, {"problem_solving": 72.5})
    other = services.cycle_create(
        actor=org["users"]["hr"], name="Other", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
        employees=[report.pk, indirect.pk],
    )
    for employee in (report, indirect):
        drafting.okr_draft(actor=org["users"]["hr"], employee=employee, cycle=other)

    result = phases.cycle_okrs_draft(actor=org["users"]["hr"], cycle=cycle)

    assert result.drafted == 2
    for employee in (report, indirect):
        assert _kr_rows(employee, cycle) == _kr_rows(employee, other)
    (kr,) = KeyResult.objects.filter(objective__owner_employee=indirect, objective__cycle=cycle)
    assert (kr.source or {})["explanation"] == "interview: problem solving 72.5 → target 79.8"
    assert sorted(result.skipped) == sorted([
        (org["employees"]["manager"].pk, "No ready interview report from the application that led to the hire."),
        (org["employees"]["outsider"].pk, "No ready interview report from the application that led to the hire."),
    ])
    # Audited like one-by-one drafts: the objective and each key result.
    assert AuditEntry.objects.filter(object_type="performance.objective", action="create").count() == 4
    assert AuditEntry.objects.filter(object_type="performance.keyresult", action="create").count() == 2 * 3


def test_a_second_run_drafts_nobody_twice(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    report = org["employees"]["report"]
    make_hire_report(report, SCORES)
    drafting.okr_draft(actor=org["users"]["manager"], employee=report, cycle=cycle)
    make_hire_report(org["employees"]["outsider"], {"teamwork": None})  # no score any rule can use
    result = phases.cycle_okrs_draft(actor=org["users"]["hr"], cycle=cycle)
    assert result.drafted == 0
    assert dict(result.skipped)[report.pk] == "OKRs were already drafted from the interview in this cycle."
    assert dict(result.skipped)[org["employees"]["outsider"].pk] == "No active rule applies to the interview report."
    assert Objective.objects.filter(cycle=cycle).count() == 1


def test_a_closed_cycle_is_not_drafted(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    phases.cycle_phase_set(actor=org["users"]["hr"], cycle=cycle, phase="closed")
    with pytest.raises(Conflict) as caught:
        phases.cycle_okrs_draft(actor=org["users"]["hr"], cycle=cycle)
    assert str(caught.value.message) == "The cycle “2026 Q3” is closed; its OKRs can no longer change."
    assert not Objective.objects.exists()


def test_bulk_drafting_runs_a_fixed_number_of_queries(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    def run(count: int) -> int:
        people = EmployeeFactory.create_batch(count, department=org["departments"]["sales"])
        for person in people:
            make_hire_report(person, SCORES)
        target = services.cycle_create(
            actor=org["users"]["hr"], name=f"n={count}", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
            employees=[p.pk for p in people],
        )
        with CaptureQueriesContext(connection) as queries:
            assert phases.cycle_okrs_draft(actor=org["users"]["hr"], cycle=target).drafted == count
        return len(queries)

    assert run(2) == run(12)


# --- new hires ----------------------------------------------------------------------------------------------


def _probation(org: dict[str, Any], **fields: Any) -> PerformanceCycle:
    values: dict[str, Any] = {"name": "Probation H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31),
                              "kind": "probation", "enrol_new_hires": True}
    values.update(fields)
    return phases.cycle_create(actor=org["users"]["hr"], **values)


def test_a_new_hire_joins_enrolling_cycles_gets_a_draft_and_their_manager_is_told(org: dict[str, Any]) -> None:
    probation = _probation(org)
    _probation(org, name="Not enrolling", enrol_new_hires=False)
    _probation(org, name="Earlier", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    moved_on = _probation(org, name="In review")
    phases.cycle_phase_set(actor=org["users"]["hr"], cycle=moved_on, phase="self_review")
    hire = cast(Employee, EmployeeFactory(name="New Hire", department=org["departments"]["sales"],
                                          manager=org["employees"]["manager"], hire_date=dt.date(2026, 8, 3)))
    make_hire_report(hire, SCORES)

    assert phases.hire_join_cycles(employee_id=hire.pk) == [probation.pk]

    assert list(hire.performance_cycles.values_list("name", flat=True)) == ["Probation H2"]
    (objective,) = Objective.objects.filter(owner_employee=hire)
    assert (objective.cycle_id, objective.status, objective.key_results.count()) == (probation.pk, "draft", 2)
    (note,) = Notification.objects.all()
    # In the manager's language: none chosen, so the site's default (Chinese).
    assert (note.user, note.subject, note.link) == (
        org["users"]["manager"], "已在“Probation H2”中为New Hire起草 OKR", "/performance/",
    )
    # Idempotent: the second run joins nothing, drafts nothing and tells nobody again.
    assert phases.hire_join_cycles(employee_id=hire.pk) == []
    assert (Objective.objects.filter(owner_employee=hire).count(), Notification.objects.count()) == (1, 1)


def test_a_hire_without_a_report_joins_without_a_draft(org: dict[str, Any]) -> None:
    probation = _probation(org)
    hire = cast(Employee, EmployeeFactory(department=org["departments"]["sales"], hire_date=dt.date(2026, 7, 1)))
    assert phases.hire_join_cycles(employee_id=hire.pk) == [probation.pk]
    assert not Objective.objects.filter(owner_employee=hire).exists()
    assert phases.hire_join_cycles(employee_id=10**9) == []


def test_inactive_rules_are_left_out_of_bulk_drafts(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], SCORES)
    KRRule.objects.filter(competency__code="communication").update(is_active=False)
    assert phases.cycle_okrs_draft(actor=org["users"]["hr"], cycle=cycle).drafted == 1
    (kr,) = KeyResult.objects.all()
    assert (kr.source or {})["competency"] == "customer_orientation"
