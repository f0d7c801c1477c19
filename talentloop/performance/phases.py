"""A cycle's phases and deadlines, its review weights, reminders to whoever still has work, new hires joining
cycles, and drafting the OKRs of a whole cycle at once.

* `cycle_phase_set` moves a cycle to a phase (HR; any direction, so a mistake can be undone, and reopening a
  closed cycle is a phase change like any other).
* `cycle_deadlines_set` replaces a cycle's deadlines: one date per phase, in phase order.
* `cycle_okrs_draft` drafts, for every participant with a ready interview report and no draft yet, the same
  objective and key results `drafting.okr_draft` would (the shared `drafting.Drafter` builds both), written in
  bulk: a fixed number of queries however many participants there are.
* `cycle_reminders_send` (daily, from the beat schedule) reminds people with work left in a phase whose
  deadline is at most `REMINDER_DAYS` away or past, once per person, cycle, phase and day.
* `hire_join_cycles` (queued when recruiting hires someone) adds a new hire to the open cycles that enrol new
  hires and whose dates contain the hire date, and drafts their OKRs; running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talentloop.core.access import HR, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record, notification_send
from talentloop.interviews.models import InterviewReport
from talentloop.org.models import Employee

from . import services
from .drafting import Drafter
from .models import FeedbackInvitation, FeedbackRequest, KeyResult, Objective, PerformanceCycle, PhaseDeadline, Review
from .services import _apply, _Errors, _number, _require_open_cycle

Phase = PerformanceCycle.Phase
PHASES: tuple[str, ...] = tuple(Phase.values)
DEADLINE_PHASES: tuple[str, ...] = tuple(p for p in PHASES if p != Phase.CLOSED)
REMINDER_DAYS = 3
WEIGHT_FIELDS = ("weight_manager", "weight_feedback", "weight_results")
SETTING_FIELDS = (*WEIGHT_FIELDS, "enrol_new_hires")
_BATCH = 1000
_Participation = PerformanceCycle.employees.through


# --- phase, deadlines, settings -----------------------------------------------------------------------------


def _locked(cycle: PerformanceCycle) -> PerformanceCycle:
    return PerformanceCycle.objects.select_for_update().get(pk=cycle.pk)


@transaction.atomic
def cycle_phase_set(*, actor: User, cycle: PerformanceCycle, phase: str) -> PerformanceCycle:
    """Move the cycle to `phase` (HR only)."""
    require_role(actor, HR)
    if phase not in PHASES:
        raise ValidationFailed(
            _("“%(phase)s” is not a phase; use one of: %(phases)s.") % {"phase": phase, "phases": ", ".join(PHASES)},
            field="phase",
        )
    cycle = _locked(cycle)
    diff = _apply(cycle, {"phase": phase}, ("phase",))
    if diff:
        cycle.save(update_fields=["phase", "updated_at"])
        audit_record(actor=actor, obj=cycle, action=AuditEntry.Action.UPDATE, changes=diff)
    return cycle


def _deadline_text(deadlines: Mapping[str, dt.date]) -> str:
    return ", ".join(f"{phase}={deadlines[phase].isoformat()}" for phase in PHASES if phase in deadlines)


@transaction.atomic
def cycle_deadlines_set(
    *, actor: User, cycle: PerformanceCycle, deadlines: Mapping[str, dt.date]
) -> list[PhaseDeadline]:
    """Replace the cycle's deadlines (HR only): phases left out lose theirs. Each phase's deadline is on or
    after the cycle's start and not before an earlier phase's."""
    require_role(actor, HR)
    cycle = _locked(cycle)
    errors = _Errors()
    for phase, due in deadlines.items():
        if phase not in DEADLINE_PHASES:
            errors.add("deadlines", _("“%(phase)s” is not a phase with a deadline; use one of: %(phases)s.")
                       % {"phase": phase, "phases": ", ".join(DEADLINE_PHASES)})
        elif not isinstance(due, dt.date):
            errors.add("deadlines", _("Give the deadline of %(phase)s as a date.") % {"phase": Phase(phase).label})
        elif due < cycle.start:
            errors.add("deadlines", _("The deadline of %(phase)s (%(due)s) is before the cycle starts (%(start)s).")
                       % {"phase": Phase(phase).label, "due": due.isoformat(), "start": cycle.start.isoformat()})
    errors.raise_if_any()
    ordered = [(phase, deadlines[phase]) for phase in DEADLINE_PHASES if phase in deadlines]
    for (before, first), (after, second) in itertools.pairwise(ordered):
        if second < first:
            errors.add("deadlines", _("The deadline of %(later)s (%(second)s) is before the deadline of %(earlier)s "
                                      "(%(first)s); phases follow one another.")
                       % {"later": Phase(after).label, "second": second.isoformat(),
                          "earlier": Phase(before).label, "first": first.isoformat()})
    errors.raise_if_any()
    old = dict(PhaseDeadline.objects.filter(cycle=cycle).values_list("phase", "due"))
    new = dict(ordered)
    if old != new:
        PhaseDeadline.objects.filter(cycle=cycle).exclude(phase__in=list(new)).delete()
        for phase, due in ordered:
            if old.get(phase) != due:
                PhaseDeadline.objects.update_or_create(cycle=cycle, phase=phase, defaults={"due": due})
        audit_record(
            actor=actor, obj=cycle, action=AuditEntry.Action.UPDATE,
            changes={"deadlines": (_deadline_text(old), _deadline_text(new))},
        )
    return list(PhaseDeadline.objects.filter(cycle=cycle).order_by("due", "id"))


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@transaction.atomic
def cycle_settings_set(*, actor: User, cycle: PerformanceCycle, changes: Mapping[str, Any]) -> PerformanceCycle:
    """Change the review weights (percent; the three add up to 100) and whether new hires join (HR only)."""
    require_role(actor, HR)
    cycle = _locked(cycle)
    errors = _Errors()
    values: dict[str, Any] = {}
    for name in WEIGHT_FIELDS:
        raw = changes.get(name, getattr(cycle, name))
        number = _decimal(raw)
        if number is None or not Decimal(0) <= number <= Decimal(100):
            errors.add(name, _("A weight is a percentage from 0 to 100."))
        else:
            values[name] = number
    if len(values) == len(WEIGHT_FIELDS) and sum(values.values()) != Decimal(100):
        errors.add(
            "weight_manager",
            _("The manager rating, 360° feedback and results weights add up to %(total)s%%; they must add up to "
              "100%%.") % {"total": _number(sum(values.values(), Decimal(0)))},
        )
    errors.raise_if_any()
    if "enrol_new_hires" in changes:
        values["enrol_new_hires"] = bool(changes["enrol_new_hires"])
    diff = _apply(cycle, {k: v for k, v in values.items() if k in changes}, SETTING_FIELDS)
    if diff:
        cycle.save()
        audit_record(actor=actor, obj=cycle, action=AuditEntry.Action.UPDATE, changes=diff)
    return cycle


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], Mapping[str, dt.date] | None]:
    """(what services.py's cycle functions take, the settings, the deadlines or None)."""
    base = {k: v for k, v in data.items() if k not in (*SETTING_FIELDS, "deadlines")}
    return base, {k: data[k] for k in SETTING_FIELDS if k in data}, data.get("deadlines")


@transaction.atomic
def cycle_create(*, actor: User, **data: Any) -> PerformanceCycle:
    """`services.cycle_create` plus the review weights, `enrol_new_hires` and deadlines, in one transaction."""
    base, extra, deadlines = _split(data)
    cycle = services.cycle_create(actor=actor, **base)
    if extra:
        cycle = cycle_settings_set(actor=actor, cycle=cycle, changes=extra)
    if deadlines is not None:
        cycle_deadlines_set(actor=actor, cycle=cycle, deadlines=deadlines)
    return cycle


@transaction.atomic
def cycle_update(*, actor: User, cycle: PerformanceCycle, changes: Mapping[str, Any]) -> PerformanceCycle:
    """`services.cycle_update` plus the review weights, `enrol_new_hires` and deadlines, in one transaction."""
    base, extra, deadlines = _split(changes)
    cycle = services.cycle_update(actor=actor, cycle=cycle, changes=base)
    if extra:
        cycle = cycle_settings_set(actor=actor, cycle=cycle, changes=extra)
    if deadlines is not None:
        cycle_deadlines_set(actor=actor, cycle=cycle, deadlines=deadlines)
    return cycle


def cycle_deadline_rows(*, cycle: PerformanceCycle, today: dt.date) -> list[dict[str, Any]]:
    """Every phase with its deadline (or None), whether it is the current one and whether it is overdue."""
    due = dict(PhaseDeadline.objects.filter(cycle=cycle).values_list("phase", "due"))
    return [
        {
            "phase": phase, "label": Phase(phase).label, "due": due.get(phase), "current": phase == cycle.phase,
            "overdue": phase == cycle.phase and due.get(phase) is not None and due[phase] < today,
        }
        for phase in DEADLINE_PHASES
    ]


# --- drafting a whole cycle ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleDraftResult:
    drafted: int
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (employee id, reason)


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT many rows: COPY on PostgreSQL, executemany elsewhere. bulk_create builds statements from model
    instances, preparing every value through the field; at tens of thousands of rows that Python work is most
    of the time, so here each value goes through its field's `get_db_prep_save` (the same database form) only
    where it needs to, and the rest is the driver's."""
    if not rows:
        return
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in rows[0]]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    # Only fields whose database form differs from the Python value need preparing (decimals, JSON, datetimes);
    # a value shared by every row (the creation time) is prepared once.
    plain = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)
    prepare = [None if isinstance(f, plain) else f for f in fields]
    last: list[tuple[Any, Any]] = [(object(), None)] * len(fields)

    def prepared(index: int, value: Any) -> Any:
        field = prepare[index]
        if field is None:
            return value
        if last[index][0] is not value:
            last[index] = (value, field.get_db_prep_save(value, connection))
        return last[index][1]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk load, one stream instead of a statement per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([prepared(index, value) for index, value in enumerate(row.values())])
            return
        for start in range(0, len(rows), _BATCH * 5):
            cursor.executemany(sql, [
                [prepared(index, value) for index, value in enumerate(row.values())]
                for row in rows[start:start + _BATCH * 5]
            ])


