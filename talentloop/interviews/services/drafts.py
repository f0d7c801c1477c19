"""Question drafts from a generative language model: HR asks for drafts for a competency (and a job), then
edits, approves or rejects each one. Nothing a model wrote is asked in an interview before HR approves it.

A draft is an InterviewQuestion with the code "gen-<n>", source "generated", `is_active` False and
`review_status` "pending": the generator and HR's own picks only take active questions, so a draft cannot be
used early. Approving makes it active and "approved" (an ordinary bank question from then on); rejecting keeps
the row ("rejected", inactive) so the audit log and the drafting history stay whole.

The backend is any OpenAI-compatible chat API named by the settings TALENTLOOP_LLM_BASE_URL, TALENTLOOP_LLM_MODEL,
TALENTLOOP_LLM_API_KEY (optional) and TALENTLOOP_LLM_TIMEOUT_SECONDS. Without them interviews use the built-in
generator over the shipped bank and HR's questions, and asking for drafts is refused with a 409 that says so.
A vendor failure is a 502 (504 for a timeout) with the reason, and nothing is saved.

The few reads the drafts page and API need live here too (the pending list and one draft), beside the writes
they go with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from talentloop.assessment.interview.llm import (
    MAX_COUNT,
    CompetencyBrief,
    DraftKeyPoint,
    DraftRequest,
    JobBrief,
    LLMConfig,
    LLMError,
    LLMHTTPError,
    LLMNotConfigured,
    LLMTimeout,
    SelfCheck,
    draft_questions,
    self_check,
)
from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency, Job
from talentloop.recruiting.access import jobs_in_reach

from ..models import InterviewQuestion, QuestionLanguage, QuestionReview, QuestionSource
from .generation import level_rank
from .questions import question_clean, question_update

_GENERATED = re.compile(r"^gen-(\d{1,9})$")
AVOID_RECENT = 20


class GeneratorUnavailable(Conflict):
    """No generative backend is configured (or its settings are unusable): 409, the built-in generator is used."""


class GeneratorFailed(DomainError):
    """The backend was asked and failed: it answered an error, not JSON, or drafts that break the rules."""

    status_code = 502


class GeneratorTimedOut(GeneratorFailed):
    status_code = 504


@dataclass(frozen=True)
class GeneratorStatus:
    configured: bool
    model: str
    host: str  # where requests go (no credentials)
    timeout_seconds: float
    missing: tuple[str, ...]  # the settings still to set
    problem: str  # English, for the operator: why the settings cannot be used ("" when they can)


def llm_config() -> LLMConfig:
    return LLMConfig(
        base_url=str(getattr(settings, "TALENTLOOP_LLM_BASE_URL", "") or ""),
        model=str(getattr(settings, "TALENTLOOP_LLM_MODEL", "") or ""),
        api_key=str(getattr(settings, "TALENTLOOP_LLM_API_KEY", "") or ""),
        timeout_seconds=float(getattr(settings, "TALENTLOOP_LLM_TIMEOUT_SECONDS", 60) or 60),
    )


def generator_status() -> GeneratorStatus:
    """Whether a generative backend is configured, and which (model and host; never the key)."""
    config = llm_config()
    missing = tuple(
        name for name, value in (("TALENTLOOP_LLM_BASE_URL", config.base_url), ("TALENTLOOP_LLM_MODEL", config.model))
        if not value.strip()
    )
    problem = ""
    try:
        config.check()
    except LLMNotConfigured as exc:
        problem = exc.detail
    return GeneratorStatus(
        configured=not problem, model=config.model.strip(), host=config.host, timeout_seconds=config.timeout_seconds,
        missing=missing, problem=problem,
    )


def _require_backend() -> LLMConfig:
    status = generator_status()
    if status.missing:
        raise GeneratorUnavailable(
            _("No generative backend is configured (%(settings)s); the built-in question generator is used.")
            % {"settings": ", ".join(status.missing)}
        )
    if status.problem:
        raise GeneratorUnavailable(
            _("The generative backend's settings cannot be used (%(problem)s); the built-in question generator is "
              "used.") % {"problem": status.problem}
        )
    return llm_config()


# --- input --------------------------------------------------------------------------------------------------


def _competency(value: Any, errors: dict[str, list[str]]) -> Competency | None:
    competency = value if isinstance(value, Competency) else None
    if competency is None:
        code = str(value or "").strip()
        if not code:
            errors["competency"] = [_("Choose the competency the questions measure.")]
            return None
        competency = Competency.objects.filter(code=code).first()
        if competency is None:
            errors["competency"] = [_("There is no competency with the code “%(code)s”.") % {"code": code}]
            return None
    if not competency.is_active:
        message = _("The competency “%(name)s” is no longer in use; choose an active one.")
        errors["competency"] = [message % {"name": competency.display_name}]
        return None
    return competency


def _job(actor: User, value: Any, errors: dict[str, list[str]]) -> Job | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Job) else value
    if isinstance(pk, bool) or not isinstance(pk, int | str) or not str(pk).strip().isdigit():
        errors["job"] = [_("Give the job by its numeric id.")]
        return None
    job = jobs_in_reach(actor).select_related("level").filter(pk=int(pk)).first()
    if job is None:
        errors["job"] = [_("There is no job with the id %(id)s.") % {"id": pk}]
    return job


def _count(value: Any, errors: dict[str, list[str]]) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    if number is None or not 1 <= number <= MAX_COUNT:
        errors["count"] = [_("Ask for 1 to %(max)d questions at a time.") % {"max": MAX_COUNT}]
        return 0
    return number


def _brief(competency: Competency, language: str) -> CompetencyBrief:
    english = language == "en"
    name = (competency.name_en or competency.name) if english else competency.name
    definition = (competency.definition_en or competency.definition) if english else competency.definition
    key = "en" if english else "zh"
    indicators = sorted(
        (item for item in competency.indicators or [] if isinstance(item, Mapping)),
        key=lambda item: int(item.get("level") or 0) if str(item.get("level") or 0).isdigit() else 0,
    )
    texts = tuple(str(item.get(key) or item.get("zh") or item.get("en") or "").strip() for item in indicators)
    return CompetencyBrief(code=competency.code, name=name, definition=definition,
                           indicators=tuple(filter(None, texts)))


def _job_brief(job: Job, language: str) -> JobBrief:
    level = ""
    if job.level is not None:
        level = (job.level.name_en or job.level.name) if language == "en" else job.level.name
    return JobBrief(title=job.title, level=level, description=job.description or "")


def _avoid(competency: Competency, language: str) -> tuple[str, ...]:
    """The newest questions of the competency in the language (not rejected drafts): the model must not repeat
    them, and fewer than all keeps the prompt short."""
    rows = (
        InterviewQuestion.objects.filter(competency=competency, language=language)
        .exclude(review_status=QuestionReview.REJECTED)
        .order_by("-created_at", "-pk")
        .values_list("text", flat=True)[:AVOID_RECENT]
    )
    return tuple(rows)


def _failure(exc: LLMError) -> DomainError:
    if isinstance(exc, LLMNotConfigured):
        return GeneratorUnavailable(
            _("The generative backend's settings cannot be used (%(problem)s); the built-in question generator is "
              "used.") % {"problem": exc.detail}
        )
    if isinstance(exc, LLMTimeout):
        return GeneratorTimedOut(
            _("The language model did not answer in time (%(detail)s). Nothing was saved; ask for fewer questions "
              "or raise TALENTLOOP_LLM_TIMEOUT_SECONDS.") % {"detail": exc.detail}
        )
    if isinstance(exc, LLMHTTPError):
        return GeneratorFailed(
            _("The language model service returned an error (HTTP %(status)d). Nothing was saved. Details: "
              "%(detail)s") % {"status": exc.status, "detail": exc.detail}
        )
    return GeneratorFailed(_("The drafts could not be made: %(detail)s. Nothing was saved.") % {"detail": exc.detail})


# --- writes -------------------------------------------------------------------------------------------------


def _next_number() -> int:
    numbers = [
        int(match.group(1))
        for code in InterviewQuestion.objects.filter(code__startswith="gen-").values_list("code", flat=True)
        if (match := _GENERATED.match(code))
    ]
    return max(numbers, default=0) + 1


def question_drafts_generate(
    *, actor: User, competency: Competency | str, job: Job | int | str | None = None, language: str, count: int,
) -> list[InterviewQuestion]:
    """Ask the configured model for `count` drafts and save them as pending, inactive "gen-<n>" questions (HR and
    recruiters). Every problem with the input is reported at once; a failed or unusable reply saves nothing."""
    require_role(actor, HR_AND_RECRUITING)
    errors: dict[str, list[str]] = {}
    chosen = _competency(competency, errors)
    chosen_job = _job(actor, job, errors)
    if language not in QuestionLanguage.values:
        errors["language"] = [_("Choose the language: zh-hans (Chinese) or en (English).")]
    number = _count(count, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    assert chosen is not None
    config = _require_backend()
    rank = level_rank(chosen_job) if chosen_job is not None else 0
    request = DraftRequest(
        competency=_brief(chosen, language), language=language, count=number,
        job=_job_brief(chosen_job, language) if chosen_job is not None else None, difficulty=rank or 2,
        avoid=_avoid(chosen, language),
    )
    # The model is asked outside any transaction: a slow vendor must not hold database locks.
    try:
        batch = draft_questions(request, config)
    except LLMError as exc:
        raise _failure(exc) from exc
    rows = []
    for index, draft in enumerate(batch.drafts, 1):
        data = {**draft.to_dict(), "competency": chosen}
        try:
            rows.append(question_clean(data))
        except ValidationFailed as exc:  # the engine's checks mirror the bank's; this is the last guard
            problems = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in exc.errors.items())
            raise GeneratorFailed(
                _("The drafts could not be made: question %(n)d breaks the bank's rules (%(problems)s). Nothing was "
                  "saved.") % {"n": index, "problems": problems}
            ) from exc
    generated_by = f"{batch.model} @ {batch.host}"
    # Two people drafting at once may pick the same numbers: the unique code makes one of them try again.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                start = _next_number()
                created = []
                for offset, fields in enumerate(rows):
                    question = InterviewQuestion.objects.create(
                        code=f"gen-{start + offset}", source=QuestionSource.GENERATED, is_active=False,
                        review_status=QuestionReview.PENDING, created_by=actor, **fields,
                    )
                    audit_record(actor=actor, obj=question, action=AuditEntry.Action.CREATE, changes={
                        "review_status": (None, QuestionReview.PENDING), "generated_by": (None, generated_by),
                    })
                    created.append(question)
                return created
        except IntegrityError:
            continue
    raise Conflict(_("The drafts could not be given codes; ask for them again."))


def _locked(question: InterviewQuestion) -> InterviewQuestion:
    locked = (
        InterviewQuestion.objects.select_for_update().select_related("competency")
        .filter(pk=question.pk, source=QuestionSource.GENERATED).first()
    )
    if locked is None:
        raise NotFound(_("No such question draft."))
    return locked


@transaction.atomic
def question_draft_approve(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    """Put a draft (pending, or rejected earlier) into use as an ordinary bank question. Approving an approved
    draft changes nothing."""
    require_role(actor, HR_AND_RECRUITING)
    question = _locked(question)
    if question.review_status == QuestionReview.APPROVED:
        return question
    if not question.competency.is_active:
        raise Conflict(
            _("The competency “%(name)s” is no longer in use, so its drafts cannot be approved.")
            % {"name": question.competency.display_name}
        )
    # A last check of the whole question, as HR may have edited it: approved questions keep the bank's rules.
    question_clean({name: getattr(question, name) for name in (
        "competency", "language", "type", "difficulty", "time_limit_seconds", "text", "key_points",
        "reference_answer", "levels",
    )})
    old = question.review_status
    question.review_status, question.is_active, question.retired_at = QuestionReview.APPROVED, True, None
    question.save(update_fields=["review_status", "is_active", "retired_at", "updated_at"])
    audit_record(actor=actor, obj=question, action=AuditEntry.Action.UPDATE, changes={
        "review_status": (old, QuestionReview.APPROVED), "is_active": (False, True),
    })
    return question


@transaction.atomic
def question_draft_reject(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    """Turn a pending draft down: it stays (inactive, "rejected") for the record. Rejecting twice changes
    nothing; an approved question is retired from the bank instead."""
    require_role(actor, HR_AND_RECRUITING)
    question = _locked(question)
    if question.review_status == QuestionReview.REJECTED:
        return question
    if question.review_status == QuestionReview.APPROVED:
        raise Conflict(
            _("Question %(code)s is already approved and in use; retire it in the question bank instead.")
            % {"code": question.code}
        )
    question.review_status, question.is_active = QuestionReview.REJECTED, False
    question.save(update_fields=["review_status", "is_active", "updated_at"])
    audit_record(actor=actor, obj=question, action=AuditEntry.Action.UPDATE, changes={
        "review_status": (QuestionReview.PENDING, QuestionReview.REJECTED),
    })
    return question


@transaction.atomic
def question_draft_edit(*, actor: User, question: InterviewQuestion, changes: Mapping[str, Any]) -> InterviewQuestion:
    """Change a draft before approving it: the bank's rules and audit (services.questions.question_update). An
    approved draft is an ordinary question and is edited in the bank."""
    require_role(actor, HR_AND_RECRUITING)
    question = _locked(question)
    if question.review_status == QuestionReview.APPROVED:
        raise Conflict(
            _("Question %(code)s is already approved; edit it in the question bank.") % {"code": question.code}
        )
    return question_update(actor=actor, question=question, changes=changes)


# --- reads --------------------------------------------------------------------------------------------------


def question_drafts_pending(*, user: User) -> QuerySet[InterviewQuestion]:
    """The drafts waiting for HR, newest first (HR and recruiters)."""
    require_role(user, HR_AND_RECRUITING)
    return (
        InterviewQuestion.objects.filter(source=QuestionSource.GENERATED, review_status=QuestionReview.PENDING)
        .select_related("competency", "created_by").order_by("-created_at", "-pk")
    )


def question_draft_get(*, user: User, pk: int) -> InterviewQuestion:
    """One generated question, whatever its review status (HR and recruiters)."""
    require_role(user, HR_AND_RECRUITING)
    question = (
        InterviewQuestion.objects.filter(source=QuestionSource.GENERATED, pk=pk)
        .select_related("competency", "created_by").first()
    )
    if question is None:
        raise NotFound(_("No such question draft."))
    return question


def draft_self_check(question: InterviewQuestion) -> SelfCheck:
    """The draft's reference answer scored against its own key points by the candidates' scorer (computed from
    the row as it is now, so an edit shows its effect at once)."""
    points = [
        DraftKeyPoint(point=str(item.get("point", "")), synonyms=tuple(str(s) for s in item.get("synonyms") or []))
        for item in question.key_points or [] if isinstance(item, Mapping)
    ]
    return self_check(
        text=question.text, language=question.language, competency=question.competency.code, type=question.type,
        key_points=points, reference_answer=question.reference_answer or "",
        time_limit_seconds=question.time_limit_seconds,
    )
