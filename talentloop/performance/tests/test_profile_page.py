"""The performance profile page (/performance/employees/<id>/) and its server-drawn comparison chart."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from talentloop.performance import profile_chart
from talentloop.performance.profile_chart import ChartText, SeriesInput, comparison_chart, comparison_svg

from ._profile_history import build_history

TEXT = ChartText(
    title="Interview vs reviews", description="desc <b>", interview="Interview score", performance="Review score",
    interview_mark="Interview, %(date)s: %(score)s", performance_mark="%(label)s review, %(date)s: %(score)s",
)


def test_the_chart_lays_panels_out_on_one_time_axis() -> None:
    chart = comparison_chart([
        SeriesInput("Customer orientation", 90.0, dt.date(2024, 1, 1),
                    [(dt.date(2025, 1, 1), 80.0, "2024 Q4"), (dt.date(2024, 7, 1), 50.0, "2024 Q2")]),
        SeriesInput("Nothing scored", None, None, []),
        SeriesInput("Teamwork", None, None, [(dt.date(2026, 1, 1), 100.0, "2025 Q4")]),
    ])
    assert chart is not None
    # Two panels (the unscored competency is left out), names above them.
    assert [(p.name, p.top) for p in chart.panels] == [("Customer orientation", 22.0), ("Teamwork", 114.0)]
    first = chart.panels[0]
    assert first.interview is not None
    # 2024-01-01 .. 2026-01-01 is 731 days over x 38 .. 516 (the frame 30 .. 524 less 8 on each side).
    assert (first.interview.x, first.interview.y) == (38.0, 28.4)
    assert [(p.x, p.y, p.label) for p in first.points] == [(157.01, 54.0, "2024 Q2"), (277.33, 34.8, "2024 Q4")]
    assert [(p.x, p.y) for p in chart.panels[1].points] == [(516.0, 114.0)]
    assert [(t.x, t.label) for t in chart.ticks] == [(38.0, "2024"), (277.33, "2025"), (516.0, "2026")]
    assert (chart.width, chart.height, chart.axis_y, chart.legend_y) == (560.0, 222.0, 193.0, 215.0)


def test_a_short_history_gets_month_ticks_and_a_single_date_is_padded() -> None:
    chart = comparison_chart([SeriesInput("A", 70.0, dt.date(2025, 3, 10), [(dt.date(2025, 9, 20), 75.0, "Q3")])])
    assert chart is not None
    assert [t.label for t in chart.ticks] == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]
    single = comparison_chart([SeriesInput("A", 70.0, dt.date(2025, 3, 10), [])])
    assert single is not None
    assert single.panels[0].interview is not None
    assert single.panels[0].interview.x == 277.0  # in the middle of the padded span
    assert comparison_chart([SeriesInput("A", None, None, [])]) is None
    assert comparison_chart([]) is None


def test_a_span_of_a_few_weeks_is_labelled_with_its_first_and_last_days() -> None:
    """No month starts between the interview and the first review: without these labels the axis had none."""
    chart = comparison_chart([SeriesInput("A", 70.0, dt.date(2025, 3, 3), [(dt.date(2025, 3, 24), 75.0, "Q1")])])
    assert chart is not None
    assert [(t.x, t.label) for t in chart.ticks] == [(38.0, "2025-03-03"), (516.0, "2025-03-24")]


def test_the_svg_is_labelled_escaped_and_gives_every_mark_a_tooltip() -> None:
    chart = comparison_chart([
        SeriesInput("R&D <skills>", 62.5, dt.date(2024, 1, 1), [(dt.date(2024, 7, 1), 70.0, "2024 Q2")]),
        SeriesInput("A very long competency name that goes on and on and on and on forever", None, None,
                    [(dt.date(2024, 4, 1), 55.0, "2024 Q1")]),
    ])
    assert chart is not None
    svg = comparison_svg(chart, TEXT, uid="c1")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="profile-comparison" viewBox="0 0 560 ')
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Interview vs reviews</title><desc id="c1-desc">desc &lt;b&gt;</desc>' in svg
    assert "<title>R&amp;D &lt;skills&gt;</title>R&amp;D &lt;skills&gt;</text>" in svg
    assert "<skills>" not in svg
    assert "A very long competency name that goes on and on and on and on forever</title>" in svg
    assert ">A very long competency name that goes on and on and on and …</text>" in svg
    assert svg.count('data-kind="interview"') == 1
    assert svg.count('data-kind="performance"') == 2
    assert "<title>Interview, 2024-01-01: 62.5</title>" in svg
    assert "<title>2024 Q2 review, 2024-07-01: 70</title>" in svg
    assert ">Interview score</text>" in svg
    assert ">Review score</text>" in svg
    assert profile_chart.score_text(70.25) == "70.2"
    assert profile_chart.score_text(100) == "100"


def _page(client: Client, user: Any, employee_id: int, language: str = "en") -> Any:
    client.force_login(user)
    return client.get(f"/performance/employees/{employee_id}/", HTTP_ACCEPT_LANGUAGE=language)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_hr_sees_the_chart_the_table_and_the_timeline(org: dict[str, Any], client: Client) -> None:
    h = build_history(org, cycles=2)
    response = _page(client, org["users"]["hr"], h["employee"].pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="comparison-chart"' in html
    assert f'href="/org/employees/{h["employee"].pk}/"' in html
    table = _text(html.split('data-testid="comparison-table"')[1].split("</table>")[0])
    assert "Score from Customer orientation Teamwork" in table
    assert "Interview 2020-12-01 88 72.5" in table
    assert "2021 Q1 2021-04-05 80 70.5" in table
    assert "2021 Q2 2021-07-05 81 70.5" in table
    assert "Gap (latest review − interview) -7 -2" in table
    timeline = _text(html.split('data-testid="profile-timeline"')[1].split("</ol>")[0])
    newest = "> 2021-07-05 Competency review Competency review (2021 Q2) · Overall score 80.5 · Band A"
    assert timeline.startswith(newest)
    assert "2021-01-04 Joined Sales" in timeline
    assert "2020-12-01 Interview report AI interview report · Interview round 1 · Overall score 85" in timeline
    assert f'href="/recruiting/applications/{h["application"].pk}/"' in html


def test_the_page_speaks_chinese(org: dict[str, Any], client: Client) -> None:
    h = build_history(org, cycles=1)
    html = _page(client, org["users"]["hr"], h["employee"].pk, "zh-hans").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "客户导向" in html
    assert "团队协作" in html
    assert "Customer orientation" not in html


def test_the_employee_sees_their_page_without_the_recruiting_record(org: dict[str, Any], client: Client) -> None:
    h = build_history(org, cycles=1)
    html = _page(client, org["users"]["employee"], h["employee"].pk).content.decode()
    assert 'data-testid="comparison-chart"' in html
    assert "AI interview report" not in html
    assert "Applied for" not in html


@pytest.mark.parametrize(("viewer", "subject", "status"), [
    ("manager", "indirect", 200), ("outsider", "report", 403), ("recruiter", "report", 403),
    ("employee", "manager", 403),
])
def test_who_may_open_the_page(org: dict[str, Any], client: Client, viewer: str, subject: str, status: int) -> None:
    assert _page(client, org["users"][viewer], org["employees"][subject].pk).status_code == status


def test_missing_employees_and_anonymous_visitors(org: dict[str, Any], client: Client) -> None:
    assert _page(client, org["users"]["hr"], 999_999).status_code == 404
    client.logout()
    response = client.get(f"/performance/employees/{org['employees']['report'].pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_employee_with_no_history_gets_an_empty_page(org: dict[str, Any], client: Client) -> None:
    html = _page(client, org["users"]["hr"], org["employees"]["outsider"].pk).content.decode()
    assert "No interview or review scores yet." in html
    assert "Nothing has been recorded yet." in html
    assert 'data-testid="comparison-table"' not in html


def test_the_org_profile_links_to_the_performance_profile(org: dict[str, Any], client: Client) -> None:
    report = org["employees"]["report"]
    client.force_login(org["users"]["hr"])
    html = client.get(f"/org/employees/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = f'href="/performance/employees/{report.pk}/" data-testid="performance-profile-link">Performance profile'
    assert link in html


def test_the_page_runs_the_same_queries_for_1_and_20_cycles(org: dict[str, Any], client: Client) -> None:
    short = build_history(org, cycles=1, who="indirect")
    long = build_history(org, cycles=20, who="report")
    client.force_login(org["users"]["hr"])
    counts = []
    for employee in (short["employee"], long["employee"]):
        path = f"/performance/employees/{employee.pk}/"
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 17
