"""What a competency review is computed from, per competency of the employee's job model: the 360° aggregate,
the KPI and OKR evidence and, for reference, the interview score (reads only; the arithmetic is
talentloop.assessment.review).

* 360°: the mean score of the submitted answers that are not the employee's own (self), about this
  competency, in the cycle's feedback request about the employee, leaving out peer and report groups smaller
  than TALENTLOOP_FEEDBACK_MIN_GROUP (as the 360° results do). Only that one mean and how many answers it
  has leave this module, never who answered or a group's own mean.
* Results: the KPI targets of the employee in the cycle whose KPI is linked to the competency (weighted by
  the target's weight, only those with an actual value), and the key results of the employee's personal
  objectives in the cycle whose `source.competency` (drafted from the interview) is the competency. Key
  results of objectives still in draft (not yet approved by the manager) do not count.

Five queries whatever the number of competencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language

from talentloop.assessment import feedback as feedback_maths
from talentloop.assessment import kpi as kpi_maths
from talentloop.assessment import review as review_maths
from talentloop.org.models import Competency, Employee, JobCompetency

from .drafting import latest_interview_report
from .feedback_selectors import feedback_min_group
from .models import FeedbackAnswer, FeedbackInvitation, KeyResult, KpiTarget, Objective, PerformanceCycle


@dataclass(frozen=True)
class ModelLine:
    """One competency of the job's competency model (weight: its share of the overall score)."""

    competency: Competency
    weight: Decimal
    required_score: int | None


@dataclass(frozen=True)
class KpiEvidence:
    target: KpiTarget
    score: float | None  # None while the actual value is not known

    @property
    def name(self) -> str:
        kpi = self.target.kpi
        return kpi.name_en if kpi.name_en and (get_language() or "").startswith("en") else kpi.name


@dataclass(frozen=True)
class KeyResultEvidence:
    key_result: KeyResult
    score: float


@dataclass
class CompetencyEvidence:
    line: ModelLine
    feedback: float | None = None
    feedback_count: int = 0
    kpis: list[KpiEvidence] = field(default_factory=list)
    key_results: list[KeyResultEvidence] = field(default_factory=list)
    interview_score: float | None = None

    @property
    def competency(self) -> Competency:
        return self.line.competency

    @property
    def results(self) -> float | None:
        return review_maths.results_score(
            kpi=[(item.target.weight, item.score) for item in self.kpis],
            okr=[(item.key_result.weight, item.score) for item in self.key_results],
        )


def model_lines(employee: Employee) -> list[ModelLine]:
    """The competency model of the employee's job, in the model's order; empty without a job or model."""
    if employee.job_id is None:
        return []
    rows = JobCompetency.objects.filter(job_id=employee.job_id).select_related("competency").order_by("position", "id")
    return [ModelLine(competency=row.competency, weight=row.weight, required_score=row.required_score) for row in rows]


def kpi_target_score(target: KpiTarget) -> float | None:
    """The target's score on the KPI's scale with the employee's own target value; None without an actual, or
    when the employee's target does not fit the library's floor and threshold (the KPI pages flag that)."""
    if target.actual_value is None:
        return None
    kpi = target.kpi
    try:
        return kpi_maths.kpi_score(
            actual=target.actual_value, floor=kpi.floor_value, threshold=kpi.threshold_value,
            target=target.target_value, direction=kpi.direction,  # type: ignore[arg-type]  # a Direction choice
        )
    except ValueError:
        return None


def _interview_scores(employee: Employee) -> dict[str, float]:
    report = latest_interview_report(employee)
    if report is None:
        return {}
    return {
        str(item["code"]): float(item["score"])
        for item in report.competencies
        if isinstance(item, dict) and "code" in item and isinstance(item.get("score"), int | float)
    }


def review_evidence(
    *, employee: Employee, cycle: PerformanceCycle, lines: Sequence[ModelLine] | None = None,
) -> dict[int, CompetencyEvidence]:
    """Evidence per competency id, for the given model lines (by default the employee's job model)."""
    lines = model_lines(employee) if lines is None else list(lines)
    evidence = {line.competency.pk: CompetencyEvidence(line=line) for line in lines}
    if not evidence:
        return evidence
    ids = list(evidence)
    # The 360° part uses only what the anonymity rule lets anyone see: peer and report groups with fewer than
    # the minimum raters are left out, so the mean cannot be used to work out a hidden rater's answer.
    codes = {line.competency.pk: line.competency.code for line in lines}
    rows = (
        FeedbackAnswer.objects.filter(
            invitation__request__cycle=cycle, invitation__request__subject=employee,
            invitation__submitted_at__isnull=False, competency_id__in=ids,
        )
        .exclude(invitation__relation=FeedbackInvitation.Relation.SELF)
        .values_list("invitation_id", "invitation__relation", "competency_id", "score")
    )
    shown = feedback_maths.aggregate(
        [
            feedback_maths.Answer(rater=rater, relation=relation, competency=codes[competency_id], score=score)
            for rater, relation, competency_id, score in rows
        ],
        min_group=feedback_min_group(),
    )
    for competency_id, competency_code in codes.items():
        result = shown.competency(competency_code)
        if result is None or result.others is None:
            continue
        evidence[competency_id].feedback = result.others
        evidence[competency_id].feedback_count = sum(
            group.n or 0 for group in result.groups if group.relation != FeedbackInvitation.Relation.SELF
        )
    targets = (
        KpiTarget.objects.filter(cycle=cycle, employee=employee, kpi__competency_id__in=ids)
        .select_related("kpi").order_by("kpi__code", "id")
    )
    for target in targets:
        assert target.kpi.competency_id is not None  # filtered on it
        evidence[target.kpi.competency_id].kpis.append(KpiEvidence(target=target, score=kpi_target_score(target)))
    by_code = {line.competency.code: line.competency.pk for line in lines}
    key_results = (
        KeyResult.objects.filter(
            objective__cycle=cycle, objective__owner_employee=employee, objective__level=Objective.Level.PERSONAL,
            source__competency__in=list(by_code),
        )
        .exclude(objective__status=Objective.Status.DRAFT)
        .select_related("objective").order_by("objective_id", "id")
    )
    for key_result in key_results:
        code = (key_result.source or {}).get("competency")
        if code in by_code:
            found = KeyResultEvidence(key_result=key_result, score=key_result.score())
            evidence[by_code[code]].key_results.append(found)
    interview = _interview_scores(employee)
    for item in evidence.values():
        item.interview_score = interview.get(item.competency.code)
    return evidence
