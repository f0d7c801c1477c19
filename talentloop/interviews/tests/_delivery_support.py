"""Test data of the delivery tests (test_delivery_*.py): a finished interview (from _reports_support) whose two
answers were recorded, one by voice and one on video, stored as the media service stores them — the
transcript, the recogniser's name and the engine's delivery dict — without real media (the page, the PDF and
the feedback only read the stored rows; the media pipeline has its own tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from talentloop.interviews.models import InterviewAnswer, InterviewSession
from talentloop.org.models import Job

from ._reports_support import Interview, make_application, make_interview, make_job

ENGINE = {"name": "talentloop-media", "version": "1.0", "parameters": {"vad_aggressiveness": 2, "fps": 2.0}}
EN_BACKEND = "pocketsphinx 5.1.1 (en-us)"
ZH_BACKEND = "vosk 0.3.45 (zh-cn)"
EN_TRANSCRIPT = "When a customer complained I said <script>alert('x')</script> sorry & wrote it down."
ZH_TRANSCRIPT = "客户投诉时我先道歉，<b>记录问题</b> & 跟进。"
CONSENT_AT = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)
VIDEO_CONSENT_AT = dt.datetime(2026, 3, 2, 9, 16, tzinfo=dt.UTC)


def _timeline(seconds: int, *, video: bool, pauses: Sequence[range] = (), no_face: Sequence[range] = (),
              away: Sequence[range] = ()) -> list[dict[str, Any]]:
    bins = []
    for t in range(seconds):
        silent = any(t in r for r in pauses)
        item: dict[str, Any] = {
            "t": float(t), "speech": 0.0 if silent else round(0.6 + 0.05 * (t % 7), 2),
            "loudness_db": -54.0 if silent else -20.0 - (t % 5),
        }
        if video:
            missing = any(t in r for r in no_face)
            item["face"] = 0 if missing else 1
            item["looking"] = 0 if missing or any(t in r for r in away) else 1
        bins.append(item)
    return bins


# A 42-second voice answer with long pauses and many fillers.
AUDIO_DELIVERY: dict[str, Any] = {
    "engine": ENGINE,
    "audio": {"duration_s": 42.0, "speech_s": 24.8, "speaking_rate": 128.0, "rate_unit": "wpm", "pause_ratio": 0.41,
              "longest_pause_s": 4.6, "pause_count": 9, "pitch_range_st": 8.1, "pitch_sd_st": 2.3,
              "loudness_sd_db": 4.2, "speech_level_dbfs": -21.0, "filler_count": 9, "filler_rate": 21.8,
              "fillers": ["um", "uh"]},
    "video": None,
    "flags": ["long_pauses", "many_fillers"],
    "timeline": _timeline(42, video=False, pauses=[range(5, 10), range(20, 24), range(33, 37)]),
    "score": 61.5,
}

# A 20-second video answer, spoken fast, with another face in view from 10 to 14 s and nobody from 16 to 18 s.
VIDEO_DELIVERY: dict[str, Any] = {
    "engine": ENGINE,
    "audio": {"duration_s": 20.0, "speech_s": 17.5, "speaking_rate": 192.0, "rate_unit": "wpm", "pause_ratio": 0.12,
              "longest_pause_s": 0.9, "pause_count": 3, "pitch_range_st": 6.4, "pitch_sd_st": 1.8,
              "loudness_sd_db": 3.1, "speech_level_dbfs": -18.0, "filler_count": 0, "filler_rate": 0.0,
              "fillers": []},
    "video": {"duration_s": 20.0, "frames_sampled": 40, "face_present_ratio": 0.9, "looking_at_camera_ratio": 0.55,
              "multiple_faces_s": 4.0, "no_face_s": 2.0, "head_movement": 0.04,
              "moments": [{"start": 10.0, "end": 14.0, "kind": "multiple_faces"},
                          {"start": 16.0, "end": 18.0, "kind": "no_face"}]},
    "flags": ["fast_speech", "multiple_faces", "looking_away"],
    "timeline": _timeline(20, video=True, pauses=[range(18, 20)], no_face=[range(16, 18)], away=[range(2, 8)]),
    "score": 70.0,
}


def consent_json(language: str, agreed: Sequence[str]) -> dict[str, Any]:
    modalities = {
        code: {"given": code in agreed, "at": at.isoformat() if code in agreed else None, "wording": f"{code} consent"}
        for code, at in (("audio", CONSENT_AT), ("video", VIDEO_CONSENT_AT))
    }
    return {"version": "2026-1", "language": language, "text": "consent text",
            "analyses": ["text", *[m for m in ("audio", "video") if m in agreed]], "modalities": modalities}


def make_recorded_interview(
    org: dict[str, Any], *, language: str = "en", delivery_in_score: bool = False,
    agreed: Sequence[str] = ("audio", "video"), used_in_score: bool = False,
) -> Interview:
    """The interview of _reports_support with answer 1 given by voice and answer 2 on video."""
    english = language == "en"
    job: Job = make_job(org["departments"]["sales"], title="Account Manager" if english else "客户经理")
    Job.objects.filter(pk=job.pk).update(interview_modalities=["text", "audio", "video"],
                                         delivery_in_score=delivery_in_score)
    application = make_application(job, name="Emily Chen" if english else "张伟",
                                   email="emily@example.com" if english else "zhang@example.com", language=language)
    interview = make_interview(application, language=language)
    InterviewSession.objects.filter(pk=interview.session.pk).update(
        modalities=["text", "audio", "video"], consent=consent_json(language, agreed), consented_at=CONSENT_AT,
    )
    answers = list(InterviewAnswer.objects.filter(session_question__session=interview.session)
                   .order_by("session_question__position"))
    backend = EN_BACKEND if english else ZH_BACKEND
    voice, video = answers
    voice_text = voice.text
    InterviewAnswer.objects.filter(pk=voice.pk).update(
        modality="audio", transcript=voice_text, asr_backend=backend, delivery=AUDIO_DELIVERY,
        media=f"interviews/media/{interview.session.pk}/1-answer.webm", media_format="webm/opus",
        media_bytes=336_000, media_seconds=42.0, media_sha256="a" * 64,
        delivery_used_in_score=used_in_score and "audio" in agreed, analysed_at=timezone.now(),
    )
    transcript = EN_TRANSCRIPT if english else ZH_TRANSCRIPT
    InterviewAnswer.objects.filter(pk=video.pk).update(
        modality="video", transcript=transcript, text=transcript, asr_backend=backend, delivery=VIDEO_DELIVERY,
        media=f"interviews/media/{interview.session.pk}/2-answer.mp4", media_format="mp4/h264+aac",
        media_bytes=2_400_000, media_seconds=20.0, media_sha256="b" * 64,
        delivery_used_in_score=used_in_score and "video" in agreed, analysed_at=timezone.now(),
    )
    interview.session.refresh_from_db()
    return interview
