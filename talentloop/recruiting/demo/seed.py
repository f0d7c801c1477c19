"""Seeding the recruiting demo: `recruiting_demo_seed()` writes the sample resumes, imports some of them through
the bulk import service and moves applications through stages with reasons (as HR), then dates the history back
a few weeks."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from talentloop.core.models import User
from talentloop.org.demo import HR_USERNAME, DemoError, Writer
from talentloop.org.library import demo_company
from talentloop.org.models import Job

from ..models import Application, Candidate, Stage, StageChange
from ..services.bulk_import import resumes_import
from ..services.pipeline import PIPELINE, application_transition
from .profiles import PROFILES
from .resumes import SAMPLE_COUNT, job_folder_name, sample_resumes, sample_resumes_write

IMPORT_PER_JOB = 6  # of the ten resumes per job; the rest are left for the visitor to import

# Where each open job's imported applications end up, best screening score first.
_PLANS: dict[str, tuple[str, ...]] = {
    "销售经理": (Stage.OFFER, Stage.INTERVIEW, Stage.AI_INTERVIEW, Stage.SCREENING, Stage.APPLIED, Stage.REJECTED),
    "高级后端工程师": (Stage.INTERVIEW, Stage.WRITTEN_TEST, Stage.AI_INTERVIEW, Stage.SCREENING, Stage.APPLIED,
                Stage.REJECTED),
    "客户成功专员": (Stage.AI_INTERVIEW, Stage.AI_INTERVIEW, Stage.SCREENING, Stage.SCREENING, Stage.APPLIED,
               Stage.APPLIED),
    "数据分析师": (Stage.WRITTEN_TEST, Stage.AI_INTERVIEW, Stage.SCREENING, Stage.SCREENING, Stage.APPLIED,
              Stage.APPLIED),
    "产品经理": (Stage.OFFER, Stage.INTERVIEW, Stage.WRITTEN_TEST, Stage.SCREENING, Stage.APPLIED, Stage.APPLIED),
}
_WRITTEN_TEST_JOBS = frozenset({"高级后端工程师", "数据分析师", "产品经理"})  # the others skip the written test
_SOURCES = (Candidate.Source.JOB_BOARD, Candidate.Source.CAREERS_PAGE, Candidate.Source.REFERRAL,
            Candidate.Source.JOB_BOARD, Candidate.Source.AGENCY, Candidate.Source.CAREERS_PAGE)


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "demo-resumes"


def demo_jobs() -> dict[str, Job]:
    """The demo company's jobs by title. Raises DemoError when the demo company is not loaded."""
    specs = demo_company()["jobs"]
    query = Q(pk__in=[])
    for spec in specs:
        query |= Q(title=spec["title"], department__code=spec["department"])
    jobs: dict[str, Job] = {}
    for job in Job.objects.filter(query).order_by("pk"):
        jobs.setdefault(job.title, job)
    if len(jobs) < len(specs):
        raise DemoError("The demo company is not loaded; run `talentloop seed-demo` first.")
    return jobs


def recruiting_demo_seed(
    *, seed: int = 42, folder: Path | None = None, reset: bool = False, stdout: Writer | None = None
) -> dict[str, Any]:
    """Write the sample resumes into `folder` (default data/demo-resumes/), import IMPORT_PER_JOB of each open
    demo job's ten and move them through the pipeline. Does nothing to the database when the demo jobs
    already have applications, unless `reset` (which deletes those applications first)."""
    folder = folder or default_folder()
    jobs = demo_jobs()
    actor = User.objects.filter(username=HR_USERNAME, is_active=True).first()
    if actor is None:
        raise DemoError(f"The demo user {HR_USERNAME!r} is missing; run `talentloop seed-demo --reset`.")
    resumes = sample_resumes(count=SAMPLE_COUNT, seed=seed)
    existing = Application.objects.filter(job__in=list(jobs.values()))
    with transaction.atomic():
        if reset:
            _delete(existing, stdout)
            _clear_samples(folder)
        elif existing.exists():
            if not all((folder / r.folder / r.file_name).exists() for r in resumes):
                sample_resumes_write(folder=folder, resumes=resumes)
            return {"created": False, "folder": str(folder), "files": len(resumes), **_counts(existing)}
        paths = sample_resumes_write(folder=folder, resumes=resumes)
        rng = random.Random(seed)
        for title, job in jobs.items():
            if job.status != Job.Status.OPEN:
                continue
            mine = [path for resume, path in zip(resumes, paths, strict=True) if resume.job == title]
            for source in dict.fromkeys(_SOURCES):
                picked = [p for i, p in enumerate(mine[:IMPORT_PER_JOB]) if _SOURCES[i % len(_SOURCES)] == source]
                resumes_import(actor=actor, job=job, paths=picked, source=source)
            _advance(actor, job, rng)
        _backdate(existing, rng)
    return {"created": True, "folder": str(folder), "files": len(paths), **_counts(existing)}


