"""A running OKR cycle on top of the project's `org` fixture: everyone but the candidate's side takes part."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.performance import services
from talentloop.performance.models import PerformanceCycle


@pytest.fixture
def cycle(org: dict[str, Any]) -> PerformanceCycle:
    employees = org["employees"]
    return services.cycle_create(
        actor=org["users"]["hr"], name="2026 Q3", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
        kind=PerformanceCycle.Kind.QUARTERLY, method=PerformanceCycle.Method.OKR,
        employees=[e.pk for e in employees.values()],
    )


@pytest.fixture
def api() -> APIClient:
    """Clients that ask for English (the default language is Chinese), so messages read as the tests expect;
    a test asking for Chinese passes its own Accept-Language."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
