"""Staff recruiting pages: the overview of jobs, who may see the recruiting pages, and the pages in Chinese."""

from __future__ import annotations

from typing import cast

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.core.testing.factories import JobFactory, UserFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Stage
from talentloop.recruiting.tests._pipeline_support import EMAILS, HOME, Login, Org, add, page_text, texts, tree

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


def test_pages_render_in_chinese(login: Login, org: Org, job: Job) -> None:
    application = add(job, "中文")
    client = login(UserFactory(username="hr2", role="hr_admin"), "zh-hans")

    for url in (HOME, reverse("recruiting:job_board", args=[job.pk]), reverse("recruiting:job_ranking", args=[job.pk]),
                reverse("recruiting:application_detail", args=[application.pk]), EMAILS):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode()
