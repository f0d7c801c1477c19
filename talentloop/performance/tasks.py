"""Background work of performance management: the daily phase reminders (from the beat schedule) and a new
hire joining the cycles that enrol new hires (queued on commit by recruiting's hire). Tasks take ids and are
safe to run twice: reminders are deduplicated per person, cycle, phase and day, joining is idempotent."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# The beat runs the reminder task every hour (so a missed run catches up); before this hour of the local day
# it does nothing, so reminders arrive in the morning rather than just after midnight.
REMINDER_HOUR = 8


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=60, max_retries=3)
def phase_reminders_task() -> int:
    from .phases import cycle_reminders_send

    now = timezone.localtime()
    if now.hour < REMINDER_HOUR:
        return 0
    return cycle_reminders_send(today=now.date())


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, max_retries=5)
def hire_join_cycles_task(employee_id: int) -> list[int]:
    """Drafted titles and explanations are written in the site's language (nobody's request is active here)."""
    from .phases import hire_join_cycles

    with translation.override(settings.LANGUAGE_CODE):
        return hire_join_cycles(employee_id=employee_id)
