"""Delivery signals of recorded answers in the reader's language: the metrics with a plain explanation and the
typical range (the engine's TYPICAL_RANGES), the flags as sentences, the timeline chart's words, the candidate's
delivery tips, and what counted in the scores.

The engine (talentloop.assessment.media) stores numbers and flag codes only; the words are written here, through
gettext. They describe how an answer was delivered (pace, pauses, loudness, presence on camera) and never label
a mood, a feeling or a personality. Flags about the video (no face, several faces) point HR at moments of the
recording to check; they are never a conclusion about the candidate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentloop.assessment.media import DELIVERY_FLAGS, TYPICAL_RANGES

from .delivery_chart import WIDTH, ChartText, TimelineChart, timeline_chart, timeline_svg
from .explain import chinese
from .models import InterviewAnswer, InterviewSession
from .services import rules
from .services.scoring import DELIVERY_WEIGHT

RECORDED: tuple[str, ...] = ("audio", "video")
# Flags that may point at someone helping or standing in: for HR to check in the recording, never a verdict.
CHECK_FLAGS: frozenset[str] = frozenset({"no_face", "multiple_faces"})
VIDEO_FLAGS: frozenset[str] = frozenset({"no_face", "multiple_faces", "looking_away", "much_movement"})


def modality_name(code: str) -> str:
    """Text, Voice or Video (the answer model's labels)."""
    return str(InterviewAnswer.Modality(code).label) if code in InterviewAnswer.Modality.values else code


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# A number with its unit, "%(n)s" the number or a range of numbers ("110–170 words a minute").
UNITS: dict[str, Promise] = {
    "percent": gettext_lazy("%(n)s%%"),
    "seconds": gettext_lazy("%(n)s s"),
    "semitones": gettext_lazy("%(n)s semitones"),
    "db": gettext_lazy("%(n)s dB"),
    "dbfs": gettext_lazy("%(n)s dBFS"),
    "per_minute": gettext_lazy("%(n)s a minute"),
    "wpm": gettext_lazy("%(n)s words a minute"),
    "cpm": gettext_lazy("%(n)s characters a minute"),
    "face_widths": gettext_lazy("%(n)s face widths a second"),
}


@dataclass(frozen=True)
class Metric:
    key: str  # the key in delivery["audio"] / delivery["video"], and in TYPICAL_RANGES
    section: str  # "audio" | "video"
    label: Promise
    explanation: Promise
    unit: str  # a key of UNITS ("rate": words or characters a minute, from the answer's rate_unit)
    decimals: int = 1
    scale: float = 1.0  # 100 for ratios shown in percent


METRICS: tuple[Metric, ...] = (
    Metric("speaking_rate", "audio", gettext_lazy("Speaking rate"),
           gettext_lazy("How fast the candidate spoke while speaking (pauses left out)."), "rate", 0),
    Metric("pause_ratio", "audio", gettext_lazy("Pauses"),
           gettext_lazy("The share of the answer spent in pauses between words."), "percent", 0, 100),
    Metric("longest_pause_s", "audio", gettext_lazy("Longest pause"),
           gettext_lazy("The longest silence between two stretches of speech."), "seconds"),
    Metric("pitch_range_st", "audio", gettext_lazy("Pitch range"),
           gettext_lazy("How far the voice's pitch moved up and down, in semitones; a small range means an even, "
                        "level voice."), "semitones"),
    Metric("loudness_sd_db", "audio", gettext_lazy("Loudness variation"),
           gettext_lazy("How much the loudness changed during speech (standard deviation, in decibels)."), "db"),
    Metric("speech_level_dbfs", "audio", gettext_lazy("Speech level"),
           gettext_lazy("How loud the speech is in the recording, in decibels below the loudest a recording can "
                        "hold (0 dBFS); very low values are hard to hear."), "dbfs", 0),
    Metric("filler_rate", "audio", gettext_lazy("Filler words"),
           gettext_lazy("Filler words such as “um” and “uh” per minute of speech, from the transcript."),
           "per_minute"),
    Metric("face_present_ratio", "video", gettext_lazy("Face in view"),
           gettext_lazy("The share of the sampled video frames in which a face was in view."), "percent", 0, 100),
    Metric("looking_at_camera_ratio", "video", gettext_lazy("Looking toward the camera"),
           gettext_lazy("The share of the sampled frames in which the face was turned toward the camera."),
           "percent", 0, 100),
    Metric("head_movement", "video", gettext_lazy("Head movement"),
           gettext_lazy("How fast the face moved across the picture, in face widths a second (0 is still)."),
           "face_widths", 2),
)
BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}


