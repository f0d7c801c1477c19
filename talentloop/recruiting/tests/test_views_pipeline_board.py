"""Staff recruiting pages: the kanban board, its transition endpoint and the JSON it gives the board script."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, EmailTemplate, Stage, StageChange
from talentloop.recruiting.tests._pipeline_support import Login, Org, add, board_of, move, page_text, tree
from talentloop.recruiting.views import pipeline as views

# ------------------------------------------------------------------------------------------------ board


def test_board_shows_every_stage_with_counts_and_cards(login: Login, org: Org, job: Job) -> None:
    best = add(job, "Best Match", score=91.5, passed=True, days_ago=3)
    weak = add(job, "Weak Match", score=31.0, passed=False)
    unreadable = add(job, "No Resume Text", unreadable=True)
    interview = add(job, "In Interview", stage=Stage.INTERVIEW, score=75.0)
    rejected = add(job, "Turned Down", stage=Stage.REJECTED)

    response = login(org["users"]["recruiter"]).get(reverse("recruiting:job_board", args=[job.pk]))

    assert response.status_code == 200
    columns = board_of(response)
    assert list(columns) == [
        "applied", "screening", "ai_interview", "written_test", "interview", "background_check", "offer",
        "hired", "rejected", "withdrawn",
    ]
    assert columns["applied"]["count"] == 3
    assert columns["applied"]["cards"] == [best.pk, weak.pk, unreadable.pk]  # by score, unscored last
    assert columns["interview"]["cards"] == [interview.pk]
    assert columns["rejected"]["cards"] == [rejected.pk]
    assert columns["screening"]["count"] == 0

    card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{best.pk}"]')[0]
    assert "Best Match" in card.text_content()
    assert card.xpath('.//*[@data-testid="score"]')[0].text_content() == "92"
    assert "badge-green" in card.xpath('.//*[@data-testid="score"]')[0].get("class")
    assert "3 days" in card.text_content()
    assert card.get("draggable") == "true"
    options = card.xpath('.//select[@data-testid="move-select"]/option/@value')
    assert options == ["", "screening", "ai_interview", "written_test", "interview", "background_check", "offer",
                       "rejected", "withdrawn"]
    assert card.xpath('.//*[@data-testid="move-submit"]')
    weak_card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{weak.pk}"]')[0]
    assert "badge-amber" in weak_card.xpath('.//*[@data-testid="score"]')[0].get("class")
    unreadable_card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{unreadable.pk}"]')[0]
    assert unreadable_card.xpath('.//*[@data-testid="unreadable"]')[0].text_content() == "resume unreadable"
    # A closed application cannot be dragged or moved.
    rejected_card = columns["rejected"]["node"].xpath('.//*[@data-testid="card"]')[0]
    assert rejected_card.get("draggable") is None
    assert not rejected_card.xpath('.//*[@data-testid="move-select"]')
    assert 'src="/static/talentloop/board.js"' in response.content.decode()


def test_board_runs_constant_queries_and_caps_the_cards(login: Login, org: Org, job: Job) -> None:
    client = login(org["users"]["manager"])
    url = reverse("recruiting:job_board", args=[job.pk])
    for n in range(5):
        add(job, f"Early {n}", score=float(n))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    stages = [Stage.APPLIED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.WITHDRAWN]
    for n in range(55):
        add(job, f"Later {n}", stage=stages[n % len(stages)], score=float(n), unreadable=n % 7 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(many) == len(few)
    columns = board_of(response)
    assert sum(c["count"] for c in columns.values()) == 60
    assert columns["applied"]["count"] == 5 + 22
    assert len(columns["applied"]["cards"]) == 27
    assert columns["withdrawn"]["count"] == 11


def test_board_shows_and_n_more_with_a_link_to_the_stage(
    login: Login, org: Org, job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "BOARD_CARDS_PER_STAGE", 4)
    for n in range(7):
        add(job, f"Applicant {n}", score=float(n))

    response = login(org["users"]["hr"]).get(reverse("recruiting:job_board", args=[job.pk]))

    applied = board_of(response)["applied"]
    assert applied["count"] == 7
    assert len(applied["cards"]) == 4
    more = applied["node"].xpath('.//a[@data-testid="column-more"]')[0]
    assert more.text_content() == "and 3 more"
    assert more.get("href") == reverse("recruiting:job_ranking", args=[job.pk]) + "?stage=applied"


def test_board_of_1000_applications_is_quick(login: Login, org: Org, job: Job) -> None:
    candidates = Candidate.objects.bulk_create(
        [Candidate(name=f"Candidate {n}", email=f"c{n}@example.com") for n in range(1000)]
    )
    stages = list(Stage.values)
    Application.objects.bulk_create([
        Application(candidate=c, job=job, stage=stages[n % len(stages)], screening_score=n % 100,
                    screening_passed=n % 100 >= 60, resume_status="ok")
        for n, c in enumerate(candidates)
    ])
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_board", args=[job.pk])

    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started

    columns = board_of(response)
    assert sum(c["count"] for c in columns.values()) == 1000
    assert all(len(c["cards"]) == views.BOARD_CARDS_PER_STAGE for c in columns.values())
    assert elapsed < 5, f"the board took {elapsed:.2f}s"


def test_board_of_another_department_is_not_shown_to_a_manager(login: Login, org: Org, rd_job: Job) -> None:
    response = login(org["users"]["manager"]).get(reverse("recruiting:job_board", args=[rd_job.pk]))

    assert response.status_code == 404


# ------------------------------------------------------------------------------------------------ transitions


def test_dragging_a_card_moves_it_and_answers_json(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Drag Me")
    EmailTemplate.objects.filter(stage=Stage.SCREENING).delete()

    response = move(login(org["users"]["recruiter"]), application, "screening")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True, "stage": "screening", "stage_label": "Screening", "message": "Drag Me moved to “Screening”.",
    }
    application.refresh_from_db()
    assert application.stage == "screening"
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == ("applied", "screening", org["users"]["recruiter"])


def test_a_move_the_pipeline_refuses_answers_409_with_the_reason(login: Login, org: Org, job: Job) -> None:
    rejected = add(job, "Already Out", stage=Stage.REJECTED)
    waiting = add(job, "Waiting")
    client = login(org["users"]["recruiter"])

    closed = move(client, rejected, "interview")
    hired = move(client, waiting, "hired")
    same = move(client, waiting, "applied")

    assert closed.status_code == 409
    assert closed.json() == {
        "ok": False, "stage": "rejected",
        "message": "The application is closed (Rejected); it cannot move any more.",
    }
    assert hired.status_code == 409
    assert hired.json()["message"] == "Only a candidate who accepted an offer can be hired."
    assert same.status_code == 409
    assert not StageChange.objects.exists()


def test_a_move_to_an_unknown_stage_or_without_permission_answers_json(
    login: Login, org: Org, job: Job, rd_job: Job
) -> None:
    application = add(job, "Someone")
    outside = add(rd_job, "Elsewhere")

    unknown = move(login(org["users"]["recruiter"]), application, "moon")
    forbidden = move(login(org["users"]["manager"]), outside, "screening")
    employee = move(login(org["users"]["employee"]), application, "screening")

    assert unknown.status_code == 400
    assert unknown.json() == {"ok": False, "stage": "applied", "message": "Choose a stage to move the application to."}
    assert forbidden.status_code == 403
    assert forbidden.json()["ok"] is False
    assert employee.status_code == 403
    assert Application.objects.get(pk=outside.pk).stage == "applied"


def test_the_move_form_without_javascript_redirects_back_with_a_message(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Form User")
    board = reverse("recruiting:job_board", args=[job.pk])
    client = login(org["users"]["manager"])
    url = reverse("recruiting:application_transition", args=[application.pk])

    response = client.post(url, {"to": "interview", "reason": "Strong resume", "next": board}, follow=True)

    assert response.redirect_chain == [(board, 302)]
    assert "Form User moved to “Interviews”." in page_text(response)
    assert board_of(response)["interview"]["cards"] == [application.pk]
    assert StageChange.objects.get().reason == "Strong resume"

    refused = client.post(url, {"to": "interview", "next": "https://evil.example.com/"}, follow=True)
    assert refused.redirect_chain == [(reverse("recruiting:application_detail", args=[application.pk]), 302)]
    assert "The application is already in this stage." in page_text(refused)


def test_moving_sends_the_stage_email_in_the_candidates_language(
    login: Login, org: Org, job: Job, django_capture_on_commit_callbacks: Any
) -> None:
    application = add(job, "Mail Me")
    with django_capture_on_commit_callbacks(execute=True):
        assert move(login(org["users"]["hr"]), application, "interview").status_code == 200

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mail.me@example.com"]


def test_json_helpers_stay_json(login: Login, org: Org, job: Job) -> None:
    """The board script reads the stage targets and labels from JSON blocks in the page."""
    response = login(org["users"]["hr"]).get(reverse("recruiting:job_board", args=[job.pk]))

    page = tree(response)
    targets = json.loads(page.xpath('//script[@id="board-stage-targets"]')[0].text)
    labels = json.loads(page.xpath('//script[@id="board-stage-labels"]')[0].text)
    assert targets["applied"] == ["screening", "ai_interview", "written_test", "interview", "background_check",
                                  "offer", "rejected", "withdrawn"]
    assert targets["rejected"] == []
    assert labels["background_check"] == "Background check"
