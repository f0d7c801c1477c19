"""Decoding real browser-style recordings (made here with espeak-ng and ffmpeg) and refusing the bad ones."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentloop.assessment.media import (
    MediaError,
    MediaTooLong,
    MediaUnreadable,
    UnsupportedMedia,
    analyse_media,
    sniff_format,
)
from talentloop.assessment.media.decode import SNIFF_BYTES, decode_audio
from talentloop.assessment.media.testing import (
    ENGLISH_ANSWER,
    convert,
    face_video,
    long_audio,
    speech_wav,
    truncated_copy,
)

FORMATS = {".webm": "webm", ".ogg": "ogg", ".mp4": "mp4", ".m4a": "mp4", ".wav": "wav", ".mp3": "mp3"}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("decode")
    wav = speech_wav("I listen to the customer and offer a refund.", root / "espeak.wav")
    files = {"espeak": wav}
    for suffix in FORMATS:
        files[suffix] = convert(wav, root / f"speech{suffix}")
    files["streamed"] = convert(wav, root / "streamed.webm", streamed=True)
    files["truncated_webm"] = truncated_copy(files[".webm"], root / "cut.webm", 0.5)
    files["truncated_mp4"] = truncated_copy(files[".mp4"], root / "cut.mp4", 0.5)
    files["truncated_wav"] = truncated_copy(files[".wav"], root / "cut.wav", 0.5)
    files["silent_video"] = face_video(root / "silent.webm", 2)
    empty = root / "empty.webm"
    empty.write_bytes(b"")
    files["empty"] = empty
    text = root / "notes.webm"
    text.write_text("Dear HR, here are my notes about customer complaints.\n" * 20, encoding="utf-8")
    files["text"] = text
    return files


@pytest.mark.parametrize(("suffix", "kind"), sorted(FORMATS.items()))
def test_every_browser_format_decodes_to_16khz_mono(media: dict[str, Path], suffix: str, kind: str) -> None:
    audio = decode_audio(media[suffix])
    assert audio.format == kind
    assert audio.rate == 16000
    assert audio.samples.dtype.name == "float32"
    assert audio.samples.ndim == 1
    assert audio.has_video is False
    reference = decode_audio(media["espeak"]).duration_s
    assert abs(audio.duration_s - reference) < 0.15  # codec padding only
    assert float(abs(audio.samples).max()) > 0.1


def test_a_streamed_webm_without_duration_decodes_and_the_limit_still_applies(media: dict[str, Path]) -> None:
    import av

    with av.open(str(media["streamed"])) as container:
        assert container.duration is None  # like Chrome's MediaRecorder output
    assert decode_audio(media["streamed"]).duration_s > 2.0
    with pytest.raises(MediaTooLong) as caught:
        decode_audio(media["streamed"], max_seconds=1.0)
    assert caught.value.detail == "the recording is longer than the limit of 1 s"
    assert caught.value.code == "too_long"


def test_an_empty_file_is_unreadable(media: dict[str, Path]) -> None:
    with pytest.raises(MediaUnreadable) as caught:
        analyse_media(media["empty"], language="en", recognizer=None)
    assert caught.value.detail == "the file is empty (0 bytes)"
    assert caught.value.code == "unreadable"


def test_a_text_file_named_webm_is_not_media(media: dict[str, Path]) -> None:
    assert sniff_format(media["text"].read_bytes()[:SNIFF_BYTES]) is None
    with pytest.raises(MediaUnreadable) as caught:
        analyse_media(media["text"], language="en", recognizer=None)
    assert caught.value.detail == (
        "the file is not an audio or video recording (expected WebM, Ogg, MP4, WAV or MP3)"
    )


def test_truncated_webm_and_wav_are_refused_as_incomplete(media: dict[str, Path]) -> None:
    """A cut-off upload still declares the full length in its header; we refuse it rather than score half an
    answer."""
    for key in ("truncated_webm", "truncated_wav"):
        with pytest.raises(MediaUnreadable) as caught:
            decode_audio(media[key])
        assert caught.value.detail.startswith("the recording is incomplete: it stops at "), key
        assert caught.value.detail.endswith("(the upload may have been cut off)")


def test_truncated_mp4_loses_its_index_and_is_unreadable(media: dict[str, Path]) -> None:
    # ffmpeg writes the moov index at the end, so the first half has none.
    with pytest.raises(MediaUnreadable) as caught:
        decode_audio(media["truncated_mp4"])
    assert caught.value.detail.startswith("the mp4 file is damaged or incomplete (")


def test_a_two_hour_recording_is_refused_quickly(tmp_path: Path) -> None:
    path = long_audio(tmp_path / "lecture.webm", 7200)
    started = time.perf_counter()
    with pytest.raises(MediaTooLong) as caught:
        analyse_media(path, language="en", recognizer=None, max_seconds=1800)
    assert time.perf_counter() - started < 2.0
    assert caught.value.detail == "the recording lasts 2 h 0 min; the limit is 30 min"
    assert caught.value.seconds == pytest.approx(7200, abs=1)
    assert caught.value.max_seconds == 1800


def test_a_video_without_sound_is_unsupported(media: dict[str, Path]) -> None:
    with pytest.raises(UnsupportedMedia) as caught:
        analyse_media(media["silent_video"], language="en", recognizer=None)
    assert caught.value.detail == "the recording has no sound track"
    assert caught.value.code == "unsupported"
    assert isinstance(caught.value, MediaError)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", "webm"),
        (b"OggS\x00\x02", "ogg"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "mp4"),
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00", "mp4"),
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", "wav"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64\x00", "mp3"),
        (b"RIFF\x24\x08\x00\x00AVI LIST", None),
        (b"\xff\xfb\xf0\x64", None),  # "bad" bitrate index 15
        (b"%PDF-1.7\n", None),
        (b"", None),
        (b"Dear HR", None),
    ],
)
def test_sniff_format_reads_the_magic_bytes(head: bytes, kind: str | None) -> None:
    assert sniff_format(head) == kind


@given(st.binary(max_size=SNIFF_BYTES))
def test_sniff_format_never_fails_and_only_names_known_containers(head: bytes) -> None:
    assert sniff_format(head) in {None, "webm", "ogg", "mp4", "wav", "mp3"}


@given(st.binary(max_size=40))
def test_text_never_sniffs_as_media(tail: bytes) -> None:
    text = b"Hello, " + tail.replace(b"\xff", b"").replace(b"\x1a", b"")
    assert sniff_format(text) is None


def test_the_english_answer_renders_to_a_usable_length(media: dict[str, Path], tmp_path: Path) -> None:
    seconds = decode_audio(speech_wav(ENGLISH_ANSWER.text, tmp_path / "answer.wav")).duration_s
    assert 6.0 <= seconds <= 12.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from([".webm", ".ogg", ".mp4", ".wav", ".mp3"]),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=30),
    keep=st.floats(0.05, 1.0),
)
def test_damaged_recordings_only_ever_raise_media_errors(
    media: dict[str, Path], tmp_path: Path, source: str, flips: list[tuple[float, int]], keep: float
) -> None:
    """Never a crash: a recording with random bytes overwritten and cut short either analyses or raises a
    MediaError with a detail (which the web side turns into a status and a message, not a 500)."""
    data = bytearray(media[source].read_bytes())
    for where, value in flips:
        data[int(where * len(data))] = value
    damaged = tmp_path / f"damaged{source}"
    damaged.write_bytes(bytes(data[: max(int(len(data) * keep), 1)]))
    outcome: MediaError | float
    try:
        outcome = analyse_media(damaged, language="en", recognizer=None).duration_s
    except MediaError as exc:
        outcome = exc
    if isinstance(outcome, MediaError):
        assert outcome.code in {"unreadable", "unsupported", "too_long"}
        assert outcome.detail
    else:
        assert outcome > 0
