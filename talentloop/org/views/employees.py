"""Employee pages: the list (filtered, paginated, masked), the profile with its timeline, and the forms."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import User
from talentloop.core.pagination import IdFirstPaginator
from talentloop.core.selectors import audit_rows
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors, services
from ..forms.employees import EmployeeFilterForm, EmployeeForm, EmployeeSelfForm
from ..models import Employee

PAGE_SIZE = 50
FORM_TEMPLATE = "org/employee_form.html"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _visible_employee(user: User, pk: int) -> Employee:
    return selectors.employee_get(user=user, pk=pk)


def _may_edit(user: User, employee: Employee) -> bool:
    """Mirrors services.employee_update: HR edits everyone, an employee their own contact details."""
    return has_role(user, HR) or (employee.user_id is not None and employee.user_id == user.pk)


@staff_view
def employee_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = EmployeeFilterForm(request.GET)
    filters.is_valid()
    options = filters.selector_filters()
    employees = selectors.employee_list(user=user, **options)
    # The paginator counts once and fetches one page; the queryset itself is never evaluated whole.
    page_obj = IdFirstPaginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    manager = None
    if options["manager"] is not None:
        manager = selectors.employee_visible(user=user).filter(pk=options["manager"]).first()
    return render(
        request,
        "org/employee_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "employees": page_obj.object_list,
            "manager_filter": manager,
            "can_create": has_role(user, HR),
        },
    )


@staff_view
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    profile = selectors.employee_profile(user=user, pk=pk)
    employee: Employee = profile["employee"]
    context: dict[str, Any] = {
        **profile,
        "audit_rows": audit_rows(profile["audit"]),
        "can_edit": _may_edit(user, employee),
        "is_hr": has_role(user, HR),
    }
    return render(request, "org/employee_detail.html", context)


@staff_view
def employee_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, HR)
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {"form": EmployeeForm(), "employee": None})
    form = EmployeeForm(request.POST)
    if form.is_valid():
        try:
            employee = services.employee_create(actor=user, data=form.service_data())
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors)
        else:
            messages.success(request, _("The profile of %(name)s was created.") % {"name": employee.name})
            return redirect("org:employee_detail", pk=employee.pk)
    return render(request, FORM_TEMPLATE, {"form": form, "employee": None}, status=400)


@staff_view
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    employee = _visible_employee(user, pk)
    form_class: type[EmployeeForm] | type[EmployeeSelfForm]
    if has_role(user, HR):
        form_class = EmployeeForm
    elif _may_edit(user, employee):
        form_class = EmployeeSelfForm
    else:
        raise PermissionDenied(_("You may not change this employee's record."))
    kwargs: dict[str, Any] = {"employee": employee} if form_class is EmployeeForm else {}
    context: dict[str, Any] = {"employee": employee, "self_service": form_class is EmployeeSelfForm}
    if request.method != "POST":
        form = form_class(initial=form_class.initial_for(employee), **kwargs)
        return render(request, FORM_TEMPLATE, {**context, "form": form})
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            services.employee_update(actor=user, employee=employee, changes=form.service_data())
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors)
        else:
            messages.success(request, _("The profile of %(name)s was saved.") % {"name": employee.name})
            return redirect("org:employee_detail", pk=employee.pk)
    return render(request, FORM_TEMPLATE, {**context, "form": form}, status=400)
