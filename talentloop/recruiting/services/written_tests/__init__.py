"""Written tests (笔试): HR builds a test and assigns it to an application; the candidate takes it through a
secret link; choice questions are graded on submission, short answers by a reviewer.

Time rules. The link's expiry (`expires_at`) limits when a test can be *started*. Once started, the
candidate has the test's time limit: deadline = started_at + time limit, whatever the link's expiry.
Drafts are saved until the deadline. A submission is accepted until GRACE after it (the browser submits at
zero; a slow network must not cost the answers); a later one is refused and the draft saved before the
deadline is submitted as it is. A sitting whose time ran out without a submission is closed the same way the
next time anyone opens it (the candidate's link or a reviewer).

Scoring. single: full points when the one chosen option is the correct one; multiple: full points only when
the chosen set equals the correct set (no partial credit); short: points given by a reviewer (a blank answer
gets 0 without review). score = points earned / total points × 100, rounded to 2 decimals; it is stored on
the sitting and on the application once every answer has points.

The package, by responsibility:
- rules: limits, data shapes, errors, the time rules and status labels (pure functions of a sitting);
- building: creating, editing and deleting tests and their questions, with their validation;
- sittings: assigning a test (the secret link and its email) and the candidate's side (open, start, draft,
  submit);
- grading: checking answers, scoring, and the reviewer's points for short answers.
The reads (test and sitting lists narrowed to the user) are in recruiting.written_test_selectors; they are
re-exported here so `services.written_tests.written_test_list` and the like keep working."""

from ...written_test_selectors import sitting_get, sitting_list, written_test_get, written_test_list
from .building import written_test_create, written_test_delete, written_test_update
from .grading import sitting_review
from .rules import (
    BEFORE_TEST,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
    GRACE,
    HUNDREDTH,
    MAX_INSTRUCTIONS,
    MAX_OPTION,
    MAX_POINTS,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    MAX_TEXT_ANSWER,
    MAX_TITLE,
    ONE_DECIMAL,
    OPTIONS_MAX,
    OPTIONS_MIN,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    Answer,
    CleanQuestion,
    Kind,
    QuestionData,
    QuestionsInvalid,
    SittingExpired,
    SittingSubmitted,
    SittingTimeUp,
    Status,
    SubmitResult,
    pending_short_answers,
    questions_summary,
    sitting_closed_message,
    sitting_deadline,
    sitting_overdue,
    sitting_remaining_seconds,
    sitting_state,
    sitting_status_label,
    sitting_timed_out,
)
from .sittings import (
    candidate_path,
    sitting_link_email_send,
    sitting_open,
    sitting_save_draft,
    sitting_start,
    sitting_submit,
    written_test_assign,
)

__all__ = [
    "BEFORE_TEST",
    "EXPIRY_DAYS_MAX",
    "EXPIRY_DAYS_MIN",
    "GRACE",
    "HUNDREDTH",
    "MAX_INSTRUCTIONS",
    "MAX_OPTION",
    "MAX_POINTS",
    "MAX_QUESTIONS",
    "MAX_QUESTION_TEXT",
    "MAX_TEXT_ANSWER",
    "MAX_TITLE",
    "ONE_DECIMAL",
    "OPTIONS_MAX",
    "OPTIONS_MIN",
    "TIME_LIMIT_MAX",
    "TIME_LIMIT_MIN",
    "Answer",
    "CleanQuestion",
    "Kind",
    "QuestionData",
    "QuestionsInvalid",
    "SittingExpired",
    "SittingSubmitted",
    "SittingTimeUp",
    "Status",
    "SubmitResult",
    "candidate_path",
    "pending_short_answers",
    "questions_summary",
    "sitting_closed_message",
    "sitting_deadline",
    "sitting_get",
    "sitting_link_email_send",
    "sitting_list",
    "sitting_open",
    "sitting_overdue",
    "sitting_remaining_seconds",
    "sitting_review",
    "sitting_save_draft",
    "sitting_start",
    "sitting_state",
    "sitting_status_label",
    "sitting_submit",
    "sitting_timed_out",
    "written_test_assign",
    "written_test_create",
    "written_test_delete",
    "written_test_get",
    "written_test_list",
    "written_test_update",
]
