"""The candidate's interview over REST: no login, the secret token in the path is the only key, and it opens
this one interview and nothing else. Never a key point, a reference answer or a score.

`GET /interview-sessions/{token}/`, `POST .../consent/`, `POST .../answers/` (draft, typed answer, or a recording as
multipart or a finished upload), `POST .../complete/`. (`GET .../feedback/` is in reports.py; the resumable
recording uploads in media.py.)"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.errors import ValidationFailed

from ..models import InterviewAnswer
from ..selectors.sessions import CandidateState, candidate_state
from ..services import answers as answer_services
from ..services import media as media_services
from ..services import sessions as session_services
from ..services.rules import MAX_REASON, RECORDED, Status, check_open, max_media_bytes, status_message

# --- Shapes --------------------------------------------------------------------------------------------------


class CandidateQuestionSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    id = serializers.IntegerField(help_text="The bank question's id; answers may name a question by it or by position.")
    text = serializers.CharField(
        allow_null=True, help_text="Null for a question after the current one: the interview shows one at a time."
    )
    time_limit_seconds = serializers.IntegerField()
    remaining_seconds = serializers.IntegerField(
        help_text="Seconds left on the question's clock, which runs from when it was first shown (the whole limit "
        "before that); 0 once answered or out of time."
    )
    shown = serializers.BooleanField()
    answered = serializers.BooleanField()
    draft = serializers.CharField(allow_blank=True, help_text="The last autosaved (or submitted) text.")
    is_late = serializers.BooleanField()
    closed = serializers.BooleanField(
        help_text="Out of time with late answers refused: the question can no longer be answered."
    )
    answer_status = serializers.CharField(
        allow_null=True, help_text="null (no answer yet), draft, submitted, processing (a recording being "
        "analysed), scored, no_speech, unreadable, too_long (a recording that could not be used: the question is "
        "open again, record again or type) or failed."
    )
    answer_modality = serializers.CharField(allow_null=True, help_text="text, audio or video; null before an answer.")
    status_message = serializers.CharField(
        allow_blank=True, help_text="A sentence for the candidate about the answer (e.g. no speech was detected), "
        "in the interview's language, or empty."
    )


class CandidateSessionSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(
        help_text="invited, consented, in_progress, completed, human_review (a human interviewer was asked for "
        "instead) or cancelled."
    )
    language = serializers.CharField(help_text="zh-hans or en")
    job = serializers.CharField()
    expires_at = serializers.DateTimeField()
    accept_late_answers = serializers.BooleanField()
    consent_version = serializers.CharField(allow_blank=True)
    consent_text = serializers.CharField(help_text="What is analysed, how the result is used, the candidate's "
                                         "rights and data retention, in the interview's language.")
    consented_at = serializers.DateTimeField(allow_null=True)
    current_position = serializers.IntegerField(
        allow_null=True, help_text="The first question neither answered nor out of time; null when all are done."
    )
    questions = CandidateQuestionSerializer(many=True)
    modalities = serializers.ListField(
        child=serializers.CharField(), help_text='How this interview may be answered: "text" always, and "audio" '
        '(voice) and "video" when offered.'
    )
    consented_modalities = serializers.ListField(
        child=serializers.CharField(), help_text="What the candidate agreed to (empty before consent); a recorded "
        "modality is usable only when offered and agreed to."
    )
    modality_consent = serializers.DictField(
        child=serializers.CharField(), help_text='The separate consent wording of each recorded modality offered: '
        '{"audio": "...", "video": "..."}.'
    )
    allow_rerecord = serializers.BooleanField(help_text="Whether the candidate may record again before submitting.")
    max_media_bytes = serializers.IntegerField(help_text="The largest recording accepted.")
    chunk_bytes = serializers.IntegerField(help_text="The chunk size for resumable uploads.")


class ConsentRequestSerializer(serializers.Serializer[Any]):
    text = serializers.BooleanField(
        required=False, help_text="Agree to the interview (the analysis of the text of the answers). With "
        "`audio` and `video`: the per-modality form."
    )
    audio = serializers.BooleanField(
        required=False, default=False, help_text="Agree to voice analysis (ignored when voice is not offered)."
    )
    video = serializers.BooleanField(
        required=False, default=False, help_text="Agree to video analysis (ignored when video is not offered)."
    )
    accept = serializers.BooleanField(required=False, help_text='The older form: `{"accept": true, "analyses": '
                                      '["text", "audio"]}`.')
    analyses = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list,
                                     max_length=10, help_text='With accept: what the candidate agrees to, of '
                                     '"text", "audio", "video".')
    human_review = serializers.BooleanField(
        required=False, default=False, help_text="With accept false: ask for a human interviewer instead."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=MAX_REASON)


class AnswerRequestSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=60, help_text="The question's position (1..n) or bank id.")
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, required=False)
    draft = serializers.BooleanField(required=False, default=False, help_text="True: autosave, not a submission.")
    upload = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="Submit a finished resumable upload (uploads/) as the answer, instead of text.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "text" not in attrs and attrs.get("upload") is None:
            raise serializers.ValidationError({"text": [serializers.Field.default_error_messages["required"]]})
        return attrs


class MediaAnswerRequestSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=60, help_text="The question's position (1..n) or bank id.")
    media = serializers.FileField(
        allow_empty_file=True, help_text="The recording (WebM/Opus, Ogg, MP4/AAC, WAV or MP3); its bytes decide "
        "what it is, not its name."
    )
    modality = serializers.ChoiceField(
        choices=list(RECORDED), required=False, allow_blank=True, default="",
        help_text="audio or video (default: from the file's declared type).",
    )


class AnswerResultSerializer(serializers.Serializer[Any]):
    question = serializers.IntegerField(help_text="The question's position.")
    status = serializers.CharField(help_text="draft (autosaved) or submitted; for a recording processing, scored, "
                                   "no_speech, unreadable, too_long or failed.")
    modality = serializers.CharField(help_text="text, audio or video")
    status_message = serializers.CharField(
        allow_blank=True, help_text="A sentence for the candidate about a recording (being analysed, no speech, "
        "unreadable, too long), or empty."
    )
    draft = serializers.BooleanField()
    is_late = serializers.BooleanField()
    saved_at = serializers.DateTimeField()
    remaining_seconds = serializers.IntegerField()
    warning = serializers.CharField(allow_null=True, help_text="E.g. the answer seems to be in another language.")
    next_position = serializers.IntegerField(allow_null=True)


def state_data(state: CandidateState) -> dict[str, Any]:
    session = state.session
    return CandidateSessionSerializer({
        "status": state.status, "language": state.language, "job": session.application.job.title,
        "expires_at": state.expires_at, "accept_late_answers": state.accept_late_answers,
        "consent_version": state.consent_version, "consent_text": state.consent_text,
        "consented_at": session.consented_at, "current_position": state.current_position,
        "questions": [
            {"position": q.position, "id": q.id, "text": q.text, "time_limit_seconds": q.time_limit_seconds,
             "remaining_seconds": q.remaining_seconds, "shown": q.shown, "answered": q.answered,
             "draft": q.draft, "is_late": q.is_late, "closed": q.closed, "answer_status": q.answer_status,
             "answer_modality": q.answer_modality, "status_message": q.status_message}
            for q in state.questions
        ],
        "modalities": state.offered_modalities, "consented_modalities": state.consented_modalities,
        "modality_consent": state.modality_consent, "allow_rerecord": state.allow_rerecord,
        "max_media_bytes": state.max_media_bytes, "chunk_bytes": state.chunk_bytes,
    }).data


# --- Views ---------------------------------------------------------------------------------------------------

ERRORS = {
    404: OpenApiResponse(description="Unknown link: `detail` is “This interview link is not valid.”"),
    409: OpenApiResponse(description="Expired, cancelled or completed interview, consent missing, answer already "
                         "submitted, or time up with late answers refused; `detail` says which."),
}


class _CandidateView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method != "GET":
            # An unknown link is a 404 whatever the body says.
            session_services.interview_open(token=str(kwargs.get("token", "")))


class CandidateSessionView(_CandidateView):
    @extend_schema(
        responses={200: CandidateSessionSerializer, **ERRORS},
        description="The interview as the candidate sees it. After consent, fetching it counts as showing the "
        "current question: its clock starts (once; reloading never restarts it). A completed interview is shown "
        "with status `completed`; an expired or cancelled one is a 409.",
    )
    def get(self, request: Request, token: str) -> Response:
        session = answer_services.interview_resume(token=token)
        now = timezone.now()
        if session.status not in (Status.COMPLETED, Status.HUMAN_REVIEW):
            check_open(session, now, need_consent=False)  # expired or cancelled: a 409 that says why
        return Response(state_data(candidate_state(session=session, now=now)))


class CandidateConsentView(_CandidateView):
    @extend_schema(
        request=ConsentRequestSerializer,
        responses={
            200: CandidateSessionSerializer,
            400: OpenApiResponse(description="Text not agreed to (and no human interviewer asked for), or an unknown "
                                 "analysis; `detail` says which."),
            **ERRORS,
        },
        description='`{"text": true, "audio": true, "video": false}` agrees to the interview (the analysis of the '
        "answers' text) and, separately, to voice and to video analysis (sensitive personal information: each is "
        "its own explicit consent, recorded with the time and the wording shown in `modality_consent`; a modality "
        "the interview does not offer is ignored). Sending it again before the interview is over changes the "
        'voice/video choices. The older `{"accept": true, "analyses": ["text", "audio"]}` works too. '
        '`{"text": false, "human_review": true, "reason": "..."}` (or `"accept": false`) asks for a human '
        "interviewer instead: the interview closes and HR sees the request.",
    )
    def post(self, request: Request, token: str) -> Response:
        body = ConsentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "text" in data:
            accept = bool(data["text"])
            analyses = ["text", *(m for m in RECORDED if data.get(m))] if accept else []
        elif "accept" in data:
            accept, analyses = bool(data["accept"]), list(data["analyses"])
        else:
            raise ValidationFailed(_('Say what you agree to: {"text": true, "audio": true or false, "video": true or '
                                     'false}.'), field="text")
        session = session_services.interview_consent(
            token=token, accept=accept, analyses=analyses, human_review=data["human_review"], reason=data["reason"],
        )
        return Response(state_data(candidate_state(session=session)))


# A multipart body carries the recording plus a few form fields and boundaries.
MULTIPART_OVERHEAD = 64 * 1024


class CandidateAnswerView(_CandidateView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"application/json": AnswerRequestSerializer, "multipart/form-data": MediaAnswerRequestSerializer},
        responses={
            200: AnswerResultSerializer, 201: AnswerResultSerializer, 202: AnswerResultSerializer,
            400: OpenApiResponse(description="Empty answer, text over the limit, an empty (0-byte) recording, or a "
                                 "modality the interview does not offer; `detail` says which."),
            403: OpenApiResponse(description="A recording of a modality the candidate did not agree to, e.g. “You did "
                                 "not agree to voice analysis, so voice answers are not accepted. You can type your "
                                 "answer.”"),
            413: OpenApiResponse(description="The recording is over the size limit (`max_media_bytes`)."),
            415: OpenApiResponse(description="The file is not a voice or video recording, whatever its name says."),
            **ERRORS,
        },
        description="`draft: true` autosaves the text (200; allowed until the answer is submitted). Otherwise the "
        "answer is submitted (201) and scored right away: empty text or text over the length limit is a 400 "
        "and the saved draft is kept; an answer after the time limit is accepted and marked late, or refused "
        "with a 409 (the text kept as the draft) when the interview refuses late answers.\n\n"
        "A recording (voice or video) is sent as multipart/form-data with `question` and `media` (and `modality`), "
        'or as JSON `{"question", "upload"}` naming a finished resumable upload. It is accepted with 202 and '
        "status `processing` while it is analysed (transcribed, then scored like a typed answer); without a broker "
        "the analysis has already run and the status is final: `scored`, or `no_speech` / `unreadable` / "
        "`too_long` with a `status_message` — the question is then open again, to record again or to type.",
    )
    def post(self, request: Request, token: str) -> Response:
        if request.content_type.startswith("multipart/"):
            # Refused before the body is read: a recording over the limit is never stored, even temporarily.
            length = request.META.get("CONTENT_LENGTH") or "0"
            if length.isdigit() and int(length) > max_media_bytes() + MULTIPART_OVERHEAD:
                raise media_services.too_large()
        if "media" in request.FILES:
            media = MediaAnswerRequestSerializer(data=request.data)
            media.is_valid(raise_exception=True)
            values = media.validated_data
            submitted = media_services.answer_media_submit(
                token=token, question=values["question"], modality=values["modality"] or None,
                file=values["media"],
            )
            return self._media_result(submitted.answer)
        body = AnswerRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["upload"] is not None and not data["draft"]:
            submitted = media_services.answer_media_submit(
                token=token, question=data["question"], modality=None, upload_id=str(data["upload"]),
            )
            return self._media_result(submitted.answer)
        code: int
        if data["draft"]:
            answer = answer_services.answer_draft_save(token=token, question=data["question"],
                                                       text=data.get("text"))
            warning, code = None, status.HTTP_200_OK
        else:
            result = answer_services.answer_submit(token=token, question=data["question"], text=data.get("text"))
            answer, warning, code = result.answer, result.warning or None, status.HTTP_201_CREATED
        question = answer.session_question
        state = candidate_state(session=question.session)
        item = state.question(question.position)
        return Response(AnswerResultSerializer({
            "question": question.position, "status": "draft" if data["draft"] else "submitted",
            "modality": "text", "status_message": "",
            "draft": data["draft"], "is_late": answer.is_late,
            "saved_at": answer.submitted_at if not data["draft"] else answer.draft_saved_at,
            "remaining_seconds": item.remaining_seconds if item is not None else 0,
            "warning": warning, "next_position": state.current_position,
        }).data, status=code)

    def _media_result(self, answer: InterviewAnswer) -> Response:
        question = answer.session_question
        state = candidate_state(session=question.session)
        item = state.question(question.position)
        return Response(AnswerResultSerializer({
            "question": question.position, "status": answer.status, "modality": answer.modality,
            "status_message": status_message(answer), "draft": False, "is_late": answer.is_late,
            "saved_at": answer.submitted_at, "remaining_seconds": item.remaining_seconds if item is not None else 0,
            "warning": None, "next_position": state.current_position,
        }).data, status=status.HTTP_202_ACCEPTED)


class CandidateCompleteView(_CandidateView):
    @extend_schema(
        request=None, responses={200: CandidateSessionSerializer, **ERRORS},
        description="Hand the interview in (consent needed). Questions without a submitted answer get their saved "
        "draft submitted, or count as unanswered (score 0). The report is built right away.",
    )
    def post(self, request: Request, token: str) -> Response:
        session = session_services.interview_complete(token=token)
        return Response(state_data(candidate_state(session=session)))


urlpatterns: list[URLPattern | URLResolver] = [
    path("interview-sessions/<str:token>/", CandidateSessionView.as_view(), name="interview-session"),
    path("interview-sessions/<str:token>/consent/", CandidateConsentView.as_view(), name="interview-session-consent"),
    path("interview-sessions/<str:token>/answers/", CandidateAnswerView.as_view(), name="interview-session-answers"),
    path("interview-sessions/<str:token>/complete/", CandidateCompleteView.as_view(),
         name="interview-session-complete"),
]


def register(router: BaseRouter) -> None:
    return None
