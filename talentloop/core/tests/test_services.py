"""Core writes and role checks: the audit log, API tokens, roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from rest_framework.authtoken.models import Token

from talentloop.core.access import HR, HR_AND_RECRUITING, STAFF_ROLES, has_role, require_role, role_of
from talentloop.core.errors import DomainError, PermissionDenied
from talentloop.core.models import AuditEntry, Role, User, audit_value
from talentloop.core.services import api_token_issue, audit_record
from talentloop.core.testing.factories import DepartmentFactory, UserFactory
from talentloop.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    # Object names in the log follow the active language; requests in other tests may have changed it.
    with translation.override("zh-hans"):
        yield


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


def make_department(**fields: Any) -> Department:
    return cast(Department, DepartmentFactory(**fields))


def test_audit_record_writes_one_entry_per_changed_field() -> None:
    actor = make_user(username="hr", role=Role.HR_ADMIN)
    dept = make_department(code="OPS", name="运营部")
    parent = make_department(code="HQ", name="总部")
    entries = audit_record(
        actor=actor,
        obj=dept,
        action=AuditEntry.Action.UPDATE,
        changes={"name": ("运营部", "运营中心"), "parent": (None, parent)},
    )
    rows = list(
        AuditEntry.objects.order_by("id").values_list(
            "actor__username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "field",
            "old_value",
            "new_value",
        )
    )
    assert rows == [
        ("hr", "update", "org.department", str(dept.pk), "运营部", "name", "运营部", "运营中心"),
        ("hr", "update", "org.department", str(dept.pk), "运营部", "parent", "", str(parent.pk)),
    ]
    assert len(entries) == 2


def test_audit_record_without_changes_writes_one_entry() -> None:
    dept = make_department(code="OPS", name="运营部")
    audit_record(actor=None, obj=dept, action=AuditEntry.Action.CREATE)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.field, entry.old_value, entry.new_value) == (
        None,
        "create",
        "",
        "",
        "",
    )
    assert str(entry) == f"org.department#{dept.pk} create "


def test_audit_record_ignores_an_unsaved_actor() -> None:
    dept = make_department(code="OPS")
    audit_record(actor=UserFactory.build(username="ghost"), obj=dept, action=AuditEntry.Action.DELETE)
    assert AuditEntry.objects.get().actor is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (0, "0"),
        (Decimal("0.500"), "0.500"),
        (dt.date(2024, 1, 2), "2024-01-02"),
        (True, "True"),
    ],
)
def test_audit_value(value: Any, text: str) -> None:
    assert audit_value(value) == text


def test_api_token_is_stable_until_revoked() -> None:
    user = make_user(username="bot", role=Role.RECRUITER)
    first = api_token_issue(user=user)
    assert api_token_issue(user=user) == first
    assert Token.objects.get(user=user).key == first
    Token.objects.filter(user=user).delete()
    assert api_token_issue(user=user) != first


def test_role_of_and_has_role() -> None:
    hr = make_user(username="h", role=Role.HR_ADMIN)
    root = make_user(username="root", role=Role.CANDIDATE, is_superuser=True)
    recruiter = make_user(username="r", role=Role.RECRUITER)
    candidate = make_user(username="c", role=Role.CANDIDATE)
    assert [role_of(u) for u in (hr, root, recruiter, candidate)] == [
        "hr_admin",
        "hr_admin",
        "recruiter",
        "candidate",
    ]
    assert role_of(AnonymousUser()) is None
    assert role_of(None) is None
    assert has_role(recruiter, HR_AND_RECRUITING)
    assert not has_role(recruiter, HR)
    assert not has_role(candidate, STAFF_ROLES)
    assert not has_role(AnonymousUser(), STAFF_ROLES)
    assert root.is_hr_admin
    assert not recruiter.is_hr_admin


def test_require_role_raises_a_403_domain_error() -> None:
    candidate = make_user(username="c", role=Role.CANDIDATE)
    require_role(make_user(username="e", role=Role.EMPLOYEE), STAFF_ROLES)
    with pytest.raises(PermissionDenied) as exc:
        require_role(candidate, STAFF_ROLES)
    assert exc.value.status_code == 403
    assert isinstance(exc.value, DomainError)


def test_domain_error_carries_field_messages() -> None:
    error = DomainError("Bad.", field="name")
    assert (error.errors, str(error)) == ({"name": ["Bad."]}, "Bad.")
    many = DomainError(errors={"a": "x", "b": ["y", "z"]})
    assert many.errors == {"a": ["x"], "b": ["y", "z"]}
