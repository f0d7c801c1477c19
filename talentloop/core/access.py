"""Role checks used by services and selectors. Object-level rules (a manager's team) live with the objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import PermissionDenied
from .models import Role

HR = frozenset({Role.HR_ADMIN})
HR_AND_RECRUITING = frozenset({Role.HR_ADMIN, Role.RECRUITER})
STAFF_ROLES = frozenset({Role.HR_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.EMPLOYEE})


def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.HR_ADMIN
    return str(user.role)


def has_role(user: Any, roles: Iterable[str]) -> bool:
    return role_of(user) in set(roles)


def require_role(user: Any, roles: Iterable[str]) -> None:
    if not has_role(user, roles):
        raise PermissionDenied(_("You do not have permission to do this."))
