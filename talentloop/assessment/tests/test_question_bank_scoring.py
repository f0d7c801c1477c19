"""The shipped bank scored by the shipped scorer: a model answer must look like one, a weak answer must not.

HR sees each question's reference answer beside the candidate's; if the engine scored the model answer 70, every
score would be suspect. So every reference answer, scored against its own question, matches at least 80% of the
key points and scores at least 80 (median at least 85 per language), while weak answers (vague, blaming,
buzzwords, off topic) stay at or below 45 against every question, and the key points stay specific: reference
answers of other competencies match few of them and always score below the question's own reference answer.
"""

from __future__ import annotations

import json
import statistics
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from talentloop.assessment.answers import Answer, AnswerScore, KeyPoint, Question, TextAnswerScorer
from talentloop.assessment.interview import default_context, fill_placeholders

from .answer_samples import SAMPLES

BANK: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "question_bank.json").read_text(encoding="utf-8")
)
LANGUAGES = ("zh-hans", "en")
SCORER = TextAnswerScorer()

# Written for this test, not taken from the bank: what a weak candidate says, in each language.
WEAK_ANSWERS = {
    "zh-hans": (
        "不知道，没遇到过这种情况。",
        "这个问题我没有想过，到时候看情况再说吧。",
        "我一般就是按领导说的做，领导怎么安排我就怎么做，其他的我不太管。",
        "都是他们的错，跟我没关系，我已经做得够多了，出了问题应该找他们。",
        "我觉得我是一个认真负责的人，沟通能力强，有团队精神，学习能力也很强，做事积极主动，一定能把工作做好。",
        "我会积极沟通，认真解决问题，尽量让大家都满意，努力把事情做好，保证结果。",
        "我平时喜欢打篮球和看电影，周末经常和朋友去爬山，生活很充实。",
        "这种事情很常见，随便处理一下就行了，不用太在意，反正最后总会过去的。",
    ),
    "en": (
        "I don't know, I have never been in that situation.",
        "I haven't really thought about it. I would see what happens at the time.",
        "I usually just do what my manager tells me to do. Whatever they decide is fine with me.",
        "It was their fault, not mine. I did my part and they should fix their own mistakes.",
        "I am a hard-working, responsible person with strong communication skills. I am a team player and a fast "
        "learner, and I always give my best.",
        "I would communicate well, solve the problem and make sure everyone is happy with the result in the end.",
        "In my free time I like playing football and watching films, and I often go hiking with friends at the "
        "weekend.",
        "That kind of thing happens all the time. I would not worry about it much, it usually sorts itself out.",
    ),
}


def _question(item: dict[str, Any]) -> Question:
    return Question(
        text=fill_placeholders(item["text"], default_context(item["language"]), item["language"]),
        language=item["language"],
        competency=item["competency"],
        key_points=tuple(KeyPoint(kp["point"], tuple(kp["synonyms"])) for kp in item["key_points"]),
        reference_answers=(item["reference_answer"],),
        type=item["type"],
        time_limit_seconds=item["time_limit_seconds"],
    )


def _items(language: str) -> list[dict[str, Any]]:
    return [item for item in BANK if item["language"] == language]


@cache
def _reference_scores(language: str) -> dict[str, AnswerScore]:
    return {item["id"]: SCORER.score(_question(item), Answer(item["reference_answer"])) for item in _items(language)}


def _weak_answers(language: str) -> list[str]:
    samples = [weak for code, (_strong, weak) in SAMPLES.items() if code.split("-")[-2] == language.split("-")[0]]
    return [*WEAK_ANSWERS[language], *samples]


def test_the_weak_answers_include_the_samples_of_each_language() -> None:
    assert [len(_weak_answers(language)) for language in LANGUAGES] == [14, 14]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reference_answer_makes_its_key_points_and_scores_at_least_80(language: str) -> None:
    problems = []
    for item in _items(language):
        result = _reference_scores(language)[item["id"]]
        share = len(result.matched_key_points) / len(item["key_points"])
        if share < 0.8 or result.score < 80 or result.flags:
            problems.append(f"{item['id']}: {result.score}, key points {share:.0%}, missing "
                            f"{list(result.missing_key_points)}, flags {list(result.flags)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_median_reference_answer_scores_at_least_85(language: str) -> None:
    assert statistics.median(result.score for result in _reference_scores(language).values()) >= 85


@pytest.mark.parametrize("language", LANGUAGES)
def test_weak_answers_stay_at_or_below_45_on_every_question(language: str) -> None:
    problems = []
    for item in _items(language):
        question = _question(item)
        for text in _weak_answers(language):
            result = SCORER.score(question, Answer(text))
            if result.score > 45:
                problems.append(f"{item['id']}: {result.score} for {text[:30]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_points_stay_specific_to_their_question(language: str) -> None:
    # Each question against the reference answers of the same-numbered question of the next three competencies:
    # good answers, but to other questions. Synonyms that are too general would make them match.
    items = _items(language)
    competencies = list(dict.fromkeys(item["competency"] for item in items))
    by_key = {(item["competency"], item["id"].rsplit("-", 1)[1]): item for item in items}
    matched = total = 0
    problems = []
    for item in items:
        question, number = _question(item), item["id"].rsplit("-", 1)[1]
        own = _reference_scores(language)[item["id"]].score
        for step in (1, 2, 3):
            other = by_key[(competencies[(competencies.index(item["competency"]) + step) % len(competencies)], number)]
            result = SCORER.score(question, Answer(other["reference_answer"]))
            matched += len(result.matched_key_points)
            total += len(item["key_points"])
            if result.score >= own:
                problems.append(f"{item['id']}: {other['id']}'s reference answer scores {result.score} >= {own}")
    assert not problems, "\n".join(problems)
    assert matched / total <= 0.2
