from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.testing.factories import UserFactory
from talentloop.org import demo
from talentloop.org.demo import DemoError, demo_seed
from talentloop.org.identity import parse_id_number
from talentloop.org.library import demo_company
from talentloop.org.models import Department, Employee, EmployeeEvent, Job, JobCompetency
from talentloop.org.selectors import employee_visible

pytestmark = pytest.mark.django_db

DEPARTMENT_CODES = [d["code"] for d in demo_company()["departments"]]


def seed(employees: int = 60, *, seed: int = 42, reset: bool = False) -> tuple[demo.DemoSummary, str]:
    out = io.StringIO()
    summary = demo_seed(employees=employees, seed=seed, reset=reset, stdout=out)
    return summary, out.getvalue()


def people() -> list[tuple[str, str, str, str, str]]:
    return list(
        Employee.objects.order_by("employee_no")
        .values_list("employee_no", "name", "english_name", "gender", "id_number")
    )


def heads() -> dict[str, Employee]:
    """Department code -> the one employee of that department who does not report to a colleague in it."""
    result: dict[str, Employee] = {}
    for employee in Employee.objects.select_related("department", "manager"):
        if employee.manager is None or employee.manager.department_id != employee.department_id:
            assert employee.department.code not in result, f"two heads in {employee.department.code}"
            result[employee.department.code] = employee
    return result


def test_seed_creates_the_demo_company() -> None:
    summary, output = seed(60)

    assert summary.created is True
    assert sorted(Department.objects.values_list("code", flat=True)) == sorted(DEPARTMENT_CODES)
    assert 10 <= Department.objects.count() <= 11
    assert Department.objects.get(code="RD-PLATFORM").parent == Department.objects.get(code="RD")
    assert Employee.objects.count() == 60
    assert (summary.departments, summary.jobs, summary.employees) == (11, 6, 60)
    assert "60 employees" in output


def test_jobs_have_competency_models_summing_to_one_and_went_through_the_service() -> None:
    seed(60)

    assert Job.objects.count() == 6
    for job in Job.objects.all():
        lines = JobCompetency.objects.filter(job=job)
        assert lines.count() >= 5
        assert lines.aggregate(total=Sum("weight"))["total"] == Decimal("1.000")
    hr = User.objects.get(username="hr")
    assert AuditEntry.objects.filter(object_type="org.job", actor=hr, action="create").count() == 6
    titles = set(Job.objects.values_list("title", flat=True))
    assert titles == {job["title"] for job in demo_company()["jobs"]}


def test_named_users_have_their_roles_and_the_demo_password() -> None:
    seed(60)

    roles = dict(User.objects.filter(username__in=demo.NAMED_USERNAMES).values_list("username", "role"))
    assert roles == {
        "hr": Role.HR_ADMIN, "recruiter": Role.RECRUITER, "manager1": Role.HIRING_MANAGER,
        "manager2": Role.HIRING_MANAGER, "employee": Role.EMPLOYEE,
    }
    hr = User.objects.get(username="hr")
    assert (hr.is_staff, hr.is_superuser) == (True, True)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert all(u.check_password("talentloop") for u in User.objects.filter(username__in=demo.NAMED_USERNAMES))


def test_managers_head_a_team_and_employee_reports_to_manager1() -> None:
    seed(60)
    by_dept = heads()

    manager1 = Employee.objects.get(user__username="manager1")
    manager2 = Employee.objects.get(user__username="manager2")
    assert manager1 == by_dept["SALES-EAST"]
    assert manager2 == by_dept["RD-PLATFORM"]
    assert manager1.reports.exists()
    assert manager2.reports.exists()
    ordinary = Employee.objects.get(user__username="employee")
    assert ordinary.manager == manager1
    assert ordinary.status == Employee.Status.ACTIVE


def test_every_department_has_one_head_who_manages_everyone_in_it() -> None:
    seed(60)
    by_dept = heads()

    assert sorted(by_dept) == sorted(DEPARTMENT_CODES)
    root = by_dept["HQ"]
    assert root.manager is None
    for code, head in by_dept.items():
        if code != "HQ":
            assert head.manager == root
        assert head.status == Employee.Status.ACTIVE
        members = Employee.objects.filter(department=head.department).exclude(pk=head.pk)
        assert members.exists()
        assert set(members.values_list("manager_id", flat=True)) == {head.pk}


