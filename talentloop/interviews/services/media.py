"""Recorded answers (voice, video): the submission of a recording as an answer (a file, or a resumable upload from
uploads.py, whose services are re-exported here), its analysis by a worker (transcript, delivery, then the same
text scoring as a typed answer), HR's transcript corrections, the recording download, and the retention sweep that
deletes old recordings.

A recording is `processing` from its submission until a worker has analysed it (tasks.answer_media_analyse_task,
queued after commit). The analysis runs outside any transaction (it takes seconds to minutes); its result is
written under a row lock and only while the answer is still `processing` with the same recording (sha256), so a
task delivered twice, or retried after a lost worker, gives exactly one result. A recording that cannot be used
(no speech, unreadable, too long) re-opens the question: the candidate records again or types."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import require_role
from talentloop.core.errors import Conflict, NotFound, UnsupportedMediaType, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.recruiting.access import RECRUITING_ROLES

from ..models import InterviewAnswer, InterviewReport, InterviewSession, MediaUpload
from ..selectors.reports import session_for_hr
from . import asr
from .answers import Submitted, _answer, _question, _start
from .rules import (
    ASR_FAILED_DETAIL,
    NO_SPEECH_DETAIL,
    RECORDED,
    RECORDING_FAILED,
    TOO_LONG_DETAIL,
    UNANSWERED,
    UNREADABLE_DETAIL,
    AnswerStatus,
    Status,
    check_open,
    is_overdue,
    max_answer_chars,
    max_media_bytes,
    max_media_seconds,
    media_retention_days,
    modality_names,
    status_detail_make,
    video_sample_fps,
)
from .scoring import answer_text_score, report_build
from .sessions import answer_mark_unanswered, locked_session, recording_discard
from .uploads import (
    STALE_UPLOAD,
    UploadGap,
    delete_later,
    delete_now,
    open_for_answer,
    recorded_modality,
    storage_of,
    time_up,
    too_large,
    upload_append,
    upload_get,
    upload_start,
    upload_status,
)

if TYPE_CHECKING:
    from talentloop.assessment.media import MediaAnalysis

# The engine (talentloop.assessment.media) is imported where it is used: its decoders and models (PyAV, OpenCV,
# parselmouth) load only in the processes that handle recordings.

logger = logging.getLogger(__name__)

SNIFF_BYTES = 4096  # enough for every container's signature (mp4's ftyp box, WebM's EBML header)
MAX_ATTEMPTS = 3  # analyses started for one recording (a recording that kills its worker must not loop forever)
RETRY = "retry"  # an analysis outcome: the recogniser was unavailable, try again later
EXTENSIONS: dict[str, str] = {"webm": "webm", "ogg": "ogg", "mp4": "mp4", "wav": "wav", "mp3": "mp3"}
CONTENT_TYPES: dict[tuple[str, str], str] = {
    ("webm", "audio"): "audio/webm", ("webm", "video"): "video/webm", ("ogg", "audio"): "audio/ogg",
    ("ogg", "video"): "video/ogg", ("mp4", "audio"): "audio/mp4", ("mp4", "video"): "video/mp4",
    ("wav", "audio"): "audio/wav", ("wav", "video"): "audio/wav", ("mp3", "audio"): "audio/mpeg",
    ("mp3", "video"): "audio/mpeg",
}


# --- Submitting a recording as an answer ---------------------------------------------------------------------


@dataclass
class _Source:
    """The recording being submitted: a file sent with the request, or a finished upload."""

    handle: IO[bytes]
    size: int
    upload: MediaUpload | None = None


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


@contextmanager
def _source(session: InterviewSession, *, upload_id: Any, file: Any) -> Iterator[_Source]:
    if upload_id is not None:
        upload = upload_get(session, upload_id, lock=True)
        if upload.status != MediaUpload.Status.OPEN:
            raise Conflict(_("This recording has already been submitted."))
        if not upload.file or upload.received_bytes == 0:
            yield _Source(handle=io.BytesIO(b""), size=0, upload=upload)
            return
        with storage_of("file").open(str(upload.file.name), "rb") as handle:
            yield _Source(handle=handle, size=int(upload.received_bytes), upload=upload)
        return
    size = getattr(file, "size", None)
    if size is None or not hasattr(file, "read"):
        raise ValidationFailed(_("Send the recording as a file."), field="media")
    yield _Source(handle=file, size=int(size))


def answer_media_submit(
    *, token: str, question: Any, modality: str | None, upload_id: str | None = None, file: Any = None,
) -> Submitted:
    """Submit a recording as the answer to one question: a file sent with the request, or an upload whose chunks
    have all arrived. Refused: an empty recording (400), bytes that are not a recording whatever the file's name
    (415), over the size limit (413), a modality not offered (400) or not agreed to (403), a question answered
    already (409), time up with late answers refused (409). Accepted: stored with its size and sha256, status
    `processing`, and its analysis queued after commit. A question whose recording could not be used may be
    answered again this way or by typing."""
    from talentloop.assessment.media import sniff_format

    from ..tasks import answer_media_analyse_task

    if (upload_id is None) == (file is None):
        raise ValidationFailed(_("Send the recording as a file, or name the upload it was sent with."), field="media")
    with transaction.atomic():
        session = locked_session(token)
        now = timezone.now()
        check_open(session, now)
        found = _question(session, question)
        answer = _answer(found)
        open_for_answer(answer)
        with _source(session, upload_id=upload_id, file=file) as source:
            if source.upload is not None:
                if source.upload.session_question_id != found.pk:
                    raise ValidationFailed(_("This upload is for another question."), field="upload")
                if modality not in (None, "", source.upload.modality):
                    raise ValidationFailed(_("This upload is a %(mode)s recording.")
                                           % {"mode": modality_names()[source.upload.modality]}, field="modality")
                modality = source.upload.modality
            elif not modality:
                declared = str(getattr(file, "content_type", "") or "")
                modality = "video" if declared.startswith("video/") else "audio"
            chosen = recorded_modality(session, modality)
            if source.size == 0:
                raise ValidationFailed(_("The recording is empty (0 bytes). Please record your answer again or type "
                                         "it."), field="media")
            if source.size > max_media_bytes():
                raise too_large()
            source.handle.seek(0)
            kind = sniff_format(source.handle.read(SNIFF_BYTES))
            if kind is None:
                raise UnsupportedMediaType(_("This file is not a voice or video recording (WebM, Ogg, MP4, WAV or MP3 "
                                             "expected). Please record your answer again or type it."))
            _start(session, found, now)
            # A chunked upload's last byte is when the recording was finished; the submission may follow later.
            finished = min(now, source.upload.updated_at) if source.upload is not None else now
            late = is_overdue(found, finished)
            if late and not session.accept_late_answers:
                raise time_up()
            if answer.status in RECORDING_FAILED:
                recording_discard(answer)  # the new recording replaces the one that could not be used
            digest = _sha256(source.handle)
            name = f"{uuid.uuid4().hex}.{EXTENSIONS.get(kind, 'bin')}"
            answer.media.save(name, File(source.handle), save=False)
        stored = str(answer.media.name)
        try:
            _reset_for_analysis(answer, now=now)
            answer.modality, answer.media_format, answer.media_bytes = chosen, kind, source.size
            answer.media_sha256, answer.is_late = digest, late
            answer.save()
            if source.upload is not None:
                delete_later(storage_of("file"), str(source.upload.file.name or ""))
                source.upload.status, source.upload.file = MediaUpload.Status.USED, ""
                source.upload.save(update_fields=["status", "file", "updated_at"])
        except BaseException:
            delete_now(storage_of(), stored)
            raise
        answer_id = answer.pk
        transaction.on_commit(lambda: answer_media_analyse_task.delay(answer_id))
    answer.refresh_from_db()
    return Submitted(answer=answer, question=found, warning="")


def _reset_for_analysis(answer: InterviewAnswer, *, now: datetime) -> None:
    answer.status, answer.status_detail, answer.submitted_at = AnswerStatus.PROCESSING, "", now
    answer.text, answer.transcript, answer.transcript_original, answer.asr_backend = "", "", "", ""
    answer.transcript_corrected_by, answer.transcript_corrected_at = None, None
    answer.media_seconds, answer.media_deleted_at = None, None
    answer.delivery, answer.delivery_used_in_score = {}, False
    answer.analysis_attempts, answer.analysed_at = 0, None
    answer.score, answer.subscores, answer.evidence, answer.engine, answer.scored_at = None, {}, [], {}, None
    answer.missing_key_points, answer.matched_key_points, answer.flags = [], [], []
    answer.language_mismatch = False


# --- The analysis (a worker runs it) -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    status: str  # scored (a transcript to score), no_speech, unreadable, too_long, failed, or RETRY
    detail: str = ""
    analysis: MediaAnalysis | None = None


def _locked_answer(answer_id: int) -> InterviewAnswer | None:
    return (
        InterviewAnswer.objects.select_for_update(of=("self",))
        .select_related("session_question__session__application__job", "session_question__competency")
        .filter(pk=answer_id).first()
    )


@contextmanager
def _local_path(name: str) -> Iterator[str | None]:
    """A path on this machine to the stored recording (a temporary copy for object storage); None if missing."""
    storage = storage_of()
    try:
        path = storage.path(name)
    except NotImplementedError:
        if not storage.exists(name):
            yield None
            return
        suffix = os.path.splitext(name)[1]
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy, storage.open(name, "rb") as remote:
            shutil.copyfileobj(remote, copy)
            copy.flush()
            yield copy.name
        return
    yield path if os.path.exists(path) else None


def _analyse(name: str, *, modality: str, language: str) -> _Outcome:
    """Run the engine on a recording; every way it can fail becomes the answer's status and a sentence for HR."""
    from talentloop.assessment.media import (
        ASRUnavailable,
        MediaTooLong,
        MediaUnreadable,
        UnsupportedMedia,
        analyse_media,
    )

    recognizer = asr.recognizer_for_language(language)
    if recognizer is None:
        reason = asr.recognizer_error(language) or "no speech recogniser"
        return _Outcome(AnswerStatus.FAILED, status_detail_make(ASR_FAILED_DETAIL, reason))
    with _local_path(name) as path:
        if path is None:
            return _Outcome(AnswerStatus.UNREADABLE, status_detail_make(UNREADABLE_DETAIL, "the recording file is "
                                                                        "missing"))
        try:
            analysis = analyse_media(
                path, language=asr.ENGINE_LANGUAGE.get(language, language), recognizer=recognizer,
                video=modality == "video", max_seconds=float(max_media_seconds()), fps=video_sample_fps(),
            )
        except MediaTooLong as error:
            return _Outcome(AnswerStatus.TOO_LONG, status_detail_make(TOO_LONG_DETAIL, _detail(error)))
        except (MediaUnreadable, UnsupportedMedia) as error:
            return _Outcome(AnswerStatus.UNREADABLE, status_detail_make(UNREADABLE_DETAIL, _detail(error)))
        except ASRUnavailable as error:
            return _Outcome(RETRY, status_detail_make(ASR_FAILED_DETAIL, _detail(error)))
        except Exception as error:  # an engine bug must not leave the answer processing for ever
            logger.exception("Analysis of recording %s failed", name)
            return _Outcome(AnswerStatus.UNREADABLE, status_detail_make(
                UNREADABLE_DETAIL, f"the analysis stopped with an error ({type(error).__name__})"))
    if analysis.no_speech or analysis.transcript is None or not analysis.transcript.text.strip():
        return _Outcome(AnswerStatus.NO_SPEECH, NO_SPEECH_DETAIL, analysis)
    return _Outcome(AnswerStatus.SCORED, "", analysis)


