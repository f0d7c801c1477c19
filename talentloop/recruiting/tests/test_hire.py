"""Hiring: the accepted offer becomes an employee, and the profile shows the whole recruiting record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.testing.factories import EmployeeFactory
from talentloop.org import services as org_services
from talentloop.org.models import Employee, EmployeeEvent, JobLevel
from talentloop.org.serializers import EmployeeSerializer
from talentloop.recruiting.models import Application, Offer, Stage, StageChange
from talentloop.recruiting.services import checks, hire, offers
from talentloop.recruiting.services.hire import next_employee_no

from .test_checks import make_application

HIRE_DATE = dt.date(2099, 5, 1)
PARSED = {
    "name": "Li Lei", "emails": ["lilei@example.com"], "phones": ["13800138000"], "location": "上海",
    "education": [{"degree": "master", "school": "复旦大学", "major": "Computer Science", "start_year": 2014,
                   "end_year": 2017}],
    "highest_degree": "master",
    "work_history": [{"employer": "Acme Tech", "title": "Sales engineer", "start": "2017-07", "end": "present"}],
    "total_years_experience": 7.5, "skills": ["python", "sql"], "languages": [], "certificates": [],
    "terms": {"python": 3}, "engine": "talentloop-resume-parser", "engine_version": "1.0",
}
SCREENING = {
    "score": 82.5, "passed": True, "matched": ["python"], "missing": ["excel"], "knocked_out_by": [],
    "subscores": {"skills": 80.0}, "parameters": {}, "engine": {"name": "screening", "version": "1"},
}


@pytest.fixture(autouse=True)
def _english(api: Any, client: Client, settings: Any) -> None:
    settings.TALENTLOOP_COMPANY_NAME = "Acme"
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def accepted_application(org: dict[str, Any], *, email: str = "lilei@example.com", **fields: Any) -> Application:
    """An application whose offer (senior level, CNY 30,000 from 2099-05-01) the candidate accepted."""
    application = make_application(
        org["departments"]["sales"], email=email, parsed=PARSED, screening=SCREENING, screening_score=82.5,
        screening_passed=True, written_test_score=91.0, **fields,
    )
    recruiter = org["users"]["recruiter"]
    offer = offers.offer_create(
        actor=recruiter, application=application, title="Senior sales engineer", salary=Decimal("30000"),
        start_date=HIRE_DATE, level=JobLevel.objects.get(code="senior"),
    )
    offers.offer_send(actor=recruiter, offer=offer)
    offers.offer_respond(token=offer.token, accept=True)
    return application


def hire_now(org: dict[str, Any], application: Application, **kwargs: Any) -> hire.HireResult:
    return hire.application_hire(actor=org["users"]["hr"], application=application, hire_date=HIRE_DATE, **kwargs)


# ----------------------------------------------------------------------------------------------- service


def test_hire_creates_the_employee_with_the_candidates_details_and_the_offers_level(org: dict[str, Any]) -> None:
    EmployeeFactory(employee_no="E900000", department=org["departments"]["rd"])
    EmployeeFactory(employee_no="X999999", department=org["departments"]["rd"])
    EmployeeFactory(employee_no="E12ABC", department=org["departments"]["rd"])
    application = accepted_application(org)
    before = Employee.objects.count()
    result = hire_now(org, application)
    employee = result.employee
    assert result.created is True
    assert Employee.objects.count() == before + 1
    assert (employee.employee_no, employee.name, employee.email, employee.phone) == (
        "E900001", "Li Lei", "lilei@example.com", "13800138000"
    )
    assert employee.department == org["departments"]["sales"]
    assert employee.job == application.job
    assert employee.level == JobLevel.objects.get(code="senior")
    assert (employee.hire_date, employee.status) == (HIRE_DATE, Employee.Status.PROBATION)
    application.refresh_from_db()
    assert application.employee == employee
    assert application.stage == Stage.HIRED
    assert list(StageChange.objects.filter(application=application).values_list("from_stage", "to_stage")) == [
        ("interview", "offer"), ("offer", "hired"),
    ]
    events = EmployeeEvent.objects.filter(employee=employee).order_by("id")
    offer = Offer.objects.get(application=application)
    assert [(e.kind, e.occurred_on, e.summary, e.data) for e in events] == [
        ("joined", HIRE_DATE, "Sales", {"department": org["departments"]["sales"].pk, "job": application.job_id}),
        (
            "recruiting", HIRE_DATE,
            f"Hired as Senior sales engineer through recruiting (application {application.pk})",
            {"application": application.pk, "job": application.job_id, "offer": offer.pk, "linked": False},
        ),
    ]


def test_hire_takes_a_given_employee_number_and_department(org: dict[str, Any]) -> None:
    application = accepted_application(org)
    employee = hire_now(org, application, employee_no=" S-001 ", department=org["departments"]["rd"]).employee
    assert (employee.employee_no, employee.department) == ("S-001", org["departments"]["rd"])


def test_hire_sets_the_manager_given_on_the_page_and_in_the_api(org: dict[str, Any], api_as: Any) -> None:
    """The new employee reports to the chosen manager, who then sees (and approves) their drafted OKRs."""
    manager = org["employees"]["manager"]
    assert hire_now(org, accepted_application(org), manager=manager).employee.manager == manager
    response = api_as(org["users"]["hr"]).post(
        f"/api/v1/applications/{accepted_application(org, email='hanmei@example.com').pk}/hire/",
        {"hire_date": "2099-05-01", "manager": manager.pk}, format="json",
    )
    assert response.status_code == 201, response.json()
    assert Employee.objects.get(pk=response.json()["employee"]["id"]).manager == manager


def test_generated_numbers_follow_the_highest_e_number_whatever_its_padding(db: Any) -> None:
    assert Employee.objects.count() == 0
    assert next_employee_no() == "E000001"
    department = EmployeeFactory(employee_no="E41").department
    EmployeeFactory(employee_no="E0000040", department=department)
    assert next_employee_no() == "E000042"


def test_a_taken_employee_number_is_refused_and_nothing_changes(org: dict[str, Any]) -> None:
    taken = org["employees"]["report"].employee_no
    application = accepted_application(org)
    with pytest.raises(ValidationFailed) as caught:
        hire_now(org, application, employee_no=taken)
    assert caught.value.errors == {"employee_no": [f"Employee number {taken} is already in use."]}
    application.refresh_from_db()
    assert (application.stage, application.employee) == (Stage.OFFER, None)
    assert not Employee.objects.filter(email="lilei@example.com").exists()


def test_an_existing_employee_with_the_same_email_is_linked_not_duplicated(org: dict[str, Any]) -> None:
    existing = EmployeeFactory.create(name="李雷", email="LiLei@Example.com", department=org["departments"]["rd"])
    application = accepted_application(org)
    before = Employee.objects.count()
    result = hire_now(org, application, employee_no="ignored")
    assert (result.created, result.employee) == (False, existing)
    assert Employee.objects.count() == before
    application.refresh_from_db()
    assert (application.employee, application.stage) == (existing, Stage.HIRED)
    existing.refresh_from_db()
    assert existing.department == org["departments"]["rd"]
    event = EmployeeEvent.objects.get(employee=existing, kind="recruiting")
    assert event.data["linked"] is True


def test_an_employee_already_linked_to_another_application_is_a_conflict(org: dict[str, Any]) -> None:
    first = accepted_application(org)
    hire_now(org, first)
    second = accepted_application(org, title="Account manager")  # the same person, another job
    with pytest.raises(Conflict) as caught:
        hire_now(org, second)
    employee = Employee.objects.get(email="lilei@example.com")
    assert str(caught.value) == f"Li Lei ({employee.employee_no}) is already linked to another application."


def test_hire_needs_an_accepted_offer(org: dict[str, Any]) -> None:
    application = make_application(org["departments"]["sales"])
    with pytest.raises(Conflict) as caught:
        hire_now(org, application)
    assert str(caught.value) == "Only a candidate who accepted an offer can be hired."
    recruiter = org["users"]["recruiter"]
    offer = offers.offer_create(
        actor=recruiter, application=application, title="x", salary=Decimal("1"), start_date=HIRE_DATE
    )
    offers.offer_send(actor=recruiter, offer=offer)
    offers.offer_respond(token=offer.token, accept=False)
    with pytest.raises(Conflict):
        hire_now(org, application)
    assert Employee.objects.filter(email="lilei@example.com").count() == 0


def test_hiring_twice_is_a_conflict(org: dict[str, Any]) -> None:
    application = accepted_application(org)
    hire_now(org, application)
    with pytest.raises(Conflict) as caught:
        hire_now(org, application)
    assert str(caught.value) == "This candidate has already been hired."
    assert Employee.objects.filter(email="lilei@example.com").count() == 1


def test_hire_needs_a_date_and_a_candidate_name(org: dict[str, Any]) -> None:
    application = accepted_application(org)
    with pytest.raises(ValidationFailed) as caught:
        hire.application_hire(actor=org["users"]["hr"], application=application, hire_date=None)
    assert caught.value.errors == {"hire_date": ["Give the hire date."]}
    nameless = accepted_application(org, email="anon@example.com", name="", title="Support")
    with pytest.raises(ValidationFailed) as caught:
        hire_now(org, nameless)
    assert caught.value.errors == {"name": ["The candidate has no name; add it before hiring."]}


@pytest.mark.parametrize("role", ["recruiter", "manager", "employee", "candidate"])
def test_only_hr_admins_hire(org: dict[str, Any], role: str) -> None:
    application = accepted_application(org)
    with pytest.raises(PermissionDenied):
        hire.application_hire(actor=org["users"][role], application=application, hire_date=HIRE_DATE)
    application.refresh_from_db()
    assert (application.stage, application.employee) == (Stage.OFFER, None)


# ------------------------------------------------------------------------------------------------- API


def test_api_hire_returns_the_employee(org: dict[str, Any], api_as: Any) -> None:
    application = accepted_application(org)
    response = api_as(org["users"]["hr"]).post(
        f"/api/v1/applications/{application.pk}/hire/", {"hire_date": "2099-05-01", "employee_no": "E777"},
        format="json",
    )
    assert response.status_code == 201
    employee = Employee.objects.get(employee_no="E777")
    assert response.json() == {"employee": EmployeeSerializer(employee).data}
    assert response.json()["employee"]["status"] == "probation"
    again = api_as(org["users"]["hr"]).post(
        f"/api/v1/applications/{application.pk}/hire/", {"hire_date": "2099-05-01"}, format="json"
    )
    assert again.status_code == 409
    assert again.json() == {"detail": "This candidate has already been hired."}


def test_api_hire_linking_an_existing_employee_is_200(org: dict[str, Any], api_as: Any) -> None:
    existing = EmployeeFactory.create(email="lilei@example.com", department=org["departments"]["sales"])
    application = accepted_application(org)
    response = api_as(org["users"]["hr"]).post(
        f"/api/v1/applications/{application.pk}/hire/", {"hire_date": "2099-05-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["employee"]["id"] == existing.pk


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [
        ({}, 400, {"hire_date"}),
        ({"hire_date": "tomorrow"}, 400, {"hire_date"}),
        ({"hire_date": "2099-05-01", "department": 999999}, 400, {"department"}),
        ({"hire_date": "2099-05-01", "employee_no": "x" * 31}, 400, {"employee_no"}),
    ],
)
def test_api_hire_bad_input(
    org: dict[str, Any], api_as: Any, body: dict[str, Any], code: int, fields: set[str]
) -> None:
    application = accepted_application(org)
    response = api_as(org["users"]["hr"]).post(f"/api/v1/applications/{application.pk}/hire/", body, format="json")
    assert response.status_code == code
    assert set(response.json()["errors"]) == fields
    assert not Employee.objects.filter(email="lilei@example.com").exists()


def test_api_hire_without_accepted_offer_roles_and_unknown_application(org: dict[str, Any], api_as: Any) -> None:
    plain = make_application(org["departments"]["sales"], email="plain@example.com")
    hr = api_as(org["users"]["hr"])
    refused = hr.post(f"/api/v1/applications/{plain.pk}/hire/", {"hire_date": "2099-05-01"}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Only a candidate who accepted an offer can be hired."}
    assert hr.post("/api/v1/applications/999999/hire/", {"hire_date": "2099-05-01"}, format="json").status_code == 404
    application = accepted_application(org)
    for role in ("recruiter", "manager", "employee"):
        client = api_as(org["users"][role])
        response = client.post(f"/api/v1/applications/{application.pk}/hire/", {"hire_date": "2099-05-01"})
        assert response.status_code == 403
    assert not Employee.objects.filter(email="lilei@example.com").exists()


# --------------------------------------------------------------------------------------------- profile


def test_the_profile_shows_the_full_recruiting_record(org: dict[str, Any], api_as: Any) -> None:
    application = accepted_application(org)
    application.resume.save("cv.txt", ContentFile(b"Li Lei, sales engineer"), save=False)
    application.resume_name = "李雷简历.txt"
    application.save(update_fields=["resume", "resume_name"])
    recruiter = org["users"]["recruiter"]
    check = checks.check_request(actor=recruiter, application=application, items=["identity", "education"])
    checks.check_consent(token=check.consent_token)
    checks.check_item_update(actor=recruiter, check=check, kind="identity", status="verified", result="Matches")
    checks.check_item_update(actor=recruiter, check=check, kind="education", status="discrepancy", result="No")
    employee = hire_now(org, application).employee
    check.refresh_from_db()
    offer = Offer.objects.get(application=application)
    changes = list(StageChange.objects.filter(application=application).order_by("at", "id"))

    body = api_as(org["users"]["hr"]).get(f"/api/v1/employees/{employee.pk}/profile/").json()
    parsed = {k: v for k, v in PARSED.items() if k != "terms"}
    assert body["recruiting"] == {
        "application": application.pk,
        "job": {"id": application.job_id, "title": "Sales engineer"},
        "applied_at": timezone.localtime(application.created_at).isoformat(),
        "resume_url": f"/api/v1/applications/{application.pk}/resume/",
        "resume_name": "李雷简历.txt",
        "parsed": parsed,
        "screening": SCREENING,
        "written_test_score": 91.0,
        "written_tests": [],
        "stage_history": [
            {"from": c.from_stage, "to": c.to_stage, "at": timezone.localtime(c.at).isoformat(), "by": "recruiter"
             if c.to_stage != "hired" else "hr", "reason": ""}
            for c in changes
        ],
        "background_checks": [{
            "id": check.pk, "status": "completed", "provider": None,
            "consent_given_at": timezone.localtime(check.consent_given_at).isoformat(),
            "completed_at": timezone.localtime(check.completed_at).isoformat(),
            "items": [
                {"kind": "identity", "status": "verified", "result": "Matches"},
                {"kind": "education", "status": "discrepancy", "result": "No"},
            ],
        }],
        "offer": {
            "id": offer.pk, "title": "Senior sales engineer", "level": JobLevel.objects.get(code="senior").pk,
            "salary": 30000.0, "start_date": "2099-05-01", "status": "accepted",
            "responded_at": timezone.localtime(offer.responded_at).isoformat(),
        },
        "interview_reports": [],
    }
    # The check was requested after the offer was sent, so the application stayed at the offer.
    assert [(c.from_stage, c.to_stage) for c in changes] == [("interview", "offer"), ("offer", "hired")]


def test_the_recruiting_record_is_for_hr_and_the_employees_managers_only(org: dict[str, Any], api_as: Any) -> None:
    application = accepted_application(org)
    employee = hire_now(org, application).employee
    login = org["users"]["candidate"]
    org_services.employee_update(
        actor=org["users"]["hr"], employee=employee, changes={"manager": org["employees"]["report"], "user": login}
    )
    login.role = "employee"
    login.save(update_fields=["role"])
    url = f"/api/v1/employees/{employee.pk}/profile/"
    assert "recruiting" in api_as(org["users"]["hr"]).get(url).json()
    manager_view = api_as(org["users"]["manager"]).get(url)  # the manager of the employee's manager
    assert manager_view.status_code == 200
    assert manager_view.json()["recruiting"]["application"] == application.pk
    direct = api_as(org["users"]["employee"]).get(url)  # a manager with the employee role sees only themself
    assert direct.status_code == 403
    own = api_as(login).get(url)
    assert own.status_code == 200
    assert "recruiting" not in own.json()
    assert api_as(org["users"]["recruiter"]).get(url).status_code == 403


def test_employees_not_hired_through_recruiting_have_no_section(org: dict[str, Any], api_as: Any) -> None:
    report = org["employees"]["report"]
    body = api_as(org["users"]["hr"]).get(f"/api/v1/employees/{report.pk}/profile/").json()
    assert "recruiting" not in body


def test_the_profile_page_renders_the_section(org: dict[str, Any], client: Client) -> None:
    application = accepted_application(org)
    application.resume.save("cv.txt", ContentFile(b"resume"), save=False)
    application.save(update_fields=["resume"])
    check = checks.check_request(actor=org["users"]["recruiter"], application=application, items=["identity"])
    checks.check_consent(token=check.consent_token)
    checks.check_item_update(
        actor=org["users"]["recruiter"], check=check, kind="identity", status="verified", result="ID matches"
    )
    employee = hire_now(org, application).employee
    client.force_login(org["users"]["hr"])
    html = client.get(f"/org/employees/{employee.pk}/").content.decode()
    assert 'id="section-recruiting"' in html
    assert "Recruiting record" in html
    assert f'href="/api/v1/applications/{application.pk}/resume/"' in html
    assert "Master" in html
    assert "复旦大学, Computer Science" in html
    assert '<span class="badge badge-green">python</span>' in html
    assert '<span class="badge badge-amber">excel</span>' in html
    assert "82.5" in html
    assert "91.0" in html
    assert "Identity: " in html
    assert "ID matches" in html
    assert "Senior sales engineer" in html
    assert "CNY 30000.00 a month" in html
    assert f"Hired as Senior sales engineer through recruiting (application {application.pk})" in html


# ----------------------------------------------------------------------------------------------- pages


def test_the_hire_page_creates_the_employee(org: dict[str, Any], client: Client) -> None:
    application = accepted_application(org)
    client.force_login(org["users"]["hr"])
    url = f"/recruiting/applications/{application.pk}/hire/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2099-05-01"' in page.content.decode()
    taken = org["employees"]["report"].employee_no
    bad = client.post(url, {"hire_date": "2099-05-01", "employee_no": taken})
    assert bad.status_code == 400
    assert f"Employee number {taken} is already in use." in bad.content.decode()
    assert client.post(url, {"hire_date": ""}).status_code == 400
    done = client.post(url, {"hire_date": "2099-05-01", "employee_no": "H-1"})
    employee = Employee.objects.get(employee_no="H-1")
    assert done.status_code == 302
    assert done["Location"] == f"/org/employees/{employee.pk}/"
    again = client.get(url)
    assert "This candidate has already been hired." in again.content.decode()
    assert client.post(url, {"hire_date": "2099-05-01"}).status_code == 409


def test_the_hire_page_without_an_accepted_offer_and_for_other_roles(org: dict[str, Any], client: Client) -> None:
    plain = make_application(org["departments"]["sales"], email="p@example.com")
    client.force_login(org["users"]["hr"])
    page = client.get(f"/recruiting/applications/{plain.pk}/hire/")
    assert page.status_code == 200
    assert "Only a candidate who accepted an offer can be hired." in page.content.decode()
    assert 'data-testid="hire-form"' not in page.content.decode()
    client.force_login(org["users"]["recruiter"])
    assert client.get(f"/recruiting/applications/{plain.pk}/hire/").status_code == 403
    assert client.post(f"/recruiting/applications/{plain.pk}/hire/", {"hire_date": "2099-05-01"}).status_code == 403


def test_profile_shows_a_written_test_awaiting_review(org: dict[str, Any]) -> None:
    from talentloop.recruiting.models import WrittenTest, WrittenTestSitting

    application = make_application(org["departments"]["sales"], written_test_score=None)
    test = WrittenTest.objects.create(title="SQL basics", time_limit_minutes=30)
    WrittenTestSitting.objects.create(
        test=test, application=application, token="t" * 40, status=WrittenTestSitting.Status.SUBMITTED,
        expires_at=timezone.now(), submitted_at=timezone.now(),
    )
    record = hire.recruiting_record(application=application)
    assert [(s["test"], s["status"], s["score"]) for s in record["written_tests"]] == [
        ("SQL basics", "submitted", None)
    ]
