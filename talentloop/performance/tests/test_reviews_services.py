"""Review services and selectors: scores computed from the sources, who may review, refusals, submit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role
from talentloop.core.testing.factories import CompetencyFactory, EmployeeFactory, UserFactory
from talentloop.org.models import EmployeeEvent
from talentloop.performance import reviews
from talentloop.performance.models import FeedbackInvitation, PerformanceCycle, Review, ReviewScore
from talentloop.performance.review_evidence import review_evidence

from ._review_support import full_evidence, job_model, ratings
from ._support import make_hire_report


def _scores(review: Review) -> dict[str, tuple[Any, ...]]:
    return {
        row.competency.code: (row.manager_rating, row.feedback_score, row.results_score, row.score)
        for row in ReviewScore.objects.filter(review=review).select_related("competency")
    }


def test_scores_are_computed_from_the_sources(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = full_evidence(org, cycle)
    review = reviews.review_create(
        actor=org["users"]["manager"], employee=org["employees"]["report"], cycle=cycle,
        competency_scores=ratings(comps), summary="  Good quarter.  ",
    )
    assert _scores(review) == {
        "customer": (Decimal("80.00"), Decimal("80.00"), Decimal("65.00"), Decimal("77.00")),
        "teamwork": (Decimal("60.00"), Decimal("70.00"), None, Decimal("63.80")),
    }
    review.refresh_from_db()
    assert (review.overall_score, review.band, review.status, review.summary) == (
        Decimal("71.70"), "B", Review.Status.DRAFT, "Good quarter.",
    )
    assert review.reviewer == org["users"]["manager"]
    assert AuditEntry.objects.filter(object_type="performance.review", object_id=str(review.pk)).count() == 1


def test_evidence_lists_what_counts(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = full_evidence(org, cycle)
    make_hire_report(org["employees"]["report"], {"customer": 88.5, "teamwork": None})
    evidence = review_evidence(employee=org["employees"]["report"], cycle=cycle)
    customer = evidence[comps["customer"].pk]
    assert (customer.feedback, customer.feedback_count, customer.results, customer.interview_score) == (
        80.0, 4, 65.0, 88.5,
    )
    assert [(k.target.kpi.code, k.score) for k in customer.kpis] == [("csat", 80.0), ("nps", None)]
    assert [(k.key_result.title, k.score) for k in customer.key_results] == [("CSAT", 50.0)]
    teamwork = evidence[comps["teamwork"].pk]
    assert (teamwork.feedback, teamwork.feedback_count, teamwork.results, teamwork.interview_score) == (
        70.0, 4, None, None,
    )


def test_a_peer_group_too_small_to_show_is_left_out_of_the_360_part(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    """With two peers answered (fewer than 3) the peers' answers would be hidden in the 360° results, so the
    review's 360° part must not use them either: the manager, who knows their own answer, could otherwise work
    out what the peers said from the mean."""
    comps = full_evidence(org, cycle)
    FeedbackInvitation.objects.filter(relation=FeedbackInvitation.Relation.PEER).exclude(
        rater=org["employees"]["outsider"]
    ).first().delete()  # type: ignore[union-attr]  # the support data has three peers
    evidence = review_evidence(employee=org["employees"]["report"], cycle=cycle)
    customer = evidence[comps["customer"].pk]
    assert (customer.feedback, customer.feedback_count) == (50.0, 1)  # the manager's answer alone


def test_evidence_costs_a_constant_number_of_queries(
    org: dict[str, Any], cycle: PerformanceCycle, django_assert_num_queries: Any,
) -> None:
    full_evidence(org, cycle)
    report = org["employees"]["report"]
    with django_assert_num_queries(5):  # model, 360°, KPI targets, key results, interview report
        review_evidence(employee=report, cycle=cycle)


def test_given_scores_overall_and_band_are_kept(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = full_evidence(org, cycle)
    review = reviews.review_create(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle,
        competency_scores=ratings(comps, customer={"score": Decimal("91.456")}),
    )
    assert _scores(review)["customer"][3] == Decimal("91.46")
    review.refresh_from_db()
    # 0.6 * 91.46 + 0.4 * 63.8 = 54.876 + 25.52 = 80.396
    assert (review.overall_score, review.band) == (Decimal("80.40"), "A")
    reviews.review_update(actor=org["users"]["hr"], review=review, changes={"overall_score": 85})
    review.refresh_from_db()
    assert (review.overall_score, review.band) == (Decimal("85.00"), "A")
    reviews.review_update(actor=org["users"]["hr"], review=review, changes={"band": "S", "summary": "Calibrated"})
    review.refresh_from_db()
    assert (review.overall_score, review.band, review.summary) == (Decimal("85.00"), "S", "Calibrated")


def test_missing_sources_are_reweighted_away(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    review = reviews.review_create(
        actor=org["users"]["manager"], employee=org["employees"]["report"], cycle=cycle,
        competency_scores=ratings(comps),
    )
    assert _scores(review) == {
        "customer": (Decimal("80.00"), None, None, Decimal("80.00")),
        "teamwork": (Decimal("60.00"), None, None, Decimal("60.00")),
    }
    review.refresh_from_db()
    assert (review.overall_score, review.band) == (Decimal("72.00"), "B")  # 48 + 24


def test_the_cycle_weights_apply(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = full_evidence(org, cycle)
    PerformanceCycle.objects.filter(pk=cycle.pk).update(weight_manager=0, weight_feedback=50, weight_results=50)
    cycle.refresh_from_db()
    review = reviews.review_create(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle, competency_scores=ratings(comps),
    )
    # customer (80 + 65) / 2 = 72.5; teamwork only 360° = 70; overall 0.6 * 72.5 + 0.4 * 70 = 71.5
    assert {code: row[3] for code, row in _scores(review).items()} == {
        "customer": Decimal("72.50"), "teamwork": Decimal("70.00"),
    }
    review.refresh_from_db()
    assert review.overall_score == Decimal("71.50")


def test_omitted_competencies_come_from_the_sources_alone(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    full_evidence(org, cycle)
    review = reviews.review_create(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    # customer (30 * 80 + 20 * 65) / 50 = 74; teamwork 70; overall 44.4 + 28 = 72.4
    assert {code: row[3] for code, row in _scores(review).items()} == {
        "customer": Decimal("74.00"), "teamwork": Decimal("70.00"),
    }


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"customer": {"manager_rating": 120}}, "competency_scores",
         "The manager rating of Customer focus must be from 0 to 100; 120 is out of range."),
        ({"teamwork": {"score": Decimal("-0.5")}}, "competency_scores",
         "The score of Teamwork must be from 0 to 100; -0.5 is out of range."),
    ],
)
def test_out_of_range_ratings_are_refused(
    org: dict[str, Any], cycle: PerformanceCycle, override: dict[str, Any], field: str, message: str,
) -> None:
    comps = job_model(org)
    with pytest.raises(ValidationFailed) as caught:
        reviews.review_create(
            actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle,
            competency_scores=ratings(comps, **override),
        )
    assert caught.value.errors == {field: [message]}
    assert not Review.objects.exists()


def test_bad_overall_band_duplicates_and_foreign_competencies_are_refused(
    org: dict[str, Any], cycle: PerformanceCycle,
) -> None:
    comps = job_model(org)
    other = CompetencyFactory(code="coding", name="编码", name_en="Coding")
    items = [*ratings(comps), {"competency": comps["customer"], "manager_rating": 50}, {"competency": other}]
    with pytest.raises(ValidationFailed) as caught:
        reviews.review_create(
            actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle, competency_scores=items,
            overall_score=101, band="E",
        )
    assert caught.value.errors == {
        "overall_score": ["The overall score must be from 0 to 100; 101 is out of range."],
        "band": ["A band is one of S, A, B, C, D."],
        "competency_scores": [
            "Customer focus is listed twice.", "Coding is not in the competency model of the employee's job.",
        ],
    }
    assert not Review.objects.exists()


def test_who_may_review(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    job_model(org)
    users, e = org["users"], org["employees"]
    rd_boss = UserFactory(username="rdboss", role=Role.HIRING_MANAGER)
    EmployeeFactory(name="研发经理", department=org["departments"]["rd"], user=rd_boss)
    cases = [
        (rd_boss, e["report"], "You can only review the members of your own team."),
        (users["manager"], e["manager"], "You cannot review yourself; your manager or HR does."),
        (users["employee"], e["indirect"], "Only HR or 赵实习's manager can review 赵实习."),
        (users["recruiter"], e["report"], "Only HR or 李员工's manager can review 李员工."),
    ]
    for actor, employee, message in cases:
        with pytest.raises(PermissionDenied) as caught:
            reviews.review_create(actor=actor, employee=employee, cycle=cycle)
        assert str(caught.value.message) == message
    # an indirect report is the manager's team too
    assert reviews.review_create(actor=users["manager"], employee=e["indirect"], cycle=cycle).pk


def test_participation_uniqueness_and_closed_cycles(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    hr, report = org["users"]["hr"], org["employees"]["report"]
    other = PerformanceCycle.objects.create(name="Other", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    with pytest.raises(ValidationFailed) as caught:
        reviews.review_create(actor=hr, employee=report, cycle=other)
    assert caught.value.errors == {"employee": ["李员工 does not take part in the cycle “Other”."]}
    first = reviews.review_create(actor=hr, employee=report, cycle=cycle, competency_scores=ratings(comps))
    with pytest.raises(Conflict, match=f"already has a review in the cycle “2026 Q3” \\(review {first.pk}\\)"):
        reviews.review_create(actor=hr, employee=report, cycle=cycle)
    cycle.phase = PerformanceCycle.Phase.CLOSED
    cycle.save()
    with pytest.raises(Conflict, match="closed; its reviews can no longer change"):
        reviews.review_update(actor=hr, review=first, changes={"summary": "late"})


def test_update_replaces_the_scores_and_recomputes(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    hr = org["users"]["hr"]
    review = reviews.review_create(
        actor=hr, employee=org["employees"]["report"], cycle=cycle, competency_scores=ratings(comps),
    )
    reviews.review_update(
        actor=hr, review=review,
        changes={"competency_scores": [{"competency": comps["customer"], "manager_rating": 95, "comment": "great"}]},
    )
    # teamwork lost its rating and has no other source: no row
    assert _scores(review) == {"customer": (Decimal("95.00"), None, None, Decimal("95.00"))}
    review.refresh_from_db()
    assert (review.overall_score, review.band) == (Decimal("95.00"), "S")
    reviews.review_update(actor=hr, review=review, changes={"summary": "only the summary"})
    review.refresh_from_db()
    assert (review.overall_score, review.band, review.summary) == (Decimal("95.00"), "S", "only the summary")
    with pytest.raises(ValidationFailed, match="cannot move"):
        reviews.review_update(actor=hr, review=review, changes={"employee": org["employees"]["indirect"]})


def test_submit_needs_every_competency_and_joins_the_timeline(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = full_evidence(org, cycle)
    manager, report = org["users"]["manager"], org["employees"]["report"]
    PerformanceCycle.objects.filter(pk=cycle.pk).update(weight_feedback=0, weight_results=0)
    cycle.refresh_from_db()
    review = reviews.review_create(
        actor=manager, employee=report, cycle=cycle,
        competency_scores=[{"competency": comps["customer"], "manager_rating": 88}],
    )
    with pytest.raises(ValidationFailed) as caught:
        reviews.review_submit(actor=manager, review=review)
    assert caught.value.errors == {
        "competency_scores": ["Give a score for Teamwork before submitting (a manager rating is enough)."],
    }
    reviews.review_update(actor=manager, review=review, changes={"competency_scores": ratings(comps)})
    submitted = reviews.review_submit(actor=manager, review=review)
    assert submitted.status == Review.Status.SUBMITTED
    assert submitted.submitted_at is not None
    # 0.6 * 80 + 0.4 * 60 = 72
    event = EmployeeEvent.objects.get(employee=report, kind=EmployeeEvent.Kind.REVIEW)
    assert (event.summary, event.data, event.actor) == (
        "Competency review in 2026 Q3: 72 (band B)",
        {"review": review.pk, "cycle": cycle.pk, "overall_score": 72.0, "band": "B"},
        manager,
    )
    with pytest.raises(Conflict, match="was submitted"):
        reviews.review_submit(actor=manager, review=review)
    with pytest.raises(Conflict, match="can no longer change"):
        reviews.review_update(actor=manager, review=review, changes={"summary": "x"})


def test_a_job_without_model_counts_the_given_competencies_equally(
    org: dict[str, Any], cycle: PerformanceCycle,
) -> None:
    comps = job_model(org)
    outsider = org["employees"]["outsider"]
    review = reviews.review_create(
        actor=org["users"]["hr"], employee=outsider, cycle=cycle, competency_scores=ratings(comps),
    )
    review.refresh_from_db()
    assert review.overall_score == Decimal("70.00")
    assert reviews.review_submit(actor=org["users"]["hr"], review=review).status == Review.Status.SUBMITTED
    empty = reviews.review_create(actor=org["users"]["hr"], employee=org["employees"]["manager"], cycle=cycle)
    with pytest.raises(ValidationFailed, match="Score at least one competency"):
        reviews.review_submit(actor=org["users"]["hr"], review=empty)


def test_who_reads_which_reviews(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    users, e = org["users"], org["employees"]
    hr = users["hr"]
    of_report = reviews.review_create(actor=hr, employee=e["report"], cycle=cycle, competency_scores=ratings(comps))
    of_indirect = reviews.review_create(
        actor=hr, employee=e["indirect"], cycle=cycle, competency_scores=ratings(comps),
    )
    of_outsider = reviews.review_create(
        actor=hr, employee=e["outsider"], cycle=cycle, competency_scores=ratings(comps),
    )

    def seen(user: Any) -> set[int]:
        return set(reviews.review_list(user=user).values_list("pk", flat=True))

    assert seen(hr) == {of_report.pk, of_indirect.pk, of_outsider.pk}
    assert seen(users["manager"]) == {of_report.pk, of_indirect.pk}
    assert seen(users["employee"]) == set()  # drafts about yourself stay with the reviewer
    with pytest.raises(PermissionDenied, match="permission to see this review"):
        reviews.review_get(user=users["employee"], pk=of_report.pk)
    reviews.review_submit(actor=hr, review=of_report)
    assert seen(users["employee"]) == {of_report.pk}
    assert reviews.review_get(user=users["employee"], pk=of_report.pk).pk == of_report.pk
    assert seen(users["outsider"]) == set()
    with pytest.raises(PermissionDenied):
        reviews.review_list(user=users["recruiter"])
