"""Decoding any browser recording (WebM/Opus, Ogg/Opus, MP4/AAC, WAV, MP3) with PyAV into 16 kHz mono float32.

Every FFmpeg error becomes MediaUnreadable with a short English detail; the length limit is checked from the
container before decoding and enforced again while decoding (MediaRecorder's WebM files carry no duration).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from .errors import MediaTooLong, MediaUnreadable, UnsupportedMedia

SAMPLE_RATE = 16000
SNIFF_BYTES = 64
# A file whose decoded sound stops this much before the length its container declares is cut off (an upload that
# did not finish). Small gaps are normal: encoder padding, rounding of the last frame.
_INCOMPLETE_FRACTION = 0.9
_INCOMPLETE_MIN_S = 1.0


@dataclass(frozen=True)
class DecodedAudio:
    samples: np.ndarray  # float32 mono in [-1, 1] at SAMPLE_RATE
    rate: int
    format: str  # the sniffed container: webm, ogg, mp4, wav, mp3
    duration_s: float  # of the decoded sound
    has_video: bool


def sniff_format(head: bytes) -> str | None:
    """The container named by a file's first bytes, whatever its name claims: "webm" (WebM or Matroska), "ogg",
    "mp4" (also MOV/M4A/3GP: ISO base media), "wav", "mp3", or None for anything else."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"ID3"):
        return "mp3"
    # A bare MPEG audio frame: 11 sync bits, then a valid version, layer III and bitrate index.
    if len(head) >= 3 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0:
        version = (head[1] >> 3) & 0x03
        layer = (head[1] >> 1) & 0x03
        bitrate = head[2] >> 4
        if version != 0x01 and layer == 0x01 and bitrate not in (0x00, 0x0F):
            return "mp3"
    return None


# What PyAV raises for damaged files: FFmpeg's errors, and plain Python ones for nonsense in headers (sizes that
# overflow, metadata that is not text, allocations that fail).
DECODE_ERRORS: tuple[type[BaseException], ...] = (
    av.FFmpegError, ValueError, OverflowError, IndexError, MemoryError, OSError,
)


def _short(exc: BaseException) -> str:
    """FFmpeg's message without the errno and file name noise: "Invalid data found when processing input"."""
    if not isinstance(exc, av.FFmpegError | OSError):
        return type(exc).__name__
    message = getattr(exc, "strerror", None) or str(exc)
    return str(message).split(":")[0].strip().rstrip(".") or type(exc).__name__


def _open(path: Path) -> tuple[str, av.container.InputContainer]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise MediaUnreadable(f"the file cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise MediaUnreadable("the file is empty (0 bytes)")
    kind = sniff_format(head)
    if kind is None:
        raise MediaUnreadable("the file is not an audio or video recording (expected WebM, Ogg, MP4, WAV or MP3)")
    try:
        return kind, av.open(str(path), mode="r", metadata_errors="replace")
    except DECODE_ERRORS as exc:
        raise MediaUnreadable(f"the {kind} file is damaged or incomplete ({_short(exc)})") from exc


def container_seconds(container: av.container.InputContainer) -> float | None:
    """The length the container declares, or None when it does not say (live-recorded WebM)."""
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / av.time_base
    lengths = [
        float(stream.duration * stream.time_base)
        for stream in container.streams
        if stream.duration and stream.time_base is not None
    ]
    return max(lengths) if lengths else None


def wav_declared_seconds(path: Path) -> float | None:
    """The length a WAV header declares (data chunk size over byte rate). FFmpeg trusts the file size instead, so
    a cut-off WAV would otherwise look complete. None when the header leaves the size open (streaming writers put
    0 or 0xFFFFFFFF there) or cannot be parsed."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    offset, byte_rate = 12, 0
    while offset + 8 <= len(head):
        chunk, size = head[offset : offset + 4], struct.unpack("<I", head[offset + 4 : offset + 8])[0]
        if chunk == b"fmt " and offset + 16 <= len(head):
            byte_rate = struct.unpack("<I", head[offset + 16 : offset + 20])[0]
        elif chunk == b"data":
            if byte_rate <= 0 or size in (0, 0xFFFFFFFF, 0x7FFFFFFF):
                return None
            return size / byte_rate
        offset += 8 + size + (size & 1)
    return None


def _human(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60)} min"


def _too_long(seconds: float, max_seconds: float, *, known: bool = True) -> MediaTooLong:
    detail = (
        f"the recording lasts {_human(seconds)}; the limit is {_human(max_seconds)}"
        if known
        else f"the recording is longer than the limit of {_human(max_seconds)}"
    )
    return MediaTooLong(detail, seconds=seconds, max_seconds=max_seconds)


def decode_audio(path: str | Path, *, max_seconds: float = 1800.0) -> DecodedAudio:
    """Decode the first audio stream to float32 mono at 16 kHz.

    Raises MediaUnreadable (empty, not media, damaged, cut off), UnsupportedMedia (no audio stream, no decoder for
    its codec), MediaTooLong (declared or decoded length over `max_seconds`)."""
    kind, container = _open(Path(path))
    with container:
        declared = container_seconds(container)
        if kind == "wav":
            declared = max(declared or 0.0, wav_declared_seconds(Path(path)) or 0.0) or declared
        if declared is not None and declared > max_seconds:
            raise _too_long(declared, max_seconds)
        has_video = any(
            not (stream.disposition & av.stream.Disposition.attached_pic) for stream in container.streams.video
        )
        if not container.streams.audio:
            raise UnsupportedMedia("the recording has no sound track" if has_video else "the file has no audio")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            raise UnsupportedMedia(f"the audio codec of this {kind} file is not supported")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        decoded = 0
        limit = int(max_seconds * SAMPLE_RATE) + SAMPLE_RATE  # a second of slack for the last frame
        start = float(container.start_time or 0) / av.time_base
        reach = 0.0  # how far into the recording any stream's packets go: a cut-off file stops short everywhere
        try:
            # Demux every stream (cheap) but decode only the sound: a sound track that simply ends before the
            # pictures is not a cut-off file.
            for packet in container.demux():
                if packet.pts is not None and packet.time_base is not None:
                    reach = max(reach, float((packet.pts + (packet.duration or 0)) * packet.time_base) - start)
                if packet.stream.index != stream.index:
                    continue
                for frame in packet.decode():
                    if not isinstance(frame, av.AudioFrame):
                        continue
                    for out in resampler.resample(frame):
                        samples = out.to_ndarray().reshape(-1)
                        chunks.append(samples)
                        decoded += samples.size
                if decoded > limit:
                    raise _too_long(decoded / SAMPLE_RATE, max_seconds, known=False)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except DECODE_ERRORS as exc:
            raise MediaUnreadable(f"the {kind} file is damaged or incomplete ({_short(exc)})") from exc
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)
    seconds = samples.size / SAMPLE_RATE
    if samples.size == 0:
        raise MediaUnreadable(f"the {kind} file contains no decodable sound")
    reach = max(reach, seconds)
    if declared is not None and reach < declared * _INCOMPLETE_FRACTION and declared - reach >= _INCOMPLETE_MIN_S:
        raise MediaUnreadable(
            f"the recording is incomplete: it stops at {reach:.1f} s of {declared:.1f} s "
            "(the upload may have been cut off)"
        )
    np.clip(samples, -1.0, 1.0, out=samples)
    return DecodedAudio(samples=samples, rate=SAMPLE_RATE, format=kind, duration_s=seconds, has_video=has_video)
