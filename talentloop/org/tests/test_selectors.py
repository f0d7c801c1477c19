"""Reads of the organisation, narrowed to what the asking user may see."""

from __future__ import annotations

from typing import Any, cast

import pytest

from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import Role, User
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory, JobFactory, UserFactory
from talentloop.org import selectors, services
from talentloop.org.models import Department, Employee, Job

pytestmark = pytest.mark.django_db


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**fields))


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


def make_department(**fields: Any) -> Department:
    return cast(Department, DepartmentFactory(**fields))


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def names(qs: Any) -> list[str]:
    return sorted(e.name for e in qs)


def test_hr_sees_everyone(org: dict[str, Any]) -> None:
    assert names(selectors.employee_visible(user=org["users"]["hr"])) == sorted(
        ["王经理", "李员工", "赵实习", "陈研发"]
    )


def test_a_manager_sees_themself_and_direct_and_indirect_reports(org: dict[str, Any]) -> None:
    assert names(selectors.employee_visible(user=fresh(org["users"]["manager"]))) == sorted(
        ["王经理", "李员工", "赵实习"]
    )


def test_a_team_several_levels_deep(org: dict[str, Any]) -> None:
    boss = org["employees"]["indirect"]
    chain: list[str] = []
    for level in range(6):
        chain.append(f"第{level}层")
        boss = EmployeeFactory(name=chain[-1], department=org["departments"]["sales"], manager=boss)
    visible = names(selectors.employee_visible(user=fresh(org["users"]["manager"])))
    assert visible == sorted(["王经理", "李员工", "赵实习", *chain])


def test_a_team_lead_below_the_manager_sees_only_their_own_branch(org: dict[str, Any]) -> None:
    lead_user = make_user(username="lead", role=Role.HIRING_MANAGER)
    Employee.objects.filter(pk=org["employees"]["report"].pk).update(user=lead_user)
    assert names(selectors.employee_visible(user=fresh(lead_user))) == sorted(["李员工", "赵实习"])


def test_an_employee_sees_only_themself(org: dict[str, Any]) -> None:
    assert names(selectors.employee_visible(user=fresh(org["users"]["employee"]))) == ["李员工"]


