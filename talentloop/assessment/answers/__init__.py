"""Scoring of typed interview answers (issue #4 part 4): key points, structure, specificity and more.

`TextAnswerScorer.score(question, answer)` gives an `AnswerScore`; see scorer.py for the formula, text.py
for sentence splitting, normalisation, tokenisation (jieba by default) and language detection, clauses.py
for negation and concession, cues.py for the cue phrases, calibration.py for `fit_calibration` and
batch.py for the `score-answers` record format. Call `warm_up()` in a long-lived worker to load jieba's
dictionary (about 1 s) before the first Chinese answer arrives.
"""

from __future__ import annotations

from .model import Answer, AnswerScore, Evidence, KeyPoint, Question
from .scorer import ENGINE, ENGINE_VERSION, SUBSCORES, AnswerWeights, TextAnswerScorer
from .text import BigramTokenizer, JiebaTokenizer, Tokenizer, warm_up

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "SUBSCORES",
    "Answer",
    "AnswerScore",
    "AnswerWeights",
    "BigramTokenizer",
    "Evidence",
    "JiebaTokenizer",
    "KeyPoint",
    "Question",
    "TextAnswerScorer",
    "Tokenizer",
    "warm_up",
]
