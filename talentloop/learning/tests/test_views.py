"""The /learning/ pages: who sees what, one-click enrolment with a schedule, progress, plans, the catalogue
form, the nav link, and constant queries on the enrolment list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.learning import services
from talentloop.learning.models import Course, DevelopmentPlan, Enrollment
from talentloop.learning.tests._support import comp, course, setup_gap

pytestmark = pytest.mark.django_db


def browser(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_recommendations_page_and_one_click_enrol(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    manager = browser(org["users"]["manager"])
    url = reverse("learning:recommendations", args=[data["report"].pk])
    page = manager.get(url).content.decode()
    assert "Data Analysis scored 62 in the review of 2025 H1" in page
    assert page.count('data-testid="enrol-form"') == 3
    assert "more than 5 points below" in page
    assert 'href="/learning/"' in page  # the nav link
    response = manager.post(reverse("learning:enrol", args=[data["report"].pk]), {
        "course": data["courses"]["excel"].pk, "competency": comp("data_analysis").pk,
        "start_date": "2025-03-01", "due_date": "2025-03-31",
    }, follow=True)
    assert "李员工 is enrolled in “Excel”." in response.content.decode()
    e = Enrollment.objects.get()
    assert (e.start_date, e.due_date, e.source["gap"]) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31), 18.0)
    again = manager.post(reverse("learning:enrol", args=[data["report"].pk]), {
        "course": data["courses"]["excel"].pk, "start_date": "2025-03-01", "due_date": "2025-02-01",
    }, follow=True).content.decode()
    assert "The due date (02/01/2025) is before the start date (03/01/2025)." in again
    assert Enrollment.objects.count() == 1


def test_employee_sees_own_page_without_enrol_and_completes(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    e = services.enrollment_create(actor=org["users"]["hr"], employee=data["report"], course=data["courses"]["sql"],
                                   start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    me = browser(org["users"]["employee"])
    page = me.get(reverse("learning:recommendations", args=[data["report"].pk])).content.decode()
    assert "enrol-form" not in page
    assert "generate-plan" not in page
    assert "Data Analysis scored 62" in page
    assert me.get(reverse("learning:recommendations", args=[org["employees"]["outsider"].pk])).status_code == 403
    me.post(reverse("learning:enrollment_action", args=[e.pk, "complete"]), {"completed_on": "2025-01-20"})
    e.refresh_from_db()
    assert e.status == "completed"
    assert e.completed_on == dt.date(2025, 1, 20)
    refused = me.post(reverse("learning:enrollment_action", args=[e.pk, "cancel"]), follow=True).content.decode()
    assert "Only HR or your manager can cancel your enrolment." in refused


def test_plan_generate_and_edit_pages(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = browser(org["users"]["hr"])
    response = hr.post(reverse("learning:plan_generate"), {"review": data["review"].pk})
    plan = DevelopmentPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:plan_detail", args=[plan.pk])
    page = hr.get(response["Location"]).content.decode()
    assert "Raise Data Analysis from 62 to at least 80." in page
    hr.post(reverse("learning:plan_edit", args=[plan.pk, "add"]), {"new-goal": "Mentor a junior"})
    item = plan.items.get(goal="Mentor a junior")
    hr.post(reverse("learning:plan_edit", args=[plan.pk, item.pk]), {f"item{item.pk}-goal": "Mentor two juniors",
                                                                     f"item{item.pk}-status": "done"})
    item.refresh_from_db()
    assert (item.goal, item.status) == ("Mentor two juniors", "done")
    hr.post(reverse("learning:plan_edit", args=[plan.pk, item.pk]), {"delete": "1"})
    assert not plan.items.filter(pk=item.pk).exists()
    hr.post(reverse("learning:plan_edit", args=[plan.pk, "plan"]), {"status": "active", "note": "Agreed"})
    plan.refresh_from_db()
    assert (plan.status, plan.note) == ("active", "Agreed")
    twice = hr.post(reverse("learning:plan_generate"), {"review": data["review"].pk}, follow=True).content.decode()
    assert "already has a development plan" in twice


def test_course_pages_hr_only_writes(org: dict[str, Any]) -> None:
    hr = browser(org["users"]["hr"])
    response = hr.post(reverse("learning:course_create"), {
        "title": "SQL", "format": "online", "hours": "6", "level": "beginner", "is_active": "on",
        "competencies": [comp("data_analysis").pk],
    })
    assert response.status_code == 302
    c = Course.objects.get()
    bad = hr.post(reverse("learning:course_edit", args=[c.pk]), {
        "title": "SQL", "format": "online", "hours": "6", "level": "beginner", "competencies": [],
    })
    assert "Name at least one competency the course builds." in bad.content.decode()
    assert "SQL" in hr.get(reverse("learning:course_list")).content.decode()
    employee = browser(org["users"]["employee"])
    assert employee.get(reverse("learning:course_list")).status_code == 200
    assert employee.get(reverse("learning:course_create")).status_code == 403
    assert browser(org["users"]["recruiter"]).get(reverse("learning:home")).status_code == 403


def test_home_in_chinese_and_constant_queries(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr_user = org["users"]["hr"]
    services.enrollment_create(actor=hr_user, employee=data["report"], course=data["courses"]["sql"],
                               start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    hr = browser(hr_user, "zh-hans")
    with CaptureQueriesContext(connection) as few:
        assert hr.get(reverse("learning:home")).status_code == 200
    for i in range(4):
        c = course(f"C{i}", "beginner", "2", "data_analysis")
        for key in ("report", "indirect", "outsider"):
            services.enrollment_create(actor=hr_user, employee=org["employees"][key], course=c,
                                       start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as more:
        page = hr.get(reverse("learning:home")).content.decode()
    assert page.count("data-enrollment=") == 13
    assert len(more.captured_queries) == len(few.captured_queries)


def test_enrollment_page_for_manager(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    e = services.enrollment_create(actor=org["users"]["hr"], employee=data["report"],
                                   course=data["courses"]["excel"], competency=comp("data_analysis"),
                                   start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    manager = browser(org["users"]["manager"])
    page = manager.get(reverse("learning:enrollment_detail", args=[e.pk])).content.decode()
    assert "Data Analysis scored 62" in page
    assert 'data-testid="cancel"' in page
    manager.post(reverse("learning:enrollment_action", args=[e.pk, "reschedule"]),
                 {"start_date": "2025-01-05", "due_date": "2025-02-10"})
    e.refresh_from_db()
    assert (e.start_date, e.due_date) == (dt.date(2025, 1, 5), dt.date(2025, 2, 10))
    manager.post(reverse("learning:enrollment_action", args=[e.pk, "cancel"]))
    e.refresh_from_db()
    assert e.status == "cancelled"
    assert browser(org["users"]["outsider"]).get(reverse("learning:enrollment_detail", args=[e.pk])).status_code == 403
