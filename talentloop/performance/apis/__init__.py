"""The performance API: cycles, objectives, key results and their check-ins; config/api_urls.py mounts it
under /api/v1/ through `register(router)` and `extra_urlpatterns()`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import views


def register(router: BaseRouter) -> None:
    router.register("performance/cycles", views.CycleViewSet, basename="performance-cycle")
    router.register("objectives", views.ObjectiveViewSet, basename="objective")
    router.register("key-results", views.KeyResultViewSet, basename="key-result")
    router.register("kr-rules", views.KRRuleViewSet, basename="kr-rule")


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    return list(views.urlpatterns)
