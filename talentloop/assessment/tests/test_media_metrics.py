"""The arithmetic of the delivery metrics: segments and pauses (property-tested), fillers, rates, flags, score."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentloop.assessment.media import DELIVERY_FLAGS, TYPICAL_RANGES, delivery_score
from talentloop.assessment.media.delivery import count_fillers, count_units
from talentloop.assessment.media.pipeline import asr_chunks
from talentloop.assessment.media.score import delivery_flags, distance_outside, ranges_for
from talentloop.assessment.media.vad import FRAME_S, MIN_PAUSE_S, Segment, pauses, runs, smooth, speech_seconds

flags_lists = st.lists(st.booleans(), max_size=400)


@given(flags_lists)
def test_runs_cover_exactly_the_voiced_frames(flags: list[bool]) -> None:
    segments = runs(flags)
    assert speech_seconds(segments) == pytest.approx(sum(flags) * FRAME_S, abs=1e-6)
    assert all(a.end < b.start for a, b in pairwise(segments))


@given(flags_lists, st.floats(0.05, 2.0), st.floats(0.0, 0.3))
def test_smoothing_leaves_only_real_pauses(flags: list[bool], min_pause: float, min_burst: float) -> None:
    raw = runs(flags)
    smoothed = smooth(raw, min_pause_s=min_pause, min_burst_s=min_burst)
    gaps = [b.start - a.end for a, b in pairwise(smoothed)]
    assert all(gap >= min_pause - 1e-9 for gap in gaps)
    assert all(s.start < s.end for s in smoothed)
    # Every kept stretch lies inside the span of the raw runs, and every long-enough raw run is covered.
    if raw:
        assert all(raw[0].start <= s.start and s.end <= raw[-1].end for s in smoothed)
    for run in raw:
        if run.seconds >= min_burst:
            assert any(s.start <= run.start and run.end <= s.end for s in smoothed)
    found = pauses(smoothed, min_pause_s=min_pause)
    assert len(found) == max(len(smoothed) - 1, 0)
    span = smoothed[-1].end - smoothed[0].start if smoothed else 0.0
    assert speech_seconds(smoothed) + speech_seconds(found) == pytest.approx(span, abs=1e-6)


def test_pauses_ignore_waiting_before_and_after_speaking() -> None:
    segments = [Segment(1.0, 2.0), Segment(2.2, 3.0), Segment(4.5, 5.0)]
    assert pauses(segments) == [Segment(3.0, 4.5)]  # the 0.2 s gap is under MIN_PAUSE_S
    assert MIN_PAUSE_S == 0.3
    assert smooth([Segment(0.0, 0.06), Segment(1.0, 1.5), Segment(1.7, 2.0)]) == [Segment(1.0, 2.0)]


@given(st.lists(st.tuples(st.floats(0, 200), st.floats(0.05, 45)), max_size=30), st.floats(5, 30))
def test_asr_chunks_cover_all_speech_within_the_length_limit(raw: list[tuple[float, float]], limit: float) -> None:
    segments = smooth([Segment(round(a, 2), round(a + d, 2)) for a, d in raw], min_burst_s=0.0)
    duration = max((s.end for s in segments), default=0.0) + 1.0
    chunks = asr_chunks(segments, duration, max_chunk=limit)
    assert all(end - start <= limit + 1e-6 for start, end in chunks)
    assert all(0.0 <= start < end <= duration for start, end in chunks)
    assert all(a[1] <= b[0] + 1e-9 for a, b in pairwise(chunks))
    for s in segments:
        covered = sum(max(0.0, min(end, s.end) - max(start, s.start)) for start, end in chunks)
        assert covered == pytest.approx(s.seconds, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("um I think uh we should you know listen", "en", ["um", "uh", "you know"]),
        ("I mean, erm, the customer. Umbrella and under are not fillers; neither is like.", "en", ["i mean", "erm"]),
        ("嗯，我觉得那个客户，就是说，然后呢我们道歉", "zh-hans", ["嗯", "那个", "就是说", "然后呢"]),
        ("我们先道歉，然后提供退款。", "zh", []),
        ("", "en", []),
    ],
)
def test_fillers_are_counted_from_the_transcript(text: str, language: str, expected: list[str]) -> None:
    assert count_fillers(text, language) == expected


def test_rates_count_words_in_english_and_characters_in_chinese() -> None:
    assert count_units("when a customer complained I listened", "en") == (6, "wpm")
    assert count_units("客户投诉时，我先道歉，然后提供退款。", "zh-hans") == (15, "cpm")
    assert count_units("我用Excel做报表", "zh") == (6, "cpm")


def _delivery(audio: dict | None = None, video: dict | None = None) -> dict:
    base = {"speech_s": 30.0, "speaking_rate": 140.0, "rate_unit": "wpm", "pause_ratio": 0.2, "longest_pause_s": 1.5,
            "pitch_range_st": 8.0, "loudness_sd_db": 5.0, "speech_level_dbfs": -20.0, "filler_rate": 2.0}
    return {"audio": None if audio is None else {**base, **audio}, "video": video}


def test_a_delivery_inside_every_range_scores_100_and_raises_no_flag() -> None:
    delivery = _delivery({})
    assert delivery_score(delivery) == 100.0
    assert delivery_flags(delivery["audio"], None) == []


def test_the_delivery_score_formula() -> None:
    # Rate 200 wpm: 30 over 170 in a 60-wide range → half the weight of 20 → 10 of 80 audio points.
    assert delivery_score(_delivery({"speaking_rate": 200.0})) == 87.5
    # Far outside counts at most the full weight: pause ratio 0.9 (weight 15) → 15 of 80.
    assert delivery_score(_delivery({"pause_ratio": 0.9})) == 81.2
    # A metric that is null is left out of both sums.
    assert delivery_score(_delivery({"speaking_rate": None, "filler_rate": None, "pause_ratio": 0.9})) == 70.0
    video = {"face_present_ratio": 0.5, "looking_at_camera_ratio": 1.0, "head_movement": 0.1,
             "multiple_faces_s": 10.0}
    # Face present half the time: 4 widths below 0.9 → capped at its weight 10, of 100 points; multiple faces never
    # costs points.
    assert delivery_score(_delivery({}, video)) == 90.0
    assert delivery_score(_delivery(None)) is None
    assert delivery_score(_delivery({"speech_s": 0.2})) is None
    assert distance_outside(5.0, 0.0, 10.0) == 0.0
    assert distance_outside(12.0, 0.0, 10.0) == pytest.approx(0.2)


def test_flags_name_the_metrics_outside_their_ranges() -> None:
    audio = {"speaking_rate": 250.0, "rate_unit": "cpm", "pause_ratio": 0.1, "longest_pause_s": 4.0,
             "filler_rate": 9.0, "speech_level_dbfs": -45.0, "pitch_range_st": 2.0}
    video = {"face_present_ratio": 0.5, "multiple_faces_s": 1.0, "looking_at_camera_ratio": 0.3,
             "head_movement": 0.5}
    # 250 characters per minute is ordinary Chinese.
    assert delivery_flags(audio, video) == ["long_pauses", "many_fillers", "quiet", "narrow_pitch", "no_face",
                                            "multiple_faces", "looking_away", "much_movement"]
    assert delivery_flags({"speaking_rate": 90.0, "rate_unit": "wpm"}, None) == ["slow_speech"]
    assert delivery_flags({"speaking_rate": 190.0, "rate_unit": "wpm"}, None) == ["fast_speech"]
    assert set(DELIVERY_FLAGS) == {"fast_speech", "slow_speech", "long_pauses", "many_fillers", "quiet",
                                   "narrow_pitch", "no_face", "multiple_faces", "looking_away", "much_movement"}


def test_typical_ranges_are_ordered_and_resolve_the_rate_unit() -> None:
    assert all(low < high for low, high in TYPICAL_RANGES.values())
    assert TYPICAL_RANGES["speaking_rate_wpm"] == (110.0, 170.0)
    assert TYPICAL_RANGES["speaking_rate_cpm"] == (180.0, 300.0)
    assert ranges_for("cpm")["speaking_rate"] == (180.0, 300.0)
    assert "speaking_rate" not in ranges_for(None)


def test_asr_chunk_padding_never_reaches_back_into_the_previous_chunk() -> None:
    # Found by the property test above: a long segment cut into pieces, then a short one 0.375 s later.
    chunks = asr_chunks([Segment(80.375, 104.375), Segment(104.75, 105.75)], 106.75, max_chunk=5.0)
    assert all(a[1] <= b[0] for a, b in pairwise(chunks))
    assert chunks[-1] == (chunks[-2][1], 106.0)
