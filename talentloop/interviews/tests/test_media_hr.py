"""HR and recorded answers: correcting a transcript (the recogniser's is kept, the answer is scored again and a
ready report rebuilt), downloading a recording (HR roles with access only, 404 once deleted), and the retention
sweep that deletes old recordings but keeps their transcripts and scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from ..models import InterviewAnswer, InterviewReport, MediaUpload
from ..services.media import media_retention_purge
from ..services.sessions import interview_complete
from ..tasks import media_retention_task
from ._media_support import agree, answer_of, media_session, recording, submit_recording
from ._support import InterviewSetup

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(setup: InterviewSetup, django_capture_on_commit_callbacks: Any) -> Any:
    """A completed interview whose first answer is the English voice recording, analysed and scored."""
    session = agree(media_session(setup), "audio")
    submit_recording(session, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        interview_complete(token=session.token)
    assert InterviewReport.objects.get(session=session).status == "ready"
    return session


def test_correcting_a_transcript_rescores_keeps_the_original_and_rebuilds_the_report(
    setup: InterviewSetup, recorded: Any, api_as: Any,
) -> None:
    before = answer_of(recorded)
    report_before = InterviewReport.objects.get(session=recorded)
    question = before.session_question
    better = question.reference_answer
    client = api_as(setup.recruiter)
    response = client.post(f"/api/v1/interviews/{recorded.pk}/answers/1/transcript/", {"transcript": better},
                           format="json")
    assert response.status_code == 200
    item = response.json()
    assert (item["position"], item["transcript"], item["text"], item["transcript_corrected"]) == (
        1, better, better, True)
    assert item["transcript_original"] == before.transcript
    after = answer_of(recorded)
    assert (after.transcript_original, after.transcript_corrected_by) == (before.transcript, setup.recruiter)
    assert after.transcript_corrected_at is not None
    assert after.status == "scored"
    assert after.score is not None
    assert after.score > (before.score or 0)
    report = InterviewReport.objects.get(session=recorded)
    assert report.status == "ready"
    assert report.built_at is not None
    assert report_before.built_at is not None
    assert report.built_at > report_before.built_at
    assert report.overall_score != report_before.overall_score

    # Correcting again keeps the recogniser's first transcript.
    client.post(f"/api/v1/interviews/{recorded.pk}/answers/1/transcript/", {"transcript": "Something else."},
                format="json")
    assert answer_of(recorded).transcript_original == before.transcript


@pytest.mark.parametrize(("position", "body", "status", "detail"), [
    (2, {"transcript": "x"}, 409, "Question 2 was not answered by voice or video, so there is no transcript to "
                                  "correct."),
    (1, {"transcript": "   "}, 400, "Write the corrected transcript."),
    (99, {"transcript": "x"}, 404, "This interview has no question 99."),
])
def test_transcript_corrections_that_cannot_be_made(
    setup: InterviewSetup, recorded: Any, api_as: Any, position: int, body: dict[str, str], status: int, detail: str,
) -> None:
    response = api_as(setup.hr).post(f"/api/v1/interviews/{recorded.pk}/answers/{position}/transcript/", body,
                                     format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()["detail"]) == (status, detail)


def test_an_employee_cannot_correct_a_transcript(setup: InterviewSetup, recorded: Any, api_as: Any) -> None:
    response = api_as(setup.org["users"]["employee"]).post(
        f"/api/v1/interviews/{recorded.pk}/answers/1/transcript/", {"transcript": "x"}, format="json")
    assert response.status_code == 403
    assert answer_of(recorded).transcript_corrected_at is None


def test_the_recording_is_for_hr_roles_only(setup: InterviewSetup, recorded: Any, api_as: Any) -> None:
    url = f"/api/v1/interviews/{recorded.pk}/answers/1/media/"
    data = recording("english.webm").read_bytes()
    for role in ("hr", "recruiter", "manager"):
        response = api_as(setup.org["users"][role]).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "audio/webm"
        assert response["Content-Disposition"] == f'inline; filename="interview-{recorded.pk}-answer-1.webm"'
        # Reading the stream to its end closes the response (and its file) the way the test client does it; a
        # second close() would send request_finished again and drop the test's connection on PostgreSQL.
        assert b"".join(response.streaming_content) == data
    assert api_as(setup.org["users"]["employee"]).get(url).status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get(url).status_code in (401, 403)
    typed = api_as(setup.hr).get(f"/api/v1/interviews/{recorded.pk}/answers/2/media/", HTTP_ACCEPT_LANGUAGE="en")
    assert (typed.status_code, typed.json()["detail"]) == (404, "Question 2 has no recording.")


def test_retention_deletes_old_recordings_and_keeps_transcripts_and_scores(
    setup: InterviewSetup, recorded: Any, api_as: Any,
) -> None:
    answer = answer_of(recorded)
    name, storage = str(answer.media.name), answer.media.storage
    assert storage.exists(name)
    # Not yet due.
    assert media_retention_purge(now=timezone.now() + dt.timedelta(days=89)) == 0
    # Kept for ever with a retention of 0.
    assert media_retention_purge(now=timezone.now() + dt.timedelta(days=400), days=0) == 0
    later = timezone.now() + dt.timedelta(days=91)
    assert media_retention_purge(now=later) == 1
    after = answer_of(recorded)
    assert not storage.exists(name)
    assert (after.media.name, after.media_deleted_at) == ("", later)
    assert (after.transcript, after.score, after.delivery, after.media_sha256) == (
        answer.transcript, answer.score, answer.delivery, answer.media_sha256)
    assert media_retention_purge(now=later) == 0
    response = api_as(setup.hr).get(f"/api/v1/interviews/{recorded.pk}/answers/1/media/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()["detail"]) == (
        404, "The recording of question 1 was deleted after the retention period; its transcript and scores are "
             "kept.")
    item = api_as(setup.hr).get(f"/api/v1/interviews/{recorded.pk}/report/").json()["answers"][0]
    assert (item["media_url"], item["transcript"]) == (None, answer.transcript)
    assert item["media_deleted_at"] is not None


def test_the_retention_task_uses_the_setting_and_drops_abandoned_uploads(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    from ..services.media import upload_append, upload_start

    upload = upload_start(token=session.token, question=1, modality="audio", content_type="audio/webm")
    upload = upload_append(token=session.token, upload_id=upload.pk, offset=0, data=b"\x1a\x45\xdf\xa3 partial")
    part, storage = str(upload.file.name), upload.file.storage
    assert storage.exists(part)
    MediaUpload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    with override_settings(TALENTLOOP_MEDIA_RETENTION_DAYS=30):
        assert media_retention_task.delay().get() == 0
    assert not MediaUpload.objects.filter(pk=upload.pk).exists()
    assert not storage.exists(part)
    assert not InterviewAnswer.objects.filter(session_question__session=session).exists()


def test_the_purge_command_deletes_recordings_older_than_the_days_given(
    setup: InterviewSetup, recorded: Any,
) -> None:
    import io

    from django.core.management import CommandError, call_command

    answer = answer_of(recorded)
    InterviewAnswer.objects.filter(pk=answer.pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    out = io.StringIO()
    call_command("purge_recordings", "--days", "30", stdout=out)
    assert out.getvalue() == "Deleted 0 recording(s) older than 30 days; transcripts and scores kept.\n"
    call_command("purge_recordings", "--days", "7", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Deleted 1 recording(s) older than 7 days; transcripts and scores kept."
    after = answer_of(recorded)
    assert (after.media.name, after.transcript, after.score) == ("", answer.transcript, answer.score)
    with pytest.raises(CommandError, match="--days must be 0"):
        call_command("purge_recordings", "--days", "-1", stdout=io.StringIO())
