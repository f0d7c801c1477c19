"""Background work of AI interviews: scoring an answer as soon as it is submitted, and building the report once
the interview is handed in and every answer is scored. Tasks take ids and are safe to run twice; they are
queued with transaction.on_commit by the services (eager, in-process, without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def answer_score_task(answer_id: int) -> str | None:
    from .services.scoring import answer_score

    answer = answer_score(answer_id=answer_id)
    return answer.status if answer is not None else None


@shared_task(acks_late=True)
def report_build_task(session_id: int) -> str | None:
    from .services.scoring import report_build

    report = report_build(session_id=session_id)
    return report.status if report is not None else None


@shared_task
def reports_sweep_task() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): re-queue reports left in "scoring" by a lost task."""
    from .services.scoring import reports_stuck_requeue

    return reports_stuck_requeue()
