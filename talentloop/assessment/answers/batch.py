"""One record of the batch scoring format (`talentloop score-answers`), validated and scored.

Input record (one JSON object per line):

    {"id": str | int, "question": str, "answer": str,
     "key_points"?: [str | {"point": str, "synonyms"?: [str]}], "reference_answers"?: [str],
     "competency"?: str, "language"?: "zh-hans" | "en"}

Without "language" the question's detected language is used. Other fields are ignored.

Output: {"id", "score", "subscores", "evidence": [{"sentence", "start", "end", "reasons"}],
"missing_key_points", "engine": {"name", "version", "parameters"}}; a record that fails validation gives
{"id", "error"} with a message naming the field (id is null when it is missing or not usable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import LANGUAGES, Answer, KeyPoint, Question
from .scorer import TextAnswerScorer
from .text import detect_language, normalise

__all__ = ["MAX_ANSWER_CHARS", "MAX_LIST_ITEMS", "RecordError", "parse_record", "score_record"]

MAX_ANSWER_CHARS = 200_000  # far above any real answer; protects a batch from a runaway line
MAX_QUESTION_CHARS = 20_000
MAX_LIST_ITEMS = 100


class RecordError(ValueError):
    """A record that cannot be scored; the message says which field is wrong and how."""


def score_record(record: Mapping[str, Any], scorer: TextAnswerScorer) -> dict[str, Any]:
    """The output line for `record`: its score, or {"id", "error"} when the record is not valid."""
    record_id = _usable_id(record)
    try:
        question, answer = parse_record(record)
    except RecordError as exc:
        return {"id": record_id, "error": str(exc)}
    result = scorer.score(question, answer)
    data = result.to_dict()
    return {
        "id": record_id,
        "score": data["score"],
        "subscores": data["subscores"],
        "evidence": data["evidence"],
        "missing_key_points": data["missing_key_points"],
        "engine": {"name": result.engine, "version": result.engine_version, "parameters": data["parameters"]},
    }


def parse_record(record: Mapping[str, Any]) -> tuple[Question, Answer]:
    if not isinstance(record, Mapping):
        raise RecordError(f"a record must be a JSON object, got {_kind(record)}")
    if "id" not in record:
        raise RecordError('"id" is missing')
    if _usable_id(record) is None:
        raise RecordError(f'"id" must be a string or an integer, got {_kind(record["id"])}')
    text = _text(record, "question", required=True, limit=MAX_QUESTION_CHARS)
    if not text.strip():
        raise RecordError('"question" is empty')
    answer = _text(record, "answer", required=True, limit=MAX_ANSWER_CHARS)
    competency = _text(record, "competency", required=False, limit=200)
    language = record.get("language")
    if language is None:
        language = detect_language(normalise(text))
    elif language not in LANGUAGES:
        raise RecordError(f'"language" must be one of {list(LANGUAGES)}, got {language!r}')
    question = Question(
        text=text,
        language=language,
        competency=competency,
        key_points=_key_points(record.get("key_points")),
        reference_answers=_strings(record.get("reference_answers"), "reference_answers"),
    )
    return question, Answer(answer)


def _usable_id(record: Any) -> str | int | None:
    if not isinstance(record, Mapping):
        return None
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return value


def _text(record: Mapping[str, Any], field: str, *, required: bool, limit: int) -> str:
    if field not in record or record[field] is None:
        if required:
            raise RecordError(f'"{field}" is missing')
        return ""
    value = record[field]
    if not isinstance(value, str):
        raise RecordError(f'"{field}" must be a string, got {_kind(value)}')
    if len(value) > limit:
        raise RecordError(f'"{field}" is {len(value):,} characters long; the limit is {limit:,}')
    return value


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RecordError(f'"{field}" must be a list of strings, got {_kind(value)}')
    if len(value) > MAX_LIST_ITEMS:
        raise RecordError(f'"{field}" has {len(value)} items; the limit is {MAX_LIST_ITEMS}')
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise RecordError(f'"{field}"[{index}] must be a string, got {_kind(item)}')
        if len(item) > MAX_QUESTION_CHARS:
            raise RecordError(f'"{field}"[{index}] is {len(item):,} characters long; the limit is '
                              f"{MAX_QUESTION_CHARS:,}")
    return tuple(value)


def _key_points(value: Any) -> tuple[KeyPoint, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RecordError(f'"key_points" must be a list, got {_kind(value)}')
    if len(value) > MAX_LIST_ITEMS:
        raise RecordError(f'"key_points" has {len(value)} items; the limit is {MAX_LIST_ITEMS}')
    points = []
    for index, item in enumerate(value):
        point: Any = item
        synonyms: Any = []
        if isinstance(item, Mapping):
            point, synonyms = item.get("point"), item.get("synonyms") or []
            if not isinstance(point, str):
                raise RecordError(f'"key_points"[{index}].point must be a string, got {_kind(point)}')
        elif not isinstance(item, str):
            raise RecordError(f'"key_points"[{index}] must be a string or an object with "point", got {_kind(item)}')
        if not point.strip():
            raise RecordError(f'"key_points"[{index}] is empty')
        points.append(KeyPoint(point, _strings(synonyms, f"key_points[{index}].synonyms")))
    return tuple(points)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
