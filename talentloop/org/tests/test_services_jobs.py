"""The organisation's write rules for jobs and their competency model: permissions, validation, the audit
log."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import JobCompetencyFactory
from talentloop.org import services
from talentloop.org.models import Competency, Job, JobCompetency
from talentloop.org.tests._services_support import audit_rows, field_errors, line, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- jobs --------------------------------------------------------------------------------------------------


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
