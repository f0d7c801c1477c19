"""The employee performance profile: one timeline of everything known about an employee's path from candidate
to colleague, and the comparison the loop exists for: per competency, the interview score next to the
performance review scores over time.

`employee_performance_profile` reads, for one employee the user may see (the org app decides: HR everyone, a
manager their team and themself, an employee only themself; 403 for an existing employee out of reach, 404
for none):
- the profile events (org.EmployeeEvent: joining, moves, the hire, training...);
- the recruiting application that led to the hire and its ready interview reports (not shown to the employee
  themself, as the recruiting record is not: `may_see_recruiting_record`'s rule);
- their personal objectives with the score of their key results;
- their **submitted** competency reviews with the score per competency (drafts are the reviewer's work in
  progress and never shown);
- the 360° rounds about them: status and how many raters answered, never an answer;
- their KPI targets, one entry per cycle with the weighted KPI score.
Each source is one query over plain values (the cycles they name one more), so the number of queries
does not grow with the history.

Timeline entries are `{date, kind, title, detail, link, data}`, newest first. A review event that the reviews
service adds on submit (kind "review", data {"review": id} or {"cycle": id}) is folded into the entry built
from the review itself, so a review shows once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talentloop.assessment import kpi as kpi_engine
from talentloop.assessment import okr
from talentloop.core.access import require_role, role_of
from talentloop.core.errors import NotFound
from talentloop.core.models import Role, User
from talentloop.interviews.models import InterviewReport
from talentloop.org.models import Competency, Employee, EmployeeEvent, JobCompetency
from talentloop.org.selectors import _describe_changes, employee_get
from talentloop.recruiting.models import Application

from .models import FeedbackRequest, KeyResult, KpiTarget, Objective, PerformanceCycle, Review, ReviewScore
from .selectors import MAX_ID, PERFORMANCE_ROLES, employee_of

# Profile events kept on the timeline (the org profile page shows 200); more than enough for decades.
EVENT_LIMIT = 500

APPLICATION = "application"
INTERVIEW_REPORT = "interview_report"
OBJECTIVE = "objective"
REVIEW = EmployeeEvent.Kind.REVIEW.value  # the same kind as the review events, which fold into these
FEEDBACK = "feedback_360"
KPI = "kpi"
# Which entry comes first when two share a date (newest first: a later step of the same day on top).
_SAME_DAY_ORDER = {APPLICATION: 0, INTERVIEW_REPORT: 1, OBJECTIVE: 2, KPI: 3, FEEDBACK: 4, REVIEW: 5}


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    kind: str
    title: str
    detail: str
    link: str | None
    data: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # the kind in words, for the page's badge


@dataclass(frozen=True)
class ScorePoint:
    cycle: int
    cycle_name: str
    date: dt.date
    score: float


@dataclass(frozen=True)
class CompetencySeries:
    code: str
    name: str
    interview_score: float | None
    interview_date: dt.date | None
    performance_scores: tuple[ScorePoint, ...]  # oldest first

    @property
    def latest_performance(self) -> float | None:
        return self.performance_scores[-1].score if self.performance_scores else None

    @property
    def gap(self) -> float | None:
        """Latest performance score minus the interview score (positive: better than at the interview)."""
        latest = self.latest_performance
        if latest is None or self.interview_score is None:
            return None
        return round(latest - self.interview_score, 1)


@dataclass(frozen=True)
class PerformanceProfile:
    employee: Employee
    competencies: tuple[CompetencySeries, ...]
    timeline: tuple[TimelineEntry, ...]
    interview_report: InterviewReport | None  # the report the interview scores come from
    sees_recruiting: bool


def number_text(value: float | Decimal | None) -> str:
    """A score as people write it: one decimal at most, no trailing zero ("82.5", "90"); "—" for none."""
    if value is None:
        return "—"
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return round(float(value), 1)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


class _Links:
    """Page links by URL name, or None where the page does not exist (yet): each area adds its own pages.
    Each name is reversed once, with stand-in ids that are then replaced: a long timeline has hundreds of
    links, and reversing each would cost more than the rest of the entry."""

    _STAND_INS = ("918273645", "918273646")

    def __init__(self) -> None:
        self._patterns: dict[tuple[str, int], str | None] = {}

    def _pattern(self, name: str, arity: int) -> str | None:
        key = (name, arity)
        if key not in self._patterns:
            try:
                self._patterns[key] = reverse(name, args=self._STAND_INS[:arity])
            except NoReverseMatch:
                self._patterns[key] = None
        return self._patterns[key]

    def first(self, *candidates: tuple[str, tuple[int, ...]]) -> str | None:
        for name, args in candidates:
            pattern = self._pattern(name, len(args))
            if pattern is not None:
                for stand_in, value in zip(self._STAND_INS, args, strict=False):
                    pattern = pattern.replace(stand_in, str(value))
                return pattern
        return None


def employee_performance_profile(*, user: User, pk: int) -> PerformanceProfile:
    """The employee's timeline and competency comparison, as far as this user may see them."""
    require_role(user, PERFORMANCE_ROLES)
    if not 0 < pk <= MAX_ID:
        raise NotFound(_("No such employee."))
    employee = employee_get(user=user, pk=pk)
    me = employee_of(user)
    hr = role_of(user) == Role.HR_ADMIN
    # Whoever sees someone else's profile is HR or above them in the reporting line: the recruiting record's
    # readers. The employee themself does not see their recruiting record.
    sees_recruiting = hr or (me is not None and me.pk != employee.pk)
    links = _Links()

    # Rows as plain values rather than model instances: five years of history are hundreds of rows, and
    # building a model instance per row would cost more than the queries themselves.
    application = (
        Application.objects.filter(employee=employee).select_related("job").first() if sees_recruiting else None
    )
    reports = list(
        InterviewReport.objects.filter(session__application__employee=employee, status=InterviewReport.Status.READY)
        .select_related("session")
        .order_by(F("built_at").desc(nulls_last=True), "-id")
    )
    latest_report = reports[0] if reports else None
    personal = Q(owner_employee=employee, level=Objective.Level.PERSONAL)
    objectives = list(Objective.objects.filter(personal).values("id", "cycle_id", "title", "status", "created_at"))
    key_results = KeyResult.objects.filter(
        objective__owner_employee=employee, objective__level=Objective.Level.PERSONAL
    ).values_list("objective_id", "weight", "start_value", "target_value", "current_value", "direction")
    reviews = list(
        Review.objects.filter(employee=employee, status=Review.Status.SUBMITTED)
        .values("id", "cycle_id", "overall_score", "band", "submitted_at")
    )
    review_scores = list(
        ReviewScore.objects.filter(review__employee=employee, review__status=Review.Status.SUBMITTED)
        .values_list("review_id", "competency_id", "score")
    )
    rounds = list(
        FeedbackRequest.objects.filter(subject=employee).annotate(
            raters=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__submitted_at__isnull=False)),
        ).values("id", "cycle_id", "status", "deadline", "raters", "answered")
    )
    targets = list(
        KpiTarget.objects.filter(employee=employee).order_by("cycle_id", "kpi__code").values(
            "cycle_id", "weight", "target_value", "actual_value", "kpi__code", "kpi__direction", "kpi__floor_value",
            "kpi__threshold_value", "kpi__target_value",
        )
    )
    events = list(EmployeeEvent.objects.filter(employee=employee).order_by("-occurred_on", "-id")[:EVENT_LIMIT])
    _describe_changes(events)
    cycle_ids = {row["cycle_id"] for rows in (objectives, reviews, rounds, targets) for row in rows}
    cycles = {
        c["id"]: c for c in PerformanceCycle.objects.filter(pk__in=cycle_ids).values("id", "name", "start", "end")
    }

    entries: list[TimelineEntry] = []
    entries += _event_entries(events, reviews)
    if sees_recruiting:
        if application is not None:
            entries.append(_application_entry(application, links if hr else None))
        entries += [_report_entry(report, links if hr else None) for report in reports]
    entries += _objective_entries(objectives, key_results, cycles, links)
    entries += [_review_entry(review, cycles[review["cycle_id"]], links) for review in reviews]
    entries += [_feedback_entry(row, cycles[row["cycle_id"]], links, counts=hr) for row in rounds]
    entries += _kpi_entries(employee, targets, cycles, links)
    entries.sort(key=lambda e: (e.date, _SAME_DAY_ORDER.get(e.kind, -1), _entry_id(e)), reverse=True)

    return PerformanceProfile(
        employee=employee,
        competencies=_comparison(employee, latest_report, reviews, review_scores, cycles),
        timeline=tuple(entries),
        interview_report=latest_report,
        sees_recruiting=sees_recruiting,
    )


