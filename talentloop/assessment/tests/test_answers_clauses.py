"""Negation, concession, language mismatch and the jieba tokenizer of the text scorer."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.answers import Answer, JiebaTokenizer, KeyPoint, Question, TextAnswerScorer, warm_up
from talentloop.assessment.answers.clauses import affirmative, conceded, has_negator
from talentloop.assessment.answers.text import normalise

SCORER = TextAnswerScorer()
ZH = Question(
    text="请讲一次你处理客户投诉的经历。",
    language="zh-hans",
    competency="customer_orientation",
    key_points=(
        KeyPoint("道歉", ("致歉",)), KeyPoint("联系客户", ("打电话给客户",)), KeyPoint("不推诿", ("不找借口",)),
    ),
)
EN = Question(
    text="Tell me about a time you handled a customer complaint.",
    language="en",
    competency="customer_orientation",
    key_points=(KeyPoint("apologise", ("apologize", "sorry")), KeyPoint("call", ("phoned",)),
                KeyPoint("no excuses", ("did not make excuses",))),
)


def matched(question: Question, text: str) -> tuple[str, ...]:
    return SCORER.score(question, Answer(text)).matched_key_points


# --- negation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我没有道歉。", ()),
        ("我没有联系客户。", ()),
        ("我从来没有向客户真诚地道歉。", ()),
        ("我并未道歉，也没有打电话给客户。", ()),
        ("我没有推卸，而是马上道歉。", ("道歉",)),  # 而是 ends the scope
        ("我没有打断他，然后道歉。", ("道歉",)),  # the clause ends at the comma
        ("我毫不犹豫地道歉。", ("道歉",)),  # 毫不 is not a negator
        ("我不仅道歉，还联系客户。", ("道歉", "联系客户")),
        ("我不得不道歉。", ("道歉",)),
        ("是不是该道歉？我马上联系客户。", ("道歉", "联系客户")),  # V不V is a question
        ("我不推诿，马上道歉。", ("道歉", "不推诿")),  # a negative key point matches as written
        ("我没有道歉。后来我真诚地道歉了。", ("道歉",)),
    ],
)
def test_chinese_negation(text: str, expected: tuple[str, ...]) -> None:
    assert matched(ZH, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I did not apologise.", ()),
        ("I didn't apologise to them.", ()),
        ("I didn’t say sorry.", ()),  # a curly apostrophe
        ("I never called the customer.", ()),
        ("I never really made a call.", ()),
        ("I did not wait, and I called her at once.", ("call",)),
        ("I did not blame anyone and apologised.", ("apologise",)),  # "and" ends the scope
        ("Not only did I apologise, I called her too.", ("apologise", "call")),
        ("I did not make excuses; I apologised.", ("apologise", "no excuses")),
        ("No matter what, I apologise first.", ("apologise",)),
    ],
)
def test_english_negation(text: str, expected: tuple[str, ...]) -> None:
    assert matched(EN, text) == expected


def test_affirmative_blanks_scopes_and_keeps_offsets() -> None:
    text = normalise("我没有联系客户，但马上道歉。I did not call them but apologised.")
    plain = affirmative(text)
    assert len(plain) == len(text)
    assert plain == "我没有    ,但马上道歉。i did not           but apologised."  # NFKC: ，→ ,
    assert has_negator("不推诿")
    assert has_negator("no excuses")
    assert not has_negator("道歉")
    assert not has_negator("not only")


def test_negated_key_point_is_reported_missing_and_gives_no_evidence() -> None:
    result = SCORER.score(ZH, Answer("我没有道歉。"))
    assert result.missing_key_points == ("道歉", "联系客户", "不推诿")
    assert all("key point" not in reason for item in result.evidence for reason in item.reasons)


# --- concession ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "text", "blaming"),
    [
        (ZH, "虽然不是我的错，但我还是向客户道歉并马上处理。", False),
        (ZH, "尽管这件事不是我的问题，我仍然主动联系客户。", False),
        (ZH, "这不是我的错，但我还是先道歉了。", False),  # contrast, then the speaker takes over
        (ZH, "这都是他们的错，跟我没关系。", True),
        (ZH, "虽然我很忙，但都是他们的错。", True),  # the contrast ends the concessive clause
        (EN, "Although it wasn't my fault, I apologised and fixed it.", False),
        (EN, "Even though it was not my fault, I called the customer.", False),
        (EN, "It was not my fault, but I apologised anyway.", False),
        (EN, "It was their fault, not mine.", True),
        (EN, "Although I was busy, but it was their fault.", True),
    ],
)
def test_concessive_blaming_is_not_flagged(question: Question, text: str, blaming: bool) -> None:
    assert ("blaming" in SCORER.score(question, Answer(text)).flags) is blaming


def test_conceded_positions() -> None:
    sentence = normalise("虽然不是我的错，但我道歉了。")
    start = sentence.index("不是我的错")
    assert conceded(sentence, start, start + 5)
    assert not conceded("都是他们的错。", 0, 6)


# --- language mismatch --------------------------------------------------------------------------------------


def test_language_mismatch_is_flagged_without_a_penalty() -> None:
    english = "I apologised to the customer at once and called her the next day to follow up on the refund."
    result = SCORER.score(ZH, Answer(english))
    assert "language_mismatch" in result.flags
    # the flag's penalty is 0, so the score is the weighted mean minus the other flags' penalties only
    other = TextAnswerScorer(penalties={**SCORER.penalties, "language_mismatch": 0.0})
    assert other.score(ZH, Answer(english)).score == result.score
    assert SCORER.parameters["penalties"]["language_mismatch"] == 0.0
    assert "language_mismatch" not in SCORER.score(ZH, Answer("I apologised.")).flags  # under 10 units
    same_language = SCORER.score(ZH, Answer("我马上向客户道歉，并在第二天打电话给客户跟进退款。"))
    assert "language_mismatch" not in same_language.flags
    chinese_for_english = SCORER.score(EN, Answer("我马上向客户道歉，并在第二天打电话给客户跟进退款进度。"))
    assert "language_mismatch" in chinese_for_english.flags


# --- jieba tokenizer ----------------------------------------------------------------------------------------


def test_jieba_tokens_are_words_with_sub_words_and_stemmed_english() -> None:
    tokens = JiebaTokenizer().tokens(normalise("我们提出了解决方案，and we listened to the customers. 听"))
    assert tokens == ["listen", "customer", "提出", "解决", "方案", "解决方案", "听"]
    assert JiebaTokenizer().tokens("") == []
    assert JiebaTokenizer().tokens("的了") == []


def test_jieba_loads_once_and_is_safe_from_many_threads() -> None:
    warm_up()
    results: list[list[str]] = []

    def work() -> None:
        results.append(JiebaTokenizer().tokens("我首先耐心倾听客户的抱怨"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [["首先", "耐心", "倾听", "客户", "抱怨"]] * 8


def test_the_bigram_tokenizer_is_still_available() -> None:
    from talentloop.assessment.answers import BigramTokenizer

    scorer = TextAnswerScorer(tokenizer=BigramTokenizer())
    result = scorer.score(ZH, Answer("我马上向客户道歉。"))
    assert result.parameters["tokenizer"] == "bigram-v1"
    assert result.matched_key_points == ("道歉",)


def test_engine_version_is_bumped() -> None:
    from talentloop.assessment.answers import ENGINE_VERSION

    assert ENGINE_VERSION == "2.1"
    assert dataclasses.asdict(SCORER.weights)["key_points"] == 0.35


# --- properties ---------------------------------------------------------------------------------------------

PIECES = st.sampled_from([
    "我没有", "不", "没", "道歉", "，", "。", "虽然", "但我", "不是我的错", "not", "n't", "never", " I ", "apologise",
    "although", "it was their fault", ", but I", "毫不", "是不是", "\n", "’", "didn’t", "联系客户",
])
TEXT = st.text(max_size=300) | st.lists(PIECES, max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_clause_rules_never_raise_and_keep_length(text: str) -> None:
    normalised = normalise(text)
    assert len(affirmative(normalised)) == len(normalised)
    conceded(normalised, 0, len(normalised))
    has_negator(normalised)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, english=st.booleans())
def test_scoring_never_raises_on_negation_and_concession_text(text: str, english: bool) -> None:
    result = SCORER.score(EN if english else ZH, Answer(text))
    assert 0.0 <= result.score <= 100.0
    assert set(result.flags) <= {"empty", "near_empty", "copied_question", "off_topic", "blaming", "language_mismatch"}
