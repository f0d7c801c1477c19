"""Grading written tests. single: full points when the one chosen option is the correct one; multiple: full
points only when the chosen set equals the correct set (no partial credit); short: points given by a reviewer
(a blank answer gets 0 without review). score = points earned / total points × 100, rounded to 2 decimals;
it is stored on the sitting and on the application once every answer has points."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ...access import require_application_access, require_recruiter
from ...models import Application, WrittenTestQuestion, WrittenTestSitting
from .rules import HUNDREDTH, MAX_TEXT_ANSWER, ONE_DECIMAL, Answer, Kind, Status, _points, sitting_overdue


def _questions(sitting: WrittenTestSitting) -> list[WrittenTestQuestion]:
    return list(sitting.test.questions.order_by("position", "pk"))


def _clean_answers(questions: Sequence[WrittenTestQuestion], answers: Mapping[Any, Any]) -> dict[str, Answer]:
    """Answers keyed by question id (as a string); unknown questions are ignored, impossible choices refused."""
    given = {str(key): value for key, value in answers.items()}
    clean: dict[str, Answer] = {}
    for number, question in enumerate(questions, start=1):
        raw = given.get(str(question.pk))
        if raw is None or raw == "" or raw == []:
            continue
        if question.kind == Kind.SHORT:
            if not isinstance(raw, str):
                raise ValidationFailed(_("The answer to question %(n)d must be text.") % {"n": number})
            if len(raw) > MAX_TEXT_ANSWER:
                raise ValidationFailed(
                    _("The answer to question %(n)d is longer than %(max)d characters.")
                    % {"n": number, "max": MAX_TEXT_ANSWER}
                )
            if raw.strip():
                clean[str(question.pk)] = raw
            continue
        chosen = raw if isinstance(raw, list | tuple) else [raw]
        indices: set[int] = set()
        for value in chosen:
            try:
                index = int(value)
            except (TypeError, ValueError):
                index = -1
            if isinstance(value, bool) or not 0 <= index < len(question.options):
                raise ValidationFailed(_("An answer to question %(n)d is not one of its options.") % {"n": number})
            indices.add(index)
        if question.kind == Kind.SINGLE and len(indices) > 1:
            raise ValidationFailed(_("Question %(n)d takes one answer.") % {"n": number})
        clean[str(question.pk)] = sorted(indices)
    return clean


def _score(sitting: WrittenTestSitting, questions: Sequence[WrittenTestQuestion]) -> float | None:
    total = sum((Decimal(q.points) for q in questions), Decimal("0"))
    shorts = [str(q.pk) for q in questions if q.kind == Kind.SHORT]
    if total <= 0 or any(key not in sitting.manual_points for key in shorts):
        return None
    manual = sum((Decimal(str(sitting.manual_points[key])) for key in shorts), Decimal("0"))
    earned = Decimal(sitting.auto_points or 0) + manual
    return float((earned * 100 / total).quantize(HUNDREDTH))


def _grade(sitting: WrittenTestSitting, questions: Sequence[WrittenTestQuestion]) -> None:
    """Points for choice questions; blank short answers get 0; graded once nothing awaits a reviewer."""
    auto = Decimal("0")
    manual = dict(sitting.manual_points or {})
    for question in questions:
        key = str(question.pk)
        answer = sitting.answers.get(key)
        if question.kind == Kind.SHORT:
            if not (isinstance(answer, str) and answer.strip()):
                manual[key] = "0"
            continue
        chosen = set(answer) if isinstance(answer, list) else set()
        if chosen and chosen == set(question.correct):
            auto += Decimal(question.points)
    sitting.auto_points = auto
    sitting.manual_points = manual
    _apply_score(sitting, questions)


def _apply_score(sitting: WrittenTestSitting, questions: Sequence[WrittenTestQuestion]) -> None:
    score = _score(sitting, questions)
    sitting.score = score
    sitting.status = Status.GRADED if score is not None else Status.SUBMITTED
    if score is not None:
        Application.objects.filter(pk=sitting.application_id).update(
            written_test_score=score, updated_at=timezone.now()
        )


def _finalise(sitting: WrittenTestSitting, answers: dict[str, Answer], now: datetime) -> None:
    questions = _questions(sitting)
    sitting.answers = answers
    sitting.submitted_at = now
    _grade(sitting, questions)
    sitting.save(update_fields=[
        "answers", "submitted_at", "auto_points", "manual_points", "score", "status", "updated_at",
    ])


# --- Review -----------------------------------------------------------------------------------------------


@transaction.atomic
def sitting_review(*, actor: User, sitting: WrittenTestSitting, points: Mapping[Any, Any]) -> WrittenTestSitting:
    """Points for short answers ({question id: points}, 0 to the question's points). Points given before are
    kept unless given again; the score is complete (and copied to the application) once every short answer
    has points."""
    require_recruiter(actor)
    require_application_access(actor, sitting.application)
    sitting = WrittenTestSitting.objects.select_for_update(of=("self",)).select_related("test").get(pk=sitting.pk)
    now = timezone.now()
    if sitting_overdue(sitting, now):
        _finalise(sitting, dict(sitting.answers), now)
    if sitting.submitted_at is None:
        raise Conflict(_("The candidate has not submitted this test yet."))
    questions = _questions(sitting)
    shorts = {q.pk: q for q in questions if q.kind == Kind.SHORT}
    errors: list[str] = []
    given: dict[str, str] = {}
    for raw_key, raw_value in points.items():
        try:
            key = int(raw_key)
        except (TypeError, ValueError):
            key = 0
        question = shorts.get(key)
        if question is None:
            errors.append(_("Question %(id)s is not a short-answer question of this test.") % {"id": raw_key})
            continue
        number = questions.index(question) + 1
        value = _points(raw_value)
        if value is None or not Decimal("0") <= value <= Decimal(question.points):
            errors.append(
                _("Question %(n)d: give 0 to %(max)s points.")
                % {"n": number, "max": Decimal(question.points).normalize()}
            )
        elif value != value.quantize(ONE_DECIMAL):
            errors.append(_("Question %(n)d: points may have at most one decimal place.") % {"n": number})
        else:
            given[str(key)] = str(value.quantize(ONE_DECIMAL))
    if errors:
        raise ValidationFailed(errors={"points": errors})
    if not given:
        raise ValidationFailed(_("Give points for at least one short answer."), field="points")
    before = dict(sitting.manual_points)
    sitting.manual_points = {**before, **given}
    sitting.reviewed_by = actor
    _apply_score(sitting, questions)
    sitting.save(update_fields=["manual_points", "reviewed_by", "score", "status", "updated_at"])
    audit_record(actor=actor, obj=sitting, action=AuditEntry.Action.UPDATE, changes={
        "manual_points": (json.dumps(before), json.dumps(sitting.manual_points)),
        **({"score": ("", sitting.score)} if sitting.score is not None else {}),
    })
    return sitting
