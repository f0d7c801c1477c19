"""The interview demo: every demo application past the AI-interview stage has a scored, ready report (strong
answers above weak ones), those at the stage have a working invitation, and a second run changes nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from talentloop.interviews.demo import interviews_demo_seed
from talentloop.interviews.models import InterviewReport, InterviewSession
from talentloop.org.demo import demo_seed
from talentloop.recruiting.demo import recruiting_demo_seed
from talentloop.recruiting.models import Stage

# The seed runs service after service, each relying on the previous one's after-commit scoring: real commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def recruiting(transactional_db: Any, tmp_path: Path) -> None:
    demo_seed(employees=30, seed=42, reset=False, stdout=io.StringIO())
    recruiting_demo_seed(seed=42, folder=tmp_path)


def test_demo_interviews_are_scored_and_invited(recruiting: None) -> None:
    result = interviews_demo_seed(seed=7)

    assert {key: result[key] for key in ("created", "completed", "invited")} == {
        "created": True, "completed": 8, "invited": 5,
    }
    completed = InterviewSession.objects.filter(status=InterviewSession.Status.COMPLETED)
    assert sorted(completed.values_list("application__stage", flat=True)) == sorted(
        [Stage.WRITTEN_TEST] * 3 + [Stage.INTERVIEW] * 3 + [Stage.OFFER] * 2
    )
    reports = InterviewReport.objects.filter(session__in=completed)
    assert reports.count() == 8
    assert set(reports.values_list("status", flat=True)) == {InterviewReport.Status.READY}
    assert all(report.overall_score is not None and 0 <= report.overall_score <= 100 for report in reports)
    assert all(report.competencies for report in reports)
    assert reports.exclude(feedback_released_at=None).count() == 1
    invited = InterviewSession.objects.filter(status=InterviewSession.Status.INVITED)
    assert sorted(invited.values_list("application__stage", flat=True)) == [Stage.AI_INTERVIEW] * 5
    assert all(session.questions.count() >= 8 for session in invited)


def test_strong_demo_answers_score_above_weak_ones(recruiting: None) -> None:
    interviews_demo_seed(seed=7)

    stored = InterviewReport.objects.values_list("overall_score", flat=True)
    scores = sorted(score for score in stored if score is not None)
    # The weak demo answers are one vague sentence; the strong ones are the bank's reference answers.
    assert scores[0] < 30
    assert scores[-1] > 60


def test_a_second_run_changes_nothing_and_reset_reloads(recruiting: None) -> None:
    interviews_demo_seed(seed=7)
    first = list(InterviewSession.objects.order_by("pk").values_list("pk", flat=True))

    again = interviews_demo_seed(seed=7)

    assert again == {"created": False, "completed": 8, "invited": 5}
    assert list(InterviewSession.objects.order_by("pk").values_list("pk", flat=True)) == first
    out = io.StringIO()
    call_command("seed_demo_interviews", "--reset", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Interviewed 8 demo candidates (reports ready) and invited 5 more to an AI interview."
    assert lines[1].startswith("Answer by voice or video (English, open it in the browser): http")
    assert "is run by the demo vendor Acme Interviews" in lines[2]
    assert lines[3].strip().startswith("curl -X POST ")
    assert InterviewSession.objects.count() == 14  # 8 completed, 5 invited, 1 by the vendor
    assert not InterviewSession.objects.filter(pk__in=first).exists()


def test_without_the_recruiting_demo_the_command_says_what_to_run(transactional_db: Any) -> None:
    demo_seed(employees=30, seed=42, reset=False, stdout=io.StringIO())

    with pytest.raises(CommandError, match="run `talentloop seed-demo-recruiting` first"):
        call_command("seed_demo_interviews", stdout=io.StringIO())


def test_the_demo_offers_voice_and_video_and_a_vendor_report_ready_to_post(recruiting: None) -> None:
    result = interviews_demo_seed(seed=7)

    token = result["voice_link"].rstrip("/").rsplit("/", 1)[-1]
    voice = InterviewSession.objects.get(token=token)
    assert (voice.language, voice.modalities) == ("en", ["text", "audio", "video"])
    assert voice.application.candidate.name == "Alex Morgan"
    vendor = InterviewSession.objects.get(pk=result["vendor_interview"])
    assert vendor.provider is not None
    assert vendor.provider.slug == "acme-interviews"
    # The printed command: its signature header and the report file it posts.
    command = result["vendor_command"]
    signature = re.search(r"X-Signature-256: (sha256=[0-9a-f]{64})", command).group(1)  # type: ignore[union-attr]
    body = Path(command.rsplit("@", 1)[1]).read_bytes()
    response = Client().post("/api/v1/providers/acme-interviews/webhook/", data=body,
                             content_type="application/json", HTTP_X_SIGNATURE_256=signature)
    assert (response.status_code, response.json()["status"]) == (200, "applied")
    report = InterviewReport.objects.get(session=vendor)
    assert (report.status, report.source) == (InterviewReport.Status.READY, "provider")
    measured = [row["score"] for row in report.competencies if row.get("measured", True)]
    assert measured == [90.0, 80.0, 70.0, 80.0]
