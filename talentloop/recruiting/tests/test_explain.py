"""Every sentence the screening engine can write is shown in Chinese on Chinese pages."""

from __future__ import annotations

import pytest
from django.utils import translation

from talentloop.assessment.resume.parsed import ParsedResume
from talentloop.assessment.screening import ScreeningCriteria, screen
from talentloop.recruiting.explain import explain


def _sentences() -> list[str]:
    criteria = ScreeningCriteria(
        min_degree=3, min_years=3, required_skills=("Python", "Docker"), preferred_skills=("Kubernetes",),
        locations=("上海",),
    )
    weak = screen(ParsedResume(highest_degree="associate", total_years_experience=1.5, skills=("Python",),
                               location="北京"), criteria)
    strong = screen(ParsedResume(highest_degree="master", total_years_experience=5, skills=("Python", "Docker"),
                                 location="上海"), criteria)
    unstated = screen(ParsedResume(), criteria)
    return [*weak.matched, *weak.missing, *strong.matched, *strong.missing, *unstated.missing]


def test_every_engine_sentence_has_a_chinese_rendering() -> None:
    sentences = _sentences()
    assert len(sentences) >= 9
    with translation.override("zh-hans"):
        rendered = [explain(s) for s in sentences]
    untranslated = [s for s, r in zip(sentences, rendered, strict=True) if r == s]
    assert untranslated == []


@pytest.mark.parametrize(
    ("sentence", "english"),
    [
        ("Python (required)", "Python (required)"),
        ("needs ≥ 3 years, has 1.5", "needs at least 3 years of experience, has 1.5"),
        ("needs bachelor's degree or higher, has associate degree",
         "needs bachelor's degree or higher, has associate degree"),
        ("something new", "something new"),
    ],
)
def test_english_rendering(sentence: str, english: str) -> None:
    with translation.override("en"):
        assert explain(sentence) == english


def test_skills_read_in_chinese_where_the_vocabulary_has_a_chinese_name() -> None:
    with translation.override("zh-hans"):
        assert explain("Marketing (required)") == "市场营销（必备）"
        assert explain("Python (preferred)") == "Python（加分项）"
    with translation.override("en"):
        assert explain("Marketing (required)") == "Marketing (required)"
