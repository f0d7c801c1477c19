"""Background work of AI interviews: scoring an answer as soon as it is submitted, analysing a recorded answer
(transcript, delivery, then the same scoring), building the report once the interview is handed in and every
answer is scored, and the periodic sweeps. Tasks take ids and are safe to run twice; they are queued with
transaction.on_commit by the services (eager, in-process, without a broker)."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from .services.asr import TranscriptionDeferred

# Database hiccups worth another try (a lost connection, a lock timeout); anything else is the service's to handle.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
MEDIA_MAX_RETRIES = 3


@shared_task(acks_late=True)
def answer_score_task(answer_id: int) -> str | None:
    from .services.scoring import answer_score

    answer = answer_score(answer_id=answer_id)
    return answer.status if answer is not None else None


@shared_task(
    bind=True, acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=300,
    retry_jitter=True, max_retries=MEDIA_MAX_RETRIES,
)
def answer_media_analyse_task(self: Task, answer_id: int) -> str | None:
    """Analyse a recorded answer. Acknowledged only when done, so a worker lost mid-analysis hands it to another;
    the service writes exactly one result however many times it runs. A speech service that cannot be reached is
    tried again later by a worker; run in-process (no broker) there is no later, so the answer fails at once."""
    from .services.media import answer_media_analyse

    eager = bool(self.request.is_eager)
    try:
        answer = answer_media_analyse(answer_id=answer_id, defer=not eager)
    except TranscriptionDeferred as deferred:
        raise self.retry(exc=deferred, countdown=30 * (2 ** self.request.retries)) from deferred
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


@shared_task
def media_retention_task() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): delete recordings past the retention period and abandoned uploads."""
    from .services.media import media_retention_purge

    return media_retention_purge()
