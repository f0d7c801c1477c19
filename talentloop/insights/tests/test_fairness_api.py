"""GET /api/v1/insights/fairness/: hand-worked examples through the database, who may read it, bad input,
the Excel audit report, and a constant number of queries."""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job

from ._fairness_support import application, report, scoring_example, screening_example

URL = "/api/v1/insights/fairness/"


@pytest.fixture
def hr(org: dict[str, Any]) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(org["users"]["hr"])
    return client


@pytest.fixture
def job(org: dict[str, Any]) -> Job:
    return cast(Job, JobFactory(title="Data analyst", department=org["departments"]["rd"]))


def _groups(part: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["value"]: g for g in part["groups"]}


def test_screening_selection_rates_and_four_fifths(hr: APIClient, job: Job) -> None:
    screening_example(job)
    body = hr.get(URL, {"job": str(job.pk), "attribute": "gender"}).json()
    part = body["screening"]
    assert (part["n"], part["unknown"], part["reference_rate"], part["threshold"]) == (24, 2, 0.8, None)
    groups = _groups(part)
    assert [g["value"] for g in part["groups"]] == ["female", "male", "other"]
    assert groups["female"] | {} == {
        "value": "female", "label": "Female", "n": 10, "count": 4, "rate": 0.4, "impact_ratio": pytest.approx(0.5),
        "four_fifths_flag": True, "too_small": False, "highest": False,
    }
    assert (groups["male"]["count"], groups["male"]["rate"], groups["male"]["impact_ratio"]) == (8, 0.8, 1.0)
    assert groups["male"]["highest"]
    assert groups["male"]["four_fifths_flag"] is False
    assert groups["other"] == {
        "value": "other", "label": "Another gender", "n": 2, "count": None, "rate": None, "impact_ratio": None,
        "four_fifths_flag": None, "too_small": True, "highest": False,
    }
    assert part["flagged"] == ["female"]
    assert body["job"] == job.pk
    assert body["attribute"] == "gender"
    assert body["min_group"] == 5
    assert set(body["definitions"]) == {
        "selection_rate", "scoring_rate", "impact_ratio", "four_fifths", "unknown", "too_small"
    }
    assert "fewer than 5 people" in body["definitions"]["too_small"]


def test_ai_interview_scoring_rates(hr: APIClient, job: Job) -> None:
    scoring_example(job)
    body = hr.get(URL, {"job": str(job.pk), "attribute": "age_band"}).json()
    part = body["ai_interview"]
    assert (part["n"], part["unknown"], part["threshold"], part["reference_rate"]) == (11, 1, 60.0, 0.6)
    groups = _groups(part)
    assert (groups["under_25"]["count"], groups["under_25"]["rate"], groups["under_25"]["impact_ratio"]) == (
        3, 0.6, 1.0
    )
    assert groups["25_34"]["count"] == 1
    assert groups["25_34"]["rate"] == 0.2
    assert groups["25_34"]["impact_ratio"] == pytest.approx(1 / 3)
    assert groups["25_34"]["four_fifths_flag"] is True
    assert groups["25_34"]["label"] == "25–34"
    # The same people's screening: all 11 are at the AI interview, so everyone passed.
    assert body["screening"]["reference_rate"] == 1.0
    assert body["screening"]["flagged"] == []


def test_other_jobs_are_not_counted_and_no_job_means_every_job(hr: APIClient, job: Job) -> None:
    other = cast(Job, JobFactory())
    application(job, "rejected", gender="female")
    application(other, "interview", gender="female")
    one = hr.get(URL, {"job": str(job.pk), "attribute": "gender"}).json()
    assert one["screening"]["n"] == 1
    every = hr.get(URL, {"attribute": "gender"}).json()
    assert every["screening"]["n"] == 2
    assert every["job"] is None


def test_the_minimum_group_is_a_setting(hr: APIClient, job: Job, settings: Any) -> None:
    settings.TALENTLOOP_FAIRNESS_MIN_GROUP = 2
    screening_example(job)
    groups = _groups(hr.get(URL, {"job": str(job.pk), "attribute": "gender"}).json()["screening"])
    assert groups["other"]["rate"] == 1.0
    assert groups["other"]["highest"]
    assert groups["male"]["impact_ratio"] == 0.8
    assert groups["male"]["four_fifths_flag"] is False


@pytest.mark.parametrize("who", ["recruiter", "manager", "employee", "candidate"])
def test_only_hr_reads_it(org: dict[str, Any], who: str, job: Job) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(org["users"][who])
    assert client.get(URL, {"job": str(job.pk), "attribute": "gender"}).status_code == 403
    # Refused before the input is read: a bad filter is still 403.
    assert client.get(URL, {"attribute": "religion"}).status_code == 403


def test_anonymous_is_refused(job: Job) -> None:
    assert APIClient().get(URL, {"attribute": "gender"}).status_code in (401, 403)


@pytest.mark.parametrize(("params", "field", "text"), [
    ({"attribute": "religion"}, "attribute", "Choose an attribute the audit knows: gender, age_band."),
    ({}, "attribute", "Choose an attribute"),
    ({"attribute": "gender", "job": "999999"}, "job", "There is no job with the id “999999”."),
    ({"attribute": "gender", "job": "abc"}, "job", "There is no job with the id “abc”."),
])
def test_bad_input_is_400_with_a_message(hr: APIClient, params: dict[str, str], field: str, text: str) -> None:
    response = hr.get(URL, params)
    assert response.status_code == 400
    assert text in response.json()["detail"]
    assert field in response.json()["errors"]


def test_messages_in_chinese(org: dict[str, Any]) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(org["users"]["hr"])
    body = client.get(URL, {"attribute": "gender"}).json()
    assert body["attribute_label"] == "性别"


def test_excel_audit_report(hr: APIClient, job: Job) -> None:
    screening_example(job)
    response = hr.get(URL, {"job": str(job.pk), "attribute": "gender", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"fairness-audit-job{job.pk}-gender-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Screening decisions", "AI interview scores", "Definitions"]
    rows = [[c for c in row] for row in book["Screening decisions"].iter_rows(values_only=True)]
    header = rows.index(["Group", "People", "Passed screening", "Selection rate", "Impact ratio",
                         "Below four fifths", "Too small"])
    assert rows[header + 1] == ["Female", 10, 4, 0.4, 0.5, "yes", "no"]
    assert rows[header + 2] == ["Male", 10, 8, 0.8, 1.0, "no", "no"]
    assert rows[header + 3] == ["Another gender", 2, None, None, None, None, "yes"]
    assert ["Unknown", 2] in [row[:2] for row in rows]
    definitions = [row[0] for row in book["Definitions"].iter_rows(values_only=True)]
    assert "Four-fifths flag" in definitions
    assert "Minimum group size" in definitions


def test_excel_errors_stay_json(hr: APIClient) -> None:
    response = hr.get(URL, {"attribute": "nope", "format": "xlsx"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "Choose an attribute" in response.json()["detail"]


def test_query_count_does_not_grow_with_the_data(hr: APIClient, job: Job) -> None:
    application(job, "rejected", gender="female")
    report(application(job, "interview", gender="male"), 70)
    with CaptureQueriesContext(connection) as small:
        assert hr.get(URL, {"job": str(job.pk), "attribute": "gender"}).status_code == 200
    screening_example(job)
    scoring_example(job)
    with CaptureQueriesContext(connection) as large:
        assert hr.get(URL, {"job": str(job.pk), "attribute": "gender"}).status_code == 200
    assert len(large) == len(small) <= 6
