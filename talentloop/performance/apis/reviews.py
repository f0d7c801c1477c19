"""REST endpoints for competency reviews: `/api/v1/reviews/` (list, create, retrieve, update) and
`POST /api/v1/reviews/{id}/submit/`. HR and managers (for their team) write drafts and submit them;
employees read their own reviews once submitted. The services (performance/reviews.py) check every rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.assessment import review as review_maths
from talentloop.core.errors import ValidationFailed
from talentloop.org.models import Competency, Employee

from .. import reviews
from ..models import PerformanceCycle, Review, ReviewScore
from .views import _ServiceViewSet, _user


# Wide enough that an out-of-range rating reaches the service, which names the competency in its message.
def _rating(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=10, coerce_to_string=False, required=False, allow_null=True, help_text=help_text,
    )


class _CompetencyCode(serializers.SlugField):
    """A competency by its code. Codes are resolved together in _service_values, so an unknown one gets the
    same flat message as the services' other refusals."""

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value))


class ReviewScoreSerializer(serializers.ModelSerializer[ReviewScore]):
    competency = _CompetencyCode(max_length=50, help_text="The competency's code.")
    competency_name = serializers.SerializerMethodField()
    score = _rating(
        "The competency's score 0-100. Omitted: computed from the manager rating, the 360° aggregate and the "
        "KPI/OKR evidence with the cycle's weights."
    )
    manager_rating = _rating("The manager's rating 0-100.")
    feedback_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True,
        help_text="Mean of the submitted non-self 360° answers about this competency in the cycle.",
    )
    results_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True,
        help_text="KPI targets linked to the competency and key results drafted from it, 0-100.",
    )

    class Meta:
        model = ReviewScore
        fields = [
            "competency", "competency_name", "score", "manager_rating", "feedback_score", "results_score", "comment",
        ]
        extra_kwargs = {"comment": {"required": False, "allow_blank": True}}

    @extend_schema_field(serializers.CharField())
    def get_competency_name(self, obj: ReviewScore) -> str:
        return obj.competency.display_name


class ReviewSerializer(serializers.ModelSerializer[Review]):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    cycle = serializers.PrimaryKeyRelatedField(queryset=PerformanceCycle.objects.all())
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)
    competency_scores = ReviewScoreSerializer(
        many=True, source="scores", required=False,
        help_text="One entry per competency of the employee's job model. Omitted (or a competency left out): "
        "computed from the sources. On update the list replaces every entry.",
    )
    overall_score = _rating("0-100. Omitted: the competency scores' mean weighted by the job's competency model.")
    band = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2,
        help_text="S (≥ 90), A (≥ 80), B (≥ 70), C (≥ 60) or D. Omitted: the overall score's band.",
    )
    meets = serializers.SerializerMethodField(help_text="Whether the band meets the requirements (S, A or B).")

    class Meta:
        model = Review
        fields = [
            "id", "employee", "employee_name", "cycle", "cycle_name", "reviewer", "status", "competency_scores",
            "overall_score", "band", "meets", "summary", "submitted_at", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "reviewer", "status", "submitted_at", "created_at", "updated_at"]
        extra_kwargs = {"summary": {"required": False, "allow_blank": True}}
        validators: list[Any] = []  # one review per employee and cycle: the service answers 409 with a message

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_meets(self, obj: Review) -> bool | None:
        return review_maths.meets(obj.band) if obj.band else None


class ReviewListParams(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(required=False, min_value=1)
    employee = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Review.Status.choices, required=False)


def _service_values(data: dict[str, Any]) -> dict[str, Any]:
    """The serializer's output as the services take it: competency codes become Competency rows."""
    values = dict(data)
    if "scores" in values:
        items = [dict(item) for item in values.pop("scores")]
        found = {c.code: c for c in Competency.objects.filter(code__in=[item["competency"] for item in items])}
        unknown = [str(item["competency"]) for item in items if item["competency"] not in found]
        if unknown:
            raise ValidationFailed(errors={"competency_scores": [
                _("No competency has the code “%(code)s”.") % {"code": code} for code in unknown
            ]})
        values["competency_scores"] = [{**item, "competency": found[item["competency"]]} for item in items]
    return values


@extend_schema_view(list=extend_schema(parameters=[ReviewListParams]))
class ReviewViewSet(_ServiceViewSet):
    """Competency reviews: a score 0-100 per competency of the employee's job model, an overall score and a
    band. HR and the employee's manager write and submit; the employee reads their own once submitted."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()  # for the schema generator; get_queryset() is what runs
    list_params = ReviewListParams

    def get_queryset(self) -> QuerySet[Review]:
        return reviews.review_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> Review:
        return reviews.review_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> Review:
        values = _service_values(data)
        values["summary"] = values.get("summary") or ""
        return reviews.review_create(actor=_user(self.request), **values)

    def _update(self, obj: Review, data: dict[str, Any]) -> Review:
        return reviews.review_update(actor=_user(self.request), review=obj, changes=_service_values(data))

    @extend_schema(
        request=None, responses=ReviewSerializer,
        description="Submit a draft review: every competency of the job model needs a score. It can no longer "
        "change, the employee can read it, and it joins the employee's timeline.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        review = reviews.review_submit(actor=_user(request), review=self.get_object())
        return Response(self.get_serializer(self._get(review.pk)).data)


def register(router: BaseRouter) -> None:
    router.register("reviews", ReviewViewSet, basename="review")


urlpatterns: list[URLPattern | URLResolver] = []
