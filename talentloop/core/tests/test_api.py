"""API plumbing: the one exception handler, token authentication, pagination, the role gate and /healthz."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError
from django.http import Http404
from django.test import Client
from django.utils import translation
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from talentloop.core.api import (
    BearerTokenAuthentication,
    RolePermission,
    StandardPagination,
    exception_handler,
)
from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.services import api_token_issue
from talentloop.core.testing.factories import UserFactory


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def handle(exc: Exception) -> tuple[int, Any]:
    response = exception_handler(exc, {})
    assert response is not None
    return response.status_code, response.data


def test_domain_errors_map_to_their_status_with_per_field_messages() -> None:
    assert handle(ValidationFailed(errors={"name": ["Required."], "code": "Taken."})) == (
        400,
        {"detail": "name: Required. code: Taken.", "errors": {"name": ["Required."], "code": ["Taken."]}},
    )
    assert handle(ValidationFailed("Bad weights.", field="competency_model")) == (
        400,
        {"detail": "Bad weights.", "errors": {"competency_model": ["Bad weights."]}},
    )
    assert handle(PermissionDenied("No.")) == (403, {"detail": "No."})
    assert handle(NotFound("Gone.")) == (404, {"detail": "Gone."})
    assert handle(Conflict("Clash.")) == (409, {"detail": "Clash."})


def test_django_errors_are_translated_too() -> None:
    assert handle(DjangoValidationError({"email": ["Enter a valid email address."]})) == (
        400,
        {
            "detail": "email: Enter a valid email address.",
            "errors": {"email": ["Enter a valid email address."]},
        },
    )
    assert handle(DjangoValidationError("Broken.")) == (
        400,
        {"detail": "Broken.", "errors": {"non_field_errors": ["Broken."]}},
    )
    assert handle(IntegrityError("duplicate key")) == (
        409,
        {"detail": "The change conflicts with existing data and was not saved."},
    )
    assert handle(Http404()) == (404, {"detail": "Not found."})
    assert handle(DjangoPermissionDenied()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )


def test_nested_drf_errors_become_readable_text() -> None:
    class Line(serializers.Serializer[dict[str, Any]]):
        weight = serializers.DecimalField(max_digits=4, decimal_places=3)

    class Job(serializers.Serializer[dict[str, Any]]):
        title = serializers.CharField()
        lines = Line(many=True)

    data = Job(data={"title": "", "lines": [{"weight": "0.5"}, {"weight": "x"}]})
    assert not data.is_valid()
    status, body = handle(exceptions.ValidationError(data.errors))
    assert status == 400
    assert (
        body["detail"]
        == "title: This field may not be blank. lines: item 2: weight: A valid number is required."
    )
    assert "ErrorDetail" not in body["detail"]


def test_a_list_of_drf_errors_is_a_non_field_error() -> None:
    assert handle(exceptions.ValidationError(["First.", "Second."])) == (
        400,
        {"detail": "First.; Second.", "errors": {"non_field_errors": ["First.", "Second."]}},
    )


def test_unknown_exceptions_are_left_to_django() -> None:
    assert exception_handler(RuntimeError("bug"), {}) is None
    assert exception_handler(DatabaseError("down"), {}) is None


def test_pagination_limits() -> None:
    assert (StandardPagination.page_size, StandardPagination.max_page_size) == (50, 500)
    assert StandardPagination.page_size_query_param == "page_size"


def test_bearer_keyword() -> None:
    assert BearerTokenAuthentication.keyword == "Bearer"
    assert BearerTokenAuthentication().authenticate_header(APIRequestFactory().get("/")) == "Bearer"


@pytest.mark.django_db
def test_role_permission_reads_and_writes() -> None:
    class View(APIView):
        read_roles = frozenset({Role.HR_ADMIN, Role.EMPLOYEE})
        write_roles = frozenset({Role.HR_ADMIN})

    employee = make_user(username="e1", role=Role.EMPLOYEE)
    hr = make_user(username="h1", role=Role.HR_ADMIN)
    candidate = make_user(username="c1", role=Role.CANDIDATE)
    factory = APIRequestFactory()

    def allowed(user: Any, method: str) -> bool:
        request = Request(getattr(factory, method)("/"))
        request.user = user
        return RolePermission().has_permission(request, View())

    assert [allowed(employee, "get"), allowed(employee, "post"), allowed(employee, "patch")] == [
        True,
        False,
        False,
    ]
    assert [allowed(hr, "get"), allowed(hr, "post"), allowed(hr, "delete")] == [True, True, True]
    assert [allowed(candidate, "get"), allowed(candidate, "post")] == [False, False]


@pytest.mark.django_db
def test_token_authentication_end_to_end() -> None:
    user = make_user(username="integration", role=Role.HR_ADMIN)
    token = api_token_issue(user=user)
    assert len(token) == 40
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/departments/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/departments/").status_code == 401
    user.is_active = False
    user.save()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/api/v1/departments/")
    assert (response.status_code, response.json()) == (401, {"detail": "User inactive or deleted."})


@pytest.mark.django_db
def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Any:
        raise DatabaseError("connection refused")

    monkeypatch.setattr("talentloop.core.views.connection.cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "connection refused"}
