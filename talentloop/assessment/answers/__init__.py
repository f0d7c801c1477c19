"""Scoring of typed interview answers (issue #4 part 4): key points, structure, specificity and more.

`TextAnswerScorer.score(question, answer)` gives an `AnswerScore`; see scorer.py for the formula and
text.py for sentence splitting, normalisation, tokenisation and language detection.
"""

from __future__ import annotations

from .model import Answer, AnswerScore, Evidence, KeyPoint, Question
from .scorer import ENGINE, ENGINE_VERSION, SUBSCORES, AnswerWeights, TextAnswerScorer
from .text import BigramTokenizer, Tokenizer

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "SUBSCORES",
    "Answer",
    "AnswerScore",
    "AnswerWeights",
    "BigramTokenizer",
    "Evidence",
    "KeyPoint",
    "Question",
    "TextAnswerScorer",
    "Tokenizer",
]
