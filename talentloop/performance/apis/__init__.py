"""The performance API: cycles, objectives, key results and check-ins, KR rules, KPIs, 360° feedback,
reviews and the employee profile; config/api_urls.py mounts it under /api/v1/ through `register(router)`
and `extra_urlpatterns()`. Each area's module registers its own viewsets and extra paths."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from . import feedback, kpis, phases, profile, reviews, views

_AREAS = (phases, kpis, feedback, reviews, profile)


def register(router: BaseRouter) -> None:
    router.register("performance/cycles", views.CycleViewSet, basename="performance-cycle")
    router.register("objectives", views.ObjectiveViewSet, basename="objective")
    router.register("key-results", views.KeyResultViewSet, basename="key-result")
    router.register("kr-rules", views.KRRuleViewSet, basename="kr-rule")
    for area in _AREAS:
        area.register(router)


def extra_urlpatterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for area in _AREAS:
        patterns += area.urlpatterns
    return [*patterns, *views.urlpatterns]
