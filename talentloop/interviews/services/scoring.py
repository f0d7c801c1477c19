"""Scoring: each submitted answer by the text scorer (with the active calibration), then — once the interview
is completed and every answer is scored — the report, fused from the answer scores with the job's competency
model and the job levels' fit bands. Both are idempotent and run as tasks (tasks.py) right after the commit
that made them possible, so in the embedded setup the report is ready the moment the interview is handed in.

A recorded answer is scored from its transcript exactly like a typed answer (media.py calls answer_text_score);
when the job counts delivery in scores and the candidate agreed to that modality's analysis, the answer's score is
DELIVERY_TEXT_WEIGHT × text score + DELIVERY_WEIGHT × delivery score (rounded to 1 decimal)."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from talentloop.assessment.answers import Answer, TextAnswerScorer
from talentloop.assessment.interview import ScoredAnswer, best_evidence, fuse
from talentloop.core.models import AuditEntry
from talentloop.core.services import audit_record

from ..models import InterviewAnswer, InterviewReport, InterviewSession, SessionQuestion
from .calibration import active_calibration, engine_question
from .generation import competency_model, fit_bands
from .rules import (
    FROM_DRAFT,
    LANGUAGE_MISMATCH,
    RECORDED,
    RECORDING_FAILED,
    UNANSWERED,
    AnswerStatus,
    Status,
    consented_modalities,
    max_media_seconds,
)

logger = logging.getLogger(__name__)
SERVICE_FLAGS = frozenset({FROM_DRAFT, UNANSWERED})  # flags the services set; the engine's are added to them
# Answers the report can be built with; a recording that could not be used counts as unanswered (score 0).
DONE = frozenset({AnswerStatus.SCORED, AnswerStatus.FAILED, *RECORDING_FAILED})
DELIVERY_WEIGHT = 0.2
DELIVERY_TEXT_WEIGHT = 0.8
# Scoring a whole interview takes well under a second; a report still scoring after this lost a task.
STUCK_AFTER = timedelta(minutes=5)


@lru_cache(maxsize=8)
def _scorer(slope: float, intercept: float) -> TextAnswerScorer:
    # One scorer per calibration: it caches what it derives from each question.
    return TextAnswerScorer(slope=slope, intercept=intercept)


def answer_text_score(answer: InterviewAnswer, question: SessionQuestion, session: InterviewSession) -> bool:
    """Score `answer.text` into the answer (not saved): the engine's result with its name, version, parameters
    and calibration, status scored; or, should the engine fail, status failed (logged). Flags the services set
    are kept. For a recorded answer, delivery is then fused in when the job and the consent allow it."""
    calibration = active_calibration()
    slope, intercept = 1.0, 0.0
    if calibration is not None:
        slope = float(calibration.parameters.get("slope", 1.0))
        intercept = float(calibration.parameters.get("intercept", 0.0))
    kept = [flag for flag in answer.flags or [] if flag in SERVICE_FLAGS]
    try:
        result = _scorer(slope, intercept).score(engine_question(question, session.language), Answer(answer.text))
    except Exception:
        logger.exception("Scoring failed for interview answer %s", answer.pk)
        answer.status, answer.flags, answer.scored_at = AnswerStatus.FAILED, kept, timezone.now()
        return False
    payload = result.to_dict()
    answer.score = float(result.score)
    answer.subscores = payload["subscores"]
    answer.evidence = payload["evidence"]
    answer.missing_key_points = payload["missing_key_points"]
    answer.matched_key_points = payload["matched_key_points"]
    answer.flags = kept + [flag for flag in payload["flags"] if flag not in kept]
    answer.language_mismatch = LANGUAGE_MISMATCH in result.flags
    answer.engine = {
        "name": result.engine, "version": result.engine_version, "parameters": payload["parameters"],
        "calibration": calibration.version if calibration is not None else None,
    }
    answer.status, answer.scored_at = AnswerStatus.SCORED, timezone.now()
    if answer.modality in RECORDED:
        delivery_fuse(answer, session)
    return True


def delivery_fuse(answer: InterviewAnswer, session: InterviewSession) -> None:
    """Count delivery in a scored recorded answer's score when the job says so and the candidate agreed to that
    modality's analysis: 0.8 × text score + 0.2 × delivery score. The text score and the weights are kept in
    the answer's engine record, so the report can show both and the score can be reproduced."""
    delivery: dict[str, Any] = answer.delivery or {}
    value = delivery.get("score")
    job = session.application.job
    used = (
        bool(job.delivery_in_score) and answer.modality in consented_modalities(session)
        and isinstance(value, int | float) and not isinstance(value, bool) and answer.score is not None
    )
    answer.delivery_used_in_score = used
    if not used or answer.score is None or not isinstance(value, int | float):
        return
    text_score = float(answer.score)
    answer.score = round(DELIVERY_TEXT_WEIGHT * text_score + DELIVERY_WEIGHT * float(value), 1)
    answer.engine = {**answer.engine, "delivery": {
        "text_score": text_score, "delivery_score": float(value),
        "weights": {"text": DELIVERY_TEXT_WEIGHT, "delivery": DELIVERY_WEIGHT},
    }}


