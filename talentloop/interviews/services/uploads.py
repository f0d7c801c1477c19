"""Resumable recording uploads: the browser sends a recording in chunks, each at its offset, so a dropped connection
loses nothing; the finished upload is then submitted as the answer (media.answer_media_submit). Also the checks
every recorded answer goes through (the modality offered, agreed to and transcribable; the question still open) and
the storage helpers the media services share."""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed

from ..models import InterviewAnswer, InterviewSession, MediaUpload
from . import asr
from .answers import _answer, _question, _start
from .rules import (
    ANSWERED,
    RECORDED,
    AnswerAlreadySubmitted,
    AnswerStatus,
    TimeUp,
    check_open,
    consented_modalities,
    is_overdue,
    max_media_bytes,
    modality_names,
    offered_modalities,
)
from .sessions import interview_open, locked_session

logger = logging.getLogger(__name__)

STALE_UPLOAD = timedelta(days=2)  # an upload nobody finished or submitted in this time is abandoned


class UploadGap(Conflict):
    """A chunk that starts after the bytes received so far: the client must resume from `received`."""

    def __init__(self, message: str, *, received: int) -> None:
        super().__init__(message)
        self.received = received


def storage_of(field: str = "media") -> Storage:
    model: type[models.Model] = InterviewAnswer if field == "media" else MediaUpload
    found = model._meta.get_field(field)
    assert isinstance(found, models.FileField)
    return found.storage


def delete_later(storage: Storage, name: str) -> None:
    """Delete a file once the transaction commits (a rolled-back change keeps it)."""
    if name:
        transaction.on_commit(lambda: delete_now(storage, name))


def delete_now(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete the media file %s", name, exc_info=True)


# --- Which recorded modality, and may the candidate use it ---------------------------------------------------


def recorded_modality(session: InterviewSession, modality: Any) -> str:
    """The recorded modality asked for, if the interview offers it (400), the candidate agreed to it (403) and a
    speech recogniser is configured for the interview's language (400)."""
    names = modality_names()
    if modality not in RECORDED:
        raise ValidationFailed(_("Say whether the recording is audio or video."), field="modality")
    if modality not in offered_modalities(session):
        raise ValidationFailed(
            _("This interview does not offer %(mode)s answers. You can type your answer.") % {"mode": names[modality]},
            field="modality",
        )
    if modality not in consented_modalities(session):
        if modality == "audio":
            raise PermissionDenied(_("You did not agree to voice analysis, so voice answers are not accepted. You can "
                                     "type your answer."))
        raise PermissionDenied(_("You did not agree to video analysis, so video answers are not accepted. You can "
                                 "type your answer."))
    if not asr.voice_available(session.language):
        raise ValidationFailed(
            _("Recorded answers cannot be transcribed at the moment. Please type your answer."), field="modality"
        )
    return str(modality)


def open_for_answer(answer: InterviewAnswer) -> None:
    if answer.status == AnswerStatus.PROCESSING:
        raise AnswerAlreadySubmitted(_("Your recording for this question is being analysed; it cannot be replaced."))
    if answer.status in ANSWERED:
        raise AnswerAlreadySubmitted(_("This question has already been answered; an answer cannot be changed."))


def time_up() -> TimeUp:
    return TimeUp(_("The time for this question is up, so the recording was not accepted. Please go on to the next "
                    "question."))


def too_large() -> PayloadTooLarge:
    limit = max_media_bytes()
    return PayloadTooLarge(
        _("The recording is larger than the limit of %(mb)s MB. Please record a shorter answer or type it.")
        % {"mb": f"{limit / (1024 * 1024):g}"}
    )


# --- Resumable uploads ---------------------------------------------------------------------------------------


def upload_get(session: InterviewSession, upload_id: Any, *, lock: bool = False) -> MediaUpload:
    try:
        key = uuid.UUID(str(upload_id))
    except (TypeError, ValueError):
        key = None
    rows = MediaUpload.objects.select_for_update() if lock else MediaUpload.objects.all()
    found = rows.filter(pk=key, session=session).first() if key is not None else None
    if found is None:
        raise NotFound(_("This recording upload does not exist (or was abandoned). Please record again."))
    return found


@transaction.atomic
def upload_start(*, token: str, question: Any, modality: Any, content_type: str = "") -> MediaUpload:
    """Start receiving a recording for one question. Refused like a submission would be (closed interview,
    answered question, modality not offered or not agreed to, time up with late answers refused). An earlier
    unfinished upload for the same question is dropped: the new recording replaces it."""
    session = locked_session(token)
    now = timezone.now()
    check_open(session, now)
    found = _question(session, question)
    open_for_answer(_answer(found))
    chosen = recorded_modality(session, modality)
    _start(session, found, now)
    if is_overdue(found, now) and not session.accept_late_answers:
        raise time_up()
    for old in MediaUpload.objects.filter(session=session, session_question=found, status=MediaUpload.Status.OPEN):
        delete_later(storage_of("file"), str(old.file.name or ""))
        old.delete()
    return MediaUpload.objects.create(
        session=session, session_question=found, modality=chosen, content_type=str(content_type or "")[:100],
    )


def _write_at(upload: MediaUpload, offset: int, data: bytes) -> None:
    """Write `data` at `offset` of the upload's file and cut what follows: the file always matches the bytes the
    database says were received, even after a write whose database update was rolled back."""
    storage = storage_of("file")
    name = upload.file.name if upload.file else ""
    if not name:
        name = upload.file.field.generate_filename(upload, "upload.part")
    try:
        path = storage.path(name)
    except NotImplementedError:
        # Object storage cannot append: rewrite the object (uploads are a few chunks; local disk is the default).
        kept = b""
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                kept = existing.read(offset)
            storage.delete(name)
        upload.file.name = storage.save(name, ContentFile(kept + data))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "r+b" if os.path.exists(path) else "w+b") as handle:
        handle.seek(offset)
        handle.write(data)
        handle.truncate()
    upload.file.name = name


@transaction.atomic
def upload_append(*, token: str, upload_id: Any, offset: int, data: bytes) -> MediaUpload:
    """Add a chunk at `offset`. A chunk that starts before the bytes received (a retry after a lost response) is
    acknowledged, and only its part beyond them is added; one that starts after them is refused with the
    offset to resume from (UploadGap, 409). Over the size limit: PayloadTooLarge (413)."""
    session = locked_session(token)
    check_open(session, timezone.now())
    upload = upload_get(session, upload_id, lock=True)
    if upload.status != MediaUpload.Status.OPEN:
        raise Conflict(_("This recording has already been submitted."))
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValidationFailed(_("The Upload-Offset header must be a whole number of bytes."), field="offset")
    received = int(upload.received_bytes)
    if offset > received:
        raise UploadGap(
            _("Bytes %(offset)d onwards cannot be added: only %(received)d bytes have been received. Resume from "
              "byte %(received)d.") % {"offset": offset, "received": received},
            received=received,
        )
    new = data[received - offset:]
    if not new:
        return upload
    if received + len(new) > max_media_bytes():
        raise too_large()
    _write_at(upload, received, new)
    upload.received_bytes = received + len(new)
    upload.save(update_fields=["file", "received_bytes", "updated_at"])
    return upload


def upload_status(*, token: str, upload_id: Any) -> MediaUpload:
    """How many bytes of an upload arrived (a client resuming after a dropped connection asks this first)."""
    session = interview_open(token=token)
    return upload_get(session, upload_id)
