"""Real test recordings, made on the spot: speech from espeak-ng, conversions and containers from ffmpeg, a moving
photograph of a face (scikit-image's astronaut) for the video checks.

Shipped beside the engine (like numpy.testing) so the engine's own tests can use it without importing the Django
side; `talentloop.core.testing.media` re-exports it for the apps' tests. Never imported by product code. Needs the
`espeak-ng` and `ffmpeg` programs (Debian packages of the same names) and, for the videos, scikit-image.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "DEFAULT_VOICES",
    "ENGLISH_ANSWER",
    "MANDARIN_ANSWER",
    "OFF_TOPIC_ENGLISH_ANSWER",
    "VIDEO_SIZE",
    "SpokenAnswer",
    "convert",
    "face_video",
    "faceless_video",
    "have_tools",
    "join_wavs",
    "long_audio",
    "noise_wav",
    "silence_wav",
    "speech_wav",
    "truncated_copy",
]


@dataclass(frozen=True)
class SpokenAnswer:
    """A sentence to synthesise and the words pocketsphinx reliably recovers from espeak-ng's rendering of it."""

    text: str
    key_words: tuple[str, ...]
    language: str


# Checked by hand against pocketsphinx 5.1.1's default US English model with espeak-ng 1.51's "en-us+f2" voice at
# 150 wpm (about 9.5 s of speech). The full recognised text was "when a customer complained i listened carefully
# and apologize then i offer a refund or a replacement and i call the customer the next day"; key words are the
# ones that come through at every tried speed and through Opus/AAC compression.
ENGLISH_ANSWER = SpokenAnswer(
    text=(
        "When a customer complains, I listen carefully and apologize. "
        "Then I offer a refund or a replacement, and I call the customer the next day."
    ),
    key_words=("customer", "apologize", "refund", "replacement"),
    language="en",
)

OFF_TOPIC_ENGLISH_ANSWER = SpokenAnswer(
    text="The weather was sunny last weekend, so we walked in the park and looked at the flowers.",
    key_words=("weather", "park"),
    language="en",
)

# espeak-ng's Mandarin voice; no offline recogniser here handles Mandarin, so tests feed it to a faked cloud backend.
MANDARIN_ANSWER = SpokenAnswer(
    text="客户投诉时，我先道歉，然后提供退款。",
    key_words=("客户", "道歉", "退款"),
    language="zh",
)

DEFAULT_VOICES = {"en": "en-us+f2", "zh": "cmn"}

# (audio codec, extra ffmpeg arguments) by output suffix.
_AUDIO_CODECS: dict[str, tuple[str, tuple[str, ...]]] = {
    ".webm": ("libopus", ("-b:a", "32k")),
    ".ogg": ("libopus", ("-b:a", "32k")),
    ".opus": ("libopus", ("-b:a", "32k")),
    ".mp4": ("aac", ("-b:a", "64k")),
    ".m4a": ("aac", ("-b:a", "64k")),
    ".wav": ("pcm_s16le", ()),
    ".mp3": ("libmp3lame", ("-b:a", "64k")),
}


def _run(args: Sequence[str]) -> None:
    result = subprocess.run(list(args), capture_output=True, check=False, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-800:]}")


def _ffmpeg(*args: str) -> None:
    _run(["ffmpeg", "-nostdin", "-y", "-hide_banner", "-loglevel", "error", *args])


