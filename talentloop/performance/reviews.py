"""Competency reviews: writes (create, update, submit) and reads, narrowed to what the user may see.

A review scores the employee on every competency of their job's competency model. Each competency's score
is the one given, or else computed (talentloop.assessment.review) from the manager's rating, the 360°
aggregate and the KPI/OKR evidence (review_evidence.py) with the cycle's weights; the overall score (the
competency model's weighted mean) and the band are computed unless given. An employee without a job model
can still be reviewed on the competencies the reviewer names; they then count equally.

Who: HR reviews anyone; a manager their team (direct and indirect reports), never themself. Employees read
their own reviews once submitted; managers read their team's; HR all. A submitted review no longer changes,
nor does anything in a closed cycle. Submitting adds a "review" entry to the employee's timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from talentloop.assessment import review as review_maths
from talentloop.core.access import require_role, role_of
from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency, Employee, EmployeeEvent
from talentloop.org.selectors import team_ids_sql

from .models import PerformanceCycle, Review, ReviewScore
from .review_evidence import CompetencyEvidence, ModelLine, model_lines, review_evidence
from .selectors import MAX_ID, PERFORMANCE_ROLES, employee_in_team, employee_of
from .services import _Errors, _number

REVIEWER_ROLES = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


# --- reads --------------------------------------------------------------------------------------------------


def review_visible(*, user: User) -> QuerySet[Review]:
    require_role(user, PERFORMANCE_ROLES)
    role = role_of(user)
    base = Review.objects.all()
    if role == Role.HR_ADMIN:
        return base
    me = employee_of(user)
    if me is None:
        return base.none()
    seen = Q(employee_id=me.pk, status=Review.Status.SUBMITTED)
    if role == Role.HIRING_MANAGER:
        seen |= Q(employee_id__in=team_ids_sql(me.pk))
    return base.filter(seen)


def review_list(
    *, user: User, cycle: int | None = None, employee: int | None = None, status: str | None = None,
) -> QuerySet[Review]:
    """Visible reviews with their scores loaded: three queries a page."""
    qs = review_visible(user=user).select_related("employee", "cycle", "reviewer").prefetch_related(
        Prefetch("scores", queryset=ReviewScore.objects.select_related("competency").order_by("competency__code"))
    )
    if cycle is not None:
        qs = qs.filter(cycle_id=cycle)
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-cycle__start", "employee__name", "id")


def review_get(*, user: User, pk: int) -> Review:
    """One visible review; one that exists out of sight is "not allowed" rather than "not found"."""
    review = review_list(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if review is not None:
        return review
    if 0 < pk <= MAX_ID and Review.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this review."))
    raise NotFound(_("No such review."))


def review_for(*, cycle: PerformanceCycle, employee: Employee) -> Review | None:
    """The employee's review in the cycle, if any (for pages that already checked the reader's reach)."""
    return (
        Review.objects.filter(cycle=cycle, employee=employee).select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("competency")))
        .first()
    )


def reviewable_employees(*, user: User, cycle: PerformanceCycle) -> QuerySet[Employee]:
    """The cycle's participants the user may review: all for HR, their team for a manager, none otherwise."""
    role = role_of(user)
    qs = cycle.employees.select_related("department", "job").order_by("name", "id")
    if role == Role.HR_ADMIN:
        return qs
    me = employee_of(user)
    if role != Role.HIRING_MANAGER or me is None:
        return qs.none()
    return qs.filter(pk__in=team_ids_sql(me.pk))


# --- who may write ------------------------------------------------------------------------------------------


def require_reviewer(*, actor: User, employee: Employee) -> None:
    """Refuse, with the reason, unless the actor may review this employee."""
    role = role_of(actor)
    if role == Role.HR_ADMIN:
        return
    me = employee_of(actor)
    if me is not None and me.pk == employee.pk:
        raise PermissionDenied(_("You cannot review yourself; your manager or HR does."))
    if role == Role.HIRING_MANAGER and me is not None and employee_in_team(manager=me, employee=employee):
        return
    if role == Role.HIRING_MANAGER:
        raise PermissionDenied(_("You can only review the members of your own team."))
    raise PermissionDenied(_("Only HR or %(name)s's manager can review %(name)s.") % {"name": employee.name})


def _require_open(cycle: PerformanceCycle) -> None:
    if cycle.phase == PerformanceCycle.Phase.CLOSED:
        raise Conflict(_("The cycle “%(name)s” is closed; its reviews can no longer change.") % {"name": cycle.name})


def _require_draft(review: Review) -> None:
    if review.status == Review.Status.SUBMITTED:
        when = date_format(timezone.localtime(review.submitted_at), "SHORT_DATE_FORMAT") if review.submitted_at else ""
        raise Conflict(_("This review was submitted (%(date)s); it can no longer change.") % {"date": when})


# --- input checks -------------------------------------------------------------------------------------------


