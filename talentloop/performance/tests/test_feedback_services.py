"""360° services and selectors: raters, emails, every refusal, scale mapping and the anonymity of the results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.testing.factories import EmployeeFactory
from talentloop.org.models import Employee
from talentloop.performance import feedback as services
from talentloop.performance import feedback_selectors as selectors
from talentloop.performance.models import FeedbackAnswer, FeedbackInvitation, FeedbackRequest, PerformanceCycle

from ._feedback import Setup, answer, invitation, make_request, setup_360


@pytest.fixture
def s(org: dict[str, Any], cycle: PerformanceCycle) -> Setup:
    return setup_360(org, cycle)


def _relations(request: FeedbackRequest) -> list[tuple[str, str]]:
    return [(i.rater.name, i.relation) for i in request.invitations.select_related("rater").order_by("id")]


def test_default_raters_are_self_manager_peers_and_reports(s: Setup) -> None:
    request = make_request(s)
    assert _relations(request) == [
        ("李员工", "self"), ("王经理", "manager"), ("同事0", "peer"), ("同事1", "peer"), ("同事2", "peer"),
        ("赵实习", "report"),
    ]
    assert len({i.token for i in request.invitations.all()}) == 6


@override_settings(TALENTLOOP_SITE_URL="https://hr.example.com")
def test_each_rater_with_an_email_gets_their_link(s: Setup, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(s)
    assert sorted(m.to[0] for m in mail.outbox) == ["peer0@example.com", "peer1@example.com", "peer2@example.com"]
    token = invitation(request, s.peers[0]).token
    message = next(m for m in mail.outbox if m.to == ["peer0@example.com"])
    assert f"https://hr.example.com/feedback/{token}/" in message.body
    assert "李员工" in message.subject


def test_explicit_raters(s: Setup) -> None:
    request = services.feedback_request_create(
        actor=s.org["users"]["manager"], cycle=s.cycle, subject=s.subject,
        deadline=timezone.now() + dt.timedelta(days=3), scale="0_100",
        raters=[(s.peers[0].pk, "peer"), (s.org["employees"]["outsider"], "peer")],
    )
    assert _relations(request) == [("同事0", "peer"), ("陈研发", "peer")]
    assert request.scale == "0_100"


@pytest.mark.parametrize(
    ("raters", "message"),
    [
        ([], "A 360° request needs at least one rater."),
        ([(999_999, "peer")], "No employee has the id 999999."),
        ([("subject", "peer")], "Only the subject rates as “self”, and the subject only as “self”."),
        ([("peer", "self")], "Only the subject rates as “self”, and the subject only as “self”."),
        ([("peer", "peer"), ("peer", "report")], "同事0 is listed twice; each rater answers once."),
        ([("peer", "friend")], "“friend” is not a rater relation."),
    ],
)
def test_bad_raters_are_refused(s: Setup, raters: list[tuple[Any, str]], message: str) -> None:
    names = {"subject": s.subject, "peer": s.peers[0]}
    given = [(names.get(r, r), rel) for r, rel in raters]
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_request_create(
            actor=s.org["users"]["hr"], cycle=s.cycle, subject=s.subject,
            deadline=timezone.now() + dt.timedelta(days=3), raters=given,
        )
    assert exc.value.errors == {"raters": [message]}
    assert not FeedbackRequest.objects.exists()


def test_create_refusals(s: Setup) -> None:
    users = s.org["users"]
    later = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(PermissionDenied, match="Only HR and managers"):
        services.feedback_request_create(actor=users["employee"], cycle=s.cycle, subject=s.subject, deadline=later)
    with pytest.raises(PermissionDenied, match="your own team"):
        services.feedback_request_create(
            actor=users["manager"], cycle=s.cycle, subject=s.org["employees"]["outsider"], deadline=later)
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_request_create(
            actor=users["hr"], cycle=s.cycle, subject=s.subject, deadline=timezone.now() - dt.timedelta(hours=1))
    assert exc.value.errors == {"deadline": ["The deadline must be in the future."]}
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_request_create(
            actor=users["hr"], cycle=s.cycle, subject=s.org["employees"]["outsider"], deadline=later)
    assert exc.value.errors == {"subject": ["陈研发 has no job with a competency model, so there is nothing to rate."]}
    newcomer = cast(Employee, EmployeeFactory(name="新人"))
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_request_create(actor=users["hr"], cycle=s.cycle, subject=newcomer, deadline=later)
    assert exc.value.errors == {"subject": ["新人 does not take part in the cycle “2026 Q3”."]}
    make_request(s)
    with pytest.raises(Conflict, match="already has a 360° request"):
        make_request(s)
    PerformanceCycle.objects.filter(pk=s.cycle.pk).update(phase="closed")
    s.cycle.refresh_from_db()
    with pytest.raises(Conflict, match="is closed"):
        make_request(s)


def test_five_point_answers_are_stored_as_given_and_as_scores(s: Setup) -> None:
    request = make_request(s)
    answer(request, s.peers[0], 4, 2, comment="  Helpful  ")
    inv = invitation(request, s.peers[0])
    assert inv.submitted_at is not None
    assert inv.comment == "Helpful"
    rows = [(a.competency.code, a.rating, a.score) for a in FeedbackAnswer.objects.order_by("competency__code")]
    assert rows == [
        ("communication", Decimal("4.00"), Decimal("75.00")), ("customer", Decimal("2.00"), Decimal("25.00")),
    ]


def test_percent_answers(s: Setup) -> None:
    request = make_request(s, scale="0_100")
    answer(request, s.peers[0], Decimal("87.5"))
    assert FeedbackAnswer.objects.get().score == Decimal("87.50")


@pytest.mark.parametrize(
    ("scale", "rating", "message"),
    [
        ("1_5", 6, "The rating for “Communication” must be a whole number from 1 to 5."),
        ("1_5", 0, "The rating for “Communication” must be a whole number from 1 to 5."),
        ("1_5", "3.5", "The rating for “Communication” must be a whole number from 1 to 5."),
        ("0_100", 101, "The rating for “Communication” must be a number from 0 to 100."),
        ("0_100", -1, "The rating for “Communication” must be a number from 0 to 100."),
    ],
)
def test_rating_out_of_range_is_refused(s: Setup, scale: str, rating: Any, message: str) -> None:
    request = make_request(s, scale=scale)
    with pytest.raises(ValidationFailed) as exc:
        answer(request, s.peers[0], rating, 3)
    assert exc.value.errors == {"answers": [message]}
    assert invitation(request, s.peers[0]).submitted_at is None
    assert not FeedbackAnswer.objects.exists()


def test_unknown_competency_and_empty_answers_are_refused(s: Setup) -> None:
    request = make_request(s)
    token = invitation(request, s.peers[0]).token
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_respond_by_token(token=token, answers=[services.AnswerInput("coding", 3)])
    assert exc.value.errors == {"answers": ["“coding” is not a competency of 李员工's job."]}
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_respond_by_token(token=token, answers=[])
    assert exc.value.errors == {"answers": ["Rate at least one competency."]}
    assert not FeedbackAnswer.objects.exists()


def test_answering_twice_is_refused(s: Setup) -> None:
    request = make_request(s)
    answer(request, s.peers[0], 4)
    with pytest.raises(Conflict, match="already answered"):
        answer(request, s.peers[0], 5)
    assert list(FeedbackAnswer.objects.values_list("score", flat=True)) == [Decimal("75.00")]


def test_answering_after_the_deadline_or_when_closed_is_refused(s: Setup) -> None:
    request = make_request(s)
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict, match="deadline for this 360° feedback has passed"):
        answer(request, s.peers[0], 4)
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() + dt.timedelta(days=1))
    services.feedback_request_close(actor=s.org["users"]["manager"], request=request)
    with pytest.raises(Conflict, match="closed and takes no more answers"):
        answer(request, s.peers[1], 4)
    with pytest.raises(Conflict, match="already closed"):
        services.feedback_request_close(actor=s.org["users"]["hr"], request=request)
    assert not FeedbackAnswer.objects.exists()


def test_a_closed_cycle_takes_no_answers_and_no_new_requests(s: Setup) -> None:
    request = make_request(s)
    PerformanceCycle.objects.filter(pk=request.cycle_id).update(phase=PerformanceCycle.Phase.CLOSED)
    with pytest.raises(Conflict, match="closed and takes no more answers"):
        answer(request, s.peers[0], 4)
    FeedbackRequest.objects.all().delete()
    s.cycle.refresh_from_db()
    with pytest.raises(Conflict, match="is closed; it takes no new 360° feedback"):
        make_request(s)
    assert not FeedbackAnswer.objects.exists()


def test_unknown_token_and_non_rater(s: Setup) -> None:
    request = make_request(s)
    with pytest.raises(NotFound):
        services.feedback_respond_by_token(token="nope", answers=[services.AnswerInput("communication", 3)])
    with pytest.raises(PermissionDenied, match="not one of the raters"):
        services.feedback_respond(actor=s.org["users"]["outsider"], request=request,
                                  answers=[services.AnswerInput("communication", 3)])
    services.feedback_respond(actor=s.peer_users[1], request=request, answers=[services.AnswerInput("customer", 5)])
    assert invitation(request, s.peers[1]).submitted_at is not None


def _everything(results: selectors.FeedbackResults) -> str:
    return repr(results.competencies) + repr(results.comments)


def test_two_peers_hidden_three_shown_and_no_names(s: Setup) -> None:
    request = make_request(s)
    answer(request, s.subject, 5, 5)
    answer(request, s.org["employees"]["manager"], 3, 4, comment="Good year")
    answer(request, s.peers[0], 2, 3, comment="Peer zero speaking")
    answer(request, s.peers[1], 4, 3)
    for user in (s.org["users"]["employee"], s.org["users"]["manager"], s.org["users"]["hr"]):
        results = selectors.feedback_results(user=user, request=request)
        comm = results.competencies[0]
        assert comm.code == "communication"
        assert [(g.relation, g.n, g.mean, g.hidden) for g in comm.groups] == [
            ("self", 1, 100.0, False), ("manager", 1, 50.0, False), ("peer", None, None, True),
            ("report", None, None, True),
        ]
        assert comm.others == 50.0  # the manager alone: the two peers count nowhere
        assert "Peer zero speaking" not in _everything(results)
        assert results.comments == [("manager", "Manager", ("Good year",))]
    answer(request, s.peers[2], 4, 5, comment="Third peer")
    for user in (s.org["users"]["employee"], s.org["users"]["manager"]):
        results = selectors.feedback_results(user=user, request=request)
        comm = results.competencies[0]
        peers = comm.group("peer")
        assert (peers.n, peers.mean) == (3, 58.3)  # (25 + 75 + 75) / 3
        assert comm.others == 56.3  # (50 + 25 + 75 + 75) / 4 = 56.25
        text = _everything(results)
        assert "Peer zero speaking" in text
        for peer in s.peers:
            assert peer.name not in text
        assert results.comments == [
            ("manager", "Manager", ("Good year",)), ("peer", "Peer", ("Peer zero speaking", "Third peer")),
        ]
        state = selectors.feedback_request_status(user=user, request=selectors.feedback_request_get(
            user=user, pk=request.pk))
        assert state.invitations is None
        assert [(g.relation, g.invited, g.answered) for g in state.groups] == [
            ("self", 1, 1), ("manager", 1, 1), ("peer", 3, 3), ("report", 1, None),
        ]


@override_settings(TALENTLOOP_FEEDBACK_MIN_GROUP=2)
def test_min_group_comes_from_settings(s: Setup) -> None:
    request = make_request(s)
    answer(request, s.peers[0], 2)
    answer(request, s.peers[1], 4)
    results = selectors.feedback_results(user=s.org["users"]["hr"], request=request)
    assert results.min_group == 2
    peer = results.competencies[0].groups[2]
    assert (peer.n, peer.mean) == (2, 50.0)


def test_raw_answers_are_hr_only_and_nameless_for_peers(s: Setup) -> None:
    request = make_request(s)
    answer(request, s.org["employees"]["manager"], 3)
    answer(request, s.peers[0], 2, comment="from a peer")
    rows = selectors.feedback_responses(user=s.org["users"]["hr"], request=request)
    assert [(r.relation, r.rater.name if r.rater else None, r.submitted_at is None) for r in rows] == [
        ("manager", "王经理", False), ("peer", None, True),
    ]
    assert rows[1].comment == "from a peer"
    assert [(a.competency, a.rating, a.score) for a in rows[1].answers] == [
        ("communication", Decimal("2.00"), Decimal("25.00"))]
    for user in (s.org["users"]["employee"], s.org["users"]["manager"], s.peer_users[1]):
        with pytest.raises(PermissionDenied, match="Only HR can read individual 360° answers"):
            selectors.feedback_responses(user=user, request=request)


def test_who_sees_what(s: Setup) -> None:
    request = make_request(s)
    users = s.org["users"]
    # A peer rater sees the request (to answer it) but not its results.
    peer_view = selectors.feedback_request_get(user=s.peer_users[0], pk=request.pk)
    state = selectors.feedback_request_status(user=s.peer_users[0], request=peer_view)
    assert state.my_invitation is not None
    assert state.my_invitation.relation == "peer"
    assert state.may_see_results is False
    with pytest.raises(PermissionDenied, match="Only HR, the employee and their manager"):
        selectors.feedback_results(user=s.peer_users[0], request=peer_view)
    with pytest.raises(PermissionDenied):
        selectors.feedback_request_get(user=users["outsider"], pk=request.pk)
    with pytest.raises(PermissionDenied):
        selectors.feedback_request_get(user=users["recruiter"], pk=request.pk)
    with pytest.raises(NotFound):
        selectors.feedback_request_get(user=users["hr"], pk=request.pk + 1)
    assert list(selectors.feedback_request_list(user=users["outsider"])) == []
    assert [r.pk for r in selectors.feedback_request_list(user=users["employee"])] == [request.pk]
    hr_state = selectors.feedback_request_status(user=users["hr"], request=request)
    assert hr_state.invitations is not None
    assert len(hr_state.invitations) == 6
    assert [i.request_id for i in selectors.feedback_my_invitations(user=s.peer_users[0])] == [request.pk]
    answer(request, s.peers[0], 3)
    assert list(selectors.feedback_my_invitations(user=s.peer_users[0])) == []


def test_list_runs_a_constant_number_of_queries(
    s: Setup, django_assert_max_num_queries: Any, cycle: PerformanceCycle
) -> None:
    make_request(s)
    hr = s.org["users"]["hr"]
    with django_assert_max_num_queries(4):
        rows = list(selectors.feedback_request_list(user=hr))
        for row in rows:
            selectors.feedback_request_status(user=hr, request=row)
    assert FeedbackInvitation.objects.count() == 6
