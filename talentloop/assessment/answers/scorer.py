"""Score a typed interview answer 0-100 against its question, with the evidence and the flags.

Sub-scores
----------
Each between 0 and 1 (reported x100, one decimal, in `subscores`):

    K = key points matched / key points                                         (key_points)
        A key point matches a sentence when the point or a synonym occurs in it (after normalisation; ASCII
        phrases as whole words, so "fix" is not found in "prefix"), or when the share of the phrase's tokens
        found in the sentence is >= `key_point_overlap` (0.6).
    F = min(1, best cosine(answer tokens, reference tokens) / 0.5)             (reference_similarity)
    S = 0.8 * (STAR parts found / 4) + 0.2 * min(1, connectives found / 2)     (structure)
        STAR parts: situation (当时, 背景, when I...), task (我负责, my role...), action (我首先, 然后,
        I first, then...), result (结果, 最终, 提升了, as a result, increased...); connectives 因为, 所以,
        因此, 首先, 其次, because, therefore, first, second...
    P = (number + percentage + time span + example + min(1, concrete actions / 2)) / 5   (specificity)
        each of the first four is 1 when the answer has one ("3 天", "20%", "两周内", "例如", "for example").
    R = min(1, question terms found / target), target = clamp(ceil(0.3 * |Q|), 1, 6)      (relevance)
        Q is the set of tokens of the question text and of the key points and their synonyms.
    L = length adequacy, n = length in units (a Chinese character or a word), ideal band [lo, hi]:
        n / lo below the band, 1 inside it, max(0, 1 - (n - hi) / (2 * hi)) above it;
        Chinese answers 80-400 units, English 60-300 (the answer's detected language decides).

Overall
-------
    raw = 100 * (wK*K + wF*F + wS*S + wP*P + wR*R + wL*L) / (sum of the weights that apply) - penalties
    score = clamp(slope * clamp(raw, 0, 100) + intercept, 0, 100), rounded to one decimal

Default weights: wK = 0.35, wF = 0.10, wS = 0.15, wP = 0.15, wR = 0.15, wL = 0.10. K applies only when the
question has key points and F only when it has reference answers with content; a component that does not
apply is left out of both sums and of `subscores`. slope = 1, intercept = 0 until `fit()` learns them by
least squares from human ratings.

Flags and penalties (points taken off raw, `penalties` configures them):
    empty            fewer than 3 units (Chinese characters or words)          100
    near_empty       fewer than lo / 4 units                                    20
    copied_question  the answer mostly repeats the question (similarity >= 0.75) 40
    off_topic        relevance below 0.05 (no question term at all)             30
    blaming          blames others: 都是他们的错, 不是我的问题, it was their fault... 15

Evidence lists the sentences that earned credit (a key point, a STAR part, a number, an example...) with
the reasons. The scorer never labels emotions or personality. Pure and deterministic; `score` does not
raise on any text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, cast

from .model import Answer, AnswerScore, Evidence, Question
from .text import BigramTokenizer, Tokenizer, detect_language, length_units, normalise, split_sentences

__all__ = ["ENGINE", "ENGINE_VERSION", "FLAGS", "SUBSCORES", "AnswerWeights", "TextAnswerScorer"]

ENGINE = "talentloop-text-answer"
ENGINE_VERSION = "1.0"
SUBSCORES: tuple[str, ...] = (
    "key_points", "reference_similarity", "structure", "specificity", "relevance", "length",
)
FLAGS: tuple[str, ...] = ("empty", "near_empty", "copied_question", "off_topic", "blaming")
DEFAULT_PENALTIES: Mapping[str, float] = {
    "empty": 100.0, "near_empty": 20.0, "copied_question": 40.0, "off_topic": 30.0, "blaming": 15.0,
}
LENGTH_BANDS: Mapping[str, tuple[int, int]] = {"zh-hans": (80, 400), "en": (60, 300)}
_REFERENCE_SATURATION = 0.5
_OFF_TOPIC_BELOW = 0.05
_COPY_SIMILARITY = 0.75
_STRIP = re.compile(r"[\W_]+")


def _cues(*phrases: str) -> re.Pattern[str]:
    """One pattern for Chinese phrases (anywhere) and ASCII ones (whole words: "fix" is not in "prefix")."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(rf"(?<!\w){escaped}(?!\w)" if phrase.isascii() else escaped)
    return re.compile("|".join(parts))


