"""REST endpoints of background checks (HR and recruiters) and the providers' signed webhook (no login: the
HMAC signature is the authentication). See talentloop/recruiting/apis/__init__.py for how they are mounted."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.core.models import User

from .. import selectors
from ..check_offer_serializers import (
    MAX_ID,
    BackgroundCheckCreateSerializer,
    BackgroundCheckSerializer,
    CheckItemSerializer,
    CheckItemUpdateSerializer,
    CheckListParams,
    WebhookAnswerSerializer,
    WebhookEventSerializer,
)
from ..models import Application, BackgroundCheck
from ..services import checks

ID_PATTERN = r"[0-9]{1,18}"  # ids are 64-bit; a longer number is simply not found


def _user(request: HttpRequest | Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    number = int(value)
    if number > MAX_ID:
        raise NotFound(_("No such background check."))
    return number


def site_url(request: Request) -> str:
    """The site's address as the caller reached it, for the links put into candidates' emails."""
    return request.build_absolute_uri("/")


def application_for_body(user: User, pk: int) -> Application:
    """The application named in a request body: one the caller may not see is a 400 on that field."""
    try:
        return selectors.application_get(user=user, pk=pk)
    except NotFound as exc:
        raise ValidationFailed(_("No such application, or you may not see it."), field="application") from exc


@extend_schema_view(list=extend_schema(parameters=[CheckListParams]))
class BackgroundCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background checks of the applications the caller may see (HR admins and recruiters)."""

    serializer_class = BackgroundCheckSerializer
    queryset = BackgroundCheck.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[BackgroundCheck]:
        params: dict[str, Any] = {}
        if self.action == "list":
            parsed = CheckListParams(data=self.request.query_params)
            parsed.is_valid(raise_exception=True)
            params = dict(parsed.validated_data)
        return checks.check_list(user=_user(self.request), **params)

    def get_object(self) -> BackgroundCheck:
        return checks.check_get(user=_user(self.request), pk=_pk(self.kwargs["pk"]))

    def _answer(self, check: BackgroundCheck, code: int = status.HTTP_200_OK) -> Response:
        fresh = checks.check_get(user=_user(self.request), pk=check.pk)
        return Response(BackgroundCheckSerializer(fresh).data, status=code)

    @extend_schema(
        request=BackgroundCheckCreateSerializer,
        responses={201: BackgroundCheckSerializer},
        description="Request a check of the chosen items, optionally through a provider. It waits for the "
        "candidate's consent (they get the link by email); the application moves to the background check "
        "stage when it is earlier in the pipeline. 409 when the application is closed or already has a check "
        "under way.",
    )
    def create(self, request: Request) -> Response:
        user = _user(request)
        serializer = BackgroundCheckCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check = checks.check_request(
            actor=user, application=application_for_body(user, data["application"]), items=data["items"],
            provider=data["provider"], site_url=site_url(request),
        )
        return self._answer(check, status.HTTP_201_CREATED)

    @extend_schema(
        request=CheckItemSerializer,
        responses={200: BackgroundCheckSerializer, 409: OpenApiResponse(description="No consent yet, or cancelled.")},
        description="Record one item's status and result. Refused (409) until the candidate has consented. "
        "The check completes when no item is pending.",
    )
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request: Request, pk: str | None = None) -> Response:
        serializer = CheckItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._update_item(request, serializer.validated_data["kind"], serializer.validated_data)

    @extend_schema(
        request=CheckItemSerializer(partial=True),
        responses={200: BackgroundCheckSerializer, 409: OpenApiResponse(description="No consent yet, or cancelled.")},
        description="The same as POST .../items/ with the item's kind in the path.",
    )
    @action(detail=True, methods=["patch"], url_path=r"items/(?P<kind>[a-z_]{1,30})")
    def item(self, request: Request, kind: str, pk: str | None = None) -> Response:
        serializer = CheckItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._update_item(request, kind, serializer.validated_data)

    def _update_item(self, request: Request, kind: str, data: dict[str, Any]) -> Response:
        check = self.get_object()
        checks.check_item_update(
            actor=_user(request), check=check, kind=kind, status=data["status"], result=data["result"]
        )
        return self._answer(check)

    @extend_schema(request=None, responses={200: BackgroundCheckSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        check = checks.check_cancel(actor=_user(request), check=self.get_object())
        return self._answer(check)


class CheckWebhookView(APIView):
    """POST /api/v1/background-checks/webhook/{provider_slug}/: a provider reports results."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        request=WebhookEventSerializer,
        responses={
            200: WebhookAnswerSerializer,
            400: OpenApiResponse(description="Malformed body, unknown item, or a check of another provider."),
            401: OpenApiResponse(description="Missing or wrong signature; nothing is stored."),
            404: OpenApiResponse(description="Unknown provider or check."),
            409: OpenApiResponse(description="The candidate has not consented yet, or the check was cancelled."),
        },
        auth=[],
        description="Signed with the provider's secret: header `X-Signature-256: sha256=<hex>`, the HMAC-SHA256 "
        "of the raw body. An `event_id` already processed is answered 200 with status \"duplicate\" and ignored.",
    )
    def post(self, request: Request, provider_slug: str) -> Response:
        # The raw bytes, exactly as signed: the body is never parsed before the signature is checked.
        outcome = checks.check_webhook(
            provider_slug=provider_slug, body=request.body, signature=request.headers.get("X-Signature-256"),
        )
        answer = {
            "status": "duplicate" if outcome.duplicate else "processed",
            "check": outcome.check.pk if outcome.check else None,
        }
        return Response(answer)


# Mounted under /api/v1/ before the router.
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "background-checks/webhook/<slug:provider_slug>/", CheckWebhookView.as_view(), name="background-check-webhook"
    ),
]


def register(router: BaseRouter) -> None:
    """Register this module's viewsets on the /api/v1/ router."""
    router.register("background-checks", BackgroundCheckViewSet, basename="background-check")

