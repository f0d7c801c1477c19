"""Shipped interview question bank: structure and coverage of every competency in the library."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BANK_PATH = ROOT / "assessment" / "data" / "question_bank.json"
COMPETENCIES_PATH = ROOT / "org" / "data" / "competencies.json"

LANGUAGES = ("zh-hans", "en")
TYPES = {"behavioral", "situational"}
ALLOWED_PLACEHOLDERS = {"product", "customer_type", "team_size"}
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def bank() -> list[dict[str, Any]]:
    data = _load(BANK_PATH)
    assert isinstance(data, list)
    assert data
    return data


@pytest.fixture(scope="module")
def competency_codes() -> list[str]:
    return [c["code"] for c in _load(COMPETENCIES_PATH)]


def test_file_is_valid_json() -> None:
    json.loads(BANK_PATH.read_text(encoding="utf-8"))


def test_ids_unique(bank: list[dict[str, Any]]) -> None:
    ids = [q["id"] for q in bank]
    assert len(ids) == len(set(ids))


def test_every_question_references_a_known_competency(bank, competency_codes) -> None:
    known = set(competency_codes)
    assert {q["competency"] for q in bank} <= known


def test_coverage_per_competency_and_language(bank, competency_codes) -> None:
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for q in bank:
        by_key[(q["competency"], q["language"])].append(q)
    problems = []
    for code in competency_codes:
        for lang in LANGUAGES:
            qs = by_key[(code, lang)]
            if len(qs) < 4:
                problems.append(f"{code}/{lang}: only {len(qs)} questions")
                continue
            if {q["type"] for q in qs} != TYPES:
                problems.append(f"{code}/{lang}: types {sorted({q['type'] for q in qs})}")
            if not {1, 2, 3} <= {q["difficulty"] for q in qs}:
                problems.append(f"{code}/{lang}: difficulties {sorted({q['difficulty'] for q in qs})}")
    assert not problems, "\n".join(problems)


def test_question_fields(bank: list[dict[str, Any]]) -> None:
    problems = []
    for q in bank:
        qid = q["id"]
        if q["language"] not in LANGUAGES:
            problems.append(f"{qid}: language {q['language']!r}")
        if q["type"] not in TYPES:
            problems.append(f"{qid}: type {q['type']!r}")
        if q["difficulty"] not in (1, 2, 3):
            problems.append(f"{qid}: difficulty {q['difficulty']!r}")
        if not (isinstance(q["time_limit_seconds"], int) and 120 <= q["time_limit_seconds"] <= 300):
            problems.append(f"{qid}: time limit {q['time_limit_seconds']!r}")
        if not q["text"].strip():
            problems.append(f"{qid}: empty text")
        kps = q["key_points"]
        if not 3 <= len(kps) <= 6:
            problems.append(f"{qid}: {len(kps)} key points")
        for kp in kps:
            if not kp["point"].strip() or len([s for s in kp["synonyms"] if s.strip()]) < 3:
                problems.append(f"{qid}: weak key point {kp['point']!r}")
        if not q["reference_answer"].strip():
            problems.append(f"{qid}: empty reference answer")
        levels = q["levels"]
        if set(levels) != {"1", "2", "3"} or not all(str(v).strip() for v in levels.values()):
            problems.append(f"{qid}: levels {sorted(levels)}")
    assert not problems, "\n".join(problems)


def test_placeholders_match_text(bank: list[dict[str, Any]]) -> None:
    problems = []
    for q in bank:
        used = set(PLACEHOLDER_RE.findall(q["text"]))
        listed = q["placeholders"]
        if used != set(listed) or len(listed) != len(set(listed)):
            problems.append(f"{q['id']}: text uses {sorted(used)}, listed {listed}")
        if not set(listed) <= ALLOWED_PLACEHOLDERS:
            problems.append(f"{q['id']}: unknown placeholders {sorted(set(listed) - ALLOWED_PLACEHOLDERS)}")
        for field in ("reference_answer",):
            if PLACEHOLDER_RE.search(q[field]):
                problems.append(f"{q['id']}: placeholder in {field}")
    assert not problems, "\n".join(problems)


CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def test_language_matches_content(bank: list[dict[str, Any]]) -> None:
    problems = []
    for q in bank:
        fields = [q["text"], q["reference_answer"], *q["levels"].values(), *(kp["point"] for kp in q["key_points"])]
        if q["language"] == "zh-hans" and not all(CJK_RE.search(f) for f in fields):
            problems.append(f"{q['id']}: Chinese question with a non-Chinese field")
        if q["language"] == "en" and any(CJK_RE.search(f) for f in fields):
            problems.append(f"{q['id']}: English question contains Chinese text")
        if not q["id"].startswith(f"{q['competency']}-"):
            problems.append(f"{q['id']}: id does not start with its competency code")
    assert not problems, "\n".join(problems)