@pytest.mark.parametrize("role", ["recruiter", "candidate"])
def test_recruiters_and_candidates_may_not_read_employees(org: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        selectors.employee_visible(user=org["users"][role])


def test_an_employee_login_without_a_record_is_refused(db: Any) -> None:
    with pytest.raises(PermissionDenied):
        selectors.employee_visible(user=make_user(username="loose", role=Role.EMPLOYEE))


def test_employee_get_refuses_employees_outside_ones_reach(org: dict[str, Any]) -> None:
    manager = fresh(org["users"]["manager"])
    assert selectors.employee_get(user=manager, pk=org["employees"]["indirect"].pk).name == "赵实习"
    with pytest.raises(PermissionDenied):
        selectors.employee_get(user=manager, pk=org["employees"]["outsider"].pk)
    with pytest.raises(NotFound):
        selectors.employee_get(user=manager, pk=10**9)


def test_employee_list_filters(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    d, e = org["departments"], org["employees"]
    assert names(selectors.employee_list(user=hr, department=d["sales"].pk)) == sorted(
        ["王经理", "李员工", "赵实习"]
    )
    assert names(selectors.employee_list(user=hr, department=d["root"].pk)) == []
    assert len(selectors.employee_list(user=hr, department=d["root"].pk, include_subdepartments=True)) == 4
    assert names(selectors.employee_list(user=hr, manager=e["report"].pk)) == ["赵实习"]
    assert names(selectors.employee_list(user=hr, search="  研发 ")) == ["陈研发"]
    assert names(selectors.employee_list(user=hr, status=Employee.Status.TERMINATED)) == []


def test_department_subtree_ids(org: dict[str, Any]) -> None:
    d = org["departments"]
    team = make_department(code="SALES-N", parent=d["sales"])
    sub = make_department(code="SALES-N-1", parent=team)
    assert sorted(selectors.department_subtree_ids(d["sales"].pk)) == sorted([d["sales"].pk, team.pk, sub.pk])
    assert sorted(selectors.department_subtree_ids(d["root"].pk)) == sorted(
        [d["root"].pk, d["sales"].pk, d["rd"].pk, team.pk, sub.pk]
    )


def test_department_tree_counts_active_heads(org: dict[str, Any]) -> None:
    Employee.objects.filter(pk=org["employees"]["indirect"].pk).update(status=Employee.Status.TERMINATED)
    tree = selectors.department_tree(user=org["users"]["employee"])
    assert [(n["department"].code, n["depth"]) for n in tree] == [("HQ", 0)]
    children = tree[0]["children"]
    assert [(n["department"].code, n["depth"], n["department"].employee_count) for n in children] == [
        ("RD", 1, 1),
        ("SALES", 1, 2),
    ]


def test_department_and_competency_lists_refuse_candidates(org: dict[str, Any]) -> None:
    candidate = org["users"]["candidate"]
    with pytest.raises(PermissionDenied):
        selectors.department_list(user=candidate)
    with pytest.raises(PermissionDenied):
        selectors.competency_list(user=candidate)
    with pytest.raises(PermissionDenied):
        selectors.job_list(user=candidate)


def test_competency_list_search_and_inactive(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    codes = [c.code for c in selectors.competency_list(user=hr, search="communication")]
    assert codes == ["communication", "written_communication"]
    assert [c.code for c in selectors.competency_list(user=hr, search="沟通")] == ["communication"]
    services.competency_update(
        actor=hr,
        competency=selectors.competency_list(user=hr).get(code="teamwork"),
        changes={"is_active": False},
    )
    assert "teamwork" not in [c.code for c in selectors.competency_list(user=hr, include_inactive=False)]
    assert "teamwork" in [c.code for c in selectors.competency_list(user=hr)]


def test_job_list_filters_and_get(org: dict[str, Any]) -> None:
    employee = org["users"]["employee"]
    open_job = make_job(department=org["departments"]["sales"], status=Job.Status.OPEN)
    make_job(department=org["departments"]["rd"], status=Job.Status.CLOSED)
    assert list(selectors.job_list(user=employee, status="open")) == [open_job]
    assert list(selectors.job_list(user=employee, department=org["departments"]["sales"].pk)) == [open_job]
    assert selectors.job_get(user=employee, pk=open_job.pk) == open_job
    with pytest.raises(NotFound):
        selectors.job_get(user=employee, pk=open_job.pk + 1000)


@pytest.mark.parametrize(
    ("score", "code"),
    [(59, None), (60, "junior"), (74, "junior"), (85, "mid"), (90, "senior"), (100, "senior")],
)
def test_level_for_score_uses_the_fit_bands(db: Any, score: float, code: str | None) -> None:
    level = selectors.level_for_score(score)
    assert (level.code if level else None) == code


def test_profile_shows_the_audit_trail_to_hr_only(org: dict[str, Any]) -> None:
    hr, report = org["users"]["hr"], org["employees"]["report"]
    services.employee_update(actor=hr, employee=report, changes={"status": Employee.Status.ON_LEAVE})
    for_hr = selectors.employee_profile(user=hr, pk=report.pk)
    assert [(a.field, a.old_value, a.new_value) for a in for_hr["audit"]] == [
        ("status", "active", "on_leave")
    ]
    assert [e.kind for e in for_hr["events"]] == ["status_changed"]
    assert [r.name for r in for_hr["reports"]] == ["赵实习"]
    for_manager = selectors.employee_profile(user=fresh(org["users"]["manager"]), pk=report.pk)
    assert for_manager["audit"] == []
    assert [e.kind for e in for_manager["events"]] == ["status_changed"]