def _entry_id(entry: TimelineEntry) -> int:
    value = entry.data.get("id")
    return value if isinstance(value, int) else 0


def _review_date(review: Mapping[str, Any], cycle: Mapping[str, Any]) -> dt.date:
    date: dt.date = _local_date(review["submitted_at"]) or cycle["end"]
    return date


# --- timeline entries ---------------------------------------------------------------------------------------


def _event_entries(events: Iterable[EmployeeEvent], reviews: Sequence[Mapping[str, Any]]) -> list[TimelineEntry]:
    review_ids = {r["id"] for r in reviews}
    review_cycles = {r["cycle_id"] for r in reviews}
    entries = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if event.kind == EmployeeEvent.Kind.REVIEW and (
            data.get("review") in review_ids or (data.get("review") is None and data.get("cycle") in review_cycles)
        ):
            continue
        label = event.get_kind_display()
        entries.append(TimelineEntry(
            date=event.occurred_on, kind=event.kind, title=label, detail=event.summary, link=None,
            data={**data, "event": event.pk}, label=label,
        ))
    return entries


def _application_entry(application: Application, links: _Links | None) -> TimelineEntry:
    label = _("Application")
    return TimelineEntry(
        date=timezone.localdate(application.created_at), kind=APPLICATION,
        title=_("Applied for %(job)s") % {"job": application.job.title},
        detail=_("Stage: %(stage)s") % {"stage": application.get_stage_display()},
        link=links.first(("recruiting:application_detail", (application.pk,))) if links else None,
        data={"id": application.pk, "application": application.pk, "job": application.job_id}, label=label,
    )


