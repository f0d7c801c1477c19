"""Fusion: competency scores, overall score, fit level, strengths and weaknesses with evidence."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.interview import (
    FUSION_ENGINE,
    FUSION_VERSION,
    CompetencyWeight,
    Finding,
    FitBand,
    ScoredAnswer,
    best_evidence,
    fit_level,
    fuse,
)

BANDS = (FitBand("junior", 1, 60, 74), FitBand("mid", 2, 75, 89), FitBand("senior", 3, 90, 100))
MODEL = (
    CompetencyWeight("communication", 0.5, 70),
    CompetencyWeight("teamwork", 0.3, 80),
    CompetencyWeight("leadership", 0.2, 70),
)
ANSWERS = (
    ScoredAnswer(1, "communication", 90.0, ("I first listened.", "Then I apologised.")),
    ScoredAnswer(2, "teamwork", 70.0, ("We split the work.",), ("shares credit", "asks for help")),
    ScoredAnswer(3, "communication", 81.0, ("I sent a summary.", "I first listened.")),
    ScoredAnswer(4, "teamwork", 73.0, ("",), ("asks for help", "offers help", "resolves conflict", "fifth")),
    ScoredAnswer(5, "leadership", 60.0, ()),
    ScoredAnswer(6, "not_in_model", 10.0, ("ignored",)),
)


def test_numbers_of_a_worked_example() -> None:
    result = fuse(answers=ANSWERS, model=MODEL, bands=BANDS)
    assert [(c.code, c.score, c.answers) for c in result.competencies] == [
        ("communication", 85.5, 2),  # (90 + 81) / 2
        ("teamwork", 71.5, 2),  # (70 + 73) / 2
        ("leadership", 60.0, 1),
    ]
    # (0.5 * 85.5 + 0.3 * 71.5 + 0.2 * 60) / 1.0 = 42.75 + 21.45 + 12 = 76.2
    assert result.overall_score == 76.2
    assert result.fit_level == "mid"
    assert result.strengths == (
        Finding("communication", 85.5, 70, 15.5, ((1, "I first listened."), (3, "I sent a summary.")), ()),
    )
    assert [(f.competency, f.gap) for f in result.weaknesses] == [("leadership", -10.0), ("teamwork", -8.5)]
    teamwork = result.weaknesses[1]
    assert teamwork.evidence == ((2, "We split the work."),)  # the blank sentence of answer 4 is skipped
    assert teamwork.missing_key_points == ("shares credit", "asks for help", "offers help")
    assert (result.engine, result.engine_version) == (FUSION_ENGINE, FUSION_VERSION)
    assert result.parameters["strength_margin"] == 5.0


def test_a_competency_without_answers_scores_zero_and_all_weights_zero_is_a_plain_mean() -> None:
    result = fuse(answers=ANSWERS[:1], model=MODEL, bands=BANDS)
    assert [c.score for c in result.competencies] == [90.0, 0.0, 0.0]
    assert result.overall_score == 45.0
    assert result.fit_level == "below"
    flat = tuple(CompetencyWeight(m.code, 0, m.required_score) for m in MODEL)
    assert fuse(answers=ANSWERS, model=flat, bands=BANDS).overall_score == round((85.5 + 71.5 + 60) / 3, 1)
    empty = fuse(answers=(), model=(), bands=BANDS)
    assert (empty.overall_score, empty.fit_level, empty.competencies) == (0.0, "below", ())


@pytest.mark.parametrize(
    ("overall", "level"),
    [(85, "mid"), (85.0, "mid"), (59.9, "below"), (60, "junior"), (74.9, "junior"), (75, "mid"), (89.9, "mid"),
     (90, "senior"), (100, "senior"), (0, "below")],
)
def test_default_bands(overall: float, level: str) -> None:
    assert fit_level(overall, BANDS) == level


def test_overall_85_gives_mid_through_fuse() -> None:
    model = (CompetencyWeight("a", 2, 70), CompetencyWeight("b", 1, 70))
    answers = (ScoredAnswer(1, "a", 80, ()), ScoredAnswer(2, "a", 90, ()), ScoredAnswer(3, "b", 85, ()))
    result = fuse(answers=answers, model=model, bands=BANDS)
    assert result.overall_score == 85.0
    assert result.fit_level == "mid"


def test_overlapping_bands_go_to_the_higher_rank_and_margin_is_configurable() -> None:
    bands = (FitBand("any", 1, 0, 100), FitBand("lead", 4, 80, 100))
    assert fit_level(85, bands) == "lead"
    assert fit_level(79, bands) == "any"
    model = (CompetencyWeight("a", 1, 80),)
    at_margin = fuse(answers=(ScoredAnswer(1, "a", 85, ()),), model=model, bands=bands)
    assert [f.competency for f in at_margin.strengths] == ["a"]
    wide = fuse(answers=(ScoredAnswer(1, "a", 85, ()),), model=model, bands=bands, strength_margin=10)
    assert (wide.strengths, wide.weaknesses) == ((), ())
    just_below = fuse(answers=(ScoredAnswer(1, "a", 79.9, ()),), model=model, bands=bands)
    assert [f.gap for f in just_below.weaknesses] == [-0.1]


def test_long_evidence_is_cut_and_to_dict_is_json() -> None:
    answers = (ScoredAnswer(1, "communication", 80, ("长" * 1000,)),)
    result = fuse(answers=answers, model=MODEL, bands=BANDS)
    sentence = result.competencies[0].evidence[0][1]
    assert len(sentence) == 300
    assert sentence.endswith("…")
    data = fuse(answers=ANSWERS, model=MODEL, bands=BANDS).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {"overall_score", "fit_level", "competencies", "strengths", "weaknesses", "engine"}
    assert data["competencies"][0] == {
        "code": "communication", "score": 85.5, "required_score": 70, "weight": 0.5, "answers": 2,
        "evidence": [[1, "I first listened."], [3, "I sent a summary."]], "missing_key_points": [],
    }
    assert data["strengths"][0] == {
        "code": "communication", "score": 85.5, "required_score": 70, "gap": 15.5,
        "evidence": [[1, "I first listened."], [3, "I sent a summary."]], "missing_key_points": [],
    }
    assert data["engine"]["name"] == FUSION_ENGINE
    assert data["engine"]["version"] == FUSION_VERSION
    assert data["engine"]["answer_engines"] == []
    assert data["engine"]["calibration"] is None
    assert data["engine"]["parameters"]["bands"][1] == {"code": "mid", "rank": 2, "fit_min": 75, "fit_max": 89}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"answers": (ScoredAnswer(1, "a", 101, ()),)}, "position 1 must be between 0 and 100"),
        ({"answers": (ScoredAnswer(1, "a", float("nan"), ()),)}, "position 1"),
        ({"model": (CompetencyWeight("a", 1), CompetencyWeight("a", 1))}, "listed twice"),
        ({"model": (CompetencyWeight("a", -1),)}, "weight of a"),
        ({"model": (CompetencyWeight("a", 1, 120),)}, "required score of a"),
        ({"bands": (FitBand("x", 1, 80, 70),)}, "fit_min 80 is above fit_max 70"),
        ({"strength_margin": -1}, "strength_margin"),
    ],
)
def test_bad_input_is_rejected(kwargs, message) -> None:
    arguments = {"answers": (), "model": (CompetencyWeight("a", 1),), "bands": BANDS, **kwargs}
    with pytest.raises(ValueError, match=message):
        fuse(**arguments)


@settings(max_examples=150, deadline=None)
@given(
    scores=st.lists(st.tuples(st.sampled_from("abcd"), st.floats(0, 100)), max_size=12),
    weights=st.lists(st.floats(0, 5), min_size=3, max_size=3),
    required=st.lists(st.integers(0, 100), min_size=3, max_size=3),
)
def test_properties(scores, weights, required) -> None:
    model = tuple(CompetencyWeight(code, w, r) for code, w, r in zip("abc", weights, required, strict=True))
    answers = tuple(ScoredAnswer(i + 1, code, s, (f"s{i}",)) for i, (code, s) in enumerate(scores))
    result = fuse(answers=answers, model=model, bands=BANDS)
    assert 0 <= result.overall_score <= 100
    assert [c.code for c in result.competencies] == ["a", "b", "c"]
    assert not {f.competency for f in result.strengths} & {f.competency for f in result.weaknesses}
    for item in result.competencies:
        assert len(item.evidence) <= 2
        assert len(item.missing_key_points) <= 3
    assert result.fit_level in {"below", "junior", "mid", "senior"}
    json.dumps(result.to_dict())


def test_best_evidence_ranks_key_points_first_and_keeps_text_order_on_ties() -> None:
    evidence = [
        {"sentence": "Last year ...", "start": 0, "end": 10, "reasons": ["STAR situation"]},
        {"sentence": "I listened.", "start": 11, "end": 22, "reasons": ["key point: listen", "STAR action"]},
        {"sentence": "Sales rose 20%.", "start": 23, "end": 38, "reasons": ["STAR result", "result with a number"]},
        {"sentence": "I apologised.", "start": 39, "end": 52, "reasons": ["key point: apologise"]},
        {"sentence": " ", "reasons": ["number"]},
        "not a mapping",
    ]
    assert best_evidence(evidence) == ("I listened.", "Sales rose 20%.", "I apologised.", "Last year ...")
    assert best_evidence([]) == ()
