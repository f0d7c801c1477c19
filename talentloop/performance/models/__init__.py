"""Performance models, one module per area: OKR and cycles, KPI, 360° feedback, competency reviews."""

from .feedback import FeedbackAnswer, FeedbackInvitation, FeedbackRequest
from .kpi import Kpi, KpiTarget
from .okr import VALUE_MAX_DIGITS, VALUE_PLACES, CheckIn, KeyResult, KRRule, Objective, PerformanceCycle, PhaseDeadline
from .reviews import Review, ReviewScore

__all__ = [
    "VALUE_MAX_DIGITS", "VALUE_PLACES", "CheckIn", "FeedbackAnswer", "FeedbackInvitation", "FeedbackRequest",
    "KRRule", "KeyResult", "Kpi", "KpiTarget", "Objective", "PerformanceCycle", "PhaseDeadline", "Review",
    "ReviewScore",
]
