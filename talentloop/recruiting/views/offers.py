"""Offer and hire pages. Staff: prepare an offer on an application, send it, record the candidate's answer,
withdraw it; HR admins hire (a form with the hire date and an optional employee number). Candidate (no login,
the secret link): read the letter and accept or decline it, with a confirmation step."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from talentloop.core.access import HR, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.forms.employees import DateInput
from talentloop.org.models import Department, Employee, JobLevel

from .. import selectors
from ..models import Application, Offer
from ..services import hire, offers
from .checks import candidate_page


class OfferForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Position title"), max_length=120)
    level = forms.ModelChoiceField(
        label=gettext_lazy("Position level"), queryset=JobLevel.objects.order_by("rank", "code"), required=False
    )
    salary = forms.DecimalField(
        label=gettext_lazy("Monthly salary (CNY, before tax)"), max_digits=14, decimal_places=4,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DateInput)


class SendForm(forms.Form):
    valid_days = forms.IntegerField(
        label=gettext_lazy("Days to answer"), min_value=1, max_value=offers.MAX_VALID_DAYS,
        initial=offers.DEFAULT_VALID_DAYS,
    )


class AnswerForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How did the candidate answer?"), max_length=150, required=False)


class HireForm(forms.Form):
    hire_date = forms.DateField(label=gettext_lazy("Hire date"), widget=DateInput)
    employee_no = forms.CharField(
        label=gettext_lazy("Employee number"), max_length=30, required=False,
        help_text=gettext_lazy("Leave empty to use the next free number (E and six digits)."),
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.order_by("code"), required=False,
        help_text=gettext_lazy("Leave empty for the job's department."),
    )
    manager = forms.ModelChoiceField(
        label=gettext_lazy("Manager"), required=False,
        queryset=Employee.objects.filter(user__role=Role.HIRING_MANAGER).order_by("name"),
        help_text=gettext_lazy("Who the new employee reports to: they approve the OKRs drafted from the interview."),
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _application(request: HttpRequest, pk: int) -> Application:
    return selectors.application_get_for_recruiter(user=_user(request), pk=pk)


@staff_view
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare an offer on an application (and see the offers it already has)."""
    application = _application(request, pk)
    existing = list(offers.offer_list(user=_user(request), application=application.pk))
    initial = {"title": application.job.title, "level": application.job.level_id}
    form = OfferForm(request.POST if request.method == "POST" else None, initial=initial)
    code = 200
    if request.method == "POST":
        code = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                offer = offers.offer_create(
                    actor=_user(request), application=application, title=data["title"], salary=data["salary"],
                    start_date=data["start_date"], level=data["level"],
                )
            except ValidationFailed as exc:
                apply_domain_errors(form, exc.errors or {"__all__": [exc.message]})
            except Conflict as exc:
                form.add_error(None, str(exc.message))
                code = 409
            else:
                messages.success(request, _("The offer was prepared. Read the letter, then send it."))
                return redirect("recruiting:offer_detail", pk=offer.pk)
    context = {"application": application, "form": form, "existing": existing}
    return render(request, "recruiting/offer_form.html", context, status=code)


def _detail(
    request: HttpRequest, offer: Offer, *, status: int = 200, error: str = "", send_form: SendForm | None = None
) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {
        "offer": offer, "application": offer.application, "error": error,
        "may_manage": offers.may_manage_offers(user),
        "may_hire": offer.status == Offer.Status.ACCEPTED and offer.application.employee_id is None
        and hire.may_hire(user),
        "send_form": send_form or SendForm(),
        "answer_form": AnswerForm(),
        "respond_url": request.build_absolute_uri(reverse("careers:offer_respond", args=[offer.token]))
        if offer.status != Offer.Status.DRAFT else "",
        "expired": offers.offer_is_expired(offer),
    }
    return render(request, "recruiting/offer_detail.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, offers.offer_get(user=_user(request), pk=pk))


def _offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("recruiting:offer_detail", pk=pk)
    user = _user(request)
    offer = offers.offer_get(user=user, pk=pk)
    try:
        if action == "send":
            form = SendForm(request.POST)
            if not form.is_valid():
                return _detail(request, offer, status=400, send_form=form)
            offers.offer_send(
                actor=user, offer=offer, valid_days=form.cleaned_data["valid_days"],
                site_url=request.build_absolute_uri("/"),
            )
            done = _("The offer was sent to the candidate.")
        elif action == "withdraw":
            offers.offer_withdraw(actor=user, offer=offer)
            done = _("The offer was withdrawn.")
        else:
            answer = AnswerForm(request.POST)
            note = answer.cleaned_data["note"] if answer.is_valid() else ""
            if action == "accept":
                offers.offer_record_acceptance(actor=user, offer=offer, note=note)
                done = _("The candidate's acceptance was recorded.")
            else:
                offers.offer_record_decline(actor=user, offer=offer, note=note)
                done = _("The candidate's decline was recorded.")
    except Conflict as exc:
        return _detail(request, offers.offer_get(user=user, pk=pk), status=409, error=str(exc.message))
    except ValidationFailed as exc:
        message = exc.message or " ".join(str(m) for ms in exc.errors.values() for m in ms)
        return _detail(request, offers.offer_get(user=user, pk=pk), status=400, error=str(message))
    messages.success(request, done)
    return redirect("recruiting:offer_detail", pk=pk)


@staff_view
def offer_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, "send")


