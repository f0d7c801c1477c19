"""Screening: the documented formula on hand-computed cases, knock-outs, monotonicity and ranking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.resume import ParsedResume, parse_resume
from talentloop.assessment.screening import (
    COMPONENTS,
    ScreeningCriteria,
    ScreeningResult,
    ScreeningWeights,
    rank,
    screen,
)
from talentloop.assessment.tests import resume_samples as samples

RESUME = ParsedResume(
    name="Test", location="上海", highest_degree="master", total_years_experience=3.0,
    skills=("Python", "Django"), terms={"python": 2, "django": 1},
)
CRITERIA = ScreeningCriteria(
    min_degree=3, min_years=4, required_skills=("Python", "Django", "SQL"), preferred_skills=("Docker", "AWS"),
    locations=("Shanghai",), job_text="Python Django developer", pass_score=60,
)


def test_a_hand_computed_case() -> None:
    # R = 2/3, P = 0, E = 3/4, D = 1, S = (2*1 + 1*1) / (sqrt(5) * sqrt(3)) = 0.774597 (job: python, django, developer)
    # score = 100 * (0.40*2/3 + 0.15*0 + 0.20*0.75 + 0.10*1 + 0.15*0.774597) = 63.2857
    assert screen(RESUME, CRITERIA) == ScreeningResult(
        score=63.3,
        passed=False,
        matched=("Python (required)", "Django (required)", "master's degree (needs bachelor's degree or higher)",
                 "lives in 上海"),
        missing=("SQL (required)", "Docker (preferred)", "AWS (preferred)", "needs ≥ 4 years, has 3"),
        knocked_out_by=("min_years", "required_skills"),
        subscores={"required_skills": 66.7, "preferred_skills": 0.0, "experience": 75.0, "education": 100.0,
                   "similarity": 77.5},
        parameters={"weights": {"required_skills": 0.4, "preferred_skills": 0.15, "experience": 0.2,
                                "education": 0.1, "similarity": 0.15},
                    "pass_score": 60, "min_degree": 3, "min_years": 4, "knockouts": CRITERIA.knockouts},
    )


def test_components_the_job_does_not_ask_for_are_left_out() -> None:
    criteria = ScreeningCriteria(required_skills=("Python", "Go"))
    result = screen(RESUME, criteria)
    assert result.score == 50.0  # only R applies: 100 * 1/2
    assert result.subscores == {"required_skills": 50.0, "preferred_skills": None, "experience": None,
                                "education": None, "similarity": None}
    assert result.parameters["weights"] == {"required_skills": 1.0, "preferred_skills": 0.0, "experience": 0.0,
                                            "education": 0.0, "similarity": 0.0}
    assert (result.passed, result.knocked_out_by, result.missing) == (False, ("required_skills",), ("Go (required)",))


def test_custom_weights_are_normalised_over_the_components_that_apply() -> None:
    weights = ScreeningWeights(required_skills=3, preferred_skills=0, experience=1, education=0, similarity=0)
    result = screen(RESUME, dataclasses.replace(CRITERIA, weights=weights))
    assert result.score == round(100 * (3 * 2 / 3 + 1 * 0.75) / 4, 1) == 68.8


def test_a_job_that_asks_for_nothing_scores_everyone_100() -> None:
    result = screen(ParsedResume(), ScreeningCriteria())
    assert (result.score, result.passed, result.matched, result.missing) == (100.0, True, (), ())
    assert set(result.subscores) == set(COMPONENTS)


def test_a_strong_sample_resume_passes_a_matching_job() -> None:
    parsed = parse_resume(samples.ZHANG_WEI.text(), today=dt.date(2025, 6, 30))
    criteria = ScreeningCriteria(
        min_degree=3, min_years=3, required_skills=("Java", "MySQL", "Redis"),
        preferred_skills=("Kafka", "Docker", "k8s", "Go"), locations=("上海", "Hangzhou"), pass_score=60,
        job_text="负责电商交易系统后端开发，使用Java、Spring Boot、MySQL、Redis、Kafka。"
                 "本科以上学历，3年以上Java开发经验。",
    )
    result = screen(parsed, criteria)
    assert (result.passed, result.knocked_out_by) == (True, ())
    assert result.matched[:7] == ("Java (required)", "MySQL (required)", "Redis (required)", "Kafka (preferred)",
                                  "Docker (preferred)", "Kubernetes (preferred)", "has 7.8 years (needs ≥ 3)")
    assert result.missing == ("Go (preferred)",)
    similarity = result.subscores["similarity"]
    assert similarity is not None
    assert similarity > 30
    assert result.score == round(100 * (0.4 + 0.15 * 0.75 + 0.2 + 0.1 + 0.15 * similarity / 100), 1)


# ------------------------------------------------------------------------------------------ knock-outs


def test_each_knock_out_names_its_rule() -> None:
    resume = ParsedResume(location="广州", highest_degree="associate", total_years_experience=1.5, skills=("Excel",))
    criteria = ScreeningCriteria(min_degree=3, min_years=3, required_skills=("Excel", "SAP"),
                                 locations=("上海", "北京"), pass_score=0)
    result = screen(resume, criteria)
    assert result.knocked_out_by == ("min_degree", "min_years", "required_skills", "location")
    assert result.passed is False
    assert result.missing == ("SAP (required)", "needs ≥ 3 years, has 1.5",
                              "needs bachelor's degree or higher, has associate degree",
                              "needs location 上海, 北京, lives in 广州")


def test_a_resume_without_a_degree_is_knocked_out_by_min_degree() -> None:
    result = screen(ParsedResume(), ScreeningCriteria(min_degree=4))
    assert result.knocked_out_by == ("min_degree",)
    assert result.missing == ("needs master's degree or higher, has none stated",)
    assert result.subscores["education"] == 0.0


def test_a_resume_without_a_city_is_not_knocked_out_by_location() -> None:
    result = screen(ParsedResume(), ScreeningCriteria(locations=("Shanghai",)))
    assert (result.knocked_out_by, result.missing, result.passed) == ((), ("location not stated (job in 上海)",), True)


@pytest.mark.parametrize("places", [("Shanghai",), ("上海市",), ("shanghai city", "Beijing"), ("不限",), ("Remote",)])
def test_cities_match_in_chinese_or_english_and_any_place_accepts_all(places: tuple[str, ...]) -> None:
    assert screen(ParsedResume(location="上海"), ScreeningCriteria(locations=places)).knocked_out_by == ()


def test_an_unknown_city_matches_by_name() -> None:
    criteria = ScreeningCriteria(locations=("Singapore",))
    assert screen(ParsedResume(location="singapore"), criteria).knocked_out_by == ()
    assert screen(ParsedResume(location="Jakarta"), criteria).knocked_out_by == ("location",)


def test_knock_outs_can_be_switched_off() -> None:
    criteria = dataclasses.replace(CRITERIA, knockouts=("min_degree",), pass_score=60)
    result = screen(RESUME, criteria)
    assert (result.knocked_out_by, result.passed) == ((), True)  # 63.3 >= 60
    assert screen(RESUME, dataclasses.replace(criteria, pass_score=64)).passed is False


def test_criteria_skills_are_normalised_and_unknown_ones_matched_by_their_words() -> None:
    resume = ParsedResume(skills=("JavaScript", "Kubernetes"), terms={"marine": 1, "underwriting": 3})
    criteria = ScreeningCriteria(required_skills=("js", "K8S", "Marine Underwriting", "Aviation Underwriting", "js"))
    result = screen(resume, criteria)
    assert result.matched == ("JavaScript (required)", "Kubernetes (required)", "Marine Underwriting (required)")
    assert result.missing == ("Aviation Underwriting (required)",)


def test_a_stored_dict_screens_like_the_parsed_resume() -> None:
    parsed = parse_resume(samples.EMILY_CHEN.text(), today=dt.date(2025, 6, 30))
    criteria = ScreeningCriteria(required_skills=("Python", "SQL"), job_text="machine learning engineer, python")
    assert screen(json.loads(json.dumps(parsed.to_dict())), criteria) == screen(parsed, criteria)


def test_a_stored_dict_with_wrong_types_screens_as_if_the_values_were_missing() -> None:
    garbage = {"skills": "Python", "terms": {"python": "x"}, "highest_degree": ["master"],
               "total_years_experience": "5", "location": 3}
    assert screen(garbage, CRITERIA) == screen(ParsedResume(), CRITERIA)
    mixed = {"skills": ["Python", 3], "terms": {"python": 2, "django": True, "x": "y"}, "total_years_experience": 3}
    assert screen(mixed, CRITERIA) == screen(
        ParsedResume(skills=("Python",), terms={"python": 2, "django": True}, total_years_experience=3.0), CRITERIA
    )


def test_results_are_plain_json() -> None:
    data = screen(RESUME, CRITERIA).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["knocked_out_by"] == ["min_years", "required_skills"]
    assert data["parameters"]["knockouts"] == ["min_degree", "min_years", "required_skills", "location"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_degree": 6}, "min_degree must be an integer from 0 to 5"),
        ({"min_years": -1}, "min_years must be a finite number >= 0"),
        ({"min_years": math.nan}, "min_years must be a finite number >= 0"),
        ({"pass_score": 101}, "pass_score must be from 0 to 100"),
        ({"knockouts": ("salary",)}, "unknown knock-out rules \\['salary'\\]"),
    ],
)
def test_invalid_criteria_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(ScreeningCriteria(), **changes)


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="weight experience must be a finite number >= 0"):
        ScreeningWeights(experience=-0.1)


def test_lists_are_stored_as_tuples_so_criteria_stay_hashable() -> None:
    # The Django side may pass lists straight from JSON.
    skills: Any = ["Python"]
    places: Any = ["上海"]
    criteria = ScreeningCriteria(required_skills=skills, locations=places)
    assert (criteria.required_skills, criteria.locations) == (("Python",), ("上海",))
    assert hash(criteria) == hash(ScreeningCriteria(required_skills=("Python",), locations=("上海",)))


# ------------------------------------------------------------------------------------------ ranking


def test_rank_orders_by_score_then_key() -> None:
    weak = ParsedResume(skills=("Python",))
    strong = ParsedResume(skills=("Python", "Django", "SQL"), total_years_experience=5.0, highest_degree="bachelor")
    items: list[tuple[str, ParsedResume | dict[str, Any]]] = [("c", weak), ("b", strong), ("a", weak),
                                                              ("d", strong.to_dict())]
    ranked = rank(items, CRITERIA)
    assert [key for key, _ in ranked] == ["b", "d", "a", "c"]
    assert [result for _, result in ranked] == [screen(parsed, CRITERIA) for _, parsed in
                                                [items[1], items[3], items[2], items[0]]]
    assert ranked[0][1].score > ranked[2][1].score


def test_rank_of_nothing_is_empty() -> None:
    assert rank([], CRITERIA) == []


# ------------------------------------------------------------------------------------------ properties

POOL = ("Python", "Java", "SQL", "Excel", "Docker", "Kubernetes", "Recruitment", "Machine Learning", "Kingdee")
DEGREES = (None, "high_school", "associate", "bachelor", "master", "doctorate")
resumes = st.builds(
    ParsedResume,
    skills=st.lists(st.sampled_from(POOL), unique=True).map(tuple),
    total_years_experience=st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda y: round(y, 1)),
    highest_degree=st.sampled_from(DEGREES),
    location=st.sampled_from([None, "上海", "北京", "Jakarta"]),
    terms=st.dictionaries(st.sampled_from(["python", "java", "招聘", "数据", "sql", "docker"]),
                          st.integers(min_value=1, max_value=5)),
)
criteria_sets = st.builds(
    ScreeningCriteria,
    min_degree=st.integers(min_value=0, max_value=5),
    min_years=st.floats(min_value=0, max_value=20, allow_nan=False),
    required_skills=st.lists(st.sampled_from(POOL), max_size=4).map(tuple),
    preferred_skills=st.lists(st.sampled_from(POOL), max_size=4).map(tuple),
    locations=st.lists(st.sampled_from(["上海", "Beijing", "Jakarta"]), max_size=2).map(tuple),
    job_text=st.sampled_from(["", "Python SQL developer", "招聘数据分析", "Java, Docker"]),
    pass_score=st.integers(min_value=0, max_value=100),
)


@settings(max_examples=300, deadline=None)
@given(resumes, criteria_sets, st.sampled_from(POOL))
def test_adding_a_skill_never_lowers_the_score(resume: ParsedResume, criteria: ScreeningCriteria, skill: str) -> None:
    before = screen(resume, criteria)
    after = screen(dataclasses.replace(resume, skills=tuple(dict.fromkeys((*resume.skills, skill)))), criteria)
    assert after.score >= before.score
    assert set(after.knocked_out_by) <= set(before.knocked_out_by)


@settings(max_examples=300, deadline=None)
@given(resumes, criteria_sets, st.floats(min_value=0, max_value=30, allow_nan=False))
def test_more_years_never_lower_the_score(resume: ParsedResume, criteria: ScreeningCriteria, extra: float) -> None:
    more = dataclasses.replace(resume, total_years_experience=resume.total_years_experience + extra)
    assert screen(more, criteria).score >= screen(resume, criteria).score


@settings(max_examples=300, deadline=None)
@given(resumes, criteria_sets, st.sampled_from(DEGREES[1:]))
def test_a_higher_degree_never_lowers_the_score(resume: ParsedResume, criteria: ScreeningCriteria,
                                                degree: str) -> None:
    ranks = {d: i for i, d in enumerate(DEGREES)}
    if ranks[degree] >= ranks[resume.highest_degree]:
        higher = dataclasses.replace(resume, highest_degree=degree)
        assert screen(higher, criteria).score >= screen(resume, criteria).score


@settings(max_examples=300, deadline=None)
@given(resumes, criteria_sets)
def test_scores_are_bounded_deterministic_and_consistent(resume: ParsedResume, criteria: ScreeningCriteria) -> None:
    result = screen(resume, criteria)
    assert 0.0 <= result.score <= 100.0
    assert result == screen(ParsedResume.from_dict(resume.to_dict()), criteria)
    assert result.passed == (not result.knocked_out_by and result.score >= criteria.pass_score)
    assert set(result.subscores) == set(COMPONENTS)
    assert all(v is None or 0.0 <= v <= 100.0 for v in result.subscores.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(resumes, max_size=12), criteria_sets)
def test_ranking_is_sorted_and_complete(parsed: list[ParsedResume], criteria: ScreeningCriteria) -> None:
    ranked = rank(list(enumerate(parsed)), criteria)
    assert sorted(key for key, _ in ranked) == list(range(len(parsed)))
    order = [(-result.score, key) for key, result in ranked]
    assert order == sorted(order)
