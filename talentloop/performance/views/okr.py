"""Cycle and OKR pages under /performance/: the home page (my cycles and objectives; a manager's team; HR's
cycles), cycles (list, create, edit, detail with the objective tree and HR's phase, deadline and drafting
buttons), objectives, key results and check-ins, and OKRs drafted from the hiring interview awaiting
approval (the KR derivation rules are in okr_rules.py). Reads go through the selectors and writes through
the services, which decide who may do what; the pages only hide buttons a person could not use."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR, require_role, role_of
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.web import staff_view
from talentloop.org.models import Employee
from talentloop.org.selectors import team_ids_sql

from .. import drafting, phases, selectors, services
from ..models import KeyResult, Objective, PerformanceCycle
from . import okr_rules
from .okr_forms import (
    CheckInForm,
    CycleForm,
    DeadlinesForm,
    DraftRequestForm,
    KeyResultForm,
    ObjectiveForm,
    readable,
    show_errors,
)

CYCLE_PAGE_SIZE = 30
DRAFT_PAGE_SIZE = 20
# The home page lists this many of a manager's team objectives; the cycle pages have them all.
TEAM_OBJECTIVES_SHOWN = 50
LEVEL_ORDER: dict[str, int] = {"company": 0, "department": 1, "personal": 2}
MANAGERS_AND_HR = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})
CYCLE_FIELDS = (
    "name", "kind", "method", "start", "end", "weight_manager", "weight_feedback", "weight_results", "enrol_new_hires",
)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@dataclass
class Reach:
    """What the page may offer the person: everything (HR), their team and themself (a manager), or themself.
    Computed once per page (one query for a manager's team) so a list of objectives costs no query per row."""

    is_hr: bool
    role: str | None
    me: Employee | None
    team: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, user: User) -> Reach:
        role = role_of(user)
        me = selectors.employee_of(user)
        team: set[int] = set()
        if role == Role.HIRING_MANAGER and me is not None:
            team = set(Employee.objects.filter(pk__in=team_ids_sql(me.pk)).values_list("pk", flat=True))
        return cls(is_hr=role == Role.HR_ADMIN, role=role, me=me, team=team)

    def may_write(self, objective: Objective) -> bool:
        if self.is_hr:
            return True
        if objective.level != Objective.Level.PERSONAL or self.me is None:
            return False
        return objective.owner_employee_id == self.me.pk or objective.owner_employee_id in self.team

    def may_approve(self, objective: Objective) -> bool:
        return self.is_hr or objective.owner_employee_id in self.team


def _objectives(user: User) -> QuerySet[Objective]:
    return selectors.objective_list(user=user).select_related("cycle", "owner_employee", "department")


def _rows(objectives: Any) -> list[dict[str, Any]]:
    return [{"objective": o, "score": o.score()} for o in objectives]


# --- home -----------------------------------------------------------------------------------------------------


@staff_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    cycles = selectors.cycle_list(user=actor)
    reach = Reach.of(actor)
    open_objectives = _objectives(actor).exclude(cycle__phase=PerformanceCycle.Phase.CLOSED)
    mine: list[dict[str, Any]] = []
    team: list[dict[str, Any]] = []
    if reach.me is not None:
        mine = _rows(open_objectives.filter(owner_employee_id=reach.me.pk))
    if reach.role == Role.HIRING_MANAGER and reach.me is not None:
        team = _rows(
            open_objectives.filter(owner_employee_id__in=team_ids_sql(reach.me.pk))
            .order_by("owner_employee__name", "cycle", "id")[:TEAM_OBJECTIVES_SHOWN]
        )
    drafts = _drafts(actor, reach).count() if reach.role in MANAGERS_AND_HR else 0
    return render(request, "performance/okr_home.html", {
        "cycles": cycles[:10], "cycle_count": cycles.count(), "mine": mine, "team": team,
        "team_limit": TEAM_OBJECTIVES_SHOWN, "drafts": drafts, "reach": reach,
    })


# --- cycles ---------------------------------------------------------------------------------------------------


