"""Helpers shared by the staff recruiting page tests (test_views_pipeline_*.py): applications straight in
the database, reading the HTML, the board's columns, a move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import lxml.html
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, Stage

Login = Callable[..., Client]
Org = dict[str, Any]
HOME = reverse("recruiting:home")
EMAILS = reverse("recruiting:email_templates")
JSON = {"Accept": "application/json"}


def add(job: Job, name: str, *, stage: str = Stage.APPLIED, score: float | None = 50.0,
        passed: bool | None = None, unreadable: bool = False, days_ago: int = 0) -> Application:
    """An application straight in the database (for pages that only read)."""
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.com")
    application = Application.objects.create(
        candidate=candidate, job=job, stage=stage, screening_score=None if unreadable else score,
        screening_passed=None if unreadable else (passed if passed is not None else (score or 0) >= 60),
        resume_status=Application.ResumeStatus.UNREADABLE if unreadable else Application.ResumeStatus.OK,
        resume_error="the file is empty" if unreadable else "",
    )
    if days_ago:
        Application.objects.filter(pk=application.pk).update(
            stage_changed_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return application


def tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def texts(nodes: list[Any]) -> list[str]:
    return [" ".join(node.text_content().split()) for node in nodes]


def page_text(response: Any) -> str:
    return " ".join(tree(response).text_content().split())


def board_of(response: Any) -> dict[str, dict[str, Any]]:
    columns = {}
    for column in tree(response).xpath('//*[@data-testid="column"]'):
        columns[column.get("data-stage")] = {
            "count": int(column.xpath('.//*[@data-testid="column-count"]')[0].text_content()),
            "cards": [int(card.get("data-application")) for card in column.xpath('.//*[@data-testid="card"]')],
            "node": column,
        }
    return columns


def move(client: Client, application: Application, to: str, **extra: Any) -> Any:
    url = reverse("recruiting:application_transition", args=[application.pk])
    return client.post(url, {"to": to, **extra}, headers=JSON)
