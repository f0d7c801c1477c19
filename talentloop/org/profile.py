"""The employee profile is assembled from sections that other apps register: recruiting adds the hiring
record, performance the reviews, learning the training. The org app does not import them; they call
`register_profile_section` from their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from talentloop.core.models import User

from .models import Employee


@dataclass(frozen=True)
class ProfileSection:
    key: str  # the key in the API's profile document
    title: str
    template: str  # rendered on the profile page with `section` in the context
    data: dict[str, Any] = field(default_factory=dict)  # plain JSON for the API
    context: dict[str, Any] = field(default_factory=dict)  # extra objects for the template only


SectionProvider = Callable[[User, Employee], ProfileSection | None]
_providers: dict[str, SectionProvider] = {}


def register_profile_section(key: str, provider: SectionProvider) -> None:
    _providers[key] = provider


def employee_profile_sections(*, user: User, employee: Employee) -> list[ProfileSection]:
    """Sections the user may see for this employee (a provider returns None to show nothing)."""
    sections = []
    for provider in _providers.values():
        section = provider(user, employee)
        if section is not None:
            sections.append(section)
    return sections
