"""Interview vendor pages under /interviews/providers/ (HR admins set vendors up; recruiters read): the list, the
create/edit form with its mapping rows (vendor dimension → competency → scale maximum), a provider's page with its
webhook URL, a signed example request and its recent deliveries; and the form on the application page that links
the next interview round to a vendor (templates/interviews/providers/link_form.html)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR, HR_AND_RECRUITING, has_role, require_role
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Competency
from talentloop.recruiting.selectors import application_get

from ..models import InterviewProvider
from ..selectors import providers as selectors
from ..services import providers as services

BLANK_ROWS = 3
SECRET_KEY = "interviews:provider-secret:%s"  # the session key holding a new secret until it is shown once


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class ProviderForm(forms.Form):
    slug = forms.CharField(
        label=gettext_lazy("Slug"), max_length=40, required=False,
        help_text=gettext_lazy("Lowercase letters, digits, - and _. It is part of the webhook URL and cannot be "
                               "changed later."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    secret = forms.CharField(
        label=gettext_lazy("Webhook secret"), max_length=500, required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Leave empty to have one generated. It is shown once, after saving."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active (accepts the vendor's results)"), required=False, initial=True
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]
            self.fields["secret"].label = gettext_lazy("New webhook secret")
            self.fields["secret"].help_text = gettext_lazy("Leave empty to keep the current one.")


class MappingRowForm(forms.Form):
    dimension = forms.CharField(label=gettext_lazy("Vendor dimension"), max_length=200, required=False)
    competency = forms.ChoiceField(label=gettext_lazy("Competency"), required=False)
    max = forms.FloatField(
        label=gettext_lazy("Scale maximum"), required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["competency"]).choices = [("", "—"), *(choices or [])]


if TYPE_CHECKING:
    _MappingFormSet = forms.BaseFormSet[MappingRowForm]
else:  # Django's classes take no type parameters at run time
    _MappingFormSet = forms.BaseFormSet


class MappingFormSet(_MappingFormSet):
    """The mapping's rows plus a few blank ones; rows left blank are dropped, so rows are added by filling one."""

    form = MappingRowForm
    extra = BLANK_ROWS
    max_num = 50
    absolute_max = 60
    min_num = 0
    can_delete = False
    can_order = False
    validate_min = False
    validate_max = True
    renderer = None

    def rows(self) -> list[dict[str, Any]]:
        found = []
        for form in self.forms:
            data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
            if not (data.get("dimension") or "").strip() and not data.get("competency") and data.get("max") is None:
                continue
            found.append({"dimension": data.get("dimension") or "", "competency": data.get("competency") or "",
                          "max": data.get("max")})
        return found


def _competency_choices(provider: InterviewProvider | None) -> list[tuple[str, str]]:
    mapped = [str(row.get("competency")) for row in (provider.mapping if provider else []) or []]
    rows = Competency.objects.filter(Q(is_active=True) | Q(code__in=mapped)).order_by("code")
    return [(c.code, f"{c.display_name} ({c.code})") for c in rows]


def _formset(data: Any, provider: InterviewProvider | None) -> MappingFormSet:
    choices = _competency_choices(provider)
    initial = [
        {"dimension": row.get("dimension", ""), "competency": row.get("competency", ""), "max": row.get("max")}
        for row in (provider.mapping if provider else []) or []
    ]
    # Bound, every row is read as posted: with `initial` an unchanged row would count as empty and be dropped.
    return MappingFormSet(data, initial=None if data is not None else initial or None,
                          form_kwargs={"choices": choices}, prefix="mapping")


@staff_view
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "interviews/providers/list.html", {
        "providers": list(selectors.provider_list(actor=actor)), "can_edit": has_role(actor, HR),
    })