def _audit_created(actor: User | None, objects: Iterable[tuple[str, int, str]]) -> None:
    """The entries `audit_record` writes for a creation, for many (object type, id, text) at once."""
    who = actor.pk if actor is not None and actor.pk else None
    at = timezone.now()
    _insert(AuditEntry, [
        {"actor": who, "action": AuditEntry.Action.CREATE.value, "object_type": object_type, "object_id": str(pk),
         "object_repr": text[:200], "field": "", "old_value": "", "new_value": "", "at": at}
        for object_type, pk, text in objects
    ])


def _latest_reports(participants: QuerySet[Any, Any]) -> dict[int, tuple[int, Any]]:
    """{employee id: (report id, competencies)}: each participant's most recent ready report, as
    `drafting.latest_interview_report` picks it, for all participants in one query."""
    rows = (
        InterviewReport.objects.filter(
            status=InterviewReport.Status.READY, session__application__employee_id__in=participants
        )
        .order_by("session__application__employee_id", models.F("built_at").desc(nulls_last=True), "-id")
        .values_list("session__application__employee_id", "pk", "competencies")
    )
    latest: dict[int, tuple[int, Any]] = {}
    for employee_id, report_id, competencies in rows.iterator(chunk_size=_BATCH):
        latest.setdefault(employee_id, (report_id, competencies))
    return latest


