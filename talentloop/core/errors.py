"""The few domain errors services raise. One handler (core.api.exception_handler) maps them to HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: Any = "", *, field: str | None = None, errors: Mapping[str, Any] | None = None):
        self.message = message
        self.errors: dict[str, list[Any]] = {}
        if errors:
            self.errors = {k: (list(v) if isinstance(v, list | tuple) else [v]) for k, v in errors.items()}
        elif field:
            self.errors = {field: [message]}
        super().__init__(str(message) if message else str(self.errors))


class ValidationFailed(DomainError):
    """Input breaks a business rule. Carries a message per field."""

    status_code = 400


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class PayloadTooLarge(DomainError):
    """An upload over a configured size limit."""

    status_code = 413


class UnsupportedMediaType(DomainError):
    """An upload whose bytes are not of a kind the endpoint takes (e.g. not a recording), whatever it claims."""

    status_code = 415
