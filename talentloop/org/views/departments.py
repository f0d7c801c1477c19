"""Department pages: the tree with head-counts for everyone on staff; create and edit for HR."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.selectors import department_tree_with_totals
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors, services
from ..forms.departments import DepartmentForm
from ..models import Department

FORM_TEMPLATE = "org/department_form.html"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@staff_view
def department_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    tree = department_tree_with_totals(user=user)
    return render(request, "org/department_list.html", {"tree": tree, "can_edit": has_role(user, HR)})


@staff_view
def department_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, HR)
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {"form": DepartmentForm(), "department": None})
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            department = services.department_create(actor=user, **form.service_data())
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors)
        else:
            messages.success(
                request, _("Department %(name)s was created.") % {"name": department.display_name}
            )
            return redirect("org:department_list")
    return render(request, FORM_TEMPLATE, {"form": form, "department": None}, status=400)


@staff_view
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require_role(user, HR)
    department: Department | None = selectors.department_list(user=user).filter(pk=pk).first()
    if department is None:
        raise NotFound(_("No such department."))
    if request.method != "POST":
        form = DepartmentForm(initial=DepartmentForm.initial_for(department))
        return render(request, FORM_TEMPLATE, {"form": form, "department": department})
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_update(actor=user, department=department, changes=form.service_data())
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors)
        else:
            messages.success(request, _("Department %(name)s was saved.") % {"name": department.display_name})
            return redirect("org:department_list")
    return render(request, FORM_TEMPLATE, {"form": form, "department": department}, status=400)
