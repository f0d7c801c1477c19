"""KPI library and targets through the services: who may write, every refusal with its message, the scores,
and the default library."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.performance import kpi_selectors as selectors
from talentloop.performance import kpis as services
from talentloop.performance.kpi_defaults import DEFAULT_KPIS, kpi_library_seed
from talentloop.performance.models import Kpi, KpiTarget, PerformanceCycle

D = Decimal


def make_kpi(org: dict[str, Any], code: str = "csat", **extra: Any) -> Kpi:
    values: dict[str, Any] = {
        "code": code, "name": "客户满意度", "name_en": "Customer satisfaction", "unit": "points",
        "floor_value": D(60), "threshold_value": D(80), "target_value": D(90),
    }
    values.update(extra)
    return services.kpi_create(actor=org["users"]["hr"], **values)


def make_target(org: dict[str, Any], cycle: PerformanceCycle, kpi: Kpi, who: str = "report", **extra: Any) -> KpiTarget:
    values: dict[str, Any] = {"weight": D(40)}
    values.update(extra)
    return services.kpi_target_create(
        actor=org["users"]["hr"], cycle=cycle, employee=org["employees"][who], kpi=kpi, **values
    )


def _errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in exc.value.errors.items()}


# --- the library ----------------------------------------------------------------------------------------------


def test_hr_creates_a_kpi_and_it_is_audited(org: dict[str, Any]) -> None:
    kpi = make_kpi(org, code="  csat ", competency=None)
    assert (kpi.code, kpi.direction, kpi.is_active) == ("csat", "increase", True)
    assert AuditEntry.objects.filter(object_id=str(kpi.pk), action="create").count() == 1


@pytest.mark.parametrize("who", ["manager", "employee", "recruiter", "candidate"])
def test_only_hr_writes_the_library(org: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.kpi_create(
            actor=org["users"][who], code="x", name="x", floor_value=D(0), threshold_value=D(1), target_value=D(2),
        )
    assert not Kpi.objects.exists()


def test_a_scale_out_of_order_is_refused_with_messages(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as up:
        make_kpi(org, floor_value=D(80), threshold_value=D(80), target_value=D("79.5"))
    assert _errors(up) == {
        "threshold_value": ["For a KPI that should increase, the threshold (80) must be above the floor (80)."],
        "target_value": ["For a KPI that should increase, the target (79.5) must be above the threshold (80)."],
    }
    with pytest.raises(ValidationFailed) as down:
        make_kpi(org, direction="decrease", floor_value=D(48), threshold_value=D(24), target_value=D(30))
    assert _errors(down) == {
        "target_value": ["For a KPI that should decrease, the target (30) must be below the threshold (24)."],
    }
    assert not Kpi.objects.exists()


def test_code_and_name_are_checked(org: dict[str, Any]) -> None:
    make_kpi(org, code="csat")
    with pytest.raises(ValidationFailed) as exc:
        make_kpi(org, code="csat", name=" ")
    assert _errors(exc) == {
        "code": ["Another KPI already has the code “csat”."], "name": ["A KPI needs a name."],
    }
    with pytest.raises(ValidationFailed) as bad:
        make_kpi(org, code="Sales Revenue")
    assert list(_errors(bad)) == ["code"]


def test_a_threshold_that_strands_employee_targets_is_refused(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    make_target(org, cycle, kpi, target_value=D(85))
    make_target(org, cycle, kpi, who="indirect", target_value=D(95))
    with pytest.raises(ValidationFailed) as exc:
        services.kpi_update(actor=org["users"]["hr"], kpi=kpi, changes={"threshold_value": D(85)})
    assert _errors(exc) == {
        "threshold_value": ["1 employee target of this KPI is not beyond the threshold 85; change it first."],
    }
    with pytest.raises(ValidationFailed) as direction:
        services.kpi_update(actor=org["users"]["hr"], kpi=kpi, changes={
            "direction": "decrease", "floor_value": D(100), "threshold_value": D(80), "target_value": D(60),
        })
    assert _errors(direction) == {
        "direction": ["Employees already have targets for this KPI, so its direction cannot change."],
    }
    kpi.refresh_from_db()
    assert (kpi.threshold_value, kpi.direction) == (D(80), "increase")
    services.kpi_update(actor=org["users"]["hr"], kpi=kpi, changes={"threshold_value": D(70), "name": " CSAT "})
    kpi.refresh_from_db()
    assert (kpi.threshold_value, kpi.name) == (D(70), "CSAT")


def test_a_kpi_in_use_is_retired_not_deleted(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    used, unused = make_kpi(org, code="used"), make_kpi(org, code="unused")
    make_target(org, cycle, used)
    with pytest.raises(Conflict, match="retire it"):
        services.kpi_delete(actor=org["users"]["hr"], kpi=used)
    services.kpi_delete(actor=org["users"]["hr"], kpi=unused)
    assert list(Kpi.objects.values_list("code", flat=True)) == ["used"]


# --- targets --------------------------------------------------------------------------------------------------


def test_a_target_defaults_to_the_library_target(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org), comment=" first quarter ")
    assert (target.target_value, target.actual_value, target.weight, target.comment) == (
        D(90), None, D(40), "first quarter"
    )
    assert selectors.kpi_target_score(target) is None


def test_weights_over_100_per_employee_and_cycle_are_refused(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    a, b = make_kpi(org, code="a"), make_kpi(org, code="b")
    first = make_target(org, cycle, a, weight=D(70))
    with pytest.raises(ValidationFailed) as exc:
        make_target(org, cycle, b, weight=D("30.5"))
    assert _errors(exc) == {
        "weight": ["The KPI targets of 李员工 in this cycle would weigh 100.5% together; at most 100% is allowed."],
    }
    assert KpiTarget.objects.count() == 1
    make_target(org, cycle, b, weight=D(30))  # exactly 100 is fine
    make_target(org, cycle, a, who="indirect", weight=D(100))  # another employee has their own 100
    with pytest.raises(ValidationFailed) as update:
        services.kpi_target_update(actor=org["users"]["hr"], target=first, changes={"weight": D(71)})
    assert _errors(update)["weight"] == [
        "The KPI targets of 李员工 in this cycle would weigh 101% together; at most 100% is allowed."
    ]
    with pytest.raises(ValidationFailed) as zero:
        make_target(org, cycle, make_kpi(org, code="c"), who="manager", weight=D(0))
    assert _errors(zero) == {"weight": ["A weight is a percentage above 0 and at most 100."]}


def test_target_refusals_name_each_field(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    retired = make_kpi(org, code="old", name="旧指标", is_active=False)
    make_target(org, cycle, kpi)
    with pytest.raises(ValidationFailed) as duplicate:
        make_target(org, cycle, kpi, weight=D(10), target_value=D(80))
    assert _errors(duplicate) == {
        "kpi": ["李员工 already has the KPI “客户满意度” in this cycle."],
        "target_value": ["For a KPI that should increase, the target (80) must be above the threshold (80)."],
    }
    with pytest.raises(ValidationFailed) as old:
        make_target(org, cycle, retired, weight=D(10))
    assert _errors(old) == {"kpi": ["The KPI “旧指标” is retired; choose an active one."]}
    cycle.employees.remove(org["employees"]["outsider"])
    with pytest.raises(ValidationFailed) as outside:
        make_target(org, cycle, kpi, who="outsider")
    assert _errors(outside) == {"employee": ["陈研发 does not take part in the cycle “2026 Q3”."]}


def test_nothing_changes_in_a_closed_cycle(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org))
    cycle.phase = PerformanceCycle.Phase.CLOSED
    cycle.save()
    with pytest.raises(Conflict, match="closed"):
        services.kpi_target_update(actor=org["users"]["hr"], target=target, changes={"actual_value": D(85)})
    with pytest.raises(Conflict, match="closed"):
        services.kpi_actuals_set(
            actor=org["users"]["hr"], cycle=cycle, employee=target.employee, actuals={target.pk: D(85)}
        )


def test_managers_write_their_team_only(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi, manager = make_kpi(org), org["users"]["manager"]
    for who in ("report", "indirect"):
        services.kpi_target_create(actor=manager, cycle=cycle, employee=org["employees"][who], kpi=kpi, weight=D(50))
    with pytest.raises(PermissionDenied, match="your own team"):
        services.kpi_target_create(
            actor=manager, cycle=cycle, employee=org["employees"]["outsider"], kpi=kpi, weight=D(50)
        )
    with pytest.raises(PermissionDenied, match="set by your manager or HR"):
        services.kpi_target_create(
            actor=manager, cycle=cycle, employee=org["employees"]["manager"], kpi=kpi, weight=D(50)
        )
    assert KpiTarget.objects.count() == 2


def test_employees_only_read(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org))
    with pytest.raises(PermissionDenied, match="you can read your own"):
        services.kpi_target_update(actor=org["users"]["employee"], target=target, changes={"actual_value": D(90)})
    with pytest.raises(PermissionDenied):
        services.kpi_target_delete(actor=org["users"]["recruiter"], target=target)


def test_a_target_keeps_its_cycle_employee_and_kpi(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org))
    with pytest.raises(ValidationFailed, match="keeps its cycle"):
        services.kpi_target_update(
            actor=org["users"]["hr"], target=target, changes={"employee": org["employees"]["indirect"]}
        )


def test_actuals_give_scores_and_a_weighted_score(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    csat = make_kpi(org)  # 60 -> 0, 80 -> 60, 90 -> 100
    churn = make_kpi(org, code="churn", direction="decrease", floor_value=D(15), threshold_value=D(8),
                     target_value=D(4))
    tickets = make_kpi(org, code="tickets", floor_value=D(0), threshold_value=D(10), target_value=D(20))
    a = make_target(org, cycle, csat, weight=D(50), target_value=D(100))
    b = make_target(org, cycle, churn, weight=D(30))
    c = make_target(org, cycle, tickets, weight=D(20))
    changed = services.kpi_actuals_set(
        actor=org["users"]["manager"], cycle=cycle, employee=org["employees"]["report"],
        actuals={a.pk: D(90), b.pk: D(6), c.pk: None},
    )
    assert {t.pk for t in changed} == {a.pk, b.pk}
    targets = list(selectors.kpi_target_list(user=org["users"]["hr"], cycle=cycle.pk))
    # csat: 60 + 40 * (90-80)/(100-80) = 80; churn: 60 + 40 * (8-6)/(8-4) = 80; tickets: no actual
    assert [(t.kpi.code, selectors.kpi_target_score(t)) for t in targets] == [
        ("churn", 80.0), ("csat", 80.0), ("tickets", None),
    ]
    assert selectors.kpi_weighted_score(targets) == 80.0
    services.kpi_actuals_set(
        actor=org["users"]["hr"], cycle=cycle, employee=org["employees"]["report"], actuals={c.pk: D(5)}
    )
    # (50*80 + 30*80 + 20*30) / 100 = 70
    assert selectors.kpi_weighted_score(selectors.kpi_target_list(user=org["users"]["hr"])) == 70.0


def test_actuals_for_unknown_targets_write_nothing(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    mine, other = make_target(org, cycle, kpi), make_target(org, cycle, kpi, who="indirect")
    with pytest.raises(ValidationFailed) as exc:
        services.kpi_actuals_set(
            actor=org["users"]["hr"], cycle=cycle, employee=org["employees"]["report"],
            actuals={mine.pk: D(85), other.pk: D(85)},
        )
    assert _errors(exc) == {"actuals": [f"No KPI target of 李员工 in this cycle has the id {other.pk}."]}
    assert list(KpiTarget.objects.values_list("actual_value", flat=True)) == [None, None]


def test_reads_are_narrowed_per_role(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    for who in ("manager", "report", "indirect", "outsider"):
        make_target(org, cycle, kpi, who=who)

    def seen(user: str) -> set[str]:
        return {t.employee.name for t in selectors.kpi_target_list(user=org["users"][user])}

    assert seen("hr") == {"王经理", "李员工", "赵实习", "陈研发"}
    assert seen("manager") == {"王经理", "李员工", "赵实习"}
    assert seen("employee") == {"李员工"}
    assert seen("outsider") == {"陈研发"}
    with pytest.raises(PermissionDenied):
        selectors.kpi_target_list(user=org["users"]["recruiter"])
    other = KpiTarget.objects.get(employee=org["employees"]["outsider"])
    with pytest.raises(PermissionDenied, match="KPI target"):
        selectors.kpi_target_get(user=org["users"]["employee"], pk=other.pk)


def test_competency_scores_for_reviews(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi_library_seed()
    by_code = {k.code: k for k in Kpi.objects.all()}
    employee = org["employees"]["report"]
    for code, weight, actual in (("customer_satisfaction", 60, D(86)), ("customer_churn_rate", 30, D(8)),
                                 ("new_customers", 10, D(10))):
        make_target(org, cycle, by_code[code], weight=D(weight), actual_value=actual)
    scores = selectors.kpi_competency_scores(cycle_id=cycle.pk, employee_id=employee.pk)
    customer = by_code["customer_satisfaction"].competency
    sales = by_code["new_customers"].competency
    assert customer is not None
    assert sales is not None
    # csat 86 on 60/80/92: 60 + 40 * 6/12 = 80; churn 8 = threshold: 60 -> (60*80 + 30*60)/90 = 73.33
    assert scores == {customer.pk: 73.3, sales.pk: 100.0}


def test_the_default_library_seeds_once(db: Any) -> None:
    assert kpi_library_seed() == len(DEFAULT_KPIS) == 9
    assert kpi_library_seed() == 0
    churn = Kpi.objects.get(code="customer_churn_rate")
    assert (churn.direction, churn.floor_value, churn.threshold_value, churn.target_value) == (
        "decrease", D(15), D(8), D(4)
    )
    assert churn.competency is not None
    assert churn.competency.code == "customer_orientation"
    assert Kpi.objects.filter(competency__isnull=True).count() == 0
    assert all(k.name and k.name_en and k.formula and k.unit for k in Kpi.objects.all())
    # every default passes the service's own checks
    for values in DEFAULT_KPIS:
        errors = services._Errors()
        services._validate_kpi(errors, values, kpi=Kpi.objects.get(code=values["code"]))
        assert errors.by_field == {}, values["code"]
