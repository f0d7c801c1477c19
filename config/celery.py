"""The Celery app. With no CELERY_BROKER_URL, settings make tasks run eagerly in the calling process."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("talentloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_up_answer_scoring(**kwargs: Any) -> None:
    """Load what scoring an answer needs when a worker process starts, so the first answer it scores does not
    pay for it: jieba's dictionary (about 1 s) and the scoring service with the scientific libraries its
    calibration imports (about 1 s more). Runs in each worker process, never at import time (web processes and
    commands skip it)."""
    from django.apps import apps

    from talentloop.assessment.answers import warm_up

    warm_up()
    if apps.ready:  # Celery's Django fixup sets Django up before the pool starts; be safe if it did not
        import talentloop.interviews.services.scoring  # noqa: F401