def _rating(errors: _Errors, field: str, value: Any, label: str) -> Decimal | None:
    """A 0-100 value rounded to cents, or None (with a message when it is out of range)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, _("%(what)s must be a number from 0 to 100.") % {"what": label})
        return None
    if not number.is_finite() or not Decimal(0) <= number <= _HUNDRED:
        shown = _number(number) if number.is_finite() else str(value)
        errors.add(
            field, _("%(what)s must be from 0 to 100; %(value)s is out of range.") % {"what": label, "value": shown}
        )
        return None
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _parse_items(
    errors: _Errors, items: Sequence[Mapping[str, Any]], lines: Sequence[ModelLine],
) -> dict[int, dict[str, Any]]:
    """The reviewer's entries by competency id: {"competency", "score", "manager_rating", "comment"}."""
    in_model = {line.competency.pk for line in lines}
    parsed: dict[int, dict[str, Any]] = {}
    for item in items:
        competency: Competency = item["competency"]
        name = competency.display_name
        if competency.pk in parsed:
            errors.add("competency_scores", _("%(name)s is listed twice.") % {"name": name})
            continue
        if in_model and competency.pk not in in_model:
            errors.add(
                "competency_scores",
                _("%(name)s is not in the competency model of the employee's job.") % {"name": name},
            )
            continue
        parsed[competency.pk] = {
            "competency": competency,
            "score": _rating(
                errors, "competency_scores", item.get("score"), _("The score of %(name)s") % {"name": name}
            ),
            "manager_rating": _rating(
                errors, "competency_scores", item.get("manager_rating"),
                _("The manager rating of %(name)s") % {"name": name},
            ),
            "comment": str(item.get("comment") or "").strip(),
        }
    return parsed


def _band(errors: _Errors, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if str(value) not in review_maths.BANDS:
        errors.add("band", _("A band is one of %(bands)s.") % {"bands": ", ".join(review_maths.BANDS)})
        return None
    return str(value)


# --- computing the scores -----------------------------------------------------------------------------------


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _build_scores(
    *, review: Review, lines: Sequence[ModelLine], given: Mapping[int, Mapping[str, Any]],
    evidence: Mapping[int, CompetencyEvidence],
) -> list[ReviewScore]:
    """Score rows for every competency of the model (or, without one, those given); a competency with
    neither a given score nor any part to compute one from gets no row."""
    cycle = review.cycle
    weights = review_maths.PartWeights(cycle.weight_manager, cycle.weight_feedback, cycle.weight_results)
    competencies = [line.competency for line in lines] or [item["competency"] for item in given.values()]
    rows: list[ReviewScore] = []
    for competency in competencies:
        entry = given.get(competency.pk, {})
        found = evidence.get(competency.pk)
        manager = entry.get("manager_rating")
        feedback = found.feedback if found else None
        results = found.results if found else None
        score = entry.get("score")
        if score is None:
            score = _dec(review_maths.competency_score(
                manager=manager, feedback=feedback, results=results, weights=weights,
            ))
        if score is None:
            continue
        rows.append(ReviewScore(
            review=review, competency=competency, manager_rating=manager, feedback_score=_dec(feedback),
            results_score=_dec(results), score=score, comment=str(entry.get("comment") or ""),
        ))
    return rows


def _overall(lines: Sequence[ModelLine], rows: Sequence[ReviewScore]) -> Decimal | None:
    weight = {line.competency.pk: line.weight for line in lines}
    return _dec(review_maths.overall((weight.get(row.competency_id, Decimal(1)), row.score) for row in rows))


def _write_scores(
    review: Review, *, lines: Sequence[ModelLine], items: Sequence[Mapping[str, Any]] | None, errors: _Errors,
) -> list[ReviewScore] | None:
    """Validate the reviewer's entries and return the new score rows (unsaved), or None when invalid."""
    given = _parse_items(errors, items or (), lines)
    if errors.by_field:
        return None
    evidence = review_evidence(employee=review.employee, cycle=review.cycle, lines=lines or [
        ModelLine(competency=item["competency"], weight=Decimal(1), required_score=None) for item in given.values()
    ])
    return _build_scores(review=review, lines=lines, given=given, evidence=evidence)


def _settle_overall(
    review: Review, *, lines: Sequence[ModelLine], rows: Sequence[ReviewScore] | None,
    overall: Decimal | None, band: str | None, overall_given: bool,
) -> None:
    """Set the overall score (given, or computed from the rows when they changed) and the band (given, or
    the overall score's band)."""
    if overall_given:
        review.overall_score = overall
    elif rows is not None or review.overall_score is None:
        review.overall_score = _overall(lines, rows if rows is not None else list(review.scores.all()))
    if band is not None:
        review.band = band
    else:
        review.band = "" if review.overall_score is None else review_maths.band(review.overall_score)


# --- writes -------------------------------------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    actor: User,
    employee: Employee,
    cycle: PerformanceCycle,
    competency_scores: Sequence[Mapping[str, Any]] | None = None,
    overall_score: Any = None,
    band: str | None = None,
    summary: str = "",
) -> Review:
    """A draft review of the employee in the cycle (HR, or the employee's manager); scores computed where
    not given. `competency_scores`: [{"competency": Competency, "score"?, "manager_rating"?, "comment"?}]."""
    require_reviewer(actor=actor, employee=employee)
    _require_open(cycle)
    errors = _Errors()
    if not cycle.employees.filter(pk=employee.pk).exists():
        raise ValidationFailed(
            _("%(name)s does not take part in the cycle “%(cycle)s”.") % {"name": employee.name, "cycle": cycle.name},
            field="employee",
        )
    existing = Review.objects.filter(cycle=cycle, employee=employee).values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(
            _("%(name)s already has a review in the cycle “%(cycle)s” (review %(id)s); change that one instead.")
            % {"name": employee.name, "cycle": cycle.name, "id": existing}
        )
    lines = model_lines(employee)
    overall = _rating(errors, "overall_score", overall_score, _("The overall score"))
    band_value = _band(errors, band)
    review = Review(cycle=cycle, employee=employee, reviewer=actor, summary=summary.strip())
    rows = _write_scores(review, lines=lines, items=competency_scores, errors=errors)
    errors.raise_if_any()
    assert rows is not None
    _settle_overall(review, lines=lines, rows=rows, overall=overall, band=band_value, overall_given=overall is not None)
    review.save()
    ReviewScore.objects.bulk_create(rows)
    audit_record(actor=actor, obj=review, action=AuditEntry.Action.CREATE)
    return review