@staff_view
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    phase = request.GET.get("phase") or None
    if phase not in PerformanceCycle.Phase.values:
        phase = None
    cycles = selectors.cycle_list(user=actor, phase=phase)
    page_obj = Paginator(cycles, CYCLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/cycle_list.html", {
        "page_obj": page_obj, "phase": phase, "phases": PerformanceCycle.Phase.choices,
        "is_hr": role_of(actor) == Role.HR_ADMIN,
    })


def _picker(form: CycleForm, current: set[int]) -> list[dict[str, Any]]:
    """Employees grouped by department for the participants picker; those ticked (or taking part) first in mind."""
    if form.is_bound:
        data = cast(QueryDict, form.data)
        ticked = {int(v) for v in data.getlist("employees") if str(v).isdigit()}
        whole = {int(v) for v in data.getlist("departments") if str(v).isdigit()}
    else:
        ticked, whole = current, set()
    employees = (
        Employee.objects.filter(~Q(status=Employee.Status.TERMINATED) | Q(pk__in=current))
        .select_related("department").order_by("department__code", "name", "pk")
    )
    groups: list[dict[str, Any]] = []
    for employee in employees:
        if not groups or groups[-1]["department"].pk != employee.department_id:
            groups.append({"department": employee.department, "people": [], "ticked": 0,
                           "whole": employee.department_id in whole})
        checked = employee.pk in ticked
        groups[-1]["people"].append({"employee": employee, "checked": checked})
        groups[-1]["ticked"] += int(checked)
    return groups


def _cycle_form_page(request: HttpRequest, cycle: PerformanceCycle | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    current = set(cycle.employees.values_list("pk", flat=True)) if cycle is not None else set()
    if request.method == "POST":
        form = CycleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            values = {k: data[k] for k in CYCLE_FIELDS}
            try:
                if cycle is None:
                    saved = phases.cycle_create(actor=actor, employees=form.participant_ids(), **values)
                else:
                    saved = phases.cycle_update(
                        actor=actor, cycle=cycle, changes={**values, "employees": form.participant_ids()}
                    )
            except (ValidationFailed, Conflict) as exc:
                show_errors(form, exc)
            else:
                message = _("Cycle “%(name)s” created.") if cycle is None else _("Cycle “%(name)s” saved.")
                messages.success(request, message % {"name": saved.name})
                return redirect("performance:cycle_detail", pk=saved.pk)
    elif cycle is not None:
        form = CycleForm(initial={k: getattr(cycle, k) for k in CYCLE_FIELDS})
    else:
        form = CycleForm(initial={"weight_manager": 50, "weight_feedback": 30, "weight_results": 20})
    return render(request, "performance/cycle_form.html", {
        "form": form, "cycle": cycle, "groups": _picker(form, current),
    })


@staff_view
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    return _cycle_form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR)
    return _cycle_form_page(request, selectors.cycle_get(user=_actor(request), pk=pk))


def _tree(objectives: list[Objective]) -> list[dict[str, Any]]:
    """Objectives aligned in a tree: company, then department, then personal objectives under what they align
    with. One whose parent is out of the reader's sight starts a tree of its own."""
    ids = {o.pk for o in objectives}
    children: dict[int | None, list[Objective]] = {}
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in ids else None
        children.setdefault(parent, []).append(objective)

    def build(parent: int | None) -> list[dict[str, Any]]:
        nodes = sorted(children.get(parent, []), key=lambda o: (LEVEL_ORDER.get(o.level, 9), o.pk))
        return [{"objective": o, "score": o.score(), "children": build(o.pk)} for o in nodes]

    return build(None)


@staff_view
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    reach = Reach.of(actor)
    objectives = list(_objectives(actor).filter(cycle_id=cycle.pk))
    deadlines = {d.phase: d.due for d in cycle.deadlines.all()}
    phases_shown = [
        {"value": value, "label": label, "due": deadlines.get(value), "current": value == cycle.phase}
        for value, label in PerformanceCycle.Phase.choices
    ]
    is_open = cycle.phase != PerformanceCycle.Phase.CLOSED
    return render(request, "performance/cycle_detail.html", {
        "cycle": cycle, "tree": _tree(objectives), "objective_count": len(objectives), "phases": phases_shown,
        "reach": reach, "is_open": is_open,
        "may_add": is_open and (reach.is_hr or reach.me is not None),
        "deadlines_form": DeadlinesForm(initial=deadlines, prefix="due") if reach.is_hr else None,
        "phase_choices": PerformanceCycle.Phase.choices,
    })


