"""External AI-interview vendors over REST (docs/providers.md).

- `/providers/` (GET: HR admins and recruiters; POST, PATCH `{slug}`, DELETE `{slug}`: HR admins): slug, name,
  mapping, is_active; `secret` is write-only, returned once by the create and by `POST {slug}/rotate-secret/`.
  `GET {slug}/events/`: the deliveries that passed the signature check, newest first.
- `POST /applications/{id}/provider-interviews/` `{"provider": slug}` (HR admins and recruiters): the application's
  next interview round, run by the vendor.
- `POST /providers/{slug}/webhook/` (the vendor; no login, signed `X-Signature-256: sha256=<hex>`): its result."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR, HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.models import User
from talentloop.recruiting.selectors import application_get

from ..models import InterviewProvider, InterviewSession, ProviderEvent
from ..selectors import providers as selectors
from ..services import providers as services

MAX_ID = 2**63 - 1


def _user(request: Request) -> User:
    return cast(User, request.user)


@extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
    "dimension": {"type": "string", "description": "The vendor's dimension name (matched without case)."},
    "competency": {"type": "string", "description": "The code of the competency it measures."},
    "max": {"type": "number", "nullable": True, "description": "The vendor's scale maximum (null: the max sent "
            "with each score, else 100)."},
}, "required": ["dimension", "competency"]}})
class MappingField(serializers.JSONField):
    """Checked by the service (every bad row named)."""


class ProviderSerializer(serializers.ModelSerializer[InterviewProvider]):
    slug = serializers.CharField(max_length=40, help_text="Lowercase letters, digits, - and _; part of the webhook "
                                 "URL, fixed once created.")
    name = serializers.CharField(max_length=200, allow_blank=True)  # the service names what is missing
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500, trim_whitespace=False,
        help_text="16-200 printable characters, no spaces. Generated when omitted on create. Never read back, "
        "except once in the create's response.",
    )
    mapping = MappingField(required=False)
    is_active = serializers.BooleanField(required=False)
    webhook_url = serializers.SerializerMethodField()
    interview_count = serializers.IntegerField(read_only=True, help_text="Interviews linked to the provider.")
    last_event_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                              help_text="When it last delivered a signed result.")

    class Meta:
        model = InterviewProvider
        fields = [
            "id", "slug", "name", "secret", "mapping", "is_active", "webhook_url", "interview_count", "last_event_at",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_webhook_url(self, provider: InterviewProvider) -> str:
        return selectors.webhook_url(provider)


class ProviderCreatedSerializer(ProviderSerializer):
    """The create's response (documentation): the provider and, this once, its secret."""

    secret = serializers.CharField(read_only=True, help_text="Shown this once: store it and give it to the vendor.")


class ProviderSecretSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    secret = serializers.CharField(help_text="The new secret, shown this once. The old one stopped working.")


class ProviderEventSerializer(serializers.ModelSerializer[ProviderEvent]):
    interview = serializers.IntegerField(source="session_id", read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="applied or rejected")

    class Meta:
        model = ProviderEvent
        fields = ["id", "event_id", "interview", "status", "error", "payload", "created_at"]
        read_only_fields = fields


def _created(provider: InterviewProvider, request: Request) -> dict[str, Any]:
    fresh = selectors.provider_get(actor=_user(request), slug=provider.slug)
    data = dict(ProviderSerializer(fresh).data)
    data["secret"] = provider.secret  # the one time it is shown
    return data


@extend_schema(parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH)])
class ProviderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """External AI-interview vendors: their webhook secret and the mapping of their dimensions onto competencies."""

    serializer_class = ProviderSerializer
    queryset = InterviewProvider.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR
    filter_backends: list[Any] = []
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[InterviewProvider]:
        return selectors.provider_list(actor=_user(self.request))

    def get_object(self) -> InterviewProvider:
        return selectors.provider_get(actor=_user(self.request), slug=str(self.kwargs["slug"]))

    @extend_schema(responses={201: ProviderCreatedSerializer}, description="A new provider. The response carries the "
                   "`secret` this once (generated when none was given); it is never read back.")
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ProviderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        provider = services.provider_create(
            actor=_user(request), slug=data["slug"], name=data["name"], secret=data.get("secret") or None,
            mapping=data.get("mapping"), is_active=data.get("is_active", True),
        )
        return Response(_created(provider, request), status=status.HTTP_201_CREATED)

    @extend_schema(description="Change the name, mapping, active flag or secret (write-only). The slug is fixed.")
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        provider = self.get_object()
        body = ProviderSerializer(provider, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.provider_update(actor=_user(request), provider=provider, changes=dict(body.validated_data))
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={204: None, 409: OpenApiResponse(description="Interviews are linked to it; deactivate "
                                                                           "it instead.")})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.provider_delete(actor=_user(request), provider=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ProviderSecretSerializer},
                   description="Replace the secret with a generated one, returned this once. The old secret stops "
                   "working at once: give the new one to the vendor.")
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, slug: str | None = None) -> Response:
        provider = services.provider_secret_rotate(actor=_user(request), provider=self.get_object())
        return Response({"slug": provider.slug, "secret": provider.secret})

    @extend_schema(responses={200: ProviderEventSerializer(many=True)},
                   description="The provider's deliveries that passed the signature check, newest first, with what "
                   "was done (applied, or rejected and why).")
    @action(detail=True, methods=["get"])
    def events(self, request: Request, slug: str | None = None) -> Response:
        events = selectors.provider_events(actor=_user(request), provider=self.get_object())
        page = self.paginate_queryset(events)
        rows = ProviderEventSerializer(page if page is not None else events, many=True).data
        return self.get_paginated_response(rows) if page is not None else Response(rows)


