"""A 360° setup on top of the `org` fixture: the report (李员工) has a job with two competencies, three peers
(same manager) with logins, and the indirect employee as a direct report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from talentloop.core.models import Role, User
from talentloop.core.testing.factories import (
    CompetencyFactory,
    EmployeeFactory,
    JobCompetencyFactory,
    JobFactory,
    UserFactory,
)
from talentloop.org.models import Employee
from talentloop.performance import feedback as services
from talentloop.performance.models import FeedbackInvitation, FeedbackRequest, PerformanceCycle


@dataclass
class Setup:
    org: dict[str, Any]
    cycle: PerformanceCycle
    subject: Employee
    peers: list[Employee]
    peer_users: list[User]


def setup_360(org: dict[str, Any], cycle: PerformanceCycle, *, peers: int = 3) -> Setup:
    job = JobFactory(title="Account manager")
    comm = CompetencyFactory(code="communication", name="沟通", name_en="Communication")
    cust = CompetencyFactory(code="customer", name="客户导向", name_en="Customer orientation")
    JobCompetencyFactory(job=job, competency=comm, weight="0.5", position=1)
    JobCompetencyFactory(job=job, competency=cust, weight="0.5", position=2)
    subject = org["employees"]["report"]
    subject.job = job
    subject.save()
    manager = org["employees"]["manager"]
    peer_users: list[User] = []
    peer_list: list[Employee] = []
    for i in range(peers):
        user = cast(User, UserFactory(username=f"peer{i}", role=Role.EMPLOYEE, email=f"peer{i}@example.com"))
        peer = cast(Employee, EmployeeFactory(name=f"同事{i}", department=subject.department, manager=manager,
                                              user=user))
        peer_users.append(user)
        peer_list.append(peer)
    cycle.employees.add(*peer_list)
    return Setup(org=org, cycle=cycle, subject=subject, peers=peer_list, peer_users=peer_users)


def make_request(s: Setup, *, scale: str = FeedbackRequest.Scale.FIVE, days: int = 7) -> FeedbackRequest:
    return services.feedback_request_create(
        actor=s.org["users"]["hr"], cycle=s.cycle, subject=s.subject,
        deadline=timezone.now() + dt.timedelta(days=days), scale=scale,
    )


def invitation(request: FeedbackRequest, employee: Employee) -> FeedbackInvitation:
    return FeedbackInvitation.objects.get(request=request, rater=employee)


def answer(request: FeedbackRequest, employee: Employee, comm: Any, cust: Any | None = None,
           comment: str = "") -> FeedbackInvitation:
    answers = [services.AnswerInput("communication", comm)]
    if cust is not None:
        answers.append(services.AnswerInput("customer", cust))
    return services.feedback_respond_by_token(
        token=invitation(request, employee).token, answers=answers, comment=comment
    )
