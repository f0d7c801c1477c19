"""services.pipeline: every transition rule, the record of who moved an application and why, and the stage
email the candidate gets in their own language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core import mail
from django.db import transaction

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.testing.factories import DepartmentFactory, JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, EmailTemplate, Offer, Stage, StageChange
from talentloop.recruiting.services.pipeline import (
    CLOSED,
    OPEN,
    PIPELINE,
    allowed_targets,
    application_transition,
    render_template,
    stage_email_send,
    transition_allowed,
)

pytestmark = pytest.mark.django_db

EVERY_STAGE = [s.value for s in Stage]


def make_application(
    job: Job | None = None, stage: str = Stage.APPLIED, *, name: str = "Liu Yang", email: str = "liu@example.com",
    language: str = "en",
) -> Application:
    candidate = Candidate.objects.create(name=name, email=email, language=language)
    return Application.objects.create(
        candidate=candidate, job=job or cast(Job, JobFactory(title="Backend Engineer")), stage=stage
    )


def accept_offer(application: Application) -> Offer:
    return Offer.objects.create(
        application=application, title="Backend Engineer", salary=Decimal("25000.00"),
        start_date=dt.date(2030, 1, 2), status=Offer.Status.ACCEPTED, token=f"offer-{application.pk}",
    )


def move(actor: Any, application: Application, to: str, reason: str = "", **kwargs: Any) -> StageChange:
    return application_transition(actor=actor, application=application, to=to, reason=reason, **kwargs)


# --- the rules, as a table ---------------------------------------------------------------------------------


def test_the_pipeline_order_and_the_open_and_closed_stages() -> None:
    assert PIPELINE == (
        "applied", "screening", "ai_interview", "written_test", "interview", "background_check", "offer", "hired",
    )
    assert OPEN == ("applied", "screening", "ai_interview", "written_test", "interview", "background_check", "offer")
    assert sorted(CLOSED) == ["hired", "rejected", "withdrawn"]


@pytest.mark.parametrize("current", OPEN)
@pytest.mark.parametrize("target", OPEN)
def test_open_stages_move_forward_skipping_or_back(current: str, target: str) -> None:
    allowed, reason = transition_allowed(current, target)
    if current == target:
        assert (allowed, reason) == (False, "The application is already in this stage.")
    else:
        assert (allowed, reason) == (True, "")


@pytest.mark.parametrize("current", OPEN)
@pytest.mark.parametrize("target", ["rejected", "withdrawn"])
def test_any_open_stage_may_end_in_rejected_or_withdrawn(current: str, target: str) -> None:
    assert transition_allowed(current, target) == (True, "")


@pytest.mark.parametrize(
    ("current", "label"), [("hired", "Hired"), ("rejected", "Rejected"), ("withdrawn", "Withdrawn")]
)
@pytest.mark.parametrize("target", EVERY_STAGE)
def test_nothing_leaves_a_closed_stage(current: str, label: str, target: str) -> None:
    assert transition_allowed(current, target, has_accepted_offer=True, hiring=True) == (
        False, f"The application is closed ({label}); it cannot move any more.",
    )


@pytest.mark.parametrize("current", OPEN)
def test_hired_needs_an_accepted_offer_and_the_hire_action(current: str) -> None:
    assert transition_allowed(current, "hired") == (False, "Only a candidate who accepted an offer can be hired.")
    assert transition_allowed(current, "hired", hiring=True) == (
        False, "Only a candidate who accepted an offer can be hired.",
    )
    assert transition_allowed(current, "hired", has_accepted_offer=True) == (
        False, "Use “Hire” to hire the candidate: it also creates the employee record.",
    )
    assert transition_allowed(current, "hired", has_accepted_offer=True, hiring=True) == (True, "")


def test_an_unknown_stage_is_refused() -> None:
    assert transition_allowed("applied", "promoted") == (False, "“promoted” is not a pipeline stage.")


def test_allowed_targets_follow_the_rules(org: dict[str, Any]) -> None:
    application = make_application(stage=Stage.INTERVIEW)
    everything_but_hired = [s for s in EVERY_STAGE if s not in ("interview", "hired")]
    assert allowed_targets(application) == everything_but_hired
    accept_offer(application)
    assert allowed_targets(application) == [s for s in EVERY_STAGE if s != "interview"]
    application.stage = Stage.REJECTED
    assert allowed_targets(application) == []


# --- the service ------------------------------------------------------------------------------------------


def test_a_move_forward_skipping_stages_is_recorded_with_actor_and_reason(org: dict[str, Any]) -> None:
    recruiter = org["users"]["recruiter"]
    application = make_application()
    change = move(recruiter, application, Stage.INTERVIEW, "Strong resume; no written test for this job.")
    application.refresh_from_db()
    assert application.stage == "interview"
    assert list(StageChange.objects.filter(application=application).values_list(
        "from_stage", "to_stage", "actor", "reason"
    )) == [("applied", "interview", recruiter.pk, "Strong resume; no written test for this job.")]
    assert change.at == StageChange.objects.get().at
    assert application.stage_changed_at >= change.at


def test_moves_back_between_open_stages_and_the_history_keeps_every_step(org: dict[str, Any]) -> None:
    hr, manager = org["users"]["hr"], org["users"]["manager"]
    application = make_application(cast(Job, JobFactory(department=org["departments"]["sales"])))
    move(hr, application, Stage.WRITTEN_TEST, "Skip the AI interview")
    move(manager, application, Stage.SCREENING, "Check the certificates again")
    move(manager, application, Stage.OFFER)
    application.refresh_from_db()
    assert application.stage == "offer"
    assert list(application.stage_changes.values_list("from_stage", "to_stage", "actor", "reason")) == [
        ("applied", "written_test", hr.pk, "Skip the AI interview"),
        ("written_test", "screening", manager.pk, "Check the certificates again"),
        ("screening", "offer", manager.pk, ""),
    ]


@pytest.mark.parametrize("current", OPEN)
@pytest.mark.parametrize("target", ["rejected", "withdrawn"])
def test_reject_or_withdraw_from_any_open_stage(org: dict[str, Any], current: str, target: str) -> None:
    application = make_application(stage=current)
    move(org["users"]["recruiter"], application, target, "Closed")
    application.refresh_from_db()
    assert application.stage == target


@pytest.mark.parametrize(
    ("closed", "label"), [("hired", "Hired"), ("rejected", "Rejected"), ("withdrawn", "Withdrawn")]
)
@pytest.mark.parametrize("target", ["applied", "interview", "offer", "rejected", "withdrawn", "hired"])
def test_nothing_moves_out_of_a_closed_stage(org: dict[str, Any], closed: str, label: str, target: str) -> None:
    application = make_application(stage=closed)
    accept_offer(application)
    with pytest.raises(Conflict) as caught:
        move(org["users"]["hr"], application, target, hiring=True)
    assert str(caught.value.message) == f"The application is closed ({label}); it cannot move any more."
    application.refresh_from_db()
    assert application.stage == closed
    assert StageChange.objects.count() == 0


def test_hired_only_with_an_accepted_offer_and_only_through_hire(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    application = make_application(stage=Stage.OFFER)
    with pytest.raises(Conflict) as no_offer:
        move(hr, application, Stage.HIRED, hiring=True)
    assert str(no_offer.value.message) == "Only a candidate who accepted an offer can be hired."

    Offer.objects.create(
        application=application, title="Backend Engineer", salary=Decimal("25000.00"),
        start_date=dt.date(2030, 1, 2), status=Offer.Status.SENT, token="sent-offer",
    )
    with pytest.raises(Conflict) as only_sent:
        move(hr, application, Stage.HIRED, hiring=True)
    assert str(only_sent.value.message) == "Only a candidate who accepted an offer can be hired."

    accept_offer(application)
    with pytest.raises(Conflict) as plain_move:
        move(hr, application, Stage.HIRED)
    assert str(plain_move.value.message) == "Use “Hire” to hire the candidate: it also creates the employee record."
    assert StageChange.objects.count() == 0

    move(hr, application, Stage.HIRED, "Accepted the offer", hiring=True)
    application.refresh_from_db()
    assert application.stage == "hired"
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "actor")) == [("offer", "hired", hr.pk)]


def test_the_same_stage_is_a_conflict(org: dict[str, Any]) -> None:
    application = make_application(stage=Stage.SCREENING)
    with pytest.raises(Conflict) as caught:
        move(org["users"]["hr"], application, Stage.SCREENING)
    assert str(caught.value.message) == "The application is already in this stage."


def test_a_reason_over_500_characters_is_refused(org: dict[str, Any]) -> None:
    application = make_application()
    with pytest.raises(ValidationFailed) as caught:
        move(org["users"]["hr"], application, Stage.SCREENING, "x" * 501)
    assert caught.value.errors == {"reason": ["Keep the reason under 500 characters."]}
    move(org["users"]["hr"], application, Stage.SCREENING, "x" * 500)
    assert StageChange.objects.get().reason == "x" * 500


def test_the_service_reads_the_current_stage_not_the_callers_copy(org: dict[str, Any]) -> None:
    application = make_application()
    stale = Application.objects.get(pk=application.pk)
    move(org["users"]["hr"], application, Stage.REJECTED)
    with pytest.raises(Conflict):
        move(org["users"]["hr"], stale, Stage.INTERVIEW)


@pytest.mark.parametrize("user_key", ["employee", "outsider", "candidate"])
def test_people_without_recruiting_roles_cannot_move_applications(org: dict[str, Any], user_key: str) -> None:
    application = make_application()
    with pytest.raises(PermissionDenied):
        move(org["users"][user_key], application, Stage.SCREENING)
    assert StageChange.objects.count() == 0


def test_a_manager_moves_only_applications_of_jobs_in_their_department_subtree(org: dict[str, Any]) -> None:
    manager = org["users"]["manager"]
    team = DepartmentFactory(code="SALES-EAST", parent=org["departments"]["sales"])
    below = make_application(cast(Job, JobFactory(department=team)), email="a@example.com")
    move(manager, below, Stage.SCREENING)
    elsewhere = make_application(cast(Job, JobFactory(department=org["departments"]["rd"])), email="b@example.com")
    with pytest.raises(PermissionDenied) as caught:
        move(manager, elsewhere, Stage.SCREENING)
    assert str(caught.value.message) == "You do not have permission to work on this application."


def test_the_system_moves_without_an_actor(org: dict[str, Any]) -> None:
    application = make_application()
    move(None, application, Stage.AI_INTERVIEW, "Passed automatic screening with 80.0.")
    assert list(StageChange.objects.values_list("actor", "reason")) == [
        (None, "Passed automatic screening with 80.0."),
    ]


# --- the stage emails -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "stage", "subject", "greeting"),
    [
        ("en", "ai_interview", "TalentLoop: AI interview for Backend Engineer", "Dear Liu Yang,"),
        ("zh-hans", "ai_interview", "TalentLoop：Backend Engineer 职位 AI 面试邀请", "Liu Yang，您好："),
        ("en", "written_test", "TalentLoop: written test for Backend Engineer", "Dear Liu Yang,"),
        ("zh-hans", "written_test", "TalentLoop：Backend Engineer 职位笔试通知", "Liu Yang，您好："),
        ("en", "interview", "TalentLoop: interview for Backend Engineer", "Dear Liu Yang,"),
        ("zh-hans", "interview", "TalentLoop：Backend Engineer 职位面试邀请", "Liu Yang，您好："),
        ("en", "background_check", "TalentLoop: background check consent", "Dear Liu Yang,"),
        ("zh-hans", "background_check", "TalentLoop：背景调查授权", "Liu Yang，您好："),
        ("en", "offer", "TalentLoop: your offer for Backend Engineer", "Dear Liu Yang,"),
        ("zh-hans", "offer", "TalentLoop：Backend Engineer 职位录用通知", "Liu Yang，您好："),
        ("en", "rejected", "TalentLoop: your application for Backend Engineer", "Dear Liu Yang,"),
        ("zh-hans", "rejected", "TalentLoop：关于您申请的 Backend Engineer 职位", "Liu Yang，您好："),
    ],
)
def test_the_stage_email_goes_out_after_commit_in_the_candidates_language(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
    language: str, stage: str, subject: str, greeting: str,
) -> None:
    application = make_application(language=language)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change = move(org["users"]["recruiter"], application, stage, "Next step")
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["liu@example.com"]
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert "Liu Yang" in message.body
    assert "Backend Engineer" in message.body
    change.refresh_from_db()
    assert change.email_sent is True


@pytest.mark.parametrize("stage", ["screening", "withdrawn"])
def test_stages_without_a_template_send_nothing(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any], stage: str
) -> None:
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        change = move(org["users"]["hr"], application, stage)
    assert mailoutbox == []
    change.refresh_from_db()
    assert change.email_sent is False


def test_no_email_without_an_address_an_active_template_or_when_asked_not_to(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    hr = org["users"]["hr"]
    no_address = make_application(email="")
    quiet = make_application(email="quiet@example.com")
    switched_off = make_application(email="off@example.com")
    EmailTemplate.objects.filter(stage=Stage.OFFER).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        move(hr, no_address, Stage.INTERVIEW)
        move(hr, quiet, Stage.INTERVIEW, send_email=False)
        move(hr, switched_off, Stage.OFFER)
    assert mailoutbox == []
    assert list(StageChange.objects.order_by("id").values_list("email_sent", flat=True)) == [False, False, False]


def test_an_unknown_candidate_language_falls_back_to_the_site_language(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    application = make_application(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        move(org["users"]["hr"], application, Stage.INTERVIEW)
    assert [m.subject for m in mailoutbox] == ["TalentLoop：Backend Engineer 职位面试邀请"]


def test_a_rolled_back_move_sends_nothing(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                move(org["users"]["hr"], application, Stage.INTERVIEW)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []
    application.refresh_from_db()
    assert application.stage == "applied"
    assert StageChange.objects.count() == 0


def test_sending_is_idempotent(org: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        change = move(org["users"]["hr"], application, Stage.INTERVIEW)
    assert len(mail.outbox) == 1
    assert stage_email_send(change_id=change.pk) is True
    assert len(mail.outbox) == 1


def test_hr_edited_templates_are_used_and_typos_stay_visible(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    EmailTemplate.objects.filter(stage=Stage.INTERVIEW, language="en").update(
        subject="{company} interview: {job}", body="Hi {candidate}, {stage} because {reason}. {typo} {"
    )
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        move(org["users"]["hr"], application, Stage.INTERVIEW, "great test")
    assert mailoutbox[0].subject == "TalentLoop interview: Backend Engineer"
    # A lone brace makes the template unformattable: it is sent as written rather than failing the move.
    assert mailoutbox[0].body == "Hi {candidate}, {stage} because {reason}. {typo} {"
    assert render_template("Hi {candidate}, {typo}", {"candidate": "Liu Yang"}) == "Hi Liu Yang, {typo}"
