"""The content TalentLoop ships: the competency library and the default position levels.

Loaded by a data migration on a fresh database; `talentloop sync-library` adds library entries a newer
release brings without touching what HR has edited."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Default fit bands: the overall interview score that suits each level. An overall 85 suits a mid-level
# position; HR edits the bands per company.
DEFAULT_LEVELS: list[dict[str, Any]] = [
    {"code": "junior", "name": "初级", "name_en": "Junior", "rank": 1, "fit_min": 60, "fit_max": 74},
    {"code": "mid", "name": "中级", "name_en": "Mid-level", "rank": 2, "fit_min": 75, "fit_max": 89},
    {"code": "senior", "name": "高级", "name_en": "Senior", "rank": 3, "fit_min": 90, "fit_max": 100},
]


@cache
def library_competencies() -> list[dict[str, Any]]:
    with (DATA_DIR / "competencies.json").open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


@cache
def demo_company() -> dict[str, Any]:
    with (DATA_DIR / "demo_company.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def sync_library(competency_model: Any, level_model: Any) -> tuple[int, int]:
    """Create missing built-in competencies and levels. Takes the model classes so a migration can pass
    its historical models. Returns (competencies created, levels created)."""
    existing = set(competency_model.objects.values_list("code", flat=True))
    new = [
        competency_model(
            code=item["code"], name=item["name"], name_en=item["name_en"], category=item.get("category", "core"),
            definition=item.get("definition", ""), definition_en=item.get("definition_en", ""),
            indicators=item.get("indicators", []), is_builtin=True, is_active=True,
        )
        for item in library_competencies() if item["code"] not in existing
    ]
    competency_model.objects.bulk_create(new)
    existing_levels = set(level_model.objects.values_list("code", flat=True))
    levels = [level_model(**lvl) for lvl in DEFAULT_LEVELS if lvl["code"] not in existing_levels]
    level_model.objects.bulk_create(levels)
    return len(new), len(levels)
