"""(filled in by issue #5 work)"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

urlpatterns: list[URLPattern | URLResolver] = []


def register(router: BaseRouter) -> None:
    return None
