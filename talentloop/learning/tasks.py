"""Background work of learning: the daily follow-up that closes completed enrolments with the next submitted
review (pages also run it for the employee they show). Idempotent: an enrolment closes once."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=60, max_retries=3)
def enrollments_follow_up_task() -> int:
    from .services import enrollments_follow_up

    return enrollments_follow_up()
