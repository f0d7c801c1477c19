"""Each dashboard metric's key, unit, group, name and definition: the words shown next to every number on the
page, in the API and in the Excel export's Definitions sheet. The definitions say exactly what
talentloop.assessment.insights.metrics computes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SHARE, DAYS, MONEY, COUNT, POINTS, RATING, TABLE = "share", "days", "CNY", "count", "points", "rating", "table"
RECRUITING, QUALITY, TALENT = "recruiting", "quality", "talent"


@dataclass(frozen=True)
class MetricDef:
    key: str
    unit: str
    group: str
    label: Promise
    definition: Promise


DEFINITIONS: tuple[MetricDef, ...] = (
    MetricDef("funnel", SHARE, RECRUITING, _("Recruiting funnel"), _(
        "Applications received in the period that reached each pipeline stage (a later stage counts as having "
        "passed the earlier ones, so skipped optional stages count as passed). Conversion = the stage's count "
        "divided by the previous stage's count. The headline is the share of applications that led to a hire."
    )),
    MetricDef("hiring_volume", COUNT, RECRUITING, _("Hires"), _(
        "Applications moved to Hired in the period (the first move counts), with applications received and "
        "hires per month."
    )),
    MetricDef("time_to_hire", DAYS, RECRUITING, _("Time to hire"), _(
        "Median number of days from the application to its move to Hired, over the hires in the period."
    )),
    MetricDef("cost_per_hire", MONEY, RECRUITING, _("Cost per hire"), _(
        "Hiring costs entered for the period's dates divided by the hires in the period (yuan). Shown only "
        "when costs have been entered."
    )),
    MetricDef("candidate_satisfaction", RATING, RECRUITING, _("Candidate satisfaction"), _(
        "Mean answer (1 to 5) to the one-question survey candidates see after their interview feedback, over "
        "the answers given in the period, with the number of answers."
    )),
    MetricDef("source_quality", TABLE, QUALITY, _("Source quality"), _(
        "Per candidate source: hires in the period, how many of them have a submitted review, and the share "
        "whose first submitted review was rated as meeting the requirements (band S, A or B)."
    )),
    MetricDef("recruitment_accuracy", SHARE, QUALITY, _("Recruitment accuracy"), _(
        "Of the hires in the period who have a submitted review, the share whose first submitted review was "
        "rated as meeting the requirements (band S, A or B)."
    )),
    MetricDef("probation_pass_rate", SHARE, TALENT, _("Probation pass rate"), _(
        "Of the employees hired in the period whose 180-day probation has ended (or who left during it), the "
        "share who did not leave during probation. Leavers without a leaving date are not counted."
    )),
    MetricDef("retention_6m", SHARE, TALENT, _("Retention at 6 months"), _(
        "Of the employees hired in the period who were hired at least 6 months ago (or left before then), the "
        "share still with the company 6 months after their hire date."
    )),
    MetricDef("retention_12m", SHARE, TALENT, _("Retention at 12 months"), _(
        "Of the employees hired in the period who were hired at least 12 months ago (or left before then), the "
        "share still with the company 12 months after their hire date."
    )),
    MetricDef("average_performance", POINTS, TALENT, _("Average performance"), _(
        "Mean overall score (0 to 100) of the competency reviews submitted in the period."
    )),
    MetricDef("time_to_target", DAYS, TALENT, _("Time to reach targets"), _(
        "Median number of days from a key result's creation to its first check-in at or beyond the target, over "
        "the key results created in the period that reached it."
    )),
    MetricDef("training_completion", SHARE, TALENT, _("Training completion"), _(
        "Completed enrolments divided by the enrolments due in the period; cancelled enrolments are left out."
    )),
)
BY_KEY = {d.key: d for d in DEFINITIONS}
KEYS: tuple[str, ...] = tuple(d.key for d in DEFINITIONS)
# What a recruiter may read: the recruiting process, nothing that comes from employees' records.
RECRUITING_KEYS = frozenset(d.key for d in DEFINITIONS if d.group == RECRUITING)
GROUP_LABELS = {
    RECRUITING: _("Recruiting"),
    QUALITY: _("Quality of hire"),
    TALENT: _("Talent"),
}
