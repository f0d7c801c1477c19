"""HR's interview pages under /interviews/ (namespace "interviews"): inviting an application's candidate to an
AI interview (questions generated for the job or chosen from the bank; the answer modes offered, the job's by
default) and cancelling an unfinished one. The application page lists its interviews
(templates/interviews/sessions/application_interviews.html)."""

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

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.forms.jobs import ModeCheckboxes, modality_choices, with_text
from talentloop.org.models import JobCompetency
from talentloop.recruiting.models import Application
from talentloop.recruiting.selectors import application_get

from ..models import InterviewQuestion, InterviewSession, QuestionLanguage
from ..selectors.sessions import application_interviews
from ..services.asr import voice_available
from ..services.invitations import candidate_url
from ..services.rules import EXPIRY_DAYS_MAX, EXPIRY_DAYS_MIN, expiry_days_default
from ..services.sessions import interview_cancel, interview_create


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class InviteForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Interview language"), choices=QuestionLanguage.choices)
    mode = forms.ChoiceField(
        label=gettext_lazy("Questions"), widget=forms.RadioSelect, initial="auto",
        choices=[("auto", gettext_lazy("Generate them from the job's competency model, level and description")),
                 ("selected", gettext_lazy("Use the questions I choose below"))],
    )
    questions = forms.MultipleChoiceField(
        label=gettext_lazy("Bank questions (when choosing them yourself)"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )
    expires_in_days = forms.IntegerField(
        label=gettext_lazy("Link valid for (days)"), min_value=EXPIRY_DAYS_MIN, max_value=EXPIRY_DAYS_MAX,
    )
    modalities = forms.MultipleChoiceField(
        label=gettext_lazy("Answer modes offered in this interview"), required=False, choices=modality_choices,
    )

    def __init__(self, *args: Any, application: Application, language: str, voice: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["questions"]).choices = _question_groups(application, language)
        self.fields["expires_in_days"].initial = expiry_days_default()
        self.fields["language"].initial = language
        job_modes = with_text(application.job.interview_modalities or [])
        field = self.fields["modalities"]
        field.widget = ModeCheckboxes(choices=modality_choices(), disabled=() if voice else ("audio", "video"))
        field.initial = job_modes if voice else ["text"]
        field.help_text = _("The job's setting is ticked. The candidate can always type; voice and video each "
                            "need the candidate's separate consent.")

    def clean_modalities(self) -> list[str]:
        return with_text(self.cleaned_data.get("modalities") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "selected" and not data.get("questions"):
            self.add_error("questions", _("Choose at least one question, or let them be generated."))
        return data


def _question_groups(application: Application, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active bank questions of the language grouped by competency, the job's competencies first."""
    model_order = {
        code: i for i, code in enumerate(
            JobCompetency.objects.filter(job_id=application.job_id).order_by("position", "id")
            .values_list("competency__code", flat=True)
        )
    }
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    rows = InterviewQuestion.objects.filter(is_active=True, language=language).select_related("competency")
    for question in rows.order_by("competency__code", "code"):
        code = question.competency.code
        label = question.competency.display_name
        text = question.text if len(question.text) <= 90 else question.text[:89] + "…"
        groups.setdefault(code, (str(label), []))[1].append(
            (str(question.pk), f"#{question.pk} · {question.get_type_display()} · {text}")
        )
    ordered = sorted(groups.items(), key=lambda item: (item[0] not in model_order, model_order.get(item[0], 0),
                                                       item[0]))
    return [(label, choices) for _code, (label, choices) in ordered]


def _language(request: HttpRequest, application: Application) -> str:
    asked = request.POST.get("language") or request.GET.get("language") or application.candidate.language
    return asked if asked in QuestionLanguage.values else settings.LANGUAGE_CODE


@staff_view
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, application_id: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    application = application_get(user=actor, pk=application_id)
    language = _language(request, application)
    voice = voice_available(language)
    form = InviteForm(request.POST or None, application=application, language=language, voice=voice)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            questions: Any = "auto" if data["mode"] == "auto" else [int(v) for v in data["questions"]]
            try:
                session = interview_create(
                    actor=actor, application=application, questions=questions, language=data["language"],
                    expires_in_days=data["expires_in_days"], modalities=data["modalities"],
                )
            except ValidationFailed as exc:
                apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items()})
                if not exc.errors:
                    form.add_error(None, str(exc.message))
            except Conflict as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Interview created and the invitation emailed. You can also copy the "
                                            "link below."))
                return redirect(f"{reverse('interviews:invite', args=[application.pk])}?new={session.pk}")
        status = 400
    sessions = list(application_interviews(user=actor, application=application))
    new_id = request.GET.get("new", "")
    new = next((s for s in sessions if str(s.pk) == new_id), None)
    return render(request, "interviews/sessions/invite.html", {
        "application": application, "candidate": application.candidate, "job": application.job, "form": form,
        "language": language, "sessions": sessions, "new": new,
        "new_url": candidate_url(new) if new is not None else "",
        # The setting's name is for the administrator; the service's refusal names it (asr_setting).
        "voice_unavailable": "" if voice else _(
            "Voice and video answers are not available for interviews in %(language)s: no speech recogniser is "
            "set up for this language (your administrator can set one up). Candidates answer by typing."
        ) % {"language": QuestionLanguage(language).label},
    }, status=status)


@staff_view
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    session = InterviewSession.objects.select_related("application").filter(pk=pk).first()
    if session is None:
        raise NotFound(_("No such interview."))
    application_get(user=actor, pk=session.application_id)
    try:
        interview_cancel(actor=actor, session=session)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Interview round %(round)d cancelled; its link no longer works.")
                         % {"round": session.round})
    return redirect(f"{reverse('recruiting:application_detail', args=[session.application_id])}#ai-interviews")


staff_urls: list[URLPattern | URLResolver] = [
    path("applications/<int:application_id>/invite/", invite, name="invite"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
]
public_urls: list[URLPattern | URLResolver] = []
