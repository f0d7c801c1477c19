"""What every part of the written-test services shares: the limits, the shapes of questions and results, the
errors, and the time rules (deadline, grace, what a link leads to and how its status reads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talentloop.core.errors import Conflict, ValidationFailed

from ...models import Stage, WrittenTestQuestion, WrittenTestSitting
from ..pipeline import PIPELINE

Kind = WrittenTestQuestion.Kind
Status = WrittenTestSitting.Status

GRACE = timedelta(seconds=60)
TIME_LIMIT_MIN, TIME_LIMIT_MAX = 1, 300
OPTIONS_MIN, OPTIONS_MAX = 2, 10
EXPIRY_DAYS_MIN, EXPIRY_DAYS_MAX = 1, 90
MAX_QUESTIONS = 200
MAX_TITLE = 200
MAX_QUESTION_TEXT = 5000
MAX_OPTION = 500
MAX_INSTRUCTIONS = 10_000
MAX_TEXT_ANSWER = 10_000
MAX_POINTS = Decimal("1000")
ONE_DECIMAL = Decimal("0.1")
HUNDREDTH = Decimal("0.01")
# Stages before the written test: assigning a test moves an application from these to WRITTEN_TEST.
BEFORE_TEST: frozenset[str] = frozenset(PIPELINE[: PIPELINE.index(Stage.WRITTEN_TEST)])

Answer = list[int] | str


class QuestionData(TypedDict, total=False):
    """A question as the API and the builder page send it; `id` when it already exists."""

    id: int | None
    kind: str
    text: str
    options: list[str]
    correct: list[int]
    points: Decimal | int | float | str


@dataclass(frozen=True)
class CleanQuestion:
    id: int | None
    kind: str
    text: str
    options: list[str]
    correct: list[int]
    points: Decimal


@dataclass(frozen=True)
class SubmitResult:
    sitting: WrittenTestSitting
    # False when the answers came after the deadline and its grace: the draft saved before was submitted.
    answers_accepted: bool


class QuestionsInvalid(ValidationFailed):
    """Problems with some questions. `by_question` maps a question's position in the list given (0-based) to
    its messages, so a form can show each next to its row; `errors["questions"]` holds the same messages
    prefixed with "Question N" for the API."""

    def __init__(
        self, errors: Mapping[str, list[str]], by_question: Mapping[int, list[str]], overall: Sequence[str] = ()
    ) -> None:
        super().__init__(errors=errors)
        self.by_question = dict(by_question)
        self.overall = list(overall)  # problems of the list as a whole (none, too many)


class SittingExpired(ValidationFailed):
    """The link expired before the candidate started the test."""


class SittingSubmitted(Conflict):
    """The test was already submitted through this link."""


class SittingTimeUp(Conflict):
    """The time limit has passed: no more drafts."""


def _points(value: Any) -> Decimal | None:
    """A number of points as given (a number or text), or None when it is not a finite number."""
    if isinstance(value, bool):
        return None
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return points if points.is_finite() else None


# --- Time rules -------------------------------------------------------------------------------------------


def sitting_deadline(sitting: WrittenTestSitting) -> datetime | None:
    if sitting.started_at is None:
        return None
    return sitting.started_at + timedelta(minutes=sitting.test.time_limit_minutes)


def sitting_remaining_seconds(sitting: WrittenTestSitting, now: datetime | None = None) -> int:
    deadline = sitting_deadline(sitting)
    if deadline is None:
        return sitting.test.time_limit_minutes * 60
    return max(0, int((deadline - (now or timezone.now())).total_seconds()))


def sitting_timed_out(sitting: WrittenTestSitting) -> bool:
    """Submitted after the deadline and its grace: the answers are the draft saved before the deadline."""
    deadline = sitting_deadline(sitting)
    return bool(deadline and sitting.submitted_at and sitting.submitted_at > deadline + GRACE)


def sitting_overdue(sitting: WrittenTestSitting, now: datetime) -> bool:
    """Started, not submitted, and past the deadline and its grace: to be closed with the saved draft."""
    deadline = sitting_deadline(sitting)
    return sitting.submitted_at is None and deadline is not None and now > deadline + GRACE


def sitting_state(sitting: WrittenTestSitting, now: datetime | None = None) -> str:
    """What the candidate's link leads to: "submitted", "expired", "ready" (to start) or "in_progress"."""
    now = now or timezone.now()
    if sitting.submitted_at is not None:
        return "submitted"
    if sitting.started_at is None:
        return "expired" if sitting.expires_at <= now else "ready"
    return "in_progress"


def _expired_message(sitting: WrittenTestSitting) -> str:
    return _(
        "This test link expired on %(date)s. If you still want to take the test, please contact the recruiter."
    ) % {"date": formats.date_format(timezone.localtime(sitting.expires_at), "Y-m-d H:i")}


def _submitted_message(sitting: WrittenTestSitting) -> str:
    deadline = sitting_deadline(sitting)
    if deadline is not None and sitting_timed_out(sitting):
        return _(
            "The time for this test ran out at %(date)s; the answers you had saved by then were submitted. "
            "Thank you; the recruiting team will contact you."
        ) % {"date": formats.date_format(timezone.localtime(deadline), "Y-m-d H:i")}
    when = timezone.localtime(sitting.submitted_at or timezone.now())
    return _(
        "You already submitted this test on %(date)s. Thank you; the recruiting team will contact you."
    ) % {"date": formats.date_format(when, "Y-m-d H:i")}


def sitting_closed_message(sitting: WrittenTestSitting) -> str:
    """Why a link no longer leads to the test, in words a candidate understands."""
    return _submitted_message(sitting) if sitting.submitted_at is not None else _expired_message(sitting)


# --- Labels -----------------------------------------------------------------------------------------------


def sitting_status_label(sitting: WrittenTestSitting, now: datetime | None = None) -> str:
    """The status as staff read it, including what the stored status cannot say (expired, time ran out)."""
    now = now or timezone.now()
    if sitting.submitted_at is None and sitting.started_at is None and sitting.expires_at <= now:
        return _("Link expired, not taken")
    if sitting_overdue(sitting, now):
        return _("Time ran out (not yet closed)")
    label = str(sitting.get_status_display())
    if sitting.submitted_at is not None and sitting_timed_out(sitting):
        return _("%(status)s; time ran out, the saved draft was submitted") % {"status": label}
    return label


def pending_short_answers(sitting: WrittenTestSitting, questions: Sequence[WrittenTestQuestion]) -> int:
    return sum(1 for q in questions if q.kind == Kind.SHORT and str(q.pk) not in sitting.manual_points)


def questions_summary(count: int) -> str:
    return ngettext("%(n)d question", "%(n)d questions", count) % {"n": count}
