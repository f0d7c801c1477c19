"""Written-test pages: the staff list, builder (with its no-script fallback), assigning from an application
and reviewing; the candidate's pages through the secret link (intro, the test with its stable test ids,
autosaved drafts, submit, done) and the clear pages for expired (410), submitted (410) and unknown (404) links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.core.models import User
from talentloop.recruiting.models import Application, Stage, WrittenTest, WrittenTestSitting
from talentloop.recruiting.services import written_tests as services

from .test_written_tests import EXAMPLE, assign, make_application, make_test, question_ids, shift_start

pytestmark = pytest.mark.django_db

Org = dict[str, Any]
LIST = reverse("recruiting:written_test_list")
CREATE = reverse("recruiting:written_test_create")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def candidate_browser() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def builder_data(rows: list[dict[str, Any]], **fields: str) -> dict[str, str]:
    """What the builder posts: the test fields, the management form and one form per row."""
    data = {
        "title": "前端笔试", "job": "", "time_limit_minutes": "40", "instructions": "",
        "q-TOTAL_FORMS": str(len(rows)), "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        data[f"q-{index}-id"] = str(row.get("id", ""))
        data[f"q-{index}-kind"] = row.get("kind", "single")
        data[f"q-{index}-text"] = row.get("text", "")
        data[f"q-{index}-points"] = str(row.get("points", "1"))
        for slot, option in enumerate(row.get("options", [])):
            data[f"q-{index}-option_{slot}"] = option
        for slot in row.get("correct", []):
            data[f"q-{index}-correct_{slot}"] = "on"
        if row.get("delete"):
            data[f"q-{index}-DELETE"] = "on"
    data.update(fields)
    return data


# --- Staff pages -------------------------------------------------------------------------------------------


def test_the_list_shows_tests_to_recruiting_staff_only(org: Org) -> None:
    make_test(org, title="Sales aptitude")
    make_test(org, title="Logic")
    page = login(org["users"]["hr"]).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="test-row"') == 2
    assert 'data-testid="new-test"' in html
    manager_page = login(org["users"]["manager"]).get(LIST)
    assert manager_page.status_code == 200
    assert 'data-testid="new-test"' not in manager_page.content.decode()
    assert login(org["users"]["manager"]).get(CREATE).status_code == 403
    for role in ("employee", "candidate"):
        assert login(org["users"][role]).get(LIST).status_code == 403


def test_the_list_page_runs_a_constant_number_of_queries(org: Org) -> None:
    client = login(org["users"]["hr"])
    make_test(org)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(5):
        make_test(org, title=f"T{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_the_builder_creates_a_test_ignoring_blank_and_removed_rows(org: Org) -> None:
    rows: list[dict[str, Any]] = [
        {"kind": "single", "text": "HTML 是什么？", "options": ["标记语言", "编程语言"], "correct": [0], "points": "2"},
        {"kind": "multiple", "text": "Removed", "options": ["a", "b"], "correct": [0], "delete": True},
        {"kind": "multiple", "text": "Which are CSS units?", "options": ["px", "", "em", "kg"], "correct": [0, 2]},
        {"kind": "short", "text": "Explain the box model.", "options": ["ignored for short answers"], "points": "5"},
        {"kind": "single"},  # a blank row
    ]
    response = login(org["users"]["recruiter"]).post(CREATE, builder_data(rows))
    test = WrittenTest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recruiting:written_test_detail", args=[test.pk])
    assert (test.title, test.time_limit_minutes, test.job) == ("前端笔试", 40, None)
    stored = list(test.questions.order_by("position").values_list("kind", "text", "options", "correct"))
    assert stored == [
        ("single", "HTML 是什么？", ["标记语言", "编程语言"], [0]),
        ("multiple", "Which are CSS units?", ["px", "em", "kg"], [0, 1]),  # the empty slot closes up
        ("short", "Explain the box model.", [], []),
    ]


def test_builder_errors_are_shown_next_to_their_question_and_nothing_is_saved(org: Org) -> None:
    rows = [
        {"kind": "single", "text": "Fine", "options": ["a", "b"], "correct": [1]},
        {"kind": "single", "text": "Two correct", "options": ["a", "b"], "correct": [0, 1]},
    ]
    response = login(org["users"]["hr"]).post(CREATE, builder_data(rows, time_limit_minutes="0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert WrittenTest.objects.count() == 0
    blocks = html.split('data-testid="question-row"')[1:3]
    assert "A one-answer question has exactly one correct option." not in blocks[0]
    assert "A one-answer question has exactly one correct option." in blocks[1]
    assert "The time limit is 1 to 300 minutes." in html
    empty = login(org["users"]["hr"]).post(CREATE, builder_data([{"kind": "single"}]))
    assert "A test needs at least one question." in empty.content.decode()


def test_the_builder_edits_a_test_keeping_question_ids(org: Org) -> None:
    test = make_test(org, questions=EXAMPLE[:2])
    first, second = question_ids(test)
    client = login(org["users"]["hr"])
    form = client.get(reverse("recruiting:written_test_edit", args=[test.pk]))
    assert form.status_code == 200
    html = form.content.decode()
    assert f'name="q-0-id" value="{first}"' in html
    assert 'name="q-0-option_1" id="id_q-0-option_1" value="4"' in html
    assert '<template data-question-template>' in html
    rows = [
        {"id": first, "kind": "single", "text": "2 + 2 = ?", "options": ["3", "4", "5"], "correct": [1]},
        {"id": second, "kind": "short", "text": "Now short", "delete": True},
    ]
    response = client.post(reverse("recruiting:written_test_edit", args=[test.pk]),
                           builder_data(rows, title="Edited") | {"q-INITIAL_FORMS": "2"})
    assert response.status_code == 302
    assert list(test.questions.values_list("pk", "text")) == [(first, "2 + 2 = ?")]
    assert WrittenTest.objects.get(pk=test.pk).title == "Edited"


def test_assigning_from_an_application_shows_the_link_to_copy(
    org: Org, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    test = make_test(org)
    application = make_application(org, stage=Stage.SCREENING)
    url = reverse("recruiting:written_test_assign", args=[application.pk])
    client = login(org["users"]["recruiter"])
    page = client.get(url)
    assert page.status_code == 200
    assert f'<option value="{test.pk}">Sales aptitude</option>' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"test": test.pk, "expires_in_days": "7"})
    sitting = WrittenTestSitting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url}?new={sitting.pk}"
    assert Application.objects.get(pk=application.pk).stage == Stage.WRITTEN_TEST
    assert len(mailoutbox) == 1  # the stage email; "email the link" was not ticked
    shown = client.get(response["Location"]).content.decode()
    assert f'value="http://testserver/careers/test/{sitting.token}/" readonly data-testid="candidate-link"' in shown
    assert 'data-new="true"' in shown
    refused = client.post(url, {"test": test.pk, "expires_in_days": "7"})
    assert refused.status_code == 200
    assert "This candidate already has an open link to this test" in refused.content.decode()
    assert login(org["users"]["manager"]).get(url).status_code == 403


def test_review_page_scores_short_answers_and_is_read_only_for_managers(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    services.sitting_start(token=sitting.token)
    q1, _q2, _q3, q4, _q5 = question_ids(sitting.test)
    services.sitting_submit(token=sitting.token, answers={str(q1): ["1"], str(q4): "我负责过小程序上线。"})
    url = reverse("recruiting:written_test_review", args=[sitting.pk])
    client = login(org["users"]["hr"])
    page = client.get(url).content.decode()
    assert "我负责过小程序上线。" in page
    assert f'name="points-{q4}"' in page
    refused = client.post(url, {f"points-{q4}": "7"})
    assert "Question 4: give 0 to 5 points." in refused.content.decode()
    saved = client.post(url, {f"points-{q4}": "5"})
    assert saved.status_code == 302
    # (2 + 5) / 15 × 100 = 46.666… → 46.67
    assert Application.objects.get(pk=sitting.application_id).written_test_score == 46.67
    manager = login(org["users"]["manager"])
    read_only = manager.get(url)
    assert read_only.status_code == 200
    assert 'data-testid="review-submit"' not in read_only.content.decode()
    assert manager.post(url, {f"points-{q4}": "1"}).status_code == 403
    assert login(org["users"]["employee"]).get(url).status_code == 403


# --- The candidate's pages ---------------------------------------------------------------------------------


def test_the_candidate_starts_takes_and_submits_the_test(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    q1, q2, q3, q4, q5 = question_ids(sitting.test)
    browser = candidate_browser()
    url = reverse("careers:written_test", args=[sitting.token])
    intro = browser.get(url)
    assert intro.status_code == 200
    intro_html = intro.content.decode()
    assert 'data-testid="test-start"' in intro_html
    assert "Time limit: 30 minutes" in intro_html
    assert WrittenTestSitting.objects.get(pk=sitting.pk).started_at is None

    started = browser.post(reverse("careers:written_test_start", args=[sitting.token]))
    assert (started.status_code, started["Location"]) == (302, url)
    page = browser.get(url)
    html = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert html.count('data-testid="test-question"') == 5
    for testid in ("test-timer", "test-submit", "test-confirm"):
        assert html.count(f'data-testid="{testid}"') == 1
    assert re.search(r'data-testid="test-timer"[^>]*>(29:5\d|30:00)<', html)
    for option in range(3):
        assert f'id="q-{q1}-{option}" value="{option}"' in html
    assert f'type="checkbox" name="q-{q2}" id="q-{q2}-3"' in html
    assert f'<textarea id="q-{q4}-text" name="q-{q4}-text"' in html

    browser.post(reverse("careers:written_test_save", args=[sitting.token]),
                 {f"q-{q1}": "1", f"q-{q4}-text": "草稿答案"})
    again = browser.get(url).content.decode()
    assert f'id="q-{q1}-1" value="1" checked' in again
    assert ">草稿答案</textarea>" in again

    submitted = browser.post(reverse("careers:written_test_submit", args=[sitting.token]), {
        f"q-{q1}": "1", f"q-{q2}": ["0", "2"], f"q-{q3}": ["1", "3"], f"q-{q4}-text": "最终答案", f"q-{q5}": "0",
    })
    done_url = reverse("careers:written_test_done", args=[sitting.token])
    assert (submitted.status_code, submitted["Location"]) == (302, done_url)
    done = browser.get(done_url).content.decode()
    assert 'data-testid="test-done"' in done
    sitting.refresh_from_db()
    assert (sitting.status, sitting.auto_points, sitting.answers[str(q4)]) == ("submitted", 10, "最终答案")


def test_links_that_no_longer_lead_to_the_test_explain_why(org: Org) -> None:
    browser = candidate_browser()
    unknown = browser.get(reverse("careers:written_test", args=["no-such-token"]))
    assert unknown.status_code == 404
    assert "This test link is not valid. Please check that you copied the whole link from the email." in (
        unknown.content.decode()
    )

    expired = assign(org, make_test(org), make_application(org))
    WrittenTestSitting.objects.filter(pk=expired.pk).update(expires_at="2020-01-01T00:00:00Z")
    gone = browser.get(reverse("careers:written_test", args=[expired.token]))
    assert gone.status_code == 410
    html = gone.content.decode()
    assert "This test link has expired" in html
    assert "This test link expired on 2020-01-01 08:00. If you still want to take the test, please contact the" in html
    assert browser.post(reverse("careers:written_test_start", args=[expired.token])).status_code == 410
    assert WrittenTestSitting.objects.get(pk=expired.pk).started_at is None

    done = assign(org, make_test(org, title="Other"), make_application(org, email="li@example.com"))
    services.sitting_start(token=done.token)
    services.sitting_submit(token=done.token, answers={})
    for url in (
        reverse("careers:written_test", args=[done.token]),
        reverse("careers:written_test_start", args=[done.token]),
        reverse("careers:written_test_submit", args=[done.token]),
    ):
        response = browser.get(url) if url.endswith(f"{done.token}/") else browser.post(url)
        assert response.status_code == 410
        assert "You already submitted this test on " in response.content.decode()


def test_a_late_submission_keeps_the_draft_and_says_so(org: Org) -> None:
    sitting = assign(org, make_test(org, questions=[EXAMPLE[0]], minutes=5), make_application(org))
    (question,) = question_ids(sitting.test)
    browser = candidate_browser()
    browser.post(reverse("careers:written_test_start", args=[sitting.token]))
    browser.post(reverse("careers:written_test_save", args=[sitting.token]), {f"q-{question}": "1"})
    shift_start(sitting, 5 * 60 + 90)
    response = browser.post(reverse("careers:written_test_submit", args=[sitting.token]), {f"q-{question}": "0"})
    assert response.status_code == 302
    done = browser.get(response["Location"]).content.decode()
    assert "the answers you had saved by then were submitted." in done
    assert WrittenTestSitting.objects.get(pk=sitting.pk).answers == {str(question): [1]}


def test_a_test_whose_time_ran_out_shows_the_closed_page(org: Org) -> None:
    sitting = assign(org, make_test(org, questions=[EXAMPLE[0]], minutes=5), make_application(org))
    services.sitting_start(token=sitting.token)
    shift_start(sitting, 3600)
    page = candidate_browser().get(reverse("careers:written_test", args=[sitting.token]))
    assert page.status_code == 410
    assert "The time for this test ran out at " in page.content.decode()
    assert WrittenTestSitting.objects.get(pk=sitting.pk).status == "graded"


def test_the_candidate_pages_need_no_login_but_staff_pages_do(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    anonymous = candidate_browser()
    assert anonymous.get(reverse("careers:written_test", args=[sitting.token])).status_code == 200
    staff_page = anonymous.get(reverse("recruiting:written_test_review", args=[sitting.pk]))
    assert staff_page.status_code == 302
    assert staff_page["Location"].startswith(reverse("login"))
