"""The side of the Celery-worker test that runs in its own processes against the test's own database: prepare an
interview with one recorded answer waiting for analysis (the task goes to the real broker), and read the answer's
state back. Run as `python -m tests.workers.scenario prepare <recording>` or `... state <answer id>`; both print
JSON. Settings come from the environment the test sets (DATABASE_URL, MEDIA_ROOT, CELERY_BROKER_URL)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import django


def prepare(recording: Path) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talentloop.core.models import Role, User
    from talentloop.interviews.services.media import answer_media_submit
    from talentloop.interviews.services.sessions import interview_consent, interview_create
    from talentloop.org.models import Competency, Department, Job, JobCompetency, JobLevel
    from talentloop.recruiting.models import Application, Candidate

    hr = User.objects.create_user(username="hr", password="hr-password", role=Role.HR_ADMIN, is_staff=True)
    department = Department.objects.create(code="SALES", name="销售部", name_en="Sales")
    job = Job.objects.create(
        title="Customer Success Manager", department=department, status=Job.Status.OPEN,
        level=JobLevel.objects.get(code="mid"), interview_modalities=["text", "audio"],
        description="Help enterprise customers get the most out of our CloudDesk platform.",
    )
    for position, code in enumerate(("customer_orientation", "communication")):
        JobCompetency.objects.create(
            job=job, competency=Competency.objects.get(code=code), weight=Decimal("0.5"), position=position,
        )
    candidate = Candidate.objects.create(name="Emily Chen", email="emily@example.com", language="en")
    application = Application.objects.create(candidate=candidate, job=job)
    session = interview_create(actor=hr, application=application, language="en", seed=1, modalities=["text", "audio"])
    interview_consent(token=session.token, accept=True, analyses=["text", "audio"])
    upload = SimpleUploadedFile(recording.name, recording.read_bytes(), content_type="audio/webm")
    # The commit at the end of the submission sends the analysis task to the broker: no worker runs it yet.
    submitted = answer_media_submit(token=session.token, question=1, modality="audio", file=upload)
    return {"answer_id": submitted.answer.pk, "session_id": session.pk}


def state(answer_id: int) -> dict[str, Any]:
    from talentloop.interviews.models import InterviewAnswer

    answer = InterviewAnswer.objects.get(pk=answer_id)
    return {
        "status": answer.status, "attempts": answer.analysis_attempts, "score": answer.score,
        "transcript": answer.transcript, "asr_backend": answer.asr_backend,
        "analysed_at": answer.analysed_at.isoformat() if answer.analysed_at else None,
    }


def main(argv: list[str]) -> None:
    django.setup()
    command, argument = argv[1], argv[2]
    result = prepare(Path(argument)) if command == "prepare" else state(int(argument))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv)
