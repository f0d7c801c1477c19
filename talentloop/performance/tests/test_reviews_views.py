"""Review pages: the cycle's review list, the manager's form with the evidence, submit, read-only views."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from talentloop.core.models import User
from talentloop.performance import reviews
from talentloop.performance.models import PerformanceCycle, Review

from ._review_support import full_evidence, job_model, ratings
from ._support import make_hire_report


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _form_url(cycle: PerformanceCycle, org: dict[str, Any], key: str = "report") -> str:
    return reverse("performance:review_form", args=[cycle.pk, org["employees"][key].pk])


def test_hr_lists_every_participant_and_managers_their_team(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    reviews.review_create(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle, competency_scores=ratings(comps),
    )
    url = reverse("performance:review_list", args=[cycle.pk])
    page = _client(org["users"]["hr"]).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("王经理", "李员工", "赵实习", "陈研发"):
        assert name in html
    assert page.context["counts"] == {"participants": 4, "draft": 1, "submitted": 0, "none": 3}
    team = _client(org["users"]["manager"]).get(url)
    assert [row.employee.name for row in team.context["rows"]] == ["李员工", "赵实习"]
    drafts = _client(org["users"]["hr"]).get(url, {"status": "draft"})
    assert [row.employee.name for row in drafts.context["rows"]] == ["李员工"]
    assert _client(org["users"]["employee"]).get(url).status_code == 403


def test_the_form_shows_the_evidence(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    full_evidence(org, cycle)
    make_hire_report(org["employees"]["report"], {"customer": 88.5, "teamwork": 66})
    page = _client(org["users"]["manager"]).get(_form_url(cycle, org))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Customer focus" in html
    assert "Teamwork" in html
    assert "88.5" in html  # interview score for reference
    assert "4 answers" in html  # the 360° mean of the others' answers, with no names
    assert "Key result “CSAT”: 50" in html
    assert "陈研发" not in html  # the peer rater is never named


def test_save_then_submit(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = {code: c.pk for code, c in full_evidence(org, cycle).items()}
    client = _client(org["users"]["manager"])
    data = {
        f"rating_{comps['customer']}": "80", f"comment_{comps['customer']}": "Clients love her",
        f"rating_{comps['teamwork']}": "60", "summary": "Good", "action": "save",
    }
    response = client.post(_form_url(cycle, org), data)
    assert response.status_code == 302
    review = Review.objects.get(employee=org["employees"]["report"], cycle=cycle)
    assert (review.status, str(review.overall_score), review.band) == ("draft", "71.70", "B")
    response = client.post(_form_url(cycle, org), {**data, "action": "submit"})
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:review_detail", args=[review.pk])
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    # the employee reads it; the form sends everyone to the read-only page now
    employee = _client(org["users"]["employee"])
    detail = employee.get(response["Location"])
    assert detail.status_code == 200
    assert "71.7" in detail.content.decode()
    assert "Clients love her" in detail.content.decode()
    assert client.get(_form_url(cycle, org))["Location"] == response["Location"]


def test_out_of_range_rating_is_shown_on_the_form(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    response = _client(org["users"]["manager"]).post(
        _form_url(cycle, org), {f"rating_{comps['customer'].pk}": "130", "action": "save"},
    )
    assert response.status_code == 400
    message = "The manager rating of Customer focus must be from 0 to 100; 130 is out of range."
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_submit_with_a_missing_rating_keeps_the_draft(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    client = _client(org["users"]["manager"])
    response = client.post(
        _form_url(cycle, org), {f"rating_{comps['customer'].pk}": "75", "action": "submit"}, follow=True,
    )
    assert "Saved as a draft but not submitted: Give a score for Teamwork" in response.content.decode()
    assert Review.objects.get().status == Review.Status.DRAFT


def test_who_may_open_the_form(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    comps = job_model(org)
    assert _client(org["users"]["employee"]).get(_form_url(cycle, org, "indirect")).status_code == 403
    assert _client(org["users"]["manager"]).get(_form_url(cycle, org, "manager")).status_code == 403
    review = reviews.review_create(
        actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle, competency_scores=ratings(comps),
    )
    # the employee's own draft: sent to the read-only page, which refuses until it is submitted
    own = _client(org["users"]["employee"]).get(_form_url(cycle, org), follow=True)
    assert own.status_code == 403
    reviews.review_submit(actor=org["users"]["hr"], review=review)
    assert _client(org["users"]["employee"]).get(_form_url(cycle, org), follow=True).status_code == 200
    no_model = _client(org["users"]["hr"]).get(_form_url(cycle, org, "outsider"))
    assert 'data-testid="no-model"' in no_model.content.decode()


def test_pages_in_chinese(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    job_model(org)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(org["users"]["hr"])
    assert client.get(_form_url(cycle, org)).status_code == 200
    assert client.get(reverse("performance:review_list", args=[cycle.pk])).status_code == 200
