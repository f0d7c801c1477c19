"""The candidate's interview pages under /interview/ (namespace "interview"): no login, the secret token in the
URL is the only key. Pages speak the interview's language.

landing (consent) → one page per question → final confirmation → done. Every page works without JavaScript
(plain form posts); with candidate.js the question page shows a countdown, autosaves the draft every few
seconds and on blur (draft view, JSON) and mirrors it to localStorage so nothing typed is lost offline. The
server decides about time (services.rules).

Voice and video (issue #5): the consent page asks for each offered recorded modality separately (sensitive
personal information: its own unticked box, its own wording). The question page offers a mode switch for the
modalities both offered and consented; recorder.js records in the browser and talks to the candidate REST API
(resumable uploads, then the answer). Without JavaScript a recording can still be sent as a file with the form.
Typing is always available."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.errors import Conflict, DomainError, NotFound, ValidationFailed

from ..models import InterviewSession
from ..selectors.sessions import CandidateState, candidate_state
from ..services import answers as answer_services
from ..services import media as media_services
from ..services import sessions as session_services
from ..services.rules import (
    RECORDED,
    AnswerAlreadySubmitted,
    ConsentMissing,
    InterviewClosed,
    InterviewCompleted,
    InterviewExpired,
    Status,
    closed_message,
    completed_message,
    consented_modalities,
    expired_message,
    language_warning,
    max_answer_chars,
    max_media_seconds,
    modality_consent_text,
    offered_modalities,
)

CandidateView = Callable[..., HttpResponse]


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"company": settings.TALENTLOOP_COMPANY_NAME, **context}
    return render(request, f"interviews/candidate/{template}", context, status=status)


def _closed(request: HttpRequest, session: InterviewSession | None, message: str, status: int,
            kind: str = "closed") -> HttpResponse:
    return _page(request, "closed.html", {"session": session, "message": message, "kind": kind}, status=status)


def _language(token: str) -> str | None:
    return InterviewSession.objects.filter(token=str(token)[:64]).values_list("language", flat=True).first()


def _candidate(view: CandidateView) -> CandidateView:
    """The interview's language; unknown links → 404 page; expired, cancelled or completed ones → a page that
    says why (with the right status)."""

    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(_language(token) or translation.get_language()):
            try:
                return view(request, token, *args, **kwargs)
            except NotFound as exc:
                return _closed(request, None, str(exc.message), 404, kind="missing")
            except InterviewCompleted:
                return redirect("interview:done", token=token)
            except InterviewExpired as exc:
                return _closed(request, None, str(exc.message), 410, kind="expired")
            except InterviewClosed as exc:
                return _closed(request, None, str(exc.message), 410)
            except DomainError as exc:  # anything else a service refuses: said, never a 500
                return _closed(request, None, str(exc.message), exc.status_code)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _where(state: CandidateState, token: str) -> HttpResponse:
    """Where a consented candidate goes next: the current question, or the final confirmation."""
    if state.current_position is not None:
        return redirect("interview:question", token=token, position=state.current_position)
    return redirect("interview:finish", token=token)


def _state_page(request: HttpRequest, session: InterviewSession, state: CandidateState) -> HttpResponse | None:
    """The page for a session the candidate can no longer act on, or None."""
    if session.status == Status.COMPLETED:
        return redirect("interview:done", token=session.token)
    if session.status == Status.HUMAN_REVIEW:
        return _closed(request, session, closed_message(session), 200, kind="human")
    if session.status == Status.CANCELLED:
        return _closed(request, session, closed_message(session), 410)
    if state.expired:
        return _closed(request, session, expired_message(session), 410, kind="expired")
    return None


@_candidate
@require_GET
def landing(request: HttpRequest, token: str) -> HttpResponse:
    session = session_services.interview_open(token=token)
    state = candidate_state(session=session)
    closed = _state_page(request, session, state)
    if closed is not None:
        return closed
    if session.status != Status.INVITED:
        return _where(state, token)
    return _page(request, "consent.html", _consent_context(session, state))


def _recorded_offered(session: InterviewSession) -> list[str]:
    offered = set(offered_modalities(session))
    return [m for m in RECORDED if m in offered]


def _modality_consents(session: InterviewSession, ticked: set[str]) -> list[dict[str, Any]]:
    """One separate, unticked (unless the candidate ticked it before an error) box per offered recorded modality,
    with the wording that is stored with the consent."""
    labels = {"audio": _("I agree to the analysis of my voice"), "video": _("I agree to the analysis of my video")}
    headings = {"audio": _("Voice answers"), "video": _("Video answers")}
    return [
        {"code": m, "label": labels[m], "heading": headings[m], "checked": m in ticked,
         "text": modality_consent_text(m, session.language)}
        for m in _recorded_offered(session)
    ]


def _consent_context(session: InterviewSession, state: CandidateState, ticked: set[str] | None = None,
                     **extra: Any) -> dict[str, Any]:
    minutes = max(1, round(sum(q.time_limit_seconds for q in state.questions) / 60))
    return {
        "session": session, "state": state, "job": session.application.job, "minutes": minutes,
        "question_count": len(state.questions), "error": "", "reason": "",
        "modality_consents": _modality_consents(session, ticked or set()), **extra,
    }


@_candidate
@require_POST
def consent(request: HttpRequest, token: str) -> HttpResponse:
    action = request.POST.get("action", "accept")
    reason = request.POST.get("reason", "")
    # Each recorded modality is agreed to by its own box; a box for a modality not offered is ignored.
    ticked = {m for m in RECORDED if request.POST.get(f"consent_{m}") == "yes"}
    try:
        if action == "human":
            session_services.interview_consent(token=token, accept=False, human_review=True, reason=reason)
            return redirect("interview:landing", token=token)
        if request.POST.get("agree") != "yes":
            raise ValidationFailed(_("Tick the box to agree, or ask for a human interviewer instead."))
        session = session_services.interview_open(token=token)
        analyses = ["text", *(m for m in _recorded_offered(session) if m in ticked)]
        session_services.interview_consent(token=token, accept=True, analyses=analyses)
    except (ValidationFailed, Conflict) as exc:
        if isinstance(exc, InterviewCompleted | InterviewExpired | InterviewClosed):
            raise
        session = session_services.interview_open(token=token)
        state = candidate_state(session=session)
        return _page(request, "consent.html", _consent_context(session, state, ticked, error=str(exc.message),
                                                              reason=reason),
                     status=exc.status_code)
    return redirect("interview:landing", token=token)


def answer_modes(session: InterviewSession) -> list[tuple[str, str]]:
    """(code, label) of the ways this candidate may answer: text always (the fallback), then each recorded
    modality the interview offers and the candidate agreed to."""
    consented = set(consented_modalities(session))
    labels = {"text": _("Typing"), "audio": _("Voice"), "video": _("Video")}
    return [("text", labels["text"]), *((m, labels[m]) for m in _recorded_offered(session) if m in consented)]


def _question_context(session: InterviewSession, state: CandidateState, position: int, **extra: Any) -> dict[str, Any]:
    item = state.question(position)
    assert item is not None
    modes = answer_modes(session)
    return {
        "session": session, "state": state, "item": item, "total": len(state.questions),
        "max_chars": max_answer_chars(), "text": item.draft, "error": "", "notice": "",
        "draft_saved_ms": int(item.draft_saved_at.timestamp() * 1000) if item.draft_saved_at else 0,
        "is_last": position == len(state.questions),
        "modes": modes, "recorded_modes": [code for code, _label in modes if code != "text"],
        "allow_rerecord": state.allow_rerecord, "media_max_bytes": state.max_media_bytes,
        "media_max_seconds": max_media_seconds(), "media_chunk_bytes": state.chunk_bytes,
        "api_url": reverse("interview-session", kwargs={"token": session.token}),
        **extra,
    }


@_candidate
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, token: str, position: int) -> HttpResponse:
    session = session_services.interview_open(token=token)
    state = candidate_state(session=session)
    closed = _state_page(request, session, state)
    if closed is not None:
        return closed
    if session.status == Status.INVITED:
        return redirect("interview:landing", token=token)
    item = state.question(position)
    if item is None:
        raise NotFound(_("This interview has no question %(question)s.") % {"question": position})
    if request.method == "POST":
        return _submit(request, token, position)
    if item.answered or item.closed:
        return _page(request, "question_done.html", {"session": session, "state": state, "item": item,
                                                     "total": len(state.questions)})
    if state.current_position is not None and position > state.current_position:
        return redirect("interview:question", token=token, position=state.current_position)
    answer_services.question_show(token=token, position=position)
    session.refresh_from_db()
    state = candidate_state(session=session)
    return _page(request, "question.html", _question_context(
        session, state, position, notice=_notice(request, session),
    ))


def _notice(request: HttpRequest, session: InterviewSession) -> str:
    if request.GET.get("notice") != "language":
        return ""
    return language_warning(session.language)


def _submit(request: HttpRequest, token: str, position: int) -> HttpResponse:
    text = request.POST.get("text", "")
    media = request.FILES.get("media")
    try:
        if isinstance(media, UploadedFile):
            # The no-JavaScript way to answer by voice or video: a recording chosen (or made) by the phone.
            modality = request.POST.get("modality") or None
            result = media_services.answer_media_submit(token=token, question=position, modality=modality,
                                                        file=media)
        else:
            result = answer_services.answer_submit(token=token, question=position, text=text)
    except AnswerAlreadySubmitted:
        return redirect("interview:question", token=token, position=position)
    except DomainError as exc:
        if isinstance(exc, NotFound | InterviewCompleted | InterviewExpired | InterviewClosed):
            raise
        session = session_services.interview_open(token=token)
        state = candidate_state(session=session)
        return _page(request, "question.html", _question_context(session, state, position, text=text,
                                                                 error=str(exc.message)),
                     status=exc.status_code)
    state = candidate_state(session=result.answer.session_question.session)
    response = _where(state, token)
    if result.warning:
        # Said on the next page: the answer is saved and the candidate moves on.
        response["Location"] += "?notice=language"
    return response


@never_cache
@require_POST
def draft(request: HttpRequest, token: str, position: int) -> JsonResponse:
    """Autosave (JSON): {saved_at, remaining_seconds} or {detail} with the error's status."""
    with translation.override(_language(token) or translation.get_language()):
        try:
            answer = answer_services.answer_draft_save(
                token=token, question=position, text=request.POST.get("text", "")
            )
        except DomainError as exc:
            body: dict[str, Any] = {"detail": str(exc.message)}
            if isinstance(exc, InterviewCompleted | InterviewExpired | InterviewClosed | AnswerAlreadySubmitted):
                body["redirect"] = reverse("interview:landing", kwargs={"token": token})
            return JsonResponse(body, status=exc.status_code)
        session = answer.session_question.session
        item = candidate_state(session=session).question(position)
        return JsonResponse({
            "saved_at": timezone.localtime(answer.draft_saved_at).strftime("%H:%M:%S") if answer.draft_saved_at else "",
            "saved_ms": int(answer.draft_saved_at.timestamp() * 1000) if answer.draft_saved_at else 0,
            "remaining_seconds": item.remaining_seconds if item is not None else 0,
        })


