"""The video pipeline on real pictures: scikit-image's astronaut photograph (a real frontal face) moving across
the frame, two of them, one that walks away, and a faceless scene; WebM (VP8 + Opus) and MP4 (H.264 + AAC)."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentloop.assessment.media import MediaAnalysis, analyse_media
from talentloop.assessment.media.testing import face_video, faceless_video, speech_wav
from talentloop.assessment.media.video import FrameSample, head_movement, moments


@pytest.fixture(scope="module")
def analyses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MediaAnalysis]:
    root = tmp_path_factory.mktemp("video")
    voice = speech_wav("I listen to the customer and offer a refund.", root / "voice.wav")
    files = {
        "face_webm": face_video(root / "face.webm", 4, audio=voice),
        "face_mp4": face_video(root / "face.mp4", 4, audio=voice),
        "faceless": faceless_video(root / "empty.webm", 3, audio=voice),
        "two": face_video(root / "two.webm", 3, audio=voice, faces=2),
        "leaves": face_video(root / "leaves.webm", 4, audio=voice, leaves_at=2.0, moving=False),
    }
    return {name: analyse_media(path, language="en", recognizer=None, fps=2.0) for name, path in files.items()}


@pytest.mark.parametrize(("name", "kind"), [("face_webm", "webm"), ("face_mp4", "mp4")])
def test_a_moving_face_is_present_and_facing_the_camera(analyses: dict[str, MediaAnalysis], name: str,
                                                        kind: str) -> None:
    result = analyses[name]
    assert result.format == kind
    assert result.has_video is True
    video = result.delivery["video"]
    assert video["frames_sampled"] == 8
    assert video["duration_s"] == pytest.approx(4.0, abs=0.05)
    assert video["face_present_ratio"] >= 0.8
    assert video["looking_at_camera_ratio"] >= 0.8
    assert video["multiple_faces_s"] == 0.0
    assert video["moments"] == []
    # The photo drifts 120 px in 4 s with a 160 px sprite: a face crossing the frame, so much movement.
    assert 0.2 < video["head_movement"] < 1.0
    assert "much_movement" in result.delivery["flags"]
    assert "no_face" not in result.delivery["flags"]
    timeline = result.delivery["timeline"]
    assert [row["face"] for row in timeline] == [1.0, 1.0, 1.0, 1.0]
    assert result.timings["video_s"] > 0


def test_a_faceless_video_has_one_no_face_moment_covering_it(analyses: dict[str, MediaAnalysis]) -> None:
    result = analyses["faceless"]
    video = result.delivery["video"]
    assert video["face_present_ratio"] == 0.0
    assert video["looking_at_camera_ratio"] is None  # nobody there to look anywhere
    assert video["no_face_s"] == 3.0
    assert video["head_movement"] is None
    assert len(video["moments"]) == 1
    moment = video["moments"][0]
    assert moment["kind"] == "no_face"
    assert moment["start"] <= 0.05
    assert moment["end"] >= 2.95
    assert result.delivery["flags"] == ["no_face"]


def test_two_faces_make_a_multiple_faces_moment(analyses: dict[str, MediaAnalysis]) -> None:
    video = analyses["two"].delivery["video"]
    assert video["multiple_faces_s"] == 3.0
    assert video["moments"] == [{"start": 0.0, "end": 3.0, "kind": "multiple_faces"}]
    assert "multiple_faces" in analyses["two"].delivery["flags"]


def test_walking_away_leaves_a_no_face_moment_at_the_end(analyses: dict[str, MediaAnalysis]) -> None:
    video = analyses["leaves"].delivery["video"]
    assert video["face_present_ratio"] == 0.5
    assert video["moments"] == [{"start": 2.0, "end": 4.0, "kind": "no_face"}]
    assert video["head_movement"] == pytest.approx(0.0, abs=0.1)
    assert [row["face"] for row in analyses["leaves"].delivery["timeline"]][:4] == [1.0, 1.0, 0.0, 0.0]


def test_video_analysis_can_be_switched_off(tmp_path: Path) -> None:
    voice = speech_wav("I listen.", tmp_path / "voice.wav")
    path = face_video(tmp_path / "face.webm", 2, audio=voice)
    result = analyse_media(path, language="en", recognizer=None, video=False)
    assert result.has_video is True
    assert result.delivery["video"] is None
    assert all(row["face"] is None for row in result.delivery["timeline"])


def _sample(t: float, faces: int, x: float = 100.0) -> FrameSample:
    return FrameSample(t=t, faces=faces, looking=faces == 1, centre=(x, 100.0) if faces else None,
                       width=50.0 if faces else 0.0)


def test_moments_merge_consecutive_samples_and_drop_flicker() -> None:
    samples = [_sample(0.0, 1), _sample(0.5, 0), _sample(1.0, 1), _sample(1.5, 0), _sample(2.0, 0),
               _sample(2.5, 0), _sample(3.0, 2), _sample(3.5, 2)]
    assert moments(samples, "no_face", 0.5) == [{"start": 1.5, "end": 3.0, "kind": "no_face"}]
    assert moments(samples, "multiple_faces", 0.5) == [{"start": 3.0, "end": 4.0, "kind": "multiple_faces"}]


def test_head_movement_is_face_widths_per_second() -> None:
    samples = [_sample(0.0, 1, 100.0), _sample(0.5, 1, 125.0), _sample(1.0, 1, 150.0)]
    assert head_movement(samples) == pytest.approx(1.0)  # 25 px per 0.5 s with 50 px faces
    assert head_movement([_sample(0.0, 1), _sample(0.5, 0), _sample(1.0, 1)]) is None