def _detail(error: Exception) -> str:
    return str(getattr(error, "detail", "") or error or type(error).__name__)


def answer_media_analyse(*, answer_id: int, defer: bool = False) -> InterviewAnswer | None:
    """Analyse a submitted recording and score its transcript (idempotent: does nothing unless the answer is
    `processing`; the result is written only if it still is, with the same recording). The attempt is counted
    before the analysis starts, so a recording that keeps killing its worker ends `unreadable` after
    MAX_ATTEMPTS instead of looping. A speech recogniser that cannot be reached raises TranscriptionDeferred when
    `defer` (a worker retries later) until MAX_ATTEMPTS; otherwise the answer is `failed` with the reason. When
    this was the last answer of a completed interview the report build is queued."""
    with transaction.atomic():
        answer = _locked_answer(answer_id)
        if answer is None or answer.status != AnswerStatus.PROCESSING:
            return answer
        if answer.analysis_attempts >= MAX_ATTEMPTS:
            detail = status_detail_make(UNREADABLE_DETAIL, f"the analysis did not finish after {MAX_ATTEMPTS} attempts")
            _write(answer, _Outcome(AnswerStatus.UNREADABLE, detail))
            return answer
        answer.analysis_attempts += 1
        answer.save(update_fields=["analysis_attempts", "updated_at"])
        digest, name, modality = answer.media_sha256, str(answer.media.name or ""), answer.modality
        language, attempts = answer.session_question.session.language, answer.analysis_attempts
    outcome = _analyse(name, modality=modality, language=language)
    if outcome.status == RETRY:
        if defer and attempts < MAX_ATTEMPTS:
            raise asr.TranscriptionDeferred(outcome.detail)
        outcome = _Outcome(AnswerStatus.FAILED, outcome.detail)
    with transaction.atomic():
        answer = _locked_answer(answer_id)
        if answer is None or answer.status != AnswerStatus.PROCESSING or answer.media_sha256 != digest:
            return answer  # another run wrote the result, or the recording was replaced meanwhile
        _write(answer, outcome)
    return answer


