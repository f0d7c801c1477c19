"""The speech pipeline on real synthetic speech: espeak-ng's English answer, recorded as a browser would
(WebM/Opus, Ogg/Opus), recognised by pocketsphinx, measured, and scored by the text scorer like a typed answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentloop.assessment.answers import Answer, KeyPoint, Question, TextAnswerScorer
from talentloop.assessment.media import (
    DELIVERY_FLAGS,
    ENGINE_NAME,
    ENGINE_VERSION,
    MediaAnalysis,
    SpeechRecognizer,
    Transcript,
    analyse_media,
    delivery_score,
    recognizer_for,
)
from talentloop.assessment.media.testing import (
    ENGLISH_ANSWER,
    OFF_TOPIC_ENGLISH_ANSWER,
    convert,
    join_wavs,
    noise_wav,
    silence_wav,
    speech_wav,
)

QUESTION = Question(
    text="Tell us how you handle a customer complaint.",
    language="en",
    competency="Customer service",
    key_points=(
        KeyPoint("listen", ("listened", "hear")),
        KeyPoint("apologize", ("apologise", "sorry", "apologized")),
        KeyPoint("refund", ("replacement", "compensation")),
        KeyPoint("follow up", ("call the customer", "next day")),
    ),
    reference_answers=(
        "I listen to the customer, apologize, offer a refund or a replacement, and call the customer the next day.",
    ),
    type="situational",
)


@pytest.fixture(scope="module")
def sphinx() -> SpeechRecognizer:
    return recognizer_for("pocketsphinx", language="en")


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("speech")
    answer = speech_wav(ENGLISH_ANSWER.text, root / "answer.wav")
    off_topic = speech_wav(OFF_TOPIC_ENGLISH_ANSWER.text, root / "off_topic.wav")
    first = speech_wav("I listen to the customer.", root / "first.wav")
    second = speech_wav("Then I offer a refund.", root / "second.wav")
    paused = join_wavs([0.5, first, 1.5, second, 0.3], root / "paused.wav")
    return {
        "webm": convert(answer, root / "answer.webm"),
        "ogg": convert(answer, root / "answer.ogg"),
        "off_topic": convert(off_topic, root / "off_topic.webm"),
        "paused": convert(paused, root / "paused.ogg"),
        "silence": convert(silence_wav(root / "silence.wav", 3.0), root / "silence.webm"),
        "noise": convert(noise_wav(root / "noise.wav", 3.0, level=0.1), root / "noise.webm"),
    }


@pytest.fixture(scope="module")
def analyses(recordings: dict[str, Path], sphinx: SpeechRecognizer) -> dict[str, MediaAnalysis]:
    return {name: analyse_media(path, language="en", recognizer=sphinx) for name, path in recordings.items()}


@pytest.mark.parametrize("kind", ["webm", "ogg"])
def test_the_english_answer_is_transcribed_with_its_key_words(analyses: dict[str, MediaAnalysis], kind: str) -> None:
    result = analyses[kind]
    assert result.format == kind
    assert result.has_video is False
    assert result.no_speech is False
    assert result.transcript is not None
    text = result.transcript.text
    assert [w for w in ENGLISH_ANSWER.key_words if w not in text] == [], text
    assert result.transcript.backend.startswith("pocketsphinx 5.")
    assert result.transcript.language == "en"
    words = result.transcript.words
    assert len(words) >= 20
    assert all(0.0 <= w.start < w.end <= result.duration_s + 0.01 for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert " ".join(w.text for w in words) == text


@pytest.mark.parametrize("kind", ["webm", "ogg"])
def test_delivery_metrics_of_the_english_answer_are_plausible(analyses: dict[str, MediaAnalysis], kind: str) -> None:
    delivery = analyses[kind].delivery
    audio = delivery["audio"]
    assert audio["rate_unit"] == "wpm"
    assert 100 <= audio["speaking_rate"] <= 220
    assert 6.0 <= audio["speech_s"] <= audio["duration_s"] <= 12.0
    assert 0.0 <= audio["pause_ratio"] < 0.5
    assert audio["pitch_range_st"] > 0
    assert audio["pitch_sd_st"] > 0
    assert 0 < audio["loudness_sd_db"] < 20
    assert -40 < audio["speech_level_dbfs"] < -6
    assert audio["filler_count"] == 0
    assert audio["fillers"] == []
    assert delivery["video"] is None
    assert set(delivery["flags"]) <= set(DELIVERY_FLAGS)
    assert delivery["score"] == delivery_score(delivery)
    assert 0 <= delivery["score"] <= 100
    assert delivery["engine"]["name"] == ENGINE_NAME == "talentloop-media"
    assert delivery["engine"]["version"] == ENGINE_VERSION == "1.0"
    assert delivery["engine"]["parameters"]["vad_aggressiveness"] == 2
    assert delivery["ranges"]["speaking_rate"] == [110.0, 170.0]
    timeline = delivery["timeline"]
    assert [row["t"] for row in timeline] == [float(i) for i in range(len(timeline))]
    assert len(timeline) == 10
    assert all(set(row) == {"t", "speech", "loudness_db", "face", "looking"} for row in timeline)
    assert all(row["face"] is None for row in timeline)
    # The last bin is partial; "speech" is the share of each bin's own length.
    lengths = [min(1.0, audio["duration_s"] - row["t"]) for row in timeline]
    spoken = sum(row["speech"] * length for row, length in zip(timeline, lengths, strict=True))
    assert spoken == pytest.approx(audio["speech_s"], abs=0.1)
    assert set(analyses[kind].timings) == {"decode_s", "vad_s", "asr_s", "prosody_s", "video_s"}


def test_the_text_score_follows_the_transcript(analyses: dict[str, MediaAnalysis]) -> None:
    scorer = TextAnswerScorer()
    good, off = analyses["webm"].transcript, analyses["off_topic"].transcript
    assert good is not None
    assert off is not None
    assert "weather" in off.text
    good_score = scorer.score(QUESTION, Answer(good.text))
    off_score = scorer.score(QUESTION, Answer(off.text))
    assert good_score.score > off_score.score + 20
    assert {"apologize", "refund"} <= set(good_score.matched_key_points)
    assert off_score.matched_key_points == ()


def test_pauses_between_sentences_are_measured(analyses: dict[str, MediaAnalysis]) -> None:
    audio = analyses["paused"].delivery["audio"]
    assert audio["pause_count"] == 1
    # 1.5 s of inserted silence plus espeak's own trailing and leading quiet.
    assert 1.5 <= audio["longest_pause_s"] <= 2.0
    assert 0.3 < audio["pause_ratio"] < 0.6
    assert analyses["paused"].transcript is not None
    assert "refund" in analyses["paused"].transcript.text


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_silence_and_noise_are_no_speech(analyses: dict[str, MediaAnalysis], kind: str) -> None:
    result = analyses[kind]
    assert result.no_speech is True
    assert result.transcript is not None
    assert result.transcript.backend.startswith("pocketsphinx 5.")
    assert result.transcript == Transcript(text="", words=(), backend=result.transcript.backend, language="en")
    audio = result.delivery["audio"]
    assert audio["speech_s"] == 0.0
    assert audio["speaking_rate"] is None
    assert audio["pitch_range_st"] is None
    assert audio["pause_ratio"] is None
    assert result.delivery["score"] is None
    assert result.delivery["flags"] == []


def test_without_a_recogniser_everything_but_rate_and_fillers_is_measured(recordings: dict[str, Path]) -> None:
    result = analyse_media(recordings["ogg"], language="en", recognizer=None)
    assert result.transcript is None
    assert result.no_speech is False
    audio = result.delivery["audio"]
    assert audio["speaking_rate"] is None
    assert audio["filler_count"] is None
    assert audio["filler_rate"] is None
    assert audio["fillers"] is None
    assert audio["pitch_range_st"] > 0
    assert result.delivery["engine"]["parameters"]["asr"] is None
    assert result.timings["asr_s"] < 0.05
    assert result.delivery["score"] is not None
