"""The candidate's interview over REST: no login, the secret token in the path is the only key, and it opens
this one interview and nothing else. Never a key point, a reference answer or a score.

`GET /interview-sessions/{token}/`, `POST .../consent/`, `POST .../answers/` (draft or submit),
`POST .../complete/`. (`GET .../feedback/` is in reports.py.)"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from ..selectors.sessions import CandidateState, candidate_state
from ..services import answers as answer_services
from ..services import sessions as session_services
from ..services.rules import MAX_REASON, Status, check_open

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


class ConsentRequestSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()
    analyses = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list,
                                     max_length=10, help_text='What the candidate agrees to: ["text"].')
    human_review = serializers.BooleanField(
        required=False, default=False, help_text="With accept false: ask for a human interviewer instead."
    )
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=MAX_REASON)


class AnswerRequestSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=60, help_text="The question's position (1..n) or bank id.")
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    draft = serializers.BooleanField(required=False, default=False, help_text="True: autosave, not a submission.")


class AnswerResultSerializer(serializers.Serializer[Any]):
    question = serializers.IntegerField(help_text="The question's position.")
    status = serializers.CharField(help_text="draft (autosaved) or submitted.")
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
             "draft": q.draft, "is_late": q.is_late, "closed": q.closed}
            for q in state.questions
        ],
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
        request=ConsentRequestSerializer, responses={200: CandidateSessionSerializer, 400: None, **ERRORS},
        description='`{"accept": true, "analyses": ["text"]}` agrees to the analysis of the typed answers (the '
        'only analysis in this version); `{"accept": false, "human_review": true, "reason": "..."}` asks for a '
        "human interviewer instead: the interview closes and HR sees the request.",
    )
    def post(self, request: Request, token: str) -> Response:
        body = ConsentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        session = session_services.interview_consent(
            token=token, accept=data["accept"], analyses=list(data["analyses"]),
            human_review=data["human_review"], reason=data["reason"],
        )
        return Response(state_data(candidate_state(session=session)))


class CandidateAnswerView(_CandidateView):
    @extend_schema(
        request=AnswerRequestSerializer,
        responses={200: AnswerResultSerializer, 201: AnswerResultSerializer, 400: None, **ERRORS},
        description="`draft: true` autosaves the text (200; allowed until the answer is submitted). Otherwise the "
        "answer is submitted (201) and scored right away: empty text or text over the length limit is a 400 "
        "and the saved draft is kept; an answer after the time limit is accepted and marked late, or refused "
        "with a 409 (the text kept as the draft) when the interview refuses late answers.",
    )
    def post(self, request: Request, token: str) -> Response:
        body = AnswerRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        code: int
        if data["draft"]:
            answer = answer_services.answer_draft_save(token=token, question=data["question"], text=data["text"])
            warning, code = None, status.HTTP_200_OK
        else:
            result = answer_services.answer_submit(token=token, question=data["question"], text=data["text"])
            answer, warning, code = result.answer, result.warning or None, status.HTTP_201_CREATED
        question = answer.session_question
        state = candidate_state(session=question.session)
        item = state.question(question.position)
        return Response(AnswerResultSerializer({
            "question": question.position, "status": "draft" if data["draft"] else "submitted",
            "draft": data["draft"], "is_late": answer.is_late,
            "saved_at": answer.submitted_at if not data["draft"] else answer.draft_saved_at,
            "remaining_seconds": item.remaining_seconds if item is not None else 0,
            "warning": warning, "next_position": state.current_position,
        }).data, status=code)


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
