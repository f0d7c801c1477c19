from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.access import HR, require_role
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..models import Competency
from ._common import Errors, apply_changes, others

_FIELDS = {"code", "name", "name_en", "category", "definition", "definition_en", "indicators", "is_active"}
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


def _validate(errors: Errors, data: Mapping[str, Any], competency: Competency | None) -> None:
    code = str(data.get("code", ""))
    if not _CODE.match(code):
        errors.add(
            "code", _("Use lower-case English letters, digits and underscores, e.g. customer_orientation.")
        )
    elif others(Competency.objects.filter(code=code), competency.pk if competency else None).exists():
        errors.add("code", _("Another competency already uses the code “%(code)s”.") % {"code": code})
    elif competency is not None and competency.is_builtin and code != competency.code:
        # Library updates match built-in competencies by code; a renamed one would come back as a duplicate.
        errors.add("code", _("The code of a competency shipped with TalentLoop cannot be changed."))
    if not str(data.get("name", "")).strip():
        errors.add("name", _("A competency needs a name."))
    indicators = data.get("indicators", [])
    if not isinstance(indicators, list) or not all(
        isinstance(i, dict) and i.get("level") in (1, 2, 3) and (i.get("zh") or i.get("en"))
        for i in indicators
    ):
        errors.add(
            "indicators", _("Indicators are a list of {level: 1-3, zh, en} entries, each with a text.")
        )
    elif len({i["level"] for i in indicators}) != len(indicators):
        errors.add("indicators", _("Each level may have only one indicator."))


@transaction.atomic
def competency_create(*, actor: User, data: Mapping[str, Any]) -> Competency:
    require_role(actor, HR)
    errors = Errors()
    _validate(errors, data, None)
    errors.raise_if_any()
    competency = Competency.objects.create(**{k: v for k, v in data.items() if k in _FIELDS})
    audit_record(actor=actor, obj=competency, action=AuditEntry.Action.CREATE)
    return competency


@transaction.atomic
def competency_update(*, actor: User, competency: Competency, changes: Mapping[str, Any]) -> Competency:
    require_role(actor, HR)
    merged = {f: getattr(competency, f) for f in _FIELDS} | dict(changes)
    errors = Errors()
    _validate(errors, merged, competency)
    errors.raise_if_any()
    diff = apply_changes(competency, changes, _FIELDS)
    if diff:
        competency.save()
        audit_record(actor=actor, obj=competency, action=AuditEntry.Action.UPDATE, changes=diff)
    return competency
