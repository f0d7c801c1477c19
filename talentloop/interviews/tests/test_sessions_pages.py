"""HR's pages: the invitation form (generated or chosen questions), the link to copy, the application page's
AI-interview panel with each interview's status, link and report, and cancelling."""

from __future__ import annotations

from typing import Any

import lxml.html
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.interviews.models import InterviewSession

from ._support import InterviewSetup, bank_ids, browser, consent, make_application, submit_answers


def tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def by_testid(response: Any, testid: str) -> list[Any]:
    return list(tree(response).xpath(f'//*[@data-testid="{testid}"]'))


def invite_url(setup: InterviewSetup) -> str:
    return reverse("interviews:invite", args=[setup.application.pk])


def detail_url(setup: InterviewSetup) -> str:
    return reverse("recruiting:application_detail", args=[setup.application.pk])


def test_the_invite_form_offers_the_candidates_language_and_the_bank_by_competency(setup: InterviewSetup) -> None:
    response = browser(setup.hr).get(invite_url(setup))
    assert response.status_code == 200
    root = tree(response)
    assert root.xpath('//form[@data-testid="invite-form"]//select[@name="language"]/option[@selected]/@value') == [
        "en"
    ]
    groups = root.xpath('//select[@name="questions"]/optgroup/@label')
    assert groups[:4] == ["Communication", "Customer Orientation", "Teamwork", "Problem Solving"]
    assert len(root.xpath('//select[@name="questions"]//option')) == 104  # 26 competencies × 4 English questions
    chinese = tree(browser(setup.hr).get(invite_url(setup), {"language": "zh-hans"}))
    first = chinese.xpath('//select[@name="questions"]/optgroup[1]/option/text()')[0]
    assert first.startswith(f"#{bank_ids(['communication-zh-1'])[0]} · ")


def test_inviting_with_generated_questions_shows_the_link(setup: InterviewSetup, settings: Any) -> None:
    settings.TALENTLOOP_SITE_URL = "https://hr.example.com"
    client = browser(setup.hr)
    response = client.post(invite_url(setup), {"language": "en", "mode": "auto", "expires_in_days": "5"})
    session = InterviewSession.objects.get()
    assert response["Location"] == f"{invite_url(setup)}?new={session.pk}"
    page = client.get(response["Location"])
    assert by_testid(page, "invite-url")[0].get("value") == f"https://hr.example.com/interview/{session.token}/"
    assert session.questions.count() == 8


def test_inviting_with_chosen_questions_and_the_errors(setup: InterviewSetup) -> None:
    client = browser(setup.hr)
    nothing = client.post(invite_url(setup), {"language": "en", "mode": "selected", "expires_in_days": "7"})
    assert nothing.status_code == 400
    assert "Choose at least one question, or let them be generated." in nothing.content.decode()
    zh = bank_ids(["communication-zh-1"])
    wrong = client.post(invite_url(setup), {"language": "zh-hans", "mode": "selected", "questions": zh,
                                            "expires_in_days": "7"})
    assert wrong.status_code == 302
    session = InterviewSession.objects.get()
    assert (session.language, [q.question_id for q in session.questions.all()]) == ("zh-hans", zh)
    again = client.post(invite_url(setup), {"language": "en", "mode": "auto", "expires_in_days": "7"})
    assert again.status_code == 400
    assert "This candidate already has an open AI interview (round 1" in again.content.decode()


def test_hiring_managers_and_employees_cannot_invite(setup: InterviewSetup) -> None:
    for role in ("manager", "employee"):
        client = browser(setup.org["users"][role])
        assert client.get(invite_url(setup)).status_code == 403
        posted = client.post(invite_url(setup), {"language": "en", "mode": "auto", "expires_in_days": "7"})
        assert posted.status_code == 403
    assert InterviewSession.objects.count() == 0


def test_the_application_page_lists_the_interviews_with_links_and_reports(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    first = setup.session()
    with django_capture_on_commit_callbacks(execute=True):
        submit_answers(first, {1: "One answer."})
    second = setup.session()
    consent(second)
    response = browser(setup.hr).get(detail_url(setup))
    rows = by_testid(response, "ai-interview-row")
    assert [(r.get("data-session"), r.get("data-status")) for r in rows] == [
        (str(second.pk), "consented"), (str(first.pk), "completed"),
    ]
    assert " ".join(rows[1].xpath("./td[3]")[0].text_content().split()) == "1 / 8"
    reports = [a.get("href") for a in by_testid(response, "ai-interview-report")]
    assert reports == [reverse("interviews:report", args=[second.pk]), reverse("interviews:report", args=[first.pk])]
    assert [i.get("value") for i in by_testid(response, "ai-interview-link")] == [
        f"http://127.0.0.1:8000/interview/{second.token}/"
    ]
    assert by_testid(response, "ai-interview-invite")[0].get("href") == invite_url(setup)


def test_a_hiring_manager_sees_the_panel_without_links_or_invitation(setup: InterviewSetup) -> None:
    setup.session()
    response = browser(setup.org["users"]["manager"]).get(detail_url(setup))
    assert len(by_testid(response, "ai-interview-row")) == 1
    assert by_testid(response, "ai-interview-link") == []
    assert by_testid(response, "ai-interview-invite") == []


def test_a_human_interviewer_request_shows_on_the_panel(setup: InterviewSetup) -> None:
    session = setup.session()
    from talentloop.interviews.services.sessions import interview_consent

    interview_consent(token=session.token, accept=False, human_review=True, reason="Please.")
    response = browser(setup.hr).get(detail_url(setup))
    assert by_testid(response, "ai-interview-row")[0].get("data-status") == "human_review"
    assert " ".join(by_testid(response, "ai-interview-review-request")[0].text_content().split()) == (
        "1 open request for a person"
    )


def test_the_panel_runs_a_constant_number_of_queries(setup: InterviewSetup) -> None:
    from talentloop.interviews.services.sessions import interview_cancel

    client = browser(setup.hr)
    ids = bank_ids([f"integrity-en-{n}" for n in (1, 2, 3, 4)])
    interview_cancel(actor=setup.hr, session=setup.session(questions=ids[:1]))
    client.get(detail_url(setup))
    with CaptureQueriesContext(connection) as one:
        client.get(detail_url(setup))
    for pk in ids[1:]:
        interview_cancel(actor=setup.hr, session=setup.session(questions=[pk]))
    with CaptureQueriesContext(connection) as four:
        client.get(detail_url(setup))
    assert len(one) == len(four)


def test_cancelling_an_interview(setup: InterviewSetup) -> None:
    session = setup.session()
    manager = browser(setup.org["users"]["manager"])
    assert manager.post(reverse("interviews:cancel", args=[session.pk])).status_code == 403
    response = browser(setup.hr).post(reverse("interviews:cancel", args=[session.pk]))
    assert response["Location"] == f"{detail_url(setup)}#ai-interviews"
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert browser(setup.hr).post(reverse("interviews:cancel", args=[10**9])).status_code == 404
    other = make_application(setup.job, email="z@example.com")
    assert other.interviews.count() == 0