def _report_entry(report: InterviewReport, links: _Links | None) -> TimelineEntry:
    overall = _score(report.overall_score)
    parts = [_("Interview round %(round)s") % {"round": report.session.round}]
    if overall is not None:
        parts.append(_("Overall score %(score)s") % {"score": number_text(overall)})
    return TimelineEntry(
        date=_local_date(report.built_at) or timezone.localdate(report.created_at), kind=INTERVIEW_REPORT,
        title=_("AI interview report"), detail=" · ".join(parts),
        link=links.first(("interviews:report", (report.session_id,))) if links else None,
        data={"id": report.pk, "report": report.pk, "interview": report.session_id, "overall_score": overall},
        label=_("Interview report"),
    )


def _objective_entries(
    objectives: Sequence[Mapping[str, Any]], key_results: Iterable[tuple[Any, ...]],
    cycles: Mapping[int, Mapping[str, Any]], links: _Links,
) -> list[TimelineEntry]:
    scores: dict[int, list[tuple[Decimal, float]]] = {}
    for objective_id, weight, start, target, current, direction in key_results:
        kr_score = okr.kr_score(
            start=start, target=target, current=current,
            direction=okr.INCREASE if direction == KeyResult.Direction.INCREASE else okr.DECREASE,
        )
        scores.setdefault(objective_id, []).append((weight, kr_score))
    statuses = dict(Objective.Status.choices)
    label = _("Objective")
    entries = []
    for row in objectives:
        cycle = cycles[row["cycle_id"]]
        weighted = scores.get(row["id"], [])
        score = okr.objective_score(weighted)
        count = len(weighted)
        parts = [str(statuses.get(row["status"], row["status"]))]
        parts.append(ngettext("%(count)s key result", "%(count)s key results", count) % {"count": count})
        if score is not None:
            parts.append(_("score %(score)s") % {"score": number_text(score)})
        # Goals are set at the start of a cycle; one drafted later (a hire joining mid-cycle) when it was made.
        made = timezone.localdate(row["created_at"])
        entries.append(TimelineEntry(
            date=min(max(made, cycle["start"]), cycle["end"]), kind=OBJECTIVE,
            title=_("Objective “%(title)s” (%(cycle)s)") % {"title": row["title"], "cycle": cycle["name"]},
            detail=" · ".join(parts),
            link=links.first(
                ("performance:objective_detail", (row["id"],)), ("performance:cycle_detail", (cycle["id"],))
            ),
            data={"id": row["id"], "objective": row["id"], "cycle": cycle["id"], "status": row["status"],
                  "score": _score(score)},
            label=label,
        ))
    return entries


