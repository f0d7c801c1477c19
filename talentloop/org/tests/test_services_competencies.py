"""The organisation's write rules for competencies: permissions, validation, the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.org import services
from talentloop.org.models import Competency
from talentloop.org.tests._services_support import NON_HR, audit_rows, field_errors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- competencies ------------------------------------------------------------------------------------------

INDICATORS = [{"level": 1, "zh": "倾听", "en": "Listens"}, {"level": 2, "zh": "澄清", "en": "Clarifies"}]


def test_competency_create_and_update_are_audited(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    comp = services.competency_create(
        actor=hr,
        data={
            "code": "negotiation",
            "name": "谈判",
            "name_en": "Negotiation",
            "indicators": INDICATORS,
        },
    )
    assert Competency.objects.get(code="negotiation").indicators == INDICATORS
    services.competency_update(
        actor=hr, competency=comp, changes={"name_en": "Negotiating", "is_active": False}
    )
    assert audit_rows(comp) == [
        ("hr", "create", "", "", ""),
        ("hr", "update", "name_en", "Negotiation", "Negotiating"),
        ("hr", "update", "is_active", "True", "False"),
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"code": "Customer Orientation", "name": "客户导向"},
            {"code": ["Use lower-case English letters, digits and underscores, e.g. customer_orientation."]},
        ),
        (
            {"code": "communication", "name": "沟通"},
            {"code": ["Another competency already uses the code “communication”."]},
        ),
        ({"code": "negotiation", "name": "  "}, {"name": ["A competency needs a name."]}),
        (
            {"code": "negotiation", "name": "谈判", "indicators": [{"level": 4, "zh": "x"}]},
            {"indicators": ["Indicators are a list of {level: 1-3, zh, en} entries, each with a text."]},
        ),
        (
            {"code": "negotiation", "name": "谈判", "indicators": [{"level": 1, "zh": "", "en": ""}]},
            {"indicators": ["Indicators are a list of {level: 1-3, zh, en} entries, each with a text."]},
        ),
        (
            {
                "code": "negotiation",
                "name": "谈判",
                "indicators": [{"level": 1, "zh": "a"}, {"level": 1, "en": "b"}],
            },
            {"indicators": ["Each level may have only one indicator."]},
        ),
    ],
)
def test_competency_validation(
    org: dict[str, Any], data: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = Competency.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.competency_create(actor=org["users"]["hr"], data={"name_en": "X", **data})
    assert field_errors(exc) == errors
    assert Competency.objects.count() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("role", NON_HR)
def test_competency_writes_are_for_hr_only(org: dict[str, Any], role: str) -> None:
    comp = Competency.objects.get(code="teamwork")
    with pytest.raises(PermissionDenied):
        services.competency_create(actor=org["users"][role], data={"code": "negotiation", "name": "谈判"})
    with pytest.raises(PermissionDenied):
        services.competency_update(actor=org["users"][role], competency=comp, changes={"name": "合作"})
    comp.refresh_from_db()
    assert comp.name != "合作"
    assert not Competency.objects.filter(code="negotiation").exists()
