"""The interviews API, one module per area; config/api_urls.py mounts them under /api/v1/.

Each module defines `urlpatterns` and `register(router)`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import candidate, drafts, media, providers, questions, reports, sessions

_MODULES = (questions, drafts, sessions, candidate, media, reports, providers)


def register(router: BaseRouter) -> None:
    for module in _MODULES:
        module.register(router)


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    return [pattern for module in _MODULES for pattern in module.urlpatterns]
