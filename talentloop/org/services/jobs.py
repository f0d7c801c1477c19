from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..models import INTERVIEW_MODALITIES, Competency, Job, JobCompetency
from ._common import Errors, apply_changes

_FIELDS = {
    "title", "department", "level", "description", "requirements", "headcount", "status",
    "interview_modalities", "delivery_in_score", "allow_rerecord",
}
WEIGHT_TOLERANCE = Decimal("0.001")


class ModelLine(TypedDict):
    competency: Competency
    weight: Decimal | float | str
    required_score: int


def _validate_fields(errors: Errors, data: Mapping[str, Any]) -> None:
    if not str(data.get("title", "")).strip():
        errors.add("title", _("A job needs a title."))
    if data.get("department") is None:
        errors.add("department", _("A job belongs to a department."))
    headcount = data.get("headcount", 1)
    if not isinstance(headcount, int) or headcount < 1:
        errors.add("headcount", _("Headcount must be a whole number of at least 1."))
    if data.get("status", Job.Status.DRAFT) not in Job.Status.values:
        errors.add("status", _("Unknown status."))
    modes = data.get("interview_modalities", ["text"])
    if isinstance(modes, str) or not isinstance(modes, Sequence) or not all(isinstance(m, str) for m in modes):
        errors.add("interview_modalities", _("Give the answer modes as a list of: %(choices)s.")
                   % {"choices": ", ".join(INTERVIEW_MODALITIES)})
    else:
        unknown = sorted(set(modes) - set(INTERVIEW_MODALITIES))
        if unknown:
            errors.add("interview_modalities", _("Unknown answer mode %(names)s; choose from %(choices)s.")
                       % {"names": ", ".join(unknown), "choices": ", ".join(INTERVIEW_MODALITIES)})
    for flag in ("delivery_in_score", "allow_rerecord"):
        if not isinstance(data.get(flag, False), bool):
            errors.add(flag, _("Give true or false."))


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    """The answer modes in the canonical order with text always among them (call after validation)."""
    clean = dict(data)
    if "interview_modalities" in clean:
        chosen = set(clean["interview_modalities"]) | {"text"}
        clean["interview_modalities"] = [mode for mode in INTERVIEW_MODALITIES if mode in chosen]
    return clean


def _validate_model(errors: Errors, lines: Sequence[ModelLine]) -> list[tuple[Competency, Decimal, int]]:
    """Weights must be positive and add up to 1; each competency at most once; required scores 0-100."""
    clean: list[tuple[Competency, Decimal, int]] = []
    seen: set[int] = set()
    total = Decimal("0")
    for index, line in enumerate(lines, start=1):
        competency = line["competency"]
        try:
            weight = Decimal(str(line["weight"])).quantize(Decimal("0.001"))
        except (InvalidOperation, ValueError):
            errors.add("competency_model", _("Line %(n)d: the weight is not a number.") % {"n": index})
            continue
        required = line.get("required_score", 70)
        if competency.pk in seen:
            errors.add(
                "competency_model", _("Line %(n)d: %(c)s appears twice.") % {"n": index, "c": competency.display_name}
            )
        seen.add(competency.pk)
        if not Decimal("0") < weight <= Decimal("1"):
            errors.add("competency_model", _("Line %(n)d: a weight is more than 0%% and at most 100%%.") % {"n": index})
        if not isinstance(required, int) or not 0 <= required <= 100:
            errors.add("competency_model", _("Line %(n)d: the required score is 0 to 100.") % {"n": index})
        total += weight
        clean.append((competency, weight, required))
    if lines and abs(total - Decimal("1")) > WEIGHT_TOLERANCE:
        errors.add(
            "competency_model",
            _("The weights must add up to 100%%; they add up to %(total)s%%.") % {"total": f"{total * 100:.1f}"},
        )
    return clean


def _model_snapshot(job: Job) -> str:
    rows = [
        {
            "competency": line.competency.code, "weight": str(line.weight),
            "required_score": line.required_score,
        }
        for line in job.competency_model.select_related("competency")
    ]
    return json.dumps(rows, ensure_ascii=False)


def _replace_model(job: Job, clean: list[tuple[Competency, Decimal, int]]) -> None:
    JobCompetency.objects.filter(job=job).delete()
    JobCompetency.objects.bulk_create(
        JobCompetency(job=job, competency=c, weight=w, required_score=r, position=i)
        for i, (c, w, r) in enumerate(clean)
    )


@transaction.atomic
def job_create(*, actor: User, data: Mapping[str, Any], competency_model: Sequence[ModelLine] = ()) -> Job:
    require_role(actor, HR_AND_RECRUITING)
    errors = Errors()
    _validate_fields(errors, data)
    clean = _validate_model(errors, competency_model)
    errors.raise_if_any()
    job = Job.objects.create(**{k: v for k, v in _normalised(data).items() if k in _FIELDS})
    _replace_model(job, clean)
    audit_record(actor=actor, obj=job, action=AuditEntry.Action.CREATE, changes={
        "competency_model": ("", _model_snapshot(job))
    } if clean else None)
    return job


@transaction.atomic
def job_update(
    *, actor: User, job: Job, changes: Mapping[str, Any], competency_model: Sequence[ModelLine] | None = None
) -> Job:
    """Update fields; when `competency_model` is given it replaces the whole model."""
    require_role(actor, HR_AND_RECRUITING)
    errors = Errors()
    _validate_fields(errors, {f: getattr(job, f) for f in _FIELDS} | dict(changes))
    clean = _validate_model(errors, competency_model) if competency_model is not None else None
    errors.raise_if_any()
    diff = apply_changes(job, _normalised(changes), _FIELDS)
    if diff:
        job.save()
    if clean is not None:
        before = _model_snapshot(job)
        _replace_model(job, clean)
        after = _model_snapshot(job)
        if before != after:
            diff["competency_model"] = (before, after)
    if diff:
        audit_record(actor=actor, obj=job, action=AuditEntry.Action.UPDATE, changes=diff)
    return job
