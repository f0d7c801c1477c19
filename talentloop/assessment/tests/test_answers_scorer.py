"""Text-answer scoring: strong vs weak answers in Chinese and English, evidence, flags, properties, fit()."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.answers import (
    ENGINE,
    ENGINE_VERSION,
    Answer,
    AnswerScore,
    AnswerWeights,
    KeyPoint,
    Question,
    TextAnswerScorer,
)
from talentloop.assessment.answers.text import (
    BigramTokenizer,
    detect_language,
    normalise,
    split_sentences,
    stem,
)

ZH_QUESTION = Question(
    text="请描述一次你处理客户投诉的经历，你是如何解决的？",
    language="zh-hans",
    competency="客户服务",
    key_points=(
        KeyPoint("倾听", ("听取", "耐心听")),
        KeyPoint("道歉", ("致歉", "表示歉意")),
        KeyPoint("解决方案", ("解决办法", "处理方案")),
        KeyPoint("跟进", ("回访", "跟踪")),
    ),
    reference_answers=("我先耐心倾听客户的投诉，向客户真诚道歉，然后提出解决方案并及时跟进，确保客户满意。",),
)
ZH_STRONG_SENTENCES = (
    "去年我在电商客服部门工作，当时一位客户因为订单延迟发货三天而非常生气，在电话里投诉。",
    "我负责处理这位客户的投诉。",
    "我首先耐心倾听客户的抱怨，没有打断他，并记录了订单的关键信息。",
    "然后我代表公司向他真诚道歉，承认我们的物流安排有问题。",
    "接着我联系仓库核实库存，提出了解决方案：当天加急发货，并补偿一张50元的优惠券。",
    "第二天我又打电话跟进，确认客户已经收到包裹。",
    "最终客户非常满意，撤回了差评，这个月我们组的投诉率也降低了20%。",
)
ZH_STRONG = "".join(ZH_STRONG_SENTENCES)
ZH_WEAK = "客户投诉的时候我会跟他说没办法，让他自己等一等吧。"

EN_QUESTION = Question(
    text="Tell me about a time you handled a customer complaint. How did you resolve it?",
    language="en",
    competency="customer service",
    key_points=(
        KeyPoint("listen", ("hear them out",)),
        KeyPoint("apologise", ("apologize", "apology", "sorry")),
        KeyPoint("solution", ("resolve", "fix", "refund", "replacement")),
        KeyPoint("follow up", ("follow-up", "checked back")),
    ),
    reference_answers=(
        "I listened carefully to the customer, apologised sincerely, offered a solution and followed up to make "
        "sure they were satisfied.",
    ),
)
EN_STRONG_SENTENCES = (
    "Last year I worked on the support desk of an online shop, and a customer complained that her order was "
    "three days late.",
    "My role was to handle the complaint and keep her as a customer.",
    "I first listened to her without interrupting and recorded the order details.",
    "Then I apologised sincerely for the delay and explained what had gone wrong in the warehouse.",
    "I contacted the warehouse, arranged express shipping the same day and offered a refund of the delivery fee "
    "as a solution.",
    "Two days later I called her to follow up and checked that the parcel had arrived.",
    "As a result she withdrew her negative review, and our team reduced repeat complaints by 20% that quarter.",
)
EN_STRONG = " ".join(EN_STRONG_SENTENCES)
EN_WEAK = "I would tell the customer to wait. Complaints happen sometimes and there is not much to do."

SCORER = TextAnswerScorer()
CASES = [
    pytest.param(ZH_QUESTION, ZH_STRONG, ZH_WEAK, ZH_STRONG_SENTENCES, id="zh"),
    pytest.param(EN_QUESTION, EN_STRONG, EN_WEAK, EN_STRONG_SENTENCES, id="en"),
]


def score(question: Question, text: str, scorer: TextAnswerScorer = SCORER) -> AnswerScore:
    return scorer.score(question, Answer(text))


# --- text helpers -------------------------------------------------------------------------------------------


def test_normalise_turns_full_width_into_ascii_and_lowers() -> None:
    assert normalise("ＡＢＣ１２３％，Ｈｅｌｌｏ！") == "abc123%,hello!"


def test_split_sentences_in_both_languages_with_offsets() -> None:
    text = "我先倾听。然后道歉！结果好吗？好；\nI listened. It cost 3.5 dollars! Done?"
    sentences = split_sentences(text)
    assert [s for s, _, _ in sentences] == [
        "我先倾听。", "然后道歉！", "结果好吗？", "好；", "I listened.", "It cost 3.5 dollars!", "Done?",
    ]
    assert all(text[start:end] == sentence for sentence, start, end in sentences)
    assert split_sentences("") == []
    assert split_sentences(" 。。\n!? ") == []


def test_tokens_are_stemmed_words_and_chinese_bigrams() -> None:
    tokens = BigramTokenizer().tokens(normalise("I listened and was listening to the customers. 耐心倾听"))
    assert tokens == ["listen", "listen", "customer", "耐心", "心倾", "倾听"]
    assert BigramTokenizer().tokens("我的") == []  # function characters only
    assert BigramTokenizer().tokens("听") == ["听"]  # a lone character is a unigram
    assert [stem(w) for w in ("apologised", "apologise", "apologising", "replies", "process")] == [
        "apologis", "apologis", "apologis", "reply", "process",
    ]


def test_detect_language_by_share_of_chinese_characters() -> None:
    assert detect_language(normalise(ZH_STRONG)) == "zh-hans"
    assert detect_language(normalise(EN_STRONG)) == "en"
    assert detect_language("我用 Python 和 Django 开发") == "zh-hans"
    assert detect_language("") == "en"


# --- strong and weak answers --------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "strong", "weak", "sentences"), CASES)
def test_strong_answer_scores_high_and_well_above_the_weak_one(question, strong, weak, sentences) -> None:
    good, bad = score(question, strong), score(question, weak)
    assert good.score > 70
    assert good.score - bad.score >= 25
    assert good.flags == ()
    assert good.matched_key_points == tuple(kp.point for kp in question.key_points)
    assert good.missing_key_points == ()
    assert good.subscores["key_points"] == 100.0
    assert good.subscores["structure"] == 100.0
    assert good.subscores["relevance"] == 100.0
    assert good.subscores["length"] == 100.0
    assert bad.matched_key_points == ()
    assert bad.missing_key_points == tuple(kp.point for kp in question.key_points)
    assert bad.subscores["key_points"] == 0.0
    assert set(good.subscores) == {
        "key_points", "reference_similarity", "structure", "specificity", "relevance", "length",
    }
    assert all(0 <= value <= 100 for value in good.subscores.values())


@pytest.mark.parametrize(("question", "strong", "weak", "sentences"), CASES)
def test_evidence_holds_the_sentences_with_the_key_points(question, strong, weak, sentences) -> None:
    result = score(question, strong)
    by_sentence = {item.sentence: item.reasons for item in result.evidence}
    for point, sentence in zip(question.key_points, sentences[2:6], strict=True):
        assert f"key point: {point.point}" in by_sentence[sentence]
    assert "result with a number" in by_sentence[sentences[-1]]
    assert "STAR result" in by_sentence[sentences[-1]]
    for item in result.evidence:
        assert strong[item.start : item.end] == item.sentence


def test_the_reference_similarity_and_key_points_apply_only_when_given() -> None:
    bare = dataclasses.replace(ZH_QUESTION, key_points=(), reference_answers=())
    result = score(bare, ZH_STRONG)
    assert set(result.subscores) == {"structure", "specificity", "relevance", "length"}
    assert result.missing_key_points == result.matched_key_points == ()


# --- flags --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "text", "flag"),
    [
        pytest.param(ZH_QUESTION, "这件事都是他们的错，不是我的问题，客户投诉跟我没关系。", "blaming", id="zh-blaming"),
        pytest.param(EN_QUESTION, "It was their fault, not my problem. The complaint was about the warehouse.",
                     "blaming", id="en-blaming"),
        pytest.param(ZH_QUESTION, ZH_QUESTION.text, "copied_question", id="zh-copied"),
        pytest.param(EN_QUESTION, EN_QUESTION.text, "copied_question", id="en-copied"),
        pytest.param(ZH_QUESTION, "今天天气很好，我喜欢周末去公园散步，晚上看电影。", "off_topic", id="zh-off-topic"),
        pytest.param(EN_QUESTION, "I like football and playing the guitar on weekends with friends.", "off_topic",
                     id="en-off-topic"),
        pytest.param(ZH_QUESTION, "", "empty", id="empty"),
        pytest.param(EN_QUESTION, "   \n。。  ", "empty", id="blank"),
        pytest.param(EN_QUESTION, "ok", "empty", id="one-word"),
        pytest.param(EN_QUESTION, "I listened and apologised.", "near_empty", id="near-empty"),
    ],
)
def test_red_flags_are_reported_and_lower_the_score(question, text, flag) -> None:
    result = score(question, text)
    assert flag in result.flags
    assert result.score < 20
    assert result.score < score(question, ZH_STRONG if question is ZH_QUESTION else EN_STRONG).score - 50


def test_blaming_costs_its_penalty_on_an_otherwise_strong_answer() -> None:
    plain = score(ZH_QUESTION, ZH_STRONG)
    blaming = score(ZH_QUESTION, ZH_STRONG + "其实这都是他们的错。")
    assert blaming.flags == ("blaming",)
    assert blaming.score <= plain.score - 10
    no_penalty = TextAnswerScorer(penalties={"blaming": 0.0})
    assert score(ZH_QUESTION, ZH_STRONG + "其实这都是他们的错。", no_penalty).flags == ("blaming",)


def test_empty_answer_scores_zero() -> None:
    result = score(EN_QUESTION, "")
    assert result.score == 0.0
    assert result.flags == ("empty",)
    assert result.evidence == ()


# --- result contract ----------------------------------------------------------------------------------------


def test_result_records_engine_version_and_parameters_and_round_trips_through_json() -> None:
    result = score(EN_QUESTION, EN_STRONG)
    assert (result.engine, result.engine_version) == (ENGINE, ENGINE_VERSION)
    assert result.parameters["weights"] == dataclasses.asdict(AnswerWeights())
    assert result.parameters["calibration"] == {"slope": 1.0, "intercept": 0.0}
    assert result.parameters["tokenizer"] == "jieba-v1"
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["score"] == result.score
    assert data["evidence"][0]["sentence"] == EN_STRONG_SENTENCES[0]
    # The ignores below are the test: writing to a result must fail at run time, as the types already say.
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.subscores["structure"] = 0.0  # type: ignore[index]


def test_score_is_one_decimal_and_the_weighted_mean_of_subscores_without_flags() -> None:
    result = score(EN_QUESTION, EN_STRONG)
    weights = dataclasses.asdict(AnswerWeights())
    mean = sum(weights[k] * v for k, v in result.subscores.items()) / sum(weights[k] for k in result.subscores)
    assert result.score == pytest.approx(mean, abs=0.1)
    assert result.score == round(result.score, 1)


def test_weights_and_question_are_validated() -> None:
    with pytest.raises(ValueError, match="weight structure"):
        AnswerWeights(structure=-1)
    with pytest.raises(ValueError, match="at least one"):
        AnswerWeights(0, 0, 0, 0, 0, 0)
    with pytest.raises(ValueError, match="language"):
        Question(text="q", language="fr", competency="c")
    # Lists from a JSON caller are accepted and stored as tuples (the annotation says tuple, hence the ignore).
    assert Question(text="q", language="en", competency="c", key_points=[KeyPoint("a", ["b"])]).key_points == (  # type: ignore[arg-type]
        KeyPoint("a", ("b",)),
    )


def test_weights_change_the_score() -> None:
    only_length = TextAnswerScorer(weights=AnswerWeights(0, 0, 0, 0, 0, 1))
    assert score(EN_QUESTION, EN_STRONG, only_length).score == 100.0
    assert score(EN_QUESTION, EN_WEAK, only_length).score == score(EN_QUESTION, EN_WEAK).subscores["length"]


def test_deterministic() -> None:
    first = [score(q, t).to_dict() for q in (ZH_QUESTION, EN_QUESTION) for t in (ZH_STRONG, EN_STRONG, ZH_WEAK)]
    again = [TextAnswerScorer().score(q, Answer(t)).to_dict()
             for q in (ZH_QUESTION, EN_QUESTION) for t in (ZH_STRONG, EN_STRONG, ZH_WEAK)]
    assert first == again


class _UnhashableTokenizer:
    name = "words"
    __hash__ = None  # type: ignore[assignment]  # deliberately unhashable: the scorer must not rely on caching

    def tokens(self, text: str) -> list[str]:
        return text.split()


def test_a_custom_tokenizer_plugs_in() -> None:
    result = score(EN_QUESTION, EN_STRONG, TextAnswerScorer(tokenizer=_UnhashableTokenizer()))
    assert result.parameters["tokenizer"] == "words"
    # whitespace tokens are not stemmed: "listened" is not "listen", but the phrases still match
    assert result.matched_key_points == ("solution", "follow up")


# --- properties ---------------------------------------------------------------------------------------------

TEXT = st.text(max_size=400) | st.lists(
    st.sampled_from([
        *ZH_STRONG_SENTENCES, *EN_STRONG_SENTENCES, ZH_WEAK, EN_WEAK, "。", "\n", "3.5", "ｆｕｌｌ", "都是他们的错",
    ]),
    max_size=12,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, english=st.booleans())
def test_never_raises_and_stays_in_range(text: str, english: bool) -> None:
    result = score(EN_QUESTION if english else ZH_QUESTION, text)
    assert 0.0 <= result.score <= 100.0
    assert all(0.0 <= value <= 100.0 for value in result.subscores.values())
    assert set(result.matched_key_points) | set(result.missing_key_points) == {
        kp.point for kp in (EN_QUESTION if english else ZH_QUESTION).key_points
    }
    assert all(text[item.start : item.end] == item.sentence for item in result.evidence)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, index=st.integers(0, 3), english=st.booleans())
def test_adding_a_sentence_with_a_missing_key_point_never_lowers_coverage(text: str, index: int, english: bool):
    question = EN_QUESTION if english else ZH_QUESTION
    point = question.key_points[index].point
    extra = f"I made sure to {point}." if english else f"我做到了{point}。"
    before, after = score(question, text), score(question, text + "\n" + extra)
    assert after.subscores["key_points"] >= before.subscores["key_points"]
    assert set(before.matched_key_points) <= set(after.matched_key_points)
    assert point in after.matched_key_points


# --- calibration --------------------------------------------------------------------------------------------

FIT_TEXTS = [ZH_STRONG, ZH_WEAK, EN_STRONG, EN_WEAK, ZH_STRONG_SENTENCES[2] + ZH_STRONG_SENTENCES[3]]


def test_fit_learns_the_linear_map_from_raw_scores_to_ratings() -> None:
    raw = [score(ZH_QUESTION, t).score for t in FIT_TEXTS]
    assert len(set(raw)) >= 3
    ratings = [(ZH_QUESTION, Answer(t), 0.5 * r + 20) for t, r in zip(FIT_TEXTS, raw, strict=True)]
    scorer = TextAnswerScorer()
    assert scorer.fit(ratings) is scorer
    assert scorer.slope == pytest.approx(0.5, abs=0.01)
    assert scorer.intercept == pytest.approx(20, abs=0.5)
    for text, r in zip(FIT_TEXTS, raw, strict=True):
        assert score(ZH_QUESTION, text, scorer).score == pytest.approx(0.5 * r + 20, abs=0.2)
    assert score(ZH_QUESTION, ZH_STRONG, scorer).parameters["calibration"] == {
        "slope": scorer.slope, "intercept": scorer.intercept,
    }
    assert score(ZH_QUESTION, "", scorer).score == pytest.approx(20, abs=0.5)  # raw 0 maps to the intercept


def test_fit_clamps_and_handles_a_single_raw_score() -> None:
    scorer = TextAnswerScorer().fit([(EN_QUESTION, Answer(""), 30.0), (EN_QUESTION, Answer(""), 50.0)])
    assert (scorer.slope, scorer.intercept) == (1.0, 40.0)
    steep = TextAnswerScorer().fit([(EN_QUESTION, Answer(""), -50.0), (EN_QUESTION, Answer(EN_STRONG), 300.0)])
    assert score(EN_QUESTION, "", steep).score == 0.0
    assert score(EN_QUESTION, EN_STRONG, steep).score == 100.0


def test_fit_rejects_bad_ratings() -> None:
    with pytest.raises(ValueError, match="at least one"):
        TextAnswerScorer().fit([])
    with pytest.raises(ValueError, match="finite"):
        TextAnswerScorer().fit([(EN_QUESTION, Answer("x"), float("nan"))])


def test_english_key_points_match_whole_words_only() -> None:
    question = dataclasses.replace(EN_QUESTION, key_points=(KeyPoint("fix"),))
    assert score(question, "We used a prefix for every order id.").missing_key_points == ("fix",)
    assert score(question, "We had to fix the order.").matched_key_points == ("fix",)


def test_long_input_is_scored_quickly() -> None:
    import time

    text = (ZH_STRONG + EN_STRONG) * 60 + "x" * 20_000
    start = time.perf_counter()
    result = score(ZH_QUESTION, text)
    assert time.perf_counter() - start < 5
    assert result.subscores["length"] < 100


@pytest.mark.parametrize("text", ["\ud800", "\x00\x00", "。" * 1000, "1." * 500, "%" * 50, "ＩＩ", "\u200b\ufeff"])
def test_odd_text_never_raises(text: str) -> None:
    result = score(ZH_QUESTION, text)
    assert 0.0 <= result.score <= 100.0
    assert hash(result) == hash(score(ZH_QUESTION, text))