def _review_entry(review: Mapping[str, Any], cycle: Mapping[str, Any], links: _Links) -> TimelineEntry:
    overall = _score(review["overall_score"])
    parts = []
    if overall is not None:
        parts.append(_("Overall score %(score)s") % {"score": number_text(overall)})
    if review["band"]:
        parts.append(_("Band %(band)s") % {"band": review["band"]})
    return TimelineEntry(
        date=_review_date(review, cycle), kind=REVIEW,
        title=_("Competency review (%(cycle)s)") % {"cycle": cycle["name"]},
        detail=" · ".join(parts),
        link=links.first(
            ("performance:review_detail", (review["id"],)), ("performance:cycle_detail", (cycle["id"],))
        ),
        data={"id": review["id"], "review": review["id"], "cycle": cycle["id"], "overall_score": overall,
              "band": review["band"]},
        label=_("Competency review"),
    )


def _feedback_entry(
    row: Mapping[str, Any], cycle: Mapping[str, Any], links: _Links, *, counts: bool
) -> TimelineEntry:
    """How many raters answered is HR's to see: the subject (and their managers) could otherwise tell that a
    group hidden for anonymity (fewer than the minimum shown) did answer."""
    deadline = timezone.localdate(row["deadline"])
    values = {"status": FeedbackRequest.Status(row["status"]).label, "answered": row["answered"],
              "raters": row["raters"], "date": deadline.isoformat()}
    if counts:
        detail = _("%(status)s · %(answered)s of %(raters)s raters answered · due %(date)s") % values
    else:
        detail = _("%(status)s · due %(date)s") % values
    return TimelineEntry(
        date=deadline, kind=FEEDBACK,
        title=_("360° feedback (%(cycle)s)") % {"cycle": cycle["name"]}, detail=detail,
        link=links.first(
            ("performance:feedback_detail", (row["id"],)), ("performance:cycle_detail", (cycle["id"],))
        ),
        data={"id": row["id"], "feedback_request": row["id"], "cycle": cycle["id"], "status": row["status"],
              **({"raters": row["raters"], "answered": row["answered"]} if counts else {})},
        label=_("360° feedback"),
    )


def kpi_target_score(
    *, actual: Decimal | None, target: Decimal, floor: Decimal, threshold: Decimal, library_target: Decimal,
    direction: str,
) -> float | None:
    """A KPI target's 0–100 score: the library's floor and threshold, the employee's own target value (the
    library's where the two would be out of order); None until there is an actual value."""
    if actual is None:
        return None
    for goal in (target, library_target):
        try:
            return kpi_engine.kpi_score(
                actual=actual, floor=floor, threshold=threshold, target=goal,
                direction=direction,  # type: ignore[arg-type]  # a Direction choice
            )
        except ValueError:
            continue
    return None


