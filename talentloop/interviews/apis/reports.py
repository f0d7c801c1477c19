"""Interview reports over REST.

HR side (whoever may see the application: HR admins, recruiters, a hiring manager for the jobs of their
department subtree): `GET /interviews/?application=&status=`, `GET /interviews/{id}/report/` and `.../report.pdf`,
`POST .../answers/{position}/rating/`, `POST .../answers/{position}/transcript/` (correct a recording's transcript),
`GET .../answers/{position}/media/` (the recording), `POST .../decision/`; HR and recruiters only:
`POST .../release-feedback/` and the review requests (`/interview-review-requests/`, `POST .../{id}/resolve/`).

Candidate side (no login, the interview's secret token): `GET /interview-sessions/{token}/feedback/` and
`POST /interview-sessions/{token}/review-request/`."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.recruiting.access import RECRUITING_ROLES

from ..models import HumanReviewRequest, InterviewSession
from ..pdf import report_pdf
from ..selectors import reports as selectors
from ..selectors.sessions import report_media_extend
from ..services import feedback as feedback_services
from ..services import media as media_services
from ..services import review as review_services
from .report_serializers import (
    HRInterviewReportSerializer,
    InterviewAnswerRatingResultSerializer,
    InterviewAnswerRatingSerializer,
    InterviewDecisionSerializer,
    InterviewFeedbackReviewRequestSerializer,
    InterviewFeedbackSerializer,
    InterviewListItemSerializer,
    InterviewListParams,
    InterviewReviewReceiptSerializer,
    InterviewReviewRequestSerializer,
    ReportAnswerSerializer,
    ReviewRequestListParams,
    ReviewRequestResolveSerializer,
    TranscriptCorrectionSerializer,
)

MAX_ID = 2**63 - 1


def _user(request: Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number <= MAX_ID:
        raise NotFound(_("No such interview."))
    return number


def _document(request: Request, pk: int) -> dict[str, Any]:
    session = selectors.session_for_hr(actor=_user(request), session_id=pk)
    return report_media_extend(selectors.report_document(session), session)


def _report(request: Request, pk: int) -> Response:
    return Response(_document(request, pk))


class _HRView(APIView):
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = RECRUITING_ROLES


class InterviewListView(generics.ListAPIView[InterviewSession]):
    """AI interviews of the applications the caller may see, newest first."""

    serializer_class = InterviewListItemSerializer
    queryset = InterviewSession.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles: frozenset[str] = frozenset()
    filter_backends: list[Any] = []

    @extend_schema(parameters=[InterviewListParams])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[InterviewSession]:
        params = InterviewListParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = {k: v for k, v in params.validated_data.items() if v not in (None, "")}
        return selectors.interview_list(actor=_user(self.request), **filters)


class InterviewReportView(_HRView):
    @extend_schema(
        responses={200: HRInterviewReportSerializer},
        description="The interview's report: overall score, fit level, competency scores against the required "
        "ones, strengths and weaknesses with evidence, every answer with its score, the engine, HR's rating and "
        "decision, the released feedback and the candidate's review requests. While `status` is not `ready`, "
        "the scores are null and the lists empty (the answers are listed as they arrive).",
    )
    def get(self, request: Request, pk: int) -> Response:
        return _report(request, _pk(pk))


class InterviewReportPdfView(_HRView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The PDF answers whatever the client accepts; errors still leave as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The report as an A4 PDF (Chinese text rendered with an embedded font when one is installed).",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        document = _document(request, _pk(pk))
        response = HttpResponse(report_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="interview-report-{document["id"]}.pdf"'
        return response


class ReleaseFeedbackView(_HRView):
    write_roles = HR_AND_RECRUITING

    @extend_schema(
        request=None,
        responses={200: HRInterviewReportSerializer, 409: OpenApiResponse(description="The report is not ready.")},
        description="Write the candidate's feedback (in the interview's language, no scores) and email them the "
        "link. Releasing again changes nothing.",
    )
    def post(self, request: Request, pk: int) -> Response:
        feedback_services.feedback_release(actor=_user(request), session_id=_pk(pk))
        return _report(request, _pk(pk))


class AnswerRatingView(_HRView):
    @extend_schema(
        request=InterviewAnswerRatingSerializer, responses={200: InterviewAnswerRatingResultSerializer},
        description="HR's own 0-100 rating of one answer; the ratings calibrate the scorer "
        "(`talentloop calibrate-scoring`).",
    )
    def post(self, request: Request, pk: int, position: int) -> Response:
        body = InterviewAnswerRatingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = review_services.answer_rate(
            actor=_user(request), session_id=_pk(pk), position=int(position), rating=body.validated_data["rating"]
        )
        return Response({"position": int(position), "hr_rating": answer.hr_rating,
                         "rated_at": selectors.iso_time(answer.rated_at)})


class AnswerTranscriptView(_HRView):
    @extend_schema(
        request=TranscriptCorrectionSerializer,
        responses={
            200: ReportAnswerSerializer,
            400: OpenApiResponse(description="An empty transcript, or one over the answer length limit."),
            403: OpenApiResponse(description="Not an HR role with access to the application."),
            404: OpenApiResponse(description="No such interview or question."),
            409: OpenApiResponse(description="The answer is not a recording, or is still being analysed."),
        },
        description="Correct what the speech recogniser heard in a voice or video answer. The recogniser's "
        "transcript is kept (`transcript_original`), the answer is scored again from the correction like a typed "
        "answer, and a ready report is rebuilt. Returns the answer as the report shows it.",
    )
    def post(self, request: Request, pk: int, position: int) -> Response:
        body = TranscriptCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = _user(request)
        session = selectors.session_for_hr(actor=user, session_id=_pk(pk))
        media_services.answer_transcript_correct(
            actor=user, session=session, position=int(position), transcript=body.validated_data["transcript"],
        )
        document = _document(request, session.pk)
        answer = next(item for item in document["answers"] if item["position"] == int(position))
        return Response(answer)


class AnswerMediaView(_HRView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The recording answers whatever the client accepts; errors still leave as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: OpenApiResponse(description="Not an HR role with access to the application."),
            404: OpenApiResponse(description="No such interview, the answer has no recording, or the recording was "
                                 "deleted after the retention period (its transcript and scores are kept)."),
        },
        description="The recording of a voice or video answer as it was submitted (audio/webm, video/webm, "
        "video/mp4, ...), for whoever may see the report.",
    )
    def get(self, request: Request, pk: int, position: int) -> FileResponse:
        recording = media_services.answer_media_file(actor=_user(request), session_id=_pk(pk), position=int(position))
        response = FileResponse(recording.file, content_type=recording.content_type, filename=recording.filename)
        response["Cache-Control"] = "private, no-store"
        return response


class DecisionView(_HRView):
    @extend_schema(request=InterviewDecisionSerializer, responses={200: HRInterviewReportSerializer})
    def post(self, request: Request, pk: int) -> Response:
        body = InterviewDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        review_services.report_decide(
            actor=_user(request), session_id=_pk(pk), decision=data["decision"], comment=data.get("comment", ""),
            rating=data.get("rating"),
        )
        return _report(request, _pk(pk))


@extend_schema_view(list=extend_schema(parameters=[ReviewRequestListParams]))
class ReviewRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates' requests for a human review (instead of the AI interview, or of its result)."""

    serializer_class = InterviewReviewRequestSerializer
    queryset = HumanReviewRequest.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = HR_AND_RECRUITING
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[HumanReviewRequest]:
        filters: dict[str, Any] = {}
        if self.action == "list":
            params = ReviewRequestListParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            filters = {k: v for k, v in params.validated_data.items() if v not in (None, "")}
        return selectors.review_request_list(actor=_user(self.request), **filters)

    def get_object(self) -> HumanReviewRequest:
        return selectors.review_request_get(actor=_user(self.request), pk=_pk(self.kwargs["pk"]))

    @extend_schema(request=ReviewRequestResolveSerializer, responses={200: InterviewReviewRequestSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        body = ReviewRequestResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = self.get_object()
        review_services.review_request_resolve(
            actor=_user(request), request_id=found.pk, resolution=body.validated_data["resolution"]
        )
        return Response(self.get_serializer(self.get_object()).data)


# --- the candidate (token only) ----------------------------------------------------------------------------


class _CandidateView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class CandidateFeedbackView(_CandidateView):
    @extend_schema(
        responses={200: InterviewFeedbackSerializer, 404: OpenApiResponse(description="Unknown link, or the "
                   "feedback is not released (or no longer kept); `detail` says which.")},
        description="The released feedback in the interview's language: strengths and suggestions, no scores.",
    )
    def get(self, request: Request, token: str) -> Response:
        session, report = feedback_services.feedback_for_candidate(token=token)
        feedback = report.feedback or {}
        return Response({
            "language": feedback.get("language", session.language),
            "job": session.application.job.title,
            "strengths": list(feedback.get("strengths", [])),
            "suggestions": list(feedback.get("suggestions", [])),
            "delivery_tips": list(feedback.get("delivery_tips", [])),
            "released_at": selectors.iso_time(report.feedback_released_at),
            "available_until": selectors.iso_time(feedback_services.feedback_available_until(report)),
        })


class CandidateReviewRequestView(_CandidateView):
    @extend_schema(
        request=InterviewFeedbackReviewRequestSerializer, responses={201: InterviewReviewReceiptSerializer},
        description="Ask for a person to review the result. One open request per interview (a second is a 409).",
    )
    def post(self, request: Request, token: str) -> Response:
        body = InterviewFeedbackReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = feedback_services.review_request_submit(token=token, reason=body.validated_data["reason"])
        data = {"id": created.pk, "kind": created.kind, "status": created.status, "reason": created.reason,
                "created_at": selectors.iso_time(created.created_at)}
        return Response(data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern | URLResolver] = [
    path("interviews/", InterviewListView.as_view(), name="interview-list"),
    path("interviews/<int:pk>/report/", InterviewReportView.as_view(), name="interview-report"),
    path("interviews/<int:pk>/report.pdf", InterviewReportPdfView.as_view(), name="interview-report-pdf"),
    path("interviews/<int:pk>/release-feedback/", ReleaseFeedbackView.as_view(), name="interview-release-feedback"),
    path("interviews/<int:pk>/answers/<int:position>/rating/", AnswerRatingView.as_view(),
         name="interview-answer-rating"),
    path("interviews/<int:pk>/answers/<int:position>/transcript/", AnswerTranscriptView.as_view(),
         name="interview-answer-transcript"),
    path("interviews/<int:pk>/answers/<int:position>/media/", AnswerMediaView.as_view(),
         name="interview-answer-media"),
    path("interviews/<int:pk>/decision/", DecisionView.as_view(), name="interview-decision"),
    path("interview-sessions/<str:token>/feedback/", CandidateFeedbackView.as_view(),
         name="interview-session-feedback"),
    path("interview-sessions/<str:token>/review-request/", CandidateReviewRequestView.as_view(),
         name="interview-session-review-request"),
]


def register(router: BaseRouter) -> None:
    router.register("interview-review-requests", ReviewRequestViewSet, basename="interview-review-request")