def _counts(applications: QuerySet[Application]) -> dict[str, Any]:
    stages = Counter(applications.values_list("stage", flat=True))
    jobs = Counter(applications.values_list("job_id", flat=True))
    return {"applications": sum(stages.values()), "stages": dict(stages), "jobs": dict(jobs)}


def _advance(actor: User, job: Job, rng: random.Random) -> None:
    """Move the job's applications along their plan, one stage at a time, each move with a reason."""
    plan = _PLANS.get(job.title, ())
    applications = sorted(
        Application.objects.filter(job=job).select_related("candidate"),
        key=lambda a: (-(a.screening_score or 0.0), a.pk),
    )
    for application, target in zip(applications, plan, strict=False):
        if target == Stage.REJECTED:
            steps: list[str] = [Stage.SCREENING, Stage.REJECTED]
        else:
            # The demo company runs no background checks; jobs without a written test skip it too.
            steps = [s for s in PIPELINE[1:PIPELINE.index(target) + 1] if s != Stage.BACKGROUND_CHECK
                     and (s != Stage.WRITTEN_TEST or job.title in _WRITTEN_TEST_JOBS)]
        written = rng.randint(70, 95)
        previous: str = Stage.APPLIED
        for stage in steps:
            application_transition(
                actor=actor, application=application, to=stage, send_email=False,
                reason=_reason(stage, previous, application, written, rng),
            )
            previous = stage
        if Stage.WRITTEN_TEST in steps and steps[-1] != Stage.WRITTEN_TEST:
            Application.objects.filter(pk=application.pk).update(written_test_score=written)


def _reason(stage: str, previous: str, application: Application, written: int, rng: random.Random) -> str:
    screening = application.screening or {}
    # The engine words them "Python (required)"; the reason names the skills only.
    matched = "、".join(item.split(" (")[0] for item in screening.get("matched", [])[:3]) or "核心技能"
    missing = "、".join([item.split(" (")[0] for item in screening.get("missing", []) if "(required)" in item][:4])
    if stage == Stage.SCREENING:
        return f"简历匹配度 {application.screening_score or 0:.0f} 分，进入人工初筛。"
    if stage == Stage.AI_INTERVIEW:
        return f"初筛通过（{matched} 等与岗位匹配），邀请参加 AI 面试。"
    if stage == Stage.WRITTEN_TEST:
        return f"AI 面试综合得分 {rng.randint(72, 90)} 分，安排专业笔试。"
    if stage == Stage.INTERVIEW:
        if previous == Stage.WRITTEN_TEST:
            return f"笔试 {written} 分，安排部门负责人面试。"
        return f"AI 面试综合得分 {rng.randint(72, 90)} 分，安排部门负责人面试。"
    if stage == Stage.OFFER:
        return "两轮面试通过，部门负责人推荐录用，准备录用通知。"
    if missing:
        return f"缺少岗位必备技能（{missing}），与要求差距较大，进入人才库。"
    return "综合评估后与岗位要求不符，进入人才库。"


def _backdate(applications: QuerySet[Application], rng: random.Random) -> None:
    """Spread the history over the last few weeks, as a pipeline that has been running a while looks."""
    now = timezone.now()
    for application in applications.order_by("pk"):
        at = now - dt.timedelta(days=rng.randint(8, 24), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        created = at
        for change in StageChange.objects.filter(application=application).order_by("pk"):
            at = min(at + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 6)), now)
            StageChange.objects.filter(pk=change.pk).update(at=at)
        Application.objects.filter(pk=application.pk).update(created_at=created, stage_changed_at=at)
        Candidate.objects.filter(pk=application.candidate_id).update(created_at=created)


def _delete(applications: QuerySet[Application], stdout: Writer | None) -> None:
    """Delete the demo jobs' applications, their resume files, and the candidates left with none."""
    candidates = set(applications.values_list("candidate_id", flat=True))
    files = [name for name in applications.values_list("resume", flat=True) if name]
    count = applications.count()
    applications.delete()
    Candidate.objects.filter(pk__in=candidates, applications__isnull=True).delete()
    transaction.on_commit(lambda: _delete_files(files))
    if count and stdout is not None:
        stdout.write(f"Deleted the recruiting demo: {count} applications.\n")


def _clear_samples(folder: Path) -> None:
    """Remove the resumes an earlier seed wrote (another seed writes other names), only in the job folders."""
    for profile in PROFILES:
        for path in (folder / job_folder_name(profile)).glob("*"):
            if path.is_file() and path.suffix in (".pdf", ".docx", ".txt"):
                path.unlink()


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