def _with_unit(unit: str, number: str) -> str:
    return str(UNITS[unit]) % {"n": number}


def _unit_of(metric: Metric, rate_unit: str) -> str:
    return ("cpm" if rate_unit == "cpm" else "wpm") if metric.unit == "rate" else metric.unit


def measure(key: str, value: float | None, *, rate_unit: str = "wpm") -> str:
    """A metric's value as people read it: "128 words a minute", "41%", "4.6 s"; "—" without a value."""
    if value is None:
        return "—"
    metric = BY_KEY[key]
    return _with_unit(_unit_of(metric, rate_unit), _fixed(value * metric.scale, metric.decimals))


def percent(value: float) -> str:
    return _with_unit("percent", _fixed(value * 100, 0))


def _seconds(value: float) -> str:
    return _with_unit("seconds", _fixed(value, 1))


def typical_range(key: str, *, unit: str = "wpm") -> tuple[float, float] | None:
    """The engine's typical range of a metric; the speaking rate's depends on its unit (words or characters)."""
    candidates: list[Any] = []
    if key == "speaking_rate":
        candidates.append(TYPICAL_RANGES.get(f"speaking_rate_{unit}"))
    candidates.append(TYPICAL_RANGES.get(key))
    for found in candidates:
        if isinstance(found, Mapping):
            found = found.get(unit)
        if isinstance(found, Sequence) and len(found) == 2:
            low, high = _number(found[0]), _number(found[1])
            if low is not None and high is not None:
                return low, high
    return None


def typical_text(key: str, *, rate_unit: str = "wpm") -> str:
    """The typical range as people read it ("110–170 words a minute", "0–35%"); "" when the engine has none."""
    found = typical_range(key, unit=rate_unit)
    if found is None:
        return ""
    metric = BY_KEY[key]
    low, high = (_fixed(bound * metric.scale, metric.decimals) for bound in found)
    # A dash between negative numbers reads as a double minus: "-35 to -6 dBFS".
    span = _("%(low)s to %(high)s") % {"low": low, "high": high} if found[0] < 0 else f"{low}–{high}"
    return _with_unit(_unit_of(metric, rate_unit), span)


@dataclass(frozen=True)
class MetricRow:
    key: str
    section: str
    label: str
    value: str
    explanation: str
    typical: str  # "110–170 words a minute", or "" when the engine gives none
    position: str  # "below" | "within" | "above" | "" (no typical range)
    position_label: str


POSITION_LABELS: dict[str, Promise] = {
    "below": gettext_lazy("below the typical range"),
    "within": gettext_lazy("within the typical range"),
    "above": gettext_lazy("above the typical range"),
}


def metric_rows(delivery: Mapping[str, Any]) -> list[MetricRow]:
    """The metrics the engine measured for this answer (absent ones left out), in a fixed order."""
    rows = []
    for metric in METRICS:
        section = delivery.get(metric.section)
        if not isinstance(section, Mapping):
            continue
        value = _number(section.get(metric.key))
        if value is None:
            continue
        rate_unit = str(section.get("rate_unit") or "wpm")
        found = typical_range(metric.key, unit=rate_unit)
        position = "" if found is None else "below" if value < found[0] else "above" if value > found[1] else "within"
        explanation = str(metric.explanation)
        if metric.key == "speaking_rate" and rate_unit == "cpm":
            explanation = _("How fast the candidate spoke while speaking, in Chinese characters a minute (pauses "
                            "left out).")
        rows.append(MetricRow(
            key=metric.key, section=metric.section, label=str(metric.label),
            value=measure(metric.key, value, rate_unit=rate_unit), explanation=explanation,
            typical=typical_text(metric.key, rate_unit=rate_unit), position=position,
            position_label=str(POSITION_LABELS[position]) if position else "",
        ))
    return rows


