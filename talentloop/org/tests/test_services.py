"""The organisation's write rules: permissions, validation, the audit log, the profile timeline, atomicity."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import timezone, translation

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.testing.factories import (
    DepartmentFactory,
    JobCompetencyFactory,
    JobFactory,
    UserFactory,
)
from talentloop.org import services
from talentloop.org.identity import make_id_number
from talentloop.org.models import Competency, Department, Employee, EmployeeEvent, Job, JobCompetency
from talentloop.org.services.jobs import ModelLine

pytestmark = pytest.mark.django_db


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**fields))


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


NON_HR = ["recruiter", "manager", "employee", "candidate"]
BAD_ID_MESSAGE = "This is not a valid resident ID number (check the 18 characters and the last check digit)."
ID_1988_MALE = make_id_number("310101", dt.date(1988, 6, 15), 3, "male")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def audit_rows(obj: Any) -> list[tuple[Any, ...]]:
    """(actor username, action, field, old, new) of every audit entry of one object, oldest first."""
    entries = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("id")
    )
    return [
        (e.actor.username if e.actor else None, e.action, e.field, e.old_value, e.new_value) for e in entries
    ]


def field_errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return exc.value.errors


def employee_data(dept: Department, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "employee_no": "E900001",
        "name": "孙新人",
        "gender": Employee.Gender.MALE,
        "id_number": ID_1988_MALE,
        "phone": "13800000000",
        "email": "sun@example.com",
        "department": dept,
        "hire_date": dt.date(2024, 7, 1),
    }
    return data | overrides


def snapshot(employee: Employee) -> dict[str, Any]:
    return dict(Employee.objects.filter(pk=employee.pk).values().get())


# --- departments -------------------------------------------------------------------------------------------


def test_department_create_writes_the_row_and_one_audit_entry(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    dept = services.department_create(
        actor=hr, code=" OPS ", name=" 运营部 ", name_en="Operations", parent=org["departments"]["root"]
    )
    dept.refresh_from_db()
    assert (dept.code, dept.name, dept.name_en, dept.parent_id) == (
        "OPS",
        "运营部",
        "Operations",
        org["departments"]["root"].pk,
    )
    assert audit_rows(dept) == [("hr", "create", "", "", "")]


@pytest.mark.parametrize("role", NON_HR)
def test_department_writes_are_for_hr_only(org: dict[str, Any], role: str) -> None:
    actor = org["users"][role]
    sales = org["departments"]["sales"]
    with pytest.raises(PermissionDenied):
        services.department_create(actor=actor, code="OPS", name="运营部")
    with pytest.raises(PermissionDenied):
        services.department_update(actor=actor, department=sales, changes={"name": "改名"})
    sales.refresh_from_db()
    assert sales.name == "销售部"
    assert Department.objects.count() == 3
    assert AuditEntry.objects.count() == 0


def test_department_code_must_be_unique_and_name_given(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.department_create(actor=org["users"]["hr"], code="SALES", name=" ")
    assert field_errors(exc) == {
        "code": ["Another department already uses the code “SALES”."],
        "name": ["A department needs a name."],
    }
    assert Department.objects.count() == 3


def test_department_cannot_move_below_itself_or_its_subtree(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    root, sales = org["departments"]["root"], org["departments"]["sales"]
    team = DepartmentFactory(code="SALES-N", parent=sales)
    message = ["A department cannot sit below itself or one of its own sub-departments."]
    for parent in (root, sales, team):
        with pytest.raises(ValidationFailed) as exc:
            services.department_update(actor=hr, department=root, changes={"parent": parent})
        assert field_errors(exc) == {"parent": message}
    root.refresh_from_db()
    assert root.parent_id is None
    assert AuditEntry.objects.count() == 0


def test_department_update_audits_each_changed_field(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    sales, rd = org["departments"]["sales"], org["departments"]["rd"]
    services.department_update(
        actor=hr, department=sales, changes={"name": "销售中心", "name_en": "Sales", "parent": rd}
    )
    sales.refresh_from_db()
    assert (sales.name, sales.parent_id) == ("销售中心", rd.pk)
    assert sorted(audit_rows(sales)) == [
        ("hr", "update", "name", "销售部", "销售中心"),
        ("hr", "update", "parent", str(org["departments"]["root"].pk), str(rd.pk)),
    ]


def test_department_update_without_a_change_writes_no_audit_entry(org: dict[str, Any]) -> None:
    sales = org["departments"]["sales"]
    services.department_update(actor=org["users"]["hr"], department=sales, changes={"name": "销售部"})
    assert audit_rows(sales) == []


# --- competencies ------------------------------------------------------------------------------------------

INDICATORS = [{"level": 1, "zh": "倾听", "en": "Listens"}, {"level": 2, "zh": "澄清", "en": "Clarifies"}]


def test_competency_create_and_update_are_audited(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    comp = services.competency_create(
        actor=hr,
        data={
            "code": "negotiation",
            "name": "谈判",
            "name_en": "Negotiation",
            "indicators": INDICATORS,
        },
    )
    assert Competency.objects.get(code="negotiation").indicators == INDICATORS
    services.competency_update(
        actor=hr, competency=comp, changes={"name_en": "Negotiating", "is_active": False}
    )
    assert audit_rows(comp) == [
        ("hr", "create", "", "", ""),
        ("hr", "update", "name_en", "Negotiation", "Negotiating"),
        ("hr", "update", "is_active", "True", "False"),
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"code": "Customer Orientation", "name": "客户导向"},
            {"code": ["Use lower-case English letters, digits and underscores, e.g. customer_orientation."]},
        ),
        (
            {"code": "communication", "name": "沟通"},
            {"code": ["Another competency already uses the code “communication”."]},
        ),
        ({"code": "negotiation", "name": "  "}, {"name": ["A competency needs a name."]}),
        (
            {"code": "negotiation", "name": "谈判", "indicators": [{"level": 4, "zh": "x"}]},
            {"indicators": ["Indicators are a list of {level: 1-3, zh, en} entries, each with a text."]},
        ),
        (
            {"code": "negotiation", "name": "谈判", "indicators": [{"level": 1, "zh": "", "en": ""}]},
            {"indicators": ["Indicators are a list of {level: 1-3, zh, en} entries, each with a text."]},
        ),
        (
            {
                "code": "negotiation",
                "name": "谈判",
                "indicators": [{"level": 1, "zh": "a"}, {"level": 1, "en": "b"}],
            },
            {"indicators": ["Each level may have only one indicator."]},
        ),
    ],
)
def test_competency_validation(
    org: dict[str, Any], data: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = Competency.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.competency_create(actor=org["users"]["hr"], data={"name_en": "X", **data})
    assert field_errors(exc) == errors
    assert Competency.objects.count() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("role", NON_HR)
def test_competency_writes_are_for_hr_only(org: dict[str, Any], role: str) -> None:
    comp = Competency.objects.get(code="teamwork")
    with pytest.raises(PermissionDenied):
        services.competency_create(actor=org["users"][role], data={"code": "negotiation", "name": "谈判"})
    with pytest.raises(PermissionDenied):
        services.competency_update(actor=org["users"][role], competency=comp, changes={"name": "合作"})
    comp.refresh_from_db()
    assert comp.name != "合作"
    assert not Competency.objects.filter(code="negotiation").exists()


# --- jobs --------------------------------------------------------------------------------------------------


@pytest.fixture
def skills(db: Any) -> list[Competency]:
    return [Competency.objects.get(code=c) for c in ("communication", "teamwork", "problem_solving")]


def line(competency: Competency, weight: str, required_score: int = 70) -> ModelLine:
    return ModelLine(competency=competency, weight=Decimal(weight), required_score=required_score)


@pytest.mark.parametrize("role", ["hr", "recruiter"])
def test_job_create_with_a_competency_model(org: dict[str, Any], skills: list[Competency], role: str) -> None:
    job = services.job_create(
        actor=org["users"][role],
        data={"title": "销售代表", "department": org["departments"]["sales"], "headcount": 2},
        competency_model=[line(skills[0], "0.333"), line(skills[1], "0.333"), line(skills[2], "0.334", 80)],
    )
    assert list(
        JobCompetency.objects.filter(job=job).values_list("competency__code", "weight", "required_score")
    ) == [
        ("communication", Decimal("0.333"), 70),
        ("teamwork", Decimal("0.333"), 70),
        ("problem_solving", Decimal("0.334"), 80),
    ]
    model = json.dumps(
        [
            {"competency": "communication", "weight": "0.333", "required_score": 70},
            {"competency": "teamwork", "weight": "0.333", "required_score": 70},
            {"competency": "problem_solving", "weight": "0.334", "required_score": 80},
        ],
        ensure_ascii=False,
    )
    assert audit_rows(job) == [(role, "create", "competency_model", "", model)]


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_job_writes_are_for_hr_and_recruiters(org: dict[str, Any], role: str) -> None:
    job = make_job(department=org["departments"]["sales"], title="销售代表")
    with pytest.raises(PermissionDenied):
        services.job_create(
            actor=org["users"][role], data={"title": "X", "department": org["departments"]["sales"]}
        )
    with pytest.raises(PermissionDenied):
        services.job_update(actor=org["users"][role], job=job, changes={"title": "Y"})
    job.refresh_from_db()
    assert job.title == "销售代表"
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("0.5", 70), ("0.4", 70)], "The weights must add up to 100%; they add up to 90.0%."),
        ([("0.6", 70), ("0.6", 70)], "The weights must add up to 100%; they add up to 120.0%."),
        ([("0", 70), ("1", 70)], "Line 1: a weight is more than 0% and at most 100%."),
        ([("1.5", 70), ("-0.5", 70)], "Line 1: a weight is more than 0% and at most 100%."),
        ([("1", 101)], "Line 1: the required score is 0 to 100."),
    ],
)
def test_job_competency_model_rules(
    org: dict[str, Any], skills: list[Competency], lines: list[tuple[str, int]], message: str
) -> None:
    model = [line(skills[i], w, r) for i, (w, r) in enumerate(lines)]
    with pytest.raises(ValidationFailed) as exc:
        services.job_create(
            actor=org["users"]["hr"],
            data={"title": "销售代表", "department": org["departments"]["sales"]},
            competency_model=model,
        )
    assert message in field_errors(exc)["competency_model"]
    assert list(field_errors(exc)) == ["competency_model"]
    assert (Job.objects.count(), JobCompetency.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_job_competency_model_refuses_a_competency_twice(
    org: dict[str, Any], skills: list[Competency]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.job_create(
            actor=org["users"]["hr"],
            data={"title": "销售代表", "department": org["departments"]["sales"]},
            competency_model=[line(skills[0], "0.5"), line(skills[0], "0.5")],
        )
    assert field_errors(exc) == {"competency_model": ["Line 2: Communication appears twice."]}


def test_job_fields_are_validated_together(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.job_create(
            actor=org["users"]["hr"],
            data={"title": " ", "department": None, "headcount": 0, "status": "gone"},
        )
    assert field_errors(exc) == {
        "title": ["A job needs a title."],
        "department": ["A job belongs to a department."],
        "headcount": ["Headcount must be a whole number of at least 1."],
        "status": ["Unknown status."],
    }


def test_job_update_audits_fields_and_the_replaced_model(
    org: dict[str, Any], skills: list[Competency]
) -> None:
    job = make_job(title="销售代表", department=org["departments"]["sales"], status=Job.Status.DRAFT)
    JobCompetencyFactory(job=job, competency=skills[0], weight=Decimal("1"))
    services.job_update(
        actor=org["users"]["recruiter"],
        job=job,
        changes={"title": "高级销售代表", "status": Job.Status.OPEN, "department": org["departments"]["rd"]},
        competency_model=[line(skills[1], "0.6", 75), line(skills[2], "0.4", 60)],
    )
    job.refresh_from_db()
    assert (job.title, job.status, job.department_id) == ("高级销售代表", "open", org["departments"]["rd"].pk)
    before = json.dumps([{"competency": "communication", "weight": "1.000", "required_score": 70}])
    after = json.dumps(
        [
            {"competency": "teamwork", "weight": "0.600", "required_score": 75},
            {"competency": "problem_solving", "weight": "0.400", "required_score": 60},
        ]
    )
    assert sorted(audit_rows(job)) == [
        ("recruiter", "update", "competency_model", before, after),
        (
            "recruiter",
            "update",
            "department",
            str(org["departments"]["sales"].pk),
            str(org["departments"]["rd"].pk),
        ),
        ("recruiter", "update", "status", "draft", "open"),
        ("recruiter", "update", "title", "销售代表", "高级销售代表"),
    ]


def test_job_update_with_a_bad_model_keeps_the_old_one_and_the_fields(
    org: dict[str, Any], skills: list[Competency]
) -> None:
    job = make_job(title="销售代表", department=org["departments"]["sales"])
    JobCompetencyFactory(job=job, competency=skills[0], weight=Decimal("1"))
    with pytest.raises(ValidationFailed):
        services.job_update(
            actor=org["users"]["hr"],
            job=job,
            changes={"title": "新标题"},
            competency_model=[line(skills[1], "0.5")],
        )
    job.refresh_from_db()
    assert job.title == "销售代表"
    assert list(job.competency_model.values_list("competency__code", "weight")) == [
        ("communication", Decimal("1.000"))
    ]
    assert AuditEntry.objects.count() == 0


def test_job_update_without_model_keeps_it_and_same_model_is_not_audited(
    org: dict[str, Any], skills: list[Competency]
) -> None:
    job = make_job(title="销售代表", department=org["departments"]["sales"])
    JobCompetencyFactory(job=job, competency=skills[0], weight=Decimal("1"))
    services.job_update(actor=org["users"]["hr"], job=job, changes={"headcount": 3})
    services.job_update(
        actor=org["users"]["hr"], job=job, changes={}, competency_model=[line(skills[0], "1.000")]
    )
    assert list(job.competency_model.values_list("competency__code", flat=True)) == ["communication"]
    assert audit_rows(job) == [("hr", "update", "headcount", "1", "3")]


# --- employees: creation -----------------------------------------------------------------------------------


def test_employee_create_fills_the_birth_date_from_the_id_number(org: dict[str, Any]) -> None:
    employee = services.employee_create(
        actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"])
    )
    employee.refresh_from_db()
    assert (employee.birth_date, employee.gender, employee.id_number) == (
        dt.date(1988, 6, 15),
        "male",
        ID_1988_MALE,
    )
    assert audit_rows(employee) == [("hr", "create", "", "", "")]
    assert list(employee.events.values_list("kind", "occurred_on", "summary", "data")) == [
        ("joined", dt.date(2024, 7, 1), "Sales", {"department": org["departments"]["sales"].pk, "job": None}),
    ]


def test_employee_create_without_hire_date_records_the_profile_creation_today(org: dict[str, Any]) -> None:
    employee = services.employee_create(
        actor=org["users"]["hr"],
        data=employee_data(org["departments"]["sales"], hire_date=None, id_number=""),
    )
    assert list(employee.events.values_list("kind", "occurred_on")) == [
        ("profile_created", timezone.localdate())
    ]


def test_employee_create_accepts_a_lower_case_check_character(org: dict[str, Any]) -> None:
    number = "11010119900307002X"
    employee = services.employee_create(
        actor=org["users"]["hr"],
        data=employee_data(org["departments"]["sales"], id_number=f" {number.lower()} ", gender="female"),
    )
    employee.refresh_from_db()
    assert employee.id_number == number


@pytest.mark.parametrize("role", NON_HR)
def test_employee_create_is_for_hr_only(org: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.employee_create(actor=org["users"][role], data=employee_data(org["departments"]["sales"]))
    assert Employee.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"id_number": "310101198806150031"},
            {"id_number": [BAD_ID_MESSAGE]},
        ),
        (
            {"birth_date": dt.date(1988, 6, 16)},
            {"birth_date": ["The birth date does not match the one in the ID number (1988-06-15)."]},
        ),
        ({"gender": "female"}, {"gender": ["The gender does not match the one encoded in the ID number."]}),
        ({"employee_no": ""}, {"employee_no": ["An employee needs an employee number."]}),
        ({"name": " "}, {"name": ["An employee needs a name."]}),
        ({"department": None}, {"department": ["An employee belongs to a department."]}),
        ({"gender": "robot"}, {"gender": ["Unknown gender value."]}),
        ({"status": "retired"}, {"status": ["Unknown employment status."]}),
        ({"phone": "call me"}, {"phone": ["Enter a phone number of digits, optionally starting with +."]}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        (
            {"id_number": "", "birth_date": dt.date(2999, 1, 1), "hire_date": dt.date(2020, 1, 1)},
            {
                "birth_date": ["The birth date is in the future."],
                "hire_date": ["The hire date is before the birth date."],
            },
        ),
    ],
)
def test_employee_create_validation(
    org: dict[str, Any], overrides: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.employee_create(
            actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"], **overrides)
        )
    assert field_errors(exc) == errors
    assert (Employee.objects.count(), EmployeeEvent.objects.count(), AuditEntry.objects.count()) == (4, 0, 0)


def test_employee_numbers_and_id_numbers_are_unique(org: dict[str, Any]) -> None:
    existing = org["employees"]["report"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_create(
            actor=org["users"]["hr"],
            data=employee_data(
                org["departments"]["sales"],
                employee_no=existing.employee_no,
                id_number=existing.id_number,
                gender="female",
                birth_date=None,
            ),
        )
    assert field_errors(exc) == {
        "employee_no": [f"Employee number {existing.employee_no} is already in use."],
        "id_number": ["Another employee already has this ID number."],
    }
    assert Employee.objects.count() == 4


# --- employees: updates ------------------------------------------------------------------------------------


def test_hr_update_audits_every_field_and_masks_the_id_number(org: dict[str, Any]) -> None:
    employee = org["employees"]["outsider"]
    old_number = employee.id_number
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={
            "name": "陈工",
            "id_number": ID_1988_MALE,
            "birth_date": dt.date(1988, 6, 15),
            "gender": "male",
        },
    )
    employee.refresh_from_db()
    assert (employee.name, employee.id_number, employee.birth_date) == (
        "陈工",
        ID_1988_MALE,
        dt.date(1988, 6, 15),
    )
    assert sorted(audit_rows(employee)) == [
        ("hr", "update", "birth_date", "1990-01-01", "1988-06-15"),
        ("hr", "update", "gender", "female", "male"),
        (
            "hr",
            "update",
            "id_number",
            old_number[:6] + "********" + old_number[-4:],
            "310101********" + ID_1988_MALE[-4:],
        ),
        ("hr", "update", "name", "陈研发", "陈工"),
    ]
    assert not AuditEntry.objects.filter(old_value__contains=old_number[6:14]).exists()
    assert not AuditEntry.objects.filter(new_value__contains=ID_1988_MALE[6:14]).exists()
    assert employee.events.count() == 0


def test_hr_update_of_the_id_number_alone_must_agree_with_the_stored_birth_date(org: dict[str, Any]) -> None:
    employee = org["employees"]["outsider"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["hr"], employee=employee, changes={"id_number": ID_1988_MALE}
        )
    assert field_errors(exc) == {
        "birth_date": ["The birth date does not match the one in the ID number (1988-06-15)."],
        "gender": ["The gender does not match the one encoded in the ID number."],
    }


def test_department_manager_job_and_status_changes_go_on_the_timeline(org: dict[str, Any]) -> None:
    employee = org["employees"]["indirect"]
    old_manager, new_manager = org["employees"]["report"], org["employees"]["manager"]
    job = make_job(title="销售主管", department=org["departments"]["rd"])
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={
            "department": org["departments"]["rd"],
            "manager": new_manager,
            "job": job,
            "status": Employee.Status.ON_LEAVE,
            "phone": "13900000000",
        },
    )
    events = {e.kind: e for e in employee.events.all()}
    assert sorted(events) == ["department_changed", "job_changed", "manager_changed", "status_changed"]
    today = timezone.localdate()
    assert {(e.occurred_on, e.actor_id) for e in events.values()} == {(today, org["users"]["hr"].pk)}
    assert events["department_changed"].data == {
        "field": "department",
        "from": org["departments"]["sales"].pk,
        "to": org["departments"]["rd"].pk,
    }
    # The summary is written in the actor's language (English here); `data` keeps the ids.
    assert events["department_changed"].summary == "Sales → R&D"
    assert events["manager_changed"].data == {
        "field": "manager",
        "from": old_manager.pk,
        "to": new_manager.pk,
    }
    assert events["manager_changed"].summary == f"{old_manager} → {new_manager}"
    assert events["job_changed"].data == {"field": "job", "from": None, "to": job.pk}
    assert events["job_changed"].summary == "— → 销售主管"
    assert events["status_changed"].data == {"field": "status", "from": "active", "to": "on_leave"}
    assert sorted(audit_rows(employee)) == [
        ("hr", "update", "department", str(org["departments"]["sales"].pk), str(org["departments"]["rd"].pk)),
        ("hr", "update", "job", "", str(job.pk)),
        ("hr", "update", "manager", str(old_manager.pk), str(new_manager.pk)),
        ("hr", "update", "phone", "", "13900000000"),
        ("hr", "update", "status", "active", "on_leave"),
    ]


def test_an_update_that_changes_nothing_writes_nothing(org: dict[str, Any]) -> None:
    employee = org["employees"]["report"]
    before = snapshot(employee)
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={"name": employee.name, "department": employee.department, "manager": employee.manager},
    )
    assert snapshot(employee) == before
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_a_manager_loop_is_refused(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    manager, report, indirect = (org["employees"][k] for k in ("manager", "report", "indirect"))
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": report})
    assert field_errors(exc) == {
        "manager": ["This would create a reporting loop: 李员工 already reports to 王经理."]
    }
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": indirect})
    assert field_errors(exc) == {
        "manager": ["This would create a reporting loop: 赵实习 already reports to 王经理."]
    }
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": manager})
    assert field_errors(exc) == {"manager": ["An employee cannot be their own manager."]}
    manager.refresh_from_db()
    assert manager.manager_id is None
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_employee_number_clash_on_update(org: dict[str, Any]) -> None:
    report, outsider = org["employees"]["report"], org["employees"]["outsider"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["hr"], employee=report, changes={"employee_no": outsider.employee_no}
        )
    assert field_errors(exc) == {
        "employee_no": [f"Employee number {outsider.employee_no} is already in use."]
    }


def test_an_employee_may_edit_their_phone_email_and_english_name(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    services.employee_update(
        actor=org["users"]["employee"],
        employee=me,
        changes={"phone": " +86 138-0000-0000 ", "email": "li@example.com", "english_name": "Lee"},
    )
    me.refresh_from_db()
    assert (me.phone, me.email, me.english_name) == ("+86 138-0000-0000", "li@example.com", "Lee")
    assert sorted(audit_rows(me)) == [
        ("employee", "update", "email", "", "li@example.com"),
        ("employee", "update", "english_name", "", "Lee"),
        ("employee", "update", "phone", "", "+86 138-0000-0000"),
    ]


def test_an_employee_may_send_other_fields_unchanged(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    services.employee_update(
        actor=org["users"]["employee"],
        employee=me,
        changes={"name": me.name, "department": me.department, "status": me.status, "phone": "13700000000"},
    )
    me.refresh_from_db()
    assert me.phone == "13700000000"
    assert audit_rows(me) == [("employee", "update", "phone", "", "13700000000")]


def test_an_employee_may_not_change_other_fields_of_their_record(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    before = snapshot(me)
    with pytest.raises(PermissionDenied) as exc:
        services.employee_update(
            actor=org["users"]["employee"],
            employee=me,
            changes={"phone": "13700000000", "name": "李主管", "status": Employee.Status.TERMINATED},
        )
    assert str(exc.value.message) == "You may not change these fields: name, status."
    assert snapshot(me) == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("actor", "target"), [("employee", "outsider"), ("manager", "report"), ("recruiter", "report")]
)
def test_nobody_but_hr_edits_someone_else(org: dict[str, Any], actor: str, target: str) -> None:
    employee = org["employees"][target]
    before = snapshot(employee)
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor=org["users"][actor], employee=employee, changes={"phone": "13700000000"}
        )
    assert snapshot(employee) == before


def test_self_service_input_is_still_validated(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["employee"], employee=org["employees"]["report"], changes={"phone": "abc"}
        )
    assert field_errors(exc) == {"phone": ["Enter a phone number of digits, optionally starting with +."]}


# --- atomicity ---------------------------------------------------------------------------------------------


class Boom(Exception):
    pass


def _explode(**kwargs: Any) -> None:
    raise Boom


def test_a_failing_employee_update_leaves_no_partial_row(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    employee = org["employees"]["report"]
    before = snapshot(employee)
    monkeypatch.setattr("talentloop.org.services.employees.audit_record", _explode)
    with pytest.raises(Boom):
        services.employee_update(
            actor=org["users"]["hr"],
            employee=employee,
            changes={
                "name": "新名字",
                "status": Employee.Status.TERMINATED,
                "department": org["departments"]["rd"],
            },
        )
    assert snapshot(employee) == before
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_a_failing_employee_create_leaves_no_row(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("talentloop.org.services.employees.EmployeeEvent.objects.create", _explode)
    with pytest.raises(Boom):
        services.employee_create(actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"]))
    assert (Employee.objects.count(), AuditEntry.objects.count()) == (4, 0)


def test_a_failing_job_update_keeps_the_old_model(
    org: dict[str, Any], skills: list[Competency], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = make_job(title="销售代表", department=org["departments"]["sales"])
    JobCompetencyFactory(job=job, competency=skills[0], weight=Decimal("1"))
    monkeypatch.setattr("talentloop.org.services.jobs.audit_record", _explode)
    with pytest.raises(Boom):
        services.job_update(
            actor=org["users"]["hr"],
            job=job,
            changes={"title": "新标题"},
            competency_model=[line(skills[1], "0.5"), line(skills[2], "0.5")],
        )
    job.refresh_from_db()
    assert job.title == "销售代表"
    assert list(JobCompetency.objects.filter(job=job).values_list("competency__code", flat=True)) == [
        "communication"
    ]


def test_a_failing_department_update_is_rolled_back(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sales = org["departments"]["sales"]
    monkeypatch.setattr("talentloop.org.services.departments.audit_record", _explode)
    with pytest.raises(Boom):
        services.department_update(actor=org["users"]["hr"], department=sales, changes={"name": "新销售部"})
    assert Department.objects.get(pk=sales.pk).name == "销售部"


def test_a_superuser_counts_as_hr_whatever_the_role_field(db: Any) -> None:
    root = make_user(username="root", role=Role.EMPLOYEE, is_superuser=True)
    dept = services.department_create(actor=root, code="NEW", name="新部门")
    assert audit_rows(dept) == [("root", "create", "", "", "")]


def test_audit_entries_record_the_acting_user_and_time(org: dict[str, Any]) -> None:
    started = timezone.now()
    dept = services.department_create(actor=org["users"]["hr"], code="NEW", name="新部门")
    entry = AuditEntry.objects.get(object_type="org.department", object_id=str(dept.pk))
    assert entry.actor == org["users"]["hr"]
    assert isinstance(entry.actor, User)
    assert started <= entry.at <= timezone.now()
    assert entry.object_repr == "新部门"
