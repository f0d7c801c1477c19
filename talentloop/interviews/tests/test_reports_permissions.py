"""Who may read and act on interview reports: HR and recruiters all of them, a hiring manager those of the jobs in
their department (another department's is a 403), employees and candidates nothing, anonymous callers 401;
the pages answer the same. Nothing changes when a call is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from talentloop.interviews.models import HumanReviewRequest, InterviewAnswer, InterviewReport
from talentloop.interviews.tests._reports_support import browser, make_application, make_interview, make_job

pytestmark = pytest.mark.django_db

ROLES = ["hr", "recruiter", "manager", "employee", "candidate", None]
# "{sales}" is an interview of a job in the manager's department, "{rd}" one outside it.
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("get", "/api/v1/interviews/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/interviews/{sales}/report/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/interviews/{rd}/report/", None, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/interviews/999999/report/", None, (404, 404, 404, 403, 403, 401)),
    ("get", "/api/v1/interviews/{sales}/report.pdf", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/interviews/{rd}/report.pdf", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/interviews/{sales}/answers/1/rating/", {"rating": 70}, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/interviews/{rd}/answers/1/rating/", {"rating": 70}, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/interviews/{sales}/decision/", {"decision": "hold"}, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/interviews/{rd}/decision/", {"decision": "hold"}, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/interviews/{sales}/release-feedback/", {}, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/interview-review-requests/", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/interview-review-requests/{request}/resolve/", {"resolution": "Called"},
     (200, 200, 403, 403, 403, 401)),
]


def _state() -> tuple[Any, ...]:
    return (
        list(InterviewAnswer.objects.order_by("pk").values_list("hr_rating", flat=True)),
        list(InterviewReport.objects.order_by("pk").values_list("decision", "feedback_released_at")),
        list(HumanReviewRequest.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(role) for role in ROLES])
@pytest.mark.parametrize(("method", "path", "payload", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(
    org: dict[str, Any], method: str, path: str, payload: dict[str, Any] | None, expected: tuple[int, ...],
    role_index: int,
) -> None:
    sales = make_interview(make_application(make_job(org["departments"]["sales"])))
    rd = make_interview(make_application(make_job(org["departments"]["rd"]), name="李娜", email="li@example.com"))
    request = HumanReviewRequest.objects.create(session=sales.session, kind="of_result", reason="Unfair")
    url = path.format(sales=sales.session.pk, rd=rd.session.pk, request=request.pk)
    api = APIClient()
    role = ROLES[role_index]
    if role is not None:
        api.force_authenticate(user=org["users"][role])
    before = _state()
    response = getattr(api, method)(url, payload, format="json") if payload is not None else api.get(url)
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400:
        assert _state() == before


PAGES: list[tuple[str, str, tuple[int, ...]]] = [
    ("get", "/interviews/{sales}/report/", (200, 200, 200, 403, 403, 302)),
    ("get", "/interviews/{rd}/report/", (200, 200, 403, 403, 403, 302)),
    ("get", "/interviews/999999/report/", (404, 404, 404, 403, 403, 302)),
    ("get", "/interviews/{sales}/report.pdf", (200, 200, 200, 403, 403, 302)),
    ("get", "/interviews/review-requests/", (200, 200, 403, 403, 403, 302)),
    ("post", "/interviews/{sales}/report/release-feedback/", (302, 302, 403, 403, 403, 302)),
    ("post", "/interviews/{rd}/report/answers/1/rating/", (302, 302, 403, 403, 403, 302)),
    ("post", "/interviews/review-requests/{request}/resolve/", (302, 302, 403, 403, 403, 302)),
]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(role) for role in ROLES])
@pytest.mark.parametrize(("method", "path", "expected"), PAGES, ids=[f"{m} {p}" for m, p, _ in PAGES])
def test_the_pages_answer_the_same(
    org: dict[str, Any], method: str, path: str, expected: tuple[int, ...], role_index: int
) -> None:
    sales = make_interview(make_application(make_job(org["departments"]["sales"])))
    rd = make_interview(make_application(make_job(org["departments"]["rd"]), name="李娜", email="li@example.com"))
    request = HumanReviewRequest.objects.create(session=sales.session, kind="of_result", reason="Unfair")
    url = path.format(sales=sales.session.pk, rd=rd.session.pk, request=request.pk)
    role = ROLES[role_index]
    client = browser(org["users"][role]) if role else Client()
    before = _state()
    data = {"rating": "70", "resolution": "Called"}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected[role_index]
    if role is None:
        assert response["Location"].startswith("/login/")
    if response.status_code >= 400 or role is None:
        assert _state() == before
