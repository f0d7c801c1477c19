"""Development plans: generated from a submitted review's gaps (exact items), edited, refusals, visibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.learning.models import DevelopmentPlan
from talentloop.learning.tests._support import comp, review, setup_gap
from talentloop.performance.models import Review

pytestmark = pytest.mark.django_db
URL = "/api/v1/development-plans/"


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def test_generate_from_review_gaps(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    response = client_for(org["users"]["manager"]).post(URL, {"review": data["review"].pk}, format="json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert (plan["status"], plan["review"], plan["cycle"], plan["note"]) == (
        "draft", data["review"].pk, data["review"].cycle_id, "")
    [item] = plan["items"]
    assert item["competency"] == comp("data_analysis").pk
    assert item["course"] == data["courses"]["excel"].pk
    assert item["goal"] == "Raise Data Analysis from 62 to at least 80."
    assert item["actions"] == (
        "Data Analysis scored 62 in the review of 2025 H1: 18 points below the interview score (80) and 8 points "
        "below the job's required score (70). Training is recommended when either gap is over 5 points.\n"
        "Course: “Excel”. Builds Data Analysis at the intermediate level, which a gap of 18 points calls for; 6 hours."
    )
    assert item["due_date"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert item["status"] == "open"


def test_generate_without_gaps_leaves_a_note(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    calm = review(data["report"], {"data_analysis": 79}, name="Calm", days_ago=1)
    plan = client_for(org["users"]["hr"]).post(URL, {"review": calm.pk}, format="json").json()
    assert plan["items"] == []
    assert plan["note"] == (
        "No competency in this review is more than 5 points below the interview score or the job's required score."
    )


def test_generate_refusals(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = client_for(org["users"]["hr"])
    assert hr.post(URL, {"review": data["review"].pk}, format="json").status_code == 201
    again = hr.post(URL, {"review": data["review"].pk}, format="json")
    plan_id = DevelopmentPlan.objects.get().pk
    assert again.status_code == 409
    assert again.json()["detail"] == f"This review already has a development plan (#{plan_id}); edit that one."
    draft = review(data["report"], {"data_analysis": 50}, name="Draft", status=Review.Status.DRAFT)
    refused = hr.post(URL, {"review": draft.pk}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "A plan is generated from a submitted review; this one is still a draft."
    assert hr.post(URL, {"review": 999999}, format="json").status_code == 400
    outsider_review = review(org["employees"]["outsider"], {"data_analysis": 50}, name="RD")
    manager = client_for(org["users"]["manager"])
    assert manager.post(URL, {"review": outsider_review.pk}, format="json").status_code == 403
    me = client_for(org["users"]["employee"])
    assert me.post(URL, {"review": data["review"].pk}, format="json").status_code == 403


def test_edit_plan_and_items(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = client_for(org["users"]["hr"])
    plan = hr.post(URL, {"review": data["review"].pk}, format="json").json()
    item_id = plan["items"][0]["id"]
    added = hr.post(f"{URL}{plan['id']}/items/",
                    {"goal": "Present to the team", "competency": comp("communication").pk},
                    format="json")
    assert added.status_code == 201
    assert added.json()["goal"] == "Present to the team"
    bad = hr.post(f"{URL}{plan['id']}/items/", {"goal": "x", "course": data["courses"]["expert"].pk}, format="json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "course: “Expert” is no longer offered (inactive)."
    changed = hr.patch(f"/api/v1/development-items/{item_id}/", {"status": "done", "goal": "Reach 80"}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["goal"]) == ("done", "Reach 80")
    active = hr.patch(f"{URL}{plan['id']}/", {"status": "active", "note": "Agreed"}, format="json")
    assert active.json()["status"] == "active"
    assert hr.delete(f"/api/v1/development-items/{added.json()['id']}/").status_code == 204
    hr.patch(f"{URL}{plan['id']}/", {"status": "done"}, format="json")
    frozen = hr.patch(f"/api/v1/development-items/{item_id}/", {"goal": "Other"}, format="json")
    assert frozen.status_code == 409
    assert frozen.json()["detail"] == "This plan is done; reopen it (status active) to change its items."
    # The employee reads but does not write.
    me = client_for(org["users"]["employee"])
    assert me.get(f"{URL}{plan['id']}/").status_code == 200
    assert me.patch(f"{URL}{plan['id']}/", {"note": "mine"}, format="json").status_code == 403


def test_employees_do_not_see_drafts(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    plan = client_for(org["users"]["hr"]).post(URL, {"review": data["review"].pk}, format="json").json()
    me = client_for(org["users"]["employee"])
    assert me.get(URL).json()["count"] == 0
    assert me.get(f"{URL}{plan['id']}/").status_code == 403
    assert client_for(org["users"]["manager"]).get(URL).json()["count"] == 1
    assert client_for(org["users"]["outsider"]).get(URL).json()["count"] == 0


def test_plan_list_query_count_is_constant(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = client_for(org["users"]["hr"])
    hr.post(URL, {"review": data["review"].pk}, format="json")
    with CaptureQueriesContext(connection) as few:
        hr.get(URL)
    for i in range(4):
        r = review(data["report"], {"data_analysis": 40 + i, "communication": 50}, name=f"C{i}", days_ago=1)
        hr.post(URL, {"review": r.pk}, format="json")
    with CaptureQueriesContext(connection) as more:
        assert hr.get(URL).json()["count"] == 5
    assert len(more.captured_queries) == len(few.captured_queries)