def test_manager1_sees_their_department_and_nobody_else() -> None:
    seed(60)
    manager1 = User.objects.get(username="manager1")
    sales_east = Department.objects.get(code="SALES-EAST")

    visible = employee_visible(user=manager1)

    assert visible.count() == Employee.objects.filter(department=sales_east).count() > 1
    assert set(visible.values_list("department__code", flat=True)) == {"SALES-EAST"}
    outsider = Employee.objects.exclude(department=sales_east).first()
    assert outsider is not None
    assert not visible.filter(pk=outsider.pk).exists()


def test_identity_numbers_are_valid_unique_and_match_birth_date_and_gender() -> None:
    seed(200)

    rows = list(Employee.objects.values_list("id_number", "birth_date", "gender"))
    assert len(rows) == 200
    for number, birth, gender in rows:
        info = parse_id_number(number)
        assert info.number == number
        assert info.birth_date == birth
        assert info.gender == gender
        assert number[:6] in demo_company()["region_codes"]
    assert len({number for number, _, _ in rows}) == 200


def test_employee_numbers_are_unique_and_follow_the_hire_date() -> None:
    seed(200)

    rows = list(Employee.objects.order_by("employee_no").values_list("employee_no", "hire_date"))
    numbers = [number for number, _ in rows]
    assert numbers == [f"YF{i:06d}" for i in range(1, 201)]
    hire_dates = [hire for _, hire in rows if hire is not None]
    assert len(hire_dates) == 200
    assert hire_dates == sorted(hire_dates)


def test_people_look_like_a_real_company() -> None:
    seed(600)
    today = timezone.localdate()
    employees = list(Employee.objects.all())
    data = demo_company()

    for e in employees:
        assert e.birth_date is not None
        assert e.hire_date is not None
        assert dt.date(1965, 1, 1) <= e.birth_date <= dt.date(2003, 12, 31)
        assert today - dt.timedelta(days=8 * 366) <= e.hire_date <= today
        assert e.hire_date >= e.birth_date.replace(year=e.birth_date.year + 18, day=min(e.birth_date.day, 28))
        surname = next(s for s in sorted(data["surnames"], key=len, reverse=True) if e.name.startswith(s))
        given = e.name[len(surname):]
        pool = data["given_names_m"] if e.gender == Employee.Gender.MALE else data["given_names_f"]
        assert given in pool
        assert re.fullmatch(r"1[3-9]\d{9}", e.phone)
        assert e.email == f"{e.employee_no.lower()}@{demo.EMAIL_DOMAIN}"
        assert e.level is not None
    statuses = Counter(e.status for e in employees)
    assert set(statuses) == set(Employee.Status.values)
    assert statuses[Employee.Status.ACTIVE] > len(employees) / 2
    assert 0.02 <= statuses[Employee.Status.TERMINATED] / len(employees) <= 0.09
    english = sum(1 for e in employees if e.english_name)
    assert 0.25 <= english / len(employees) <= 0.42
    assert Counter(e.gender for e in employees).keys() == {Employee.Gender.MALE, Employee.Gender.FEMALE}
    with_job = [e for e in employees if e.job_id is not None]
    assert with_job
    assert all(e.job is not None and e.job.department_id == e.department_id for e in with_job)
    shares = {d["code"]: d["share"] for d in data["departments"]}
    counts = Counter(e.department.code for e in employees)
    assert counts["RD-PLATFORM"] == max(counts.values())
    for code, share in shares.items():
        assert abs(counts[code] - share * 600) <= 14


def test_every_employee_has_a_joined_event_on_the_hire_date() -> None:
    seed(60)

    events = EmployeeEvent.objects.filter(kind=EmployeeEvent.Kind.JOINED).select_related("employee")
    assert events.count() == 60
    assert all(event.occurred_on == event.employee.hire_date for event in events)
    assert EmployeeEvent.objects.exclude(kind=EmployeeEvent.Kind.JOINED).count() == 0


