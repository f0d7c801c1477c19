"""The question bank TalentLoop ships (assessment/data/question_bank.json) and how it reaches the database.

Loaded by a data migration on a fresh database; `sync_question_bank` adds questions a newer release brings
without touching questions HR has edited or retired."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

BANK_FILE = Path(__file__).resolve().parent.parent / "assessment" / "data" / "question_bank.json"


@cache
def shipped_questions() -> list[dict[str, Any]]:
    with BANK_FILE.open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


def sync_question_bank(question_model: Any, competency_model: Any) -> int:
    """Create the shipped questions that are missing. Takes the model classes so a migration can pass its
    historical models. Questions of competencies the database does not have are left out. Returns how
    many were created."""
    existing = set(question_model.objects.values_list("code", flat=True))
    competencies = dict(competency_model.objects.values_list("code", "id"))
    new = [
        question_model(
            code=item["id"], competency_id=competencies[item["competency"]], language=item["language"],
            type=item["type"], difficulty=item["difficulty"], time_limit_seconds=item["time_limit_seconds"],
            text=item["text"], placeholders=item.get("placeholders", []), key_points=item["key_points"],
            reference_answer=item.get("reference_answer", ""), levels=item.get("levels", {}),
            source="shipped", is_active=True,
        )
        for item in shipped_questions()
        if item["id"] not in existing and item["competency"] in competencies
    ]
    question_model.objects.bulk_create(new)
    return len(new)