def speech_wav(text: str, path: str | Path, *, language: str = "en", voice: str | None = None,
               speed: int = 150) -> Path:
    """Synthesise `text` with espeak-ng into a WAV file (22,050 Hz mono, espeak's own rate) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chosen = voice or DEFAULT_VOICES.get(language.split("-")[0].lower(), language)
    _run(["espeak-ng", "-v", chosen, "-s", str(speed), "-w", str(path), text])
    return path


def convert(src: str | Path, dst: str | Path, *, codec: str | None = None, streamed: bool = False) -> Path:
    """Re-encode the audio of `src` into `dst`; the container follows dst's suffix (.webm, .ogg, .mp4, .m4a, .wav,
    .mp3) and the codec defaults to what a browser would record there (Opus in webm/ogg, AAC in mp4).

    `streamed=True` writes through a pipe, as MediaRecorder does: a WebM without duration or seek index."""
    dst = Path(dst)
    default_codec, extra = _AUDIO_CODECS.get(dst.suffix.lower(), ("", ()))
    chosen = codec or default_codec
    if not chosen:
        raise ValueError(f"no default codec for {dst.suffix!r}; pass codec=")
    args = ["-i", str(src), "-vn", "-c:a", chosen, *(extra if chosen == default_codec else ())]
    if not streamed:
        _ffmpeg(*args, str(dst))
        return dst
    muxer = {".webm": "webm", ".ogg": "ogg", ".opus": "ogg", ".mp4": "mp4", ".m4a": "mp4"}.get(dst.suffix.lower(), "")
    if not muxer:
        raise ValueError(f"cannot stream {dst.suffix!r}")
    moov = ["-movflags", "frag_keyframe+empty_moov"] if muxer == "mp4" else []
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", *args, *moov, "-f", muxer, "pipe:1"]
    result = subprocess.run(command, capture_output=True, check=False, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed ({result.returncode}): {result.stderr.decode(errors='replace')[-800:]}")
    dst.write_bytes(result.stdout)
    return dst


def join_wavs(parts: Sequence[str | Path | float], dst: str | Path, *, rate: int = 16000) -> Path:
    """Concatenate WAV files and silences (a number is that many seconds of silence) into one 16 kHz mono WAV:
    speech with real pauses in it."""
    pieces: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, int | float):
            pieces.append(np.zeros(int(part * rate)))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "plain.wav"
            _ffmpeg("-i", str(part), "-ac", "1", "-ar", str(rate), "-c:a", "pcm_s16le", str(plain))
            with wave.open(str(plain), "rb") as handle:
                frames = handle.readframes(handle.getnframes())
        pieces.append(np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32767.0)
    return _write_wav(Path(dst), np.concatenate(pieces) if pieces else np.zeros(0), rate)


def _write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def silence_wav(path: str | Path, seconds: float, *, rate: int = 16000) -> Path:
    """Digital silence (plus a whisper of dither, as a real microphone would give)."""
    rng = np.random.default_rng(1)
    return _write_wav(Path(path), rng.normal(0.0, 1e-4, int(seconds * rate)), rate)


def noise_wav(path: str | Path, seconds: float, *, rate: int = 16000, level: float = 0.05, seed: int = 0) -> Path:
    """Steady broadband noise (a fan, a hum of traffic): brownish, so it resembles room noise rather than hiss."""
    rng = np.random.default_rng(seed)
    white = rng.normal(0.0, 1.0, int(seconds * rate))
    # A one-pole low-pass tilts the spectrum down like real room noise.
    from scipy.signal import lfilter

    brown = np.asarray(lfilter([0.05], [1.0, -0.95], white))
    brown *= level / max(float(np.sqrt(np.mean(brown**2))), 1e-9)
    return _write_wav(Path(path), brown, rate)


def truncated_copy(src: str | Path, dst: str | Path, fraction: float) -> Path:
    """The first `fraction` of the bytes of `src`: what an upload cut off mid-way leaves behind."""
    data = Path(src).read_bytes()
    dst = Path(dst)
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def long_audio(path: str | Path, seconds: float) -> Path:
    """A long, low-bitrate recording (e.g. 2 hours) made in about a second: ten seconds of a quiet tone encoded
    once, then the packets copied over and over (ffmpeg -stream_loop, no re-encoding). Suffix .webm or .ogg."""
    path = Path(path)
    piece = 10.0
    with tempfile.TemporaryDirectory() as tmp:
        short = Path(tmp) / f"piece{path.suffix}"
        _ffmpeg("-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=16000:duration={piece}",
                "-ac", "1", "-c:a", "libopus", "-b:a", "8k", str(short))
        loops = max(int(np.ceil(seconds / piece)) - 1, 0)
        _ffmpeg("-stream_loop", str(loops), "-i", str(short), "-c", "copy", "-t", str(seconds), str(path))
    return path


VIDEO_SIZE = (320, 240)


@lru_cache(maxsize=1)
def _astronaut() -> np.ndarray:
    """scikit-image's astronaut photograph (Eileen Collins, public domain), 512×512 RGB. Read straight from the
    package's data folder with OpenCV: importing skimage itself costs seconds."""
    import importlib.util

    import cv2

    spec = importlib.util.find_spec("skimage")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        image = cv2.imread(str(Path(folder) / "data" / "astronaut.png"), cv2.IMREAD_COLOR)
        if image is not None:
            return np.ascontiguousarray(image[:, :, ::-1])
    from skimage import data  # a dev dependency: only the video makers need it

    return np.asarray(data.astronaut())


@lru_cache(maxsize=4)
def _face_sprite(size: int) -> np.ndarray:
    photo = _astronaut()  # the face sits around x 177–272, y 66–161
    crop = photo[16:216, 125:325]
    rows = np.linspace(0, crop.shape[0] - 1, size).astype(int)
    cols = np.linspace(0, crop.shape[1] - 1, size).astype(int)
    return np.ascontiguousarray(crop[rows][:, cols])


