"""HR invites a candidate to an AI interview over REST: `POST /applications/{id}/interviews/` (HR admins and
recruiters). The list and the reports are in reports.py; the candidate's side in candidate.py."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.recruiting.selectors import application_get

from ..models import InterviewSession
from ..services.invitations import candidate_url
from ..services.rules import EXPIRY_DAYS_MAX, EXPIRY_DAYS_MIN, MAX_EXPLICIT_QUESTIONS
from ..services.sessions import interview_cancel, interview_create

MAX_ID = 2**63 - 1


@extend_schema_field({
    "oneOf": [
        {"type": "string", "enum": ["auto"]},
        {"type": "array", "items": {"type": "integer"}, "maxItems": MAX_EXPLICIT_QUESTIONS},
    ],
    "description": '"auto" to generate them from the job, or bank question ids in the order to ask them.',
})
class QuestionsField(serializers.Field):
    default_error_messages = {
        "invalid": _("Give “auto” or a list of question ids."),
        "too_many": _("An interview has at most {max} questions."),
    }

    def to_internal_value(self, data: Any) -> str | list[int]:
        if data == "auto":
            return "auto"
        if not isinstance(data, list):
            self.fail("invalid")
        if len(data) > MAX_EXPLICIT_QUESTIONS:
            self.fail("too_many", max=MAX_EXPLICIT_QUESTIONS)
        if any(isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= MAX_ID for v in data):
            self.fail("invalid")
        return list(data)

    def to_representation(self, value: Any) -> Any:
        return value


class InterviewCreateSerializer(serializers.Serializer[Any]):
    questions = QuestionsField(required=False, default="auto")
    # Checked by the service (a plain string keeps one enum per name in the schema).
    language = serializers.CharField(max_length=10, help_text="zh-hans or en")
    expires_in_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=EXPIRY_DAYS_MIN, max_value=EXPIRY_DAYS_MAX,
        help_text="How long the link works (default: the TALENTLOOP_INTERVIEW_EXPIRES_DAYS setting, 7).",
    )
    seed = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1,
                                    help_text='The generator\'s seed with "auto" (random when omitted).')
    modalities = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, allow_null=True, default=None, max_length=3,
        help_text='How the candidate may answer, of "text", "audio" (voice) and "video" ("text" is always added). '
        "Default: the job's `interview_modalities`. Voice and video need a speech recogniser for the interview's "
        "language (settings TALENTLOOP_ASR_EN, TALENTLOOP_ASR_ZH).",
    )


class InterviewQuestionItemSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    id = serializers.IntegerField(help_text="The bank question's id.")
    code = serializers.CharField()
    competency = serializers.CharField(help_text="The competency's code.")
    text = serializers.CharField(help_text="As the candidate sees it, job context filled in.")
    time_limit_seconds = serializers.IntegerField()


class InterviewCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    language = serializers.CharField()
    token = serializers.CharField()
    candidate_url = serializers.URLField()
    questions = InterviewQuestionItemSerializer(many=True)
    expires_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="invited (a new interview)")
    modalities = serializers.ListField(child=serializers.CharField(), help_text="The answer modes offered.")


def created_data(session: InterviewSession) -> dict[str, Any]:
    rows = session.questions.select_related("question", "competency").order_by("position")
    return InterviewCreatedSerializer({
        "id": session.pk, "round": session.round, "language": session.language, "token": session.token,
        "candidate_url": candidate_url(session), "expires_at": session.expires_at, "status": session.status,
        "modalities": list(session.modalities or ["text"]),
        "questions": [
            {"position": q.position, "id": q.question_id, "code": q.question.code, "competency": q.competency.code,
             "text": q.text, "time_limit_seconds": q.time_limit_seconds}
            for q in rows
        ],
    }).data


class ApplicationInterviewsView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=InterviewCreateSerializer,
        responses={
            201: InterviewCreatedSerializer,
            400: OpenApiResponse(description="Bad input; `detail` names the bad question ids or the rule broken, "
                                 "e.g. voice or video asked for in a language without a speech recogniser (it "
                                 "names the setting to configure)."),
            403: OpenApiResponse(description="Only HR admins and recruiters (with access to the application)."),
            404: OpenApiResponse(description="No such application."),
            409: OpenApiResponse(description="The application is closed, or has an open interview already."),
        },
        description="Invite the application's candidate to the next round of AI interview. `\"auto\"` generates "
        "the questions from the job's competency model, level and description (no question of an earlier round "
        "again); a list picks bank questions by id. The candidate is emailed the secret link; an application "
        "before the AI-interview stage moves to it.",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = cast(User, request.user)
        if not 0 < int(pk) <= MAX_ID:
            pk = 0
        application = application_get(user=user, pk=int(pk))
        body = InterviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        session = interview_create(
            actor=user, application=application, questions=data["questions"], language=data["language"],
            expires_in_days=data["expires_in_days"], seed=data["seed"], modalities=data["modalities"],
        )
        return Response(created_data(session), status=status.HTTP_201_CREATED)


class InterviewCancelledSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    status = serializers.CharField(help_text="cancelled")


class InterviewCancelView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=None,
        responses={
            200: InterviewCancelledSerializer,
            404: OpenApiResponse(description="No such interview (or not within the caller's reach)."),
            409: OpenApiResponse(description="The interview is completed or cancelled already."),
        },
        description="Cancel an interview that is not completed: its link stops working, and the candidate can be "
        "invited to a new round.",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = cast(User, request.user)
        found = int(pk) if 0 < int(pk) <= MAX_ID else 0
        session = InterviewSession.objects.select_related("application").filter(pk=found).first()
        if session is None:
            raise NotFound(_("No such interview."))
        application_get(user=user, pk=session.application_id)  # 404 for an application out of reach
        session = interview_cancel(actor=user, session=session)
        return Response({"id": session.pk, "round": session.round, "status": session.status})


urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/interviews/", ApplicationInterviewsView.as_view(), name="application-interviews"),
    path("interviews/<int:pk>/cancel/", InterviewCancelView.as_view(), name="interview-cancel"),
]


def register(router: BaseRouter) -> None:
    return None