def test_small_companies_give_every_employee_a_login() -> None:
    summary, _ = seed(60)

    logins = Employee.objects.exclude(user=None).select_related("user")
    assert logins.count() == 60
    assert User.objects.count() == 62  # 60 employees, and hr and recruiter who have no record
    by_dept = heads()
    head_ids = {head.pk for head in by_dept.values()}
    for employee in logins:
        assert employee.user is not None
        if employee.user.username not in demo.NAMED_USERNAMES:
            assert employee.user.username == employee.employee_no.lower()
            expected = Role.HIRING_MANAGER if employee.pk in head_ids else Role.EMPLOYEE
            assert employee.user.role == expected
            assert employee.user.is_active == (employee.status != Employee.Status.TERMINATED)
    sample = User.objects.get(username=summary.personal_login_example)
    assert sample.check_password("talentloop")
    assert sample.is_active


def test_large_companies_give_logins_to_the_named_users_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "PERSONAL_LOGINS_MAX", 50)

    summary, _ = seed(60)

    assert sorted(User.objects.values_list("username", flat=True)) == sorted(demo.NAMED_USERNAMES)
    assert Employee.objects.exclude(user=None).count() == 3
    assert summary.personal_login_example == ""


def test_running_twice_changes_nothing() -> None:
    seed(60)
    before = (people(), User.objects.count(), Job.objects.count(), Department.objects.count())

    summary, output = seed(90)

    assert summary.created is False
    assert "already" in output
    assert (people(), User.objects.count(), Job.objects.count(), Department.objects.count()) == before
    assert (summary.departments, summary.jobs, summary.employees) == (11, 6, 60)


def test_reset_deletes_and_reloads() -> None:
    seed(60)
    old_ids = set(Employee.objects.values_list("pk", flat=True))
    old_hr = User.objects.get(username="hr").pk

    summary, output = seed(40, reset=True)

    assert summary.created is True
    assert "Deleted the demo company" in output
    assert Employee.objects.count() == 40
    assert not old_ids & set(Employee.objects.values_list("pk", flat=True))
    assert Department.objects.count() == 11
    assert Job.objects.count() == 6
    assert JobCompetency.objects.values("job").distinct().count() == 6
    assert EmployeeEvent.objects.count() == 40
    assert User.objects.count() == 42
    assert User.objects.get(username="hr").pk != old_hr


def test_reset_also_removes_what_hr_added_inside_the_demo_company() -> None:
    seed(30)
    rd = Department.objects.get(code="RD")
    Department.objects.create(code="RD-AI", name="人工智能部", parent=rd)
    unrelated = Department.objects.create(code="OTHER", name="其他公司")

    seed(30, reset=True)

    assert not Department.objects.filter(code="RD-AI").exists()
    assert Department.objects.filter(pk=unrelated.pk).exists()
    assert Department.objects.count() == 12


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    seed(80, seed=7)
    first = people()

    seed(80, seed=7, reset=True)
    again = people()
    seed(80, seed=8, reset=True)
    other = people()

    assert again == first
    assert [row[1] for row in other] != [row[1] for row in first]


def test_named_users_that_exist_without_the_demo_are_not_taken_over() -> None:
    UserFactory(username="hr", role=Role.EMPLOYEE)

    with pytest.raises(DemoError, match="--reset"):
        seed(60)

    assert not Department.objects.exists()
    assert User.objects.get(username="hr").role == Role.EMPLOYEE


@pytest.mark.parametrize("employees", [0, 21, 1_000_000])
def test_the_number_of_employees_is_checked(employees: int) -> None:
    with pytest.raises(DemoError, match="between 22 and 999,999"):
        seed(employees)


def test_command_prints_the_url_and_the_logins() -> None:
    out = io.StringIO()

    call_command("seed_demo", employees=30, stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for username, role in [("hr", "hr_admin"), ("recruiter", "recruiter"), ("manager1", "hiring_manager"),
                           ("manager2", "hiring_manager"), ("employee", "employee")]:
        assert re.search(rf"^\s+{username}\s+talentloop\s+{role}\b", text, re.MULTILINE), username
    assert Employee.objects.count() == 30

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "already" in again.getvalue()
    assert "http://127.0.0.1:8000/" in again.getvalue()
    assert Employee.objects.count() == 30


def test_command_reports_errors_as_command_errors() -> None:
    with pytest.raises(CommandError, match="between"):
        call_command("seed_demo", employees=5, stdout=io.StringIO())


def test_a_reset_that_fails_half_way_keeps_the_old_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    seed(40)
    before = people()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_create_events", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        seed(60, reset=True)

    assert people() == before
    assert User.objects.filter(username__in=demo.NAMED_USERNAMES).count() == 5
