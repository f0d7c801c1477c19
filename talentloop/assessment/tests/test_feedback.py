"""360° arithmetic: the scale mapping, exact aggregates, and the anonymity rule as properties over many inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.feedback import (
    ANONYMOUS,
    RELATIONS,
    Answer,
    aggregate,
    group_size,
    rating_to_score,
)

no_deadline = settings(deadline=None)


def test_five_point_scale_maps_to_quarters() -> None:
    assert [rating_to_score(r, "1_5") for r in (1, 2, 3, 4, 5)] == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert rating_to_score("4", "1_5") == 75.0
    assert rating_to_score(Decimal("3.00"), "1_5") == 50.0


def test_percent_scale_is_the_score() -> None:
    assert rating_to_score(0, "0_100") == 0.0
    assert rating_to_score(Decimal("72.5"), "0_100") == 72.5
    assert rating_to_score(100, "0_100") == 100.0
    assert rating_to_score("88.125", "0_100") == 88.13


@pytest.mark.parametrize(
    ("rating", "scale"),
    [(0, "1_5"), (6, "1_5"), (Decimal("3.5"), "1_5"), (-1, "0_100"), (Decimal("100.01"), "0_100"),
     (float("nan"), "0_100"), (float("inf"), "0_100"), ("abc", "1_5"), (True, "1_5"), (3, "1_10")],
)
def test_invalid_ratings_raise(rating: object, scale: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        rating_to_score(rating, scale)  # type: ignore[arg-type]  # the wrong type is the test


@given(st.integers(min_value=1, max_value=5))
def test_five_point_mapping_property(rating: int) -> None:
    assert rating_to_score(rating, "1_5") == (rating - 1) * 25


@given(st.integers(min_value=-1000, max_value=1000).filter(lambda r: not 1 <= r <= 5))
def test_five_point_out_of_range_always_raises(rating: int) -> None:
    with pytest.raises(ValueError, match="outside 1–5"):
        rating_to_score(rating, "1_5")


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percent_mapping_is_identity_in_range(rating: Decimal) -> None:
    assert rating_to_score(rating, "0_100") == float(rating)


def _answers(relation: str, scores: list[float], competency: str = "comm", start: int = 0) -> list[Answer]:
    return [Answer(rater=start + i, relation=relation, competency=competency, score=s) for i, s in enumerate(scores)]


def test_two_peers_are_hidden_three_are_shown() -> None:
    two = aggregate([*_answers("manager", [80]), *_answers("peer", [60, 70], start=10)], min_group=3)
    peers = two.competencies[0].group("peer")
    assert (peers.n, peers.mean, peers.hidden) == (None, None, True)
    assert two.competencies[0].others == 80.0  # the hidden peers count nowhere
    assert two.hidden_relations == frozenset({"peer", "report"})

    three = aggregate([*_answers("manager", [80]), *_answers("peer", [60, 70, 75], start=10)], min_group=3)
    peers = three.competencies[0].group("peer")
    assert (peers.n, peers.mean, peers.hidden) == (3, 68.3, False)
    assert three.competencies[0].others == 71.3  # (80 + 60 + 70 + 75) / 4 = 71.25, halves up
    assert three.hidden_relations == frozenset({"report"})


def test_self_and_manager_are_shown_alone_and_self_is_not_in_others() -> None:
    result = aggregate([*_answers("self", [100]), *_answers("manager", [50], start=5)], min_group=3)
    comm = result.competencies[0]
    assert comm.group("self") == comm.groups[0]
    assert (comm.group("self").n, comm.group("self").mean) == (1, 100.0)
    assert (comm.group("manager").n, comm.group("manager").mean) == (1, 50.0)
    assert comm.others == 50.0


def test_competency_order_and_empty_competencies() -> None:
    answers = [*_answers("manager", [40], competency="zeta"), *_answers("manager", [60], competency="alpha")]
    result = aggregate(answers, min_group=2, competencies=["team", "zeta"])
    assert [c.competency for c in result.competencies] == ["team", "zeta", "alpha"]
    team = result.competencies[0]
    assert team.others is None
    assert [(g.relation, g.n, g.mean, g.hidden) for g in team.groups] == [
        ("self", 0, None, False), ("manager", 0, None, False), ("peer", None, None, True), ("report", None, None, True),
    ]


@pytest.mark.parametrize(
    "answers",
    [
        [Answer(rater=1, relation="friend", competency="c", score=50)],
        [Answer(rater=1, relation="peer", competency="c", score=101)],
        [Answer(rater=1, relation="peer", competency="c", score=5), Answer(rater=1, relation="peer", competency="c",
                                                                           score=6)],
        [Answer(rater=1, relation="peer", competency="c", score=5), Answer(rater=1, relation="report", competency="d",
                                                                           score=6)],
    ],
)
def test_bad_answers_raise(answers: list[Answer]) -> None:
    with pytest.raises(ValueError, match=r"relation|outside|twice|two groups"):
        aggregate(answers, min_group=3)


def test_min_group_must_be_positive() -> None:
    with pytest.raises(ValueError, match="min_group"):
        aggregate([], min_group=0)


def test_group_size() -> None:
    assert group_size("peer", 2, 3) is None
    assert group_size("peer", 3, 3) == 3
    assert group_size("manager", 1, 3) == 1


score_values = st.integers(min_value=0, max_value=100)
answer_sets = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30), st.sampled_from(RELATIONS),
              st.sampled_from(["a", "b", "c"]), score_values),
    max_size=60,
).map(lambda rows: _dedupe(rows))


def _dedupe(rows: list[tuple[int, str, str, int]]) -> list[Answer]:
    """One group per rater (the first seen) and one answer per rater and competency, as the database ensures."""
    relation: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()
    answers = []
    for rater, rel, comp, score in rows:
        rel = relation.setdefault(rater, rel)
        if (rater, comp) not in seen:
            seen.add((rater, comp))
            answers.append(Answer(rater=rater, relation=rel, competency=comp, score=score))
    return answers


@no_deadline
@given(answer_sets, st.integers(min_value=1, max_value=6))
def test_hidden_exactly_when_an_anonymous_group_is_small(answers: list[Answer], min_group: int) -> None:
    result = aggregate(answers, min_group=min_group)
    for comp in result.competencies:
        for group in comp.groups:
            values = [
                float(a.score) for a in answers if a.competency == comp.competency and a.relation == group.relation
            ]
            should_hide = group.relation in ANONYMOUS and len(values) < min_group
            assert group.hidden is should_hide
            if should_hide:
                assert group.n is None
                assert group.mean is None
            else:
                assert group.n == len(values)
                if values:
                    assert group.mean is not None
                    assert min(values) - 0.05 - 1e-9 <= group.mean <= max(values) + 0.05 + 1e-9
                    assert abs(group.mean - sum(values) / len(values)) <= 0.05 + 1e-9


@no_deadline
@given(answer_sets, st.integers(min_value=1, max_value=6), st.randoms())
def test_hidden_answers_leave_no_trace(answers: list[Answer], min_group: int, rnd: object) -> None:
    """Changing any score of a hidden group changes nothing in the result (means, others, sizes)."""
    before = aggregate(answers, min_group=min_group)
    changed = []
    for a in answers:
        group = before.competency(a.competency)
        assert group is not None
        if group.group(a.relation).hidden:
            a = Answer(rater=a.rater, relation=a.relation, competency=a.competency,
                       # (mypy ignore on the next line: hypothesis' randoms() is typed loosely)
                       score=rnd.randint(0, 100))  # type: ignore[attr-defined]
        changed.append(a)
    assert aggregate(changed, min_group=min_group) == before


@no_deadline
@given(answer_sets, st.integers(min_value=1, max_value=6), st.randoms())
def test_order_of_answers_does_not_matter(answers: list[Answer], min_group: int, rnd: object) -> None:
    shuffled = list(answers)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]  # hypothesis' randoms() is typed loosely
    assert aggregate(shuffled, min_group=min_group) == aggregate(answers, min_group=min_group)


@no_deadline
@given(answer_sets)
def test_min_group_one_hides_nothing_present(answers: list[Answer]) -> None:
    result = aggregate(answers, min_group=1)
    for comp in result.competencies:
        for group in comp.groups:
            assert group.hidden is (group.relation in ANONYMOUS and not any(
                a.competency == comp.competency and a.relation == group.relation for a in answers))
