"""The question bank pages: the list with its filters and counts per competency, the form with key-point rows
(validation messages beside the fields), retire and restore, and who may open them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from talentloop.interviews.models import InterviewQuestion
from talentloop.interviews.tests._reports_support import browser

pytestmark = pytest.mark.django_db


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "competency": "teamwork", "language": "en", "type": "situational", "difficulty": "2",
        "time_limit_seconds": "200", "text": "Your {team_size} disagrees with you. What do you do?",
        "reference_answer": "I listen first.", "level_1": "Argues", "level_2": "Listens", "level_3": "Builds consensus",
        "kp-TOTAL_FORMS": "6", "kp-INITIAL_FORMS": "0", "kp-MIN_NUM_FORMS": "0", "kp-MAX_NUM_FORMS": "6",
        "kp-0-point": "Listens to each view", "kp-0-synonyms": "listen, hear them out\nask questions",
        "kp-1-point": "Finds common ground", "kp-1-synonyms": "shared goal",
        "kp-2-point": "Agrees next steps", "kp-2-synonyms": "",
    }
    data.update(changes)
    return data


def test_the_list_shows_counts_filters_and_questions(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    html = client.get("/interviews/questions/").content.decode()
    assert "Questions in use: 104 in Chinese, 104 in English; 0 retired" in html
    assert ('<tr data-code="communication"><th scope="row"><a href="?competency=communication">Communication</a>'
            "</th><td>4</td><td>4</td><td>0</td></tr>") in html
    assert "208 questions" in html
    filtered = client.get("/interviews/questions/", {"competency": "communication", "language": "en"})
    text = filtered.content.decode()
    assert "4 questions" in text
    assert text.count('<tr data-code="communication-en-') == 4
    assert 'data-code="communication-zh-1"' not in text
    assert 'href="/interviews/review-requests/"' in text


def test_creating_a_question_through_the_form(org: dict[str, Any]) -> None:
    client = browser(org["users"]["recruiter"])
    page = client.get("/interviews/questions/new/").content.decode()
    assert page.count('data-testid="key-point-row"') == 6
    response = client.post("/interviews/questions/new/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/interviews/questions/"
    question = InterviewQuestion.objects.get(code="custom-1")
    assert question.key_points == [
        {"point": "Listens to each view", "synonyms": ["listen", "hear them out", "ask questions"]},
        {"point": "Finds common ground", "synonyms": ["shared goal"]},
        {"point": "Agrees next steps", "synonyms": []},
    ]
    assert (question.competency.code, question.time_limit_seconds, question.levels) == (
        "teamwork", 200, {"1": "Argues", "2": "Listens", "3": "Builds consensus"}
    )
    assert question.placeholders == ["team_size"]


def test_problems_are_shown_beside_the_fields_and_nothing_is_saved(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    response = client.post("/interviews/questions/new/", form_data(**{
        "text": "", "time_limit_seconds": "5", "kp-2-point": "", "kp-2-synonyms": "",
    }))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write the question." in html
    assert "The time limit is between 30 and 1800 seconds." in html
    assert "Give between 3 and 6 key points a strong answer covers (2 given)." in html
    assert 'value="Listens to each view"' in html
    assert InterviewQuestion.objects.filter(source="custom").count() == 0


def test_editing_a_shipped_question_keeps_its_code(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    shipped = InterviewQuestion.objects.get(code="teamwork-en-1")
    page = client.get(f"/interviews/questions/{shipped.pk}/edit/").content.decode()
    assert "Shipped with TalentLoop." in page
    assert f'value="{shipped.key_points[0]["point"]}"' in page
    response = client.post(f"/interviews/questions/{shipped.pk}/edit/", form_data(text="Edited question text."))
    assert response.status_code == 302
    shipped.refresh_from_db()
    assert (shipped.code, shipped.source, shipped.text, shipped.type) == (
        "teamwork-en-1", "shipped", "Edited question text.", "situational"
    )


def test_retire_and_restore_buttons(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    question = InterviewQuestion.objects.get(code="teamwork-zh-1")
    back = "/interviews/questions/?competency=teamwork"
    response = client.post(f"/interviews/questions/{question.pk}/retire/", {"next": back})
    assert response["Location"] == back
    question.refresh_from_db()
    assert question.is_active is False
    html = client.get(back).content.decode()
    assert f'action="/interviews/questions/{question.pk}/restore/"' in html
    assert "Question teamwork-zh-1 retired: it will not be asked again." in html
    client.post(f"/interviews/questions/{question.pk}/restore/", {"next": "https://evil.example.com/"})
    question.refresh_from_db()
    assert question.is_active is True


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("employee", 403), ("candidate", 403)])
def test_other_roles_may_not_open_the_bank(org: dict[str, Any], role: str, status: int) -> None:
    client = browser(org["users"][role])
    question = InterviewQuestion.objects.get(code="teamwork-zh-1")
    assert client.get("/interviews/questions/").status_code == status
    assert client.get("/interviews/questions/new/").status_code == status
    assert client.post(f"/interviews/questions/{question.pk}/retire/").status_code == status
    question.refresh_from_db()
    assert question.is_active is True
    assert Client().get("/interviews/questions/").status_code == 302


def test_the_navigation_links_to_the_bank(org: dict[str, Any]) -> None:
    html = browser(org["users"]["recruiter"]).get("/").content.decode()
    assert 'href="/interviews/questions/"' in html
    assert 'href="/interviews/questions/"' not in browser(org["users"]["employee"]).get("/").content.decode()
