"""`/api/v1/applications/{id}/attachments/`: list and upload; `.../attachments/{aid}/` downloads."""

from __future__ import annotations

from typing import Any, cast

from django.http import FileResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.errors import NotFound
from talentloop.core.models import User

from .. import selectors
from ..models import Attachment
from ..services.attachments import application_attachment_add, application_attachments


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "uploaded_by", "created_at", "url"]

    def get_url(self, obj: Attachment) -> str:
        return f"/api/v1/applications/{obj.application_id}/attachments/{obj.pk}/"


class ApplicationAttachmentsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=AttachmentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        user = cast(User, request.user)
        application = selectors.application_get(user=user, pk=pk)
        rows = application_attachments(actor=user, application=application)
        return Response(AttachmentSerializer(rows, many=True).data)

    @extend_schema(
        request=inline_serializer("AttachmentUpload", {"file": serializers.FileField()}),
        responses={201: AttachmentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = cast(User, request.user)
        application = selectors.application_get(user=user, pk=pk)
        upload: Any = request.FILES.get("file")
        if upload is None:
            return Response(
                {"detail": "file: " + str(_missing()), "errors": {"file": [str(_missing())]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        too_big = upload.size > 10 * 1024 * 1024
        attachment = application_attachment_add(
            actor=user, application=application, name=upload.name or "", size=upload.size,
            data=None if too_big else upload.read(),
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


def _missing() -> str:
    return gettext("Choose a file to attach.")


class AttachmentDownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, pk: int, attachment_pk: int) -> FileResponse:
        application = selectors.application_get(user=cast(User, request.user), pk=pk)
        attachment = application.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise NotFound(gettext("No such attachment."))
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/attachments/", ApplicationAttachmentsView.as_view(), name="application-attachments"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/", AttachmentDownloadView.as_view(),
        name="application-attachment",
    ),
]


def register(router: BaseRouter) -> None:
    """Plain paths only (see urlpatterns)."""