def _write(answer: InterviewAnswer, outcome: _Outcome) -> None:
    """Store an analysis outcome on a locked `processing` answer; score it when there is a transcript."""
    from ..tasks import report_build_task

    question = answer.session_question
    session = question.session
    now = timezone.now()
    analysis = outcome.analysis
    answer.analysed_at, answer.status_detail = now, outcome.detail
    if analysis is not None:
        answer.media_format = str(analysis.format)[:60] or answer.media_format
        answer.media_seconds = float(analysis.duration_s)
        answer.delivery = dict(analysis.delivery or {})
        if analysis.transcript is not None:
            answer.asr_backend = str(analysis.transcript.backend)[:60]
    if outcome.status == AnswerStatus.SCORED and analysis is not None and analysis.transcript is not None:
        text = analysis.transcript.text.strip()
        answer.transcript = answer.transcript_original = answer.text = text
        answer_text_score(answer, question, session)
    else:
        answer.status = outcome.status
        if outcome.status in RECORDING_FAILED and session.status == Status.COMPLETED:
            answer_mark_unanswered(answer, now)  # handed in meanwhile: it counts as unanswered
        elif outcome.status == AnswerStatus.FAILED:
            answer.scored_at = now
    answer.save()
    if session.status == Status.COMPLETED:
        session_id = session.pk
        transaction.on_commit(lambda: report_build_task.delay(session_id))


