"""API plumbing shared by every app: token auth, pagination, and the one place errors become HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from .access import has_role
from .errors import DomainError
from .pagination import IdFirstPaginator

if TYPE_CHECKING:
    from rest_framework.views import APIView


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the form integrations expect (DRF's default keyword is 'Token')."""

    keyword = "Bearer"


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class LargeTablePagination(StandardPagination):
    """For lists that reach 100,000 rows (employees): ids first, then the rows (see IdFirstPaginator)."""

    django_paginator_class = IdFirstPaginator


def _messages(value: Any) -> list[str]:
    """Plain messages from DRF's error structure; nested ones (lists of objects) labelled by item, field."""
    if isinstance(value, dict):
        found: list[str] = []
        for key, inner in value.items():
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                label = _("item %(n)d") % {"n": int(key) + 1}
            else:
                label = "" if key == "non_field_errors" else str(key)
            found.extend(f"{label}: {m}" if label else m for m in _messages(inner))
        return found
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) for v in value):
            return _messages({i: v for i, v in enumerate(value) if v})
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def _detail_from_errors(errors: dict[str, Any]) -> str:
    parts = []
    for field, messages in errors.items():
        text = "; ".join(_messages(messages))
        parts.append(text if field == "non_field_errors" else f"{field}: {text}")
    return " ".join(parts)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error leaves as JSON with a human-readable `detail` and, for validation, per-field messages."""
    # Imported here: DRF's settings import this module while rest_framework.views is still loading.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        detail = str(exc.message) if exc.message else _detail_from_errors(exc.errors)
        body: dict[str, Any] = {"detail": detail}
        if exc.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"detail": _detail_from_errors(errors), "errors": errors}, status=400)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The change conflicts with existing data and was not saved.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        # Django's own answer would be an HTML page; an API caller gets the same JSON shape as every error.
        return Response(
            {"detail": _("The request is too large (over %(mb)d MB).")
             % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        drf_errors: dict[str, Any]
        if isinstance(response.data, dict):
            drf_errors = {k: v if isinstance(v, list | dict) else [v] for k, v in response.data.items()}
        else:
            drf_errors = {"non_field_errors": response.data}
        response.data = {"detail": _detail_from_errors(drf_errors), "errors": drf_errors}
    return response


class RolePermission(BasePermission):
    """Role gate before any input is read, so a caller without the role gets 403 rather than a 400.
    Views declare `read_roles` and `write_roles`; services repeat the check on the object."""

    message = _lazy("You do not have permission to do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        safe = request.method in SAFE_METHODS
        roles = getattr(view, "read_roles", ()) if safe else getattr(view, "write_roles", ())
        return has_role(request.user, roles)