# --- linking an interview -------------------------------------------------------------------------------------


class ProviderInterviewCreateSerializer(serializers.Serializer[Any]):
    provider = serializers.CharField(max_length=40, help_text="The provider's slug.")
    language = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                     help_text="zh-hans or en (default: the candidate's).")


class ProviderInterviewCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The interview id to give the vendor (its webhook's `interview`).")
    application = serializers.IntegerField()
    round = serializers.IntegerField()
    language = serializers.CharField()
    status = serializers.CharField(help_text="in_progress until the vendor's result arrives")
    provider = serializers.CharField(help_text="The provider's slug.")
    report_status = serializers.CharField()
    report_url = serializers.CharField()
    webhook_url = serializers.CharField()


def provider_interview_data(session: InterviewSession) -> dict[str, Any]:
    assert session.provider is not None
    return {
        "id": session.pk, "application": session.application_id, "round": session.round,
        "language": session.language, "status": session.status, "provider": session.provider.slug,
        "report_status": session.report.status, "report_url": reverse("interview-report", kwargs={"pk": session.pk}),
        "webhook_url": selectors.webhook_url(session.provider),
    }


class ProviderInterviewView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=ProviderInterviewCreateSerializer,
        responses={
            201: ProviderInterviewCreatedSerializer,
            400: OpenApiResponse(description="Unknown or inactive provider, or a bad language."),
            403: OpenApiResponse(description="Only HR admins and recruiters (with access to the application)."),
            404: OpenApiResponse(description="No such application."),
            409: OpenApiResponse(description="The application is closed, or has an open interview already."),
        },
        description="Run the application's next interview round with an external vendor: an interview with no "
        "questions whose report (in progress) is filled by the vendor's webhook. Give the vendor the returned `id`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        application = application_get(user=user, pk=int(pk) if 0 < int(pk) <= MAX_ID else 0)
        body = ProviderInterviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.provider_interview_create(
            actor=user, application=application, provider=body.validated_data["provider"],
            language=body.validated_data.get("language") or None,
        )
        return Response(provider_interview_data(session), status=status.HTTP_201_CREATED)


# --- the vendor's webhook ---------------------------------------------------------------------------------------


class WebhookDimensionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The vendor's dimension, as in the provider's mapping (any case).")
    score = serializers.FloatField(help_text="0 to max.")
    max = serializers.FloatField(required=False, allow_null=True,
                                 help_text="The scale maximum; the mapping's max wins when it sets one; else 100.")


class WebhookBodySerializer(serializers.Serializer[Any]):
    event_id = serializers.CharField(help_text="Unique per delivery; a repeated id is ignored.")
    interview = serializers.IntegerField(help_text="The TalentLoop interview id given when it was linked.")
    dimensions = WebhookDimensionSerializer(many=True)
    summary = serializers.CharField(required=False, help_text="The vendor's own summary, shown to HR.")


class WebhookResultSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(help_text="applied, duplicate or rejected")
    event_id = serializers.CharField()
    interview = serializers.IntegerField(allow_null=True)
    detail = serializers.CharField(required=False)
    original_status = serializers.CharField(required=False, help_text="A duplicate: applied or rejected (the first "
                                            "delivery's outcome).")


class ProviderWebhookView(APIView):
    # The vendor has no account: the HMAC signature of the body is its credential.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        auth=[],
        request={"application/json": WebhookBodySerializer},
        parameters=[OpenApiParameter(services.SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True,
                                     description="sha256=<hex>: HMAC-SHA256 of the raw body with the provider's "
                                     "secret.")],
        responses={
            200: WebhookResultSerializer,
            400: OpenApiResponse(WebhookResultSerializer, description="The body breaks a rule (`detail` says which); "
                                 "the delivery is kept as rejected and its event id is used up."),
            401: OpenApiResponse(OpenApiTypes.OBJECT, description="Missing or wrong signature, or an unknown or "
                                 "inactive provider: nothing is stored."),
        },
        description="A vendor's interview result. The signature is checked on the raw bytes before anything is "
        "read. A valid result becomes the interview's report (source `provider`); a repeated `event_id` changes "
        "nothing.",
    )
    def post(self, request: Request, slug: str) -> Response:
        result = services.provider_webhook_receive(
            slug=slug, body=request.body, signature=request.headers.get(services.SIGNATURE_HEADER)
        )
        data: dict[str, Any] = {"status": result.status, "event_id": result.event_id, "interview": result.session_id}
        if result.status == "duplicate":
            data["original_status"] = result.original_status
            return Response(data)
        if result.status == "rejected":
            return Response({"detail": result.detail, **data}, status=status.HTTP_400_BAD_REQUEST)
        assert result.report is not None
        data["report_status"] = result.report.status
        return Response(data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("providers/<str:slug>/webhook/", ProviderWebhookView.as_view(), name="provider-webhook"),
    path("applications/<int:pk>/provider-interviews/", ProviderInterviewView.as_view(),
         name="application-provider-interviews"),
]


def register(router: BaseRouter) -> None:
    router.register("providers", ProviderViewSet, basename="provider")

