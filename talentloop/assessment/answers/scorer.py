"""Score a typed interview answer 0-100 against its question, with the evidence and the flags.

Sub-scores
----------
Each between 0 and 1 (reported x100, one decimal, in `subscores`):

    K = key points matched / key points                                         (key_points)
        A key point matches a sentence when the point or a synonym occurs in it (after normalisation; ASCII
        phrases as whole words, so "fix" is not found in "prefix"), or by words:
        - a phrase of two or more content tokens, or a single English word: at least `key_point_overlap`
          (0.6) of its words and of its content tokens are in the sentence; its words are its tokens plus the
          English function words the tokenizer drops ("report to my manager" = report, manag + to, my);
        - a phrase of one content token and other words: as written — English with any word endings and at
          most two other words between two of its words ("followed up", "walked him through"), Chinese exactly
          ("不是我的工作" keeps only the token 工作, which alone would match far too much).
        Only the affirmative part of the sentence counts: negation scopes ("我没有道歉", "I did not apologise",
        see clauses.py) are blanked out first, except for phrases that are negative themselves ("不推诿", "no
        blame").
    F = min(1, best cosine(answer tokens, reference tokens) / 0.5)             (reference_similarity)
    S = 0.8 * (STAR parts found / 4) + 0.2 * min(1, connectives found / 2)     (structure)
        STAR parts: situation (当时, 背景, when I...), task (我负责, my role...), action (我首先, 然后,
        I first, then...), result (结果, 最终, 提升了, as a result, increased...); connectives 因为, 所以,
        然后, 如果, because, therefore, then, if... A situational question ("what would you do?") may be
        answered with a plan instead: there the better of STAR and the plan parts counts — first step (首先,
        我会先, first, start by), next steps (然后, 接着, then, next), reason (为了, 确保, so that, to make
        sure) and follow-up or fallback (最后, 跟进, 如果, finally, follow up, if).
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
    off_topic        relevance below 0.05 (no question term at all) and cosine    30
                     similarity to every reference answer below 0.1
    blaming          blames others: 都是他们的错, 不是我的问题, it was their fault... 15
                     (not when conceded: "虽然不是我的错，但我…", "although it wasn't my fault, I ...")
    language_mismatch the answer's detected language is not the question's, >= 10 units  0 (flag only)

Tokens come from `JiebaTokenizer` by default (jieba words for Chinese, stemmed English words; text.py);
`BigramTokenizer` or any `Tokenizer` plugs in instead. ENGINE_VERSION 2.1 (plan structure for situational
questions, key points by words with the one-word rule, broader cues and connectives, English concrete actions
in any form, "-ied" stemmed to "-y") replaced 2.0 (jieba, negation, concession, language_mismatch, broader
cues), which replaced 1.0 (bigrams).

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

from .clauses import affirmative, conceded, has_negator
from .cues import ACTIONS, BLAMING, CONNECTIVES, EXAMPLE, NUMBER, PERCENT, PLAN, STAR, TIME_SPAN, action_key, cues
from .model import Answer, AnswerScore, Evidence, Question
from .text import (
    JiebaTokenizer,
    Tokenizer,
    detect_language,
    function_words,
    length_units,
    normalise,
    split_sentences,
    stem,
)

__all__ = ["ENGINE", "ENGINE_VERSION", "FLAGS", "SUBSCORES", "AnswerWeights", "TextAnswerScorer"]

ENGINE = "talentloop-text-answer"
ENGINE_VERSION = "2.1"
SUBSCORES: tuple[str, ...] = (
    "key_points", "reference_similarity", "structure", "specificity", "relevance", "length",
)
FLAGS: tuple[str, ...] = ("empty", "near_empty", "copied_question", "off_topic", "blaming", "language_mismatch")
DEFAULT_PENALTIES: Mapping[str, float] = {
    "empty": 100.0, "near_empty": 20.0, "copied_question": 40.0, "off_topic": 30.0, "blaming": 15.0,
    "language_mismatch": 0.0,
}
MISMATCH_MIN_UNITS = 10
LENGTH_BANDS: Mapping[str, tuple[int, int]] = {"zh-hans": (80, 400), "en": (60, 300)}
_REFERENCE_SATURATION = 0.5
_OFF_TOPIC_BELOW = 0.05
_OFF_TOPIC_SIMILARITY = 0.1  # an answer close to a reference answer is on topic whatever words it uses
_COPY_SIMILARITY = 0.75
_STRIP = re.compile(r"[\W_]+")
_ONE_WORD = re.compile(r"[a-z][a-z0-9'-]*")


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
class _Phrases:
    """The point and synonyms of a key point: one pattern for them (None when all are blank), and for the
    token-overlap rule, each phrase's words (tokens plus English function words) and content tokens."""

    pattern: re.Pattern[str] | None
    token_sets: tuple[tuple[frozenset[str], frozenset[str]], ...]
    inflected: re.Pattern[str] | None = None  # English phrases of one content word, any word endings


