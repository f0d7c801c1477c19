"""Notifications: sent in the app and by email (after commit), deduplicated, read and marked read only by their
owner, through the page, the top bar's badge and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.core.models import Notification, User
from talentloop.core.selectors import notification_list, notification_unread_count
from talentloop.core.services import notification_mark_read, notification_send


@pytest.fixture
def employee(org: dict[str, Any]) -> User:
    user: User = org["users"]["employee"]
    user.email = "li@example.com"
    user.save()
    return user


def test_a_notification_is_stored_and_emailed_once_the_transaction_commits(
    employee: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TALENTLOOP_SITE_URL = "https://hr.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(user=employee, subject="Set your goals", body="Due Friday.", link="/performance/")
        assert mail.outbox == []
    assert note is not None
    assert (note.subject, note.body, note.link, note.read_at, note.emailed_to) == (
        "Set your goals", "Due Friday.", "/performance/", None, "li@example.com",
    )
    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["li@example.com"], "Set your goals", "Due Friday.\n\nhttps://hr.example.com/performance/",
    )


def test_a_dedupe_key_sends_once_and_a_user_without_email_gets_no_email(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    user = org["users"]["manager"]
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_send(user=user, subject="A", dedupe_key="k1")
        second = notification_send(user=user, subject="A again", dedupe_key="k1")
        other = notification_send(user=org["users"]["outsider"], subject="A", dedupe_key="k1")
    assert first is not None
    assert second is None
    assert other is not None
    assert Notification.objects.count() == 2
    assert mail.outbox == []


def test_only_the_owner_marks_read(org: dict[str, Any], employee: User) -> None:
    mine = notification_send(user=employee, subject="Mine")
    theirs = notification_send(user=org["users"]["manager"], subject="Theirs")
    assert mine is not None
    assert theirs is not None
    assert notification_mark_read(user=employee, ids=[mine.pk, theirs.pk]) == 1
    assert notification_unread_count(user=employee) == 0
    assert notification_unread_count(user=org["users"]["manager"]) == 1
    assert notification_mark_read(user=employee) == 0
    assert [n.subject for n in notification_list(user=employee, unread=False)] == ["Mine"]


# --- API ----------------------------------------------------------------------------------------------------


def test_api_lists_own_notifications_and_marks_them_read(org: dict[str, Any], employee: User, api_as: Any) -> None:
    first = notification_send(user=employee, subject="First", link="/performance/")
    notification_send(user=employee, subject="Second")
    foreign = notification_send(user=org["users"]["manager"], subject="Not yours")
    assert first is not None
    assert foreign is not None
    client = api_as(employee)
    body = client.get("/api/v1/notifications/").json()
    assert (body["count"], [n["subject"] for n in body["results"]]) == (2, ["Second", "First"])
    assert set(body["results"][0]) == {"id", "subject", "body", "link", "is_read", "read_at", "created_at"}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert [n["subject"] for n in client.get("/api/v1/notifications/?unread=true").json()["results"]] == ["Second"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get(f"/api/v1/notifications/{foreign.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{foreign.pk}/read/").status_code == 404
    assert client.get("/api/v1/notifications/?unread=maybe").status_code == 400


def test_api_needs_a_login(api: Any) -> None:
    assert api.get("/api/v1/notifications/").status_code in (401, 403)


# --- page and badge -----------------------------------------------------------------------------------------


def test_the_top_bar_shows_the_unread_count_and_the_page_opens_a_notification(
    org: dict[str, Any], employee: User, client: Client
) -> None:
    client.force_login(employee)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="notifications-link"' in home
    assert 'data-testid="unread-badge"' not in home
    note = notification_send(user=employee, subject="Approve drafts", link="/performance/")
    notification_send(user=employee, subject="Outside link", link="https://evil.example.com/")
    assert note is not None
    html = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="badge badge-red" data-testid="unread-badge">2</span>' in html
    assert html.count('data-testid="notification-row"') == 2
    response = client.post(reverse("notification_open", args=[note.pk]))
    assert (response.status_code, response["Location"]) == (302, "/performance/")
    outside = Notification.objects.get(subject="Outside link")
    response = client.post(reverse("notification_open", args=[outside.pk]))
    assert response["Location"] == reverse("notifications")  # never sent off-site
    assert client.post(reverse("notifications_read_all")).status_code == 302
    assert notification_unread_count(user=employee) == 0
    other = notification_send(user=org["users"]["manager"], subject="Not yours")
    assert other is not None
    assert client.post(reverse("notification_open", args=[other.pk])).status_code == 404


def test_the_badge_costs_one_query_however_many_notifications(employee: User, client: Client) -> None:
    client.force_login(employee)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("home"))
    for i in range(30):
        notification_send(user=employee, subject=f"n{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("home")).content.decode()
    assert '<span class="badge badge-red" data-testid="unread-badge">30</span>' in html
    assert len(none) == len(many)
    assert sum("core_notification" in q["sql"] for q in many.captured_queries) == 1
