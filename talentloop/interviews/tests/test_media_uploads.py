"""Resumable recording uploads over the candidate API: chunks at an offset, a retried chunk acknowledged without
being added twice, a gap refused with the offset to resume from, progress for a client that lost its connection,
the size limit, and the refusals of a modality not offered (400) or not agreed to (403)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from ..models import MediaUpload
from ._media_support import agree, answer_of, candidate_client, candidate_url, media_session, recording
from ._support import InterviewSetup

pytestmark = pytest.mark.django_db


def _put(client: Any, session: Any, upload_id: str, offset: int, data: bytes) -> Any:
    return client.put(candidate_url(session, f"uploads/{upload_id}/"), data=data,
                      content_type="application/octet-stream", HTTP_UPLOAD_OFFSET=str(offset))


def test_a_chunked_upload_survives_a_retried_chunk_and_a_gap_and_becomes_the_answer(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    data = recording("english.webm").read_bytes()
    chunk = 4096
    started = client.post(candidate_url(session, "uploads/"),
                          {"question": 1, "modality": "audio", "content_type": "audio/webm;codecs=opus"},
                          format="json")
    assert started.status_code == 201
    body = started.json()
    upload_id = body["id"]
    assert body == {"id": upload_id, "received": 0, "chunk_bytes": 1024 * 1024, "max_bytes": 200 * 1024 * 1024}

    first = _put(client, session, upload_id, 0, data[:chunk])
    assert (first.status_code, first.json()) == (200, {"id": upload_id, "received": chunk})
    # The response was lost and the client sends the same chunk again: acknowledged, not added twice.
    retried = _put(client, session, upload_id, 0, data[:chunk])
    assert (retried.status_code, retried.json()["received"]) == (200, chunk)
    # A chunk beyond what arrived is refused with the offset to resume from.
    gap = _put(client, session, upload_id, 2 * chunk, data[2 * chunk:3 * chunk])
    assert gap.status_code == 409
    assert gap.json() == {
        "detail": f"Bytes {2 * chunk} onwards cannot be added: only {chunk} bytes have been received. Resume from "
                  f"byte {chunk}.",
        "received": chunk,
    }
    # After a dropped connection the client asks how far it got, and sends the rest.
    progress = client.get(candidate_url(session, f"uploads/{upload_id}/"))
    assert (progress.status_code, progress.json()) == (200, {"id": upload_id, "received": chunk})
    offset = progress.json()["received"]
    while offset < len(data):
        response = _put(client, session, upload_id, offset, data[offset:offset + chunk])
        assert response.status_code == 200
        offset = response.json()["received"]
    upload = MediaUpload.objects.get(pk=upload_id)
    assert upload.received_bytes == len(data)
    with upload.file.open("rb") as stored:
        assert stored.read() == data

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(candidate_url(session, "answers/"), {"question": 1, "upload": upload_id},
                                format="json")
    assert submitted.status_code == 202
    assert (submitted.json()["status"], submitted.json()["modality"]) == ("processing", "audio")
    answer = answer_of(session)
    assert (answer.status, answer.modality, answer.media_bytes) == ("scored", "audio", len(data))
    assert answer.transcript
    upload.refresh_from_db()
    assert (upload.status, upload.file.name) == ("used", "")
    # A used upload cannot be sent again, nor added to.
    again = client.post(candidate_url(session, "answers/"), {"question": 1, "upload": upload_id}, format="json")
    assert again.status_code == 409
    late_chunk = _put(client, session, upload_id, len(data), b"more")
    assert (late_chunk.status_code, late_chunk.json()["detail"]) == (409, "This recording has already been submitted.")


def test_uploads_are_refused_for_a_modality_not_offered_or_not_agreed_to(setup: InterviewSetup) -> None:
    session = agree(media_session(setup, modalities=["text", "audio"]), "audio")
    client = candidate_client()
    video = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "video"}, format="json")
    assert (video.status_code, video.json()["detail"]) == (
        400, "This interview does not offer video answers. You can type your answer.")

    other = media_session_without_consent(setup, session)
    refused = client.post(candidate_url(other, "uploads/"), {"question": 1, "modality": "audio"}, format="json")
    assert (refused.status_code, refused.json()["detail"]) == (
        403, "You did not agree to voice analysis, so voice answers are not accepted. You can type your answer.")
    assert not MediaUpload.objects.filter(session=other).exists()


def media_session_without_consent(setup: InterviewSetup, previous: Any) -> Any:
    from ..services.sessions import interview_cancel

    interview_cancel(actor=setup.hr, session=previous)
    return agree(media_session(setup))  # text only agreed to


def test_an_upload_over_the_size_limit_is_a_413_and_keeps_what_arrived(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    upload_id = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "audio"},
                            format="json").json()["id"]
    with override_settings(TALENTLOOP_MEDIA_MAX_BYTES=6000):
        assert _put(client, session, upload_id, 0, b"\x1a\x45\xdf\xa3" + b"x" * 3996).status_code == 200
        response = _put(client, session, upload_id, 4000, b"y" * 4000)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The recording is larger than the limit of 0.00572205 MB. Please record a shorter answer or type it.")
    assert MediaUpload.objects.get(pk=upload_id).received_bytes == 4000


def test_a_missing_or_bad_offset_and_an_unknown_upload(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    upload_id = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "audio"},
                            format="json").json()["id"]
    missing = client.put(candidate_url(session, f"uploads/{upload_id}/"), data=b"abc",
                         content_type="application/octet-stream")
    assert (missing.status_code, missing.json()["detail"]) == (
        400, "Send the chunk's position in the Upload-Offset header (a whole number of bytes).")
    assert _put(client, session, upload_id, -1, b"abc").status_code == 400
    unknown = client.get(candidate_url(session, "uploads/not-a-uuid/"))
    assert (unknown.status_code, unknown.json()["detail"]) == (
        404, "This recording upload does not exist (or was abandoned). Please record again.")


def test_a_new_upload_for_the_same_question_replaces_the_unfinished_one(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    first = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "audio"}, format="json")
    _put(client, session, first.json()["id"], 0, b"\x1a\x45\xdf\xa3partial")
    second = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "audio"}, format="json")
    assert second.status_code == 201
    assert list(MediaUpload.objects.filter(session=session).values_list("pk", flat=True)) == [
        MediaUpload.objects.get(pk=second.json()["id"]).pk]
    assert client.get(candidate_url(session, f"uploads/{first.json()['id']}/")).status_code == 404


def test_a_chunk_larger_than_a_request_may_be_is_a_json_413(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    upload_id = client.post(candidate_url(session, "uploads/"), {"question": 1, "modality": "audio"},
                            format="json").json()["id"]
    response = _put(client, session, upload_id, 0, b"\x1a\x45\xdf\xa3" + b"x" * (3 * 1024 * 1024))
    assert (response.status_code, response.json()["detail"]) == (413, "The request is too large (over 2 MB).")
    assert MediaUpload.objects.get(pk=upload_id).received_bytes == 0
