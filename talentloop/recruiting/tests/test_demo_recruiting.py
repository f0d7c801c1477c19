"""The recruiting demo: sample resumes that the engine reads (a name and skills from every one), applications
for every open demo job moved through the pipeline with reasons, and a seed that runs twice without doubling."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from talentloop.assessment.resume import extract_text, parse_resume
from talentloop.core.models import User
from talentloop.org.demo import DemoError, demo_seed
from talentloop.org.library import demo_company
from talentloop.org.models import Job
from talentloop.recruiting import selectors
from talentloop.recruiting.demo import (
    IMPORT_PER_JOB,
    PROFILES,
    SAMPLE_COUNT,
    job_folder_name,
    recruiting_demo_seed,
    sample_resumes,
    sample_resumes_write,
)
from talentloop.recruiting.models import Application, Candidate, Stage, StageChange

pytestmark = pytest.mark.django_db

OPEN_JOBS = [job["title"] for job in demo_company()["jobs"] if job["status"] == "open"]
# Every move to each application's stage, one stage at a time: sales 12, backend 12, customer success 6,
# data 7, product 13 (sales and customer success have no written test).
MOVES = 50
STAGES = {"applied": 8, "screening": 7, "ai_interview": 5, "written_test": 3, "interview": 3, "offer": 2,
          "rejected": 2}


@pytest.fixture
def company(db: Any) -> dict[str, Job]:
    demo_seed(employees=30, seed=42, reset=False, stdout=io.StringIO())
    return {job.title: job for job in Job.objects.all()}


@pytest.fixture
def seeded(company: dict[str, Job], tmp_path: Path) -> dict[str, Any]:
    return recruiting_demo_seed(seed=42, folder=tmp_path)


def test_the_sample_resumes_are_files_the_engine_reads(seeded: dict[str, Any], tmp_path: Path) -> None:
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    resumes = sample_resumes(count=SAMPLE_COUNT, seed=42)
    assert len(written) == SAMPLE_COUNT == len(resumes) == seeded["files"]
    assert sorted(tmp_path / r.folder / r.file_name for r in resumes) == written
    assert sorted(p.name for p in tmp_path.iterdir()) == [job_folder_name(p) for p in PROFILES] == [
        "01-sales-manager", "02-senior-backend-engineer", "03-customer-success", "04-data-analyst",
        "05-product-manager", "06-hr-specialist",
    ]
    for resume in resumes:
        path = tmp_path / resume.folder / resume.file_name
        parsed = parse_resume(extract_text(path.read_bytes(), path.name).text)
        assert parsed.name == resume.name, path
        assert len(parsed.skills) >= 3, path
        assert set(resume.skills) <= set(parsed.skills), path
        assert resume.email in parsed.emails, path
        assert resume.phone in parsed.phones, path


def test_the_samples_mix_languages_formats_jobs_and_fits(db: Any) -> None:
    resumes = sample_resumes(count=SAMPLE_COUNT, seed=42)
    assert Counter(r.kind for r in resumes) == {"pdf": 20, "docx": 20, "txt": 20}
    assert Counter(r.job for r in resumes) == {p.job: 10 for p in PROFILES}
    assert Counter(r.fit for r in resumes) == {"strong": 24, "partial": 24, "weak": 12}
    languages = Counter(r.language for r in resumes)
    assert languages["zh"] > languages["en"] > 5
    assert {r.encoding for r in resumes if r.kind == "txt"} == {"utf-8", "gb18030"}
    assert len({r.email for r in resumes}) == len({r.phone for r in resumes}) == SAMPLE_COUNT
    assert all(r.email.rsplit("@", 1)[1] in ("example.com", "example.cn", "example.net") for r in resumes)


def test_the_same_seed_gives_the_same_resumes(tmp_path: Path) -> None:
    first = sample_resumes(count=12, seed=7)
    assert first == sample_resumes(count=12, seed=7)
    assert first != sample_resumes(count=12, seed=8)
    text = [r for r in first if r.kind == "txt"]
    paths = sample_resumes_write(folder=tmp_path, resumes=text)
    assert [p.read_bytes() for p in paths] == [r.data() for r in text]


def test_a_thousand_resumes_have_distinct_contacts_and_file_names(db: Any) -> None:
    resumes = sample_resumes(count=1_000, seed=1)
    assert len({r.email for r in resumes}) == len({r.phone for r in resumes}) == 1_000
    assert len({(r.folder, r.file_name) for r in resumes}) == 1_000


def test_every_open_demo_job_gets_applications(company: dict[str, Job], seeded: dict[str, Any]) -> None:
    per_job = Counter(Application.objects.values_list("job__title", flat=True))
    assert per_job == {title: IMPORT_PER_JOB for title in OPEN_JOBS}
    assert company["人力资源专员"].status == Job.Status.DRAFT  # a draft job takes no applications
    assert "人力资源专员" not in per_job
    assert seeded == {
        "created": True, "folder": seeded["folder"], "files": SAMPLE_COUNT, "applications": 30, "stages": STAGES,
        "jobs": {company[title].pk: IMPORT_PER_JOB for title in OPEN_JOBS},
    }
    assert Candidate.objects.count() == 30
    assert Counter(Candidate.objects.values_list("source", flat=True)) == {
        "job_board": 10, "careers_page": 10, "referral": 5, "agency": 5,
    }
    assert not Application.objects.exclude(resume_status=Application.ResumeStatus.OK).exists()
    assert not Application.objects.filter(screening_score=None).exists()


def test_the_kanban_has_several_stages_populated(company: dict[str, Job], seeded: dict[str, Any]) -> None:
    hr = User.objects.get(username="hr")
    assert Counter(Application.objects.values_list("stage", flat=True)) == STAGES
    board = selectors.job_board(user=hr, job=company["高级后端工程师"])
    assert {c["stage"]: c["count"] for c in board["columns"] if c["count"]} == {
        "applied": 1, "screening": 1, "ai_interview": 1, "written_test": 1, "interview": 1, "rejected": 1,
    }
    # The best screening score went furthest; the weakest resume was the one rejected.
    by_score = list(Application.objects.filter(job=company["高级后端工程师"]).order_by("-screening_score", "pk")
                    .values_list("stage", flat=True))
    assert by_score == ["interview", "written_test", "ai_interview", "screening", "applied", "rejected"]


def test_every_move_has_a_reason_an_actor_and_a_date_in_the_past_weeks(seeded: dict[str, Any]) -> None:
    hr = User.objects.get(username="hr")
    changes = list(StageChange.objects.select_related("application"))
    assert len(changes) == MOVES
    assert {c.actor_id for c in changes} == {hr.pk}
    assert all(c.reason and not c.email_sent for c in changes)
    assert mail.outbox == []
    offer = StageChange.objects.get(to_stage=Stage.OFFER, application__job__title="产品经理")
    path = list(StageChange.objects.filter(application=offer.application).values_list("to_stage", flat=True))
    assert path == ["screening", "ai_interview", "written_test", "interview", "offer"]
    assert offer.reason == "两轮面试通过，部门负责人推荐录用，准备录用通知。"
    assert offer.application.written_test_score is not None
    sales_offer = StageChange.objects.get(to_stage=Stage.OFFER, application__job__title="销售经理")
    assert list(StageChange.objects.filter(application=sales_offer.application).values_list("to_stage", flat=True)) \
        == ["screening", "ai_interview", "interview", "offer"]  # no written test for sales
    for rejected in StageChange.objects.filter(to_stage=Stage.REJECTED):
        assert rejected.reason.startswith(("缺少岗位必备技能（", "综合评估后与岗位要求不符"))
    now = timezone.now()
    for application in Application.objects.all():
        moves = list(application.stage_changes.values_list("at", flat=True))
        assert moves == sorted(moves)
        assert application.created_at < min(moves, default=now)
        assert application.stage_changed_at == max(moves, default=application.created_at)
        assert 8 <= (now - application.created_at).days <= 24


def test_seeding_twice_changes_nothing_and_reset_loads_again(
    company: dict[str, Job], seeded: dict[str, Any], tmp_path: Path
) -> None:
    ids = sorted(Application.objects.values_list("pk", flat=True))
    (tmp_path / "01-sales-manager" / "stale.txt").write_text("an earlier seed's resume")

    again = recruiting_demo_seed(seed=42, folder=tmp_path)

    assert again == {**seeded, "created": False}
    assert sorted(Application.objects.values_list("pk", flat=True)) == ids
    assert (Candidate.objects.count(), StageChange.objects.count()) == (30, MOVES)

    reloaded = recruiting_demo_seed(seed=42, folder=tmp_path, reset=True, stdout=io.StringIO())

    assert reloaded == seeded
    assert not set(Application.objects.values_list("pk", flat=True)) & set(ids)
    assert (Application.objects.count(), Candidate.objects.count(), StageChange.objects.count()) == (30, 30, MOVES)
    assert not (tmp_path / "01-sales-manager" / "stale.txt").exists()
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == SAMPLE_COUNT


def test_missing_sample_files_are_written_again(seeded: dict[str, Any], tmp_path: Path) -> None:
    victim = next(tmp_path.rglob("*.docx"))
    victim.unlink()
    assert recruiting_demo_seed(seed=42, folder=tmp_path)["created"] is False
    assert victim.exists()


def test_the_demo_company_must_be_loaded_first(db: Any, tmp_path: Path) -> None:
    with pytest.raises(DemoError) as raised:
        recruiting_demo_seed(seed=42, folder=tmp_path)
    assert str(raised.value) == "The demo company is not loaded; run `talentloop seed-demo` first."
    with pytest.raises(CommandError) as command:
        call_command("seed_demo_recruiting", folder=tmp_path, stdout=io.StringIO())
    assert str(command.value) == "The demo company is not loaded; run `talentloop seed-demo` first."


def test_the_command_prints_where_the_resumes_are(company: dict[str, Job], tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("seed_demo_recruiting", "--folder", str(tmp_path), stdout=out)
    folder = tmp_path.resolve()
    stages = "applied 8, screening 7, ai_interview 5, written_test 3, interview 3, offer 2, rejected 2"
    hint = [
        "Try the bulk import with the rest (the ones already imported show up as duplicates):",
        f"  talentloop import-resumes --job {company['销售经理'].pk} {folder / '01-sales-manager'}",
    ]
    assert out.getvalue().splitlines() == [
        f"Wrote 60 sample resumes (one folder per demo job) to {folder}",
        f"Imported 30 of them as applications to the open demo jobs: {stages}.",
        *hint,
    ]

    out = io.StringIO()
    call_command("seed_demo_recruiting", "--folder", str(tmp_path), stdout=out)
    assert out.getvalue().splitlines() == [
        f"The recruiting demo is already loaded (30 applications: {stages}); nothing was changed. Run with "
        "--reset to delete and reload it.",
        f"The 60 sample resumes (one folder per demo job) are in {folder}",
        *hint,
    ]

    out = io.StringIO()
    call_command("seed_demo_recruiting", "--folder", str(tmp_path), "--reset", stdout=out)
    assert out.getvalue().splitlines()[:2] == [
        "Deleted the recruiting demo: 30 applications.",
        f"Wrote 60 sample resumes (one folder per demo job) to {folder}",
    ]


def test_the_rest_of_a_job_folder_imports_with_the_seeded_ones_as_duplicates(
    company: dict[str, Job], seeded: dict[str, Any], tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("import_resumes", str(tmp_path / "02-senior-backend-engineer"), job=company["高级后端工程师"].pk,
                 stdout=out)
    assert out.getvalue().splitlines()[1:6] == [
        "  imported                     4",
        "  duplicates                   6",
        "  unreadable but created       0",
        "  unsupported                  0",
        "  failed                       0",
    ]
