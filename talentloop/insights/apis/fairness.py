"""The insights API: fairness (filled in by issue 7's work)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    pass


urlpatterns: list[URLPattern | URLResolver] = []