def _form_page(request: HttpRequest, provider: InterviewProvider | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    editing = provider is not None
    mapping_errors: list[str] = []
    if request.method == "POST":
        form = ProviderForm(request.POST, editing=editing)
        formset = _formset(request.POST, provider)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                if provider is None:
                    saved = services.provider_create(
                        actor=actor, slug=data["slug"], name=data["name"], secret=data["secret"] or None,
                        mapping=formset.rows(), is_active=data["is_active"],
                    )
                else:
                    saved = services.provider_update(actor=actor, provider=provider, changes={
                        "name": data["name"], "mapping": formset.rows(), "is_active": data["is_active"],
                        "secret": data["secret"],
                    })
            except ValidationFailed as exc:
                errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
                mapping_errors = errors.pop("mapping", [])
                apply_domain_errors(form, errors)
                if exc.message and not exc.errors:
                    form.add_error(None, str(exc.message))
            else:
                if provider is None or data["secret"]:
                    request.session[SECRET_KEY % saved.slug] = saved.secret
                message = _("Provider %(name)s created.") if provider is None else _("Provider %(name)s saved.")
                messages.success(request, message % {"name": saved.name})
                return redirect("interviews:provider_detail", slug=saved.slug)
        status = 400
    else:
        status = 200
        initial = {"name": provider.name, "is_active": provider.is_active} if provider else {"is_active": True}
        form = ProviderForm(initial=initial, editing=editing)
        formset = _formset(None, provider)
    return render(request, "interviews/providers/form.html", {
        "form": form, "formset": formset, "provider": provider, "mapping_errors": mapping_errors,
    }, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_role(_actor(request), HR)
    return _form_page(request, selectors.provider_get(actor=_actor(request), slug=slug))


@staff_view
@require_GET
def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor(request)
    provider = selectors.provider_get(actor=actor, slug=slug)
    can_edit = has_role(actor, HR)
    # A new secret is shown once, to the HR admin who made it, then forgotten by the page.
    secret = request.session.pop(SECRET_KEY % provider.slug, "") if can_edit else ""
    codes = [str(row.get("competency")) for row in provider.mapping or []]
    names = {c.code: c.display_name for c in Competency.objects.filter(code__in=codes)}
    interviews = selectors.provider_interviews(provider=provider)
    return render(request, "interviews/providers/detail.html", {
        "provider": provider, "can_edit": can_edit, "secret": secret,
        "webhook_url": selectors.webhook_url(provider),
        "curl": selectors.curl_example(provider, secret=secret, interview=interviews[0].pk if interviews else None),
        "mapping": [{**row, "competency_name": names.get(str(row.get("competency")), row.get("competency"))}
                    for row in provider.mapping or []],
        "events": list(selectors.provider_events(actor=actor, provider=provider)[: selectors.RECENT_EVENTS]),
        "interviews": interviews, "header": services.SIGNATURE_HEADER,
    })


@staff_view
@require_POST
def provider_rotate_secret(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor(request)
    provider = services.provider_secret_rotate(actor=actor, provider=selectors.provider_get(actor=actor, slug=slug))
    request.session[SECRET_KEY % provider.slug] = provider.secret
    messages.success(request, _("A new secret was made; the old one no longer works. Give the new one to the "
                                "vendor."))
    return redirect("interviews:provider_detail", slug=provider.slug)


@staff_view
@require_POST
def provider_delete(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor(request)
    provider = selectors.provider_get(actor=actor, slug=slug)
    try:
        services.provider_delete(actor=actor, provider=provider)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect("interviews:provider_detail", slug=provider.slug)
    messages.success(request, _("Provider %(name)s deleted.") % {"name": provider.name})
    return redirect("interviews:provider_list")


@staff_view
@require_POST
def provider_link(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application page's "run the next round with a vendor" form."""
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    application = application_get(user=actor, pk=application_id)
    try:
        session = services.provider_interview_create(
            actor=actor, application=application, provider=request.POST.get("provider", ""),
        )
    except (ValidationFailed, Conflict) as exc:
        text = str(exc.message) if exc.message else " ".join(str(m) for v in exc.errors.values() for m in v)
        messages.error(request, text)
    else:
        assert session.provider is not None
        messages.success(request, _("Interview round %(round)d is run by %(provider)s. Give the vendor the interview "
                                    "id %(id)d; its result arrives through the webhook.")
                         % {"round": session.round, "provider": session.provider.name, "id": session.pk})
    return redirect(f"{reverse('recruiting:application_detail', args=[application.pk])}#ai-interviews")


staff_urls: list[URLPattern | URLResolver] = [
    path("providers/", provider_list, name="provider_list"),
    path("providers/new/", provider_create, name="provider_create"),
    path("providers/<slug:slug>/", provider_detail, name="provider_detail"),
    path("providers/<slug:slug>/edit/", provider_edit, name="provider_edit"),
    path("providers/<slug:slug>/rotate-secret/", provider_rotate_secret, name="provider_rotate_secret"),
    path("providers/<slug:slug>/delete/", provider_delete, name="provider_delete"),
    path("applications/<int:application_id>/provider-interview/", provider_link, name="provider_link"),
]