@transaction.atomic
def review_update(*, actor: User, review: Review, changes: Mapping[str, Any]) -> Review:
    """Change a draft review. `competency_scores`, when given, replaces every competency's entry (the ones
    not listed are computed from the evidence alone); the overall score is recomputed when the scores change
    unless given, and the band follows the overall score unless given."""
    review = Review.objects.select_for_update().select_related("cycle", "employee").get(pk=review.pk)
    require_reviewer(actor=actor, employee=review.employee)
    _require_open(review.cycle)
    _require_draft(review)
    for field in ("employee", "cycle"):
        if field in changes and getattr(changes[field], "pk", changes[field]) != getattr(review, f"{field}_id"):
            raise ValidationFailed(_("A review cannot move to another employee or cycle."), field=field)
    errors = _Errors()
    lines = model_lines(review.employee)
    overall = _rating(errors, "overall_score", changes.get("overall_score"), _("The overall score"))
    band_value = _band(errors, changes.get("band"))
    rows = None
    if "competency_scores" in changes:
        rows = _write_scores(review, lines=lines, items=changes["competency_scores"], errors=errors)
    errors.raise_if_any()
    before = {"overall_score": review.overall_score, "band": review.band, "summary": review.summary}
    if "summary" in changes:
        review.summary = str(changes["summary"] or "").strip()
    _settle_overall(
        review, lines=lines, rows=rows, overall=overall,
        band=band_value if "band" in changes else (None if rows is not None or overall is not None else review.band),
        overall_given=overall is not None,
    )
    review.save()
    if rows is not None:
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(rows)
    diff = {k: (old, getattr(review, k)) for k, old in before.items() if old != getattr(review, k)}
    if rows is not None:
        diff["competency_scores"] = ("", ", ".join(f"{r.competency.code}={_number(r.score)}" for r in rows))
    if diff:
        audit_record(actor=actor, obj=review, action=AuditEntry.Action.UPDATE, changes=diff)
    return review


@transaction.atomic
def review_submit(*, actor: User, review: Review) -> Review:
    """Submit a draft review: every competency of the job model needs a score. The employee can read it from
    now on, and it joins their timeline."""
    review = Review.objects.select_for_update().select_related("cycle", "employee").get(pk=review.pk)
    require_reviewer(actor=actor, employee=review.employee)
    _require_open(review.cycle)
    _require_draft(review)
    lines = model_lines(review.employee)
    scored = set(review.scores.values_list("competency_id", flat=True))
    missing = [line.competency.display_name for line in lines if line.competency.pk not in scored]
    if missing:
        raise ValidationFailed(
            _("Give a score for %(names)s before submitting (a manager rating is enough).")
            % {"names": ", ".join(missing)},
            field="competency_scores",
        )
    if not scored:
        raise ValidationFailed(_("Score at least one competency before submitting."), field="competency_scores")
    if review.overall_score is None:
        _settle_overall(review, lines=lines, rows=None, overall=None, band=review.band or None, overall_given=False)
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.reviewer = actor
    review.save()
    overall = review.overall_score
    EmployeeEvent.objects.create(
        employee=review.employee, kind=EmployeeEvent.Kind.REVIEW, occurred_on=timezone.localdate(review.submitted_at),
        actor=actor,
        summary=_("Competency review in %(cycle)s: %(score)s (band %(band)s)")
        % {"cycle": review.cycle.name, "score": _number(overall) if overall is not None else "–", "band": review.band},
        data={
            "review": review.pk, "cycle": review.cycle_id,
            "overall_score": float(overall) if overall is not None else None, "band": review.band,
        },
    )
    audit_record(
        actor=actor, obj=review, action=AuditEntry.Action.UPDATE,
        changes={"status": (Review.Status.DRAFT, Review.Status.SUBMITTED)},
    )
    return review
