"""Voice and video answer analysis speed, as a multiple of real time per CPU core.

No database: runs once, in the first database's turn (shown with database `—`). Recordings are made first (not
timed) with the test media maker: a spoken English answer of about 60 s (30 s with --quick) from espeak-ng, five
different customer-service sentences with 0.4–1.8 s pauses between them, as WebM/Opus; and a webcam-like video
(640×480, 30 fps, VP8 + Opus) of a real photographed face moving across the frame, 30 s (15 s with --quick).

Each sample is the process CPU time (all threads: PyAV decodes with several) of one call, divided by the
recording's length, so the number is "seconds of one core per second of recording" whatever else the machine is
doing; the note gives its inverse, the multiple of real time. Models are loaded before timing (a worker keeps
them), so the samples are what each answer costs a warm worker.

- `voice analysis with ASR`: `analyse_media(..., recognizer=pocketsphinx, video=False)` on the answer; decode,
  VAD, prosody, pocketsphinx, delivery metrics. Target ≥ 2× real time: 0.5 s per second of audio.
- `voice analysis without ASR`: the same with `recognizer=None`. Target ≥ 10× real time: 0.1 s per second.
- `video analysis (2 fps)`: frame sampling and face/eye detection at 2 sampled frames per second
  (`video.sample_frames` + `video_metrics`) on the webcam video. Target ≥ 5× real time: 0.2 s per second.

    .venv/bin/python -m bench.media [--quick]        # the rows alone, without the runner
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.env import BenchEnv, BenchError, Result
from talentloop.assessment.media import analyse_media, recognizer_for
from talentloop.assessment.media.testing import convert, face_video, have_tools, join_wavs, speech_wav
from talentloop.assessment.media.video import sample_frames, video_metrics

NAME = "media-analysis"
ASR_TARGET = 1 / 2.0  # CPU seconds per second of recording
NO_ASR_TARGET = 1 / 10.0
VIDEO_TARGET = 1 / 5.0
SENTENCES = (
    "When a customer complains, I listen carefully and apologize.",
    "Then I offer a refund or a replacement, and I call the customer the next day.",
    "Last year a client was angry about a late delivery of office chairs.",
    "I checked the order, explained the delay honestly, and gave a discount on the next order.",
    "After that, the client placed three more orders with our team.",
)
PAUSES = (0.4, 1.2, 0.6, 1.8, 0.5)


def make_answer(folder: Path, seconds: float) -> Path:
    """A spoken answer of at least `seconds`: the sentences with pauses, repeated, as WebM/Opus."""
    clips = [speech_wav(text, folder / f"s{i}.wav") for i, text in enumerate(SENTENCES)]
    parts: list[Path | float] = [0.5]
    total, i = 0.5, 0
    while total < seconds:
        parts += [clips[i % len(clips)], PAUSES[i % len(PAUSES)]]
        total += 4.5 + PAUSES[i % len(PAUSES)]  # the sentences last 3.5–5.5 s
        i += 1
    return convert(join_wavs(parts, folder / "answer.wav"), folder / "answer.webm")


def _cpu_per_second(call: Callable[[], float]) -> float:
    """CPU seconds per second of recording for one call that returns the recording's length."""
    started = time.process_time()
    seconds = call()
    return (time.process_time() - started) / seconds


def rows(quick: bool) -> list[Result]:
    if not have_tools():
        raise BenchError("espeak-ng and ffmpeg are needed to make the recordings")
    folder = Path(tempfile.mkdtemp(prefix="talentloop-bench-media-"))
    try:
        answer = make_answer(folder, 30 if quick else 60)
        video_seconds = 15 if quick else 30
        video = face_video(folder / "webcam.webm", video_seconds, audio=folder / "s0.wav", fps=30, size=(640, 480))
        runs = 3 if quick else 5
        recognizer = recognizer_for("pocketsphinx", language="en")
        warm = analyse_media(answer, language="en", recognizer=recognizer, video=False)  # caches, first import
        sample_frames(video, fps=2.0)
        length = warm.duration_s
        words = len(warm.transcript.words) if warm.transcript else 0

        def with_asr() -> float:
            return analyse_media(answer, language="en", recognizer=recognizer, video=False).duration_s

        def without_asr() -> float:
            return analyse_media(answer, language="en", recognizer=None, video=False).duration_s

        def video_only() -> float:
            frames, duration = sample_frames(video, fps=2.0)
            video_metrics(frames, duration, 2.0)
            return duration

        result = []
        for label, call, target, what in (
            ("voice analysis with ASR", with_asr, ASR_TARGET,
             f"pocketsphinx, {length:.0f} s WebM/Opus answer, {words} words recognised"),
            ("voice analysis without ASR", without_asr, NO_ASR_TARGET,
             f"decode + VAD + prosody + metrics, {length:.0f} s WebM/Opus answer"),
            ("video analysis (2 fps)", video_only, VIDEO_TARGET,
             f"{video_seconds} s 640×480 30 fps VP8 webcam video, faces and eyes on 2 frames/s"),
        ):
            samples = [_cpu_per_second(call) for _ in range(runs)]
            speed = 1.0 / statistics.median(samples)
            result.append(Result(
                benchmark=label, database="—", n=runs, samples=samples, target=target,
                notes=f"{speed:.1f}× real time per core (target {1 / target:.0f}×); CPU time per second of "
                      f"recording; {what}",
            ))
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(env: BenchEnv, db: str) -> list[Result]:
    """No database: runs once, with the first database the runner was given."""
    return rows(env.quick) if db == env.databases[0] else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.media", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter recordings, fewer runs")
    args = parser.parse_args(argv)
    found = rows(args.quick)
    for row in found:
        print(f"{row.benchmark}: median {(row.median or 0) * 1000:.0f} ms CPU per second of recording, "
              f"target {row.target * 1000:.0f} ms, {row.status}; {row.notes}", file=sys.stdout)
    return 0 if all(row.status == "met" for row in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
