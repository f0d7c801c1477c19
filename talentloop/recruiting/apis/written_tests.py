"""Written tests over REST: HR and recruiters build and assign tests and review short answers; hiring managers
read. Candidates never use this API: they take a test through their secret link (views.written_tests)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.access import HR_AND_RECRUITING, has_role
from talentloop.core.api import RolePermission
from talentloop.core.models import User

from .. import selectors
from ..access import RECRUITING_ROLES
from ..models import WrittenTest, WrittenTestSitting
from ..services import written_tests as services
from ..written_test_serializers import (
    MAX_ID,
    WrittenTestAssignmentSerializer,
    WrittenTestAssignSerializer,
    WrittenTestReviewSerializer,
    WrittenTestSerializer,
    WrittenTestSittingSerializer,
)

# Paths outside the router, mounted under /api/v1/.
urlpatterns: list[URLPattern | URLResolver] = []


class _ListParams(serializers.Serializer[dict[str, Any]]):
    job = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    application = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


def _params(request: Request) -> dict[str, Any]:
    parsed = _ListParams(data=request.query_params)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _test_data(validated: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    questions = validated.pop("questions", None)
    return validated, [dict(q) for q in questions] if questions is not None else None


JOB_PARAM = OpenApiParameter("job", int, description="Only the tests of this job.")
APPLICATION_PARAM = OpenApiParameter("application", int, description="Only the sittings of this application.")


@extend_schema_view(list=extend_schema(parameters=[JOB_PARAM]))
class WrittenTestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """Written tests (笔试) with their questions: `single` (one correct option), `multiple` (the chosen set
    must equal the correct set) and `short` (scored by a reviewer)."""

    serializer_class = WrittenTestSerializer
    queryset = WrittenTest.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WrittenTest]:
        job = _params(self.request).get("job") if self.action == "list" else None
        return services.written_test_list(user=_user(self.request), job=job)

    def get_object(self) -> WrittenTest:
        return services.written_test_get(user=_user(self.request), pk=int(self.kwargs["pk"]))

    def _render(self, test: WrittenTest, code: int = status.HTTP_200_OK) -> Response:
        fresh = services.written_test_get(user=_user(self.request), pk=test.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, questions = _test_data(dict(serializer.validated_data))
        test = services.written_test_create(actor=_user(request), data=data, questions=questions or [])
        return self._render(test, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        test = self.get_object()
        serializer = self.get_serializer(test, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes, questions = _test_data(dict(serializer.validated_data))
        test = services.written_test_update(actor=_user(request), test=test, changes=changes, questions=questions)
        return self._render(test)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.written_test_delete(actor=_user(request), test=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=WrittenTestAssignSerializer, responses={201: WrittenTestAssignmentSerializer},
        description="Give an application's candidate a secret link to this test. An application in an earlier "
        "stage moves to the written test (which emails the candidate); with `send_email` the link is emailed too.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        test = self.get_object()
        body = WrittenTestAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = selectors.application_get(user=_user(request), pk=body.validated_data["application"])
        sitting = services.written_test_assign(
            actor=_user(request), application=application, test=test,
            expires_in_days=body.validated_data["expires_in_days"],
            site_url=request.build_absolute_uri("/") if body.validated_data["send_email"] else "",
        )
        data = WrittenTestAssignmentSerializer(sitting, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=WrittenTestSittingSerializer(many=True), description="Who was given this test, and how they did."
    )
    @action(detail=True, methods=["get"], serializer_class=WrittenTestSittingSerializer)
    def sittings(self, request: Request, pk: str | None = None) -> Response:
        test = self.get_object()
        page = self.paginate_queryset(services.sitting_list(user=_user(request), test=test))
        context = {"request": request, "show_links": has_role(request.user, HR_AND_RECRUITING)}
        return self.get_paginated_response(WrittenTestSittingSerializer(page, many=True, context=context).data)


@extend_schema_view(list=extend_schema(parameters=[APPLICATION_PARAM]))
class WrittenTestSittingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sittings (one candidate's go at one test) and the review of their short answers."""

    serializer_class = WrittenTestSittingSerializer
    queryset = WrittenTestSitting.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WrittenTestSitting]:
        user = _user(self.request)
        application = _params(self.request).get("application") if self.action == "list" else None
        qs = services.sitting_list(user=user)
        return qs.filter(application_id=application) if application is not None else qs

    def get_object(self) -> WrittenTestSitting:
        return services.sitting_get(user=_user(self.request), pk=int(self.kwargs["pk"]))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "show_links": has_role(self.request.user, HR_AND_RECRUITING)}

    @extend_schema(
        request=WrittenTestReviewSerializer, responses=WrittenTestSittingSerializer,
        description="Points for short answers ({question id: points}). The score is complete, and copied to the "
        "application, once every short answer has points.",
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        sitting = self.get_object()
        body = WrittenTestReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sitting = services.sitting_review(actor=_user(request), sitting=sitting, points=body.validated_data["points"])
        return Response(self.get_serializer(services.sitting_get(user=_user(request), pk=sitting.pk)).data)


def register(router: BaseRouter) -> None:
    router.register("written-tests", WrittenTestViewSet, basename="written-test")
    router.register("written-test-sittings", WrittenTestSittingViewSet, basename="written-test-sitting")
