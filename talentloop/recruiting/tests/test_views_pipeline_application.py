"""Staff recruiting pages: one application (who may see it, what it shows) and its notes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from talentloop.org.models import Job
from talentloop.recruiting.models import ApplicationNote, Stage
from talentloop.recruiting.tests._pipeline_support import Login, Org, add, move, page_text, texts, tree
from talentloop.recruiting.views import pipeline as views

# ------------------------------------------------------------------------------------------------ one application


@pytest.mark.parametrize(("role", "status"), [
    ("hr", 200), ("recruiter", 200), ("manager", 200), ("employee", 403), ("outsider", 403), ("candidate", 403),
])
def test_application_detail_by_role(login: Login, org: Org, job: Job, screened: Any, role: str, status: int) -> None:
    response = login(org["users"][role]).get(reverse("recruiting:application_detail", args=[screened["zhang"].pk]))

    assert response.status_code == status


def test_a_manager_of_another_department_may_not_see_the_application(login: Login, org: Org, rd_job: Job) -> None:
    application = add(rd_job, "Elsewhere")

    response = login(org["users"]["manager"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    assert response.status_code == 403
    assert login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[999_999])).status_code == 404


def test_application_detail_shows_candidate_resume_parsed_data_and_screening(
    login: Login, org: Org, job: Job, screened: Any
) -> None:
    application = screened["zhang"]
    client = login(org["users"]["recruiter"])
    move(client, application, "interview", reason="Great fit")

    response = client.get(reverse("recruiting:application_detail", args=[application.pk]))

    page = tree(response)
    contact = page.xpath('//*[@data-testid="contact"]')[0]
    assert dict(zip(texts(contact.xpath("./dt")), texts(contact.xpath("./dd")), strict=True)) == {
        "Name": "张伟", "Email": "zhangwei@example.com", "Phone": "13812345678", "Location": "上海",
        "Source": "Other", "Consent": "Not recorded",
    }
    assert "浙江大学" in page.xpath('//pre[@data-testid="resume-text"]')[0].text_content()
    parsed = " ".join(page.xpath('//*[@data-testid="parsed"]')[0].text_content().split())
    assert "Master" in parsed
    for fact in ("Java", "Docker", "PMP", "English", "浙江大学", "复旦大学", "阿里巴巴"):
        assert fact in parsed, fact
    assert page.xpath('//*[@data-testid="work-history"]/li')
    screening = page.xpath('//*[@data-testid="screening"]')[0]
    assert "Python (required)" in texts(screening.xpath('.//*[@data-testid="matched"]'))
    history = " ".join(page.xpath('//*[@data-testid="history"]')[0].text_content().split())
    assert "Applied → Interviews" in history
    assert "recruiter: Great fit" in history
    buttons = page.xpath('//form[@data-testid="transition-form"]//button/@value')
    assert buttons == ["applied", "screening", "ai_interview", "written_test", "background_check", "offer",
                       "rejected", "withdrawn"]
    assert page.xpath('//*[@data-testid="stage"]')[0].text_content() == "Interviews"


def test_application_detail_links_only_the_pages_that_exist(
    login: Login, org: Org, job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = add(job, "Links")
    monkeypatch.setattr(views, "OTHER_APPLICATION_PAGES", (
        ("recruiting:application_detail", "Existing page"), ("recruiting:no_such_page", "Missing page"),
    ))
    monkeypatch.setattr(views, "RESUME_API_PATH", "/recruiting/applications/{pk}/")

    response = login(org["users"]["recruiter"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    links = tree(response).xpath('//*[@data-testid="other-pages"]//a')
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Existing page", reverse("recruiting:application_detail", args=[application.pk])),
    ]
    # No stored file: no download link even when the endpoint exists.
    assert not tree(response).xpath('//*[@data-testid="resume-download"]')


def test_resume_download_link_appears_when_the_api_endpoint_exists(
    login: Login, org: Org, job: Job, screened: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("recruiting:application_detail", args=[screened["zhang"].pk])
    client = login(org["users"]["recruiter"])
    monkeypatch.setattr(views, "RESUME_API_PATH", "/recruiting/applications/{pk}/")  # stands in for the API
    assert tree(client.get(url)).xpath('//*[@data-testid="resume-download"]/@href') == [url]
    monkeypatch.setattr(views, "RESUME_API_PATH", "/api/v1/no-such-endpoint/{pk}/")
    assert not tree(client.get(url)).xpath('//*[@data-testid="resume-download"]')


def test_unreadable_resume_is_explained_on_the_application(login: Login, org: Org, job: Job, screened: Any) -> None:
    response = login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[screened["empty"].pk]))

    resume = " ".join(tree(response).xpath('//*[@data-testid="resume"]')[0].text_content().split())
    assert "resume unreadable" in resume
    assert "the file is empty" in resume


def test_closed_application_offers_no_moves(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Gone", stage=Stage.WITHDRAWN)

    response = login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    assert not tree(response).xpath('//form[@data-testid="transition-form"]')
    assert "This application is closed" in page_text(response)


def test_adding_a_note(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Noted")
    url = reverse("recruiting:application_note_add", args=[application.pk])
    client = login(org["users"]["manager"])

    response = client.post(url, {"text": "  Call back on Monday.  "}, follow=True)

    detail = reverse("recruiting:application_detail", args=[application.pk])
    assert response.redirect_chain == [(detail + "#notes", 302)]
    note = ApplicationNote.objects.get()
    assert (note.application, note.author, note.text) == (application, org["users"]["manager"], "Call back on Monday.")
    notes = texts(tree(response).xpath('//*[@data-testid="note"]'))
    assert len(notes) == 1
    assert notes[0].startswith("manager ·")
    assert notes[0].endswith("Call back on Monday.")
    assert "Note added." in page_text(response)


def test_an_empty_note_is_refused(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Noted")

    response = login(org["users"]["hr"]).post(
        reverse("recruiting:application_note_add", args=[application.pk]), {"text": "   "}
    )

    assert response.status_code == 400
    assert texts(tree(response).xpath('//*[@data-testid="note-form"]//*[contains(@class, "field-error")]')) == [
        "This field is required."
    ]
    assert not ApplicationNote.objects.exists()


def test_notes_need_access_to_the_application(login: Login, org: Org, rd_job: Job) -> None:
    application = add(rd_job, "Elsewhere")
    url = reverse("recruiting:application_note_add", args=[application.pk])

    assert login(org["users"]["manager"]).post(url, {"text": "Hi"}).status_code == 403
    assert login(org["users"]["employee"]).post(url, {"text": "Hi"}).status_code == 403
    assert not ApplicationNote.objects.exists()