@staff_view
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, "accept")


@staff_view
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, "decline")


@staff_view
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, "withdraw")


@staff_view
@require_http_methods(["GET", "POST"])
def application_hire(request: HttpRequest, pk: int) -> HttpResponse:
    """HR admins hire the candidate of an accepted offer: creates (or links) the employee."""
    user = _user(request)
    require_role(user, HR)
    application = selectors.application_get(user=user, pk=pk)
    offer = offers.accepted_offer(application)
    existing = hire.existing_employee(application)
    initial = {"hire_date": offer.start_date if offer else timezone.localdate()}
    form = HireForm(request.POST if request.method == "POST" else None, initial=initial)
    code = 200
    if request.method == "POST":
        code = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = hire.application_hire(
                    actor=user, application=application, hire_date=data["hire_date"],
                    employee_no=data["employee_no"], department=data["department"], manager=data["manager"],
                )
            except ValidationFailed as exc:
                apply_domain_errors(form, exc.errors or {"__all__": [exc.message]})
            except Conflict as exc:
                form.add_error(None, str(exc.message))
                code = 409
            else:
                employee = result.employee
                if result.created:
                    text = _("%(name)s was hired as employee %(no)s.")
                else:
                    text = _("%(name)s was hired and linked to the existing employee %(no)s.")
                messages.success(request, text % {"name": employee.name, "no": employee.employee_no})
                return redirect("org:employee_detail", pk=employee.pk)
    context = {
        "application": application, "offer": offer, "form": form, "existing": existing,
        "hired": application.employee_id is not None,
    }
    return render(request, "recruiting/hire_form.html", context, status=code)


# The candidate's page -----------------------------------------------------------------------------------


def _closed_message(offer: Offer) -> str:
    """Why the offer can no longer be answered, or "" while it can."""
    try:
        offers.require_answerable(offer, by_candidate=True)
    except Conflict as exc:
        return str(exc.message)
    return ""


@require_http_methods(["GET", "POST"])
def offer_respond(request: HttpRequest, token: str) -> HttpResponse:
    """The letter with accept and decline; choosing one asks for confirmation before it is recorded."""
    try:
        offer = offers.offer_by_token(token=token)
    except NotFound as exc:
        return candidate_page(request, "offer_closed.html", {"message": exc.message}, status=404)
    if offer.status in (Offer.Status.ACCEPTED, Offer.Status.DECLINED):
        return candidate_page(request, "offer_closed.html", {"offer": offer, "answered": True})
    closed = _closed_message(offer)
    if closed:
        return candidate_page(request, "offer_closed.html", {"message": closed, "offer": offer})
    if request.method != "POST":
        return candidate_page(request, "offer_respond.html", {"offer": offer})
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "decline"):
        error = _("Choose whether you accept or decline the offer.")
        return candidate_page(request, "offer_respond.html", {"offer": offer, "error": error}, status=400)
    if request.POST.get("confirm") != "yes":
        return candidate_page(request, "offer_confirm.html", {"offer": offer, "decision": decision})
    try:
        offers.offer_respond(token=token, accept=decision == "accept")
    except Conflict as exc:
        return candidate_page(request, "offer_closed.html", {"message": exc.message, "offer": offer}, status=409)
    return redirect("careers:offer_respond", token=token)


staff_urls: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/offers/new/", offer_create, name="offer_create"),
    path("offers/<int:pk>/", offer_detail, name="offer_detail"),
    path("offers/<int:pk>/send/", offer_send, name="offer_send"),
    path("offers/<int:pk>/accept/", offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", offer_decline, name="offer_decline"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer_withdraw"),
    path("applications/<int:pk>/hire/", application_hire, name="application_hire"),
]
public_urls: list[URLPattern | URLResolver] = [
    path("offer/<str:token>/", offer_respond, name="offer_respond"),
]
