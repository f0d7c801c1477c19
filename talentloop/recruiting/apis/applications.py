"""REST endpoints of candidates, applications, screening and the pipeline (issue #3). Each view parses its
input, calls one selector or service and renders the result; who may do what is decided there.

HR admins and recruiters may do everything; a hiring manager reads the applications of jobs in their
department subtree, moves them through the pipeline and writes notes; employees and candidates get 403,
anonymous callers 401. See talentloop/recruiting/apis/__init__.py for how the module is mounted."""

from __future__ import annotations

import mimetypes
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import BearerTokenAuthentication, RolePermission
from talentloop.core.errors import DomainError, NotFound
from talentloop.core.models import User

from .. import selectors
from ..access import RECRUITING_ROLES
from ..models import Application, ApplicationNote, Candidate, StageChange
from ..serializers import (
    MAX_ID,
    ApplicationCreateSerializer,
    ApplicationListParams,
    ApplicationSerializer,
    CandidateListParams,
    CandidateSerializer,
    NoteSerializer,
    RankingItemSerializer,
    RankingParams,
    RankingSerializer,
    ScreeningRulesSerializer,
    TransitionSerializer,
)
from ..services import intake, notes, pipeline, screening

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _user(request: HttpRequest | Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    """An id from the URL; anything that cannot be one (letters, more than 64 bits) is simply not found."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number <= MAX_ID:
        raise NotFound(_("Not found."))
    return number


def _list_params(view: viewsets.GenericViewSet, params: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    """The list's filters from the query string (a 400 naming the parameter when one is bad); only the list
    reads them."""
    if view.action != "list":
        return {}
    parsed = params(data=view.request.query_params)
    parsed.is_valid(raise_exception=True)
    return {k: v for k, v in parsed.validated_data.items() if v not in (None, "")}


# ----------------------------------------------------------------------------------------------- candidates


@extend_schema_view(list=extend_schema(parameters=[CandidateListParams]))
class CandidateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Candidates with the ids of their applications (HR and recruiters)."""

    serializer_class = CandidateSerializer
    queryset = Candidate.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Candidate]:
        params = _list_params(self, CandidateListParams)
        return selectors.candidate_list(user=_user(self.request), search=params.get("search"))

    def get_object(self) -> Candidate:
        return selectors.candidate_get(user=_user(self.request), pk=_pk(self.kwargs["pk"]))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        serializer = self.get_serializer(candidate, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        intake.candidate_update(actor=_user(request), candidate=candidate, changes=dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_object()).data)


# --------------------------------------------------------------------------------------------- applications


@extend_schema_view(list=extend_schema(parameters=[ApplicationListParams]))
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications the caller may see: HR and recruiters all, a hiring manager those of their jobs."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = RECRUITING_ROLES
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Application]:
        params = _list_params(self, ApplicationListParams)
        return selectors.application_list(user=_user(self.request), **params).prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("at", "id"))
        )

    def get_object(self) -> Application:
        return selectors.application_get(user=_user(self.request), pk=_pk(self.kwargs["pk"]))

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ApplicationSerializer, 409: OpenApiResponse(description="The move is not allowed; "
                                                                                 "`detail` says why.")},
        description="Move the application to another stage. The candidate gets the stage's email in their "
        "language. Hiring happens through the offer's hire action, never here.",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = self.get_object()
        pipeline.application_transition(
            actor=_user(request), application=application, to=serializer.validated_data["to"],
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_object()).data)


