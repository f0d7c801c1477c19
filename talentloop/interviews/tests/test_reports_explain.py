"""The report's sentences: numbers, quotes, the fit label from the position levels, strengths and weaknesses."""

from __future__ import annotations

import pytest

from talentloop.interviews import explain
from talentloop.org.models import JobLevel


def test_numbers_are_written_as_people_write_them() -> None:
    assert [explain.number(v) for v in (88.0, 88.5, 88.46, 0, None, 70)] == ["88", "88.5", "88.5", "0", "—", "70"]


def test_quotes_are_cut_between_words_or_characters() -> None:
    assert explain.shorten("short  text\nhere") == "short text here"
    assert explain.shorten("Tell me about a time when you took the initiative to find out", 30) == (
        "Tell me about a time when you…"
    )
    assert explain.shorten("一二三四五六七八九十一二三四五", 10) == "一二三四五六七八九…"
    assert explain.quoted("I listened.") == "“I listened.”"


def test_lists_of_points() -> None:
    assert explain.join_quoted(["a"]) == "“a”"
    assert explain.join_quoted(["a", "b", "c"]) == "“a”, “b” and “c”"


def test_evidence_in_either_stored_form() -> None:
    assert explain.evidence_pairs([[2, "x"], {"position": 3, "sentence": "y"}, {"question_position": 4,
                                                                              "sentence": "z"}, "junk"]) == [
        (2, "x"), (3, "y"), (4, "z")
    ]


def test_weakness_sentences_without_missing_points() -> None:
    sentence = explain.weakness_sentence(name="Teamwork", score=61, required=65, missing=[], evidence=[(3, "Hi.")])
    assert sentence == (
        "Below the requirement in Teamwork (61, required 65); the strongest sentence was “Hi.” (answer 3)."
    )
    assert explain.weakness_sentence(name="Teamwork", score=0, required=65, missing=[], evidence=[]) == (
        "Below the requirement in Teamwork (0, required 65); no answer gave evidence of it."
    )
    assert explain.strength_sentence(name="Teamwork", score=91, required=65, evidence=[]) == (
        "Strong in Teamwork (91, required 65)."
    )


@pytest.mark.django_db
def test_fit_labels_come_from_the_position_levels() -> None:
    levels = list(JobLevel.objects.order_by("rank"))
    assert explain.fit_label("junior", levels) == "Suits a junior position"
    assert explain.fit_label("senior", levels) == "Suits a senior position"
    assert explain.fit_label("below", levels) == "Below the junior band"
    assert explain.fit_label("", levels) is None
    assert explain.fit_label("below", []) == "Below every position level"
    expert = JobLevel(code="expert", name="专家", name_en="Expert", rank=4, fit_min=95, fit_max=100)
    assert explain.fit_label("expert", [*levels, expert]) == "Suits an expert position"
    assert explain.fit_label("gone", levels) == "gone"
