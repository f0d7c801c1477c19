"""The recruiting REST API under /api/v1/: stage transitions (with the candidate's email) and notes."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.recruiting.models import Application, ApplicationNote, StageChange
from talentloop.recruiting.tests import files
from talentloop.recruiting.tests._api_support import (
    LIST_KEYS,
    assert_bad_input,
    created,
    iso,
    make_job,
    post_application,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


# --- transitions ------------------------------------------------------------------------------------------


def test_a_transition_is_recorded_and_the_candidate_gets_the_stage_email(
    org: dict[str, Any], api_as: Any, hr_api: APIClient, django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    job = make_job(department=org["departments"]["sales"])
    application = created(post_application(hr_api, job, files.text_file(files.LIU_YANG), language="en"))
    manager = org["users"]["manager"]
    client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/applications/{application['id']}/transition/",
            {"to": "interview", "reason": "Great written sample"}, format="json",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    change = StageChange.objects.get()
    assert body["stage"] == "interview"
    assert body["stage_changed_at"] == iso(Application.objects.get().stage_changed_at)
    assert body["stage_history"] == [{
        "from": "applied", "to": "interview", "actor": manager.pk, "reason": "Great written sample",
        "at": iso(change.at),
    }]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["liu.yang@example.com"], "TalentLoop: interview for Backend Engineer"),
    ]
    assert mailoutbox[0].body.startswith("Dear Liu Yang,")


def test_a_transition_that_is_not_allowed_is_a_409_with_the_reason(
    org: dict[str, Any], hr_api: APIClient, mailoutbox: list[Any]
) -> None:
    application = created(post_application(hr_api, make_job(), email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/transition/"
    to_hired = hr_api.post(url, {"to": "hired"}, format="json")
    assert to_hired.status_code == 409
    assert to_hired.json() == {"detail": "Only a candidate who accepted an offer can be hired."}
    same = hr_api.post(url, {"to": "applied"}, format="json")
    assert (same.status_code, same.json()) == (409, {"detail": "The application is already in this stage."})
    assert hr_api.post(url, {"to": "rejected", "reason": "Not a fit"}, format="json").status_code == 200
    closed = hr_api.post(url, {"to": "interview"}, format="json")
    assert closed.status_code == 409
    assert closed.json() == {"detail": "The application is closed (Rejected); it cannot move any more."}
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "reason")) == [
        ("applied", "rejected", "Not a fit"),
    ]


def test_bad_transition_input_is_a_400(org: dict[str, Any], hr_api: APIClient) -> None:
    application = created(post_application(hr_api, make_job(), email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/transition/"
    assert_bad_input(hr_api.post(url, {"to": "promoted"}, format="json"), "to", '"promoted" is not a valid choice.')
    assert_bad_input(hr_api.post(url, {}, format="json"), "to", "This field is required.")
    assert_bad_input(hr_api.post(url, {"to": "screening", "reason": "x" * 501}, format="json"), "reason",
                     "Ensure this field has no more than 500 characters.")
    assert StageChange.objects.count() == 0


# --- notes ------------------------------------------------------------------------------------------------


def test_notes_are_added_and_listed_newest_first(org: dict[str, Any], api_as: Any, hr_api: APIClient) -> None:
    application = created(post_application(hr_api, make_job(department=org["departments"]["sales"]),
                                           email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/notes/"
    first = hr_api.post(url, {"text": "  Call back on Monday  "}, format="json")
    assert first.status_code == 201
    note = ApplicationNote.objects.get()
    assert first.json() == {
        "id": note.pk, "author": org["users"]["hr"].pk, "text": "Call back on Monday",
        "created_at": iso(note.created_at),
    }
    manager = api_as(org["users"]["manager"])
    second = manager.post(url, {"text": "经理：安排二面"}, format="json")
    assert second.status_code == 201
    listed = manager.get(url)
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == LIST_KEYS
    assert body["count"] == 2
    assert body["results"] == [second.json(), first.json()]
    assert_bad_input(manager.post(url, {"text": "   "}, format="json"), "text", "This field may not be blank.")
    assert_bad_input(manager.post(url, {"text": "x" * 5001}, format="json"), "text",
                     "Ensure this field has no more than 5000 characters.")
    assert ApplicationNote.objects.count() == 2
    assert hr_api.get("/api/v1/applications/424242/notes/").status_code == 404
