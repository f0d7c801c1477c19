"""AI interviews: the question bank, sessions a candidate takes through a secret link, answers with their
scores, the report built from them, human-review requests and scoring calibrations."""

from .bank import InterviewQuestion, QuestionLanguage, QuestionReview, QuestionSource, QuestionType
from .media import MediaUpload
from .providers import InterviewProvider, ProviderEvent
from .reports import HumanReviewRequest, InterviewReport, ScoringCalibration
from .sessions import InterviewAnswer, InterviewSession, SessionQuestion

__all__ = [
    "HumanReviewRequest",
    "InterviewAnswer",
    "InterviewProvider",
    "InterviewQuestion",
    "InterviewReport",
    "InterviewSession",
    "MediaUpload",
    "ProviderEvent",
    "QuestionLanguage",
    "QuestionReview",
    "QuestionSource",
    "QuestionType",
    "ScoringCalibration",
    "SessionQuestion",
]