# --- HR: correcting a transcript, downloading a recording -----------------------------------------------------


def answer_transcript_correct(
    *, actor: User, session: InterviewSession, position: int, transcript: Any,
) -> InterviewAnswer:
    """HR corrects what the speech recogniser heard (whoever may rate the answer may correct it). The
    recogniser's transcript is kept (`transcript_original`); the answer is scored again from the correction,
    and a ready report is built again with the new score."""
    require_role(actor, RECRUITING_ROLES)
    if not isinstance(transcript, str) or not transcript.strip():
        raise ValidationFailed(_("Write the corrected transcript."), field="transcript")
    value = transcript.strip()
    limit = max_answer_chars()
    if len(value) > limit:
        raise ValidationFailed(_("The transcript is %(length)d characters long; the limit is %(limit)d.")
                               % {"length": len(value), "limit": limit}, field="transcript")
    with transaction.atomic():
        session = session_for_hr(actor=actor, session_id=session.pk)
        answer = (
            _locked_rows().filter(session_question__session=session, session_question__position=position).first()
        )
        if answer is None or answer.modality not in RECORDED:
            if not session.questions.filter(position=position).exists():
                raise NotFound(_("This interview has no question %(n)d.") % {"n": position})
            raise Conflict(_("Question %(n)d was not answered by voice or video, so there is no transcript to "
                             "correct.") % {"n": position})
        if answer.status == AnswerStatus.PROCESSING:
            raise Conflict(_("The recording of question %(n)d is still being analysed; correct its transcript once "
                             "it is done.") % {"n": position})
        old = answer.transcript
        if answer.transcript_corrected_at is None:
            answer.transcript_original = answer.transcript
        answer.transcript, answer.text = value, value
        answer.transcript_corrected_by, answer.transcript_corrected_at = actor, timezone.now()
        answer.flags = [flag for flag in answer.flags or [] if flag != UNANSWERED]
        answer.status_detail = "" if answer.status in RECORDING_FAILED else answer.status_detail
        answer.submitted_at = answer.submitted_at or timezone.now()
        answer_text_score(answer, answer.session_question, answer.session_question.session)
        answer.save()
        audit_record(actor=actor, obj=answer, action=AuditEntry.Action.UPDATE, changes={"transcript": (old, value)})
        rebuild = session.status == Status.COMPLETED
        if rebuild:
            InterviewReport.objects.filter(session=session, status=InterviewReport.Status.READY).update(
                status=InterviewReport.Status.SCORING, updated_at=timezone.now()
            )
    if rebuild:
        report_build(session_id=session.pk)
    answer.refresh_from_db()
    return answer


