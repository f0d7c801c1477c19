"""The batch record format: validation with clear messages, output shape, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.answers import ENGINE, ENGINE_VERSION, TextAnswerScorer
from talentloop.assessment.answers.batch import parse_record, score_record

SCORER = TextAnswerScorer()
RECORD = {"id": "a", "question": "How do you handle a complaint?", "answer": "I listened and apologised."}


def test_output_has_exactly_the_documented_keys() -> None:
    out = score_record(RECORD, SCORER)
    assert set(out) == {"id", "score", "subscores", "evidence", "missing_key_points", "engine"}
    assert set(out["engine"]) == {"name", "version", "parameters"}
    assert (out["engine"]["name"], out["engine"]["version"]) == (ENGINE, ENGINE_VERSION)
    assert json.loads(json.dumps(out)) == out


def test_language_is_detected_from_the_question_when_absent() -> None:
    question, _ = parse_record({**RECORD, "question": "你如何处理客户投诉？"})
    assert question.language == "zh-hans"
    question, _ = parse_record(RECORD)
    assert question.language == "en"
    key_points = ["a", {"point": "b", "synonyms": ["c"]}, {"point": "d", "synonyms": None}]
    question, _ = parse_record(
        {**RECORD, "language": "zh-hans", "competency": "c", "key_points": key_points, "reference_answers": ["r"]}
    )
    assert (question.language, question.competency) == ("zh-hans", "c")
    assert [(k.point, k.synonyms) for k in question.key_points] == [("a", ()), ("b", ("c",)), ("d", ())]
    assert question.reference_answers == ("r",)


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"question": "q", "answer": "a"}, '"id" is missing'),
        ({"id": 1.5, "question": "q", "answer": "a"}, '"id" must be a string or an integer, got a number'),
        ({"id": 1, "answer": "a"}, '"question" is missing'),
        ({"id": 1, "question": "  ", "answer": "a"}, '"question" is empty'),
        ({"id": 1, "question": "q", "answer": 5}, '"answer" must be a string, got a number'),
        ({"id": 1, "question": "q", "answer": "a", "competency": []}, '"competency" must be a string, got a list'),
        ({"id": 1, "question": "q", "answer": "a", "key_points": "x"}, '"key_points" must be a list, got a string'),
        ({"id": 1, "question": "q", "answer": "a", "key_points": [3]},
         '"key_points"[0] must be a string or an object with "point", got a number'),
        ({"id": 1, "question": "q", "answer": "a", "key_points": [" "]}, '"key_points"[0] is empty'),
        ({"id": 1, "question": "q", "answer": "a", "key_points": [{"point": "p", "synonyms": [1]}]},
         '"key_points[0].synonyms"[0] must be a string, got a number'),
        ({"id": 1, "question": "q", "answer": "a", "reference_answers": [None]},
         '"reference_answers"[0] must be a string, got null'),
        ({"id": 1, "question": "q", "answer": "a", "key_points": ["k"] * 101}, '"key_points" has 101 items'),
        ({"id": 1, "question": "q" * 20_001, "answer": "a"}, '"question" is 20,001 characters long'),
    ],
)
def test_bad_records_give_clear_errors(record, error) -> None:
    out = score_record(record, SCORER)
    assert set(out) == {"id", "error"}
    assert out["error"].startswith(error)
    assert out["id"] == (record["id"] if isinstance(record.get("id"), int | str) else None)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries({}, optional={
    "id": JSON, "question": JSON | st.text(max_size=80), "answer": JSON | st.text(max_size=200),
    "key_points": JSON, "reference_answers": JSON, "competency": JSON, "language": JSON | st.sampled_from(["en"]),
})


@settings(max_examples=300, deadline=None)
@given(record=FIELDS | JSON)
def test_never_raises(record) -> None:
    out = score_record(record, SCORER)
    assert "error" in out or 0 <= out["score"] <= 100
    json.dumps(out)
