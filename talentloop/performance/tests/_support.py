"""Helpers to build OKRs in tests (as HR, so every test starts from the same data)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from talentloop.performance import services
from talentloop.performance.models import KeyResult, Objective, PerformanceCycle


def make_objective(
    org: dict[str, Any], cycle: PerformanceCycle, *, owner: str | None = "report", level: str = "personal",
    title: str = "Grow key accounts", **extra: Any,
) -> Objective:
    return services.objective_create(
        actor=org["users"]["hr"], cycle=cycle, level=level, title=title,
        owner_employee=org["employees"][owner] if owner else None, **extra,
    )


def make_key_result(org: dict[str, Any], objective: Objective, **fields: Any) -> KeyResult:
    values: dict[str, Any] = {
        "title": "Customer satisfaction", "metric": "CSAT survey", "unit": "points",
        "start_value": Decimal("70"), "target_value": Decimal("90"), "weight": Decimal("50"),
    }
    values.update(fields)
    return services.key_result_create(actor=org["users"]["hr"], objective=objective, **values)
