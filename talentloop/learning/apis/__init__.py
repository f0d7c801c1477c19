"""The learning API, mounted under /api/v1/ by config/api_urls.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import catalogue


def register(router: BaseRouter) -> None:
    catalogue.register(router)


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    return list(catalogue.urlpatterns)