@never_cache
@require_GET
def answer_status(request: HttpRequest, token: str, position: int) -> JsonResponse:
    """What became of a recorded answer (JSON), for the recorder to poll while it is analysed:
    {answer_status, answer_modality, status_message, next_url}. A plain read: unlike the candidate API's GET, it
    never starts a question's clock, so waiting for the analysis costs the next question no time."""
    with translation.override(_language(token) or translation.get_language()):
        try:
            session = session_services.interview_open(token=token)
        except DomainError as exc:
            return JsonResponse({"detail": str(exc.message)}, status=exc.status_code)
        state = candidate_state(session=session)
        item = state.question(position)
        if item is None:
            return JsonResponse({"detail": _("This interview has no question %(question)s.") % {"question": position}},
                                status=404)
        if session.status == Status.COMPLETED:
            next_url = reverse("interview:done", kwargs={"token": token})
        elif state.current_position is not None:
            next_url = reverse("interview:question", kwargs={"token": token, "position": state.current_position})
        else:
            next_url = reverse("interview:finish", kwargs={"token": token})
        return JsonResponse({
            "answer_status": item.answer_status, "answer_modality": item.answer_modality,
            "status_message": item.status_message, "next_url": next_url,
        })


@_candidate
@require_http_methods(["GET", "POST"])
def finish(request: HttpRequest, token: str) -> HttpResponse:
    session = session_services.interview_open(token=token)
    state = candidate_state(session=session)
    closed = _state_page(request, session, state)
    if closed is not None:
        return closed
    if session.status == Status.INVITED:
        return redirect("interview:landing", token=token)
    error, status = "", 200
    if request.method == "POST":
        try:
            session_services.interview_complete(token=token)
        except (ValidationFailed, ConsentMissing) as exc:
            error, status = str(exc.message), exc.status_code
        else:
            return redirect("interview:done", token=token)
    return _page(request, "finish.html", {
        "session": session, "state": state, "unanswered": state.unanswered, "error": error,
        "notice": _notice(request, session),
    }, status=status)


@_candidate
@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    session = session_services.interview_open(token=token)
    if session.status != Status.COMPLETED:
        return redirect("interview:landing", token=token)
    state = candidate_state(session=session)
    return _page(request, "done.html", {"session": session, "state": state, "message": completed_message()})


staff_urls: list[URLPattern | URLResolver] = []
public_urls: list[URLPattern | URLResolver] = [
    path("<str:token>/", landing, name="landing"),
    path("<str:token>/consent/", consent, name="consent"),
    path("<str:token>/q/<int:position>/", question, name="question"),
    path("<str:token>/q/<int:position>/draft/", draft, name="draft"),
    path("<str:token>/q/<int:position>/status/", answer_status, name="answer_status"),
    path("<str:token>/finish/", finish, name="finish"),
    path("<str:token>/done/", done, name="done"),
]