def _draft_many(*, actor: User | None, cycle: PerformanceCycle, participants: QuerySet[Any, Any]) -> CycleDraftResult:
    # Locking the employees serialises this with `okr_draft`, which locks the one employee it drafts for.
    ids = list(
        Employee.objects.select_for_update().filter(pk__in=participants).order_by("pk").values_list("pk", flat=True)
    )
    drafted_before = set(
        KeyResult.objects.filter(
            objective__cycle=cycle, objective__owner_employee_id__in=participants, source__isnull=False
        ).values_list("objective__owner_employee_id", flat=True)
    )
    reports = _latest_reports(participants)
    drafter = Drafter()
    skipped: list[tuple[int, str]] = []
    planned = []
    already = _("OKRs were already drafted from the interview in this cycle.")
    no_report = _("No ready interview report from the application that led to the hire.")
    no_rule = _("No active rule applies to the interview report.")
    for employee_id in ids:
        if employee_id in drafted_before:
            skipped.append((employee_id, already))
            continue
        if employee_id not in reports:
            skipped.append((employee_id, no_report))
            continue
        report_id, competencies = reports[employee_id]
        derivation = drafter.derive(competencies)
        if not derivation.drafted:
            skipped.append((employee_id, no_rule))
            continue
        objective = drafter.objective(cycle=cycle, employee_id=employee_id, report_id=report_id)
        planned.append((objective, derivation, report_id))
    objectives = Objective.objects.bulk_create([objective for objective, _d, _r in planned], batch_size=_BATCH)
    now = timezone.now()
    _insert(KeyResult, [
        {**values, "objective": objective.pk, "created_at": now, "updated_at": now}
        for objective, derivation, report_id in planned
        for values in drafter.key_result_values(derivation=derivation, report_id=report_id)
    ])
    ids = [objective.pk for objective in objectives]
    key_results: list[tuple[str, int, str]] = []
    for start in range(0, len(ids), _BATCH):
        key_results += [
            ("performance.keyresult", pk, title)
            for pk, title in KeyResult.objects.filter(objective_id__in=ids[start:start + _BATCH])
            .order_by("id").values_list("pk", "title")
        ]
    _audit_created(actor, [("performance.objective", o.pk, o.title) for o in objectives])
    _audit_created(actor, key_results)
    return CycleDraftResult(drafted=len(objectives), skipped=skipped)


