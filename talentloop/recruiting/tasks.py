"""Background work of the recruiting capability. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from talentloop.org.models import Job


@shared_task(acks_late=True)
def job_rescreen_task(job_id: int) -> int:
    """Re-score a job's applications after its screening rules changed (slow for thousands of resumes)."""
    from .services.screening import job_rescreen

    job = Job.objects.filter(pk=job_id).first()
    return job_rescreen(job=job) if job is not None else 0
