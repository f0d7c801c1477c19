"""Automatic screening: the engine scores each resume against the job's rules; nobody is rejected without a
person. Passing candidates move to the AI interview by themselves only when HR switched auto-advance on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.assessment.resume.skills import find_skills, normalise_skill
from talentloop.assessment.screening import ScreeningCriteria, ScreeningResult, screen
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.org.models import Job

from ..access import require_recruiter
from ..models import Application, Degree, ScreeningRules, Stage
from ..tasks import job_rescreen_task


def screening_rules_for(job: Job) -> ScreeningRules:
    """The job's rules; the first time, skills named in the requirements become required and those only in
    the description preferred, so screening is useful before HR has configured anything."""
    rules = ScreeningRules.objects.filter(job=job).first()
    if rules is not None:
        return rules
    required = find_skills(job.requirements)
    preferred = [s for s in find_skills(job.description) if s not in required]
    rules, _created = ScreeningRules.objects.get_or_create(
        job=job, defaults={"required_skills": required, "preferred_skills": preferred}
    )
    return rules


def criteria_for(job: Job, rules: ScreeningRules) -> ScreeningCriteria:
    return ScreeningCriteria(
        min_degree=int(rules.min_degree),
        min_years=float(rules.min_years),
        required_skills=tuple(rules.required_skills),
        preferred_skills=tuple(rules.preferred_skills),
        locations=tuple(rules.locations),
        job_text=f"{job.title}\n{job.description}\n{job.requirements}",
        pass_score=int(rules.pass_score),
    )


def result_as_json(result: ScreeningResult) -> dict[str, Any]:
    return {
        "score": result.score,
        "passed": result.passed,
        "matched": list(result.matched),
        "missing": list(result.missing),
        "knocked_out_by": list(result.knocked_out_by),
        "subscores": _plain(result.subscores),
        "parameters": _plain(result.parameters),
        "engine": {"name": result.engine, "version": result.engine_version},
    }


def _plain(value: Any) -> Any:
    """Engine results use read-only mappings and tuples; the database stores plain JSON."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def application_screen(*, application: Application, auto_advance: bool = False) -> dict[str, Any]:
    """Score one application and store the result; move it on when the job auto-advances and it passed."""
    from .pipeline import application_transition

    job = application.job
    rules = screening_rules_for(job)
    result = screen(application.parsed or {}, criteria_for(job, rules))
    data = result_as_json(result)
    Application.objects.filter(pk=application.pk).update(
        screening=data, screening_score=result.score, screening_passed=result.passed
    )
    application.screening, application.screening_score, application.screening_passed = data, result.score, result.passed
    if auto_advance and rules.auto_advance and result.passed and application.stage in (Stage.APPLIED, Stage.SCREENING):
        application_transition(
            actor=None, application=application, to=Stage.AI_INTERVIEW,
            reason=_("Passed automatic screening with %(score)s.") % {"score": result.score},
        )
        application.refresh_from_db(fields=["stage", "stage_changed_at"])
    return data


@transaction.atomic
def screening_rules_update(*, actor: User, job: Job, changes: Mapping[str, Any]) -> ScreeningRules:
    """Change a job's rules and re-score its applications (auto-advance applies to new applications only)."""
    require_recruiter(actor)
    rules = screening_rules_for(job)
    errors: dict[str, list[str]] = {}
    for key in ("required_skills", "preferred_skills", "locations"):
        if key in changes:
            values = changes[key]
            if not isinstance(values, list | tuple) or not all(isinstance(v, str) and v.strip() for v in values):
                errors.setdefault(key, []).append(_("Give a list of names."))
                continue
            cleaned = [normalise_skill(v) or v.strip() for v in values] if key != "locations" else [
                v.strip() for v in values
            ]
            setattr(rules, key, list(dict.fromkeys(cleaned)))
    if "min_degree" in changes:
        if changes["min_degree"] not in Degree.values:
            errors.setdefault("min_degree", []).append(_("Unknown degree."))
        else:
            rules.min_degree = changes["min_degree"]
    if "min_years" in changes:
        try:
            years = Decimal(str(changes["min_years"]))
        except InvalidOperation:  # "three", a list...: not a number at all
            years = Decimal("NaN")
        if not years.is_finite() or not Decimal("0") <= years <= Decimal("60"):
            errors.setdefault("min_years", []).append(_("Years are between 0 and 60."))
        else:
            rules.min_years = years
    if "pass_score" in changes:
        if not isinstance(changes["pass_score"], int) or not 0 <= changes["pass_score"] <= 100:
            errors.setdefault("pass_score", []).append(_("The pass score is 0 to 100."))
        else:
            rules.pass_score = changes["pass_score"]
    if "auto_advance" in changes:
        rules.auto_advance = bool(changes["auto_advance"])
    if errors:
        raise ValidationFailed(errors=errors)
    rules.save()
    # Thousands of applications take seconds to re-score: a worker does it once the rules are saved.
    transaction.on_commit(lambda: job_rescreen_task.delay(job.pk))
    return rules


def job_rescreen(*, job: Job, applications: Sequence[Application] | None = None) -> int:
    """Re-score a job's readable resumes with its current rules (no stage changes). Returns how many."""
    rules = screening_rules_for(job)
    criteria = criteria_for(job, rules)
    rows = list(applications) if applications is not None else list(
        Application.objects.filter(job=job, resume_status=Application.ResumeStatus.OK).only("pk", "parsed")
    )
    updates = []
    for application in rows:
        result = screen(application.parsed or {}, criteria)
        application.screening = result_as_json(result)
        application.screening_score, application.screening_passed = result.score, result.passed
        updates.append(application)
    Application.objects.bulk_update(updates, ["screening", "screening_score", "screening_passed"], batch_size=500)
    return len(updates)
