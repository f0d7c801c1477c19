"""Writes of KR derivation rules, and OKRs drafted from a hire's interview report (the services of issue 6,
item 3; kept apart from services.py so each stays readable).

`okr_draft` takes the employee's most recent ready interview report from the recruiting application that
led to their hire, applies every active rule (talentloop.assessment.kr_rules does the arithmetic), and stores
one personal objective in status "draft" with a key result per rule that produced a target. Each key
result's `source` says where it came from: {"rule", "competency", "interview_score", "formula", "report",
"explanation"}. The manager (or HR) edits the draft with the ordinary update services, then
`okr_draft_approve` makes it active. `Drafter` builds the objective and key results; the bulk drafting of a
whole cycle (phases.cycle_okrs_draft) uses it too, so both write identical drafts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from talentloop.assessment import kr_rules
from talentloop.core.access import HR, require_role, role_of
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.interviews.models import InterviewReport
from talentloop.org.models import Competency, Employee

from .models import KeyResult, KRRule, Objective, PerformanceCycle
from .selectors import employee_in_team, employee_of
from .services import _apply, _Errors, _require_open_cycle

RULE_FIELDS = (
    "competency", "title_zh", "title_en", "metric", "unit", "direction", "start_value", "formula", "parameter",
    "cap", "floor", "weight", "is_active",
)


def _english() -> bool:
    return (get_language() or "").startswith("en")


# --- rules --------------------------------------------------------------------------------------------------


def _validate_rule(errors: _Errors, values: Mapping[str, Any]) -> None:
    for field in ("title_zh", "title_en"):
        if not str(values.get(field) or "").strip():
            errors.add(field, _("A rule needs a title in Chinese and in English."))
    if not str(values.get("metric") or "").strip():
        errors.add("metric", _("A key result needs a metric: what is measured."))
    parameter = values.get("parameter")
    if parameter is None:
        errors.add("parameter", _("The formula needs a parameter: the amount added, or the ratio."))
    elif values.get("formula") == KRRule.Formula.RATIO and parameter <= 0:
        errors.add("parameter", _("A ratio must be above 0; 1.1 makes the target 1.1 times the interview score."))
    cap, floor = values.get("cap"), values.get("floor")
    if cap is not None and floor is not None and cap < floor:
        errors.add("cap", _("The cap must not be below the floor."))
    weight = values.get("weight")
    if weight is None or not Decimal(0) < weight <= Decimal(100):
        errors.add("weight", _("A weight is a percentage above 0 and at most 100."))


@transaction.atomic
def kr_rule_create(*, actor: User, **values: Any) -> KRRule:
    """A new derivation rule (HR only)."""
    require_role(actor, HR)
    values = {"formula": KRRule.Formula.OFFSET, "cap": Decimal(100), **values}
    errors = _Errors()
    _validate_rule(errors, values)
    errors.raise_if_any()
    for field in ("title_zh", "title_en", "metric", "unit"):
        if field in values:
            values[field] = str(values[field]).strip()
    rule = KRRule.objects.create(**{k: v for k, v in values.items() if k in RULE_FIELDS})
    audit_record(actor=actor, obj=rule, action=AuditEntry.Action.CREATE)
    return rule


@transaction.atomic
def kr_rule_update(*, actor: User, rule: KRRule, changes: Mapping[str, Any]) -> KRRule:
    """Change a rule (HR only). Key results drafted before keep the numbers they were drafted with."""
    require_role(actor, HR)
    values = {field: changes.get(field, getattr(rule, field)) for field in RULE_FIELDS}
    errors = _Errors()
    _validate_rule(errors, values)
    errors.raise_if_any()
    for field in ("title_zh", "title_en", "metric", "unit"):
        values[field] = str(values[field]).strip()
    diff = _apply(rule, {k: v for k, v in values.items() if k in changes}, RULE_FIELDS)
    if diff:
        rule.save()
        audit_record(actor=actor, obj=rule, action=AuditEntry.Action.UPDATE, changes=diff)
    return rule


@transaction.atomic
def kr_rule_delete(*, actor: User, rule: KRRule) -> None:
    """Delete a rule (HR only); drafted key results keep their source, which names the rule by id."""
    require_role(actor, HR)
    audit_record(actor=actor, obj=rule, action=AuditEntry.Action.DELETE)
    rule.delete()


# --- drafting -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkippedRule:
    rule: int
    competency: str
    reason: str


@dataclass(frozen=True)
class OkrDraft:
    objectives: list[Objective]
    skipped: list[SkippedRule]
    report: InterviewReport


def _require_manager_or_hr(*, actor: User, employee: Employee, doing: str) -> None:
    if role_of(actor) == Role.HR_ADMIN:
        return
    me = employee_of(actor)
    if role_of(actor) == Role.HIRING_MANAGER and me is not None and employee_in_team(manager=me, employee=employee):
        return
    if doing == "draft":
        message = _("Only HR or %(name)s's manager can draft %(name)s's OKRs from the interview.")
    else:
        message = _("Only HR or %(name)s's manager can approve %(name)s's drafted OKRs.")
    raise PermissionDenied(message % {"name": employee.name})


def latest_interview_report(employee: Employee) -> InterviewReport | None:
    """The most recent ready report of the interviews of the application that led to this hire."""
    return (
        InterviewReport.objects.filter(session__application__employee=employee, status=InterviewReport.Status.READY)
        .order_by(F("built_at").desc(nulls_last=True), "-id")
        .first()
    )


def _skip_reason(reason: str, competency: str) -> str:
    if reason == kr_rules.NO_SCORE:
        return _("The interview report has no score for %(competency)s.") % {"competency": competency}
    return _("The target would not go beyond the start value, so there is nothing to achieve.")


def _explanation(*, competency: str, score: Decimal, target: Decimal) -> str:
    return _("interview: %(competency)s %(score)s → target %(target)s") % {
        "competency": competency, "score": kr_rules.number_text(score), "target": kr_rules.number_text(target),
    }


def _competency_label(competency: Competency) -> str:
    return competency.name_en.lower() if _english() and competency.name_en else competency.name


def interview_scores(competencies: Any) -> dict[str, float]:
    """A report's `competencies` as {code: score}, leaving out competencies without a numeric score."""
    if not isinstance(competencies, list):
        return {}
    return {
        str(item["code"]): item["score"]
        for item in competencies
        if isinstance(item, dict) and "code" in item and isinstance(item.get("score"), int | float)
    }