@staff_view
@require_POST
def cycle_set_phase(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    phase = request.POST.get("phase", "")
    try:
        phases.cycle_phase_set(actor=actor, cycle=cycle, phase=phase)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, readable(exc))
    else:
        cycle.refresh_from_db()
        messages.success(request, _("The cycle is now in the phase “%(phase)s”.") % {
            "phase": cycle.get_phase_display()})
    return redirect("performance:cycle_detail", pk=cycle.pk)


@staff_view
@require_POST
def cycle_set_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    form = DeadlinesForm(request.POST, prefix="due")
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[name].label}: {'; '.join(str(e) for e in errs)}"
                                         for name, errs in form.errors.items()))
        return redirect("performance:cycle_detail", pk=cycle.pk)
    try:
        phases.cycle_deadlines_set(actor=actor, cycle=cycle, deadlines=form.deadlines())
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, readable(exc))
    else:
        messages.success(request, _("Deadlines saved."))
    return redirect("performance:cycle_detail", pk=cycle.pk)


@staff_view
@require_POST
def cycle_draft_okrs(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    cycle = selectors.cycle_get(user=actor, pk=pk)
    try:
        result = phases.cycle_okrs_draft(actor=actor, cycle=cycle)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, readable(exc))
        return redirect("performance:cycle_detail", pk=cycle.pk)
    messages.success(request, ngettext(
        "OKRs drafted from the interview for %(n)d participant; they wait for their manager's approval.",
        "OKRs drafted from the interview for %(n)d participants; they wait for their managers' approval.",
        result.drafted,
    ) % {"n": result.drafted})
    if result.skipped:
        shown = result.skipped[:10]
        names = dict(Employee.objects.filter(pk__in=[pk for pk, _reason in shown]).values_list("pk", "name"))
        details = "; ".join(f"{names.get(pk, pk)}: {reason}" for pk, reason in shown)
        messages.warning(request, ngettext(
            "%(n)d participant skipped: %(details)s", "%(n)d participants skipped: %(details)s", len(result.skipped),
        ) % {"n": len(result.skipped), "details": details + ("…" if len(result.skipped) > len(shown) else "")})
    return redirect("performance:cycle_detail", pk=cycle.pk)


# --- objectives -----------------------------------------------------------------------------------------------


def _owners(actor: User, reach: Reach, cycle: PerformanceCycle) -> QuerySet[Employee] | None:
    """Whom the person may pick as an objective's owner; None for an employee (always themself)."""
    if reach.is_hr:
        return cycle.employees.order_by("name", "pk")
    if reach.role == Role.HIRING_MANAGER and reach.me is not None:
        return cycle.employees.filter(Q(pk=reach.me.pk) | Q(pk__in=team_ids_sql(reach.me.pk))).order_by("name", "pk")
    return None


def _objective_form_page(
    request: HttpRequest, *, cycle: PerformanceCycle, objective: Objective | None
) -> HttpResponse:
    actor = _actor(request)
    reach = Reach.of(actor)
    if objective is not None:  # refused before the form is shown, with the service's own reason
        services._require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    owners = _owners(actor, reach, cycle)
    parents = selectors.objective_visible(user=actor).filter(cycle_id=cycle.pk).order_by("level", "id")
    if objective is not None:
        parents = parents.exclude(pk=objective.pk)
    kwargs: dict[str, Any] = {"is_hr": reach.is_hr, "owners": owners, "parents": parents}
    if request.method == "POST":
        form = ObjectiveForm(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if owners is None:
                data["owner_employee"] = reach.me
            data.setdefault("department", None)
            try:
                if objective is None:
                    saved = services.objective_create(actor=actor, cycle=cycle, **data)
                else:
                    saved = services.objective_update(actor=actor, objective=objective, changes=data)
            except (ValidationFailed, Conflict) as exc:
                show_errors(form, exc)
            else:
                message = _("Objective “%(title)s” saved.") if objective else _("Objective “%(title)s” created.")
                messages.success(request, message % {"title": saved.title})
                return redirect("performance:objective_detail", pk=saved.pk)
    elif objective is not None:
        form = ObjectiveForm(initial={f: getattr(objective, f) for f in (
            "level", "title", "description", "owner_employee", "department", "parent", "status")}, **kwargs)
    else:
        initial: dict[str, Any] = {"level": request.GET.get("level") or Objective.Level.PERSONAL,
                                   "status": Objective.Status.ACTIVE}
        if str(request.GET.get("parent", "")).isdigit():
            initial["parent"] = int(request.GET["parent"])
        if reach.me is not None and not reach.is_hr:
            initial["owner_employee"] = reach.me.pk
        form = ObjectiveForm(initial=initial, **kwargs)
    return render(request, "performance/okr_objective_form.html", {
        "form": form, "cycle": cycle, "objective": objective,
    })


@staff_view
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=_actor(request), pk=pk)
    return _objective_form_page(request, cycle=cycle, objective=None)


