"""Offers: the letter from the template, sending, the candidate's answer through the link, HR's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.org.models import JobLevel
from talentloop.recruiting.models import Application, Offer, Stage, StageChange
from talentloop.recruiting.services import offers

from .test_checks import make_application

START = dt.date(2099, 5, 1)
SITE = "https://jobs.example.com/"


@pytest.fixture(autouse=True)
def _english(api: Any, client: Client, settings: Any) -> None:
    """Messages are asserted in English: the clients ask for it, as a browser set to English would."""
    settings.TALENTLOOP_COMPANY_NAME = "Acme"
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def application(org: dict[str, Any]) -> Application:
    return make_application(org["departments"]["sales"])


def create(org: dict[str, Any], application: Application, **changes: Any) -> Offer:
    data: dict[str, Any] = {"title": "Sales engineer", "salary": Decimal("25000"), "start_date": START} | changes
    return offers.offer_create(actor=org["users"]["recruiter"], application=application, **data)


def sent(org: dict[str, Any], application: Application, **changes: Any) -> Offer:
    return offers.offer_send(actor=org["users"]["recruiter"], offer=create(org, application, **changes), site_url=SITE)


def day(when: dt.datetime | None, language: str) -> str:
    assert when is not None
    with translation.override(language):
        return formats.date_format(timezone.localdate(when), "DATE_FORMAT")


def english_letter(respond_by: str) -> str:
    return (
        "Dear Li Lei,\n\nAcme is pleased to offer you the position of Sales engineer (Mid-level) with a monthly "
        "salary of CNY 25,000.00 (before tax), starting on May 1, 2099.\n\nPlease accept or decline this offer on "
        f"this page by {respond_by}.\n\nAcme Human Resources"
    )


# ----------------------------------------------------------------------------------------------- create


def test_create_writes_a_draft_with_the_letter_in_the_candidates_language(
    org: dict[str, Any], application: Application
) -> None:
    offer = create(org, application)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert offer.level == JobLevel.objects.get(code="mid")
    assert offer.salary == Decimal("25000.00")
    assert offer.start_date == START
    assert offer.expires_at is None
    assert len(offer.token) == 43
    planned = timezone.localdate() + dt.timedelta(days=7)
    with translation.override("en"):
        assert offer.letter == english_letter(formats.date_format(planned, "DATE_FORMAT"))
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW


def test_a_chinese_candidate_gets_the_chinese_letter(org: dict[str, Any]) -> None:
    application = make_application(org["departments"]["sales"], name="李雷", language="zh-hans")
    offer = create(org, application, title="销售工程师", level=JobLevel.objects.get(code="senior"))
    planned = timezone.localdate() + dt.timedelta(days=7)
    assert offer.letter == (
        "李雷，您好：\n\nAcme 很高兴聘请您担任 销售工程师（高级）一职，月薪人民币 25,000.00 元（税前），"
        "入职日期 2099年5月1日。\n\n"
        f"请于 {planned.year}年{planned.month}月{planned.day}日 前通过本页面接受或婉拒本录用通知。\n\nAcme 人力资源部"
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"salary": Decimal("0")}, {"salary": ["The salary must be more than 0."]}),
        ({"salary": Decimal("-100")}, {"salary": ["The salary must be more than 0."]}),
        ({"salary": "abc"}, {"salary": ["Enter the salary as a number."]}),
        ({"salary": Decimal("25000.005")}, {"salary": ["Enter a salary below 100,000,000 with at most 2 decimals."]}),
        ({"salary": Decimal("100000000")}, {"salary": ["Enter a salary below 100,000,000 with at most 2 decimals."]}),
        ({"salary": "NaN"}, {"salary": ["The salary must be more than 0."]}),
        ({"start_date": dt.date(2000, 1, 1)}, {"start_date": ["The start date is in the past."]}),
        ({"start_date": None}, {"start_date": ["Give the start date."]}),
        ({"title": "  "}, {"title": ["Give the position title."]}),
        (
            {"salary": 0, "start_date": dt.date(2000, 1, 1), "title": "x" * 121},
            {
                "title": ["Keep the title under 120 characters."], "salary": ["The salary must be more than 0."],
                "start_date": ["The start date is in the past."],
            },
        ),
    ],
)
def test_create_refuses_bad_input(
    org: dict[str, Any], application: Application, changes: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create(org, application, **changes)
    assert caught.value.errors == errors
    assert Offer.objects.count() == 0


def test_a_start_date_of_today_is_fine(org: dict[str, Any], application: Application) -> None:
    assert create(org, application, start_date=timezone.localdate()).start_date == timezone.localdate()


def test_create_refuses_a_closed_application_and_a_second_open_offer(
    org: dict[str, Any], application: Application
) -> None:
    closed = make_application(org["departments"]["sales"], email="w@example.com", stage=Stage.WITHDRAWN)
    with pytest.raises(Conflict) as caught:
        create(org, closed)
    assert str(caught.value) == "The application is closed (Withdrawn); no offer can be made."
    first = create(org, application)
    with pytest.raises(Conflict) as caught:
        create(org, application)
    assert str(caught.value) == "This application already has an open or accepted offer. Withdraw it first."
    offers.offer_withdraw(actor=org["users"]["recruiter"], offer=first)
    assert create(org, application, salary=Decimal("26000")).salary == Decimal("26000")


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_create_offers(org: dict[str, Any], application: Application, role: str) -> None:
    with pytest.raises(PermissionDenied):
        offers.offer_create(
            actor=org["users"][role], application=application, title="x", salary=1, start_date=START
        )


# ------------------------------------------------------------------------------------------------- send


def test_send_sets_the_deadline_rewrites_the_letter_moves_the_application_and_emails_the_link(
    org: dict[str, Any], application: Application, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = sent(org, application)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    assert offer.sent_at is not None
    assert offer.expires_at is not None
    last_day = timezone.localdate() + dt.timedelta(days=7)
    assert timezone.localtime(offer.expires_at).replace(microsecond=0) == timezone.make_aware(
        dt.datetime.combine(last_day, dt.time(23, 59, 59))
    )
    assert offer.letter == english_letter(day(offer.expires_at, "en"))
    application.refresh_from_db()
    assert application.stage == Stage.OFFER
    assert list(StageChange.objects.filter(application=application).values_list("from_stage", "to_stage")) == [
        ("interview", "offer")
    ]
    # The stage's email first, then the one with the link.
    assert [m.subject for m in mailoutbox] == ["Acme: your offer for Sales engineer"] * 2
    link_mail = mailoutbox[1]
    assert f"https://jobs.example.com/careers/offer/{offer.token}/" in link_mail.body
    assert day(offer.expires_at, "en") in link_mail.body


def test_send_refuses_twice_bad_days_and_a_start_date_now_past(
    org: dict[str, Any], application: Application
) -> None:
    offer = create(org, application)
    recruiter = org["users"]["recruiter"]
    with pytest.raises(ValidationFailed) as caught:
        offers.offer_send(actor=recruiter, offer=offer, valid_days=0)
    assert caught.value.errors == {"valid_days": ["The candidate needs between 1 and 60 days to answer."]}
    Offer.objects.filter(pk=offer.pk).update(start_date=dt.date(2000, 1, 1))
    with pytest.raises(ValidationFailed) as caught:
        offers.offer_send(actor=recruiter, offer=offer)
    assert caught.value.errors == {"start_date": ["The start date is in the past."]}
    Offer.objects.filter(pk=offer.pk).update(start_date=START)
    offers.offer_send(actor=recruiter, offer=offer, valid_days=3)
    with pytest.raises(Conflict) as conflict:
        offers.offer_send(actor=recruiter, offer=offer)
    assert str(conflict.value) == "This offer was already sent (it is sent)."


def test_send_leaves_the_stage_of_an_application_already_at_the_offer(org: dict[str, Any]) -> None:
    application = make_application(org["departments"]["sales"], stage=Stage.OFFER)
    sent(org, application)
    assert StageChange.objects.filter(application=application).count() == 0


# ----------------------------------------------------------------------------------- candidate's answer


def test_the_candidate_accepts_once(org: dict[str, Any], application: Application) -> None:
    offer = sent(org, application)
    answered = offers.offer_respond(token=offer.token, accept=True)
    offer.refresh_from_db()
    assert answered.pk == offer.pk
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.responded_at is not None
    assert offer.response_note == "the candidate, through the offer link"
    with pytest.raises(Conflict) as caught:
        offers.offer_respond(token=offer.token, accept=False)
    assert str(caught.value) == "You already answered this offer: accepted."
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED


def test_the_candidate_declines(org: dict[str, Any], application: Application) -> None:
    offer = sent(org, application)
    assert offers.offer_respond(token=offer.token, accept=False).status == Offer.Status.DECLINED
    with pytest.raises(Conflict) as caught:
        offers.offer_respond(token=offer.token, accept=True)
    assert str(caught.value) == "You already answered this offer: declined."


def test_an_expired_or_withdrawn_offer_cannot_be_answered(org: dict[str, Any], application: Application) -> None:
    offer = sent(org, application)
    expired = timezone.now() - dt.timedelta(seconds=1)
    Offer.objects.filter(pk=offer.pk).update(expires_at=expired)
    with pytest.raises(Conflict) as caught:
        offers.offer_respond(token=offer.token, accept=True)
    assert str(caught.value) == (
        f"This offer expired on {day(expired, 'en')}. Please contact us if you are still interested."
    )
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    offers.offer_withdraw(actor=org["users"]["recruiter"], offer=offer)
    with pytest.raises(Conflict) as caught:
        offers.offer_respond(token=offer.token, accept=True)
    assert str(caught.value) == "This offer was withdrawn."
    offer.refresh_from_db()
    assert (offer.status, offer.responded_at) == (Offer.Status.WITHDRAWN, None)


def test_a_drafts_token_and_an_unknown_token_find_nothing(org: dict[str, Any], application: Application) -> None:
    draft = create(org, application)
    for token in (draft.token, "nope", ""):
        with pytest.raises(NotFound):
            offers.offer_respond(token=token, accept=True)


# ------------------------------------------------------------------------------------------ HR's records


def test_hr_records_acceptance_also_of_a_draft_and_after_the_deadline(
    org: dict[str, Any], application: Application
) -> None:
    offer = sent(org, application)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    recorded = offers.offer_record_acceptance(actor=org["users"]["hr"], offer=offer, note=" by phone ")
    assert recorded.status == Offer.Status.ACCEPTED
    assert recorded.response_note == "hr: by phone"
    with pytest.raises(Conflict) as caught:
        offers.offer_record_decline(actor=org["users"]["hr"], offer=offer)
    assert str(caught.value) == "The offer was already answered: accepted."
    with pytest.raises(Conflict) as caught:
        offers.offer_withdraw(actor=org["users"]["hr"], offer=offer)
    assert str(caught.value) == "Only a draft or sent offer can be withdrawn; this one is accepted."
    other = create(org, make_application(org["departments"]["sales"], email="d@example.com"))
    assert offers.offer_record_decline(actor=org["users"]["recruiter"], offer=other).response_note == "recruiter"
    third = create(org, make_application(org["departments"]["sales"], email="g@example.com"))
    with pytest.raises(ValidationFailed) as bad_note:
        offers.offer_record_acceptance(actor=org["users"]["hr"], offer=third, note="x" * 151)
    assert bad_note.value.errors == {"note": ["Keep the note under 150 characters."]}


def test_managers_cannot_record_answers_or_withdraw(org: dict[str, Any], application: Application) -> None:
    offer = sent(org, application)
    for service in (offers.offer_record_acceptance, offers.offer_record_decline, offers.offer_withdraw):
        with pytest.raises(PermissionDenied):
            service(actor=org["users"]["manager"], offer=offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT


# ------------------------------------------------------------------------------------------------- API


def offer_json(offer: Offer) -> dict[str, Any]:
    offer.refresh_from_db()

    def when(value: dt.datetime | None) -> str | None:
        return timezone.localtime(value).isoformat() if value else None

    return {
        "id": offer.pk, "application": offer.application_id, "title": offer.title, "level": offer.level_id,
        "salary": float(offer.salary), "start_date": offer.start_date.isoformat(), "status": offer.status,
        "letter": offer.letter, "expires_at": when(offer.expires_at), "sent_at": when(offer.sent_at),
        "responded_at": when(offer.responded_at), "response_note": offer.response_note,
        "respond_url": None if offer.status == "draft" else f"/careers/offer/{offer.token}/",
        "created_at": when(offer.created_at),
    }


def test_api_create_send_accept(
    org: dict[str, Any], application: Application, api_as: Any, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = api_as(org["users"]["recruiter"])
    created = client.post(
        "/api/v1/offers/",
        {"application": application.pk, "title": "Sales engineer", "salary": "25000.00", "start_date": "2099-05-01"},
        format="json",
    )
    assert created.status_code == 201
    offer = Offer.objects.get()
    assert created.json() == offer_json(offer)
    assert created.json()["salary"] == 25000.0
    assert created.json()["level"] == JobLevel.objects.get(code="mid").pk
    with django_capture_on_commit_callbacks(execute=True):
        sent_response = client.post(f"/api/v1/offers/{offer.pk}/send/", {"valid_days": 10}, format="json")
    assert sent_response.status_code == 200
    assert sent_response.json() == offer_json(offer)
    assert sent_response.json()["status"] == "sent"
    assert timezone.localdate(offer.expires_at) == timezone.localdate() + dt.timedelta(days=10)
    assert f"http://testserver/careers/offer/{offer.token}/" in mailoutbox[-1].body
    accepted = client.post(f"/api/v1/offers/{offer.pk}/accept/", {"note": "signed letter"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["response_note"] == "recruiter: signed letter"
    assert client.post(f"/api/v1/offers/{offer.pk}/decline/").status_code == 409
    assert client.post(f"/api/v1/offers/{offer.pk}/send/").json() == {
        "detail": "This offer was already sent (it is accepted)."
    }


def test_api_decline_and_withdraw(org: dict[str, Any], application: Application, api_as: Any) -> None:
    client = api_as(org["users"]["hr"])
    offer = sent(org, application)
    assert client.post(f"/api/v1/offers/{offer.pk}/decline/").json()["status"] == "declined"
    other = create(org, make_application(org["departments"]["sales"], email="e@example.com"))
    assert client.post(f"/api/v1/offers/{other.pk}/withdraw/").json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/offers/{other.pk}/withdraw/").status_code == 409


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"salary": "0"}, {"salary"}),
        ({"salary": "-1"}, {"salary"}),
        ({"salary": "abc"}, {"salary"}),
        ({"salary": "1e40"}, {"salary"}),
        ({"start_date": "2000-01-01"}, {"start_date"}),
        ({"start_date": "01/05/2099"}, {"start_date"}),
        ({"title": ""}, {"title"}),
        ({"level": 999999}, {"level"}),
        ({"application": 999999}, {"application"}),
        ({"application": "x"}, {"application"}),
    ],
)
def test_api_create_refuses_bad_input_with_400(
    org: dict[str, Any], application: Application, api_as: Any, body: dict[str, Any], fields: set[str]
) -> None:
    data = {"application": application.pk, "title": "Sales engineer", "salary": "25000", "start_date": "2099-05-01"}
    response = api_as(org["users"]["recruiter"]).post("/api/v1/offers/", data | body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert Offer.objects.count() == 0


def test_api_salary_zero_and_past_start_give_the_services_messages(
    org: dict[str, Any], application: Application, api_as: Any
) -> None:
    response = api_as(org["users"]["recruiter"]).post(
        "/api/v1/offers/",
        {"application": application.pk, "title": "Sales engineer", "salary": 0, "start_date": "2001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "salary": ["The salary must be more than 0."], "start_date": ["The start date is in the past."],
    }


def test_api_send_refuses_bad_days(org: dict[str, Any], application: Application, api_as: Any) -> None:
    offer = create(org, application)
    client = api_as(org["users"]["recruiter"])
    for days in (0, 61, "x"):
        assert client.post(f"/api/v1/offers/{offer.pk}/send/", {"valid_days": days}, format="json").status_code == 400
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_api_roles(org: dict[str, Any], application: Application, api_as: Any) -> None:
    offer = sent(org, application)
    manager = api_as(org["users"]["manager"])
    assert manager.get("/api/v1/offers/").json()["count"] == 1
    assert manager.get(f"/api/v1/offers/{offer.pk}/").status_code == 200
    assert manager.post(f"/api/v1/offers/{offer.pk}/accept/").status_code == 403
    assert manager.post(
        "/api/v1/offers/", {"application": application.pk, "title": "x", "salary": 1, "start_date": "2099-01-01"},
        format="json",
    ).status_code == 403
    rd = make_application(org["departments"]["rd"], email="rd@example.com")
    hidden = create(org, rd)
    assert manager.get(f"/api/v1/offers/{hidden.pk}/").status_code == 404
    assert manager.get("/api/v1/offers/", {"application": rd.pk}).json()["count"] == 0
    employee = api_as(org["users"]["employee"])
    assert employee.get("/api/v1/offers/").status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT


def test_api_list_filters_and_runs_a_constant_number_of_queries(
    org: dict[str, Any], api_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        sent(org, make_application(org["departments"]["sales"], email=f"q{n}@example.com"))
    client = api_as(org["users"]["recruiter"])
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/offers/")
    assert response.json()["count"] == 5
    assert client.get("/api/v1/offers/", {"status": "draft"}).json()["count"] == 0
    assert client.get("/api/v1/offers/", {"status": "maybe"}).status_code == 400


# ----------------------------------------------------------------------------------------------- pages


def test_candidate_reads_the_letter_and_accepts_after_confirming(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    offer = sent(org, application)
    url = f"/careers/offer/{offer.token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acme is pleased to offer you the position of Sales engineer" in html
    assert 'name="decision" value="accept"' in html
    assert 'name="decision" value="decline"' in html
    confirm = client.post(url, {"decision": "accept"})
    assert confirm.status_code == 200
    assert "You are accepting the offer of Sales engineer at Acme." in confirm.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    done = client.post(url, {"decision": "accept", "confirm": "yes"})
    assert done.status_code == 302
    assert done["Location"] == url
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    after = client.get(url).content.decode()
    assert "You accepted this offer on" in after
    assert 'name="decision"' not in after
    twice = client.post(url, {"decision": "decline", "confirm": "yes"})
    assert twice.status_code == 200
    assert "You accepted this offer on" in twice.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED


def test_candidate_declines(org: dict[str, Any], application: Application, client: Client) -> None:
    offer = sent(org, application)
    url = f"/careers/offer/{offer.token}/"
    assert "You are declining" in client.post(url, {"decision": "decline"}).content.decode()
    client.post(url, {"decision": "decline", "confirm": "yes"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert "You declined this offer on" in client.get(url).content.decode()


def test_candidate_pages_for_bad_links_and_input(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    missing = client.get("/careers/offer/nope/")
    assert missing.status_code == 404
    assert "This link is not valid." in missing.content.decode()
    offer = sent(org, application)
    url = f"/careers/offer/{offer.token}/"
    bad = client.post(url, {"decision": "maybe"})
    assert bad.status_code == 400
    assert "Choose whether you accept or decline the offer." in bad.content.decode()
    expired = timezone.now() - dt.timedelta(minutes=1)
    Offer.objects.filter(pk=offer.pk).update(expires_at=expired)
    page = client.get(url)
    assert page.status_code == 200
    assert f"This offer expired on {day(expired, 'en')}." in page.content.decode()
    late = client.post(url, {"decision": "accept", "confirm": "yes"})
    assert "This offer expired on" in late.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    draft = create(org, make_application(org["departments"]["sales"], email="f@example.com"))
    assert client.get(f"/careers/offer/{draft.token}/").status_code == 404


def test_candidate_page_of_a_withdrawn_offer(org: dict[str, Any], application: Application, client: Client) -> None:
    offer = sent(org, application)
    offers.offer_withdraw(actor=org["users"]["recruiter"], offer=offer)
    url = f"/careers/offer/{offer.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "This offer was withdrawn." in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
    client.post(url, {"decision": "accept", "confirm": "yes"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert client.put(url).status_code == 405


def test_staff_prepare_send_and_record_through_the_pages(
    org: dict[str, Any], application: Application, client: Client
) -> None:
    client.force_login(org["users"]["recruiter"])
    url = f"/recruiting/applications/{application.pk}/offers/new/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Sales engineer"' in form.content.decode()
    bad = client.post(url, {"title": "Sales engineer", "salary": "0", "start_date": "2099-05-01"})
    assert bad.status_code == 400
    assert "The salary must be more than 0." in bad.content.decode()
    past = client.post(url, {"title": "Sales engineer", "salary": "100", "start_date": "2001-05-01"})
    assert past.status_code == 400
    assert "The start date is in the past." in past.content.decode()
    assert Offer.objects.count() == 0
    created = client.post(url, {"title": "Sales engineer", "salary": "25000", "start_date": "2099-05-01"})
    offer = Offer.objects.get()
    assert created["Location"] == f"/recruiting/offers/{offer.pk}/"
    detail = client.get(f"/recruiting/offers/{offer.pk}/")
    assert "Acme is pleased to offer you" in detail.content.decode()
    assert client.post(f"/recruiting/offers/{offer.pk}/send/", {"valid_days": "0"}).status_code == 400
    assert client.post(f"/recruiting/offers/{offer.pk}/send/", {"valid_days": "5"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    assert client.post(f"/recruiting/offers/{offer.pk}/send/", {"valid_days": "5"}).status_code == 409
    assert client.post(f"/recruiting/offers/{offer.pk}/accept/", {"note": "phone"}).status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.response_note) == (Offer.Status.ACCEPTED, "recruiter: phone")
    again = client.post(f"/recruiting/offers/{offer.pk}/withdraw/")
    assert again.status_code == 409
    assert "Only a draft or sent offer can be withdrawn" in again.content.decode()
    assert client.get(f"/recruiting/offers/{offer.pk}/accept/").status_code == 302


def test_staff_offer_pages_refuse_other_roles(org: dict[str, Any], application: Application, client: Client) -> None:
    offer = sent(org, application)
    client.force_login(org["users"]["manager"])
    assert client.get(f"/recruiting/applications/{application.pk}/offers/new/").status_code == 403
    assert client.get(f"/recruiting/offers/{offer.pk}/").status_code == 200
    assert client.post(f"/recruiting/offers/{offer.pk}/withdraw/").status_code == 403
    client.force_login(org["users"]["employee"])
    assert client.get(f"/recruiting/offers/{offer.pk}/").status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
