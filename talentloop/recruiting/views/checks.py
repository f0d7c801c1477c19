"""Background check pages. Staff (HR and recruiters): request a check on an application, fill in its items,
cancel it. Candidate (no login, the secret link): see what will be checked and give consent."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors
from ..models import Application, BackgroundCheck, BackgroundCheckItem, CheckProvider
from ..services import checks

Kind = BackgroundCheckItem.Kind


class CheckRequestForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=gettext_lazy("What to check"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple,
        initial=[Kind.IDENTITY, Kind.EDUCATION, Kind.EMPLOYMENT],
        help_text=gettext_lazy("Check a criminal record only where the law allows it for this job."),
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Provider"), queryset=CheckProvider.objects.order_by("name"), required=False,
        empty_label=gettext_lazy("None: HR fills in the results"),
    )


class CheckItemForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=BackgroundCheckItem.Status.choices)
    result = forms.CharField(
        label=gettext_lazy("Result"), required=False, max_length=checks.MAX_RESULT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _application(request: HttpRequest, pk: int) -> Application:
    return selectors.application_get_for_recruiter(user=_user(request), pk=pk)


@staff_view
@require_http_methods(["GET", "POST"])
def check_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Request a check on an application (and see the checks it already has)."""
    application = _application(request, pk)
    existing = list(checks.check_list(user=_user(request), application=application.pk))
    form = CheckRequestForm(request.POST if request.method == "POST" else None)
    code = 200
    if request.method == "POST":
        code = 400
        if form.is_valid():
            try:
                check = checks.check_request(
                    actor=_user(request), application=application, items=form.cleaned_data["items"],
                    provider=form.cleaned_data["provider"], site_url=request.build_absolute_uri("/"),
                )
            except ValidationFailed as exc:
                apply_domain_errors(form, exc.errors or {"items": [exc.message]})
            except Conflict as exc:
                form.add_error(None, str(exc.message))
                code = 409
            else:
                messages.success(request, _("The check was requested; the candidate was asked for consent."))
                return redirect("recruiting:check_detail", pk=check.pk)
    context = {"application": application, "form": form, "existing": existing}
    return render(request, "recruiting/check_request.html", context, status=code)


def _detail(
    request: HttpRequest, check: BackgroundCheck, *, forms_by_kind: dict[str, CheckItemForm] | None = None,
    status: int = 200, error: str = "",
) -> HttpResponse:
    item_forms = forms_by_kind or {}
    rows = [
        {"item": item, "form": item_forms.get(item.kind)
         or CheckItemForm(initial={"status": item.status, "result": item.result}, prefix=item.kind)}
        for item in check.items.all()
    ]
    context: dict[str, Any] = {
        "check": check, "application": check.application, "rows": rows, "error": error,
        "consent_url": request.build_absolute_uri(reverse("careers:check_consent", args=[check.consent_token]))
        if check.status == BackgroundCheck.Status.AWAITING_CONSENT else "",
        "can_cancel": check.status in (BackgroundCheck.Status.AWAITING_CONSENT, BackgroundCheck.Status.IN_PROGRESS),
        "can_edit": check.consent_given_at is not None and check.status != BackgroundCheck.Status.CANCELLED,
    }
    return render(request, "recruiting/check_detail.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, checks.check_get(user=_user(request), pk=pk))


@staff_view
@require_POST
def check_item_update(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    check = checks.check_get(user=_user(request), pk=pk)
    if not check.items.filter(kind=kind).exists():
        raise NotFound(_("This check has no such item."))
    form = CheckItemForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            checks.check_item_update(
                actor=_user(request), check=check, kind=kind, status=form.cleaned_data["status"],
                result=form.cleaned_data["result"],
            )
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors or {"result": [exc.message]})
        except Conflict as exc:
            return _detail(request, check, status=409, error=str(exc.message))
        else:
            messages.success(request, _("%(item)s was saved.") % {"item": Kind(kind).label})
            return redirect("recruiting:check_detail", pk=check.pk)
    return _detail(request, check, forms_by_kind={kind: form}, status=400)


@staff_view
@require_POST
def check_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    check = checks.check_get(user=_user(request), pk=pk)
    try:
        checks.check_cancel(actor=_user(request), check=check)
    except Conflict as exc:
        return _detail(request, check, status=409, error=str(exc.message))
    messages.success(request, _("The background check was cancelled."))
    return redirect("recruiting:check_detail", pk=check.pk)


# The candidate's page -----------------------------------------------------------------------------------


def candidate_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A page of the candidate's frame (recruiting/candidate/careers_base.html), which names the company."""
    context = {"company": settings.TALENTLOOP_COMPANY_NAME, **context}
    return render(request, f"recruiting/candidate/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
def check_consent(request: HttpRequest, token: str) -> HttpResponse:
    """What will be checked, the consent wording and an "I consent" button; a clear page for a link that is
    unknown, already used or cancelled."""
    try:
        check = checks.check_by_token(token=token)
    except NotFound as exc:
        return candidate_page(request, "check_closed.html", {"message": exc.message}, status=404)
    if request.method == "POST":
        try:
            checks.check_consent(token=token)
        except Conflict as exc:
            return candidate_page(request, "check_closed.html", {"message": exc.message, "check": check}, 409)
        return redirect("careers:check_consent", token=token)
    if check.status == BackgroundCheck.Status.CANCELLED:
        message = _("This background check was cancelled; there is nothing to consent to.")
        return candidate_page(request, "check_closed.html", {"message": message, "check": check})
    if check.consent_given_at is not None:
        return candidate_page(request, "check_done.html", {"check": check})
    context = {
        "check": check, "application": check.application,
        "items": [Kind(item.kind).label for item in check.items.all()],
        "wording": checks.check_consent_text(check=check),
    }
    return candidate_page(request, "check_consent.html", context)


staff_urls: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/checks/new/", check_request, name="check_request"),
    path("checks/<int:pk>/", check_detail, name="check_detail"),
    path("checks/<int:pk>/items/<slug:kind>/", check_item_update, name="check_item_update"),
    path("checks/<int:pk>/cancel/", check_cancel, name="check_cancel"),
]
public_urls: list[URLPattern | URLResolver] = [
    path("check/<str:token>/", check_consent, name="check_consent"),
]