@lru_cache(maxsize=4)
def _wall(width: int, height: int) -> np.ndarray:
    """A plain wall with a soft gradient: something for the encoder, nothing face-like."""
    x = np.linspace(0, 1, width)[None, :, None]
    y = np.linspace(0, 1, height)[:, None, None]
    base = np.array([170, 160, 150], dtype=float)[None, None, :]
    wall = np.clip(base + 30 * x + 20 * y, 0, 255).astype(np.uint8)
    wall.setflags(write=False)
    return wall


def _background(width: int, height: int, t: float) -> np.ndarray:
    # A slow flicker of the light, as a webcam's auto-exposure gives.
    return _wall(width, height) + np.uint8(round(4 + 4 * np.sin(t)))


def _encode_frames(path: Path, frames: Iterator[np.ndarray], size: tuple[int, int], fps: int, seconds: float,
                   audio: str | Path | None) -> Path:
    """Pipe raw RGB frames to ffmpeg one by one: VP8 + Opus for .webm, H.264 + AAC for .mp4 (what browsers
    record)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = size
    if path.suffix.lower() == ".webm":
        vcodec = ["-c:v", "libvpx", "-b:v", "400k", "-deadline", "realtime", "-cpu-used", "8"]
        acodec = ["-c:a", "libopus", "-b:a", "32k"]
    elif path.suffix.lower() in {".mp4", ".mov", ".m4v"}:
        vcodec = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        acodec = ["-c:a", "aac", "-b:a", "64k"]
    else:
        raise ValueError(f"unsupported video suffix {path.suffix!r}: use .webm or .mp4")
    args = ["ffmpeg", "-nostdin", "-y", "-hide_banner", "-loglevel", "error",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "pipe:0"]
    if audio is not None:
        args += ["-i", str(audio), "-map", "0:v", "-map", "1:a", *acodec]
    args += [*vcodec, "-t", f"{seconds:.3f}", str(path)]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        assert process.stdin is not None
        try:
            for frame in frames:
                process.stdin.write(frame.tobytes())
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its exit code and message tell why
        finally:
            process.stdin.close()
        code = process.wait(timeout=300)
        if code != 0:
            errors.seek(0)
            raise RuntimeError(f"ffmpeg failed ({code}): {errors.read().decode(errors='replace')[-800:]}")
    return path


def face_video(path: str | Path, seconds: float, *, audio: str | Path | None = None, fps: int = 10,
               moving: bool = True, faces: int = 1, leaves_at: float | None = None,
               size: tuple[int, int] = VIDEO_SIZE) -> Path:
    """A video (320×240 by default) of a real photographed face (frontal, eyes visible) drifting across a plain
    wall; with `audio` the file gets that sound track, else it has no audio stream at all. Suffix .webm or .mp4.

    `faces=2` shows two copies side by side (someone else in the room); `leaves_at` empties the frame from that
    second on (the candidate walks away); `size=(640, 480)` at fps=30 is what a webcam records."""
    width, height = size
    side = (height * 2) // 3 if faces == 1 else min((height * 7) // 12, (width - 40) // 2)
    sprite = _face_sprite(side)
    count = max(round(seconds * fps), 1)
    margin = (height - side) // 2

    def frames() -> Iterator[np.ndarray]:
        for i in range(count):
            t = i / fps
            frame = _background(width, height, t)
            if leaves_at is None or t < leaves_at:
                phase = (i / max(count - 1, 1)) if moving else 0.5
                top = int(margin + (margin // 2 * np.sin(2 * np.pi * t / 3) if moving else 0))
                if faces == 1:
                    lefts = [int(width // 16 + phase * (width - side - width // 8))]
                else:
                    lefts = [10 + k * (side + 20) for k in range(min(faces, 2))]
                for left in lefts:
                    frame[top : top + side, left : left + side] = sprite
            yield frame

    return _encode_frames(Path(path), frames(), size, fps, count / fps, audio)


def faceless_video(path: str | Path, seconds: float, audio: str | Path | None = None, *, fps: int = 10,
                   size: tuple[int, int] = VIDEO_SIZE) -> Path:
    """The same wall with a moving coloured box and no one in front of the camera."""
    width, height = size
    count = max(round(seconds * fps), 1)

    def frames() -> Iterator[np.ndarray]:
        for i in range(count):
            frame = _background(width, height, i / fps)
            left = int(10 + (i / max(count - 1, 1)) * (width - 90))
            frame[height * 3 // 8 : height * 5 // 8, left : left + 70] = (40, 90, 160)
            yield frame

    return _encode_frames(Path(path), frames(), size, fps, count / fps, audio)


def have_tools() -> bool:
    """True when espeak-ng and ffmpeg are on PATH (tests skip with a reason otherwise)."""
    return bool(shutil.which("espeak-ng") and shutil.which("ffmpeg"))
