"""The recruiting REST API under /api/v1/: the permission matrix by role (nothing written when refused)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.recruiting.models import ApplicationNote
from talentloop.recruiting.services import intake
from talentloop.recruiting.tests._api_support import make_job, rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


# --- the permission matrix --------------------------------------------------------------------------------

ROLES = ["hr", "recruiter", "manager", "employee", "candidate", None]
# (method, path, payload) -> status for hr, recruiter, manager, employee, candidate, anonymous. "{sales}" is an
# application of a job in the manager's department, "{rd}" one outside it; "{sales_job}", "{rd_job}" their jobs.
# An application outside the manager's reach is a 403 (it exists; ask), a job outside it a 404.
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("get", "/api/v1/candidates/", None, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/candidates/{sales_candidate}/", None, (200, 200, 403, 403, 403, 401)),
    ("patch", "/api/v1/candidates/{sales_candidate}/", {"location": "上海"}, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/applications/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/applications/{sales}/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/applications/{rd}/", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/jobs/{sales_job}/applications/", {"email": "new@example.com"}, (201, 201, 403, 403, 403, 401)),
    ("get", "/api/v1/jobs/{sales_job}/ranking/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/jobs/{rd_job}/ranking/", None, (200, 200, 404, 403, 403, 401)),
    ("get", "/api/v1/jobs/{sales_job}/screening-rules/", None, (200, 200, 403, 403, 403, 401)),
    ("patch", "/api/v1/jobs/{sales_job}/screening-rules/", {"pass_score": 70}, (200, 200, 403, 403, 403, 401)),
    ("put", "/api/v1/jobs/{sales_job}/screening-rules/", {"pass_score": 70}, (400, 400, 403, 403, 403, 401)),
    ("post", "/api/v1/applications/{sales}/transition/", {"to": "interview"}, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/applications/{rd}/transition/", {"to": "interview"}, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/applications/{sales}/notes/", None, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/applications/{sales}/notes/", {"text": "Seen"}, (201, 201, 201, 403, 403, 401)),
    ("get", "/api/v1/applications/{rd}/notes/", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/applications/{rd}/notes/", {"text": "Seen"}, (201, 201, 403, 403, 403, 401)),
]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(role) for role in ROLES])
@pytest.mark.parametrize(("method", "path", "payload", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(
    org: dict[str, Any], api: APIClient, method: str, path: str, payload: dict[str, Any] | None,
    expected: tuple[int, ...], role_index: int,
) -> None:
    sales_job = make_job(department=org["departments"]["sales"])
    rd_job = make_job(department=org["departments"]["rd"])
    hr = org["users"]["hr"]
    sales = intake.application_create(actor=hr, job=sales_job, resume=None, email="s@example.com")
    rd = intake.application_create(actor=hr, job=rd_job, resume=None, email="r@example.com")
    url = path.format(
        sales=sales.pk, rd=rd.pk, sales_job=sales_job.pk, rd_job=rd_job.pk, sales_candidate=sales.candidate_id
    )
    role = ROLES[role_index]
    if role is not None:
        api.force_authenticate(user=org["users"][role])
    before = rows(), ApplicationNote.objects.count()
    response = getattr(api, method)(url, payload, format="json") if payload is not None else api.get(url)
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400:
        assert (rows(), ApplicationNote.objects.count()) == before
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Bearer"
