"""Reminders before a phase's deadline: who gets one, what it says, once a day; and the hire hook that queues
a new hire's enrolment when the hire commits."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from talentloop.core.models import Notification
from talentloop.performance import drafting, phases, tasks
from talentloop.performance.models import FeedbackInvitation, FeedbackRequest, PerformanceCycle, Review

from ._support import make_hire_report, make_objective

TODAY = dt.date(2026, 7, 13)


@pytest.fixture
def due_soon(org: dict[str, Any], cycle: PerformanceCycle) -> PerformanceCycle:
    """The cycle, in goal setting, due in 2 days; every user has an email address and reads English."""
    for name in ("manager", "employee", "outsider"):
        user = org["users"][name]
        user.email, user.language = f"{name}@example.com", "en"
        user.save()
    phases.cycle_deadlines_set(actor=org["users"]["hr"], cycle=cycle, deadlines={
        "goal_setting": TODAY + dt.timedelta(days=2), "manager_review": dt.date(2026, 9, 25),
    })
    return cycle


def _notes() -> dict[str, tuple[str, str, str]]:
    return {n.user.username: (n.subject, n.body, n.link) for n in Notification.objects.select_related("user")}


def test_goal_setting_reminds_people_without_goals_and_managers_with_drafts_to_approve(
    org: dict[str, Any], due_soon: PerformanceCycle, django_capture_on_commit_callbacks: Any,
) -> None:
    objective = make_objective(org, due_soon, owner="outsider")
    objective.status = "active"
    objective.save()
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=due_soon)

    with django_capture_on_commit_callbacks(execute=True):
        assert phases.cycle_reminders_send(today=TODAY) == 2

    subject = "Reminder: Goal setting in “2026 Q3” is due 2026-07-15"
    assert _notes() == {
        "manager": (subject, "Set your objectives: you have no approved objective in this cycle yet.\n"
                             "1 objective drafted for your team is waiting for your approval.", "/performance/"),
        "employee": (
            subject, "Set your objectives: you have no approved objective in this cycle yet.", "/performance/",
        ),
    }
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("employee@example.com", subject), ("manager@example.com", subject),
    ]
    # Once a day: the hourly job runs again and sends nothing; the next day it reminds again, now overdue.
    assert phases.cycle_reminders_send(today=TODAY) == 0
    assert phases.cycle_reminders_send(today=TODAY + dt.timedelta(days=3)) == 2
    assert Notification.objects.filter(subject="Overdue: Goal setting in “2026 Q3” was due 2026-07-15").count() == 2


def test_no_reminder_before_the_window_or_in_a_closed_cycle(
    org: dict[str, Any], due_soon: PerformanceCycle
) -> None:
    assert phases.cycle_reminders_send(today=TODAY - dt.timedelta(days=2)) == 0
    # 3 days before, the window opens: nobody has an approved objective yet.
    assert phases.cycle_reminders_send(today=TODAY - dt.timedelta(days=1)) == 3
    phases.cycle_phase_set(actor=org["users"]["hr"], cycle=due_soon, phase="closed")
    assert phases.cycle_reminders_send(today=TODAY + dt.timedelta(days=10)) == 0


def test_reminders_are_written_in_each_persons_language(org: dict[str, Any], due_soon: PerformanceCycle) -> None:
    user = org["users"]["employee"]
    user.language = "zh-hans"
    user.save()
    phases.cycle_reminders_send(today=TODAY)
    subject = Notification.objects.get(user=user).subject
    # The phase's name comes from the zh-Hans catalogue (the sentence around it once the lead merges it).
    assert "目标设定" in subject


def test_manager_review_reminds_managers_of_reviews_not_submitted(
    org: dict[str, Any], due_soon: PerformanceCycle
) -> None:
    phases.cycle_phase_set(actor=org["users"]["hr"], cycle=due_soon, phase="manager_review")
    Review.objects.create(cycle=due_soon, employee=org["employees"]["indirect"], status="submitted")
    assert phases.cycle_reminders_send(today=dt.date(2026, 9, 24)) == 1
    # The manager's own direct report is missing; the indirect one (李员工's report, no login) was submitted.
    assert _notes() == {"manager": (
        "Reminder: Manager review in “2026 Q3” is due 2026-09-25", "1 review of your team is not submitted yet.",
        "/performance/",
    )}


def test_360_reminds_raters_who_have_not_answered_with_their_link(
    org: dict[str, Any], due_soon: PerformanceCycle
) -> None:
    hr = org["users"]["hr"]
    phases.cycle_phase_set(actor=hr, cycle=due_soon, phase="feedback_360")
    phases.cycle_deadlines_set(actor=hr, cycle=due_soon, deadlines={"feedback_360": dt.date(2026, 9, 1)})
    request = FeedbackRequest.objects.create(
        cycle=due_soon, subject=org["employees"]["report"], deadline=timezone.now() + dt.timedelta(days=5),
    )
    waiting = FeedbackInvitation.objects.create(request=request, rater=org["employees"]["manager"], relation="manager",
                                                token=secrets.token_urlsafe(24))
    FeedbackInvitation.objects.create(request=request, rater=org["employees"]["outsider"], relation="peer",
                                      token=secrets.token_urlsafe(24), submitted_at=timezone.now())
    assert phases.cycle_reminders_send(today=dt.date(2026, 9, 2)) == 1
    assert _notes() == {"manager": (
        "Overdue: 360° feedback in “2026 Q3” was due 2026-09-01", "1 360° feedback form is waiting for your answers.",
        f"/feedback/{waiting.token}/",
    )}


def test_the_daily_task_waits_for_the_morning(
    org: dict[str, Any], due_soon: PerformanceCycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    tz = timezone.get_current_timezone()
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 7, 13, 6, 0, tzinfo=tz))
    assert tasks.phase_reminders_task.delay().get() == 0
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 7, 13, 9, 0, tzinfo=tz))
    assert tasks.phase_reminders_task.delay().get() == 3


def test_a_hire_queues_joining_the_cycles_when_it_commits(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from talentloop.recruiting.services import hire
    from talentloop.recruiting.tests.test_hire import HIRE_DATE, accepted_application

    probation = phases.cycle_create(
        actor=org["users"]["hr"], name="Probation", start=HIRE_DATE, end=HIRE_DATE + dt.timedelta(days=180),
        kind="probation", enrol_new_hires=True,
    )
    application = accepted_application(org)
    make_hire_report(org["employees"]["report"], {"customer_orientation": 88}, application=application)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = hire.application_hire(actor=org["users"]["hr"], application=application, hire_date=HIRE_DATE)
    assert len(callbacks) >= 1
    assert list(result.employee.performance_cycles.all()) == [probation]
    (objective,) = result.employee.objectives.all()
    assert objective.key_results.get().target_value == 90
