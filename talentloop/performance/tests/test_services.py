"""Cycle and OKR writes: who may write what, every refused input with its message, check-ins and the audit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.performance import services
from talentloop.performance.models import CheckIn, KeyResult, Objective, PerformanceCycle

from ._support import make_key_result, make_objective

# --- cycles ---


def test_hr_creates_a_cycle_with_its_participants(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    assert cycle.phase == PerformanceCycle.Phase.GOAL_SETTING
    assert set(cycle.employees.all()) == set(org["employees"].values())
    assert AuditEntry.objects.filter(object_type="performance.performancecycle", object_id=str(cycle.pk)).exists()


@pytest.mark.parametrize("who", ["manager", "employee", "recruiter", "candidate"])
def test_only_hr_creates_cycles(org: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=org["users"][who], name="H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31)
        )


def test_a_cycle_must_end_after_it_starts_and_name_real_employees(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.cycle_create(
            actor=org["users"]["hr"], name=" ", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 1),
            employees=[999_999],
        )
    assert caught.value.errors == {
        "name": ["A performance cycle needs a name."],
        "end": ["A performance cycle must end after it starts."],
        "employees": ["No employee has the id 999999."],
    }


def test_the_database_refuses_a_cycle_ending_before_it_starts(db: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceCycle.objects.create(name="x", start=dt.date(2026, 7, 1), end=dt.date(2026, 6, 1))


def test_updating_a_cycle_replaces_participants_and_audits(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    employees = org["employees"]
    services.cycle_update(
        actor=org["users"]["hr"], cycle=cycle,
        changes={"phase": PerformanceCycle.Phase.SELF_REVIEW, "employees": [employees["report"].pk]},
    )
    cycle.refresh_from_db()
    assert cycle.phase == "self_review"
    assert list(cycle.employees.all()) == [employees["report"]]
    changed = dict(
        AuditEntry.objects.filter(object_type="performance.performancecycle", action="update")
        .values_list("field", "new_value")
    )
    assert changed == {"phase": "self_review", "employees": "1"}


# --- who may write objectives ---


def test_an_employee_sets_their_own_personal_objective(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = services.objective_create(
        actor=org["users"]["employee"], cycle=cycle, level=Objective.Level.PERSONAL, title="  Learn the product ",
        owner_employee=org["employees"]["report"],
    )
    assert (objective.title, objective.status, objective.owner_employee) == (
        "Learn the product", "draft", org["employees"]["report"],
    )


def test_an_employee_cannot_set_someone_elses_objective(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    with pytest.raises(PermissionDenied, match=re.escape("You can only edit your own personal objectives.")):
        services.objective_create(
            actor=org["users"]["employee"], cycle=cycle, level="personal", title="x",
            owner_employee=org["employees"]["outsider"],
        )


def test_an_employee_cannot_edit_someone_elses_personal_objective(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    objective = make_objective(org, cycle, owner="report")
    with pytest.raises(PermissionDenied, match=re.escape("You can only edit your own personal objectives.")):
        services.objective_update(actor=org["users"]["outsider"], objective=objective, changes={"title": "Mine"})
    objective.refresh_from_db()
    assert objective.title == "Grow key accounts"


def test_an_employee_cannot_hand_their_objective_to_someone_else(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    objective = make_objective(org, cycle, owner="report")
    with pytest.raises(PermissionDenied, match="own personal objectives"):
        services.objective_update(
            actor=org["users"]["employee"], objective=objective,
            changes={"owner_employee": org["employees"]["outsider"]},
        )


@pytest.mark.parametrize("member", ["manager", "report", "indirect"])
def test_a_manager_manages_their_own_and_their_teams_okrs(
    org: dict[str, Any], cycle: PerformanceCycle, member: str
) -> None:
    manager = org["users"]["manager"]
    objective = services.objective_create(
        actor=manager, cycle=cycle, level="personal", title="Close 3 deals", owner_employee=org["employees"][member],
    )
    services.objective_update(actor=manager, objective=objective, changes={"status": Objective.Status.ACTIVE})
    key_result = services.key_result_create(
        actor=manager, objective=objective, title="Deals", metric="signed contracts", start_value=Decimal(0),
        target_value=Decimal(3), weight=Decimal(100),
    )
    services.check_in_add(actor=manager, key_result=key_result, value=Decimal(1))
    assert KeyResult.objects.get(pk=key_result.pk).current_value == Decimal(1)


def test_a_manager_cannot_create_okrs_for_someone_outside_their_team(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    with pytest.raises(PermissionDenied, match=re.escape("You can only manage the OKRs of your own team.")):
        services.objective_create(
            actor=org["users"]["manager"], cycle=cycle, level="personal", title="x",
            owner_employee=org["employees"]["outsider"],
        )
    assert not Objective.objects.exists()


def test_a_manager_cannot_edit_okrs_outside_their_team(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    manager = org["users"]["manager"]
    theirs = make_objective(org, cycle, owner="outsider")
    key_result = make_key_result(org, theirs)
    for attempt in (
        lambda: services.objective_update(actor=manager, objective=theirs, changes={"title": "x"}),
        lambda: services.key_result_create(
            actor=manager, objective=theirs, title="x", metric="m", start_value=Decimal(0), target_value=Decimal(1),
            weight=Decimal(10),
        ),
        lambda: services.key_result_update(actor=manager, key_result=key_result, changes={"title": "x"}),
        lambda: services.check_in_add(actor=manager, key_result=key_result, value=Decimal(80)),
    ):
        with pytest.raises(PermissionDenied, match="own team"):
            attempt()
    # nor move a team member's objective out of the team
    ours = make_objective(org, cycle, owner="indirect")
    with pytest.raises(PermissionDenied, match="own team"):
        services.objective_update(
            actor=manager, objective=ours, changes={"owner_employee": org["employees"]["outsider"]}
        )


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_sets_company_and_department_objectives(
    org: dict[str, Any], cycle: PerformanceCycle, who: str
) -> None:
    with pytest.raises(PermissionDenied, match=re.escape("Only HR can set company and department objectives.")):
        services.objective_create(actor=org["users"][who], cycle=cycle, level="company", title="x")
    company = make_objective(org, cycle, owner=None, level="company")
    with pytest.raises(PermissionDenied, match="Only HR"):
        services.objective_update(actor=org["users"][who], objective=company, changes={"title": "x"})


def test_recruiters_have_no_okrs_to_manage(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    with pytest.raises(PermissionDenied):
        services.objective_create(
            actor=org["users"]["recruiter"], cycle=cycle, level="personal", title="x",
            owner_employee=org["employees"]["report"],
        )


def test_hr_edits_every_objective(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle, owner="outsider")
    services.objective_update(actor=org["users"]["hr"], objective=objective, changes={"title": "Ship v2"})
    objective.refresh_from_db()
    assert objective.title == "Ship v2"
    entry = AuditEntry.objects.get(object_type="performance.objective", action="update")
    assert (entry.field, entry.old_value, entry.new_value) == ("title", "Grow key accounts", "Ship v2")


# --- objective rules ---


def test_objective_fields_must_fit_its_level(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    hr, sales = org["users"]["hr"], org["departments"]["sales"]
    with pytest.raises(ValidationFailed) as caught:
        services.objective_create(actor=hr, cycle=cycle, level="personal", title="", department=sales)
    assert caught.value.errors == {
        "title": ["An objective needs a title."],
        "owner_employee": ["A personal objective needs an owner."],
        "department": ["A personal objective belongs to its owner, not to a department."],
    }
    with pytest.raises(ValidationFailed) as caught:
        services.objective_create(
            actor=hr, cycle=cycle, level="department", title="x", owner_employee=org["employees"]["report"]
        )
    assert caught.value.errors == {
        "owner_employee": ["Only personal objectives have an owner."],
        "department": ["A department objective needs a department."],
    }


def test_the_owner_must_take_part_in_the_cycle(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    cycle.employees.remove(org["employees"]["report"])
    with pytest.raises(ValidationFailed) as caught:
        make_objective(org, cycle, owner="report")
    assert caught.value.errors == {"owner_employee": ["李员工 does not take part in the cycle “2026 Q3”."]}


def test_alignment_stays_in_the_cycle_and_has_no_loops(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    hr = org["users"]["hr"]
    company = make_objective(org, cycle, owner=None, level="company", title="Win the market")
    team = make_objective(
        org, cycle, owner=None, level="department", title="Sales +20%", department=org["departments"]["sales"],
        parent=company,
    )
    personal = make_objective(org, cycle, owner="report", parent=team)
    assert personal.parent == team
    with pytest.raises(ValidationFailed) as caught:
        services.objective_update(actor=hr, objective=company, changes={"parent": personal})
    assert caught.value.errors == {
        "parent": ["An objective cannot align with itself or one of the objectives aligned with it."]
    }
    other = services.cycle_create(actor=hr, name="Q4", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31))
    with pytest.raises(ValidationFailed, match="same cycle"):
        services.objective_create(actor=hr, cycle=other, level="company", title="x", parent=company)


def test_an_employee_cannot_align_with_an_objective_they_cannot_see(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    theirs = make_objective(org, cycle, owner="outsider")
    with pytest.raises(ValidationFailed) as caught:
        services.objective_create(
            actor=org["users"]["employee"], cycle=cycle, level="personal", title="x",
            owner_employee=org["employees"]["report"], parent=theirs,
        )
    assert caught.value.errors == {"parent": ["You cannot align with an objective you cannot see."]}


def test_nothing_changes_in_a_closed_cycle(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    key_result = make_key_result(org, objective)
    services.cycle_update(actor=org["users"]["hr"], cycle=cycle, changes={"phase": "closed"})
    objective.refresh_from_db()
    message = "The cycle “2026 Q3” is closed; its OKRs can no longer change."
    with pytest.raises(Conflict, match=re.escape(message)):
        make_objective(org, cycle)
    with pytest.raises(Conflict, match=re.escape(message)):
        services.objective_update(actor=org["users"]["hr"], objective=objective, changes={"title": "x"})
    with pytest.raises(Conflict, match=re.escape(message)):
        services.check_in_add(actor=org["users"]["hr"], key_result=key_result, value=Decimal(80))


def test_a_closed_objective_takes_no_check_ins(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle, status=Objective.Status.CLOSED)
    with pytest.raises(Conflict, match="This objective is closed"):
        make_key_result(org, objective)


# --- key results ---


def test_a_key_result_starts_at_its_start_value(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    key_result = make_key_result(org, make_objective(org, cycle), title="  NPS ", metric=" survey ")
    assert (key_result.title, key_result.metric, key_result.current_value) == ("NPS", "survey", Decimal(70))
    assert (key_result.progress(), key_result.score()) == (0.0, 0.0)


@pytest.mark.parametrize("target", [Decimal("60"), Decimal("70")])
def test_an_increase_target_must_be_above_the_start(
    org: dict[str, Any], cycle: PerformanceCycle, target: Decimal
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_key_result(org, make_objective(org, cycle), start_value=Decimal("70.00"), target_value=target)
    assert caught.value.errors == {
        "target_value": [
            f"The target ({target}) must be above the start value (70) for a metric that should increase."
        ]
    }
    assert not KeyResult.objects.exists()


@pytest.mark.parametrize("target", [Decimal("9.5"), Decimal("8")])
def test_a_decrease_target_must_be_below_the_start(
    org: dict[str, Any], cycle: PerformanceCycle, target: Decimal
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_key_result(
            org, make_objective(org, cycle), start_value=Decimal(8), target_value=target, direction="decrease"
        )
    assert caught.value.errors == {
        "target_value": [
            f"The target ({target}) must be below the start value (8) for a metric that should decrease."
        ]
    }


def test_changing_direction_or_values_is_checked_too(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    key_result = make_key_result(org, make_objective(org, cycle))
    with pytest.raises(ValidationFailed, match="must be below the start value"):
        services.key_result_update(
            actor=org["users"]["hr"], key_result=key_result, changes={"direction": "decrease"}
        )
    with pytest.raises(ValidationFailed, match="must be above the start value"):
        services.key_result_update(
            actor=org["users"]["hr"], key_result=key_result, changes={"start_value": Decimal(95)}
        )


def test_the_database_refuses_a_target_on_the_wrong_side(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyResult.objects.create(
            objective=objective, title="x", metric="m", start_value=5, target_value=1, current_value=5,
            direction="increase", weight=10,
        )


def test_weights_of_an_objective_may_not_pass_100(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    make_key_result(org, objective, weight=Decimal("60"))
    second = make_key_result(org, objective, weight=Decimal("40"))  # exactly 100 is fine
    with pytest.raises(ValidationFailed) as caught:
        make_key_result(org, objective, weight=Decimal("10"))
    assert caught.value.errors == {
        "weight": ["The key results of this objective would weigh 110% together; at most 100% is allowed."]
    }
    with pytest.raises(ValidationFailed, match=re.escape("would weigh 100.5% together")):
        services.key_result_update(actor=org["users"]["hr"], key_result=second, changes={"weight": Decimal("40.5")})
    services.key_result_update(actor=org["users"]["hr"], key_result=second, changes={"weight": Decimal("30")})
    assert KeyResult.objects.get(pk=second.pk).weight == Decimal(30)


@pytest.mark.parametrize("weight", [Decimal("0"), Decimal("-5"), Decimal("100.01")])
def test_a_weight_is_a_percentage(org: dict[str, Any], cycle: PerformanceCycle, weight: Decimal) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_key_result(org, make_objective(org, cycle), weight=weight)
    assert caught.value.errors == {"weight": ["A weight is a percentage above 0 and at most 100."]}


def test_the_current_value_moves_only_by_check_ins(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    key_result = make_key_result(org, make_objective(org, cycle))
    with pytest.raises(ValidationFailed) as caught:
        services.key_result_update(
            actor=org["users"]["hr"], key_result=key_result, changes={"current_value": Decimal(80)}
        )
    assert caught.value.errors == {
        "current_value": ["Record a check-in to change the current value, so its history is kept."]
    }
    # the same value (as a full PUT sends it) is no change
    services.key_result_update(
        actor=org["users"]["hr"], key_result=key_result, changes={"current_value": Decimal(70), "unit": "pts"}
    )


# --- check-ins ---


def test_a_check_in_moves_the_current_value_and_is_audited(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    key_result = make_key_result(org, objective, weight=Decimal(60))
    make_key_result(org, objective, weight=Decimal(40), start_value=Decimal(0), target_value=Decimal(10),
                    current_value=Decimal(10))
    employee = org["users"]["employee"]
    check_in = services.check_in_add(actor=employee, key_result=key_result, value=Decimal(78), comment=" survey ")
    assert (check_in.value, check_in.comment, check_in.author) == (Decimal(78), "survey", employee)
    key_result.refresh_from_db()
    assert key_result.current_value == Decimal(78)
    assert (key_result.progress(), key_result.score()) == (0.4, 40.0)
    # 60 x 40 + 40 x 100 over 100
    assert Objective.objects.get(pk=objective.pk).score() == 64.0
    entry = AuditEntry.objects.get(object_type="performance.keyresult", action="update")
    assert (entry.field, entry.old_value, entry.new_value, entry.actor) == ("current_value", "70.0000", "78", employee)
    assert CheckIn.objects.count() == 1


def test_someone_else_cannot_check_in_on_a_personal_key_result(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    key_result = make_key_result(org, make_objective(org, cycle, owner="report"))
    with pytest.raises(PermissionDenied, match="own personal objectives"):
        services.check_in_add(actor=org["users"]["outsider"], key_result=key_result, value=Decimal(90))
    assert not CheckIn.objects.exists()
