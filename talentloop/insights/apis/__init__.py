"""The insights API (/api/v1/insights/...), mounted under /api/v1/ by config/api_urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import calibration, fairness, metrics

_AREAS = (calibration, metrics, fairness)


def register(router: BaseRouter) -> None:
    for area in _AREAS:
        area.register(router)


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for area in _AREAS:
        patterns += area.urlpatterns
    return patterns