@transaction.atomic
def cycle_okrs_draft(*, actor: User, cycle: PerformanceCycle) -> CycleDraftResult:
    """Draft the OKRs of every participant who has a ready interview report and no draft in this cycle yet
    (HR only): the objectives and key results `drafting.okr_draft` would write, each key result citing its
    rule and interview score. Everyone else is listed in `skipped` with the reason."""
    require_role(actor, HR)
    cycle = _locked(cycle)
    _require_open_cycle(cycle)
    participants = _Participation.objects.filter(performancecycle_id=cycle.pk).values("employee_id")
    result = _draft_many(actor=actor, cycle=cycle, participants=participants)
    if result.drafted:
        audit_record(
            actor=actor, obj=cycle, action=AuditEntry.Action.UPDATE, changes={"drafted_okrs": ("", result.drafted)}
        )
    return result


# --- new hires ----------------------------------------------------------------------------------------------


@transaction.atomic
def hire_join_cycles(*, employee_id: int) -> list[int]:
    """Add a new hire to every cycle that enrols new hires, is in goal setting and whose dates contain the hire
    date; draft their OKRs there and tell their manager. Returns the ids of the cycles joined now; a second
    run finds them joined and drafted, and does nothing."""
    employee = Employee.objects.filter(pk=employee_id).select_related("manager__user").first()
    if employee is None or employee.hire_date is None:
        return []
    cycles = list(
        PerformanceCycle.objects.select_for_update().filter(
            enrol_new_hires=True, phase=Phase.GOAL_SETTING, start__lte=employee.hire_date, end__gte=employee.hire_date
        ).order_by("start", "id")
    )
    joined: list[int] = []
    for cycle in cycles:
        if not cycle.employees.filter(pk=employee.pk).exists():
            before = cycle.employees.count()
            cycle.employees.add(employee)
            audit_record(actor=None, obj=cycle, action=AuditEntry.Action.UPDATE,
                         changes={"employees": (before, before + 1)})
            joined.append(cycle.pk)
        result = _draft_many(actor=None, cycle=cycle, participants=Employee.objects.filter(pk=employee.pk).values("pk"))
        manager = employee.manager.user if employee.manager is not None else None
        if result.drafted and manager is not None:
            names = {"name": employee.name, "cycle": cycle.name}
            with translation.override(manager.language or settings.LANGUAGE_CODE):
                notification_send(
                    user=manager, subject=_("OKRs drafted for %(name)s in “%(cycle)s”") % names,
                    body=_("%(name)s joined the cycle “%(cycle)s” when hired. Their first objectives were drafted from "
                           "the hiring interview; review, edit and approve them.") % names,
                    link="/performance/", dedupe_key=f"hire-draft:{cycle.pk}:{employee.pk}",
                )
    return joined


