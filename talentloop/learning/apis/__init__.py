"""The learning API, mounted under /api/v1/ by config/api_urls.py: courses (catalogue.py), training
recommendations and enrolments (training.py), development plans (plans.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import catalogue, plans, training

_AREAS = (catalogue, training, plans)


def register(router: BaseRouter) -> None:
    for area in _AREAS:
        area.register(router)


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for area in _AREAS:
        patterns += area.urlpatterns
    return patterns