# --- flags --------------------------------------------------------------------------------------------------


def _moments(delivery: Mapping[str, Any], kind: str) -> list[tuple[float, float]]:
    video = delivery.get("video")
    spans = []
    for item in (video.get("moments") or []) if isinstance(video, Mapping) else []:
        if not isinstance(item, Mapping) or item.get("kind") != kind:
            continue
        start, end = _number(item.get("start")), _number(item.get("end"))
        if start is not None and end is not None and end > start:
            spans.append((start, end))
    return spans


def _spans_text(spans: Sequence[tuple[float, float]], limit: int = 4) -> str:
    shown = [_("%(start)s–%(end)s s") % {"start": _fixed(a, 1), "end": _fixed(b, 1)} for a, b in spans[:limit]]
    if len(spans) > limit:
        shown.append(_("and %(n)d more") % {"n": len(spans) - limit})
    return ", ".join(shown)


def _metric(delivery: Mapping[str, Any], section: str, key: str) -> float | None:
    part = delivery.get(section)
    return _number(part.get(key)) if isinstance(part, Mapping) else None


def _check_sentence(delivery: Mapping[str, Any], *, kind: str, seconds_key: str, with_spans: str,
                    without_spans: str) -> str:
    spans = _moments(delivery, kind)
    seconds = _metric(delivery, "video", seconds_key)
    if seconds is None:
        seconds = sum(b - a for a, b in spans)
    params = {"seconds": _fixed(seconds, 1), "spans": _spans_text(spans)}
    return (with_spans if spans else without_spans) % params


def flag_sentence(code: str, delivery: Mapping[str, Any]) -> str:
    """One sentence for HR about a flag, with the numbers behind it."""
    audio = delivery.get("audio")
    rate_unit = str(audio.get("rate_unit") or "wpm") if isinstance(audio, Mapping) else "wpm"

    def fact(section: str, key: str) -> dict[str, str]:
        return {"value": measure(key, _metric(delivery, section, key), rate_unit=rate_unit),
                "typical": typical_text(key, rate_unit=rate_unit) or "—"}

    if code == "fast_speech":
        return _("Spoke faster than is typical: %(value)s (typical %(typical)s).") % fact("audio", "speaking_rate")
    if code == "slow_speech":
        return _("Spoke more slowly than is typical: %(value)s (typical %(typical)s).") % fact("audio",
                                                                                                "speaking_rate")
    if code == "long_pauses":
        return _("Long pauses: the longest lasted %(longest)s, and pauses took %(share)s of the answer.") % {
            "longest": measure("longest_pause_s", _metric(delivery, "audio", "longest_pause_s")),
            "share": measure("pause_ratio", _metric(delivery, "audio", "pause_ratio")),
        }
    if code == "many_fillers":
        words = [str(w) for w in (audio.get("fillers") or [] if isinstance(audio, Mapping) else [])][:5]
        params = {**fact("audio", "filler_rate"), "words": ", ".join(f"“{w}”" for w in words)}
        if words:
            return _("Many filler words: %(value)s (%(words)s).") % params
        return _("Many filler words: %(value)s.") % params
    if code == "quiet":
        if _metric(delivery, "audio", "speech_level_dbfs") is None:
            return _("The voice is quiet in the recording: listen to check that the words are clear.")
        return _("The voice is quiet in the recording: %(value)s (typical %(typical)s). Listen to check that the "
                 "words are clear.") % fact("audio", "speech_level_dbfs")
    if code == "narrow_pitch":
        return _("The pitch stayed within a narrow range: %(value)s (typical %(typical)s).") % fact(
            "audio", "pitch_range_st")
    if code == "no_face":
        return _check_sentence(
            delivery, kind="no_face", seconds_key="no_face_s",
            with_spans=_("No face was in view for %(seconds)s s (%(spans)s): check the recording."),
            without_spans=_("No face was in view for %(seconds)s s: check the recording."),
        )
    if code == "multiple_faces":
        return _check_sentence(
            delivery, kind="multiple_faces", seconds_key="multiple_faces_s",
            with_spans=_("Several faces were in view for %(seconds)s s (%(spans)s): check the recording."),
            without_spans=_("Several faces were in view for %(seconds)s s: check the recording."),
        )
    if code == "looking_away":
        return _("The face was turned toward the camera in %(value)s of the frames (typical %(typical)s).") % fact(
            "video", "looking_at_camera_ratio")
    if code == "much_movement":
        return _("The head moved a lot between frames: %(value)s (typical %(typical)s).") % fact(
            "video", "head_movement")
    return _("Signal to look at: %(code)s.") % {"code": code}


