"""REST endpoints of offers and of the hire action. HR admins and recruiters write offers, hiring managers read
those of their jobs; only HR admins hire (it creates the employee record). See talentloop/recruiting/apis/__init__.py
for how they are mounted."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR, HR_AND_RECRUITING
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.org.serializers import EmployeeSerializer

from .. import selectors
from ..access import RECRUITING_ROLES
from ..check_offer_serializers import (
    MAX_ID,
    HireAnswerSerializer,
    HireSerializer,
    OfferAnswerSerializer,
    OfferCreateSerializer,
    OfferListParams,
    OfferSendSerializer,
    OfferSerializer,
)
from ..models import Offer
from ..services import hire, offers
from .checks import ID_PATTERN, application_for_body, site_url

CONFLICT = OpenApiResponse(description="Not possible in the offer's state; `detail` says why.")


def _user(request: HttpRequest | Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    number = int(value)
    if number > MAX_ID:
        raise NotFound(_("No such offer, or you may not see it."))
    return number


@extend_schema_view(list=extend_schema(parameters=[OfferListParams]))
class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Offers of the applications the caller may see."""

    serializer_class = OfferSerializer
    queryset = Offer.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = RECRUITING_ROLES
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Offer]:
        params: dict[str, Any] = {}
        if self.action == "list":
            parsed = OfferListParams(data=self.request.query_params)
            parsed.is_valid(raise_exception=True)
            params = dict(parsed.validated_data)
        return offers.offer_list(user=_user(self.request), **params)

    def get_object(self) -> Offer:
        return offers.offer_get(user=_user(self.request), pk=_pk(self.kwargs["pk"]))

    def _answer(self, offer: Offer, code: int = status.HTTP_200_OK) -> Response:
        return Response(OfferSerializer(offers.offer_get(user=_user(self.request), pk=offer.pk)).data, status=code)

    @extend_schema(
        request=OfferCreateSerializer,
        responses={201: OfferSerializer, 409: CONFLICT},
        description="A draft offer; the letter is written from the template of the candidate's language. "
        "400 when the salary is not more than 0 or the start date is in the past; 409 when the application is "
        "closed or already has an open or accepted offer.",
    )
    def create(self, request: Request) -> Response:
        user = _user(request)
        serializer = OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offer = offers.offer_create(
            actor=user, application=application_for_body(user, data["application"]), title=data["title"],
            salary=data["salary"], start_date=data["start_date"], level=data["level"],
        )
        return self._answer(offer, status.HTTP_201_CREATED)

    @extend_schema(
        request=OfferSendSerializer,
        responses={200: OfferSerializer, 409: CONFLICT},
        description="Send a draft: the candidate is emailed the link and has `valid_days` days to answer; the "
        "application moves to the offer stage.",
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        serializer = OfferSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offers.offer_send(
            actor=_user(request), offer=self.get_object(), valid_days=serializer.validated_data["valid_days"],
            site_url=site_url(request),
        )
        return self._answer(offer)

    @extend_schema(
        request=OfferAnswerSerializer,
        responses={200: OfferSerializer, 409: CONFLICT},
        description="Record that the candidate accepted (when they answered other than through their link).",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        serializer = OfferAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offers.offer_record_acceptance(
            actor=_user(request), offer=self.get_object(), note=serializer.validated_data["note"]
        )
        return self._answer(offer)

    @extend_schema(
        request=OfferAnswerSerializer,
        responses={200: OfferSerializer, 409: CONFLICT},
        description="Record that the candidate declined.",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        serializer = OfferAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offers.offer_record_decline(
            actor=_user(request), offer=self.get_object(), note=serializer.validated_data["note"]
        )
        return self._answer(offer)

    @extend_schema(
        request=None, responses={200: OfferSerializer, 409: CONFLICT},
        description="Withdraw a draft or sent offer; the candidate's link then says so.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(offers.offer_withdraw(actor=_user(request), offer=self.get_object()))


class ApplicationHireView(APIView):
    """POST /api/v1/applications/{id}/hire/: hire the candidate whose offer was accepted (HR admins)."""

    permission_classes = [RolePermission]
    read_roles: frozenset[str] = frozenset()
    write_roles = HR

    @extend_schema(
        request=HireSerializer,
        responses={
            201: HireAnswerSerializer,
            200: OpenApiResponse(HireAnswerSerializer, description="An existing employee with the candidate's "
                                 "email was linked instead of creating one."),
            409: OpenApiResponse(description="No accepted offer, or already hired."),
        },
        description="Creates the employee (on probation, in the job's department unless `department` is given, at "
        "the offer's level, employee number \"E\" + the next number unless given) or links the existing employee "
        "with the candidate's email, and moves the application to hired.",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        serializer = HireSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = selectors.application_get(user=user, pk=_pk(pk))
        result = hire.application_hire(
            actor=user, application=application, hire_date=data["hire_date"], employee_no=data["employee_no"],
            department=data["department"], manager=data["manager"],
        )
        return Response(
            {"employee": EmployeeSerializer(result.employee).data},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# Mounted under /api/v1/ before the router.
urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/<int:pk>/hire/", ApplicationHireView.as_view(), name="application-hire"),
]


def register(router: BaseRouter) -> None:
    """Register this module's viewsets on the /api/v1/ router."""
    router.register("offers", OfferViewSet, basename="offer")
