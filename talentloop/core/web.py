"""Plumbing for HTML views: login, and domain errors turned into the pages a person understands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import NotFound, PermissionDenied

V = TypeVar("V", bound=Callable[..., HttpResponse])


def staff_view(view: V) -> V:
    """Require a login; a PermissionDenied from a service or selector renders 403, NotFound renders 404.
    ValidationFailed is not caught here: forms show it next to the fields."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)
        except NotFound as exc:
            return render(request, "404.html", {"message": exc.message}, status=404)

    return cast(V, login_required(wrapper))


def apply_domain_errors(form: Any, errors: dict[str, list[str]]) -> None:
    """Put a service's per-field messages onto a Django form (unknown fields become form-wide errors)."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
