"""Staff recruiting pages: the ranking with the bulk upload, and the screening rules editor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.assessment.tests.resume_samples import (
    DANIEL_WU,
    EMILY_CHEN,
    MICHAEL_BROWN,
    WANG_FANG,
    ZHANG_WEI,
    SampleResume,
    docx_bytes,
    pdf_bytes,
)
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, ScreeningRules, Stage
from talentloop.recruiting.tests._pipeline_support import Login, Org, add, page_text, texts, tree


def with_contact(resume: SampleResume, number: int) -> SampleResume:
    """A sample resume under another person's email and phone, so that it is not a duplicate."""
    blocks: list[Any] = []
    for block in resume.blocks:
        if isinstance(block, str) and "@" in block:
            block = f"Phone: 139 0000 {number:04d} | Email: person{number}@example.com"
        blocks.append(block)
    return SampleResume(f"{resume.key}-{number}", resume.language, tuple(blocks))


# ------------------------------------------------------------------------------------------------ ranking


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
