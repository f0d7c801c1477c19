"""Staff recruiting pages: the overview, the kanban board and its transition endpoint, the ranking with the
bulk upload, the screening rules editor, one application with its notes, and the candidate emails."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any, cast

import lxml.html
import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talentloop.assessment.tests.resume_samples import (
    DANIEL_WU,
    EMILY_CHEN,
    LI_NA,
    MICHAEL_BROWN,
    WANG_FANG,
    ZHANG_WEI,
    SampleResume,
    docx_bytes,
    pdf_bytes,
)
from talentloop.core.models import AuditEntry, User
from talentloop.core.testing.factories import JobFactory, UserFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import (
    Application,
    ApplicationNote,
    Candidate,
    EmailTemplate,
    ScreeningRules,
    Stage,
    StageChange,
)
from talentloop.recruiting.services.intake import ResumeUpload, application_create
from talentloop.recruiting.services.screening import screening_rules_update
from talentloop.recruiting.views import pipeline as views

Login = Callable[..., Client]
Org = dict[str, Any]
HOME = reverse("recruiting:home")
EMAILS = reverse("recruiting:email_templates")
JSON = {"Accept": "application/json"}


@pytest.fixture
def login() -> Login:
    """login(user, language="en") -> a browser-like client logged in with that interface language."""

    def make(user: User, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def job(org: Org) -> Job:
    """A sales job: the sales manager's reach."""
    return cast(Job, JobFactory(title="数据分析师", department=org["departments"]["sales"], status=Job.Status.OPEN))


@pytest.fixture
def rd_job(org: Org) -> Job:
    """An R&D job: outside the sales manager's reach."""
    return cast(Job, JobFactory(title="后端工程师", department=org["departments"]["rd"], status=Job.Status.OPEN))


def add(job: Job, name: str, *, stage: str = Stage.APPLIED, score: float | None = 50.0,
        passed: bool | None = None, unreadable: bool = False, days_ago: int = 0) -> Application:
    """An application straight in the database (for pages that only read)."""
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.com")
    application = Application.objects.create(
        candidate=candidate, job=job, stage=stage, screening_score=None if unreadable else score,
        screening_passed=None if unreadable else (passed if passed is not None else (score or 0) >= 60),
        resume_status=Application.ResumeStatus.UNREADABLE if unreadable else Application.ResumeStatus.OK,
        resume_error="the file is empty" if unreadable else "",
    )
    if days_ago:
        Application.objects.filter(pk=application.pk).update(
            stage_changed_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return application


def tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def texts(nodes: list[Any]) -> list[str]:
    return [" ".join(node.text_content().split()) for node in nodes]


def page_text(response: Any) -> str:
    return " ".join(tree(response).text_content().split())


def with_contact(resume: SampleResume, number: int) -> SampleResume:
    """A sample resume under another person's email and phone, so that it is not a duplicate."""
    blocks: list[Any] = []
    for block in resume.blocks:
        if isinstance(block, str) and "@" in block:
            block = f"Phone: 139 0000 {number:04d} | Email: person{number}@example.com"
        blocks.append(block)
    return SampleResume(f"{resume.key}-{number}", resume.language, tuple(blocks))


# ------------------------------------------------------------------------------------------------ overview


def test_home_lists_jobs_with_counts_per_stage(login: Login, org: Org, job: Job, rd_job: Job) -> None:
    for n in range(3):
        add(job, f"Applied {n}")
    add(job, "In screening", stage=Stage.SCREENING)
    add(job, "Offered", stage=Stage.OFFER)
    add(rd_job, "Engineer", stage=Stage.INTERVIEW)
    JobFactory(title="已关闭", department=org["departments"]["sales"], status=Job.Status.CLOSED)

    response = login(org["users"]["recruiter"]).get(HOME)

    assert response.status_code == 200
    rows = {row.get("data-job"): row for row in tree(response).xpath('//tr[@data-testid="job-row"]')}
    assert set(rows) == {str(job.pk), str(rd_job.pk)}  # open jobs by default
    cells = texts(rows[str(job.pk)].xpath("./td[contains(@class, 'num')]"))
    # applied, screening, AI interview, written test, interviews, background check, offer, hired, all
    assert cells == ["3", "1", "0", "0", "0", "0", "1", "0", "5"]
    assert texts(rows[str(rd_job.pk)].xpath("./td[contains(@class, 'num')]"))[-1] == "1"
    assert reverse("recruiting:job_board", args=[job.pk]) in response.content.decode()

    every = login(org["users"]["recruiter"]).get(HOME, {"status": "all"})
    assert "已关闭" in page_text(every)


def test_home_shows_a_manager_only_their_departments_jobs(login: Login, org: Org, job: Job, rd_job: Job) -> None:
    response = login(org["users"]["manager"]).get(HOME)

    assert response.status_code == 200
    assert [row.get("data-job") for row in tree(response).xpath('//tr[@data-testid="job-row"]')] == [str(job.pk)]
    assert reverse("recruiting:job_rules", args=[job.pk]) not in response.content.decode()


def test_home_runs_constant_queries(login: Login, org: Org, job: Job) -> None:
    client = login(org["users"]["hr"])
    add(job, "One")
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for n in range(8):
        other = cast(Job, JobFactory(department=org["departments"]["rd"], status=Job.Status.OPEN))
        add(other, f"Other {n}", stage=Stage.INTERVIEW)
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME)
    assert len(tree(response).xpath('//tr[@data-testid="job-row"]')) == 9
    assert len(many) == len(few)


