"""The fairness audit (reads) and the consented attribute record (the one write).

The audit compares groups of candidates by an attribute they gave with separate consent on the careers page
(`CandidateAttribute`: gender, age band) for two outcomes of one job (or every job):

- **Screening decisions**: an application is *decided* when it passed screening or was rejected without
  passing it; it *passed* when it reached a stage beyond screening (AI interview, written test, interviews,
  background check, offer, hired), now or at any earlier time (its stage history). Applications still in
  "applied"/"screening" and those withdrawn without passing are not decided and not counted.
- **AI interview scores**: the overall score of the application's most recent ready interview report.

The arithmetic (rates, impact ratios, four-fifths flag, too-small groups) is the engine's
(talentloop/assessment/insights/fairness.py). Only HR reads the audit: recruiters and managers make the
decisions audited here, and even group counts of a small job could tell them who gave which attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talentloop.assessment.insights import fairness as maths
from talentloop.core.access import HR, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.interviews.models import InterviewReport
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, Stage, StageChange

from .models import CandidateAttribute

# The values the careers form offers, in the order pages list them.
GENDER_VALUES: tuple[tuple[str, Promise], ...] = (
    ("female", _("Female")),
    ("male", _("Male")),
    ("other", _("Another gender")),
)
AGE_BAND_VALUES: tuple[tuple[str, Promise], ...] = (
    ("under_25", _("Under 25")),
    ("25_34", _("25–34")),
    ("35_44", _("35–44")),
    ("45_54", _("45–54")),
    ("55_plus", _("55 or over")),
)
ATTRIBUTE_VALUES: dict[str, tuple[tuple[str, Promise], ...]] = {
    CandidateAttribute.Name.GENDER: GENDER_VALUES,
    CandidateAttribute.Name.AGE_BAND: AGE_BAND_VALUES,
}
PASSED_SCREENING = (
    Stage.AI_INTERVIEW, Stage.WRITTEN_TEST, Stage.INTERVIEW, Stage.BACKGROUND_CHECK, Stage.OFFER, Stage.HIRED,
)

DEFINITIONS: dict[str, Promise] = {
    "selection_rate": _(
        "Selection rate: of the group's screening decisions, the share that passed screening (reached the AI "
        "interview or any later stage). Applications still waiting and those withdrawn before a decision are "
        "not counted."
    ),
    "scoring_rate": _(
        "Scoring rate: the share of the group's AI interview overall scores strictly above the median of all "
        "scores in the audit (unknown included). Each application counts once, with its latest ready report."
    ),
    "impact_ratio": _(
        "Impact ratio: the group's rate divided by the highest rate among the groups large enough to report."
    ),
    "four_fifths": _(
        "Four-fifths flag: an impact ratio below 0.8 (the four-fifths rule of adverse impact). It signals a "
        "difference worth examining; it is not proof of discrimination, and its absence is not proof of fairness."
    ),
    "unknown": _(
        "Unknown: people who did not give this attribute (no consent, or left it blank). They are counted, never "
        "guessed."
    ),
    "too_small": _(
        "Too small: groups with fewer than %(min)d people show their count only, without rates, so that chance "
        "is not read as a pattern and no one can be singled out."
    ),
}


def min_group() -> int:
    return max(int(getattr(settings, "TALENTLOOP_FAIRNESS_MIN_GROUP", 5)), 1)


def definitions() -> dict[str, str]:
    texts = {key: str(text) for key, text in DEFINITIONS.items()}
    texts["too_small"] = texts["too_small"] % {"min": min_group()}
    return texts


def attribute_label(name: str) -> str:
    return str(CandidateAttribute.Name(name).label)


def value_label(name: str, value: str) -> str:
    return next((str(label) for code, label in ATTRIBUTE_VALUES.get(name, ()) if code == value), value)


@dataclass(frozen=True)
class FairnessAudit:
    job: Job | None
    attribute: str
    selection: maths.AuditResult
    scoring: maths.AuditResult
    min_group: int

    @property
    def attribute_label(self) -> str:
        return attribute_label(self.attribute)

    def label(self, value: str) -> str:
        return value_label(self.attribute, value)


def parse_attribute(value: Any) -> str:
    name = str(value or "").strip()
    if name not in CandidateAttribute.Name.values:
        raise ValidationFailed(
            _("Choose an attribute the audit knows: %(names)s.") % {
                "names": ", ".join(CandidateAttribute.Name.values)
            },
            field="attribute",
        )
    return name


def parse_job(value: Any) -> Job | None:
    """A job by id; empty: every job. Unknown or malformed: 400 with a message (a filter, not a resource)."""
    text = str(value or "").strip()
    if not text:
        return None
    job = Job.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
    if job is None:
        raise ValidationFailed(_("There is no job with the id “%(id)s”.") % {"id": text[:20]}, field="job")
    return job


def _attribute_of(attribute: str, candidate_path: str) -> Subquery:
    return Subquery(
        CandidateAttribute.objects.filter(candidate=OuterRef(candidate_path), name=attribute).values("value")[:1]
    )


def screening_decisions(*, job: Job | None, attribute: str) -> list[maths.Decision]:
    applications = Application.objects.all()
    if job is not None:
        applications = applications.filter(job=job)
    rows = applications.annotate(
        group=_attribute_of(attribute, "candidate_id"),
        passed_before=Exists(StageChange.objects.filter(application=OuterRef("pk"), to_stage__in=PASSED_SCREENING)),
    ).values_list("stage", "passed_before", "group")
    decisions = []
    for stage, passed_before, group in rows:
        passed = stage in PASSED_SCREENING or bool(passed_before)
        if passed or stage == Stage.REJECTED:
            decisions.append(maths.Decision(group, passed))
    return decisions


def interview_scores(*, job: Job | None, attribute: str) -> list[maths.Score]:
    reports = InterviewReport.objects.filter(status=InterviewReport.Status.READY, overall_score__isnull=False)
    if job is not None:
        reports = reports.filter(session__application__job=job)
    rows = reports.annotate(group=_attribute_of(attribute, "session__application__candidate_id")).order_by(
        "session__application_id", "-built_at", "-session__round", "-pk"
    ).values_list("session__application_id", "overall_score", "group")
    seen: set[int] = set()
    scores = []
    for application_id, score, group in rows:
        if application_id in seen or score is None:
            continue
        seen.add(application_id)
        scores.append(maths.Score(group, float(score)))
    return scores


def fairness_audit(*, user: User, job: Job | None, attribute: str) -> FairnessAudit:
    """The audit of one attribute for one job (None: every job). HR only."""
    require_role(user, HR)
    attribute = parse_attribute(attribute)
    order = [code for code, _label in ATTRIBUTE_VALUES.get(attribute, ())]
    size = min_group()
    return FairnessAudit(
        job=job, attribute=attribute,
        selection=maths.selection_audit(screening_decisions(job=job, attribute=attribute), min_group=size, order=order),
        scoring=maths.scoring_audit(interview_scores(job=job, attribute=attribute), min_group=size, order=order),
        min_group=size,
    )


@transaction.atomic
def candidate_attributes_record(*, candidate: Candidate, consent: bool, values: dict[str, str]) -> int:
    """Store the attributes a candidate chose to give for the fairness audit; nothing without consent, and
    nothing for values left blank. A value outside the offered ones is refused. Returns how many were stored.
    The candidate is the actor (the public careers form): there is no user to check."""
    if not consent:
        return 0
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if name not in ATTRIBUTE_VALUES:
            raise ValidationFailed(_("Unknown attribute."), field=name)
        if not value:
            continue
        if value not in {code for code, _label in ATTRIBUTE_VALUES[name]}:
            raise ValidationFailed(_("Choose one of the offered answers."), field=name)
        cleaned[name] = value
    now = timezone.now()
    for name, value in cleaned.items():
        CandidateAttribute.objects.update_or_create(
            candidate=candidate, name=name, defaults={"value": value, "consent_at": now}
        )
    return len(cleaned)


def audit_document(audit: FairnessAudit) -> dict[str, Any]:
    """The audit as the API returns it (and the export and page read)."""

    def part(result: maths.AuditResult) -> dict[str, Any]:
        return {
            "n": result.n, "unknown": result.unknown, "reference_rate": result.reference_rate,
            "threshold": result.threshold, "flagged": list(result.flagged),
            "groups": [
                {
                    "value": g.group, "label": audit.label(g.group), "n": g.n, "count": g.hits, "rate": g.rate,
                    "impact_ratio": g.impact_ratio, "four_fifths_flag": g.four_fifths, "too_small": g.too_small,
                    "highest": g.highest,
                }
                for g in result.groups
            ],
        }

    return {
        "job": audit.job.pk if audit.job else None,
        "job_title": audit.job.title if audit.job else None,
        "attribute": audit.attribute,
        "attribute_label": audit.attribute_label,
        "min_group": audit.min_group,
        "four_fifths": maths.FOUR_FIFTHS,
        "method": maths.METHOD,
        "screening": part(audit.selection),
        "ai_interview": part(audit.scoring),
        "definitions": definitions(),
    }
