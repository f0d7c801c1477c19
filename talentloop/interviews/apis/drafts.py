"""Question drafts from a generative language model over REST, under /api/v1/questions/drafts/ (HR admins and
recruiters). Drafts wait, inactive, for HR's approval; approving puts one into the bank (services/drafts.py).

These paths are plain urlpatterns mounted before the router's, so "drafts" is never read as a question id."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.assessment.interview.llm import MAX_COUNT
from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import User

from ..models import InterviewQuestion
from ..services import drafts as services
from .questions import BankQuestionSerializer, KeyPointsField, LevelsField

MAX_ID = 2**63 - 1


def _user(request: Request) -> User:
    return cast(User, request.user)


class SelfCheckSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(help_text="The reference answer scored 0-100 against its own key points.")
    matched_key_points = serializers.ListField(child=serializers.CharField())
    missing_key_points = serializers.ListField(child=serializers.CharField())
    flags = serializers.ListField(child=serializers.CharField())
    consistent = serializers.BooleanField(
        help_text="True when the score is at least 80, at least 80% of the key points are matched and nothing is "
        "flagged (the shipped bank's standard). A draft that is not consistent is kept, for HR to mend or reject."
    )


class DraftSerializer(serializers.ModelSerializer[InterviewQuestion]):
    competency = serializers.CharField(source="competency.code")
    competency_name = serializers.CharField(source="competency.display_name")
    # Plain strings in the schema, as in questions.py: enums here would clash with other enums of the same name.
    language = serializers.CharField(help_text="zh-hans or en")
    type = serializers.CharField(help_text="behavioral or situational (technical after an edit)")
    key_points = KeyPointsField()
    levels = LevelsField()
    source = serializers.CharField(help_text="generated")  # type: ignore[assignment]
    review_status = serializers.CharField(help_text="pending, approved or rejected")
    created_by = serializers.SerializerMethodField()
    self_check = serializers.SerializerMethodField()

    class Meta:
        model = InterviewQuestion
        fields = [
            "id", "code", "text", "language", "competency", "competency_name", "type", "difficulty",
            "time_limit_seconds", "key_points", "reference_answer", "levels", "source", "is_active", "review_status",
            "created_at", "created_by", "self_check",
        ]
        read_only_fields = fields

    def get_created_by(self, question: InterviewQuestion) -> str | None:
        return question.created_by.username if question.created_by else None

    @extend_schema_field(SelfCheckSerializer)
    def get_self_check(self, question: InterviewQuestion) -> dict[str, Any]:
        return services.draft_self_check(question).to_dict()


class DraftCreateSerializer(serializers.Serializer[Any]):
    competency = serializers.CharField(max_length=50, help_text="The competency's code, e.g. communication.")
    job = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                   help_text="A job's id: its title, level and description go into the prompt.")
    language = serializers.CharField(max_length=10, help_text="zh-hans or en")
    count = serializers.IntegerField(required=False, default=3, min_value=1, max_value=MAX_COUNT,
                                     help_text=f"How many drafts, 1 to {MAX_COUNT}.")


class BackendSerializer(serializers.Serializer[Any]):
    configured = serializers.BooleanField()
    model = serializers.CharField()
    host = serializers.CharField(help_text="Where requests go (the key is never shown).")
    missing = serializers.ListField(child=serializers.CharField(), help_text="Settings still to set.")


class DraftsCreatedSerializer(serializers.Serializer[Any]):
    backend = BackendSerializer()
    drafts = DraftSerializer(many=True)


def _backend() -> dict[str, Any]:
    state = services.generator_status()
    return {"configured": state.configured, "model": state.model, "host": state.host, "missing": list(state.missing)}


class DraftListView(GenericAPIView[InterviewQuestion]):
    """`GET`: the drafts waiting for approval; `POST`: ask the model for new ones."""

    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING
    serializer_class = DraftSerializer
    queryset = InterviewQuestion.objects.none()  # for the schema generator; get_queryset() is what runs
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[InterviewQuestion]:
        return services.question_drafts_pending(user=_user(self.request))

    @extend_schema(
        responses={200: DraftSerializer(many=True), 403: OpenApiResponse(description="Only HR admins and recruiters.")},
        description="The drafts waiting for HR's approval, newest first, each with its self-check (its reference "
        "answer scored against its own key points).",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=DraftCreateSerializer,
        responses={
            201: DraftsCreatedSerializer,
            400: OpenApiResponse(description="Bad input; `errors` names each bad field."),
            403: OpenApiResponse(description="Only HR admins and recruiters."),
            409: OpenApiResponse(description="No generative backend is configured (TALENTLOOP_LLM_BASE_URL, "
                                             "TALENTLOOP_LLM_MODEL): the built-in question generator is used."),
            502: OpenApiResponse(description="The language model service failed or its reply was unusable; "
                                             "`detail` says why. Nothing was saved."),
            504: OpenApiResponse(description="The language model service did not answer in time. Nothing was saved."),
        },
        description="Ask the configured OpenAI-compatible model for 1 to 10 new questions for a competency (and a "
        "job). They are saved as drafts (code gen-<n>, not in use) until HR approves them; each comes with its "
        "self-check.",
    )
    def post(self, request: Request) -> Response:
        body = DraftCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        created = services.question_drafts_generate(
            actor=_user(request), competency=data["competency"], job=data["job"], language=data["language"],
            count=data["count"],
        )
        drafts = self.get_serializer(
            [services.question_draft_get(user=_user(request), pk=q.pk) for q in created], many=True
        ).data
        return Response({"backend": _backend(), "drafts": drafts}, status=status.HTTP_201_CREATED)


def _draft(request: Request, pk: Any) -> InterviewQuestion:
    number = int(pk) if str(pk).isdigit() else 0
    if not 0 < number <= MAX_ID:
        raise NotFound(_("No such question draft."))
    return services.question_draft_get(user=_user(request), pk=number)


class DraftDetailView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(responses={200: DraftSerializer, 404: OpenApiResponse(description="No such draft.")},
                   description="One generated question, whatever its review status.")
    def get(self, request: Request, pk: int) -> Response:
        return Response(DraftSerializer(_draft(request, pk)).data)

    @extend_schema(
        request=BankQuestionSerializer(partial=True),
        responses={200: DraftSerializer, 400: OpenApiResponse(description="A bad field; `errors` names it."),
                   409: OpenApiResponse(description="The draft is approved already: edit it in the question bank.")},
        description="Edit a draft before approving it (the question bank's rules; the audit log keeps old values).",
    )
    def patch(self, request: Request, pk: int) -> Response:
        question = _draft(request, pk)
        body = BankQuestionSerializer(question, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        if "competency" in changes:
            changes["competency"] = changes["competency"]["code"]
        services.question_draft_edit(actor=_user(request), question=question, changes=changes)
        return Response(DraftSerializer(_draft(request, pk)).data)


class DraftApproveView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=None,
        responses={200: DraftSerializer, 404: OpenApiResponse(description="No such draft."),
                   409: OpenApiResponse(description="The draft's competency is no longer in use.")},
        description="Approve a draft: it becomes an ordinary bank question in use (interviews may ask it). "
        "Approving an approved draft changes nothing.",
    )
    def post(self, request: Request, pk: int) -> Response:
        services.question_draft_approve(actor=_user(request), question=_draft(request, pk))
        return Response(DraftSerializer(_draft(request, pk)).data)


class DraftRejectView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=None,
        responses={200: DraftSerializer, 404: OpenApiResponse(description="No such draft."),
                   409: OpenApiResponse(description="The draft is approved already: retire it in the bank.")},
        description="Reject a draft: it is kept (not in use, review status rejected) for the record.",
    )
    def post(self, request: Request, pk: int) -> Response:
        services.question_draft_reject(actor=_user(request), question=_draft(request, pk))
        return Response(DraftSerializer(_draft(request, pk)).data)


class DraftBackendView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(responses={200: BackendSerializer},
                   description="Whether a generative backend is configured, and which model and host it uses.")
    def get(self, request: Request) -> Response:
        return Response(_backend())


urlpatterns: list[URLPattern | URLResolver] = [
    path("questions/drafts/", DraftListView.as_view(), name="question-drafts"),
    path("questions/drafts/backend/", DraftBackendView.as_view(), name="question-drafts-backend"),
    path("questions/drafts/<int:pk>/", DraftDetailView.as_view(), name="question-draft"),
    path("questions/drafts/<int:pk>/approve/", DraftApproveView.as_view(), name="question-draft-approve"),
    path("questions/drafts/<int:pk>/reject/", DraftRejectView.as_view(), name="question-draft-reject"),
]


def register(router: BaseRouter) -> None:
    return None
