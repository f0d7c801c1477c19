"""Video signals: is a face in front of the camera, is it facing the camera, is anyone else there, how much it moves.

Frames are sampled at `fps` (default 2 per second) from the decoded stream and searched with OpenCV's Haar
cascades (shipped with opencv-python): the frontal-face cascade on a grey frame scaled to 320 pixels wide, then
the eye cascade inside each face. "Looking at the camera" means a frontal face with both eyes found: a head-pose
proxy (turned or tilted heads, closed eyes and glasses can all miss), not gaze tracking. No expression, emotion or
identity is ever computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from .decode import DECODE_ERRORS, _short
from .errors import MediaUnreadable

DETECT_WIDTH = 320
EYE_ROI = 96  # faces are rescaled to this size before the eye search (the eye cascade's window is 20 px)
MIN_FACE_FRACTION = 0.08  # of the frame width: smaller "faces" are background texture
MIN_MOMENT_S = 1.0  # shorter no-face / multiple-face stretches are detector flicker, not moments


@dataclass(frozen=True)
class FrameSample:
    t: float
    faces: int
    looking: bool
    centre: tuple[float, float] | None  # of the largest face, in detection pixels
    width: float  # of the largest face


@lru_cache(maxsize=1)
def _cascades() -> tuple[Any, Any]:
    root = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
    face = cv2.CascadeClassifier(str(root / "haarcascade_frontalface_default.xml"))
    eye = cv2.CascadeClassifier(str(root / "haarcascade_eye.xml"))
    if face.empty() or eye.empty():
        raise RuntimeError(f"OpenCV's Haar cascades are missing from {root}")
    return face, eye


def analyse_frame(gray: np.ndarray, t: float = 0.0) -> FrameSample:
    """Faces and frontal pose in one 8-bit grey frame (any size; scaled to DETECT_WIDTH first)."""
    face_cascade, eye_cascade = _cascades()
    scale = DETECT_WIDTH / gray.shape[1]
    small = cv2.resize(gray, (DETECT_WIDTH, max(int(gray.shape[0] * scale), 1)), interpolation=cv2.INTER_AREA)
    small = cv2.equalizeHist(small)
    min_side = max(int(DETECT_WIDTH * MIN_FACE_FRACTION), 24)
    found = face_cascade.detectMultiScale(small, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side))
    faces = [tuple(int(v) for v in f) for f in (found if len(found) else [])]
    if not faces:
        return FrameSample(t, 0, False, None, 0.0)
    x, y, w, h = max(faces, key=lambda f: f[2] * f[3])
    # Eyes sit in the upper part of the face; search there in the full-resolution frame, at a size the eye
    # cascade can see.
    x0, y0, side = int(x / scale), int(y / scale), max(int(w / scale), 1)
    top = gray[y0 : y0 + int(side * 0.6), x0 : x0 + side]
    roi = cv2.equalizeHist(cv2.resize(top, (EYE_ROI, max(int(EYE_ROI * 0.6), 1)), interpolation=cv2.INTER_AREA))
    eyes = eye_cascade.detectMultiScale(roi, scaleFactor=1.1, minNeighbors=3, minSize=(12, 12))
    looking = _two_eyes(eyes, EYE_ROI)
    return FrameSample(t, len(faces), looking, (x + w / 2.0, y + h / 2.0), float(w))


def _two_eyes(eyes: Any, width: int) -> bool:
    """At least one detection in each half of the face: two eyes, not one eye found twice."""
    centres = [x + w / 2.0 for x, _y, w, _h in (eyes if len(eyes) else [])]
    return any(c < width / 2 for c in centres) and any(c >= width / 2 for c in centres)


def sample_frames(path: str | Path, *, fps: float = 2.0, max_seconds: float = 1800.0) -> tuple[list[FrameSample],
                                                                                                float]:
    """Decode the first video stream and analyse one frame every 1/fps seconds; returns (samples, duration)."""
    samples: list[FrameSample] = []
    step = 1.0 / fps
    next_t = 0.0
    last_t = 0.0
    try:
        with av.open(str(path), metadata_errors="replace") as container:
            streams = [s for s in container.streams.video if not (s.disposition & av.stream.Disposition.attached_pic)]
            if not streams:
                return [], 0.0
            stream = streams[0]
            stream.thread_type = "AUTO"
            # Times on the recording's clock, which starts at the container's start (WebM's Opus pre-skip
            # shifts it by a few ms), so video moments line up with the audio timeline.
            origin = float(container.start_time or 0) / av.time_base
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                t = max(float(frame.time) - origin, 0.0)
                last_t = max(last_t, t)
                if t > max_seconds:
                    break
                if t + 1e-6 < next_t:
                    continue
                gray = frame.to_ndarray(format="gray")
                samples.append(analyse_frame(gray, t))
                next_t = (np.floor(t / step + 1e-6) + 1) * step
            fps_guess = float(stream.average_rate) if stream.average_rate else fps
    except DECODE_ERRORS as exc:
        raise MediaUnreadable(f"the video is damaged or incomplete ({_short(exc)})") from exc
    duration = last_t + (1.0 / fps_guess if fps_guess > 0 else 0.0)
    return samples, duration


def moments(samples: Sequence[FrameSample], kind: str, step: float, *, min_s: float = MIN_MOMENT_S
            ) -> list[dict[str, Any]]:
    """Stretches where no face (kind "no_face") or several faces ("multiple_faces") were seen: each sample stands
    for `step` seconds; consecutive samples merge; stretches shorter than `min_s` are dropped."""
    def hit(s: FrameSample) -> bool:
        return s.faces == 0 if kind == "no_face" else s.faces > 1

    found: list[dict[str, Any]] = []
    for s in samples:
        if not hit(s):
            continue
        if found and s.t - found[-1]["end"] <= step * 0.5 + 1e-6:
            found[-1]["end"] = round(s.t + step, 2)
        else:
            found.append({"start": round(s.t, 2), "end": round(s.t + step, 2), "kind": kind})
    return [m for m in found if m["end"] - m["start"] >= min_s - 1e-6]


def head_movement(samples: Sequence[FrameSample]) -> float | None:
    """Mean speed of the face centre, in face widths per second, between consecutive samples that each show one
    face (None with fewer than two such pairs)."""
    speeds = []
    for a, b in pairwise(samples):
        if a.faces == 1 and b.faces == 1 and a.centre and b.centre and b.t > a.t:
            distance = float(np.hypot(b.centre[0] - a.centre[0], b.centre[1] - a.centre[1]))
            speeds.append(distance / ((a.width + b.width) / 2.0) / (b.t - a.t))
    return float(np.mean(speeds)) if len(speeds) >= 2 else None


def video_metrics(samples: Sequence[FrameSample], duration: float, fps: float) -> dict[str, Any]:
    """The "video" part of the delivery dict."""
    step = 1.0 / fps
    count = len(samples)
    present = sum(1 for s in samples if s.faces > 0)
    looking = sum(1 for s in samples if s.looking)  # only ever true with a face present
    movement = head_movement(samples)
    found = moments(samples, "no_face", step) + moments(samples, "multiple_faces", step)
    return {
        "duration_s": round(duration, 2),
        "frames_sampled": count,
        "face_present_ratio": round(present / count, 3) if count else None,
        # Of the moments with a face: an empty chair is "no face", not "looking away".
        "looking_at_camera_ratio": round(looking / present, 3) if present else None,
        "multiple_faces_s": round(sum(1 for s in samples if s.faces > 1) * step, 2),
        "no_face_s": round(sum(1 for s in samples if s.faces == 0) * step, 2),
        "head_movement": None if movement is None else round(movement, 3),
        "moments": sorted(found, key=lambda m: m["start"]),
    }


def video_timeline(samples: Sequence[FrameSample], seconds: int) -> list[tuple[float | None, float | None]]:
    """Per 1-second bin: (share of samples with a face, share looking at the camera); None where none sampled."""
    bins: list[tuple[float | None, float | None]] = []
    for i in range(seconds):
        inside = [s for s in samples if i <= s.t < i + 1]
        if not inside:
            bins.append((None, None))
            continue
        bins.append((round(sum(s.faces > 0 for s in inside) / len(inside), 2),
                     round(sum(s.looking for s in inside) / len(inside), 2)))
    return bins
