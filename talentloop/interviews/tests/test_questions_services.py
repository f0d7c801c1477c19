"""The question bank services: custom codes, audit, past interviews untouched by edits, retire and restore."""

from __future__ import annotations

from typing import Any

import pytest

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewQuestion, SessionQuestion
from talentloop.interviews.services.questions import (
    question_clean,
    question_create,
    question_restore,
    question_retire,
    question_update,
)
from talentloop.interviews.tests._reports_support import make_application, make_interview, make_job
from talentloop.org.models import Competency

pytestmark = pytest.mark.django_db

DATA = {
    "text": "请讲一次你安抚{customer_type}的经历。", "language": "zh-hans", "competency": "customer_orientation",
    "type": "behavioral", "key_points": [
        {"point": "先道歉", "synonyms": ["致歉", " 抱歉 ", "", "致歉"]},
        {"point": "找到原因", "synonyms": []},
        {"point": "事后回访", "synonyms": ["回访"]},
    ],
}


def test_a_custom_question_gets_the_next_free_code_and_defaults(org: dict[str, Any]) -> None:
    InterviewQuestion.objects.create(
        code="custom-7", competency=Competency.objects.get(code="communication"), language="en", type="behavioral",
        text="Old", key_points=[], source="custom",
    )
    question = question_create(actor=org["users"]["recruiter"], data=DATA)
    assert question.code == "custom-8"
    assert (question.difficulty, question.time_limit_seconds, question.source, question.created_by) == (
        2, 180, "custom", org["users"]["recruiter"]
    )
    assert question.key_points[0] == {"point": "先道歉", "synonyms": ["致歉", "抱歉"]}
    assert question.placeholders == ["customer_type"]
    assert AuditEntry.objects.filter(object_type="interviews.interviewquestion", object_id=str(question.pk),
                                     action="create").count() == 1


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        question_clean({**DATA, "language": "de", "difficulty": 0, "levels": "good"})
    assert caught.value.errors == {
        "language": ["Choose the language: zh-hans (Chinese) or en (English)."],
        "difficulty": ["The difficulty is 1 (junior), 2 (mid-level) or 3 (senior)."],
        "levels": ["Describe the levels as an object with the keys 1, 2 and 3."],
    }


def test_editing_a_question_leaves_past_interviews_as_they_were(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])))
    asked = interview.questions[0]
    bank = InterviewQuestion.objects.get(pk=asked.question_id)
    old_text, old_points = asked.text, asked.key_points
    question_update(actor=org["users"]["hr"], question=bank, changes={
        "text": "新的问题文本", "key_points": [{"point": p, "synonyms": []} for p in ("甲", "乙", "丙")],
    })
    bank.refresh_from_db()
    assert bank.text == "新的问题文本"
    asked.refresh_from_db()
    assert (asked.text, asked.key_points) == (old_text, old_points)
    entries = {e.field: (e.old_value, e.new_value)
               for e in AuditEntry.objects.filter(object_type="interviews.interviewquestion", action="update")}
    assert entries["text"] == (old_text, "新的问题文本")
    assert set(entries) == {"text", "key_points"}


def test_an_update_without_changes_writes_no_audit(org: dict[str, Any]) -> None:
    bank = InterviewQuestion.objects.get(code="communication-en-1")
    question_update(actor=org["users"]["hr"], question=bank, changes={"difficulty": 1, "competency": "communication"})
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_retire_and_restore(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    bank = InterviewQuestion.objects.get(code="communication-en-1")
    retired = question_retire(actor=hr, question=bank)
    assert (retired.is_active, retired.retired_at is not None) == (False, True)
    assert question_retire(actor=hr, question=bank).retired_at == retired.retired_at
    restored = question_restore(actor=hr, question=bank)
    assert (restored.is_active, restored.retired_at) == (True, None)
    assert SessionQuestion.objects.count() == 0


def test_a_question_of_a_retired_competency_is_not_restored(org: dict[str, Any]) -> None:
    bank = question_retire(actor=org["users"]["hr"], question=InterviewQuestion.objects.get(code="teamwork-en-1"))
    Competency.objects.filter(code="teamwork").update(is_active=False)
    with pytest.raises(Conflict, match="no longer in use"):
        question_restore(actor=org["users"]["hr"], question=bank)


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_change_the_bank(org: dict[str, Any], role: str) -> None:
    bank = InterviewQuestion.objects.get(code="communication-en-1")
    with pytest.raises(PermissionDenied):
        question_create(actor=org["users"][role], data=DATA)
    with pytest.raises(PermissionDenied):
        question_update(actor=org["users"][role], question=bank, changes={"difficulty": 3})
    with pytest.raises(PermissionDenied):
        question_retire(actor=org["users"][role], question=bank)