@dataclass(frozen=True)
class FlagLine:
    code: str
    sentence: str
    check: bool  # a moment for HR to check in the recording


def flag_lines(delivery: Mapping[str, Any]) -> list[FlagLine]:
    """The answer's flags in the engine's order of DELIVERY_FLAGS (unknown codes last)."""
    codes = [str(code) for code in delivery.get("flags") or []]
    order = {code: index for index, code in enumerate(DELIVERY_FLAGS)}
    codes = sorted(dict.fromkeys(codes), key=lambda code: (order.get(code, len(order)), code))
    return [FlagLine(code, flag_sentence(code, delivery), code in CHECK_FLAGS) for code in codes]


# --- the timeline chart -------------------------------------------------------------------------------------


def _chart_description(delivery: Mapping[str, Any], duration: float) -> str:
    parts = [_("Answer of %(seconds)s.") % {"seconds": _seconds(duration)}]
    speech = _metric(delivery, "audio", "speech_s")
    if speech is not None:
        parts.append(_("Speech during %(seconds)s.") % {"seconds": _seconds(speech)})
    face = _metric(delivery, "video", "face_present_ratio")
    if face is not None:
        parts.append(_("A face was in view in %(share)s of the frames.") % {"share": percent(face)})
    for kind, label in (("no_face", _("No face in view")), ("multiple_faces", _("Several faces in view"))):
        spans = _moments(delivery, kind)
        if spans:
            parts.append(f"{label}: {_spans_text(spans)}.")
    return " ".join(parts)


def chart_text(delivery: Mapping[str, Any], duration: float) -> ChartText:
    return ChartText(
        title=_("Delivery over time: speech, loudness and presence on camera, second by second"),
        description=_chart_description(delivery, duration),
        voice=_("Speech and loudness"), face=_("Face in view"), looking=_("Looking toward the camera"),
        speech_legend=_("Speech"), loudness_legend=_("Loudness"), moment_legend=_("Moment to check"),
        moment_names={"no_face": _("No face in view"), "multiple_faces": _("Several faces in view")},
        seconds=_("%(n)s s"),
    )


def _duration(delivery: Mapping[str, Any]) -> float | None:
    for section in ("audio", "video"):
        value = _metric(delivery, section, "duration_s")
        if value is not None:
            return value
    return None


def delivery_chart(delivery: Mapping[str, Any], *, width: float = WIDTH) -> TimelineChart | None:
    """The chart's geometry (delivery_chart.TimelineChart) for the page and the PDF, or None without a timeline."""
    timeline = delivery.get("timeline")
    video = delivery.get("video")
    moments = (video.get("moments") or []) if isinstance(video, Mapping) else []
    if not isinstance(timeline, list):
        return None
    text = chart_text(delivery, 0.0)
    return timeline_chart(timeline, moments, duration=_duration(delivery), labels=(text.voice, text.face, text.looking),
                          width=width)


