"""Engine 2.1: key points by words (60% of the words and of the content tokens; a phrase of one content word
as written), plan structure for situational questions, English concrete actions in any form, "-ied" stemming."""

from __future__ import annotations

import pytest

from talentloop.assessment.answers import Answer, KeyPoint, Question, TextAnswerScorer
from talentloop.assessment.answers.cues import ACTIONS, action_key
from talentloop.assessment.answers.text import function_words, stem

SCORER = TextAnswerScorer()


def matched(point: str, text: str, *synonyms: str, language: str = "en") -> bool:
    question = Question(text="?", language=language, competency="c", key_points=(KeyPoint(point, synonyms),))
    return SCORER.score(question, Answer(text)).matched_key_points == (point,)


@pytest.mark.parametrize(("point", "text", "expected"), [
    ("follow up", "Two days later I followed up with her.", True),  # follow + up
    ("follow up", "I always follow the rules.", False),  # "follow" alone is not the phrase
    ("report to my manager", "After reporting it to my manager, I called the customer.", True),
    ("report to my manager", "My manager was away.", False),  # two words of four, one content token of two
    ("no blame", "There was no blame in the review.", True),
    ("walk through", "I walked him through one real order.", True),  # one content word: as written, any
    ("fix it", "I fixed the printer and then it worked.", False),  # endings, at most two words in between
    ("one to one", "One of them went to the meeting.", False),
])
def test_english_phrases_match_by_their_words(point: str, text: str, expected: bool) -> None:
    assert matched(point, text) is expected


@pytest.mark.parametrize(("phrase", "text", "expected"), [
    ("不是我的工作", "我把工作做完了。", False),  # jieba keeps only 工作: the phrase must occur as written
    ("不是我的工作", "这不是我的工作，但我先处理了。", True),
    ("带他拜访", "我拜访了三家客户。", False),  # only 拜访 is left of it
    ("带他拜访", "我带他拜访了三次。", True),  # as written
    ("主动承担责任", "我主动承担了这项责任。", True),  # three tokens, all there
    ("主动承担责任", "我承担了后果。", False),  # one of three
])
def test_chinese_phrases_reduced_to_one_word_match_only_as_written(phrase: str, text: str, expected: bool) -> None:
    assert matched(phrase, text, language="zh-hans") is expected


def test_function_words_are_what_the_tokenizer_drops_minus_the_articles() -> None:
    assert function_words("i followed up with the team and a customer") == ["i", "up", "with", "and"]


def test_ied_stems_to_y() -> None:
    assert stem("clarified") == stem("clarifies") == stem("clarify") == "clarify"
    assert stem("listened") == stem("listening") == "listen"


def test_english_actions_count_once_in_any_form() -> None:
    found = ACTIONS.findall("i would call them, then i called again and followed up, and i am following up")
    assert {action_key(item) for item in found} == {"call", "follow up"}


PLAN_ANSWER = (
    "First I would call the customer and listen without interrupting. Then I would check the order history "
    "so that I know what went wrong. Finally I would follow up a week later, and if the problem comes back I "
    "would escalate it."
)


def _structure(kind: str, text: str = PLAN_ANSWER) -> float:
    question = Question(text="A customer complains. What do you do?", language="en", competency="c", type=kind)
    return SCORER.score(question, Answer(text)).subscores["structure"]


def test_a_plan_counts_as_structure_for_a_situational_question_only() -> None:
    assert _structure("situational") == 100.0  # first step, next steps, reason, follow-up; connectives
    assert _structure("behavioral") < _structure("situational")  # a past example is asked for there


def test_a_story_still_counts_for_a_situational_question() -> None:
    story = (
        "Last year a customer complained about a late delivery. My role was to handle it. I called her the same "
        "day and offered a refund. As a result she renewed her contract."
    )
    assert _structure("situational", story) == _structure("behavioral", story)


def test_plan_evidence_names_the_plan_parts() -> None:
    question = Question(text="What do you do?", language="en", competency="c", type="situational")
    reasons = {reason for item in SCORER.score(question, Answer(PLAN_ANSWER)).evidence for reason in item.reasons}
    assert {"plan first step", "plan next steps", "plan reason", "plan follow-up"} <= reasons
