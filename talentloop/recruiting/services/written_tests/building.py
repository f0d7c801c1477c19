"""Building written tests: HR creates, edits and deletes a test and its questions. Every problem with the
fields and the questions is reported at once; once a candidate has started a test, its questions and time
limit no longer change."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Job

from ...access import jobs_in_reach, require_recruiter
from ...models import WrittenTest, WrittenTestQuestion
from .rules import (
    MAX_INSTRUCTIONS,
    MAX_OPTION,
    MAX_POINTS,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    MAX_TITLE,
    ONE_DECIMAL,
    OPTIONS_MAX,
    OPTIONS_MIN,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    CleanQuestion,
    Kind,
    QuestionsInvalid,
    _points,
)

_TEST_FIELDS = ("title", "job", "instructions", "time_limit_minutes")


def _clean_question(data: Mapping[str, Any]) -> tuple[CleanQuestion | None, list[str]]:
    problems: list[str] = []
    kind = str(data.get("kind") or "")
    text = str(data.get("text") or "").strip()
    raw_options = data.get("options") or []
    raw_correct = data.get("correct") or []
    if kind not in Kind.values:
        problems.append(_("Choose the kind of question: one answer, multiple answers or short answer."))
    if not text:
        problems.append(_("The question has no text."))
    elif len(text) > MAX_QUESTION_TEXT:
        problems.append(_("The question is longer than %(n)d characters.") % {"n": MAX_QUESTION_TEXT})
    points = _points(data.get("points", 1))
    if points is None or not Decimal("0") < points <= MAX_POINTS:
        problems.append(_("Points must be a number above 0 and at most %(max)s.") % {"max": MAX_POINTS})
    elif points != points.quantize(ONE_DECIMAL):
        problems.append(_("Points may have at most one decimal place."))
    if not isinstance(raw_options, list | tuple) or not isinstance(raw_correct, list | tuple):
        problems.append(_("Options and correct answers must be lists."))
        return None, problems
    options = [str(option).strip() for option in raw_options]
    correct: list[int] = []
    bad_index = False
    for index in raw_correct:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(options):
            problems.append(_("A correct answer points to an option that does not exist."))
            bad_index = True
            break
        correct.append(index)
    if kind == Kind.SHORT:
        if options or raw_correct:
            problems.append(_("A short-answer question has no options or correct answers; a reviewer scores it."))
    elif kind in (Kind.SINGLE, Kind.MULTIPLE):
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
            problems.append(
                _("A choice question has %(min)d to %(max)d options; this one has %(n)d.")
                % {"min": OPTIONS_MIN, "max": OPTIONS_MAX, "n": len(options)}
            )
        if any(not option for option in options):
            problems.append(_("An option is empty."))
        if any(len(option) > MAX_OPTION for option in options):
            problems.append(_("An option is longer than %(n)d characters.") % {"n": MAX_OPTION})
        if len({option for option in options if option}) != len([option for option in options if option]):
            problems.append(_("Two options are the same."))
        if len(set(correct)) != len(correct):
            problems.append(_("A correct option is listed twice."))
        if kind == Kind.SINGLE and len(set(correct)) != 1 and not bad_index:
            problems.append(_("A one-answer question has exactly one correct option."))
        if kind == Kind.MULTIPLE and not correct and not bad_index:
            problems.append(_("A multiple-answer question has at least one correct option."))
    raw_id = data.get("id")
    question_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
    if problems or points is None:
        return None, problems
    return CleanQuestion(question_id, kind, text, options, sorted(set(correct)), points), []


def _clean_questions(questions: Sequence[Mapping[str, Any]], test: WrittenTest | None) -> list[CleanQuestion]:
    by_question: dict[int, list[str]] = {}
    clean: list[CleanQuestion] = []
    overall: list[str] = []
    if not questions:
        overall.append(_("A test needs at least one question."))
    elif len(questions) > MAX_QUESTIONS:
        overall.append(_("A test has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    existing = set(test.questions.values_list("pk", flat=True)) if test is not None else set()
    seen: set[int] = set()
    for position, data in enumerate(questions):
        question, problems = _clean_question(data)
        raw_id = data.get("id")
        if raw_id is not None and (raw_id not in existing or raw_id in seen):
            problems.append(_("This question does not belong to this test (or appears twice)."))
        if isinstance(raw_id, int):
            seen.add(raw_id)
        if problems:
            by_question[position] = problems
        elif question is not None:
            clean.append(question)
    if overall or by_question:
        messages = [
            *overall,
            *(
                _("Question %(n)d: %(problem)s") % {"n": position + 1, "problem": problem}
                for position, problems in sorted(by_question.items())
                for problem in problems
            ),
        ]
        raise QuestionsInvalid({"questions": messages}, by_question, overall)
    return clean


def _clean_fields(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("A test needs a title.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("Keep the title under %(n)d characters.") % {"n": MAX_TITLE}]
    limit = data.get("time_limit_minutes")
    if isinstance(limit, bool) or not isinstance(limit, int) or not TIME_LIMIT_MIN <= limit <= TIME_LIMIT_MAX:
        errors["time_limit_minutes"] = [
            _("The time limit is %(min)d to %(max)d minutes.") % {"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX}
        ]
    instructions = str(data.get("instructions") or "").strip()
    if len(instructions) > MAX_INSTRUCTIONS:
        errors["instructions"] = [_("Keep the instructions under %(n)d characters.") % {"n": MAX_INSTRUCTIONS}]
    job = data.get("job")
    if job is not None and (not isinstance(job, Job) or not jobs_in_reach(actor).filter(pk=job.pk).exists()):
        errors["job"] = [_("Choose a job you recruit for, or none.")]
    if errors:
        raise ValidationFailed(errors=errors)
    return {"title": title, "job": job, "instructions": instructions, "time_limit_minutes": limit}


def _snapshot(test: WrittenTest) -> list[dict[str, Any]]:
    return [
        {
            "id": q.pk, "kind": q.kind, "text": q.text, "options": list(q.options), "correct": list(q.correct),
            "points": str(Decimal(q.points).quantize(ONE_DECIMAL)),
        }
        for q in test.questions.order_by("position", "pk")
    ]


def _clean_snapshot(questions: Sequence[CleanQuestion]) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id, "kind": q.kind, "text": q.text, "options": q.options, "correct": q.correct,
            "points": str(q.points.quantize(ONE_DECIMAL)),
        }
        for q in questions
    ]


def _save_questions(test: WrittenTest, questions: Sequence[CleanQuestion]) -> None:
    keep = [q.id for q in questions if q.id is not None]
    test.questions.exclude(pk__in=keep).delete()
    current = {q.pk: q for q in test.questions.all()}
    changed: list[WrittenTestQuestion] = []
    created: list[WrittenTestQuestion] = []
    for position, q in enumerate(questions):
        values = {
            "kind": q.kind, "text": q.text, "options": q.options, "correct": q.correct, "points": q.points,
            "position": position,
        }
        if q.id is None:
            created.append(WrittenTestQuestion(test=test, **values))
            continue
        row = current[q.id]
        for field, value in values.items():
            setattr(row, field, value)
        changed.append(row)
    if changed:
        WrittenTestQuestion.objects.bulk_update(changed, ["kind", "text", "options", "correct", "points", "position"])
    if created:
        WrittenTestQuestion.objects.bulk_create(created)


def _questions_json(snapshot: list[dict[str, Any]]) -> str:
    return json.dumps(snapshot, ensure_ascii=False)


@transaction.atomic
def written_test_create(
    *, actor: User, data: Mapping[str, Any], questions: Sequence[Mapping[str, Any]]
) -> WrittenTest:
    """`data`: title, job (a Job or None), instructions, time_limit_minutes. Every problem is reported at once."""
    require_recruiter(actor)
    field_error: ValidationFailed | None = None
    try:
        fields = _clean_fields(actor, data)
    except ValidationFailed as exc:
        field_error, fields = exc, {}
    try:
        clean = _clean_questions([{k: v for k, v in q.items() if k != "id"} for q in questions], None)
    except QuestionsInvalid as exc:
        if field_error is not None:
            raise QuestionsInvalid({**field_error.errors, **exc.errors}, exc.by_question, exc.overall) from exc
        raise
    if field_error is not None:
        raise field_error
    test = WrittenTest.objects.create(created_by=actor, **fields)
    _save_questions(test, clean)
    audit_record(actor=actor, obj=test, action=AuditEntry.Action.CREATE, changes={
        "questions": ("", _questions_json(_snapshot(test))),
    })
    return test


@transaction.atomic
def written_test_update(
    *, actor: User, test: WrittenTest, changes: Mapping[str, Any],
    questions: Sequence[Mapping[str, Any]] | None = None,
) -> WrittenTest:
    """Change fields; `questions`, when given, replaces the list (questions with an `id` are kept and edited).
    Once a candidate has started the test, its questions and time limit no longer change."""
    require_recruiter(actor)
    test = WrittenTest.objects.select_for_update().get(pk=test.pk)
    current = {field: getattr(test, field) for field in _TEST_FIELDS}
    merged = current | {k: v for k, v in changes.items() if k in _TEST_FIELDS}
    field_error: ValidationFailed | None = None
    try:
        fields = _clean_fields(actor, merged)
    except ValidationFailed as exc:
        field_error, fields = exc, {}
    clean: list[CleanQuestion] | None = None
    if questions is not None:
        try:
            clean = _clean_questions(questions, test)
        except QuestionsInvalid as exc:
            if field_error is not None:
                raise QuestionsInvalid({**field_error.errors, **exc.errors}, exc.by_question, exc.overall) from exc
            raise
    if field_error is not None:
        raise field_error
    before = _snapshot(test)
    questions_change = clean is not None and _clean_snapshot(clean) != before
    limit_change = fields["time_limit_minutes"] != test.time_limit_minutes
    if (questions_change or limit_change) and test.assignments.filter(started_at__isnull=False).exists():
        raise Conflict(
            _("Candidates have already started this test, so its questions and time limit can no longer "
              "change. Create a new test instead.")
        )
    diff: dict[str, tuple[Any, Any]] = {}
    for field, value in fields.items():
        old = getattr(test, field)
        if (old.pk if isinstance(old, Job) else old) != (value.pk if isinstance(value, Job) else value):
            diff[field] = (old, value)
            setattr(test, field, value)
    if diff:
        test.save()
    if clean is not None and questions_change:
        _save_questions(test, clean)
        diff["questions"] = (_questions_json(before), _questions_json(_snapshot(test)))
    if diff:
        audit_record(actor=actor, obj=test, action=AuditEntry.Action.UPDATE, changes=diff)
    return test


@transaction.atomic
def written_test_delete(*, actor: User, test: WrittenTest) -> None:
    require_recruiter(actor)
    if test.assignments.exists():
        raise Conflict(_("This test has been assigned to candidates; it is kept with their results."))
    audit_record(actor=actor, obj=test, action=AuditEntry.Action.DELETE)
    test.delete()
