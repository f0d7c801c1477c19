"""The insights API for calibration (issue 7, items 1–3), mounted under /api/v1/:

* `GET insights/calibration/?job=ID` — per competency of the job's model: interview vs first-review
  performance of the job's hires (HR only).
* `GET insights/questions/?job=ID` — per question: the validity of its answer scores (HR only, paginated);
  `POST insights/questions/{id}/retire/` retires a question in one click (HR only).
* `GET insights/candidate-pool/?job=ID` — per competency: how the job's candidates scored (HR, recruiters).

Definitions: talentloop/insights/calibration.py and talentloop/assessment/insights/stats.py."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.api import RolePermission, StandardPagination
from talentloop.core.models import User
from talentloop.interviews.models import InterviewQuestion
from talentloop.org.models import Job

from .. import calibration as selectors
from ..pool import job_candidate_pool
from ..question_validity import insights_question_retire, job_question_validity

_JOB = OpenApiParameter("job", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="The job's id.")
_NOT_HR = OpenApiResponse(description="Not HR (candidate pool: not HR or a recruiter).")
_BAD = OpenApiResponse(description="No job given, or not a number.")
_NO_JOB = OpenApiResponse(description="No such job.")


class JobParams(serializers.Serializer[dict[str, Any]]):
    job = serializers.IntegerField(
        min_value=1, max_value=selectors.MAX_ID,
        error_messages={"required": _("Choose a job: ?job=<id>."), "invalid": _("A job is given by its id, a number."),
                        "min_value": _("No such job."), "max_value": _("No such job.")},
    )


def _job(request: Request, roles: frozenset[str]) -> Job:
    params = JobParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    return selectors.insights_job_get(user=cast(User, request.user), pk=params.validated_data["job"], roles=roles)


# --- calibration ----------------------------------------------------------------------------------------------


class CalibrationCompetencySerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(help_text="The competency's id.")
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    n = serializers.IntegerField(help_text="Hires of the job with both an interview and a performance score in it.")
    mean_interview = serializers.FloatField(
        allow_null=True, help_text="Mean interview score of those hires (latest ready interview report); null below "
        "min_n.")
    mean_performance = serializers.FloatField(
        allow_null=True, help_text="Mean performance score (first submitted review that scored it); null below min_n.")
    gap = serializers.FloatField(
        allow_null=True, help_text="Mean of performance − interview per hire (negative: the interview over-rated).")
    gap_ci = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, min_length=2, max_length=2,
        help_text="95% confidence interval of the gap [low, high]: gap ± t(0.975, n−1)·sd/√n.")
    pearson = serializers.FloatField(allow_null=True, help_text="Pearson r of interview and performance scores.")
    spearman = serializers.FloatField(allow_null=True, help_text="Spearman ρ (rank correlation) of the same pairs.")
    flag = serializers.CharField(
        allow_null=True,
        help_text="over_rated, low_validity, not_enough_data or null. not_enough_data: n < min_n. over_rated: the "
        "gap CI's upper end is below −TALENTLOOP_INSIGHTS_GAP_MARGIN. low_validity: Pearson r below "
        "TALENTLOOP_INSIGHTS_LOW_VALIDITY or undefined. null: none.")
    recommendation = serializers.CharField(
        allow_null=True, help_text="What to do for a flagged competency, naming its questions in use; else null.")


class CalibrationSerializer(serializers.Serializer[Any]):
    competencies = CalibrationCompetencySerializer(many=True)
    min_n = serializers.IntegerField(help_text="The minimum sample (TALENTLOOP_INSIGHTS_MIN_N).")


def calibration_document(calibration: selectors.JobCalibration) -> dict[str, Any]:
    rows = []
    for row in calibration.competencies:
        rows.append({
            "competency": row.competency.pk, "code": row.code, "name": row.competency.display_name, "n": row.n,
            "mean_interview": selectors.rounded(row.mean_interview),
            "mean_performance": selectors.rounded(row.mean_performance),
            "gap": selectors.rounded(row.gap),
            "gap_ci": None if row.gap_ci is None else [round(row.gap_ci[0], 2), round(row.gap_ci[1], 2)],
            "pearson": selectors.rounded(row.pearson.r if row.pearson else None, 3),
            "spearman": selectors.rounded(row.spearman.r if row.spearman else None, 3),
            "flag": row.flag, "recommendation": row.recommendation,
        })
    return {"competencies": rows, "min_n": calibration.min_n}


class CalibrationView(APIView):
    permission_classes = [RolePermission]
    read_roles = selectors.CALIBRATION_ROLES
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        operation_id="insights_calibration", parameters=[_JOB],
        responses={200: CalibrationSerializer, 400: _BAD, 403: _NOT_HR, 404: _NO_JOB},
        description=(
            "Interview vs performance calibration of a job, per competency of its model: for the job's hires with "
            "both scores, the mean interview score, the mean performance score (first submitted review), the mean "
            "gap with its 95% confidence interval, and Pearson and Spearman correlations (the interview's "
            "predictive validity). Below `min_n` hires the statistics are null and the flag is not_enough_data. "
            "HR only."
        ),
    )
    def get(self, request: Request) -> Response:
        job = _job(request, selectors.CALIBRATION_ROLES)
        return Response(calibration_document(selectors.job_calibration(user=cast(User, request.user), job=job)))


# --- question validity ----------------------------------------------------------------------------------------


class QuestionValiditySerializer(serializers.Serializer[Any]):
    question = serializers.IntegerField(help_text="The bank question's id.")
    code = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    competency = serializers.IntegerField(help_text="The question's competency id.")
    competency_code = serializers.CharField()
    competency_name = serializers.CharField()
    is_active = serializers.BooleanField(help_text="False once retired.")
    n = serializers.IntegerField(help_text="Hires whose interview asked it (scored) and who have a performance "
                                           "score in its competency.")
    mean_score = serializers.FloatField(allow_null=True, help_text="Mean answer score; null below min_n.")
    correlation = serializers.FloatField(
        allow_null=True, help_text="Pearson r of answer scores with the hire's performance score in the question's "
        "competency (first submitted review); null below min_n or when scores do not vary.")
    p_value = serializers.FloatField(allow_null=True, help_text="Two-sided p-value of the correlation.")
    suggestion = serializers.CharField(
        help_text="retire, revise, keep or not_enough_data. not_enough_data: n < min_n; retire: r ≤ 0; revise: "
        "0 < r < TALENTLOOP_INSIGHTS_LOW_VALIDITY or answer scores do not vary; keep: otherwise.")
    reason = serializers.CharField(help_text="The suggestion in words.")


def question_row(row: Any) -> dict[str, Any]:
    question = row.question
    return {
        "question": question.pk, "code": question.code, "text": question.text, "language": question.language,
        "competency": question.competency_id, "competency_code": question.competency.code,
        "competency_name": question.competency.display_name, "is_active": question.is_active, "n": row.n,
        "mean_score": selectors.rounded(row.mean_score),
        "correlation": selectors.rounded(row.pearson.r if row.pearson else None, 3),
        "p_value": selectors.rounded(row.pearson.p_value if row.pearson else None, 4),
        "suggestion": row.suggestion, "reason": row.reason,
    }


class QuestionValidityView(ListAPIView):
    permission_classes = [RolePermission]
    read_roles = selectors.CALIBRATION_ROLES
    write_roles: frozenset[str] = frozenset()
    serializer_class = QuestionValiditySerializer
    pagination_class = StandardPagination
    filter_backends: list[Any] = []
    queryset = InterviewQuestion.objects.none()  # for the schema generator; list() computes the rows

    @extend_schema(
        operation_id="insights_questions_list", parameters=[_JOB],
        responses={200: QuestionValiditySerializer(many=True), 400: _BAD, 403: _NOT_HR, 404: _NO_JOB},
        description=(
            "Question validity for a job: per question asked to its hires (and per question in use for its "
            "competencies), the correlation of its answer scores with the hire's later performance score in the "
            "question's competency, and a suggestion: retire, revise, keep or not_enough_data. Competencies in "
            "the model's order, worst first within each. HR only."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = _job(request, selectors.CALIBRATION_ROLES)
        rows = [question_row(r) for r in job_question_validity(user=cast(User, request.user), job=job).questions]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(QuestionValiditySerializer(page, many=True).data)


class RetiredQuestionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    is_active = serializers.BooleanField()
    retired_at = serializers.DateTimeField(allow_null=True)


class QuestionRetireView(APIView):
    permission_classes = [RolePermission]
    read_roles: frozenset[str] = frozenset()
    write_roles = selectors.CALIBRATION_ROLES

    @extend_schema(
        operation_id="insights_question_retire", request=None,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The question's id.")],
        responses={200: RetiredQuestionSerializer, 403: _NOT_HR, 404: OpenApiResponse(description="No such question.")},
        description=(
            "Retire a question (HR only): it is never generated for new interviews again and stays for past "
            "ones. Retiring a retired question changes nothing. Same effect as DELETE /api/v1/questions/{id}/."
        ),
    )
    def post(self, request: Request, id: int) -> Response:
        question = insights_question_retire(actor=cast(User, request.user), question_id=int(id))
        return Response(RetiredQuestionSerializer({
            "id": question.pk, "code": question.code, "is_active": question.is_active,
            "retired_at": question.retired_at,
        }).data)


# --- candidate pool -------------------------------------------------------------------------------------------


class PoolCompetencySerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(help_text="The competency's id.")
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    n = serializers.IntegerField(help_text="Candidates of the job with an interview score in it (each once: their "
                                           "latest ready report for this job).")
    mean_interview = serializers.FloatField(allow_null=True, help_text="Their mean interview score; null below min_n.")
    required_score = serializers.IntegerField(help_text="The job model's required score.")
    share_below_required = serializers.FloatField(
        allow_null=True, help_text="Share (0–1) of those candidates strictly below the required score.")
    flag = serializers.CharField(
        allow_null=True,
        help_text="low_across_pool, not_enough_data or null. low_across_pool: the mean is more than "
        "TALENTLOOP_INSIGHTS_GAP_MARGIN points below the required score (n ≥ min_n); not_enough_data: n < min_n; "
        "null: none.")
    suggestion = serializers.CharField(allow_null=True, help_text="What to do for a flagged competency; else null.")


class CandidatePoolSerializer(serializers.Serializer[Any]):
    competencies = PoolCompetencySerializer(many=True)
    min_n = serializers.IntegerField(help_text="The minimum sample (TALENTLOOP_INSIGHTS_MIN_N).")


def pool_document(pool: Any) -> dict[str, Any]:
    return {
        "competencies": [{
            "competency": row.competency.pk, "code": row.code, "name": row.competency.display_name, "n": row.n,
            "mean_interview": selectors.rounded(row.mean_interview), "required_score": row.required_score,
            "share_below_required": selectors.rounded(row.share_below_required, 3), "flag": row.flag,
            "suggestion": row.suggestion,
        } for row in pool.competencies],
        "min_n": pool.min_n,
    }


class CandidatePoolView(APIView):
    permission_classes = [RolePermission]
    read_roles = selectors.POOL_ROLES
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        operation_id="insights_candidate_pool", parameters=[_JOB],
        responses={200: CandidatePoolSerializer, 400: _BAD, 403: _NOT_HR, 404: _NO_JOB},
        description=(
            "Candidate-pool signals for a job, per competency of its model: the candidates' mean interview score, "
            "how many, the required score and the share below it; a competency where candidates score low across "
            "the board is flagged with a suggestion (adjust the questions or state the requirement in the "
            "posting). HR and recruiters."
        ),
    )
    def get(self, request: Request) -> Response:
        job = _job(request, selectors.POOL_ROLES)
        return Response(pool_document(job_candidate_pool(user=cast(User, request.user), job=job)))


def register(router: BaseRouter) -> None:
    pass


urlpatterns: list[URLPattern | URLResolver] = [
    path("insights/calibration/", CalibrationView.as_view(), name="insights-calibration"),
    path("insights/questions/", QuestionValidityView.as_view(), name="insights-questions"),
    path("insights/questions/<int:id>/retire/", QuestionRetireView.as_view(), name="insights-question-retire"),
    path("insights/candidate-pool/", CandidatePoolView.as_view(), name="insights-candidate-pool"),
]