@staff_view
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get(user=_actor(request), pk=pk)
    return _objective_form_page(request, cycle=objective.cycle, objective=objective)


@staff_view
@require_GET
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    objective = selectors.objective_get(user=actor, pk=pk)
    reach = Reach.of(actor)
    key_results = list(objective.key_results.all())
    is_open = objective.cycle.phase != PerformanceCycle.Phase.CLOSED
    writable = reach.may_write(objective) and is_open
    return render(request, "performance/okr_objective_detail.html", {
        "objective": objective, "score": objective.score(), "key_results": key_results,
        "weight_total": sum(kr.weight for kr in key_results),
        "may_write": writable, "may_check_in": writable and objective.status != Objective.Status.CLOSED,
        "may_approve": is_open and objective.status == Objective.Status.DRAFT and objective.owner_employee_id
        is not None and reach.may_approve(objective),
        "children": selectors.objective_visible(user=actor).filter(parent_id=objective.pk).order_by("level", "id"),
    })


# --- key results and check-ins --------------------------------------------------------------------------------


def _key_result_form_page(
    request: HttpRequest, *, objective: Objective, key_result: KeyResult | None
) -> HttpResponse:
    actor = _actor(request)
    services._require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    editing = key_result is not None
    if request.method == "POST":
        form = KeyResultForm(request.POST, editing=editing)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if key_result is None:
                    saved = services.key_result_create(actor=actor, objective=objective, **data)
                else:
                    saved = services.key_result_update(actor=actor, key_result=key_result, changes=data)
            except (ValidationFailed, Conflict) as exc:
                show_errors(form, exc)
            else:
                message = _("Key result “%(title)s” saved.") if key_result else _("Key result “%(title)s” added.")
                messages.success(request, message % {"title": saved.title})
                return redirect("performance:objective_detail", pk=objective.pk)
    elif key_result is not None:
        form = KeyResultForm(initial={f: getattr(key_result, f) for f in (
            "title", "metric", "unit", "direction", "start_value", "target_value", "weight")}, editing=True)
    else:
        form = KeyResultForm(initial={"direction": KeyResult.Direction.INCREASE}, editing=False)
    return render(request, "performance/okr_key_result_form.html", {
        "form": form, "objective": objective, "key_result": key_result,
    })


@staff_view
@require_http_methods(["GET", "POST"])
def key_result_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get(user=_actor(request), pk=pk)
    return _key_result_form_page(request, objective=objective, key_result=None)


@staff_view
@require_http_methods(["GET", "POST"])
def key_result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    key_result = selectors.key_result_get(user=_actor(request), pk=pk)
    return _key_result_form_page(request, objective=key_result.objective, key_result=key_result)


@staff_view
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """A key result's progress and check-in history, and the form that records a new value."""
    actor = _actor(request)
    key_result = selectors.key_result_get(user=actor, pk=pk)
    objective = key_result.objective
    writable = (Reach.of(actor).may_write(objective) and objective.status != Objective.Status.CLOSED
                and objective.cycle.phase != PerformanceCycle.Phase.CLOSED)
    form = CheckInForm(request.POST or None, initial={"value": key_result.current_value})
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_add(actor=actor, key_result=key_result, **form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Check-in recorded: “%(title)s” is now at %(value)s (score %(score)s).")
                             % {"title": key_result.title, "value": services._number(key_result.current_value),
                                "score": services._number(Decimal(str(key_result.score())))})
            return redirect("performance:check_in", pk=key_result.pk)
    return render(request, "performance/okr_check_in.html", {
        "key_result": key_result, "objective": objective, "form": form, "may_check_in": writable,
        "check_ins": selectors.check_in_list(user=actor, key_result=key_result.pk)[:100],
    })


