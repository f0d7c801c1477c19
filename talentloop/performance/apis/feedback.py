"""REST endpoints for 360° feedback: parse, call one selector or service, render.

`/api/v1/feedback-requests/` (HR and managers create, for their reach; everyone in performance lists what they
may see), `GET .../{id}/results/` (aggregates with anonymity: HR, the subject, their managers),
`GET .../{id}/responses/` (raw answers, HR only, peers and reports without names), `POST .../{id}/responses/`
(answer as the logged-in rater) and `POST .../{id}/close/`. Raters without a login answer on the page their
emailed link opens (/feedback/<token>/)."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.org.models import Employee

from .. import feedback as services
from .. import feedback_selectors as selectors
from ..models import FeedbackInvitation, FeedbackRequest, PerformanceCycle
from ..selectors import MAX_ID, PERFORMANCE_ROLES

Relation = FeedbackInvitation.Relation


# --- shapes -----------------------------------------------------------------------------------------------


class RaterInputSerializer(serializers.Serializer[dict[str, Any]]):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    relation = serializers.ChoiceField(choices=Relation.choices)


class FeedbackRequestCreateSerializer(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    subject = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The employee the feedback is about.")
    deadline = serializers.DateTimeField()
    scale = serializers.ChoiceField(choices=FeedbackRequest.Scale.choices, default=FeedbackRequest.Scale.FIVE)
    raters = serializers.ListField(
        child=RaterInputSerializer(), required=False, max_length=services.MAX_RATERS,
        help_text="Who rates, and as what. Omitted: the subject (self), their manager, peers (same manager) "
        "and direct reports.",
    )


class GroupStatusSerializer(serializers.Serializer[Any]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    relation_label = serializers.CharField(source="label")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField(
        allow_null=True,
        help_text="null: a peer or report group with fewer answers than the anonymity minimum (shown to HR).",
    )


class InvitationStatusSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    rater = serializers.IntegerField(source="rater.pk")
    rater_name = serializers.CharField(source="rater.name")
    relation = serializers.ChoiceField(choices=Relation.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    link = serializers.CharField(
        required=False, help_text="The rater's secret link; only in HR's answer to the creation."
    )


class MyInvitationSerializer(serializers.Serializer[Any]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)


class FeedbackRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    cycle = serializers.IntegerField()
    cycle_name = serializers.CharField()
    subject = serializers.IntegerField()
    subject_name = serializers.CharField()
    scale = serializers.ChoiceField(choices=FeedbackRequest.Scale.choices)
    deadline = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=FeedbackRequest.Status.choices)
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    groups = GroupStatusSerializer(many=True)
    invitations = InvitationStatusSerializer(
        many=True, allow_null=True, help_text="Each rater and whether they answered: HR only (null for others)."
    )
    my_invitation = MyInvitationSerializer(allow_null=True, help_text="The asking user's own invitation, if any.")
    may_see_results = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class GroupResultSerializer(serializers.Serializer[Any]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    relation_label = serializers.CharField(source="label")
    n = serializers.IntegerField(allow_null=True, help_text="Raters who rated; null when the group is hidden.")
    mean = serializers.FloatField(allow_null=True, help_text="Mean score 0-100; null when hidden or no answers.")
    hidden = serializers.BooleanField(help_text="A peer or report group with fewer raters than `min_group`.")
    comments = serializers.ListField(child=serializers.CharField())


class CompetencyResultSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    others = serializers.FloatField(allow_null=True, help_text="Mean of the non-self answers of the groups shown.")
    groups = GroupResultSerializer(many=True)


class GroupCommentsSerializer(serializers.Serializer[Any]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    relation_label = serializers.CharField(source="label")
    comments = serializers.ListField(child=serializers.CharField())


class FeedbackResultsSerializer(serializers.Serializer[Any]):
    request = serializers.IntegerField()
    scale = serializers.ChoiceField(choices=FeedbackRequest.Scale.choices)
    min_group = serializers.IntegerField(help_text="Peers or reports shown only when at least this many rated.")
    competencies = CompetencyResultSerializer(many=True)
    comments = GroupCommentsSerializer(many=True)


class RawAnswerSerializer(serializers.Serializer[Any]):
    competency = serializers.CharField()
    name = serializers.CharField()
    rating = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField()


class RawResponseSerializer(serializers.Serializer[Any]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    relation_label = serializers.CharField(source="label")
    rater = serializers.IntegerField(source="rater.pk", allow_null=True, help_text="null for peers and reports.")
    rater_name = serializers.CharField(source="rater.name", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="null for peers and reports.")
    comment = serializers.CharField()
    answers = RawAnswerSerializer(many=True)


class AnswerInputSerializer(serializers.Serializer[dict[str, Any]]):
    competency = serializers.CharField(max_length=50, help_text="The competency's code.")
    rating = serializers.DecimalField(
        max_digits=8, decimal_places=4, help_text="On the request's scale: 0-100, or a whole number 1-5."
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_COMMENT, default="")


class RespondSerializer(serializers.Serializer[dict[str, Any]]):
    answers = serializers.ListField(child=AnswerInputSerializer(), max_length=200)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_COMMENT, default="")


class RespondedSerializer(serializers.Serializer[Any]):
    request = serializers.IntegerField(source="request_id")
    relation = serializers.ChoiceField(choices=Relation.choices)
    submitted_at = serializers.DateTimeField()
    comment = serializers.CharField()
    answers = RawAnswerSerializer(many=True)


class FeedbackListParams(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    subject = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="The subject's id.")
    status = serializers.ChoiceField(choices=FeedbackRequest.Status.choices, required=False)


# --- rendering --------------------------------------------------------------------------------------------


def _user(request: Request) -> User:
    return cast(User, request.user)


def request_data(user: User, obj: FeedbackRequest, *, links: bool = False) -> dict[str, Any]:
    state = selectors.feedback_request_status(user=user, request=obj)
    invitations = None
    if state.invitations is not None:
        tokens = {i.pk: i.token for i in obj.invitations.all()} if links else {}
        invitations = [
            {"id": i.id, "rater": i.rater, "relation": i.relation, "submitted_at": i.submitted_at,
             **({"link": services.feedback_url(FeedbackInvitation(token=tokens[i.id]))} if links else {})}
            for i in state.invitations
        ]
    mine = state.my_invitation
    return {
        "id": obj.pk, "cycle": obj.cycle_id, "cycle_name": obj.cycle.name, "subject": obj.subject_id,
        "subject_name": obj.subject.name, "scale": obj.scale, "deadline": obj.deadline, "status": obj.status,
        "invited": state.invited, "answered": state.answered, "groups": state.groups, "invitations": invitations,
        "my_invitation": {"relation": mine.relation, "submitted_at": mine.submitted_at} if mine else None,
        "may_see_results": state.may_see_results, "created_at": obj.created_at,
    }


def _pk(value: Any) -> int:
    number = int(value) if str(value).isdigit() else 0
    if not 0 < number <= MAX_ID:
        raise NotFound(_("No such 360° request."))
    return number


_BAD = OpenApiResponse(description="Bad input; `errors` names each bad field.")


@extend_schema_view(
    list=extend_schema(parameters=[FeedbackListParams], responses=FeedbackRequestSerializer(many=True)),
    retrieve=extend_schema(responses=FeedbackRequestSerializer),
)
class FeedbackRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """360° feedback requests with each rater group's progress."""

    permission_classes = [RolePermission]
    read_roles = PERFORMANCE_ROLES
    write_roles = PERFORMANCE_ROLES
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    serializer_class = FeedbackRequestSerializer
    queryset = FeedbackRequest.objects.none()  # for the schema generator; the selectors are what run

    def _get(self, pk: Any) -> FeedbackRequest:
        return selectors.feedback_request_get(user=_user(self.request), pk=_pk(pk))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = FeedbackListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {k: v for k, v in params.validated_data.items() if v not in (None, "")}
        page = self.paginate_queryset(selectors.feedback_request_list(user=_user(request), **filters))
        data = [request_data(_user(request), obj) for obj in page or []]
        return self.get_paginated_response(FeedbackRequestSerializer(data, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self._get(kwargs["pk"])
        return Response(FeedbackRequestSerializer(request_data(_user(request), obj)).data)

    @extend_schema(
        request=FeedbackRequestCreateSerializer,
        responses={201: FeedbackRequestSerializer, 400: _BAD,
                   403: OpenApiResponse(description="HR, or a manager for themself and their team."),
                   409: OpenApiResponse(description="The subject already has a request in this cycle, or the "
                                                    "cycle is closed.")},
        description="Ask for 360° feedback about an employee. Each rater is emailed a personal link "
        "(/feedback/<token>/); HR's answer also lists the links.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = FeedbackRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        cycle = PerformanceCycle.objects.filter(pk=data["cycle"]).first()
        subject = Employee.objects.filter(pk=data["subject"]).first()
        errors: dict[str, list[str]] = {}
        if cycle is None:
            errors["cycle"] = [_("No such performance cycle.")]
        if subject is None:
            errors["subject"] = [_("No such employee.")]
        if cycle is None or subject is None:
            raise ValidationFailed(errors=errors)
        raters = None
        if "raters" in data:
            raters = [(r["employee"], r["relation"]) for r in data["raters"]]
        obj = services.feedback_request_create(
            actor=_user(request), cycle=cycle, subject=subject, deadline=data["deadline"], scale=data["scale"],
            raters=raters,
        )
        obj = self._get(obj.pk)
        data_out = request_data(_user(request), obj, links=True)
        return Response(FeedbackRequestSerializer(data_out).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: FeedbackResultsSerializer,
                   403: OpenApiResponse(description="Only HR, the subject and their managers.")},
        description="Aggregated results per competency and rater group. Peer and report groups are shown only "
        "when at least `min_group` of them rated; raters are never named.",
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        obj = self._get(pk)
        result = selectors.feedback_results(user=_user(request), request=obj)
        data = {
            "request": obj.pk, "scale": obj.scale, "min_group": result.min_group,
            "competencies": result.competencies,
            "comments": [{"relation": r, "label": label, "comments": list(c)} for r, label, c in result.comments],
        }
        return Response(FeedbackResultsSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        responses={200: RawResponseSerializer(many=True),
                   403: OpenApiResponse(description="Only HR reads individual answers.")},
        description="Each rater's answers (HR only). Peers and reports are not named.",
    )
    @extend_schema(
        methods=["POST"], request=RespondSerializer,
        responses={201: RespondedSerializer, 400: _BAD,
                   403: OpenApiResponse(description="The user is not a rater of this request."),
                   409: OpenApiResponse(description="Already answered, the request is closed or its deadline "
                                                    "has passed.")},
        description="Answer as the logged-in rater: a rating per competency (at least one) on the request's scale.",
    )
    @action(detail=True, methods=["get", "post"])
    def responses(self, request: Request, pk: str | None = None) -> Response:
        obj = self._get(pk)
        if request.method == "GET":
            rows = selectors.feedback_responses(user=_user(request), request=obj)
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(RawResponseSerializer(page, many=True).data)
        body = RespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = services.feedback_respond(
            actor=_user(request), request=obj, answers=services.answers_from(body.validated_data),
            comment=body.validated_data["comment"],
        )
        answers = [
            {"competency": a.competency.code, "name": a.competency.display_name, "rating": a.rating,
             "score": a.score, "comment": a.comment}
            for a in invitation.answers.select_related("competency").order_by("competency__code")
        ]
        data = {"request_id": invitation.request_id, "relation": invitation.relation,
                "submitted_at": invitation.submitted_at, "comment": invitation.comment, "answers": answers}
        return Response(RespondedSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: FeedbackRequestSerializer, 403: OpenApiResponse(description="HR or the subject's manager."),
                   409: OpenApiResponse(description="Already closed.")},
        description="Close the request: no more answers.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        obj = services.feedback_request_close(actor=_user(request), request=self._get(pk))
        return Response(FeedbackRequestSerializer(request_data(_user(request), self._get(obj.pk))).data)


def register(router: BaseRouter) -> None:
    router.register("feedback-requests", FeedbackRequestViewSet, basename="feedback-request")


urlpatterns: list[URLPattern | URLResolver] = []
