"""The question bank over REST: `/api/v1/questions/`. HR and recruiters create, edit and retire questions;
hiring managers read. DELETE retires (the question stays for the interviews that asked it)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.recruiting.access import RECRUITING_ROLES

from ..models import InterviewQuestion, QuestionLanguage, QuestionType
from ..selectors import questions as selectors
from ..services import questions as services

MAX_ID = 2**63 - 1
urlpatterns: list[URLPattern | URLResolver] = []


@extend_schema_field(
    {"type": "array", "items": {"type": "object", "properties": {
        "point": {"type": "string"}, "synonyms": {"type": "array", "items": {"type": "string"}},
    }, "required": ["point", "synonyms"]}}
)
class KeyPointsField(serializers.JSONField):
    """3 to 6 `{"point": str, "synonyms": [str]}`; the service checks them (each problem named)."""


@extend_schema_field({"type": "object", "properties": {k: {"type": "string"} for k in ("1", "2", "3")}})
class LevelsField(serializers.JSONField):
    """What distinguishes an answer at level 1, 2 and 3."""


class BankQuestionSerializer(serializers.ModelSerializer[InterviewQuestion]):
    """A bank question. Input is only parsed here; services.questions checks every rule and names each bad
    field. `competency` is the competency's code."""

    competency = serializers.CharField(source="competency.code", max_length=50)
    language = serializers.CharField(max_length=10, help_text="zh-hans or en")
    type = serializers.CharField(max_length=12, help_text="behavioral, situational or technical")
    difficulty = serializers.IntegerField(required=False, help_text="1 junior, 2 mid-level, 3 senior")
    time_limit_seconds = serializers.IntegerField(required=False, help_text="30 to 1800")
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    key_points = KeyPointsField()
    reference_answer = serializers.CharField(required=False, allow_blank=True)
    levels = LevelsField(required=False)
    # Plain strings in the schema: an enum here would clash with other "source" enums of the API. (Named like
    # DRF's Field.source: the serializer's metaclass moves declared fields out of the class attributes.)
    source = serializers.CharField(read_only=True, help_text="shipped, custom or generated")  # type: ignore[assignment]

    class Meta:
        model = InterviewQuestion
        fields = [
            "id", "code", "text", "language", "competency", "type", "difficulty", "time_limit_seconds", "key_points",
            "reference_answer", "levels", "source", "is_active",
        ]
        read_only_fields = ["id", "code", "source", "is_active"]


def _service_data(validated: dict[str, Any]) -> dict[str, Any]:
    data = dict(validated)
    if "competency" in data:
        data["competency"] = data["competency"]["code"]
    return data


class QuestionListParams(serializers.Serializer[dict[str, Any]]):
    competency = serializers.SlugField(required=False, help_text="A competency code.")
    language = serializers.ChoiceField(choices=QuestionLanguage.choices, required=False)
    type = serializers.ChoiceField(choices=QuestionType.choices, required=False)
    difficulty = serializers.IntegerField(required=False, min_value=1, max_value=3)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, help_text="Words in the question text or its code.")


def _user(request: Request) -> User:
    return cast(User, request.user)


@extend_schema_view(
    list=extend_schema(parameters=[QuestionListParams]),
    destroy=extend_schema(description="Retire the question (204): it is never generated again but stays for "
                                      "the interviews that asked it."),
)
class QuestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """The interview question bank: shipped questions and HR's own ("custom-<n>")."""

    serializer_class = BankQuestionSerializer
    queryset = InterviewQuestion.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[InterviewQuestion]:
        params: dict[str, Any] = {}
        if self.action == "list":
            parsed = QuestionListParams(data=self.request.query_params)
            parsed.is_valid(raise_exception=True)
            params = {k: v for k, v in parsed.validated_data.items() if v not in (None, "")}
        return selectors.question_list(user=_user(self.request), **params)

    def get_object(self) -> InterviewQuestion:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            pk = 0
        if not 0 < pk <= MAX_ID:
            raise NotFound(_("No such interview question."))
        return selectors.question_get(user=_user(self.request), pk=pk)

    def _render(self, question: InterviewQuestion, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.question_get(user=_user(self.request), pk=question.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.question_create(actor=_user(request), data=_service_data(serializer.validated_data))
        return self._render(question, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        question = services.question_update(
            actor=_user(request), question=question, changes=_service_data(serializer.validated_data)
        )
        return self._render(question)

    @extend_schema(request=None, responses={200: BankQuestionSerializer},
                   description="Put a retired question back into use (generated for new interviews again).")
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        question = services.question_restore(actor=_user(request), question=self.get_object())
        return self._render(question)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.question_retire(actor=_user(request), question=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: BaseRouter) -> None:
    router.register("questions", QuestionViewSet, basename="question")