_STAR = {
    "situation": _cues(
        "当时", "背景", "那时", "有一次", "曾经", "上个月", "去年", "在我之前", "情况是",
        "when i", "at the time", "situation", "background", "last year", "once", "there was",
    ),
    "task": _cues(
        "我负责", "我的任务", "任务是", "目标是", "我需要", "我的职责", "需要我",
        "my role", "my task", "i was responsible", "responsible for", "the goal", "i needed to", "my job was",
    ),
    "action": _cues(
        "我首先", "首先", "然后", "接着", "随后", "我立即", "我主动", "我决定", "我马上", "我先",
        "i first", "first i", "then", "next", "i decided", "i contacted", "i called", "i took", "i immediately",
        "i listened", "i offered", "i arranged",
    ),
    "result": _cues(
        "最后", "结果", "最终", "提升了", "提高了", "降低了", "减少了", "增加了", "成功", "满意",
        "as a result", "in the end", "finally", "increased", "reduced", "improved", "resolved", "result",
        "outcome", "satisfied",
    ),
}
_CONNECTIVES = _cues(
    "因为", "所以", "因此", "首先", "其次", "另外", "同时", "但是", "不过", "此外",
    "because", "therefore", "first", "second", "however", "so that", "as a result", "in addition", "moreover",
)
_EXAMPLE = _cues("例如", "比如", "举个例子", "举例来说", "for example", "for instance", "e.g", "such as")
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万]+(?:个|天|周|次|位|名|年|倍|家|条|项|人|小时|分钟|星期|月)")
_PERCENT = re.compile(r"\d\s*%|百分之|\bpercent\b|\d\s*成")
_TIME_SPAN = re.compile(
    r"(?:\d+|[一二两三四五六七八九十半几]+)\s*(?:个)?(?:天|周|星期|月|小时|分钟|年|日内|工作日)"
    r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|ten|few|several)\s+(?:days?|weeks?|months?|hours?|"
    r"minutes?|years?)\b|\bwithin\b|\bby (?:monday|tuesday|wednesday|thursday|friday|the next day)\b"
)
_ACTIONS = _cues(
    "联系", "沟通", "安排", "制定", "分析", "调查", "协调", "核实", "整理", "记录", "回访", "补偿", "退款", "更换",
    "培训", "组织", "设计", "优化", "上线", "测试", "总结",
    "contacted", "called", "arranged", "analysed", "analyzed", "investigated", "coordinated", "checked",
    "documented", "recorded", "refunded", "replaced", "trained", "organised", "organized", "designed",
    "optimised", "optimized", "launched", "tested", "emailed", "escalated", "offered",
)
_BLAMING = _cues(
    "都是他们的错", "是他们的错", "不是我的问题", "不是我的错", "不关我的事", "责任不在我", "都怪", "怪他们", "怪客户",
    "怪同事", "他们太笨", "it was their fault", "their fault", "not my fault", "not my problem", "blame them",
    "blamed them", "blame the customer", "blamed the customer", "nothing to do with me", "his fault", "her fault",
)


@dataclass(frozen=True)
class AnswerWeights:
    key_points: float = 0.35
    reference_similarity: float = 0.10
    structure: float = 0.15
    specificity: float = 0.15
    relevance: float = 0.15
    length: float = 0.10

    def __post_init__(self) -> None:
        for name in SUBSCORES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name} must be a finite number >= 0, got {value!r}")
        if not any(getattr(self, name) for name in SUBSCORES):
            raise ValueError("at least one weight must be above 0")


@dataclass(frozen=True)
class _PreparedQuestion:
    """What the scorer derives from a question once: normalised text and token sets."""

    normalised: str
    compact: str  # normalised without spaces and punctuation, for the copied-question check
    # name, a pattern for the point and its synonyms (None when all are blank), their token sets
    key_points: tuple[tuple[str, re.Pattern[str] | None, tuple[frozenset[str], ...]], ...]
    references: tuple[tuple[Counter[str], float], ...]  # token counts and norms
    terms: frozenset[str]


def _prepare(question: Question, tokenizer: Tokenizer) -> _PreparedQuestion:
    """Cached per (question, tokenizer) when both can be hashed."""
    try:
        hash((question, tokenizer))
    except TypeError:
        return _derive(question, tokenizer)
    return _derive_cached(question, cast(Hashable, tokenizer))