class Drafter:
    """Turns interview reports into unsaved draft objectives and key results with the active rules, in the
    active language. Built once, it serves one employee (`okr_draft`) or a whole cycle (the bulk drafting in
    phases.py): the rules, their labels and the fixed texts are prepared once, so both produce identical
    drafts and the bulk job does no per-employee query here."""

    def __init__(self) -> None:
        self.rules = list(
            KRRule.objects.filter(is_active=True).select_related("competency").order_by("competency__code", "id")
        )
        english = _english()
        self._engine = [
            kr_rules.Rule(
                # (mypy ignore on the next line: choices of the same values)
                id=rule.pk, competency=rule.competency.code, formula=rule.formula,  # type: ignore[arg-type]
                parameter=rule.parameter, title=rule.title_en if english else rule.title_zh, metric=rule.metric,
                unit=rule.unit, direction=rule.direction,  # type: ignore[arg-type]  # choices of the same values
                start_value=rule.start_value, cap=rule.cap, floor=rule.floor, weight=rule.weight,
            )
            for rule in self.rules
        ]
        self._labels = {rule.pk: _competency_label(rule.competency) for rule in self.rules}
        self._title = _("First goals from the hiring interview")
        self._description = _("Drafted from interview report %(report)s; review and approve before it applies.")

    def derive(self, competencies: Any) -> kr_rules.Derivation:
        return kr_rules.derive(self._engine, interview_scores(competencies))

    def objective(self, *, cycle: PerformanceCycle, employee_id: int, report_id: int) -> Objective:
        return Objective(
            cycle=cycle, level=Objective.Level.PERSONAL, owner_employee_id=employee_id,
            status=Objective.Status.DRAFT, title=self._title, description=self._description % {"report": report_id},
        )

    def key_result_values(self, *, derivation: kr_rules.Derivation, report_id: int) -> list[dict[str, Any]]:
        """The fields of each drafted key result (all but its objective), as plain values."""
        return [
            {
                "title": kr.title[:200], "metric": kr.metric, "unit": kr.unit, "start_value": kr.start,
                "target_value": kr.target, "current_value": kr.start, "direction": kr.direction, "weight": kr.weight,
                "source": {
                    "rule": kr.rule_id, "competency": kr.competency, "interview_score": float(kr.source_score),
                    "formula": kr.formula, "report": report_id,
                    "explanation": _explanation(
                        competency=self._labels[kr.rule_id], score=kr.source_score, target=kr.target
                    ),
                },
            }
            for kr in derivation.drafted
        ]

    def key_results(self, *, objective: Objective, derivation: kr_rules.Derivation, report_id: int) -> list[KeyResult]:
        return [
            KeyResult(objective=objective, **values)
            for values in self.key_result_values(derivation=derivation, report_id=report_id)
        ]


