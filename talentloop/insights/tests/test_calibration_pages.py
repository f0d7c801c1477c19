"""The calibration, question-validity and candidate-pool pages under /insights/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.insights import calibration_chart
from talentloop.interviews.models import InterviewQuestion

from ._calibration_support import Setup, add_candidate, add_hires, setup_job
from .test_calibration_api import A1, A2, A_INTERVIEW, A_PERFORMANCE, T_INTERVIEW, T_PERFORMANCE

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def data(org: dict[str, Any]) -> Setup:
    setup = setup_job()
    add_hires(setup, list(zip(A_INTERVIEW, A_PERFORMANCE, strict=True)),
              list(zip(T_INTERVIEW, T_PERFORMANCE, strict=True)), a1=A1, a2=A2)
    return setup


def test_urls() -> None:
    assert reverse("insights:calibration") == "/insights/calibration/"
    assert reverse("insights:questions") == "/insights/questions/"
    assert reverse("insights:question_retire", args=[3]) == "/insights/questions/3/retire/"
    assert reverse("insights:pool") == "/insights/candidate-pool/"


def test_calibration_page_shows_the_flag_evidence_and_recommendation(org: dict[str, Any], data: Setup) -> None:
    response = _client(org["users"]["hr"]).get(reverse("insights:calibration"), {"job": data.job.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="calibration-table"' in html
    assert "<svg" in html
    assert "calibration-chart" in html
    assert 'data-code="cal_analysis" data-flag="over_rated"' in html
    assert 'data-code="cal_teamwork" data-flag="low_validity"' in html
    assert "Interview over-rates" in html
    assert "Add or replace questions for Data analysis" in html
    assert "cal-a1" in html
    assert "Walk me through an analysis" in html
    # every statistic's definition is on the page
    for term in ("Hires (n)", "Gap", "95% CI", "Pearson r", "Spearman ρ", "Not enough data"):
        assert f"<dt>{term}</dt>" in html
    assert "more than 5 points below zero" in html
    assert 'href="/insights/questions/?job=' in html
    assert 'href="/insights/candidate-pool/?job=' in html


def test_calibration_page_says_not_enough_data(org: dict[str, Any]) -> None:
    setup = setup_job()
    add_hires(setup, list(zip(A_INTERVIEW[:4], A_PERFORMANCE[:4], strict=True)))
    html = _client(org["users"]["hr"]).get(reverse("insights:calibration"), {"job": setup.job.pk}).content.decode()
    assert "Not enough data (4 of 10 hires needed)." in html
    assert 'data-flag="over_rated"' not in html
    assert "not enough data" in html


def test_pages_without_a_job_show_the_picker(org: dict[str, Any], data: Setup) -> None:
    client = _client(org["users"]["hr"])
    for name in ("insights:calibration", "insights:questions", "insights:pool"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="job-picker"' in html
        assert f'<option value="{data.job.pk}">Data analyst</option>' in html
    assert "A job is given by its id" in client.get(reverse("insights:calibration"), {"job": "x"}).content.decode()
    assert client.get(reverse("insights:calibration"), {"job": 999999}).status_code == 404


def test_chinese_pages_render(org: dict[str, Any], data: Setup) -> None:
    client = _client(org["users"]["hr"], "zh-hans")
    for name in ("insights:calibration", "insights:questions", "insights:pool"):
        response = client.get(reverse(name), {"job": data.job.pk})
        assert response.status_code == 200
        assert "数据分析" in response.content.decode()


def test_question_page_retires_a_weak_question_in_one_click(org: dict[str, Any], data: Setup) -> None:
    client = _client(org["users"]["hr"])
    html = client.get(reverse("insights:questions"), {"job": data.job.pk}).content.decode()
    assert 'data-testid="retire-cal-a2"' in html  # r = −1: retire
    assert 'data-testid="retire-cal-a1"' not in html  # keep
    assert 'data-testid="retire-cal-t1"' not in html  # not enough data
    assert "data-confirm-message=\"Retire question cal-a2?" in html
    question = data.questions["cal-a2"]
    response = client.post(reverse("insights:question_retire", args=[question.pk]), {"job": str(data.job.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"/insights/questions/?job={data.job.pk}"
    question.refresh_from_db()
    assert not question.is_active
    page = client.get(response["Location"]).content.decode()
    assert "Question cal-a2 retired" in page
    assert 'data-testid="retire-cal-a2"' not in page
    assert client.get(reverse("insights:question_retire", args=[question.pk])).status_code == 405


def test_page_permissions(org: dict[str, Any], data: Setup) -> None:
    job = {"job": data.job.pk}
    recruiter = _client(org["users"]["recruiter"])
    assert recruiter.get(reverse("insights:pool"), job).status_code == 200
    assert recruiter.get(reverse("insights:calibration"), job).status_code == 403
    assert recruiter.get(reverse("insights:questions"), job).status_code == 403
    question = data.questions["cal-a2"]
    assert recruiter.post(reverse("insights:question_retire", args=[question.pk])).status_code == 403
    assert InterviewQuestion.objects.get(pk=question.pk).is_active
    pool_html = recruiter.get(reverse("insights:pool"), job).content.decode()
    assert "/insights/calibration/" not in pool_html  # the sub-navigation offers only what they may open
    for role in ("manager", "employee"):
        client = _client(org["users"][role])
        for name in ("insights:calibration", "insights:questions", "insights:pool"):
            assert client.get(reverse(name), job).status_code == 403
    assert Client().get(reverse("insights:calibration"), job).status_code == 302  # to the login page


def test_pool_page(org: dict[str, Any]) -> None:
    setup = setup_job()
    for score in [50.0, 62, 58, 71, 45, 66, 60, 52, 80, 57]:
        add_candidate(setup, {"cal_analysis": score, "cal_teamwork": 75.0})
    html = _client(org["users"]["hr"]).get(reverse("insights:pool"), {"job": setup.job.pk}).content.decode()
    assert 'data-code="cal_analysis" data-flag="low_across_pool"' in html
    assert 'data-code="cal_teamwork" data-flag=""' in html
    assert "state the requirement in the job posting" in html
    assert "90%" in html


@pytest.mark.parametrize("name", ["insights:calibration", "insights:questions", "insights:pool"])
def test_page_query_count_is_constant(org: dict[str, Any], name: str) -> None:
    setup = setup_job()
    client = _client(org["users"]["hr"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), {"job": setup.job.pk}).status_code == 200
        return len(ctx.captured_queries)

    add_hires(setup, list(zip(A_INTERVIEW[:3], A_PERFORMANCE[:3], strict=True)), a1=A1[:3])
    small = count()
    add_hires(setup, list(zip(A_INTERVIEW, A_PERFORMANCE, strict=True)),
              list(zip(T_INTERVIEW, T_PERFORMANCE, strict=True)), a1=A1, a2=A2)
    add_candidate(setup, {"cal_analysis": 50.0})
    assert count() == small


def test_chart_geometry_and_escaping() -> None:
    rows = [
        calibration_chart.GapRow(name="<b>A</b>", gap=-12.0, ci=(-15.0, -9.0), flagged=True),
        calibration_chart.GapRow(name="B", gap=None, ci=None, flagged=False),
    ]
    assert calibration_chart.axis_range(rows, 5) == (-20, 20)
    assert calibration_chart.axis_range([calibration_chart.GapRow("x", -31, (-42, -20), True)], 5) == (-50, 20)
    text = calibration_chart.ChartText(title="T", description="D", no_data="not enough data", zero="0",
                                       margin="-5", mark="%(name)s: %(gap)s (%(low)s to %(high)s)")
    svg = calibration_chart.gap_svg(rows, text, margin=5)
    assert svg is not None
    assert "<b>" not in svg
    assert "&lt;b&gt;A&lt;/b&gt;: -12 (-15 to -9)" in svg
    assert "not enough data" in svg
    assert calibration_chart.gap_svg([], text, margin=5) is None
