"""Calibrating the answer scorer on HR's ratings.

Every answer HR rated (0-100) is scored again, uncalibrated (slope 1, intercept 0), from the question snapshot
the candidate saw; the engine fits rating ≈ slope · raw + intercept and cross-validates it (Pearson r, QWK).
The result is saved as the next calibration version, the only active one; the scoring service applies the
active calibration to answers scored from then on (stored scores keep the calibration they were scored with)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from talentloop.assessment.answers import ENGINE, ENGINE_VERSION, Answer, KeyPoint, Question, TextAnswerScorer
from talentloop.assessment.answers.model import QUESTION_TYPES
from talentloop.core.access import HR, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..models import InterviewAnswer, ScoringCalibration, SessionQuestion

DEFAULT_MIN_RATINGS = 10


@dataclass(frozen=True)
class RatedAnswer:
    answer_id: int
    raw: float
    rating: float


def engine_question(question: SessionQuestion, language: str) -> Question:
    """The engine's question from the snapshot the candidate answered."""
    key_points = tuple(
        KeyPoint(str(item.get("point", "")), tuple(str(s) for s in item.get("synonyms") or []))
        for item in question.key_points or [] if isinstance(item, dict)
    )
    return Question(
        text=question.text, language=language, competency=question.competency.code, key_points=key_points,
        reference_answers=(question.reference_answer,) if question.reference_answer.strip() else (),
        type=question.type if question.type in QUESTION_TYPES else "general",
        time_limit_seconds=max(1, int(question.time_limit_seconds)),
    )


def rated_answers() -> list[RatedAnswer]:
    """Every submitted, rated answer with its uncalibrated score, oldest first."""
    scorer = TextAnswerScorer(slope=1.0, intercept=0.0)
    answers = (
        InterviewAnswer.objects.filter(hr_rating__isnull=False, submitted_at__isnull=False).exclude(text="")
        .select_related("session_question__session", "session_question__competency")
        .order_by("pk")
    )
    rows = []
    for answer in answers:
        question = answer.session_question
        language = question.session.language
        result = scorer.score(engine_question(question, language), Answer(answer.text))
        rows.append(RatedAnswer(answer.pk, float(result.score), float(answer.hr_rating or 0)))
    return rows


def calibration_fit(
    *, actor: User | None = None, min_ratings: int = DEFAULT_MIN_RATINGS, dry_run: bool = False
) -> ScoringCalibration:
    """Fit a calibration on every rated answer and save it as the new active version (unsaved with
    `dry_run`). ValidationFailed when there are fewer than `min_ratings` ratings or they cannot be fitted.
    From the web or the API only an HR admin may; the command runs without an actor."""
    if actor is not None:
        require_role(actor, HR)
    if min_ratings < 2:
        raise ValidationFailed(_("At least 2 ratings are needed to fit a calibration."), field="min_ratings")
    rows = rated_answers()
    if len(rows) < min_ratings:
        raise ValidationFailed(
            _("A calibration needs at least %(min)d rated answers; there are %(n)d. Rate more answers in the "
              "interview reports first.") % {"min": min_ratings, "n": len(rows)}
        )
    # scikit-learn and scipy take over a second to import: only the fit needs them, not every scoring process.
    from talentloop.assessment.answers.calibration import fit_calibration

    try:
        fitted = fit_calibration([r.raw for r in rows], [r.rating for r in rows])
    except ValueError as exc:
        raise ValidationFailed(_("The ratings cannot be fitted: %(reason)s") % {"reason": exc}) from exc
    calibration = ScoringCalibration(
        engine=ENGINE, engine_version=ENGINE_VERSION, method=fitted.method,
        parameters={"slope": round(float(fitted.slope), 6), "intercept": round(float(fitted.intercept), 6)},
        n_ratings=fitted.n, pearson_r=_maybe(fitted.pearson_r), qwk=_maybe(fitted.qwk), is_active=True,
        created_by=actor,
    )
    if dry_run:
        calibration.version = (ScoringCalibration.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        return calibration
    with transaction.atomic():
        # The lock serialises two fits saved at once: each gets its own version, and one stays active.
        list(ScoringCalibration.objects.select_for_update().filter(is_active=True))
        calibration.version = (ScoringCalibration.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        ScoringCalibration.objects.filter(is_active=True).update(is_active=False)
        calibration.save()
        audit_record(actor=actor, obj=calibration, action=AuditEntry.Action.CREATE)
    return calibration


def _maybe(value: float | None) -> float | None:
    """Four decimals; None when the engine could not compute it (NaN: e.g. a fold of equal ratings)."""
    return round(float(value), 4) if value is not None and math.isfinite(value) else None


def active_calibration() -> ScoringCalibration | None:
    """The calibration new answers are scored with (None: the scorer's own slope 1, intercept 0)."""
    return ScoringCalibration.objects.filter(is_active=True).order_by("-version").first()
