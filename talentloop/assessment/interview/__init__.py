"""The interview engine: question generation for a job and fusion of answer scores into a report.

- generator.py: `WeightedGenerator` picks questions from the bank for a job's competency model
  (every competency covered, the rest by weight, difficulty by level, deterministic for a seed);
  `get_generator(name)` is the registry that makes generators pluggable.
- context.py: `job_context()` finds product, customer type and team size in a job description, and
  `fill_placeholders()` puts them into situational questions.
- fusion.py: `fuse()` turns answer scores into competency scores, an overall score, a fit level,
  strengths and weaknesses with evidence.

Formulas: docs/scoring.md. No Django here (tests/test_no_django.py).
"""

from __future__ import annotations

from .context import DEFAULTS, JobContext, default_context, fill_placeholders, job_context
from .fusion import (
    BELOW,
    FUSION_ENGINE,
    FUSION_VERSION,
    CompetencyResult,
    Finding,
    FitBand,
    InterviewResult,
    ScoredAnswer,
    best_evidence,
    fit_level,
    fuse,
)
from .generator import (
    GENERATOR_NAME,
    GENERATOR_VERSION,
    BankQuestion,
    CompetencyWeight,
    GeneratedQuestion,
    GenerationError,
    GenerationRequest,
    QuestionGenerator,
    WeightedGenerator,
    available_generators,
    get_generator,
    register_generator,
)

__all__ = [
    "BELOW",
    "DEFAULTS",
    "FUSION_ENGINE",
    "FUSION_VERSION",
    "GENERATOR_NAME",
    "GENERATOR_VERSION",
    "BankQuestion",
    "CompetencyResult",
    "CompetencyWeight",
    "Finding",
    "FitBand",
    "GeneratedQuestion",
    "GenerationError",
    "GenerationRequest",
    "InterviewResult",
    "JobContext",
    "QuestionGenerator",
    "ScoredAnswer",
    "WeightedGenerator",
    "available_generators",
    "best_evidence",
    "default_context",
    "fill_placeholders",
    "fit_level",
    "fuse",
    "get_generator",
    "job_context",
    "register_generator",
]