class ApplicationNotesView(generics.ListCreateAPIView[ApplicationNote]):
    """Notes on one application, newest first; anyone who may see the application may add one."""

    serializer_class = NoteSerializer
    queryset = ApplicationNote.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = RECRUITING_ROLES
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ApplicationNote]:
        return selectors.application_note_list(user=_user(self.request), pk=_pk(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = selectors.application_get(user=_user(request), pk=_pk(self.kwargs["pk"]))
        note = notes.application_note_add(
            actor=_user(request), application=application, text=serializer.validated_data["text"]
        )
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)


# -------------------------------------------------------------------------------------- under /jobs/{id}/


def _resume_upload(upload: UploadedFile | None) -> intake.ResumeUpload | None:
    """The upload for the intake service. The size is known before reading: a file over the limit is passed
    without its bytes, so a 50 MB upload is never read into memory (Django keeps it in a temporary file)."""
    if upload is None:
        return None
    name, size = upload.name or "resume", upload.size or 0
    if size > intake.MAX_RESUME_BYTES:
        return intake.ResumeUpload(name, None, size)
    return intake.ResumeUpload(name, upload.read(), size)


class JobApplicationsView(APIView):
    """POST /api/v1/jobs/{id}/applications/: add a candidate's application to a job (HR and recruiters)."""

    permission_classes = [RolePermission]
    read_roles: frozenset[str] = frozenset()
    write_roles = HR_AND_RECRUITING
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": ApplicationCreateSerializer},
        responses={201: ApplicationSerializer},
        description="Multipart: the `resume` file (PDF, DOCX or text) and optional contact details. The resume "
        "is parsed and screened at once. A resume that cannot be read still creates the application when an "
        "email or phone is given (resume_status \"unreadable\", resume_error says why); without contact "
        "details it is a 400 naming the file's problem. The same candidate applying again to the job is a 409.",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        job = selectors.job_for_recruiting(user=user, pk=_pk(pk))
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = intake.application_create(
            actor=user, job=job, resume=_resume_upload(data.get("resume")), name=data["name"],
            email=data["email"], phone=data["phone"], source=data["source"], consent=data["consent"],
            consent_text=_("Confirmed by %(user)s through the API.") % {"user": user.get_username()}
            if data["consent"] else "",
            language=data["language"],
        )
        return Response(
            ApplicationSerializer(application, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class JobRankingView(APIView):
    """GET /api/v1/jobs/{id}/ranking/?limit=N: the job's applications by match score, with the reasons."""

    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        parameters=[RankingParams], responses={200: RankingSerializer},
        description="Best score first; applications whose resume could not be read (no score) come last, "
        "withdrawn ones are left out. A failed knock-out rule is explained, never applied: a person decides.",
    )
    def get(self, request: Request, pk: int) -> Response:
        params = RankingParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = _user(request)
        job = selectors.job_for_recruiting(user=user, pk=_pk(pk))
        rows = selectors.job_ranking(user=user, job=job, limit=params.validated_data["limit"])
        return Response({"job": job.pk, "results": RankingItemSerializer(rows, many=True).data})


class JobScreeningRulesView(APIView):
    """GET/PUT/PATCH /api/v1/jobs/{id}/screening-rules/: the job's screening rules; a change re-scores its
    applications (HR and recruiters)."""

    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING
    serializer_class = ScreeningRulesSerializer

    @extend_schema(responses={200: ScreeningRulesSerializer})
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.job_for_recruiting(user=_user(request), pk=_pk(pk))
        return Response(ScreeningRulesSerializer(screening.screening_rules_for(job)).data)

    @extend_schema(request=ScreeningRulesSerializer, responses={200: ScreeningRulesSerializer})
    def put(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=False)

    @extend_schema(request=ScreeningRulesSerializer(partial=True), responses={200: ScreeningRulesSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=True)

    def _save(self, request: Request, pk: int, *, partial: bool) -> Response:
        user = _user(request)
        job = selectors.job_for_recruiting(user=user, pk=_pk(pk))
        serializer = ScreeningRulesSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        rules = screening.screening_rules_update(actor=user, job=job, changes=dict(serializer.validated_data))
        return Response(ScreeningRulesSerializer(rules).data)


# ------------------------------------------------------------------------------------------ resume download


def _api_user(request: HttpRequest) -> User | None:
    """The session user (browser) or the owner of a Bearer token (integration); None when neither."""
    if request.user.is_authenticated:
        return _user(request)
    found = BearerTokenAuthentication().authenticate(cast(Request, request))
    return cast(User, found[0]) if found else None


def _content_type(head: bytes, name: str) -> str:
    """From the bytes for the formats resumes come in (a text file named .pdf is not served as a PDF)."""
    if b"%PDF-" in head:
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return DOCX_TYPE if name.lower().endswith(".docx") else "application/zip"
    guessed = mimetypes.guess_type(name)[0]
    if guessed in (None, "application/pdf", "application/zip", DOCX_TYPE):
        return "application/octet-stream"
    return guessed


@require_safe
def resume_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored resume file of an application the caller may see, always as an attachment."""
    try:
        user = _api_user(request)
    except exceptions.AuthenticationFailed as exc:
        return JsonResponse({"detail": str(exc.detail)}, status=401, headers={"WWW-Authenticate": "Bearer"})
    if user is None:
        return JsonResponse(
            {"detail": _("Authentication credentials were not provided.")}, status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        application = selectors.application_get(user=user, pk=_pk(pk))
    except DomainError as exc:
        return JsonResponse({"detail": str(exc.message)}, status=exc.status_code)
    if not application.resume:
        return JsonResponse({"detail": _("This application has no stored resume file.")}, status=404)
    try:
        stored = application.resume.storage.open(application.resume.name or "", "rb")
    except FileNotFoundError:
        return JsonResponse({"detail": _("The resume file is missing from storage.")}, status=404)
    name = application.resume_name or (application.resume.name or "resume").rsplit("/", 1)[-1]
    head = stored.read(1024)
    stored.seek(0)
    return FileResponse(stored, as_attachment=True, filename=name, content_type=_content_type(head, name))


# --------------------------------------------------------------------------------------------- mounting

# Mounted under /api/v1/ before the router.
urlpatterns: list[URLPattern | URLResolver] = [
    path("jobs/<int:pk>/applications/", JobApplicationsView.as_view(), name="job-applications"),
    path("jobs/<int:pk>/ranking/", JobRankingView.as_view(), name="job-ranking"),
    path("jobs/<int:pk>/screening-rules/", JobScreeningRulesView.as_view(), name="job-screening-rules"),
    path("applications/<int:pk>/notes/", ApplicationNotesView.as_view(), name="application-notes"),
    path("applications/<int:pk>/resume/", resume_download, name="application-resume"),
]


def register(router: BaseRouter) -> None:
    """Register this module's viewsets on the /api/v1/ router."""
    router.register("candidates", CandidateViewSet, basename="candidate")
    router.register("applications", ApplicationViewSet, basename="application")