# --- reminders ----------------------------------------------------------------------------------------------


@dataclass
class _Work:
    """What one person still has to do in one cycle's phase: counts per kind, and where to go."""

    user: User
    items: dict[str, int] = field(default_factory=dict)
    link: str = "/performance/"

    def add(self, kind: str, count: int = 1, link: str = "") -> None:
        self.items[kind] = self.items.get(kind, 0) + count
        if link and self.link == "/performance/":
            self.link = link


def _line(kind: str, count: int) -> str:
    if kind == "goals":
        return _("Set your objectives: you have no approved objective in this cycle yet.")
    if kind == "approve":
        return ngettext(
            "%(count)d objective drafted for your team is waiting for your approval.",
            "%(count)d objectives drafted for your team are waiting for your approval.", count,
        ) % {"count": count}
    if kind == "self":
        return _("Write your self review.")
    if kind == "review":
        return ngettext(
            "%(count)d review of your team is not submitted yet.",
            "%(count)d reviews of your team are not submitted yet.", count,
        ) % {"count": count}
    return ngettext(
        "%(count)d 360° feedback form is waiting for your answers.",
        "%(count)d 360° feedback forms are waiting for your answers.", count,
    ) % {"count": count}


def _users(ids: Iterable[int]) -> dict[int, User]:
    return User.objects.in_bulk(list(set(ids)))


def _phase_work(cycle: PerformanceCycle) -> dict[int, _Work]:
    """Who still has work in the cycle's current phase: {user id: work}. A fixed number of queries."""
    participants = _Participation.objects.filter(performancecycle_id=cycle.pk).values("employee_id")
    rows: list[tuple[int, str, int, str]] = []  # (user id, kind, count, link)
    if cycle.phase == Phase.GOAL_SETTING:
        with_goals = Objective.objects.filter(
            cycle=cycle, level=Objective.Level.PERSONAL, status=Objective.Status.ACTIVE
        ).values("owner_employee_id")
        rows += [
            (user_id, "goals", 1, "")
            for user_id in Employee.objects.filter(pk__in=participants, user__isnull=False)
            .exclude(pk__in=with_goals).values_list("user_id", flat=True)
        ]
        waiting = (
            Objective.objects.filter(
                cycle=cycle, level=Objective.Level.PERSONAL, status=Objective.Status.DRAFT,
                owner_employee__manager__user__isnull=False,
                pk__in=KeyResult.objects.filter(source__isnull=False).values("objective_id"),
            )
            .values("owner_employee__manager__user_id").annotate(n=Count("id"))
            .values_list("owner_employee__manager__user_id", "n")
        )
        rows += [(user_id, "approve", n, "") for user_id, n in waiting]
    elif cycle.phase in (Phase.SELF_REVIEW, Phase.FEEDBACK_360):
        invitations = FeedbackInvitation.objects.filter(
            request__cycle=cycle, request__status=FeedbackRequest.Status.OPEN, submitted_at__isnull=True,
            rater__user__isnull=False,
        )
        if cycle.phase == Phase.SELF_REVIEW:
            invitations = invitations.filter(relation=FeedbackInvitation.Relation.SELF)
        kind = "self" if cycle.phase == Phase.SELF_REVIEW else "feedback"
        rows += [
            (user_id, kind, 1, f"/feedback/{token}/")
            for user_id, token in invitations.order_by("id").values_list("rater__user_id", "token")
        ]
    elif cycle.phase == Phase.MANAGER_REVIEW:
        submitted = Review.objects.filter(cycle=cycle, status=Review.Status.SUBMITTED).values("employee_id")
        missing = (
            Employee.objects.filter(pk__in=participants, manager__user__isnull=False).exclude(pk__in=submitted)
            .values("manager__user_id").annotate(n=Count("id")).values_list("manager__user_id", "n")
        )
        rows += [(user_id, "review", n, "") for user_id, n in missing]
    users = _users(user_id for user_id, *_rest in rows)
    work: dict[int, _Work] = {}
    for user_id, kind, count, link in rows:
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        work.setdefault(user_id, _Work(user=user)).add(kind, count, link)
    return work


