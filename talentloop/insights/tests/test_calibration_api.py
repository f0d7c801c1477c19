"""The calibration, question-validity and candidate-pool API: numbers against numpy/scipy on the same data,
the flags, "not enough data", the one-click retirement, permissions, bad input and query counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient
from scipy import stats as sps

from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewQuestion
from talentloop.recruiting.models import Application

from ._calibration_support import Setup, add_candidate, add_hire, add_hires, add_interview, add_review, setup_job

pytestmark = pytest.mark.django_db

A_INTERVIEW = [70.0 + 2 * i for i in range(12)]
NOISE = [3, -2, 1, -3, 2, 0, -1, 3, -2, 1, 0, -2]
A_PERFORMANCE = [v - 12 + n for v, n in zip(A_INTERVIEW, NOISE, strict=True)]
T_INTERVIEW = [70.0, 72, 74, 76, 78, 80, 82, 84, 86, 88]
T_PERFORMANCE = [80.0, 70, 85, 72, 78, 74, 76, 83, 71, 79]
A1 = [p + d for p, d in zip(A_PERFORMANCE, [4, -3, 2, 0, -4, 3, 1, -2, 2, -1, 0, 3], strict=True)]
A2 = [100 - p for p in A_PERFORMANCE]


def _client(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def data(org: dict[str, Any]) -> Setup:
    setup = setup_job()
    add_hires(setup, list(zip(A_INTERVIEW, A_PERFORMANCE, strict=True)),
              list(zip(T_INTERVIEW, T_PERFORMANCE, strict=True)), a1=A1, a2=A2)
    return setup


def _row(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in body["competencies"] if r["code"] == code)


def test_calibration_matches_numpy_and_scipy(org: dict[str, Any], data: Setup) -> None:
    response = _client(org["users"]["hr"]).get("/api/v1/insights/calibration/", {"job": data.job.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["min_n"] == 10
    assert [r["code"] for r in body["competencies"]] == ["cal_analysis", "cal_teamwork"]
    row = _row(body, "cal_analysis")
    diffs = np.array(A_PERFORMANCE) - np.array(A_INTERVIEW)
    low, high = sps.t.interval(0.95, len(diffs) - 1, loc=diffs.mean(), scale=sps.sem(diffs))
    assert row["n"] == 12
    assert row["competency"] == data.analysis.pk
    assert row["name"] == "Data analysis"
    assert row["mean_interview"] == pytest.approx(np.mean(A_INTERVIEW), abs=0.005)
    assert row["mean_performance"] == pytest.approx(np.mean(A_PERFORMANCE), abs=0.005)
    assert row["gap"] == pytest.approx(diffs.mean(), abs=0.005)
    assert row["gap_ci"] == [pytest.approx(low, abs=0.005), pytest.approx(high, abs=0.005)]
    assert row["pearson"] == pytest.approx(sps.pearsonr(A_INTERVIEW, A_PERFORMANCE).statistic, abs=5e-4)
    assert row["spearman"] == pytest.approx(sps.spearmanr(A_INTERVIEW, A_PERFORMANCE).statistic, abs=5e-4)
    assert high < -5
    assert row["flag"] == "over_rated"
    # the recommendation names the competency's questions in use, not the other competency's
    assert "Data analysis" in row["recommendation"]
    assert "Add or replace questions" in row["recommendation"]
    assert "cal-a1" in row["recommendation"]
    assert "cal-a2" in row["recommendation"]
    assert "cal-t1" not in row["recommendation"]
    teamwork = _row(body, "cal_teamwork")
    r = sps.pearsonr(T_INTERVIEW, T_PERFORMANCE).statistic
    assert r < 0.3
    assert teamwork["n"] == 10
    assert teamwork["flag"] == "low_validity"
    assert teamwork["pearson"] == pytest.approx(r, abs=5e-4)
    assert "cal-t1" in teamwork["recommendation"]
    assert "Pearson r" in teamwork["recommendation"]


def test_calibration_below_min_n_is_not_enough_data(org: dict[str, Any]) -> None:
    setup = setup_job()
    add_hires(setup, list(zip(A_INTERVIEW[:9], A_PERFORMANCE[:9], strict=True)))
    body = _client(org["users"]["hr"]).get("/api/v1/insights/calibration/", {"job": setup.job.pk}).json()
    row = _row(body, "cal_analysis")
    assert row == {
        "competency": setup.analysis.pk, "code": "cal_analysis", "name": "Data analysis", "n": 9,
        "mean_interview": None, "mean_performance": None, "gap": None, "gap_ci": None, "pearson": None,
        "spearman": None, "flag": "not_enough_data", "recommendation": None,
    }
    assert _row(body, "cal_teamwork")["n"] == 0
    with override_settings(TALENTLOOP_INSIGHTS_MIN_N=9):
        row = _row(_client(org["users"]["hr"]).get("/api/v1/insights/calibration/", {"job": setup.job.pk}).json(),
                   "cal_analysis")
    assert row["n"] == 9
    assert row["flag"] == "over_rated"
    assert row["gap"] is not None


def test_scores_follow_the_shared_definitions(org: dict[str, Any]) -> None:
    """Interview: the latest ready report; performance: the first submitted review that scored the competency."""
    setup = setup_job()
    hire = add_hire(setup, {"cal_analysis": 40.0}, {})
    application = Application.objects.get(employee=hire)
    add_interview(setup, application, {"cal_analysis": 80.0}, round=2)  # newest ready → counts
    add_interview(setup, application, {"cal_analysis": 10.0}, round=3, ready=False)  # not ready → ignored
    add_review(setup, hire, {setup.analysis: 50.0}, days_ago=30)
    add_review(setup, hire, {setup.analysis: 65.0}, cycle=1, days_ago=200)  # earliest submitted → counts
    add_review(setup, hire, {setup.analysis: 5.0}, cycle=2, days_ago=0, submitted=False)
    add_review(setup, hire, {setup.teamwork: 90.0}, cycle=3, days_ago=400)  # earlier, but no analysis score
    with override_settings(TALENTLOOP_INSIGHTS_MIN_N=1):
        # n = 1 is below the 3 pairs any interval needs: still no statistics
        assert _row(_client(org["users"]["hr"]).get(
            "/api/v1/insights/calibration/", {"job": setup.job.pk}).json(), "cal_analysis")["flag"] == "not_enough_data"
        for i in range(2):
            other = add_hire(setup, {"cal_analysis": 70.0 + i}, {setup.analysis: 60.0 + 3 * i})
            assert other.pk
        row = _row(_client(org["users"]["hr"]).get("/api/v1/insights/calibration/", {"job": setup.job.pk}).json(),
                   "cal_analysis")
    assert row["n"] == 3
    assert row["mean_interview"] == pytest.approx(np.mean([80, 70, 71]), abs=0.005)
    assert row["mean_performance"] == pytest.approx(np.mean([65, 60, 63]), abs=0.005)


def test_question_validity_and_suggestions(org: dict[str, Any], data: Setup) -> None:
    response = _client(org["users"]["hr"]).get("/api/v1/insights/questions/", {"job": data.job.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = {r["code"]: r for r in body["results"]}
    assert set(rows) >= {"cal-a1", "cal-a2", "cal-t1"}
    a1 = sps.pearsonr(A1, A_PERFORMANCE)
    assert rows["cal-a1"]["n"] == 12
    assert rows["cal-a1"]["correlation"] == pytest.approx(a1.statistic, abs=5e-4)
    assert rows["cal-a1"]["p_value"] == pytest.approx(a1.pvalue, abs=5e-5)
    assert rows["cal-a1"]["mean_score"] == pytest.approx(np.mean(A1), abs=0.005)
    assert rows["cal-a1"]["suggestion"] == "keep"
    assert rows["cal-a2"]["correlation"] == pytest.approx(-1.0, abs=5e-4)
    assert rows["cal-a2"]["suggestion"] == "retire"
    assert "≤ 0" in rows["cal-a2"]["reason"]
    assert rows["cal-t1"] | {"reason": ""} == rows["cal-t1"] | {
        "n": 0, "correlation": None, "mean_score": None, "suggestion": "not_enough_data", "reason": ""}
    # the worst question of a competency comes first
    codes = [r["code"] for r in body["results"]]
    assert codes.index("cal-a2") < codes.index("cal-a1") < codes.index("cal-t1")


def test_question_retired_in_one_click(org: dict[str, Any], data: Setup) -> None:
    question = data.questions["cal-a2"]
    response = _client(org["users"]["hr"]).post(f"/api/v1/insights/questions/{question.pk}/retire/")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert response.json()["code"] == "cal-a2"
    question.refresh_from_db()
    assert not question.is_active
    assert question.retired_at is not None
    assert AuditEntry.objects.filter(object_id=str(question.pk), action=AuditEntry.Action.UPDATE).exists()
    again = _client(org["users"]["hr"]).post(f"/api/v1/insights/questions/{question.pk}/retire/")
    assert again.status_code == 200
    assert again.json()["retired_at"] == response.json()["retired_at"]
    rows = {r["code"]: r for r in _client(org["users"]["hr"]).get(
        "/api/v1/insights/questions/", {"job": data.job.pk}).json()["results"]}
    assert rows["cal-a2"]["is_active"] is False
    # the calibration's recommendation no longer names a retired question
    body = _client(org["users"]["hr"]).get("/api/v1/insights/calibration/", {"job": data.job.pk}).json()
    assert "cal-a2" not in _row(body, "cal_analysis")["recommendation"]
    assert _client(org["users"]["hr"]).post("/api/v1/insights/questions/999999/retire/").status_code == 404


def test_candidate_pool_flags_a_competency_low_across_the_board(org: dict[str, Any]) -> None:
    setup = setup_job()
    analysis = [50.0, 62, 58, 71, 45, 66, 60, 52, 80, 57]
    teamwork = [72.0, 68, 75, 80, 66, 74, 71, 69, 77, 73]
    for a, t in zip(analysis, teamwork, strict=True):
        add_candidate(setup, {"cal_analysis": a, "cal_teamwork": t})
    body = _client(org["users"]["recruiter"]).get("/api/v1/insights/candidate-pool/", {"job": setup.job.pk}).json()
    assert body["min_n"] == 10
    row = _row(body, "cal_analysis")
    assert row["n"] == 10
    assert row["required_score"] == 75
    assert row["mean_interview"] == pytest.approx(np.mean(analysis), abs=0.005)
    assert row["share_below_required"] == pytest.approx(np.mean(np.array(analysis) < 75), abs=5e-4)
    assert row["flag"] == "low_across_pool"
    assert "state the requirement in the job posting" in row["suggestion"]
    assert "cal-a1" in row["suggestion"]
    other = _row(body, "cal_teamwork")
    assert other["flag"] is None
    assert other["suggestion"] is None
    assert other["share_below_required"] == pytest.approx(0.3)


def test_candidate_pool_counts_each_candidate_once_and_needs_min_n(org: dict[str, Any]) -> None:
    setup = setup_job()
    application = add_candidate(setup, {"cal_analysis": 20.0})
    add_interview(setup, application, {"cal_analysis": 90.0}, round=2)  # the newest report counts
    body = _client(org["users"]["hr"]).get("/api/v1/insights/candidate-pool/", {"job": setup.job.pk}).json()
    row = _row(body, "cal_analysis")
    assert (row["n"], row["mean_interview"], row["flag"]) == (1, None, "not_enough_data")
    with override_settings(TALENTLOOP_INSIGHTS_MIN_N=1):
        row = _row(_client(org["users"]["hr"]).get(
            "/api/v1/insights/candidate-pool/", {"job": setup.job.pk}).json(), "cal_analysis")
    assert (row["n"], row["mean_interview"], row["flag"]) == (1, 90.0, None)


@pytest.mark.parametrize("path", ["calibration", "questions", "candidate-pool"])
def test_permissions(org: dict[str, Any], data: Setup, path: str) -> None:
    url = f"/api/v1/insights/{path}/"
    assert _client(org["users"]["hr"]).get(url, {"job": data.job.pk}).status_code == 200
    recruiter = _client(org["users"]["recruiter"]).get(url, {"job": data.job.pk}).status_code
    assert recruiter == (200 if path == "candidate-pool" else 403)
    for role in ("manager", "employee", "candidate"):
        assert _client(org["users"][role]).get(url, {"job": data.job.pk}).status_code == 403
    assert APIClient().get(url, {"job": data.job.pk}).status_code in (401, 403)


def test_only_hr_retires(org: dict[str, Any], data: Setup) -> None:
    question = data.questions["cal-a2"]
    for role in ("recruiter", "manager", "employee"):
        response = _client(org["users"][role]).post(f"/api/v1/insights/questions/{question.pk}/retire/")
        assert response.status_code == 403
    assert InterviewQuestion.objects.get(pk=question.pk).is_active


@pytest.mark.parametrize("path", ["calibration", "questions", "candidate-pool"])
def test_bad_job_parameter(org: dict[str, Any], data: Setup, path: str) -> None:
    client = _client(org["users"]["hr"])
    url = f"/api/v1/insights/{path}/"
    missing = client.get(url)
    assert missing.status_code == 400
    assert "Choose a job" in missing.json()["detail"]
    assert client.get(url, {"job": "abc"}).status_code == 400
    unknown = client.get(url, {"job": 999999})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No such job."
    assert client.get(url, {"job": 2**40}).status_code == 400


def _queries(client: APIClient, url: str, job: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"job": job}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["calibration", "questions", "candidate-pool"])
def test_query_count_is_constant(org: dict[str, Any], path: str) -> None:
    setup = setup_job()
    client = _client(org["users"]["hr"])
    url = f"/api/v1/insights/{path}/"
    add_hires(setup, list(zip(A_INTERVIEW[:3], A_PERFORMANCE[:3], strict=True)), a1=A1[:3])
    small = _queries(client, url, setup.job.pk)
    add_hires(setup, list(zip(A_INTERVIEW, A_PERFORMANCE, strict=True)),
              list(zip(T_INTERVIEW, T_PERFORMANCE, strict=True)), a1=A1, a2=A2)
    for _ in range(5):
        add_candidate(setup, {"cal_analysis": 50.0})
    assert _queries(client, url, setup.job.pk) == small