def delivery_svg(delivery: Mapping[str, Any], *, uid: str) -> str:
    """The timeline as inline SVG (every text in it escaped), or "" without a timeline."""
    chart = delivery_chart(delivery)
    if chart is None:
        return ""
    return timeline_svg(chart, chart_text(delivery, chart.duration), uid=uid)


# --- consent and what counted in the scores -----------------------------------------------------------------


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _when(value: dt.datetime | None) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value is not None else ""


@dataclass(frozen=True)
class ConsentLine:
    modality: str
    name: str
    given: bool
    at: str  # "2026-03-01 10:20", or ""


def consent_lines(session: InterviewSession) -> list[ConsentLine]:
    """Per offered modality: whether the candidate agreed to its analysis, and when ([] before consent)."""
    if session.consented_at is None:
        return []
    agreed = rules.consented_modalities(session)
    modalities = (session.consent or {}).get("modalities")
    lines = []
    for code in rules.offered_modalities(session):
        at: dt.datetime | None = session.consented_at
        if code != "text" and isinstance(modalities, Mapping) and isinstance(modalities.get(code), Mapping):
            at = _moment(modalities[code].get("at")) or session.consented_at
        given = code in agreed
        lines.append(ConsentLine(code, modality_name(code), given, _when(at) if given else ""))
    return lines


def scoring_line(*, delivery_in_score: bool, consented: Sequence[str]) -> str:
    """Which signals counted in the scores, for the top of the HR report."""
    if not delivery_in_score:
        return _("Delivery signals are shown but do not count in scores: every score comes from the content of the "
                 "answers (typed, or the transcript of a recording).")
    recorded = [code for code in RECORDED if code in consented]
    if not recorded:
        return _("Delivery signals count in scores for this job, but the candidate did not agree to voice or video "
                 "analysis, so every score comes from the content of the answers.")
    return _("Delivery signals count in scores: %(percent)s of each recorded answer's score (%(modes)s answers; "
             "the rest from the transcript's content). Typed answers are scored on their content only.") % {
        "percent": percent(DELIVERY_WEIGHT),
        "modes": ("、" if chinese() else ", ").join(modality_name(c).lower() for c in recorded),
    }


def retention_days() -> int:
    return int(getattr(settings, "TALENTLOOP_MEDIA_RETENTION_DAYS", 90))


def deleted_sentence(*, deleted_at: dt.datetime, submitted_at: dt.datetime | None) -> str:
    days = retention_days()
    if days <= 0 and submitted_at is not None:
        days = max(0, (deleted_at - submitted_at).days)
    return _("Recording deleted after %(days)d days; transcript and scores kept.") % {"days": days}


# --- the candidate's delivery tips --------------------------------------------------------------------------

# Concrete advice per flag, for the candidate's feedback. No tip for "multiple_faces": that flag is for HR to
# check, and telling a candidate about it would read as an accusation.
TIPS: dict[str, Promise] = {
    "long_pauses": gettext_lazy("You paused often between ideas; try outlining your answer in two or three points "
                                "before you start speaking."),
    "fast_speech": gettext_lazy("You spoke quickly; slow down a little and leave a short pause after each main "
                                "point so the listener can follow."),
    "slow_speech": gettext_lazy("You spoke slowly; practise a few answers aloud beforehand so that the words come "
                                "more easily."),
    "many_fillers": gettext_lazy("You used filler words such as “um” and “uh” often; when you need a moment to "
                                 "think, a short silent pause works better."),
    "quiet": gettext_lazy("Your voice was quiet in the recording; sit closer to the microphone or speak a little "
                          "louder."),
    "narrow_pitch": gettext_lazy("Your voice stayed at much the same pitch; stressing the key word of each point "
                                 "helps the listener follow."),
    "looking_away": gettext_lazy("You often looked away from the camera; place it at eye level and look at it "
                                 "while you speak."),
    "no_face": gettext_lazy("Your face was out of view for part of the recording; check before you start that "
                            "the camera shows your face."),
    "much_movement": gettext_lazy("You moved a lot in front of the camera; sit in a steady position with the "
                                  "camera fixed."),
}
MAX_TIPS = 4