def skipped_rules(derivation: kr_rules.Derivation) -> list[SkippedRule]:
    return [
        SkippedRule(rule=s.rule_id, competency=s.competency, reason=_skip_reason(s.reason, s.competency))
        for s in derivation.skipped
    ]


@transaction.atomic
def okr_draft(*, actor: User, employee: Employee, cycle: PerformanceCycle) -> OkrDraft:
    """Draft the employee's OKRs for a cycle from their interview report and the active rules (HR or their
    manager). One draft per employee and cycle; the drafted objective stays in status "draft" until approved."""
    _require_manager_or_hr(actor=actor, employee=employee, doing="draft")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)  # one draft at a time per employee
    _require_open_cycle(cycle)
    if not cycle.employees.filter(pk=employee.pk).exists():
        raise ValidationFailed(
            _("%(name)s does not take part in the cycle “%(cycle)s”.") % {"name": employee.name, "cycle": cycle.name},
            field="cycle",
        )
    existing = (
        KeyResult.objects.filter(
            objective__owner_employee=employee, objective__cycle=cycle, source__isnull=False
        ).values_list("objective_id", flat=True).first()
    )
    if existing is not None:
        raise Conflict(
            _("OKRs for %(name)s in the cycle “%(cycle)s” were already drafted from the interview (objective "
              "%(objective)s); edit or approve that draft instead.")
            % {"name": employee.name, "cycle": cycle.name, "objective": existing}
        )
    report = latest_interview_report(employee)
    if report is None:
        raise ValidationFailed(
            _("%(name)s has no ready interview report from the application that led to their hire, so there is "
              "nothing to draft OKRs from.") % {"name": employee.name},
            field="employee",
        )
    drafter = Drafter()
    derivation = drafter.derive(report.competencies)
    skipped = skipped_rules(derivation)
    if not derivation.drafted:
        raise ValidationFailed(
            _("No active rule applies to %(name)s's interview report, so no key result could be drafted.")
            % {"name": employee.name},
            errors={"rules": [s.reason for s in skipped] or [_("There are no active KR derivation rules.")]},
        )
    objective = drafter.objective(cycle=cycle, employee_id=employee.pk, report_id=report.pk)
    objective.save()
    audit_record(actor=actor, obj=objective, action=AuditEntry.Action.CREATE)
    for key_result in drafter.key_results(objective=objective, derivation=derivation, report_id=report.pk):
        key_result.save()
        audit_record(actor=actor, obj=key_result, action=AuditEntry.Action.CREATE)
    return OkrDraft(objectives=[objective], skipped=skipped, report=report)


@transaction.atomic
def okr_draft_approve(*, actor: User, objective: Objective) -> Objective:
    """Make a drafted personal objective active (the owner's manager, or HR)."""
    objective = Objective.objects.select_for_update(of=("self",)).select_related("cycle", "owner_employee").get(
        pk=objective.pk
    )
    if objective.owner_employee is None:
        raise ValidationFailed(_("Only personal objectives are approved this way."), field="objective")
    _require_manager_or_hr(actor=actor, employee=objective.owner_employee, doing="approve")
    _require_open_cycle(objective.cycle)
    if objective.status != Objective.Status.DRAFT:
        raise Conflict(
            _("This objective is not a draft (it is “%(status)s”), so there is nothing to approve.")
            % {"status": objective.get_status_display()}
        )
    if not objective.key_results.exists():
        raise ValidationFailed(_("Add at least one key result before approving the objective."), field="objective")
    diff = _apply(objective, {"status": Objective.Status.ACTIVE}, ("status",))
    objective.save()
    audit_record(actor=actor, obj=objective, action=AuditEntry.Action.UPDATE, changes=diff)
    return objective
