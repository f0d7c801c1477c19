"""Job pages: list and detail for staff, and the create/edit forms with the competency-model editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, cast

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.core.models import User
from talentloop.core.testing.factories import CompetencyFactory, JobCompetencyFactory, JobFactory
from talentloop.org.models import Competency, Job, JobCompetency, JobLevel

LIST = reverse("org:job_list")
CREATE = reverse("org:job_create")

Login = Callable[..., Client]
Line = tuple[str | None, str, str]  # (competency code, weight in percent, required score)
Org = dict[str, Any]
SALES_MODEL = [("communication", Decimal("0.600"), 70, 0), ("teamwork", Decimal("0.400"), 60, 1)]


@pytest.fixture
def login() -> Login:
    """login(user, language="en") -> a browser-like client logged in with that interface language."""

    def make(user: User, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def job_data(org: Org, lines: Sequence[Line], *, initial_forms: int = 0, **fields: str) -> dict[str, str]:
    """What the job form posts: the job fields, the management form, the rows and one blank row."""
    data = {
        "title": "销售代表",
        "department": str(org["departments"]["sales"].pk),
        "level": str(JobLevel.objects.get(code="mid").pk),
        "headcount": "2",
        "status": "open",
        "description": "负责华东区域客户开发。",
        "requirements": "",
        "model-TOTAL_FORMS": str(len(lines) + 1),
        "model-INITIAL_FORMS": str(initial_forms),
        "model-MIN_NUM_FORMS": "0",
        "model-MAX_NUM_FORMS": "1000",
    }
    for index, (competency, weight, required) in enumerate(lines):
        pk = Competency.objects.get(code=competency).pk if competency else ""
        data[f"model-{index}-competency"] = str(pk)
        data[f"model-{index}-weight"] = weight
        data[f"model-{index}-required_score"] = required
    data[f"model-{len(lines)}-required_score"] = "70"
    data.update(fields)
    return data


def model_of(job: Job) -> list[tuple[str, Decimal, int, int]]:
    return [
        (line.competency.code, line.weight, line.required_score, line.position)
        for line in JobCompetency.objects.filter(job=job).select_related("competency").order_by("position")
    ]


@pytest.fixture
def sales_job(org: Org) -> Job:
    communication = Competency.objects.get(code="communication")
    teamwork = Competency.objects.get(code="teamwork")
    sales = org["departments"]["sales"]
    job = cast(Job, JobFactory(title="大客户经理", department=sales, status=Job.Status.OPEN))
    JobCompetencyFactory(job=job, competency=communication, weight=Decimal("0.600"), position=0)
    JobCompetencyFactory(
        job=job, competency=teamwork, weight=Decimal("0.400"), required_score=60, position=1
    )
    return job


@pytest.mark.parametrize("role", ["hr", "recruiter", "manager", "employee"])
def test_list_and_detail_render_for_staff(org: Org, login: Login, sales_job: Job, role: str) -> None:
    client = login(org["users"][role])

    listing = client.get(LIST)
    detail = client.get(reverse("org:job_detail", args=[sales_job.pk]))

    assert listing.status_code == 200
    assert list(listing.context["page_obj"]) == [sales_job]
    row = listing.content.decode().split('data-testid="job-row"')[1].split("</tr>")[0]
    assert ">大客户经理</a>" in row
    assert "<td>Sales</td>" in row
    assert "<td>Mid-level</td>" in row
    assert '<span class="badge badge-green">Open</span>' in row
    assert '<td class="num">2</td>' in row  # two competencies in the model
    assert detail.status_code == 200
    assert [(r["line"].competency.code, r["percent"]) for r in detail.context["model_rows"]] == [
        ("communication", Decimal("60")), ("teamwork", Decimal("40")),
    ]


def test_candidate_gets_403(org: Org, login: Login, sales_job: Job) -> None:
    client = login(org["users"]["candidate"])

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("org:job_detail", args=[sales_job.pk])).status_code == 403


def test_list_filters_by_status_and_department(org: Org, login: Login, sales_job: Job) -> None:
    JobFactory(title="后端工程师", department=org["departments"]["rd"], status=Job.Status.DRAFT)
    JobFactory(title="销售助理", department=org["departments"]["sales"], status=Job.Status.CLOSED)
    client = login(org["users"]["hr"])

    def titles(**params: Any) -> list[str]:
        return [job.title for job in client.get(LIST, params).context["page_obj"]]

    assert titles() == ["销售助理", "后端工程师", "大客户经理"]
    assert titles(status="draft") == ["后端工程师"]
    assert titles(department=org["departments"]["sales"].pk) == ["销售助理", "大客户经理"]
    assert titles(department=org["departments"]["sales"].pk, status="closed") == ["销售助理"]
    assert titles(status="bogus", department="x") == ["销售助理", "后端工程师", "大客户经理"]


def test_job_list_runs_the_same_queries_for_one_or_many_jobs(org: Org, login: Login, sales_job: Job) -> None:
    client = login(org["users"]["hr"])
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _index in range(5):
        job = JobFactory(department=org["departments"]["rd"])
        JobCompetencyFactory(job=job, competency=CompetencyFactory())

    with CaptureQueriesContext(connection) as six:
        response = client.get(LIST)

    assert len(response.context["page_obj"]) == 6
    assert len(six) == len(one)


def test_detail_shows_the_model_with_percentages_and_total(org: Org, login: Login, sales_job: Job) -> None:
    english = login(org["users"]["employee"], "en").get(reverse("org:job_detail", args=[sales_job.pk]))
    chinese = login(org["users"]["employee"], "zh-hans").get(reverse("org:job_detail", args=[sales_job.pk]))

    body = english.content.decode()
    assert english.context["weight_total"] == Decimal("100")
    assert english.context["weight_ok"] is True
    cells = '</a></td>\n          <td class="num">{}%</td>\n          <td class="num">{}</td>'
    assert ">Communication" + cells.format(60, 70) in body
    assert ">Teamwork" + cells.format(40, 60) in body
    assert '<span class="weight-sum" data-testid="weight-sum">100%</span>' in body
    assert 'data-testid="edit-job"' not in body
    assert ">沟通能力</a>" in chinese.content.decode()


def test_new_job_form_renders_three_blank_rows_and_a_row_template(org: Org, login: Login) -> None:
    response = login(org["users"]["hr"]).get(CREATE)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="model-row"') == 4  # three rows plus the <template> row
    assert body.count('id="model-__prefix__-row"') == 1
    assert 'name="model-TOTAL_FORMS" value="3"' in body
    for index in range(3):
        assert f'<select name="model-{index}-competency" id="id_model-{index}-competency">' in body
        assert f'name="model-{index}-weight"' in body
        assert f'name="model-{index}-required_score" value="70"' in body
        assert f'<label for="id_model-{index}-competency">Competency' in body
    assert 'data-testid="add-competency"' in body
    assert 'data-testid="save-job"' in body
    assert 'data-valid="false"' in body
    assert "Total weight: <span data-weight-total-value>0</span>%" in body
    assert "/static/talentloop/competency-model.js" in body
    assert "/static/talentloop/org-jobs.css" in body


def test_hr_creates_a_job_with_a_three_line_model(
    org: Org, login: Login
) -> None:
    client = login(org["users"]["hr"])
    lines: list[Line] = [
        ("communication", "40", "80"), ("teamwork", "30", "70"), ("problem_solving", "30", "65"),
    ]

    response = client.post(CREATE, job_data(org, lines))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:job_detail", args=[job.pk])
    assert (job.title, job.department, job.level, job.headcount, job.status) == (
        "销售代表", org["departments"]["sales"], JobLevel.objects.get(code="mid"), 2, Job.Status.OPEN,
    )
    assert model_of(job) == [
        ("communication", Decimal("0.400"), 80, 0),
        ("teamwork", Decimal("0.300"), 70, 1),
        ("problem_solving", Decimal("0.300"), 65, 2),
    ]
    detail = client.get(response["Location"])
    body = detail.content.decode()
    assert "Job “销售代表” created." in body
    assert [(r["line"].competency.display_name, r["percent"], r["line"].required_score)
            for r in detail.context["model_rows"]] == [
        ("Communication", Decimal("40"), 80),
        ("Teamwork", Decimal("30"), 70),
        ("Problem Solving", Decimal("30"), 65),
    ]
    assert '<span class="weight-sum" data-testid="weight-sum">100%</span>' in body


@pytest.mark.parametrize(
    ("lines", "fields", "message"),
    [
        pytest.param(
            [("communication", "40", "80"), ("teamwork", "30", "70"), ("problem_solving", "20", "70")], {},
            "The weights must add up to 100%; they add up to 90.0%.", id="weights-90",
        ),
        pytest.param(
            [("communication", "50", "80"), ("communication", "50", "70")], {},
            "Line 2: Communication appears twice.", id="duplicate",
        ),
        pytest.param(
            [("communication", "60", "150"), ("teamwork", "40", "70")], {},
            "Line 1: the required score is 0 to 100.", id="required-150",
        ),
        pytest.param(
            [("communication", "60", "80"), ("teamwork", "40", "70")], {"title": ""},
            "This field is required.", id="missing-title",
        ),
    ],
)
def test_invalid_job_re_renders_with_the_error_and_saves_nothing(
    org: Org, login: Login,
    lines: list[Line], fields: dict[str, str], message: str,
) -> None:
    client = login(org["users"]["hr"])
    before = (Job.objects.count(), JobCompetency.objects.count())

    response = client.post(CREATE, job_data(org, lines) | fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Job.objects.count(), JobCompetency.objects.count()) == before
    # The rows come back as typed, so the person fixes them instead of starting over.
    assert len(response.context["formset"].forms) == len(lines) + 1
    assert response.context["formset"].forms[0]["weight"].value() == lines[0][1]


def test_model_errors_are_shown_above_the_editor_and_field_errors_on_the_field(
    org: Org, login: Login
) -> None:
    data = job_data(org, [("communication", "45", "80"), ("teamwork", "45", "70")], headcount="0")

    response = login(org["users"]["hr"]).post(CREATE, data)

    # The service reports every problem at once: the job's fields and its competency model.
    assert response.context["model_errors"] == ["The weights must add up to 100%; they add up to 90.0%."]
    headcount_error = "Headcount must be a whole number of at least 1."
    assert response.context["form"].errors == {"headcount": [headcount_error]}
    assert response.context["weight_total"] == Decimal("90")
    assert response.context["weight_ok"] is False
    body = response.content.decode()
    assert 'class="weight-total weight-off"' in body
    assert "Total weight: <span data-weight-total-value>90</span>%" in body


def test_incomplete_rows_are_reported_per_row(org: Org, login: Login) -> None:
    data = job_data(org, [("communication", "", "80"), (None, "100", "70")])

    response = login(org["users"]["hr"]).post(CREATE, data)

    assert response.status_code == 200
    assert [form.errors for form in response.context["formset"].forms] == [
        {"weight": ["This field is required."]}, {"competency": ["This field is required."]}, {},
    ]
    assert Job.objects.count() == 0


def test_removed_rows_are_left_out(org: Org, login: Login) -> None:
    data = job_data(org, [
        ("communication", "70", "80"), ("teamwork", "50", "70"), ("problem_solving", "30", "70"),
    ])
    data["model-1-DELETE"] = "on"

    response = login(org["users"]["hr"]).post(CREATE, data)

    assert response.status_code == 302
    assert model_of(Job.objects.get()) == [
        ("communication", Decimal("0.700"), 80, 0), ("problem_solving", Decimal("0.300"), 70, 1),
    ]


def test_recruiter_creates_a_job(org: Org, login: Login) -> None:
    data = job_data(org, [("communication", "100", "75")], title="招聘专员")

    response = login(org["users"]["recruiter"]).post(CREATE, data)

    assert response.status_code == 302
    job = Job.objects.get()
    assert job.title == "招聘专员"
    assert model_of(job) == [("communication", Decimal("1.000"), 75, 0)]


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_other_roles_may_not_create_or_edit(
    org: Org, login: Login, sales_job: Job, role: str
) -> None:
    client = login(org["users"][role])
    edit = reverse("org:job_edit", args=[sales_job.pk])
    data = job_data(org, [("communication", "100", "75")], title="改名")

    responses = [client.get(CREATE), client.post(CREATE, data), client.get(edit), client.post(edit, data)]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Job.objects.count() == 1
    sales_job.refresh_from_db()
    assert sales_job.title == "大客户经理"
    assert model_of(sales_job) == SALES_MODEL


def test_edit_form_starts_from_the_current_model(org: Org, login: Login, sales_job: Job) -> None:
    response = login(org["users"]["recruiter"]).get(reverse("org:job_edit", args=[sales_job.pk]))

    formset = response.context["formset"]
    assert response.context["form"].initial["title"] == "大客户经理"
    communication, teamwork = (line.competency_id for line in sales_job.competency_model.all())
    assert formset.initial == [
        {"competency": communication, "weight": Decimal("60"), "required_score": 70},
        {"competency": teamwork, "weight": Decimal("40"), "required_score": 60},
    ]
    assert len(formset.forms) == 5
    body = response.content.decode()
    assert 'name="model-0-weight" value="60"' in body
    assert "Total weight: <span data-weight-total-value>100</span>%" in body
    assert 'data-valid="true"' in body


def test_hr_edits_the_job_and_replaces_its_model(
    org: Org, login: Login, sales_job: Job
) -> None:
    url = reverse("org:job_edit", args=[sales_job.pk])
    lines: list[Line] = [
        ("communication", "50", "75"), ("teamwork", "40", "60"), ("problem_solving", "50", "65"),
    ]
    data = job_data(org, lines, initial_forms=2, title="大客户经理（华东）", status="on_hold")
    data["model-1-DELETE"] = "on"

    response = login(org["users"]["hr"]).post(url, data)

    assert response.status_code == 302
    sales_job.refresh_from_db()
    assert (sales_job.title, sales_job.status) == ("大客户经理（华东）", Job.Status.ON_HOLD)
    assert model_of(sales_job) == [
        ("communication", Decimal("0.500"), 75, 0), ("problem_solving", Decimal("0.500"), 65, 1),
    ]


def test_failed_edit_changes_nothing(
    org: Org, login: Login, sales_job: Job
) -> None:
    data = job_data(org, [("communication", "70", "75")], initial_forms=1, title="新标题")

    response = login(org["users"]["hr"]).post(reverse("org:job_edit", args=[sales_job.pk]), data)

    assert response.status_code == 200
    assert response.context["model_errors"] == ["The weights must add up to 100%; they add up to 70.0%."]
    sales_job.refresh_from_db()
    assert sales_job.title == "大客户经理"
    assert model_of(sales_job) == SALES_MODEL


def test_retired_competencies_are_offered_only_where_a_job_already_uses_them(
    org: Org, login: Login, sales_job: Job
) -> None:
    Competency.objects.filter(code__in=["teamwork", "innovation"]).update(is_active=False)
    client = login(org["users"]["hr"])

    def offered(url: str) -> set[str]:
        formset = client.get(url).context["formset"]
        return set(Competency.objects.filter(pk__in=formset.competencies).values_list("code", flat=True))

    on_new = offered(CREATE)
    on_edit = offered(reverse("org:job_edit", args=[sales_job.pk]))

    assert len(on_new) == 24
    assert {"teamwork", "innovation"} & on_new == set()
    assert on_edit - on_new == {"teamwork"}
    edit_body = client.get(reverse("org:job_edit", args=[sales_job.pk])).content.decode()
    assert "Teamwork (inactive)</option>" in edit_body


def test_unknown_job_is_404(org: Org, login: Login) -> None:
    client = login(org["users"]["hr"])

    assert client.get(reverse("org:job_detail", args=[999_999])).status_code == 404
    assert client.get(reverse("org:job_edit", args=[999_999])).status_code == 404
