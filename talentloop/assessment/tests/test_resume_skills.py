"""The skill vocabulary and matching: synonyms both ways, word boundaries, ambiguous short names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.resume import skills
from talentloop.assessment.resume.skills import all_skills, find_skills, normalise_skill

NAMES = {skill.name for skill in all_skills()}


def test_the_vocabulary_is_large_and_covers_every_area() -> None:
    vocabulary = all_skills()
    assert len(vocabulary) >= 150
    assert len(NAMES) == len(vocabulary)
    categories = {skill.category for skill in vocabulary}
    assert {"programming_language", "framework", "database", "data_ml", "cloud_devops", "office", "sales_marketing",
            "finance", "hr", "design", "soft_skill", "china_tools"} <= categories
    assert {"Kingdee", "Yonyou", "DingTalk", "WeCom", "Feishu", "Golden Tax System"} <= NAMES
    assert all(skill.synonyms for skill in vocabulary)


def test_every_synonym_written_alone_finds_its_skill() -> None:
    wrong = {}
    for skill in all_skills():
        for synonym in skill.synonyms:
            found = find_skills(synonym)
            if found != [skill.name]:
                wrong[synonym] = found
    assert wrong == {}


def test_every_synonym_and_name_normalises_to_its_skill_in_any_case() -> None:
    for skill in all_skills():
        for written in (skill.name, *skill.synonyms):
            assert normalise_skill(written) == skill.name
            assert normalise_skill(f"  {written.upper()} ") == skill.name
            assert normalise_skill(written.lower()) == skill.name


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("机器学习", ["Machine Learning"]), ("machine learning", ["Machine Learning"]), ("ML", ["Machine Learning"]),
        ("JS", ["JavaScript"]), ("js", ["JavaScript"]), ("JavaScript", ["JavaScript"]),
        ("数据分析", ["Data Analysis"]), ("Data Analysis", ["Data Analysis"]), ("K8s", ["Kubernetes"]),
        ("金蝶K3", ["Kingdee"]), ("用友U8", ["Yonyou"]), ("钉钉", ["DingTalk"]), ("企业微信", ["WeCom"]),
        ("Golang", ["Go"]), ("Go语言", ["Go"]), ("Go language", ["Go"]), ("R语言", ["R"]), ("R language", ["R"]),
        ("C语言", ["C"]), ("C/C++", ["C", "C++"]), ("C++", ["C++"]), ("C#", ["C#"]), (".NET Core", [".NET"]),
        ("Spring Boot", ["Spring Boot"]), ("Spring", ["Spring"]), ("Ｐｙｔｈｏｎ", ["Python"]),
        ("熟悉Java、MySQL和Redis", ["Java", "MySQL", "Redis"]), ("Python/R", ["Python", "R"]),
        ("machine\n  learning", ["Machine Learning"]),
    ],
)
def test_synonyms_in_chinese_and_english(text: str, found: list[str]) -> None:
    assert find_skills(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("JavaScript", ["JavaScript"]),  # no Java inside JavaScript
        ("Java/JavaScript", ["Java", "JavaScript"]),
        ("JSON APIs", []),  # no JS inside JSON
        ("Node.js", ["Node.js"]),  # no JS after "Node."
        ("Vue.js", ["Vue.js"]),
        ("HTML5 and XML", ["HTML"]),  # no ML inside HTML or XML
        ("Go to market strategy", []),  # "Go" alone is a verb, not Golang
        ("Let's go", []),
        ("R&D centre, Grade R", []),  # "R" alone is never the language
        ("C level executive, Grade C, vitamin C", []),  # nor "C"
        ("Wang Ai, Li Ai", []),  # "AI" only in capitals: "Ai" is a pinyin name
        ("AI产品经理", ["Artificial Intelligence"]),
        ("I excel at closing deals", []),  # "excel" the verb
        ("精通Excel", ["Excel"]),
        ("a word of thanks", []),
        ("熟练使用Word、Excel、PPT", ["Word", "Excel", "PowerPoint"]),
        ("MySQL, NoSQL, PL/SQL", ["MySQL", "Oracle Database"]),
        ("SQL Server", ["SQL Server"]),
        ("Javanese", []),
        ("pythonic", []),
    ],
)
def test_ascii_synonyms_match_only_on_word_boundaries(text: str, found: list[str]) -> None:
    assert find_skills(text) == found


def test_skills_are_listed_once_in_order_of_first_mention() -> None:
    assert find_skills("Python, JS, python3, JavaScript, 机器学习, ML, Python") == [
        "Python", "JavaScript", "Machine Learning",
    ]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("Go", "Go"), ("go", "Go"), ("R", "R"), ("c", "C"), ("golang", "Go"), ("js", "JavaScript"),
     ("JAVASCRIPT", "JavaScript"), ("机器学习", "Machine Learning"), ("k8s", "Kubernetes"), ("金蝶", "Kingdee"),
     ("Excel", "Excel"), ("excel", "Excel"), ("ms  office", "Microsoft Office"), ("Ｊａｖａ", "Java")],
)
def test_normalise_maps_any_spelling_to_the_canonical_name(written: str, canonical: str) -> None:
    assert normalise_skill(written) == canonical


@pytest.mark.parametrize("written", ["", "   ", "C/C++", "Underwater basket weaving", "Javanese"])
def test_normalise_returns_none_for_what_is_not_one_skill(written: str) -> None:
    assert normalise_skill(written) is None


def test_a_synonym_claimed_by_two_skills_is_a_data_error() -> None:
    raw = {"skills": [{"name": "A", "category": "x", "synonyms": ["same"]},
                      {"name": "B", "category": "x", "synonyms": ["Same"]}]}
    with pytest.raises(ValueError, match="'Same' names both 'A' and 'B'"):
        skills._build(raw)


def test_a_compound_naming_an_unknown_skill_is_a_data_error() -> None:
    raw = {"skills": [{"name": "A", "category": "x", "synonyms": ["a1"]}], "compounds": {"A/B": ["A", "B"]}}
    with pytest.raises(ValueError, match="unknown skills \\['B'\\]"):
        skills._build(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_find_skills_never_raises_and_returns_only_canonical_names(text: str) -> None:
    found = find_skills(text)
    assert set(found) <= NAMES
    assert len(found) == len(set(found))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted({s for skill in all_skills() for s in skill.synonyms})), max_size=8),
       st.sampled_from([", ", "、", " and ", "\n", "; ", "/"]))
def test_every_skill_in_a_list_is_found_whatever_the_separator(listed: list[str], joiner: str) -> None:
    found = find_skills(joiner.join(listed))
    assert {normalise_skill(synonym) for synonym in listed} <= set(found)


def test_chinese_labels_use_an_all_chinese_synonym_or_keep_the_name() -> None:
    from talentloop.assessment.resume.skills import chinese_label

    assert [chinese_label(n) for n in ("Marketing", "Data Analysis", "Python", "no such skill")] == [
        "市场营销", "数据分析", "Python", "no such skill",
    ]
