"""Template filters of the report pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import explain

register = template.Library()


@register.filter
def score(value: Any) -> str:
    """88, 88.5 or "—"."""
    if value is None or value == "":
        return "—"
    try:
        return explain.number(float(value))
    except (TypeError, ValueError):
        return "—"


@register.filter
def percent_width(value: Any) -> str:
    """A 0-100 score as a CSS width ("88%"), clamped."""
    try:
        number = min(100.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        number = 0.0
    return f"{number:g}%"


@register.filter
def when(value: Any) -> dt.datetime | None:
    """An ISO 8601 time from a report document, as a datetime for the `date` filter."""
    if isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(str(value)) if value else None
    return timezone.localtime(parsed) if parsed is not None and timezone.is_aware(parsed) else parsed
