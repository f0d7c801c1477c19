"""`{{ value|okr_number }}`: metric values, targets and weights as people write them (92, 92.5, 1.05), not as
the database stores them (92.0000); the built-in floatformat keeps trailing zeros of a fractional value."""

from __future__ import annotations

from typing import Any

from django import template

from talentloop.assessment.kr_rules import number_text

register = template.Library()


@register.filter
def okr_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return number_text(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)
