"""Resumable recording uploads for the candidate (no login; the interview's secret token in the path), so a dropped
connection loses nothing of a voice or video answer:

`POST /interview-sessions/{token}/uploads/` starts one, `PUT .../uploads/{id}/` adds a chunk of raw bytes at the
offset in the `Upload-Offset` header, `GET .../uploads/{id}/` says how many bytes arrived (to resume). The finished
upload is then submitted as the answer: `POST .../answers/` with `{"question", "upload": id}` (candidate.py)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.errors import ValidationFailed

from ..models import MediaUpload
from ..services import media as media_services
from ..services.rules import RECORDED, max_media_bytes, media_chunk_bytes
from .candidate import ERRORS, _CandidateView


class UploadStartSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=60, help_text="The question's position (1..n) or bank id.")
    modality = serializers.ChoiceField(choices=list(RECORDED), help_text="audio or video")
    content_type = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text='What the recorder produces, e.g. "audio/webm;codecs=opus" (the bytes are checked on submission).',
    )


class UploadStartedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    received = serializers.IntegerField(help_text="Bytes received so far (0).")
    chunk_bytes = serializers.IntegerField(help_text="The chunk size to send.")
    max_bytes = serializers.IntegerField(help_text="The largest recording accepted.")


class UploadProgressSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    received = serializers.IntegerField(help_text="Bytes received so far: the next chunk starts here.")


class UploadGapSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    received = serializers.IntegerField(help_text="The offset to resume from.")


class RawBytesParser(BaseParser):
    """A chunk is raw bytes of any type; the view reads request.body itself."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return {}


def _progress(upload: MediaUpload) -> dict[str, Any]:
    return {"id": str(upload.id), "received": int(upload.received_bytes)}


UPLOAD_ERRORS = {
    400: OpenApiResponse(description="A modality the interview does not offer, or a bad offset; `detail` says which."),
    403: OpenApiResponse(description="A modality the candidate did not agree to (e.g. “You did not agree to video "
                         "analysis, so video answers are not accepted. You can type your answer.”)."),
    404: OpenApiResponse(description="Unknown link or upload."),
    409: OpenApiResponse(description="Expired, cancelled or completed interview, question already answered, or "
                         "the upload already submitted; `detail` says which."),
}


class UploadStartView(_CandidateView):
    @extend_schema(
        request=UploadStartSerializer,
        responses={201: UploadStartedSerializer, **UPLOAD_ERRORS},
        description="Start a resumable upload of a recording for one question. Refused like the answer would be: "
        "a modality not offered (400) or not agreed to (403), a question answered already or an interview that "
        "is closed (409). A new upload for the same question replaces an unfinished earlier one.",
    )
    def post(self, request: Request, token: str) -> Response:
        body = UploadStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = media_services.upload_start(
            token=token, question=data["question"], modality=data["modality"], content_type=data["content_type"],
        )
        return Response(
            {**_progress(upload), "chunk_bytes": media_chunk_bytes(), "max_bytes": max_media_bytes()},
            status=status.HTTP_201_CREATED,
        )


def _offset(request: Request) -> int:
    raw = str(request.headers.get("Upload-Offset", "")).strip()
    if not raw.isdigit():
        raise ValidationFailed(_("Send the chunk's position in the Upload-Offset header (a whole number of bytes)."),
                               field="offset")
    return int(raw)


class UploadChunkView(_CandidateView):
    parser_classes = [RawBytesParser]

    @extend_schema(
        responses={200: UploadProgressSerializer, **{k: v for k, v in ERRORS.items() if k != 409}},
        description="How many bytes of the upload arrived: a client resuming after a dropped connection sends "
        "the rest from `received`.",
    )
    def get(self, request: Request, token: str, upload_id: str) -> Response:
        return Response(_progress(media_services.upload_status(token=token, upload_id=upload_id)))

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[OpenApiParameter(
            "Upload-Offset", OpenApiTypes.INT, OpenApiParameter.HEADER, required=True,
            description="Where this chunk starts in the recording (bytes).",
        )],
        responses={
            200: UploadProgressSerializer,
            400: OpenApiResponse(description="No or a bad Upload-Offset header."),
            404: OpenApiResponse(description="Unknown link or upload."),
            409: OpenApiResponse(UploadGapSerializer, description="The chunk starts after the bytes received (resume "
                                 "from `received`), the upload was submitted already, or the interview is closed."),
            413: OpenApiResponse(description="The recording would exceed the size limit, or the chunk is larger than "
                                 "the server takes in one request."),
        },
        description="Add a chunk of raw bytes at `Upload-Offset`. A chunk starting before the bytes received (a "
        "retry after a lost response) is acknowledged, and only its part beyond them is added; one starting "
        "after them is refused with 409 and `received`, the offset to resume from.",
    )
    def put(self, request: Request, token: str, upload_id: str) -> Response:
        offset = _offset(request)
        data = request.body  # over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON 413 from the API's error handler
        try:
            upload = media_services.upload_append(token=token, upload_id=upload_id, offset=offset, data=data)
        except media_services.UploadGap as gap:
            return Response({"detail": str(gap.message), "received": gap.received}, status=status.HTTP_409_CONFLICT)
        return Response(_progress(upload))


urlpatterns: list[URLPattern | URLResolver] = [
    path("interview-sessions/<str:token>/uploads/", UploadStartView.as_view(), name="interview-session-uploads"),
    path("interview-sessions/<str:token>/uploads/<str:upload_id>/", UploadChunkView.as_view(),
         name="interview-session-upload"),
]


def register(router: BaseRouter) -> None:
    return None
