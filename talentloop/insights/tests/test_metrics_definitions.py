"""Every dashboard metric's definition against the hand-made history in _metrics_support (period 2024, "today"
2025-06-30), with the exact answer worked out next to each assertion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from talentloop.insights.metrics import Dashboard, metrics_dashboard, metrics_filters_parse
from talentloop.insights.tests._metrics_support import PERIOD, TODAY, build_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def dashboard(org: dict[str, Any], user: str = "hr", **params: Any) -> Dashboard:
    filters = metrics_filters_parse(params={**PERIOD, **params})
    return metrics_dashboard(user=org["users"][user], filters=filters, today=TODAY)


def value(board: Dashboard, key: str) -> tuple[Any, int]:
    metric = board.metric(key)
    assert metric is not None
    return metric["value"], metric["n"]


def test_every_metric_for_the_whole_company(org: dict[str, Any]) -> None:
    build_history(org)
    board = dashboard(org)
    assert [m["key"] for m in board.metrics] == [
        "funnel", "hiring_volume", "time_to_hire", "cost_per_hire", "candidate_satisfaction", "source_quality",
        "recruitment_accuracy", "probation_pass_rate", "retention_6m", "retention_12m", "average_performance",
        "time_to_target", "training_completion",
    ]
    # Funnel: A1..A4 and A6 were received in 2024 (A5 in 2023). Furthest stages: hired ×3, screening, applied.
    funnel = board.metric("funnel")
    assert funnel is not None
    assert [(s["stage"], s["count"]) for s in funnel["detail"]["stages"]] == [
        ("applied", 5), ("screening", 4), ("ai_interview", 3), ("written_test", 3), ("interview", 3),
        ("background_check", 3), ("offer", 3), ("hired", 3),
    ]
    assert [s["conversion"] for s in funnel["detail"]["stages"]] == [None, 0.8, 0.75, 1, 1, 1, 1, 1]
    assert (funnel["value"], funnel["n"]) == (0.6, 5)
    # Hires moved to hired in 2024: A1 (Feb), A3 (Apr), A5 (Jan), A6 (Jul).
    assert value(board, "hiring_volume") == (4, 4)
    # (mypy ignore on the next line: detail is a dict for this metric)
    months = board.metric("hiring_volume")["detail"]["months"]  # type: ignore[index]
    assert len(months) == 12
    assert [(m["month"], m["applications"], m["hires"]) for m in months[:7]] == [
        ("2024-01", 1, 1), ("2024-02", 0, 1), ("2024-03", 2, 0), ("2024-04", 0, 1), ("2024-05", 1, 0),
        ("2024-06", 1, 0), ("2024-07", 0, 1),
    ]
    # Days: A1 30, A3 40, A5 30, A6 30 → median 30.
    assert value(board, "time_to_hire") == (30.0, 4)
    # Costs dated 2024: 6000 + 2000 = 8000 over 4 hires (the 2023 cost is outside the period).
    assert value(board, "cost_per_hire") == (2000.0, 4)
    # Ratings answered in 2024: 5, 3, 4 (the 2023 answer is outside).
    assert value(board, "candidate_satisfaction") == (4.0, 3)
    # First submitted reviews: E1 A (not the later D), E2 C, E4 B; E3 has only a draft.
    # (mypy ignore on the next line: detail is a dict for this metric)
    sources = board.metric("source_quality")["detail"]["sources"]  # type: ignore[index]
    assert [(s["source"], s["hires"], s["reviewed"], s["meeting"], s["share"]) for s in sources] == [
        ("referral", 2, 2, 2, 1.0), ("agency", 1, 0, 0, None), ("job_board", 1, 1, 0, 0.0),
    ]
    assert value(board, "recruitment_accuracy") == (2 / 3, 3)
    # Hired in 2024: E1..E6. Probation ends 180 days after the hire; only E2 left during it → 5 of 6.
    assert value(board, "probation_pass_rate") == (5 / 6, 6)
    # 6 months: E2 left before its mark → 5 of 6. 12 months by 2025-06-30: E4 and E5 not yet measurable;
    # E2 and E6 left before the mark → 2 of 4.
    assert value(board, "retention_6m") == (5 / 6, 6)
    assert value(board, "retention_12m") == (0.5, 4)
    # Submitted in 2024: 85, 55, 65, 75 → 70 (the draft and the 2025 review are out).
    assert value(board, "average_performance") == (70.0, 4)
    # (mypy ignore on the next line: detail is a dict for this metric)
    assert board.metric("average_performance")["detail"]["bands"] == {"A": 1, "B": 1, "C": 1, "D": 1}  # type: ignore[index]
    # Key results created in 2024: 20 days (increase), 7 days (decrease), one not reached → median 13.5.
    assert value(board, "time_to_target") == (13.5, 2)
    # (mypy ignore on the next line: detail is a dict for this metric)
    assert board.metric("time_to_target")["detail"] == {"key_results": 3, "reached": 2}  # type: ignore[index]
    # Due in 2024 and not cancelled: E1's two enrolments, one completed.
    assert value(board, "training_completion") == (0.5, 2)


def test_a_department_includes_only_its_jobs_and_employees(org: dict[str, Any]) -> None:
    build_history(org)
    board = dashboard(org, department=str(org["departments"]["sales"].pk))
    assert value(board, "funnel") == (0.5, 4)  # A1..A4, two hired
    assert value(board, "hiring_volume") == (3, 3)  # A1, A3, A5
    assert value(board, "time_to_hire") == (30.0, 3)  # 30, 40, 30
    assert value(board, "cost_per_hire") == (2000.0, 3)  # 6000 / 3
    assert value(board, "candidate_satisfaction") == (4.0, 2)  # 5, 3
    assert value(board, "recruitment_accuracy") == (0.5, 2)  # A, C
    assert value(board, "probation_pass_rate") == (0.8, 5)  # E1, E2 (failed), E3, E5, E6
    assert value(board, "average_performance") == (pytest.approx(205 / 3), 3)  # 85, 55, 65
    assert value(board, "time_to_target") == (13.5, 2)
    assert value(board, "training_completion") == (0.5, 2)


def test_the_parent_department_includes_the_ones_below(org: dict[str, Any]) -> None:
    build_history(org)
    assert value(dashboard(org, department=str(org["departments"]["root"].pk)), "hiring_volume") == (4, 4)


def test_a_job_filter(org: dict[str, Any]) -> None:
    history = build_history(org)
    board = dashboard(org, job=str(history["rd_job"].pk))
    assert value(board, "funnel") == (1.0, 1)
    assert value(board, "time_to_hire") == (30.0, 1)
    assert value(board, "cost_per_hire") == (2000.0, 1)
    assert value(board, "probation_pass_rate") == (1.0, 1)  # E4
    assert value(board, "time_to_target") == (None, 0)  # E4's 2024 key result never reached its target


def test_cost_per_hire_is_empty_without_costs(org: dict[str, Any]) -> None:
    build_history(org)
    from talentloop.insights.models import HiringCost

    HiringCost.objects.all().delete()
    assert value(dashboard(org), "cost_per_hire") == (None, 4)


def test_an_empty_period_has_no_values(org: dict[str, Any]) -> None:
    board = dashboard(org, **{"from": "2010-01-01", "to": "2010-03-31"})
    for metric in board.metrics:
        if metric["key"] != "hiring_volume":
            assert metric["value"] is None, metric["key"]
    assert value(board, "hiring_volume") == (0, 0)


def test_every_metric_has_a_definition_in_both_languages(org: dict[str, Any]) -> None:
    from django.utils import translation

    with translation.override("en"):
        english = {m["key"]: m for m in dashboard(org).metrics}
    with translation.override("zh-hans"):
        chinese = {m["key"]: m for m in dashboard(org).metrics}
    assert english["recruitment_accuracy"]["definition"].startswith("Of the hires in the period")
    for key, metric in english.items():
        assert len(metric["definition"]) > 40
        assert metric["label"]
        assert chinese[key]["definition"]