def answer_score(*, answer_id: int) -> InterviewAnswer | None:
    """Score a submitted answer (again: a scored one is left as it is). An engine failure marks the answer
    failed and is logged; the report is then built without it. When this was the last answer of a completed
    interview the report build is queued."""
    from ..tasks import report_build_task

    with transaction.atomic():
        answer = (
            InterviewAnswer.objects.select_for_update(of=("self",))
            .select_related("session_question__session__application__job", "session_question__competency")
            .filter(pk=answer_id).first()
        )
        if answer is None or answer.status != AnswerStatus.SUBMITTED:
            return answer
        question = answer.session_question
        session = question.session
        if answer_text_score(answer, question, session):
            answer.save()
        else:
            answer.save(update_fields=["status", "flags", "scored_at", "updated_at"])
        if session.status == Status.COMPLETED:
            session_id = session.pk
            transaction.on_commit(lambda: report_build_task.delay(session_id))
    return answer


def report_build(*, session_id: int) -> InterviewReport | None:
    """Build the report of a completed interview whose answers are all scored (or failed); otherwise do
    nothing (the last answer's scoring builds it). Building a ready report again changes nothing."""
    with transaction.atomic():
        session = InterviewSession.objects.select_related("application__job").filter(pk=session_id).first()
        if session is None or session.status != Status.COMPLETED:
            return None
        report, _created = InterviewReport.objects.get_or_create(session=session)
        report = InterviewReport.objects.select_for_update().get(pk=report.pk)
        if report.status == InterviewReport.Status.READY:
            return report
        answers = list(
            InterviewAnswer.objects.filter(session_question__session=session)
            .select_related("session_question__competency").order_by("session_question__position")
        )
        if session.questions.count() != len(answers) or any(a.status not in DONE for a in answers):
            return report
        scored = [
            ScoredAnswer(
                position=a.session_question.position, competency=a.session_question.competency.code,
                score=float(a.score or 0.0),
                # Key-point sentences first, so the report cites what earned the most credit.
                evidence=best_evidence(a.evidence or []),
                missing_key_points=tuple(str(p) for p in a.missing_key_points or []),
                flags=tuple(str(f) for f in a.flags or []),
            )
            # A recording that could not be used counts as unanswered: score 0 (set at completion).
            for a in answers if a.status == AnswerStatus.SCORED or a.status in RECORDING_FAILED
        ]
        result = fuse(answers=scored, model=competency_model(session.application.job), bands=fit_bands())
        doc = result.to_dict()
        engines = sorted({
            (str(a.engine.get("name")), str(a.engine.get("version"))) for a in answers
            if a.status == AnswerStatus.SCORED and a.engine and a.engine.get("name") != "unanswered"
        })
        calibrations = sorted({a.engine.get("calibration") for a in answers if a.engine.get("calibration")})
        doc["engine"]["answer_engines"] = [{"name": name, "version": version} for name, version in engines]
        doc["engine"]["calibration"] = calibrations[-1] if calibrations else None
        report.overall_score = float(doc["overall_score"])
        report.fit_level = str(doc["fit_level"])
        report.competencies, report.strengths, report.weaknesses = (
            doc["competencies"], doc["strengths"], doc["weaknesses"]
        )
        report.engine = doc["engine"]
        report.status, report.built_at = InterviewReport.Status.READY, timezone.now()
        report.save()
        audit_record(actor=None, obj=report, action=AuditEntry.Action.UPDATE, changes={
            "status": (InterviewReport.Status.SCORING, InterviewReport.Status.READY),
            "overall_score": (None, report.overall_score), "fit_level": ("", report.fit_level),
        })
    return report


def reports_stuck_requeue(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Queue again the work of reports still "scoring" `older_than` after their interview was handed in: a
    task lost with a worker must not leave a report unfinished. Both tasks are idempotent, so a report that was
    only slow is not harmed. Recordings still being analysed long after their submission (longer than the longest
    recording allowed, in any interview) get their analysis queued again too. Returns how many reports were
    queued again."""
    from ..tasks import answer_media_analyse_task, answer_score_task, report_build_task

    now = timezone.now()
    cutoff = now - older_than
    stuck = list(
        InterviewReport.objects.filter(status=InterviewReport.Status.SCORING, session__completed_at__lt=cutoff)
        .values_list("session_id", flat=True)
    )
    for session_id in stuck:
        pending = InterviewAnswer.objects.filter(
            session_question__session_id=session_id, status=AnswerStatus.SUBMITTED
        ).values_list("pk", flat=True)
        for answer_id in pending:
            answer_score_task.delay(answer_id)
        report_build_task.delay(session_id)
    analysing_cutoff = now - max(older_than, timedelta(seconds=max_media_seconds()))
    analysing = list(
        InterviewAnswer.objects.filter(status=AnswerStatus.PROCESSING, updated_at__lt=analysing_cutoff)
        .values_list("pk", flat=True)
    )
    for answer_id in analysing:
        answer_media_analyse_task.delay(answer_id)
    if stuck:
        logger.warning("Queued %d interview report(s) stuck in scoring again: sessions %s", len(stuck), stuck)
    if analysing:
        logger.warning("Queued the analysis of %d recording(s) again: answers %s", len(analysing), analysing)
    return len(stuck)