def _derive(question: Question, tokenizer: Tokenizer) -> _PreparedQuestion:
    normalised = normalise(question.text)
    key_points = []
    terms = set(tokenizer.tokens(normalised))
    for key_point in question.key_points:
        phrases = tuple(p for p in (normalise(x).strip() for x in (key_point.point, *key_point.synonyms)) if p)
        token_sets = tuple(frozenset(tokenizer.tokens(p)) for p in phrases)
        key_points.append((key_point.point, _cues(*phrases) if phrases else None, token_sets))
        for tokens in token_sets:
            terms |= tokens
    references = []
    for reference in question.reference_answers:
        counts = Counter(tokenizer.tokens(normalise(reference)))
        if counts:
            references.append((counts, math.hypot(*counts.values())))
    return _PreparedQuestion(normalised, _STRIP.sub("", normalised), tuple(key_points), tuple(references),
                             frozenset(terms))


@dataclass
class TextAnswerScorer:
    """Scores typed answers; see the module docstring for the formula. `fit()` learns a linear calibration."""

    weights: AnswerWeights = field(default_factory=AnswerWeights)
    penalties: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PENALTIES))
    key_point_overlap: float = 0.6
    tokenizer: Tokenizer = field(default_factory=BigramTokenizer)
    slope: float = 1.0
    intercept: float = 0.0

    def fit(self, ratings: Sequence[tuple[Question, Answer, float]]) -> TextAnswerScorer:
        """Least squares of human 0-100 ratings on the raw score: rating ~ slope * raw + intercept.

        With fewer than two distinct raw scores the slope stays 1 and the intercept is the mean difference.
        """
        if not ratings:
            raise ValueError("fit needs at least one rated answer")
        human = []
        for _question, _answer, rating in ratings:
            if isinstance(rating, bool) or not isinstance(rating, int | float) or not math.isfinite(rating):
                raise ValueError(f"ratings must be finite numbers, got {rating!r}")
            human.append(float(rating))
        raw = [self._raw(question, answer)[0] for question, answer, _rating in ratings]
        n = len(raw)
        mean_x, mean_y = sum(raw) / n, sum(human) / n
        sxx = sum((x - mean_x) ** 2 for x in raw)
        if sxx < 1e-9:
            slope, intercept = 1.0, mean_y - mean_x
        else:
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(raw, human, strict=True)) / sxx
            intercept = mean_y - slope * mean_x
        self.slope, self.intercept = slope, intercept
        return self

    @property
    def parameters(self) -> dict[str, Any]:
        return {
            "weights": asdict(self.weights),
            "penalties": dict(self.penalties),
            "key_point_overlap": self.key_point_overlap,
            "length_bands": {language: list(band) for language, band in LENGTH_BANDS.items()},
            "tokenizer": self.tokenizer.name,
            "calibration": {"slope": self.slope, "intercept": self.intercept},
        }

    def score(self, question: Question, answer: Answer) -> AnswerScore:
        raw, subscores, evidence, matched, missing, flags = self._raw(question, answer)
        calibrated = min(100.0, max(0.0, self.slope * raw + self.intercept))
        return AnswerScore(
            score=round(calibrated, 1),
            subscores={name: round(100 * value, 1) for name, value in subscores.items()},
            evidence=evidence,
            missing_key_points=missing,
            matched_key_points=matched,
            flags=flags,
            engine=ENGINE,
            engine_version=ENGINE_VERSION,
            parameters=self.parameters,
        )

    def _raw(
        self, question: Question, answer: Answer
    ) -> tuple[float, dict[str, float], tuple[Evidence, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        prepared = _prepare(question, self.tokenizer)
        text = answer.text if isinstance(answer.text, str) else ""
        normalised = normalise(text)
        language = detect_language(normalised)
        sentences = [(raw, start, end, normalise(raw)) for raw, start, end in split_sentences(text)]
        sentence_tokens = [set(self.tokenizer.tokens(norm)) for *_, norm in sentences]
        answer_tokens = Counter(self.tokenizer.tokens(normalised))
        reasons: list[list[str]] = [[] for _ in sentences]

        subscores: dict[str, float] = {}
        matched: list[str] = []
        missing: list[str] = []
        for name, pattern, token_sets in prepared.key_points:
            hit = False
            for i, (*_, norm) in enumerate(sentences):
                if self._matches(pattern, token_sets, norm, sentence_tokens[i]):
                    reasons[i].append(f"key point: {name}")
                    hit = True
            (matched if hit else missing).append(name)
        if prepared.key_points:
            subscores["key_points"] = len(matched) / len(prepared.key_points)

        if prepared.references:
            answer_norm = math.hypot(*answer_tokens.values())
            subscores["reference_similarity"] = min(1.0, max(
                (_cosine(answer_tokens, answer_norm, counts, norm) for counts, norm in prepared.references),
            ) / _REFERENCE_SATURATION)

        subscores["structure"] = self._structure(normalised, sentences, reasons)
        subscores["specificity"] = self._specificity(normalised, sentences, reasons)

        target = min(6, max(1, math.ceil(0.3 * len(prepared.terms))))
        hits = len(prepared.terms.intersection(answer_tokens))
        subscores["relevance"] = min(1.0, hits / target) if prepared.terms else 1.0

        units = length_units(normalised)
        low, high = LENGTH_BANDS[language]
        if units < low:
            subscores["length"] = units / low
        elif units <= high:
            subscores["length"] = 1.0
        else:
            subscores["length"] = max(0.0, 1.0 - (units - high) / (2 * high))

        flags = []
        if units < 3:
            flags.append("empty")
        elif units < low / 4:
            flags.append("near_empty")
        if units >= 3 and _copies(prepared.compact, _STRIP.sub("", normalised)):
            flags.append("copied_question")
        if units >= 3 and prepared.terms and subscores["relevance"] < _OFF_TOPIC_BELOW:
            flags.append("off_topic")
        if _BLAMING.search(normalised):
            flags.append("blaming")

        weights = {name: getattr(self.weights, name) for name in subscores}
        total = sum(weights.values())
        mean = sum(weights[name] * value for name, value in subscores.items()) / total if total else 0.0
        raw = 100 * mean - sum(self.penalties.get(flag, 0.0) for flag in flags)
        raw = min(100.0, max(0.0, raw))
        evidence = tuple(
            Evidence(sentence, start, end, tuple(why))
            for (sentence, start, end, _), why in zip(sentences, reasons, strict=True)
            if why
        )
        return raw, subscores, evidence, tuple(matched), tuple(missing), tuple(flags)

    def _matches(self, pattern: re.Pattern[str] | None, token_sets: tuple[frozenset[str], ...], sentence: str,
                 tokens: set[str]) -> bool:
        if pattern is not None and pattern.search(sentence):
            return True
        return any(
            phrase_tokens and len(phrase_tokens & tokens) / len(phrase_tokens) >= self.key_point_overlap
            for phrase_tokens in token_sets
        )

    @staticmethod
    def _structure(normalised: str, sentences: list[tuple[str, int, int, str]], reasons: list[list[str]]) -> float:
        parts = 0
        for part, pattern in _STAR.items():
            if pattern.search(normalised):
                parts += 1
            for i, (*_, norm) in enumerate(sentences):
                if pattern.search(norm):
                    reasons[i].append(f"STAR {part}")
        connectives = len(set(_CONNECTIVES.findall(normalised)))
        return 0.8 * parts / 4 + 0.2 * min(1.0, connectives / 2)

    @staticmethod
    def _specificity(normalised: str, sentences: list[tuple[str, int, int, str]], reasons: list[list[str]]) -> float:
        features = [bool(pattern.search(normalised)) for pattern in (_NUMBER, _PERCENT, _TIME_SPAN, _EXAMPLE)]
        actions = len(set(_ACTIONS.findall(normalised)))
        for i, (*_, norm) in enumerate(sentences):
            number = bool(_NUMBER.search(norm) or _PERCENT.search(norm))
            if number and _STAR["result"].search(norm):
                reasons[i].append("result with a number")
            elif number:
                reasons[i].append("number")
            if _TIME_SPAN.search(norm):
                reasons[i].append("time span")
            if _EXAMPLE.search(norm):
                reasons[i].append("concrete example")
        return (sum(features) + min(1.0, actions / 2)) / 5


_derive_cached = lru_cache(maxsize=256)(_derive)


def _cosine(a: Mapping[str, int], a_norm: float, b: Mapping[str, int], b_norm: float) -> float:
    if not a_norm or not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, sum(count * b.get(term, 0) for term, count in a.items()) / (a_norm * b_norm))


def _copies(question: str, answer: str) -> bool:
    """The answer is mostly the question: it is no more than twice as long and its similarity is high."""
    if not question or not answer or len(answer) > 2 * len(question):
        return False
    matcher = SequenceMatcher(None, question, answer, autojunk=False)
    return matcher.quick_ratio() >= _COPY_SIMILARITY and matcher.ratio() >= _COPY_SIMILARITY
