"""The recruiting and talent dashboard metrics as pure functions over plain rows (no Django, no database).

The Django side (talentloop/insights/metrics.py) selects the rows for a period and a scope; everything that
decides what a number means lives here, so each definition can be checked against a small hand-made dataset
whose answer is known exactly.

Definitions (the dashboard shows the same words next to each number):

- **Funnel**: an application *reached* a stage when its current stage or any stage it passed through is that
  stage or a later one in pipeline order, so a skipped optional stage (a written test, a background check)
  counts as passed and the counts never grow down the funnel. Conversion of a stage = its count divided by
  the previous stage's count; the first stage has none.
- **Time to hire**: the median, over hires, of the whole days from the application to the move to "hired".
- **Cost per hire**: hiring costs in the period divided by hires in the period; none without any cost entry
  (or without hires).
- **Source quality**: per candidate source, hires, how many have a first submitted review, and the share of
  those whose first review's band meets the requirements.
- **Recruitment accuracy**: of hires with a first submitted review, the share whose band meets the
  requirements (S, A or B).
- **Probation pass rate**: of employees hired in the period whose probation (``days`` after the hire date) has
  ended, or who left during it, the share who did not leave during it. Someone marked as left without a
  leaving date cannot be placed and is not counted.
- **Retention at N months**: of employees hired in the period who have been with the company N calendar
  months or longer by now (or left before that), the share still there N months after their hire date.
- **Average performance**: the mean overall score of the reviews (all of them, not a mean of group means).
- **Time to reach targets**: the median whole days from a key result's creation to its first check-in at or
  beyond the target, over the key results that reached it.
- **Candidate satisfaction**: the mean 1–5 rating and the number of answers.
- **Training completion**: completed enrolments divided by enrolments due in the period, cancelled ones left out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median as _median

PROBATION_DAYS = 180


@dataclass(frozen=True)
class Share:
    """`hits` of `n` (value = hits / n; None when n is 0)."""

    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None


@dataclass(frozen=True)
class Summary:
    """A central value (a median or a mean) of `n` observations; None when there are none. `of` is how many
    items were looked at (e.g. key results created), where that differs from n."""

    value: float | None
    n: int
    of: int | None = None


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    count: int
    conversion: float | None  # count / the previous stage's count; None for the first stage or after a 0
    of_first: float | None  # count / the first stage's count


@dataclass(frozen=True)
class SourceStat:
    source: str
    hires: int
    reviewed: int  # hires with a first submitted review
    meeting: int  # of those, the ones whose band meets the requirements

    @property
    def share(self) -> float | None:
        return self.meeting / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class TenureRow:
    """An employee's stay: hired on `hire_date`; `left_on` the last day when known; `left` whether they left
    (True with no date: left, date unknown)."""

    hire_date: dt.date
    left_on: dt.date | None = None
    left: bool = False


@dataclass(frozen=True)
class MonthCount:
    month: dt.date  # the first day of the month
    count: int


def ratio(hits: int, n: int) -> float | None:
    return hits / n if n else None


def median(values: Iterable[float]) -> float | None:
    data = list(values)
    return float(_median(data)) if data else None


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def funnel(counts_by_furthest: Mapping[str, int], stages: Sequence[str]) -> list[FunnelStep]:
    """`counts_by_furthest`: how many applications have each stage as the furthest they reached (stages not
    in `stages`, such as rejected, are ignored: pass the furthest *pipeline* stage). Returns one step per stage
    in order, counting the applications that reached it or a later one."""
    reached: list[int] = []
    running = 0
    for stage in reversed(stages):
        running += int(counts_by_furthest.get(stage, 0))
        reached.append(running)
    reached.reverse()
    first = reached[0] if reached else 0
    steps: list[FunnelStep] = []
    for i, (stage, count) in enumerate(zip(stages, reached, strict=True)):
        conversion = None if i == 0 else ratio(count, reached[i - 1])
        steps.append(FunnelStep(stage=stage, count=count, conversion=conversion, of_first=ratio(count, first)))
    return steps


def furthest_stage(visited: Iterable[str], stages: Sequence[str]) -> str:
    """The furthest pipeline stage among the stages an application was in (the first stage when none is a
    pipeline stage)."""
    order = {stage: i for i, stage in enumerate(stages)}
    best = 0
    for stage in visited:
        best = max(best, order.get(stage, 0))
    return stages[best]


def time_to_hire(pairs: Iterable[tuple[dt.date, dt.date]]) -> Summary:
    """Median whole days from (applied, hired) pairs."""
    days = [days_between(applied, hired) for applied, hired in pairs]
    return Summary(value=median(days), n=len(days))


def cost_per_hire(*, total_cost: Decimal | float | None, cost_entries: int, hires: int) -> float | None:
    if not cost_entries or total_cost is None or not hires:
        return None
    return float(Decimal(str(total_cost)) / hires)


def source_quality(rows: Iterable[tuple[str, str | None]], meets: frozenset[str]) -> list[SourceStat]:
    """`rows`: (candidate source, band of the hire's first submitted review or None). Sources in order of
    hires (most first), then by name."""
    table: dict[str, list[int]] = {}
    for source, band in rows:
        entry = table.setdefault(source, [0, 0, 0])
        entry[0] += 1
        if band:
            entry[1] += 1
            entry[2] += band in meets
    stats = [SourceStat(source=s, hires=h, reviewed=r, meeting=m) for s, (h, r, m) in table.items()]
    return sorted(stats, key=lambda s: (-s.hires, s.source))


def recruitment_accuracy(first_bands: Iterable[str | None], meets: frozenset[str]) -> Share:
    bands = [b for b in first_bands if b]
    return Share(hits=sum(b in meets for b in bands), n=len(bands))


def probation_pass_rate(rows: Iterable[TenureRow], *, as_of: dt.date, days: int = PROBATION_DAYS) -> Share:
    hits = n = 0
    for row in rows:
        if row.left and row.left_on is None:
            continue  # left on an unknown day: cannot tell whether during probation
        end = row.hire_date + dt.timedelta(days=days)
        left_during = row.left_on is not None and row.left_on < end
        if not left_during and end > as_of:
            continue  # still on probation
        n += 1
        hits += not left_during
    return Share(hits=hits, n=n)


def retention(rows: Iterable[TenureRow], *, as_of: dt.date, months: int) -> Share:
    """Still there `months` after the hire date (leaving on that very day or later counts as still there)."""
    hits = n = 0
    for row in rows:
        if row.left and row.left_on is None:
            continue
        mark = add_months(row.hire_date, months)
        left_before = row.left_on is not None and row.left_on < mark
        if not left_before and mark > as_of:
            continue  # not long enough with us to be measured
        n += 1
        hits += not left_before
    return Share(hits=hits, n=n)


def mean_of_groups(groups: Iterable[tuple[int, Decimal | float | None]]) -> Summary:
    """The mean over every observation from (count, sum) per group."""
    n = 0
    total = Decimal(0)
    for count, subtotal in groups:
        if not count:
            continue
        n += int(count)
        total += Decimal(str(subtotal or 0))
    return Summary(value=float(total / n) if n else None, n=n)


def time_to_target(rows: Iterable[tuple[dt.date, dt.date | None]]) -> Summary:
    """(created, first day at or beyond the target or None): median days over the ones that got there."""
    items = list(rows)
    days = [days_between(created, reached) for created, reached in items if reached is not None]
    return Summary(value=median(days), n=len(days), of=len(items))


def mean_rating(distribution: Mapping[int, int]) -> Summary:
    n = sum(distribution.values())
    total = sum(rating * count for rating, count in distribution.items())
    return Summary(value=total / n if n else None, n=n)


def completion_rate(*, completed: int, due: int) -> Share:
    return Share(hits=completed, n=due)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from start's to end's, inclusive."""
    months: list[dt.date] = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def monthly_counts(dates: Iterable[dt.date], *, start: dt.date, end: dt.date) -> list[MonthCount]:
    """Counts per calendar month from start to end; dates outside are ignored."""
    counts = {m: 0 for m in months_between(start, end)}
    for day in dates:
        if start <= day <= end:
            counts[day.replace(day=1)] += 1
    return [MonthCount(month=m, count=c) for m, c in counts.items()]


def fill_months(counts: Mapping[dt.date, int], *, start: dt.date, end: dt.date) -> list[MonthCount]:
    """Counts already grouped by month (keys: any day of the month) laid out over every month from start to end."""
    by_month: dict[dt.date, int] = {}
    for day, count in counts.items():
        by_month[day.replace(day=1)] = by_month.get(day.replace(day=1), 0) + int(count)
    return [MonthCount(month=m, count=by_month.get(m, 0)) for m in months_between(start, end)]
