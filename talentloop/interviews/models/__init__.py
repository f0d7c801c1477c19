"""AI interviews: the question bank, sessions a candidate takes through a secret link, answers with their
scores, the report built from them, human-review requests and scoring calibrations."""

from .bank import InterviewQuestion, QuestionLanguage, QuestionSource, QuestionType
from .reports import HumanReviewRequest, InterviewReport, ScoringCalibration
from .sessions import InterviewAnswer, InterviewSession, SessionQuestion

__all__ = [
    "HumanReviewRequest",
    "InterviewAnswer",
    "InterviewQuestion",
    "InterviewReport",
    "InterviewSession",
    "QuestionLanguage",
    "QuestionSource",
    "QuestionType",
    "ScoringCalibration",
    "SessionQuestion",
]
