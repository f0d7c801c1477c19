"""The phase, deadline and bulk-drafting endpoints, the cycle's new fields, and the phase progress page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from talentloop.core.models import Notification
from talentloop.performance import phases
from talentloop.performance.models import Objective, PerformanceCycle

from ._support import make_hire_report


def _url(cycle: PerformanceCycle, what: str) -> str:
    return f"/api/v1/performance/cycles/{cycle.pk}/{what}/"


def test_hr_moves_the_phase_and_sets_deadlines(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    client = api_as(org["users"]["hr"])
    response = client.post(_url(cycle, "phase"), {"phase": "self_review"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["phase"] == "self_review"
    response = client.put(_url(cycle, "deadlines"), {"deadlines": [
        {"phase": "self_review", "due": "2026-08-15"}, {"phase": "goal_setting", "due": "2026-07-20"},
    ]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["deadlines"] == [
        {"phase": "goal_setting", "due": "2026-07-20"}, {"phase": "self_review", "due": "2026-08-15"},
    ]
    assert (body["weight_manager"], body["weight_feedback"], body["weight_results"], body["enrol_new_hires"]) == (
        50.0, 30.0, 20.0, False,
    )


def test_bad_phase_and_deadlines_are_400_with_messages(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    client = api_as(org["users"]["hr"])
    response = client.post(_url(cycle, "phase"), {"phase": "done"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["phase"] == [
        "“done” is not a phase; use one of: goal_setting, self_review, manager_review, feedback_360, calibration, "
        "closed."
    ]
    response = client.put(_url(cycle, "deadlines"), {"deadlines": [
        {"phase": "goal_setting", "due": "2026-07-20"}, {"phase": "goal_setting", "due": "2026-07-21"},
    ]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["deadlines"] == ["goal_setting has two deadlines; give one per phase."]
    response = client.put(_url(cycle, "deadlines"), {"deadlines": [{"phase": "goal_setting", "due": "soon"}]},
                          format="json")
    assert response.status_code == 400
    response = client.put(_url(cycle, "deadlines"), {"deadlines": [
        {"phase": "goal_setting", "due": "2026-08-20"}, {"phase": "self_review", "due": "2026-08-01"},
    ]}, format="json")
    assert response.status_code == 400
    assert "phases follow one another" in response.json()["detail"]
    assert not cycle.deadlines.exists()


def test_only_hr_may_call_the_phase_endpoints(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    for role in ("manager", "employee", "recruiter", "candidate"):
        client = api_as(org["users"][role])
        assert client.post(_url(cycle, "phase"), {"phase": "closed"}, format="json").status_code == 403
        assert client.put(_url(cycle, "deadlines"), {"deadlines": []}, format="json").status_code == 403
        assert client.post(_url(cycle, "draft-okrs")).status_code == 403
    assert api_as(org["users"]["hr"]).post("/api/v1/performance/cycles/999999/phase/", {"phase": "closed"},
                                            format="json").status_code == 404


def test_draft_okrs_drafts_the_cycle_and_lists_who_was_skipped(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    response = api_as(org["users"]["hr"]).post(_url(cycle, "draft-okrs"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["drafted"] == 1
    assert sorted(item["employee"] for item in body["skipped"]) == sorted(
        org["employees"][name].pk for name in ("manager", "indirect", "outsider")
    )
    assert {item["reason"] for item in body["skipped"]} == {
        "No ready interview report from the application that led to the hire."
    }
    assert (Objective.objects.get().key_results.get().source or {})["explanation"] == (
        "interview: customer orientation 90 → target 92"
    )


def test_a_cycle_is_created_and_updated_with_weights_enrolment_and_deadlines(org: dict[str, Any], api_as: Any) -> None:
    client = api_as(org["users"]["hr"])
    response = client.post("/api/v1/performance/cycles/", {
        "name": "Probation", "start": "2026-01-01", "end": "2026-12-31", "kind": "probation",
        "enrol_new_hires": True, "weight_manager": 60, "weight_feedback": 20, "weight_results": 20,
        "deadlines": [{"phase": "goal_setting", "due": "2026-01-31"}],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["enrol_new_hires"], body["weight_manager"], body["deadlines"]) == (
        True, 60.0, [{"phase": "goal_setting", "due": "2026-01-31"}],
    )
    response = client.patch(f"/api/v1/performance/cycles/{body['id']}/", {"weight_results": 30}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["weight_manager"] == [
        "The manager rating, 360° feedback and results weights add up to 110%; they must add up to 100%."
    ]


# --- the phase progress page --------------------------------------------------------------------------------


def test_hr_sees_who_still_has_work_and_reminds_them_now(org: dict[str, Any], client: Client,
                                                         cycle: PerformanceCycle) -> None:
    phases.cycle_deadlines_set(actor=org["users"]["hr"], cycle=cycle, deadlines={"goal_setting": dt.date(2026, 7, 1)})
    client.force_login(org["users"]["hr"])
    url = reverse("performance:cycle_phases", args=[cycle.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('data-testid="outstanding-row"') == 3  # the three participants with a login
    assert 'data-testid="overdue"' in html
    response = client.post(reverse("performance:cycle_remind", args=[cycle.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Notification.objects.count() == 3
    client.post(reverse("performance:cycle_remind", args=[cycle.pk]))
    assert Notification.objects.count() == 3  # once a day


def test_employees_see_the_deadlines_but_not_the_list_and_cannot_remind(
    org: dict[str, Any], client: Client, cycle: PerformanceCycle
) -> None:
    client.force_login(org["users"]["employee"])
    html = client.get(reverse("performance:cycle_phases", args=[cycle.pk])).content.decode()
    assert 'data-testid="phase-deadlines"' in html
    assert 'data-testid="outstanding"' not in html
    assert client.post(reverse("performance:cycle_remind", args=[cycle.pk])).status_code == 403
    assert not Notification.objects.exists()
    client.force_login(org["users"]["recruiter"])
    assert client.get(reverse("performance:cycle_phases", args=[cycle.pk])).status_code == 403