@dataclass(frozen=True)
class _KeyPoint:
    name: str
    plain: _Phrases  # matched in the affirmative part of a sentence
    negative: _Phrases  # phrases with a negator of their own ("不推诿"): matched in the whole sentence


@dataclass(frozen=True)
class _PreparedQuestion:
    """What the scorer derives from a question once: normalised text and token sets."""

    normalised: str
    compact: str  # normalised without spaces and punctuation, for the copied-question check
    key_points: tuple[_KeyPoint, ...]
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
        phrases = [p for p in (normalise(x).strip() for x in (key_point.point, *key_point.synonyms)) if p]
        groups = []
        for negative in (False, True):
            group = tuple(p for p in phrases if has_negator(p) == negative)
            token_sets, inflected = [], []
            for phrase in group:
                content = frozenset(tokenizer.tokens(phrase))
                terms |= content
                # Token overlap only where the tokens stand for the phrase: two or more of them, or one English
                # word ("prevent" also finds "prevented"). A phrase of one content token and other words is
                # matched as written: in English up to word endings ("fixed it" for "fix it"; bag-of-words
                # would find "fix" and any "it"), in Chinese exactly ("不是我的工作" keeps only 工作).
                if len(content) >= 2 or (content and _ONE_WORD.fullmatch(phrase)):
                    token_sets.append((content | frozenset(function_words(phrase)), content))
                elif content and phrase.isascii():
                    inflected.append(_endings(phrase))
            pattern = re.compile(rf"(?<!\w)(?:{'|'.join(inflected)})(?!\w)") if inflected else None
            groups.append(_Phrases(cues(*group) if group else None, tuple(token_sets), pattern))
        key_points.append(_KeyPoint(key_point.point, groups[0], groups[1]))
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
    tokenizer: Tokenizer = field(default_factory=JiebaTokenizer)
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
        # The answer's tokens are its sentences' tokens: sentence ends never fall inside a word.
        token_lists = [self.tokenizer.tokens(norm) for *_, norm in sentences]
        sentence_tokens = [set(tokens) for tokens in token_lists]
        answer_tokens = Counter(token for tokens in token_lists for token in tokens)
        positive = [affirmative(norm) for *_, norm in sentences]
        # Key points look at words: the tokens plus English function words ("followed up", "no blame").
        sentence_words = [tokens | set(function_words(norm)) for tokens, (*_, norm) in zip(
            sentence_tokens, sentences, strict=True)]
        positive_words = [
            words if plain == norm else set(self.tokenizer.tokens(plain)) | set(function_words(plain))
            for words, plain, (*_, norm) in zip(sentence_words, positive, sentences, strict=True)
        ]
        reasons: list[list[str]] = [[] for _ in sentences]

        subscores: dict[str, float] = {}
        matched: list[str] = []
        missing: list[str] = []
        for key_point in prepared.key_points:
            hit = False
            for i, (*_, norm) in enumerate(sentences):
                if (self._matches(key_point.plain, positive[i], positive_words[i])
                        or self._matches(key_point.negative, norm, sentence_words[i])):
                    reasons[i].append(f"key point: {key_point.name}")
                    hit = True
            (matched if hit else missing).append(key_point.name)
        if prepared.key_points:
            subscores["key_points"] = len(matched) / len(prepared.key_points)

        similarity = 0.0
        if prepared.references:
            answer_norm = math.hypot(*answer_tokens.values())
            similarity = max(_cosine(answer_tokens, answer_norm, counts, norm) for counts, norm in prepared.references)
            subscores["reference_similarity"] = min(1.0, similarity / _REFERENCE_SATURATION)

        subscores["structure"] = self._structure(normalised, sentences, reasons, question.type)
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
        if (units >= 3 and prepared.terms and subscores["relevance"] < _OFF_TOPIC_BELOW
                and similarity < _OFF_TOPIC_SIMILARITY):
            flags.append("off_topic")
        if any(not conceded(norm, m.start(), m.end()) for *_, norm in sentences for m in BLAMING.finditer(norm)):
            flags.append("blaming")
        if units >= MISMATCH_MIN_UNITS and language != question.language:
            flags.append("language_mismatch")

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

    def _matches(self, phrases: _Phrases, sentence: str, words: set[str]) -> bool:
        """The phrase as written (English: up to word endings when it has one content word), or
        >= key_point_overlap of its words and of its content tokens."""
        if phrases.pattern is not None and phrases.pattern.search(sentence):
            return True
        if phrases.inflected is not None and phrases.inflected.search(sentence):
            return True
        share = self.key_point_overlap
        return any(
            len(phrase_words & words) >= share * len(phrase_words) and len(content & words) >= share * len(content)
            for phrase_words, content in phrases.token_sets
        )

    @staticmethod
    def _structure(
        normalised: str, sentences: list[tuple[str, int, int, str]], reasons: list[list[str]], kind: str
    ) -> float:
        # A situational question may be answered with a plan or with a past example: the better one counts.
        schemes = [("STAR", STAR), ("plan", PLAN)] if kind == "situational" else [("STAR", STAR)]
        best_parts, best_scheme = -1, schemes[0]
        for scheme in schemes:
            parts = sum(1 for pattern in scheme[1].values() if pattern.search(normalised))
            if parts > best_parts:
                best_parts, best_scheme = parts, scheme
        label, patterns = best_scheme
        for part, pattern in patterns.items():
            for i, (*_, norm) in enumerate(sentences):
                if pattern.search(norm):
                    reasons[i].append(f"{label} {part}")
        connectives = len(set(CONNECTIVES.findall(normalised)))
        return 0.8 * best_parts / 4 + 0.2 * min(1.0, connectives / 2)

    @staticmethod
    def _specificity(normalised: str, sentences: list[tuple[str, int, int, str]], reasons: list[list[str]]) -> float:
        features = [bool(pattern.search(normalised)) for pattern in (NUMBER, PERCENT, TIME_SPAN, EXAMPLE)]
        actions = len({action_key(found) for found in ACTIONS.findall(normalised)})
        for i, (*_, norm) in enumerate(sentences):
            number = bool(NUMBER.search(norm) or PERCENT.search(norm))
            if number and STAR["result"].search(norm):
                reasons[i].append("result with a number")
            elif number:
                reasons[i].append("number")
            if TIME_SPAN.search(norm):
                reasons[i].append("time span")
            if EXAMPLE.search(norm):
                reasons[i].append("concrete example")
        return (sum(features) + min(1.0, actions / 2)) / 5


_derive_cached = lru_cache(maxsize=256)(_derive)


def _endings(phrase: str) -> str:
    """A regex for an English phrase with any endings on its longer words and up to two other words between
    two of its words: "walk through" finds "walked him through", "what works" "what genuinely works"."""
    parts = [
        re.escape(stem(word)) + "[a-z]*" if word.isalpha() and len(word) >= 3 else re.escape(word)
        for word in phrase.split()
    ]
    return r"\W+(?:\w+\W+){0,2}?".join(parts)


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