def _locked_rows() -> Any:
    return InterviewAnswer.objects.select_for_update(of=("self",)).select_related(
        "session_question__session__application__job", "session_question__competency"
    )


@dataclass(frozen=True)
class Recording:
    file: IO[bytes]
    filename: str
    content_type: str
    size: int | None


def answer_media_file(*, actor: User, session_id: int, position: int) -> Recording:
    """The recording of one answer, opened for reading, for whoever may see the interview's report. NotFound
    when the answer has no recording, or it was deleted after the retention period."""
    session = session_for_hr(actor=actor, session_id=session_id)
    answer = (
        InterviewAnswer.objects.filter(session_question__session=session, session_question__position=position)
        .first()
    )
    if answer is None or answer.modality not in RECORDED:
        raise NotFound(_("Question %(n)d has no recording.") % {"n": position})
    if answer.media_deleted_at is not None:
        raise NotFound(_("The recording of question %(n)d was deleted after the retention period; its transcript "
                         "and scores are kept.") % {"n": position})
    if not answer.media:
        raise NotFound(_("Question %(n)d has no recording.") % {"n": position})
    try:
        handle = storage_of().open(str(answer.media.name), "rb")
    except OSError:
        raise NotFound(_("Question %(n)d has no recording.") % {"n": position}) from None
    kind = (answer.media_format or "").split("/", 1)[0]
    extension = EXTENSIONS.get(kind, "bin")
    return Recording(
        file=handle, filename=f"interview-{session.pk}-answer-{position}.{extension}",
        content_type=CONTENT_TYPES.get((kind, answer.modality), "application/octet-stream"),
        size=answer.media_bytes,
    )


# --- Retention ------------------------------------------------------------------------------------------------


def media_retention_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete the recordings older than the retention (TALENTLOOP_MEDIA_RETENTION_DAYS; 0 keeps them), keeping
    their transcripts, delivery metrics and scores, and the uploads abandoned for STALE_UPLOAD. Returns how many
    recordings were deleted."""
    now = now or timezone.now()
    days = media_retention_days() if days is None else int(days)
    deleted = 0
    if days > 0:
        cutoff = now - timedelta(days=days)
        due = list(
            InterviewAnswer.objects.filter(media_deleted_at__isnull=True, submitted_at__lt=cutoff)
            .exclude(media="").exclude(status=AnswerStatus.PROCESSING).values_list("pk", flat=True)
        )
        for answer_id in due:
            with transaction.atomic():
                answer = InterviewAnswer.objects.select_for_update().filter(
                    pk=answer_id, media_deleted_at__isnull=True).exclude(media="").first()
                if answer is None:
                    continue
                delete_now(storage_of(), str(answer.media.name))
                answer.media = ""
                answer.media_deleted_at = now
                answer.save(update_fields=["media", "media_deleted_at", "updated_at"])
                deleted += 1
    for upload in MediaUpload.objects.filter(updated_at__lt=now - STALE_UPLOAD):
        if upload.file:
            delete_now(storage_of("file"), str(upload.file.name))
        upload.delete()
    if deleted:
        logger.info("Deleted %d interview recording(s) older than %d days", deleted, days)
    return deleted


# The upload services are part of this module's contract (services.media.upload_start, ...).
__all__ = [
    "MAX_ATTEMPTS",
    "Recording",
    "UploadGap",
    "answer_media_analyse",
    "answer_media_file",
    "answer_media_submit",
    "answer_transcript_correct",
    "media_retention_purge",
    "too_large",
    "upload_append",
    "upload_start",
    "upload_status",
]