def _kpi_entries(
    employee: Employee, targets: Sequence[Mapping[str, Any]], cycles: Mapping[int, Mapping[str, Any]], links: _Links
) -> list[TimelineEntry]:
    by_cycle: dict[int, list[Mapping[str, Any]]] = {}
    for target in targets:
        by_cycle.setdefault(target["cycle_id"], []).append(target)
    entries = []
    for cycle_id, group in by_cycle.items():
        cycle = cycles[cycle_id]
        score = kpi_engine.weighted_score(
            (t["weight"], kpi_target_score(
                actual=t["actual_value"], target=t["target_value"], floor=t["kpi__floor_value"],
                threshold=t["kpi__threshold_value"], library_target=t["kpi__target_value"],
                direction=t["kpi__direction"],
            ))
            for t in group
        )
        count = len(group)
        parts = [ngettext("%(count)s KPI", "%(count)s KPIs", count) % {"count": count}]
        parts.append(
            _("weighted score %(score)s") % {"score": number_text(score)} if score is not None
            else _("no actual values yet")
        )
        entries.append(TimelineEntry(
            date=cycle["end"], kind=KPI, title=_("KPIs (%(cycle)s)") % {"cycle": cycle["name"]},
            detail=" · ".join(parts),
            link=links.first(
                ("performance:kpi_employee", (cycle_id, employee.pk)), ("performance:cycle_detail", (cycle_id,))
            ),
            data={"id": cycle_id, "cycle": cycle_id, "kpis": [t["kpi__code"] for t in group], "score": score},
            label=_("KPIs"),
        ))
    return entries


# --- interview vs performance -------------------------------------------------------------------------------


def _comparison(
    employee: Employee, report: InterviewReport | None, reviews: Sequence[Mapping[str, Any]],
    review_scores: Sequence[tuple[int, int, Decimal]], cycles: Mapping[int, Mapping[str, Any]],
) -> tuple[CompetencySeries, ...]:
    """One series per competency: the job model's in its order, then any other the interview or a review
    scored (by code). Two queries: the job model's competency ids, and the competencies' codes and names."""
    interview: dict[str, float | None] = {}
    if report is not None:
        for item in report.competencies or []:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                interview[item["code"]] = _score(item.get("score"))
    interview_date = (_local_date(report.built_at) or timezone.localdate(report.created_at)) if report else None

    model_ids: list[int] = []
    if employee.job_id is not None:
        model_ids = list(
            JobCompetency.objects.filter(job_id=employee.job_id).order_by("position", "id")
            .values_list("competency_id", flat=True)
        )
    wanted = Q(pk__in={*model_ids, *(c for _r, c, _s in review_scores)})
    if interview:
        wanted |= Q(code__in=list(interview))
    competencies = {c.pk: c for c in Competency.objects.filter(wanted).only("id", "code", "name", "name_en")}
    by_code = {c.code: c for c in competencies.values()}

    by_review = {r["id"]: r for r in reviews}
    points: dict[str, list[ScorePoint]] = {}
    for review_id, competency_id, score in review_scores:
        review, competency = by_review.get(review_id), competencies.get(competency_id)
        if review is None or competency is None:
            continue
        cycle = cycles[review["cycle_id"]]
        points.setdefault(competency.code, []).append(ScorePoint(
            cycle=cycle["id"], cycle_name=cycle["name"], date=_review_date(review, cycle), score=float(score),
        ))

    order = [competencies[pk].code for pk in model_ids if pk in competencies]
    others = sorted((set(interview) | set(points)) - set(order))
    series = []
    for code in [*order, *others]:
        competency = by_code.get(code)
        series.append(CompetencySeries(
            code=code, name=competency.display_name if competency else code,
            interview_score=interview.get(code), interview_date=interview_date if code in interview else None,
            performance_scores=tuple(sorted(points.get(code, []), key=lambda p: (p.date, p.cycle))),
        ))
    return tuple(series)