def test_employees_get_no_recruiting_pages(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Someone")
    client = login(org["users"]["employee"])
    urls = [
        HOME, reverse("recruiting:job_board", args=[job.pk]), reverse("recruiting:job_ranking", args=[job.pk]),
        reverse("recruiting:job_rules", args=[job.pk]),
        reverse("recruiting:application_detail", args=[application.pk]), EMAILS,
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_login(client: Client, job: Job) -> None:
    response = client.get(reverse("recruiting:job_board", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_navigation_and_job_page_link_to_recruiting(login: Login, org: Org, job: Job) -> None:
    for role in ("hr", "recruiter", "manager"):
        assert f'href="{HOME}"' in login(org["users"][role]).get(reverse("home")).content.decode(), role
    assert f'href="{HOME}"' not in login(org["users"]["employee"]).get(reverse("home")).content.decode()

    board = reverse("recruiting:job_board", args=[job.pk])
    detail = login(org["users"]["recruiter"]).get(reverse("org:job_detail", args=[job.pk]))
    assert tree(detail).xpath('//a[@data-testid="job-candidates"]/@href') == [board]


# ------------------------------------------------------------------------------------------------ board


def board_of(response: Any) -> dict[str, dict[str, Any]]:
    columns = {}
    for column in tree(response).xpath('//*[@data-testid="column"]'):
        columns[column.get("data-stage")] = {
            "count": int(column.xpath('.//*[@data-testid="column-count"]')[0].text_content()),
            "cards": [int(card.get("data-application")) for card in column.xpath('.//*[@data-testid="card"]')],
            "node": column,
        }
    return columns


def test_board_shows_every_stage_with_counts_and_cards(login: Login, org: Org, job: Job) -> None:
    best = add(job, "Best Match", score=91.5, passed=True, days_ago=3)
    weak = add(job, "Weak Match", score=31.0, passed=False)
    unreadable = add(job, "No Resume Text", unreadable=True)
    interview = add(job, "In Interview", stage=Stage.INTERVIEW, score=75.0)
    rejected = add(job, "Turned Down", stage=Stage.REJECTED)

    response = login(org["users"]["recruiter"]).get(reverse("recruiting:job_board", args=[job.pk]))

    assert response.status_code == 200
    columns = board_of(response)
    assert list(columns) == [
        "applied", "screening", "ai_interview", "written_test", "interview", "background_check", "offer",
        "hired", "rejected", "withdrawn",
    ]
    assert columns["applied"]["count"] == 3
    assert columns["applied"]["cards"] == [best.pk, weak.pk, unreadable.pk]  # by score, unscored last
    assert columns["interview"]["cards"] == [interview.pk]
    assert columns["rejected"]["cards"] == [rejected.pk]
    assert columns["screening"]["count"] == 0

    card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{best.pk}"]')[0]
    assert "Best Match" in card.text_content()
    assert card.xpath('.//*[@data-testid="score"]')[0].text_content() == "92"
    assert "badge-green" in card.xpath('.//*[@data-testid="score"]')[0].get("class")
    assert "3 days" in card.text_content()
    assert card.get("draggable") == "true"
    options = card.xpath('.//select[@data-testid="move-select"]/option/@value')
    assert options == ["", "screening", "ai_interview", "written_test", "interview", "background_check", "offer",
                       "rejected", "withdrawn"]
    assert card.xpath('.//*[@data-testid="move-submit"]')
    weak_card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{weak.pk}"]')[0]
    assert "badge-amber" in weak_card.xpath('.//*[@data-testid="score"]')[0].get("class")
    unreadable_card = tree(response).xpath(f'//*[@data-testid="card"][@data-application="{unreadable.pk}"]')[0]
    assert unreadable_card.xpath('.//*[@data-testid="unreadable"]')[0].text_content() == "resume unreadable"
    # A closed application cannot be dragged or moved.
    rejected_card = columns["rejected"]["node"].xpath('.//*[@data-testid="card"]')[0]
    assert rejected_card.get("draggable") is None
    assert not rejected_card.xpath('.//*[@data-testid="move-select"]')
    assert 'src="/static/talentloop/board.js"' in response.content.decode()


def test_board_runs_constant_queries_and_caps_the_cards(login: Login, org: Org, job: Job) -> None:
    client = login(org["users"]["manager"])
    url = reverse("recruiting:job_board", args=[job.pk])
    for n in range(5):
        add(job, f"Early {n}", score=float(n))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    stages = [Stage.APPLIED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.WITHDRAWN]
    for n in range(55):
        add(job, f"Later {n}", stage=stages[n % len(stages)], score=float(n), unreadable=n % 7 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(many) == len(few)
    columns = board_of(response)
    assert sum(c["count"] for c in columns.values()) == 60
    assert columns["applied"]["count"] == 5 + 22
    assert len(columns["applied"]["cards"]) == 27
    assert columns["withdrawn"]["count"] == 11


def test_board_shows_and_n_more_with_a_link_to_the_stage(
    login: Login, org: Org, job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "BOARD_CARDS_PER_STAGE", 4)
    for n in range(7):
        add(job, f"Applicant {n}", score=float(n))

    response = login(org["users"]["hr"]).get(reverse("recruiting:job_board", args=[job.pk]))

    applied = board_of(response)["applied"]
    assert applied["count"] == 7
    assert len(applied["cards"]) == 4
    more = applied["node"].xpath('.//a[@data-testid="column-more"]')[0]
    assert more.text_content() == "and 3 more"
    assert more.get("href") == reverse("recruiting:job_ranking", args=[job.pk]) + "?stage=applied"


def test_board_of_1000_applications_is_quick(login: Login, org: Org, job: Job) -> None:
    candidates = Candidate.objects.bulk_create(
        [Candidate(name=f"Candidate {n}", email=f"c{n}@example.com") for n in range(1000)]
    )
    stages = list(Stage.values)
    Application.objects.bulk_create([
        Application(candidate=c, job=job, stage=stages[n % len(stages)], screening_score=n % 100,
                    screening_passed=n % 100 >= 60, resume_status="ok")
        for n, c in enumerate(candidates)
    ])
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_board", args=[job.pk])

    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started

    columns = board_of(response)
    assert sum(c["count"] for c in columns.values()) == 1000
    assert all(len(c["cards"]) == views.BOARD_CARDS_PER_STAGE for c in columns.values())
    assert elapsed < 5, f"the board took {elapsed:.2f}s"


def test_board_of_another_department_is_not_shown_to_a_manager(login: Login, org: Org, rd_job: Job) -> None:
    response = login(org["users"]["manager"]).get(reverse("recruiting:job_board", args=[rd_job.pk]))

    assert response.status_code == 404


# ------------------------------------------------------------------------------------------------ transitions


def move(client: Client, application: Application, to: str, **extra: Any) -> Any:
    url = reverse("recruiting:application_transition", args=[application.pk])
    return client.post(url, {"to": to, **extra}, headers=JSON)


def test_dragging_a_card_moves_it_and_answers_json(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Drag Me")
    EmailTemplate.objects.filter(stage=Stage.SCREENING).delete()

    response = move(login(org["users"]["recruiter"]), application, "screening")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True, "stage": "screening", "stage_label": "Screening", "message": "Drag Me moved to “Screening”.",
    }
    application.refresh_from_db()
    assert application.stage == "screening"
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == ("applied", "screening", org["users"]["recruiter"])


def test_a_move_the_pipeline_refuses_answers_409_with_the_reason(login: Login, org: Org, job: Job) -> None:
    rejected = add(job, "Already Out", stage=Stage.REJECTED)
    waiting = add(job, "Waiting")
    client = login(org["users"]["recruiter"])

    closed = move(client, rejected, "interview")
    hired = move(client, waiting, "hired")
    same = move(client, waiting, "applied")

    assert closed.status_code == 409
    assert closed.json() == {
        "ok": False, "stage": "rejected",
        "message": "The application is closed (Rejected); it cannot move any more.",
    }
    assert hired.status_code == 409
    assert hired.json()["message"] == "Only a candidate who accepted an offer can be hired."
    assert same.status_code == 409
    assert not StageChange.objects.exists()


def test_a_move_to_an_unknown_stage_or_without_permission_answers_json(
    login: Login, org: Org, job: Job, rd_job: Job
) -> None:
    application = add(job, "Someone")
    outside = add(rd_job, "Elsewhere")

    unknown = move(login(org["users"]["recruiter"]), application, "moon")
    forbidden = move(login(org["users"]["manager"]), outside, "screening")
    employee = move(login(org["users"]["employee"]), application, "screening")

    assert unknown.status_code == 400
    assert unknown.json() == {"ok": False, "stage": "applied", "message": "Choose a stage to move the application to."}
    assert forbidden.status_code == 403
    assert forbidden.json()["ok"] is False
    assert employee.status_code == 403
    assert Application.objects.get(pk=outside.pk).stage == "applied"


def test_the_move_form_without_javascript_redirects_back_with_a_message(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Form User")
    board = reverse("recruiting:job_board", args=[job.pk])
    client = login(org["users"]["manager"])
    url = reverse("recruiting:application_transition", args=[application.pk])

    response = client.post(url, {"to": "interview", "reason": "Strong resume", "next": board}, follow=True)

    assert response.redirect_chain == [(board, 302)]
    assert "Form User moved to “Interviews”." in page_text(response)
    assert board_of(response)["interview"]["cards"] == [application.pk]
    assert StageChange.objects.get().reason == "Strong resume"

    refused = client.post(url, {"to": "interview", "next": "https://evil.example.com/"}, follow=True)
    assert refused.redirect_chain == [(reverse("recruiting:application_detail", args=[application.pk]), 302)]
    assert "The application is already in this stage." in page_text(refused)


def test_moving_sends_the_stage_email_in_the_candidates_language(
    login: Login, org: Org, job: Job, django_capture_on_commit_callbacks: Any
) -> None:
    application = add(job, "Mail Me")
    with django_capture_on_commit_callbacks(execute=True):
        assert move(login(org["users"]["hr"]), application, "interview").status_code == 200

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mail.me@example.com"]


# ------------------------------------------------------------------------------------------------ ranking


@pytest.fixture
def screened(org: Org, job: Job) -> dict[str, Application]:
    """Real resumes through the real intake: Python required, Docker and Kafka preferred, 3 years."""
    hr = org["users"]["hr"]
    screening_rules_update(actor=hr, job=job, changes={
        "required_skills": ["Python"], "preferred_skills": ["Docker", "Kafka"], "min_years": 3,
    })
    result = {}
    for key, resume in (("zhang", ZHANG_WEI), ("emily", EMILY_CHEN), ("li", LI_NA)):
        result[key] = application_create(
            actor=hr, job=job, resume=ResumeUpload(f"{key}.txt", resume.text().encode(), 1000)
        )
    result["empty"] = application_create(
        actor=hr, job=job, resume=ResumeUpload("empty.pdf", b"", 0), email="empty@example.com"
    )
    return result


def test_ranking_orders_by_score_and_explains_each_one(login: Login, org: Org, job: Job, screened: Any) -> None:
    response = login(org["users"]["manager"]).get(reverse("recruiting:job_ranking", args=[job.pk]))

    assert response.status_code == 200
    rows = tree(response).xpath('//*[@data-testid="ranking-row"]')
    order = [int(row.get("data-application")) for row in rows]
    assert order == [screened["zhang"].pk, screened["emily"].pk, screened["li"].pk, screened["empty"].pk]
    zhang, emily, li, empty = rows
    assert texts(zhang.xpath('.//*[@data-testid="matched"]'))[:3] == [
        "Python (required)", "Docker (preferred)", "Kafka (preferred)",
    ]
    assert all("badge-green" in node.get("class") for node in zhang.xpath('.//*[@data-testid="matched"]'))
    assert texts(emily.xpath('.//*[@data-testid="missing"]')) == ["Docker (preferred)", "Kafka (preferred)"]
    assert all("badge-amber" in node.get("class") for node in emily.xpath('.//*[@data-testid="missing"]'))
    assert not emily.xpath('.//*[@data-testid="knockouts"]')
    assert texts(li.xpath('.//*[@data-testid="knockouts"]')) == ["Knocked out: a required skill is missing"]
    assert "Not screened: the file is empty." in " ".join(empty.text_content().split())
    # The manager sees the ranking but cannot upload.
    assert not tree(response).xpath('//*[@data-testid="bulk-upload"]')


def test_ranking_filters_passed_only_and_by_stage(login: Login, org: Org, job: Job, screened: Any) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_ranking", args=[job.pk])
    Application.objects.filter(pk=screened["emily"].pk).update(stage=Stage.WITHDRAWN)

    passed = client.get(url, {"show": "passed"})
    withdrawn = client.get(url, {"stage": "withdrawn"})
    everyone = client.get(url, {"show": "all"})

    def ids(response: Any) -> list[int]:
        return [int(r.get("data-application")) for r in tree(response).xpath('//*[@data-testid="ranking-row"]')]

    assert ids(passed) == [screened["zhang"].pk]  # Emily passed too, but withdrew
    assert ids(withdrawn) == [screened["emily"].pk]
    assert ids(everyone) == [screened["zhang"].pk, screened["li"].pk, screened["empty"].pk]


def test_ranking_runs_constant_queries(login: Login, org: Org, job: Job) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_ranking", args=[job.pk])
    add(job, "First", score=10)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        add(job, f"More {n}", score=float(n))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(tree(response).xpath('//*[@data-testid="ranking-row"]')) == 31
    assert len(many) == len(few)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_bulk_upload_of_five_files_gives_the_right_summary(login: Login, org: Org, job: Job) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_ranking", args=[job.pk])
    files = [
        upload("zhang_wei.txt", ZHANG_WEI.text().encode()),
        upload("emily.docx", docx_bytes(EMILY_CHEN)),
        upload("daniel.pdf", pdf_bytes(DANIEL_WU)),
        upload("empty.docx", b""),
        upload("zhang_wei_again.txt", ZHANG_WEI.text().encode()),
    ]

    response = client.post(url, {"resumes": files})

    assert response.status_code == 200
    summary = tree(response).xpath('//*[@data-testid="upload-summary"]')[0]
    counts = {key: summary.xpath(f'.//*[@data-testid="{key}-count"]')[0].text_content()
              for key in ("created", "duplicate", "unreadable")}
    assert counts == {"created": "3", "duplicate": "1", "unreadable": "1"}
    assert "5 files uploaded" in summary.text_content()
    created = texts(summary.xpath('.//*[@data-testid="created"]'))
    assert [c.split(" (")[0] for c in created] == ["张伟", "Emily Chen", "Daniel Wu"]
    assert texts(summary.xpath('.//*[@data-testid="duplicate"]'))[0].startswith(
        "zhang_wei_again.txt: 张伟 has already applied for this job"
    )
    assert texts(summary.xpath('.//*[@data-testid="unreadable-file"]')) == [
        "empty.docx: The resume cannot be read: the file is empty. Upload another file, or give an email or "
        "phone number."
    ]
    applications = Application.objects.filter(job=job).select_related("candidate")
    assert {a.candidate.source for a in applications} == {Candidate.Source.IMPORT}
    assert applications.count() == 3
    # The new applications are ranked on the same page.
    assert len(tree(response).xpath('//*[@data-testid="ranking-row"]')) == 3


def test_bulk_upload_keeps_contact_details_from_the_file_name_and_skips_other_file_types(
    login: Login, org: Org, job: Job
) -> None:
    client = login(org["users"]["hr"])
    files = [upload("王五-13900001234.pdf", b""), upload("photo.png", b"\x89PNG\r\n\x1a\n")]

    response = client.post(reverse("recruiting:job_ranking", args=[job.pk]), {"resumes": files})

    summary = tree(response).xpath('//*[@data-testid="upload-summary"]')[0]
    kept = Application.objects.select_related("candidate").get()
    assert (kept.candidate.phone, kept.resume_status) == ("13900001234", Application.ResumeStatus.UNREADABLE)
    assert summary.xpath('.//*[@data-testid="kept-count"]')[0].text_content() == "1"
    assert texts(summary.xpath('.//*[@data-testid="kept"]')) == [
        "13900001234 (王五-13900001234.pdf): the file is empty"
    ]
    assert texts(summary.xpath('.//*[@data-testid="unreadable-file"]')) == ["photo.png: unsupported file type (.png)"]


def test_bulk_upload_without_files_says_so(login: Login, org: Org, job: Job) -> None:
    response = login(org["users"]["recruiter"]).post(reverse("recruiting:job_ranking", args=[job.pk]), {})

    assert response.status_code == 400
    assert "Choose at least one resume file." in page_text(response)


def test_bulk_upload_is_for_hr_and_recruiters(login: Login, org: Org, job: Job) -> None:
    url = reverse("recruiting:job_ranking", args=[job.pk])

    response = login(org["users"]["manager"]).post(url, {"resumes": [upload("a.txt", ZHANG_WEI.text().encode())]})

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_bulk_upload_of_fifty_resumes_takes_a_few_seconds(login: Login, org: Org, job: Job) -> None:
    samples = [ZHANG_WEI, EMILY_CHEN, DANIEL_WU, WANG_FANG, MICHAEL_BROWN]
    writers: list[tuple[str, Callable[[SampleResume], bytes]]] = [
        ("txt", lambda r: r.text().encode()), ("docx", docx_bytes), ("pdf", pdf_bytes),
    ]
    files = []
    for n in range(50):
        extension, write = writers[n % 3]
        files.append(upload(f"resume-{n}.{extension}", write(with_contact(samples[n % len(samples)], n))))
    client = login(org["users"]["hr"])

    started = time.perf_counter()
    response = client.post(reverse("recruiting:job_ranking", args=[job.pk]), {"resumes": files})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert texts(tree(response).xpath('//*[@data-testid="duplicate"] | //*[@data-testid="unreadable-file"]')) == []
    assert tree(response).xpath('//*[@data-testid="created-count"]')[0].text_content() == "50"
    assert Application.objects.filter(job=job).count() == 50
    assert elapsed < 15, f"50 resumes took {elapsed:.1f}s"


# ------------------------------------------------------------------------------------------------ rules


def test_rules_editor_shows_and_saves_the_rules(
    login: Login, org: Org, job: Job, screened: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:job_rules", args=[job.pk])

    shown = client.get(url)
    assert shown.status_code == 200
    form = tree(shown).xpath('//form[@data-testid="rules-form"]')[0]
    assert form.xpath('.//input[@name="required_skills"]/@value') == ["Python"]
    assert form.xpath('.//input[@name="preferred_skills"]/@value') == ["Docker, Kafka"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "min_degree": "3", "min_years": "2", "required_skills": "Java， MySQL",
            "preferred_skills": "Redis、Kafka", "locations": "上海, 北京", "pass_score": "70", "auto_advance": "on",
        })

    assert response.status_code == 302
    assert response["Location"] == reverse("recruiting:job_ranking", args=[job.pk])
    rules = ScreeningRules.objects.get(job=job)
    assert rules.min_degree == 3
    assert float(rules.min_years) == 2.0
    assert rules.required_skills == ["Java", "MySQL"]
    assert rules.preferred_skills == ["Redis", "Kafka"]
    assert rules.locations == ["上海", "北京"]
    assert (rules.pass_score, rules.auto_advance) == (70, True)
    # Re-scored with the new rules: Li Na lacks Java and is knocked out by it.
    li = Application.objects.get(pk=screened["li"].pk)
    assert "required_skills" in li.screening["knocked_out_by"]
    assert "Java (required)" in li.screening["missing"]


def test_rules_editor_shows_errors(login: Login, org: Org, job: Job) -> None:
    response = login(org["users"]["hr"]).post(reverse("recruiting:job_rules", args=[job.pk]), {
        "min_degree": "9", "min_years": "-1", "pass_score": "150",
    })

    assert response.status_code == 400
    errors = texts(tree(response).xpath('//*[contains(@class, "field-error")]'))
    assert len(errors) == 3
    assert not ScreeningRules.objects.filter(job=job, pass_score=150).exists()


def test_rules_editor_is_for_hr_and_recruiters(login: Login, org: Org, job: Job) -> None:
    url = reverse("recruiting:job_rules", args=[job.pk])

    assert login(org["users"]["manager"]).get(url).status_code == 403
    assert login(org["users"]["manager"]).post(url, {"min_degree": "0", "min_years": "0",
                                                      "pass_score": "10"}).status_code == 403


# ------------------------------------------------------------------------------------------------ one application


@pytest.mark.parametrize(("role", "status"), [
    ("hr", 200), ("recruiter", 200), ("manager", 200), ("employee", 403), ("outsider", 403), ("candidate", 403),
])
def test_application_detail_by_role(login: Login, org: Org, job: Job, screened: Any, role: str, status: int) -> None:
    response = login(org["users"][role]).get(reverse("recruiting:application_detail", args=[screened["zhang"].pk]))

    assert response.status_code == status


def test_a_manager_of_another_department_may_not_see_the_application(login: Login, org: Org, rd_job: Job) -> None:
    application = add(rd_job, "Elsewhere")

    response = login(org["users"]["manager"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    assert response.status_code == 403
    assert login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[999_999])).status_code == 404


def test_application_detail_shows_candidate_resume_parsed_data_and_screening(
    login: Login, org: Org, job: Job, screened: Any
) -> None:
    application = screened["zhang"]
    client = login(org["users"]["recruiter"])
    move(client, application, "interview", reason="Great fit")

    response = client.get(reverse("recruiting:application_detail", args=[application.pk]))

    page = tree(response)
    contact = page.xpath('//*[@data-testid="contact"]')[0]
    assert dict(zip(texts(contact.xpath("./dt")), texts(contact.xpath("./dd")), strict=True)) == {
        "Name": "张伟", "Email": "zhangwei@example.com", "Phone": "13812345678", "Location": "上海",
        "Source": "Other", "Consent": "Not recorded",
    }
    assert "浙江大学" in page.xpath('//pre[@data-testid="resume-text"]')[0].text_content()
    parsed = " ".join(page.xpath('//*[@data-testid="parsed"]')[0].text_content().split())
    assert "Master" in parsed
    for fact in ("Java", "Docker", "PMP", "English", "浙江大学", "复旦大学", "阿里巴巴"):
        assert fact in parsed, fact
    assert page.xpath('//*[@data-testid="work-history"]/li')
    screening = page.xpath('//*[@data-testid="screening"]')[0]
    assert "Python (required)" in texts(screening.xpath('.//*[@data-testid="matched"]'))
    history = " ".join(page.xpath('//*[@data-testid="history"]')[0].text_content().split())
    assert "Applied → Interviews" in history
    assert "recruiter: Great fit" in history
    buttons = page.xpath('//form[@data-testid="transition-form"]//button/@value')
    assert buttons == ["applied", "screening", "ai_interview", "written_test", "background_check", "offer",
                       "rejected", "withdrawn"]
    assert page.xpath('//*[@data-testid="stage"]')[0].text_content() == "Interviews"


def test_application_detail_links_only_the_pages_that_exist(
    login: Login, org: Org, job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = add(job, "Links")
    monkeypatch.setattr(views, "OTHER_APPLICATION_PAGES", (
        ("recruiting:application_detail", "Existing page"), ("recruiting:no_such_page", "Missing page"),
    ))
    monkeypatch.setattr(views, "RESUME_API_PATH", "/recruiting/applications/{pk}/")

    response = login(org["users"]["recruiter"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    links = tree(response).xpath('//*[@data-testid="other-pages"]//a')
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Existing page", reverse("recruiting:application_detail", args=[application.pk])),
    ]
    # No stored file: no download link even when the endpoint exists.
    assert not tree(response).xpath('//*[@data-testid="resume-download"]')


def test_resume_download_link_appears_when_the_api_endpoint_exists(
    login: Login, org: Org, job: Job, screened: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("recruiting:application_detail", args=[screened["zhang"].pk])
    client = login(org["users"]["recruiter"])
    monkeypatch.setattr(views, "RESUME_API_PATH", "/recruiting/applications/{pk}/")  # stands in for the API
    assert tree(client.get(url)).xpath('//*[@data-testid="resume-download"]/@href') == [url]
    monkeypatch.setattr(views, "RESUME_API_PATH", "/api/v1/no-such-endpoint/{pk}/")
    assert not tree(client.get(url)).xpath('//*[@data-testid="resume-download"]')


def test_unreadable_resume_is_explained_on_the_application(login: Login, org: Org, job: Job, screened: Any) -> None:
    response = login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[screened["empty"].pk]))

    resume = " ".join(tree(response).xpath('//*[@data-testid="resume"]')[0].text_content().split())
    assert "resume unreadable" in resume
    assert "the file is empty" in resume


def test_closed_application_offers_no_moves(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Gone", stage=Stage.WITHDRAWN)

    response = login(org["users"]["hr"]).get(reverse("recruiting:application_detail", args=[application.pk]))

    assert not tree(response).xpath('//form[@data-testid="transition-form"]')
    assert "This application is closed" in page_text(response)


def test_adding_a_note(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Noted")
    url = reverse("recruiting:application_note_add", args=[application.pk])
    client = login(org["users"]["manager"])

    response = client.post(url, {"text": "  Call back on Monday.  "}, follow=True)

    detail = reverse("recruiting:application_detail", args=[application.pk])
    assert response.redirect_chain == [(detail + "#notes", 302)]
    note = ApplicationNote.objects.get()
    assert (note.application, note.author, note.text) == (application, org["users"]["manager"], "Call back on Monday.")
    notes = texts(tree(response).xpath('//*[@data-testid="note"]'))
    assert len(notes) == 1
    assert notes[0].startswith("manager ·")
    assert notes[0].endswith("Call back on Monday.")
    assert "Note added." in page_text(response)


def test_an_empty_note_is_refused(login: Login, org: Org, job: Job) -> None:
    application = add(job, "Noted")

    response = login(org["users"]["hr"]).post(
        reverse("recruiting:application_note_add", args=[application.pk]), {"text": "   "}
    )

    assert response.status_code == 400
    assert texts(tree(response).xpath('//*[@data-testid="note-form"]//*[contains(@class, "field-error")]')) == [
        "This field is required."
    ]
    assert not ApplicationNote.objects.exists()


def test_notes_need_access_to_the_application(login: Login, org: Org, rd_job: Job) -> None:
    application = add(rd_job, "Elsewhere")
    url = reverse("recruiting:application_note_add", args=[application.pk])

    assert login(org["users"]["manager"]).post(url, {"text": "Hi"}).status_code == 403
    assert login(org["users"]["employee"]).post(url, {"text": "Hi"}).status_code == 403
    assert not ApplicationNote.objects.exists()


# ------------------------------------------------------------------------------------------------ emails


def test_email_templates_list_every_stage_and_language(login: Login, org: Org) -> None:
    response = login(org["users"]["recruiter"]).get(EMAILS)

    assert response.status_code == 200
    rows = tree(response).xpath('//tr[@data-testid="email-row"]')
    assert len(rows) == len(Stage.values) * len(settings.LANGUAGES)
    interview_en = tree(response).xpath('//tr[@data-stage="interview"][@data-language="en"]')[0]
    assert "{company}: interview for {job}" in interview_en.text_content()
    placeholders = page_text(response)
    for code in ("{candidate}", "{job}", "{stage}", "{company}", "{reason}"):
        assert code in placeholders


def test_email_templates_are_for_hr_and_recruiters(login: Login, org: Org) -> None:
    assert login(org["users"]["manager"]).get(EMAILS).status_code == 403
    url = reverse("recruiting:email_template_edit", args=["interview", "en"])
    assert login(org["users"]["manager"]).get(url).status_code == 403
    assert login(org["users"]["manager"]).post(url, {"subject": "x", "body": "y"}).status_code == 403


def test_editing_an_email_template(login: Login, org: Org) -> None:
    client = login(org["users"]["recruiter"])
    url = reverse("recruiting:email_template_edit", args=["interview", "zh-hans"])
    shown = client.get(url)
    assert shown.status_code == 200
    assert tree(shown).xpath('//input[@name="subject"]/@value') == ["{company}：{job} 职位面试邀请"]

    response = client.post(url, {"subject": "{company}：{job} 面试", "body": "{candidate}，您好：请准备面试。"})

    assert response.status_code == 302
    template = EmailTemplate.objects.get(stage="interview", language="zh-hans")
    assert (template.subject, template.body, template.is_active) == (
        "{company}：{job} 面试", "{candidate}，您好：请准备面试。", False,
    )
    entries = AuditEntry.objects.filter(object_type="recruiting.emailtemplate", object_id=str(template.pk))
    assert set(entries.values_list("field", flat=True)) == {"subject", "body", "is_active"}


def test_writing_an_email_for_a_stage_without_one(login: Login, org: Org) -> None:
    url = reverse("recruiting:email_template_edit", args=["screening", "en"])
    assert not EmailTemplate.objects.filter(stage="screening", language="en").exists()

    response = login(org["users"]["hr"]).post(url, {
        "subject": "We are reading your resume", "body": "Dear {candidate}, ...", "is_active": "on",
    })

    assert response.status_code == 302
    assert EmailTemplate.objects.get(stage="screening", language="en").is_active is True


def test_an_unknown_placeholder_is_refused(login: Login, org: Org) -> None:
    url = reverse("recruiting:email_template_edit", args=["interview", "en"])

    data = {"subject": "Hi {nmae}", "body": "Dear {candidate", "is_active": "on"}

    response = login(org["users"]["hr"]).post(url, data)

    assert response.status_code == 400
    errors = texts(tree(response).xpath('//*[contains(@class, "field-error")]'))
    assert errors == [
        "Unknown placeholder {nmae}. Use {candidate}, {job}, {stage}, {company}, {reason}.",
        "Use braces only around a placeholder, such as {candidate}.",
    ]
    assert EmailTemplate.objects.get(stage="interview", language="en").subject == "{company}: interview for {job}"


def test_an_unknown_stage_or_language_is_not_found(login: Login, org: Org) -> None:
    client = login(org["users"]["hr"])

    assert client.get(reverse("recruiting:email_template_edit", args=["moon", "en"])).status_code == 404
    assert client.get(reverse("recruiting:email_template_edit", args=["interview", "fr"])).status_code == 404


def test_pages_render_in_chinese(login: Login, org: Org, job: Job) -> None:
    application = add(job, "中文")
    client = login(UserFactory(username="hr2", role="hr_admin"), "zh-hans")

    for url in (HOME, reverse("recruiting:job_board", args=[job.pk]), reverse("recruiting:job_ranking", args=[job.pk]),
                reverse("recruiting:application_detail", args=[application.pk]), EMAILS):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode()


def test_json_helpers_stay_json(login: Login, org: Org, job: Job) -> None:
    """The board script reads the stage targets and labels from JSON blocks in the page."""
    response = login(org["users"]["hr"]).get(reverse("recruiting:job_board", args=[job.pk]))

    page = tree(response)
    targets = json.loads(page.xpath('//script[@id="board-stage-targets"]')[0].text)
    labels = json.loads(page.xpath('//script[@id="board-stage-labels"]')[0].text)
    assert targets["applied"] == ["screening", "ai_interview", "written_test", "interview", "background_check",
                                  "offer", "rejected", "withdrawn"]
    assert targets["rejected"] == []
    assert labels["background_check"] == "Background check"
