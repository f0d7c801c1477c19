from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from talentloop.core.errors import ValidationFailed

M = TypeVar("M", bound=models.Model)


class Errors:
    """Collects messages per field so one response names every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: Any) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationFailed(errors=self.by_field)


def apply_changes(obj: M, changes: Mapping[str, Any], allowed: set[str]) -> dict[str, tuple[Any, Any]]:
    """Set the allowed fields that differ; return {field: (old, new)} for the audit log."""
    diff: dict[str, tuple[Any, Any]] = {}
    for field, new in changes.items():
        if field not in allowed:
            continue
        old = getattr(obj, field)
        if comparable(old) != comparable(new):
            diff[field] = (old, new)
            setattr(obj, field, new)
    return diff


def comparable(value: Any) -> Any:
    """A field value as compared for changes: related objects by primary key."""
    return value.pk if isinstance(value, models.Model) else value


def others(qs: QuerySet[M], pk: int | None) -> QuerySet[M]:
    """The rows other than the one being edited (all of them on creation), for uniqueness checks."""
    return qs if pk is None else qs.exclude(pk=pk)


def walk_up(start_id: int | None, parent_of: Callable[[int], int | None], limit: int = 10_000) -> list[int]:
    """Ids from start up to the root: used to refuse loops in department and manager chains."""
    seen: list[int] = []
    current = start_id
    while current is not None and len(seen) < limit:
        if current in seen:
            break
        seen.append(current)
        current = parent_of(current)
    return seen
