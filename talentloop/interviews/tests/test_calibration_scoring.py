"""Calibrating the scorer on HR's ratings: the service re-scores every rated answer uncalibrated, fits the line,
versions the result (one active calibration), and refuses too few ratings; the `calibrate-scoring` command
prints the fit and saves it (or not, with --dry-run)."""

from __future__ import annotations

import io
import secrets
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from talentloop.assessment.answers import ENGINE, ENGINE_VERSION, Answer, TextAnswerScorer
from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.interviews.models import (
    InterviewAnswer,
    InterviewQuestion,
    InterviewSession,
    ScoringCalibration,
    SessionQuestion,
)
from talentloop.interviews.services.calibration import (
    active_calibration,
    calibration_fit,
    engine_question,
    rated_answers,
)
from talentloop.interviews.tests._reports_support import make_application, make_job

pytestmark = pytest.mark.django_db

# Answers to "communication-en-1" from poor to strong: their raw scores spread over the scale.
SENTENCES = [
    "Last quarter I reported on our onboarding of twenty new clients to my manager.",
    "I opened with the headline: fifteen were live and the rest were three days behind.",
    "Then I gave the reason, two clients changed their interfaces, with the data for each.",
    "When she asked about the riskiest client I answered the follow-up questions with the call notes.",
    "As a result she approved one more engineer and we finished on the new date.",
]
TEXTS = [
    "I do not remember.",
    "I told my manager things were fine.",
    "I usually send an email about my work.",
    *[" ".join(SENTENCES[:n]) for n in range(1, 6)],
    " ".join(SENTENCES[1:4]),
    " ".join(SENTENCES[2:]),
    " ".join(SENTENCES[::2]),
    "My manager asked for an update and I gave it. It went well.",
]


def raw_score(question: SessionQuestion, text: str) -> float:
    return TextAnswerScorer(slope=1.0, intercept=0.0).score(engine_question(question, "en"), Answer(text)).score


def rate_answers(org: dict[str, Any], rating: Any) -> list[tuple[float, int]]:
    """One interview per text (the same question), each answer rated by `rating(raw)`; returns (raw, rating)."""
    application = make_application(make_job(org["departments"]["sales"]), name="Emily", email="e@example.com",
                                    language="en")
    bank = InterviewQuestion.objects.select_related("competency").get(code="communication-en-1")
    pairs = []
    for round_number, text in enumerate(TEXTS, 1):
        session = InterviewSession.objects.create(
            application=application, round=round_number, token=secrets.token_urlsafe(16), language="en",
            status="completed", expires_at=timezone.now(),
        )
        question = SessionQuestion.objects.create(
            session=session, question=bank, competency=bank.competency, position=1, text=bank.text, type=bank.type,
            difficulty=bank.difficulty, time_limit_seconds=bank.time_limit_seconds, key_points=bank.key_points,
            reference_answer=bank.reference_answer, levels=bank.levels,
        )
        raw = raw_score(question, text)
        value = int(rating(raw))
        InterviewAnswer.objects.create(session_question=question, status="scored", text=text,
                                       submitted_at=timezone.now(), score=raw, hr_rating=value)
        pairs.append((raw, value))
    return pairs


def test_the_rated_answers_are_rescored_uncalibrated(org: dict[str, Any]) -> None:
    pairs = rate_answers(org, lambda raw: round(raw))
    InterviewAnswer.objects.update(score=1.0)  # the stored (calibrated) score plays no part
    rows = rated_answers()
    assert [(r.raw, r.rating) for r in rows] == [(raw, float(value)) for raw, value in pairs]
    assert len({r.raw for r in rows}) >= 8


def test_a_known_relation_gives_a_known_line(org: dict[str, Any]) -> None:
    pairs = rate_answers(org, lambda raw: round(0.5 * raw + 20))
    raw = np.array([p[0] for p in pairs])
    ratings = np.array([p[1] for p in pairs], dtype=float)
    slope, intercept = np.polyfit(raw, ratings, 1)
    calibration = calibration_fit(actor=org["users"]["hr"])
    assert calibration.pk is not None
    assert (calibration.version, calibration.is_active, calibration.n_ratings) == (1, True, len(TEXTS))
    assert calibration.parameters["slope"] == pytest.approx(slope, abs=1e-6)
    assert calibration.parameters["intercept"] == pytest.approx(intercept, abs=1e-5)
    assert calibration.parameters["slope"] == pytest.approx(0.5, abs=0.02)
    assert calibration.parameters["intercept"] == pytest.approx(20, abs=1.0)
    assert calibration.pearson_r == pytest.approx(1.0, abs=0.01)
    assert calibration.qwk is not None
    assert calibration.qwk > 0.9
    assert (calibration.engine, calibration.engine_version, calibration.method, calibration.created_by) == (
        ENGINE, ENGINE_VERSION, "linear", org["users"]["hr"]
    )


def test_a_new_fit_is_the_next_version_and_the_only_active_one(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: round(0.8 * raw + 5))
    first = calibration_fit()
    second = calibration_fit()
    assert (first.version, second.version) == (1, 2)
    assert list(ScoringCalibration.objects.order_by("version").values_list("version", "is_active")) == [
        (1, False), (2, True)
    ]
    assert active_calibration() == second


def test_too_few_ratings_are_refused(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: round(raw))
    InterviewAnswer.objects.filter(pk__in=list(InterviewAnswer.objects.values_list("pk", flat=True)[:3])).update(
        hr_rating=None
    )
    with pytest.raises(ValidationFailed) as caught:
        calibration_fit()
    assert str(caught.value.message) == (
        "A calibration needs at least 10 rated answers; there are 9. Rate more answers in the interview reports first."
    )
    assert ScoringCalibration.objects.count() == 0


def test_equal_ratings_cannot_be_fitted(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: 50)
    with pytest.raises(ValidationFailed, match="The ratings cannot be fitted: all 12 ratings are the same"):
        calibration_fit()


def test_only_hr_admins_fit_from_the_app(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: round(raw))
    with pytest.raises(PermissionDenied):
        calibration_fit(actor=org["users"]["recruiter"])


def test_the_command_prints_the_fit_and_saves_it(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: round(0.5 * raw + 20))
    out = io.StringIO()
    call_command("calibrate_scoring", "--dry-run", stdout=out)
    assert ScoringCalibration.objects.count() == 0
    dry = out.getvalue().splitlines()
    assert dry[0] == f"Rated answers: {len(TEXTS)}"
    assert dry[-1] == "Dry run: nothing saved (it would be version 1)."
    out = io.StringIO()
    call_command("calibrate_scoring", stdout=out)
    saved = ScoringCalibration.objects.get()
    lines = out.getvalue().splitlines()
    assert lines == [
        f"Rated answers: {len(TEXTS)}",
        f"Slope: {saved.parameters['slope']:.4f}",
        f"Intercept: {saved.parameters['intercept']:.4f}",
        f"Cross-validated Pearson r: {saved.pearson_r:.3f}",
        f"Cross-validated QWK: {saved.qwk:.3f}",
        f"Engine: {ENGINE} {ENGINE_VERSION}",
        "Saved as calibration version 1 (active).",
    ]
    assert dry[1:5] == lines[1:5]


def test_the_command_refuses_too_few_ratings(org: dict[str, Any]) -> None:
    rate_answers(org, lambda raw: round(raw))
    with pytest.raises(CommandError, match="needs at least 20 rated answers; there are 12") as caught:
        call_command("calibrate_scoring", "--min-ratings", "20", stdout=io.StringIO())
    assert caught.value.returncode == 1