def _remind(cycle: PerformanceCycle, due: dt.date | None, today: dt.date) -> int:
    sent = 0
    for work in _phase_work(cycle).values():
        with translation.override(work.user.language or settings.LANGUAGE_CODE), transaction.atomic():
            names = {"phase": Phase(cycle.phase).label, "cycle": cycle.name, "due": due}
            if due is None:
                subject = _("Reminder: %(phase)s in “%(cycle)s”") % names
            elif due < today:
                subject = _("Overdue: %(phase)s in “%(cycle)s” was due %(due)s") % names
            else:
                subject = _("Reminder: %(phase)s in “%(cycle)s” is due %(due)s") % names
            notification = notification_send(
                user=work.user, subject=subject, body="\n".join(_line(kind, n) for kind, n in work.items.items()),
                link=work.link, dedupe_key=f"phase-reminder:{cycle.pk}:{cycle.phase}:{today.isoformat()}",
            )
        sent += notification is not None
    return sent


def cycle_reminders_send(*, today: dt.date) -> int:
    """Remind everyone with work left in a cycle whose current phase's deadline is at most REMINDER_DAYS away
    or past: participants without approved objectives and managers with drafts to approve (goal setting),
    self reviews (self review), raters who have not answered (360°), managers with reviews to submit (manager
    review). One notification per person, cycle, phase and day, in the person's language; returns how many
    were sent now (a second run on the same day sends none)."""
    deadlines = (
        PhaseDeadline.objects.filter(phase=models.F("cycle__phase"), due__lte=today + dt.timedelta(days=REMINDER_DAYS))
        .exclude(cycle__phase=Phase.CLOSED).select_related("cycle").order_by("due", "id")
    )
    return sum(_remind(deadline.cycle, deadline.due, today) for deadline in deadlines)


def cycle_reminders_send_now(*, actor: User, cycle: PerformanceCycle, today: dt.date) -> int:
    """HR's "remind now" for one cycle, whatever its deadline; the daily job's once-a-day rule still holds."""
    require_role(actor, HR)
    if cycle.phase == Phase.CLOSED:
        raise ValidationFailed(_("The cycle “%(name)s” is closed; nobody has work left in it.") % {"name": cycle.name})
    due = PhaseDeadline.objects.filter(cycle=cycle, phase=cycle.phase).values_list("due", flat=True).first()
    return _remind(cycle, due, today)


def cycle_outstanding(*, cycle: PerformanceCycle) -> list[dict[str, Any]]:
    """Who still has work in the cycle's current phase (people with a login), with the work in the reader's
    language, by name: what the reminders would say."""
    rows = [
        {"user": work.user, "lines": [_line(kind, n) for kind, n in work.items.items()]}
        for work in _phase_work(cycle).values()
    ]
    return sorted(rows, key=lambda row: str(row["user"]))


def drafted_waiting(*, cycle: PerformanceCycle) -> int:
    """How many objectives drafted from the interview wait for approval in the cycle."""
    return (
        Objective.objects.filter(cycle=cycle, status=Objective.Status.DRAFT)
        .filter(Q(pk__in=KeyResult.objects.filter(source__isnull=False).values("objective_id"))).count()
    )