def delivery_tips(answers: Sequence[tuple[str, Mapping[str, Any]]], consented: Sequence[str]) -> list[str]:
    """Tips from the flags of recorded answers, (modality, delivery) pairs, in the active language: only answers
    of a modality the candidate agreed to have analysed, video flags only from video answers; the flags seen in
    the most answers first, at most MAX_TIPS."""
    counts: dict[str, int] = {}
    for modality, delivery in answers:
        if modality not in RECORDED or modality not in consented or not isinstance(delivery, Mapping):
            continue
        for code in dict.fromkeys(str(c) for c in delivery.get("flags") or []):
            if code in TIPS and (code not in VIDEO_FLAGS or modality == "video"):
                counts[code] = counts.get(code, 0) + 1
    order = list(TIPS)
    ranked = sorted(counts, key=lambda code: (-counts[code], order.index(code)))
    return [str(TIPS[code]) for code in ranked[:MAX_TIPS]]


# --- a recorded answer as the report page and the PDF show it ------------------------------------------------


@dataclass(frozen=True)
class Recording:
    position: int
    modality: str
    modality_label: str
    status: str
    status_label: str
    status_detail: str  # in the reader's language
    failed: bool  # no speech, unreadable, too long: the question counted as unanswered
    transcript: str
    asr_backend: str
    corrected: bool
    corrected_by: str
    corrected_at: str
    media_format: str
    media_seconds: float | None
    media_url: str  # "" when there is no recording to play (never stored, or deleted)
    deleted: str  # the sentence saying the recording was deleted, or ""
    delivery: Mapping[str, Any]
    metrics: list[MetricRow]
    flags: list[FlagLine]
    used_in_score: bool
    delivery_score: float | None


def media_path(session_id: int, position: int) -> str:
    """The HR API's recording endpoint (apis/reports.py): HR roles only, 404 once the recording is deleted."""
    return f"/api/v1/interviews/{session_id}/answers/{position}/media/"


def _status_label(status: str) -> str:
    return str(InterviewAnswer.Status(status).label) if status in InterviewAnswer.Status.values else status


def recording(answer: InterviewAnswer, *, session_id: int, position: int) -> Recording | None:
    """The presentation of a voice or video answer, or None for a typed one."""
    if answer.modality not in RECORDED:
        return None
    data: Mapping[str, Any] = answer.delivery if isinstance(answer.delivery, Mapping) else {}
    deleted = ""
    if answer.media_deleted_at is not None:
        deleted = deleted_sentence(deleted_at=answer.media_deleted_at, submitted_at=answer.submitted_at)
    corrector = answer.transcript_corrected_by
    return Recording(
        position=position, modality=answer.modality, modality_label=modality_name(answer.modality),
        status=answer.status, status_label=_status_label(answer.status),
        status_detail=rules.status_detail_text(answer.status_detail),
        failed=answer.status in rules.RECORDING_FAILED,
        transcript=answer.transcript, asr_backend=answer.asr_backend,
        corrected=answer.transcript_corrected_at is not None,
        corrected_by=str(corrector) if corrector is not None else "",
        corrected_at=_when(answer.transcript_corrected_at), media_format=answer.media_format,
        media_seconds=answer.media_seconds,
        media_url=media_path(session_id, position) if answer.media and not deleted else "",
        deleted=deleted, delivery=data, metrics=metric_rows(data), flags=flag_lines(data),
        used_in_score=answer.delivery_used_in_score,
        delivery_score=_number(data.get("score")) if answer.delivery_used_in_score else None,
    )


def recordings(session_id: int) -> dict[int, Recording]:
    """The session's recorded answers by question position (one query)."""
    rows = (
        InterviewAnswer.objects.filter(session_question__session_id=session_id)
        .exclude(modality=InterviewAnswer.Modality.TEXT)
        .select_related("session_question", "transcript_corrected_by")
    )
    found = {}
    for answer in rows:
        position = answer.session_question.position
        item = recording(answer, session_id=session_id, position=position)
        if item is not None:
            found[position] = item
    return found
