"""Fixtures shared by the split organisation API and service tests. None is autouse: the modules that
need a language fixture name it in their `pytestmark` (the other tests of this folder are untouched)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from talentloop.org.models import Competency


@pytest.fixture
def _english_api_client(api: APIClient) -> None:
    """The API tests (test_apis_*.py): the shared client asks for English."""
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def hr_api(org: dict[str, Any], api_as: Any) -> APIClient:
    client: APIClient = api_as(org["users"]["hr"])
    return client


@pytest.fixture
def _english_translation() -> Iterator[None]:
    """The service tests (test_services_*.py): messages are written in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def skills(db: Any) -> list[Competency]:
    return [Competency.objects.get(code=c) for c in ("communication", "teamwork", "problem_solving")]