# --- OKRs drafted from the interview --------------------------------------------------------------------------


def _drafts(actor: User, reach: Reach) -> QuerySet[Objective]:
    """Drafted-from-interview objectives the person may approve: HR all, a manager their team's."""
    drafted = KeyResult.objects.filter(source__isnull=False).values("objective_id")
    qs = _objectives(actor).filter(status=Objective.Status.DRAFT, pk__in=drafted)
    if not reach.is_hr:
        qs = qs.filter(owner_employee_id__in=team_ids_sql(reach.me.pk)) if reach.me is not None else qs.none()
    return qs.order_by("cycle", "owner_employee__name", "id")


def _draft_form(actor: User, reach: Reach, data: Any = None) -> DraftRequestForm:
    cycles = selectors.cycle_visible(user=actor).exclude(phase=PerformanceCycle.Phase.CLOSED).order_by("-start")
    if reach.is_hr:
        employees = Employee.objects.all()
    elif reach.me is not None:
        employees = Employee.objects.filter(pk__in=team_ids_sql(reach.me.pk)).order_by("name", "pk")
    else:
        employees = Employee.objects.none()
    return DraftRequestForm(data, cycles=cycles, employees=employees, by_number=reach.is_hr)


@staff_view
@require_http_methods(["GET", "POST"])
def draft_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, MANAGERS_AND_HR)
    reach = Reach.of(actor)
    form = _draft_form(actor, reach, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        employee = form.cleaned_data["employee"]
        try:
            draft = drafting.okr_draft(actor=actor, employee=employee, cycle=form.cleaned_data["cycle"])
        except (ValidationFailed, Conflict) as exc:
            show_errors(form, exc)
        else:
            kr_count = sum(len(o.key_results.all()) for o in draft.objectives)
            messages.success(request, ngettext(
                "%(n)d key result drafted for %(name)s from the interview; review and approve it below.",
                "%(n)d key results drafted for %(name)s from the interview; review and approve them below.", kr_count,
            ) % {"n": kr_count, "name": employee.name})
            for skipped in draft.skipped:
                messages.warning(request, skipped.reason)
            return redirect("performance:draft_list")
    page_obj = Paginator(_drafts(actor, reach), DRAFT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/okr_drafts.html", {
        "page_obj": page_obj, "rows": _rows(page_obj), "form": form,
    })


@staff_view
@require_POST
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    objective = selectors.objective_get(user=actor, pk=pk)
    try:
        drafting.okr_draft_approve(actor=actor, objective=objective)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, readable(exc))
    else:
        messages.success(request, _("“%(title)s” for %(name)s approved: it is in progress now.") % {
            "title": objective.title, "name": objective.owner_employee.name if objective.owner_employee else ""})
    if request.POST.get("next") == "objective":
        return redirect("performance:objective_detail", pk=objective.pk)
    return redirect("performance:draft_list")


staff_urls: list[URLPattern] = [
    path("", home, name="home"),
    path("cycles/", cycle_list, name="cycle_list"),
    path("cycles/new/", cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/edit/", cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/phase/", cycle_set_phase, name="cycle_set_phase"),
    path("cycles/<int:pk>/deadlines/", cycle_set_deadlines, name="cycle_set_deadlines"),
    path("cycles/<int:pk>/draft-okrs/", cycle_draft_okrs, name="cycle_draft_okrs"),
    path("cycles/<int:pk>/objectives/new/", objective_create, name="objective_create"),
    path("objectives/<int:pk>/", objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/key-results/new/", key_result_create, name="key_result_create"),
    path("objectives/<int:pk>/approve/", draft_approve, name="draft_approve"),
    path("key-results/<int:pk>/", check_in, name="check_in"),
    path("key-results/<int:pk>/edit/", key_result_edit, name="key_result_edit"),
    path("drafts/", draft_list, name="draft_list"),
    *okr_rules.staff_urls,
]
