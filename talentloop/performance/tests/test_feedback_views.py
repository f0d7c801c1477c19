"""360° pages: the rater's public page (answer once, refusals said on the page), the staff list, the new-request
form, the results page without rater names, HR's raw answers page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from talentloop.performance.models import FeedbackAnswer, FeedbackRequest, PerformanceCycle

from ._feedback import Setup, answer, invitation, make_request, setup_360


@pytest.fixture
def s(org: dict[str, Any], cycle: PerformanceCycle) -> Setup:
    return setup_360(org, cycle)


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_rater_page_shows_a_card_per_competency_and_takes_one_answer(s: Setup, client: Client) -> None:
    request = make_request(s)
    token = invitation(request, s.peers[0]).token
    page = client.get(f"/feedback/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="feedback-competency"') == 2
    assert "Feedback for 李员工" in html
    assert 'name="viewport"' in html
    response = client.post(f"/feedback/{token}/", {
        "rating_communication": "4", "comment_communication": "Clear", "rating_customer": "", "comment": "Thanks",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{token}/thanks/"
    assert [(a.competency.code, float(a.score), a.comment) for a in FeedbackAnswer.objects.all()] == [
        ("communication", 75.0, "Clear")]
    assert client.get(f"/feedback/{token}/").status_code == 302  # answered: the thanks page
    thanks = client.get(f"/feedback/{token}/thanks/")
    assert 'data-testid="feedback-thanks"' in thanks.content.decode()
    again = client.post(f"/feedback/{token}/", {"rating_communication": "5"})
    assert again.status_code == 409
    assert "You have already answered this 360° feedback; an answer cannot be changed." in again.content.decode()
    assert FeedbackAnswer.objects.count() == 1


def test_rater_page_refusals(s: Setup, client: Client) -> None:
    request = make_request(s, scale="0_100")
    token = invitation(request, s.peers[0]).token
    bad = client.post(f"/feedback/{token}/", {"rating_communication": "150", "comment_communication": "kept"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "The rating for “Communication” must be a number from 0 to 100." in html
    assert "kept" in html  # what was typed stays
    empty = client.post(f"/feedback/{token}/", {})
    assert "Rate at least one competency." in empty.content.decode()
    assert client.get("/feedback/not-a-token/").status_code == 404
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    late = client.get(f"/feedback/{token}/")
    assert late.status_code == 409
    assert "deadline for this 360° feedback has passed" in late.content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_rater_page_in_chinese(s: Setup) -> None:
    request = make_request(s)
    token = invitation(request, s.subject).token
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/feedback/{token}/")
    assert page.status_code == 200
    assert "沟通" in page.content.decode()


def test_staff_list_shows_what_to_answer(s: Setup, client: Client) -> None:
    request = make_request(s)
    page = _as(client, s.peer_users[0]).get("/performance/feedback/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="feedback-to-answer"' in html
    assert invitation(request, s.peers[0]).token in html
    mine = client.get(f"/performance/feedback/{request.pk}/answer/")
    assert mine["Location"] == f"/feedback/{invitation(request, s.peers[0]).token}/"
    assert 'data-testid="feedback-new"' not in html


def test_manager_creates_a_request_from_the_form(s: Setup, client: Client) -> None:
    c = _as(client, s.org["users"]["manager"])
    pick = c.get("/performance/feedback/new/", {"cycle": s.cycle.pk, "subject": s.subject.pk})
    assert pick.status_code == 200
    html = pick.content.decode()
    for name in ("王经理", "同事0", "赵实习"):
        assert name in html
    deadline = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = c.post("/performance/feedback/new/", {
        "cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": deadline, "scale": "1_5",
        "rater": [s.subject.pk, s.peers[0].pk, s.peers[1].pk], f"relation_{s.subject.pk}": "self",
        f"relation_{s.peers[0].pk}": "peer", f"relation_{s.peers[1].pk}": "report",
        "extra_raters": s.org["employees"]["outsider"].employee_no, "extra_relation": "peer",
    })
    assert response.status_code == 302, response.content.decode()
    created = FeedbackRequest.objects.get()
    assert sorted((i.rater.name, i.relation) for i in created.invitations.all()) == [
        ("同事0", "peer"), ("同事1", "report"), ("李员工", "self"), ("陈研发", "peer")]


def test_create_form_errors_and_refusals(s: Setup, client: Client) -> None:
    c = _as(client, s.org["users"]["hr"])
    response = c.post("/performance/feedback/new/", {
        "cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": "2000-01-01T10:00", "scale": "1_5",
        "rater": [s.peers[0].pk], f"relation_{s.peers[0].pk}": "peer", "extra_raters": "NOPE1",
        "extra_relation": "peer",
    })
    assert response.status_code == 200
    assert "No employee has the number NOPE1." in response.content.decode()
    assert not FeedbackRequest.objects.exists()
    assert _as(Client(HTTP_ACCEPT_LANGUAGE="en"), s.org["users"]["employee"]).get(
        "/performance/feedback/new/").status_code == 403


def test_results_page_hides_small_groups_and_names(s: Setup, client: Client) -> None:
    request = make_request(s)
    answer(request, s.org["employees"]["manager"], 4)
    answer(request, s.peers[0], 2, comment="Peer zero said this")
    answer(request, s.peers[1], 3)
    page = _as(client, s.org["users"]["employee"]).get(f"/performance/feedback/{request.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="group-hidden"' in html
    assert "fewer than 3" in html
    assert "Peer zero said this" not in html
    answer(request, s.peers[2], 4)
    for user in ("employee", "manager"):
        html = _as(Client(HTTP_ACCEPT_LANGUAGE="en"), s.org["users"][user]).get(
            f"/performance/feedback/{request.pk}/").content.decode()
        assert "50.0 <span" in html  # peers: (25 + 50 + 75) / 3
        assert "Peer zero said this" in html
        for name in ("同事0", "同事1", "同事2", "赵实习"):
            assert name not in html
        assert 'data-testid="feedback-raters"' not in html


def test_raw_answers_page_is_hr_only(s: Setup, client: Client) -> None:
    request = make_request(s)
    answer(request, s.peers[0], 2, comment="raw words")
    html = _as(client, s.org["users"]["hr"]).get(f"/performance/feedback/{request.pk}/responses/").content.decode()
    assert "raw words" in html
    assert "同事0" not in html
    for user in ("employee", "manager"):
        refused = _as(Client(HTTP_ACCEPT_LANGUAGE="en"), s.org["users"][user]).get(
            f"/performance/feedback/{request.pk}/responses/")
        assert refused.status_code == 403


def test_close_from_the_page(s: Setup, client: Client) -> None:
    request = make_request(s)
    response = _as(client, s.org["users"]["manager"]).post(f"/performance/feedback/{request.pk}/close/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "closed"
    refused = _as(Client(HTTP_ACCEPT_LANGUAGE="en"), s.org["users"]["employee"]).post(
        f"/performance/feedback/{request.pk}/close/")
    assert refused.status_code == 403
