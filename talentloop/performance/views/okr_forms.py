"""Forms of the cycle, OKR and KR-rule pages, and how a service's refusal lands on them. The forms only parse
what the pages post; the services check the rules (the same ones the API goes through), so a form never refuses
what the service would accept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from talentloop.core.errors import DomainError
from talentloop.core.web import apply_domain_errors
from talentloop.org.models import Competency, Department, Employee

from ..models import KeyResult, KRRule, Objective, PerformanceCycle

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
# Phases that take a deadline: a closed cycle has nothing left to finish.
DEADLINE_PHASES = [p for p in PerformanceCycle.Phase if p != PerformanceCycle.Phase.CLOSED]


def show_errors(form: Any, exc: DomainError) -> None:
    """A service's refusal on the form: per-field messages beside the fields, the general one on top."""
    errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
    apply_domain_errors(form, errors)
    message = str(exc.message) if exc.message else ""
    if message and not any(message in msgs for msgs in errors.values()):
        form.add_error(None, message)


def readable(exc: DomainError) -> str:
    if exc.message:
        return str(exc.message)
    return " ".join("; ".join(str(m) for m in msgs) for msgs in exc.errors.values())


def _decimal(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=16, decimal_places=4, widget=NUMBER, help_text=help_text
    )


class EmployeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.employee_no})"


class CompetencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ObjectiveChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_level_display()}: {obj.title}"


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class CycleForm(forms.Form):
    """A cycle, its review weights and its participants: employees ticked one by one, plus everyone in the
    ticked departments."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PerformanceCycle.Kind.choices)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=PerformanceCycle.Method.choices)
    start = forms.DateField(label=gettext_lazy("Start"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("End"), widget=DATE)
    weight_manager = _decimal(gettext_lazy("Manager rating weight (%)"))
    weight_feedback = _decimal(gettext_lazy("360° feedback weight (%)"))
    weight_results = _decimal(
        gettext_lazy("KPI/OKR results weight (%)"),
        help_text=gettext_lazy("A review's competency score mixes the three sources with these weights (100% "
                               "together)."),
    )
    enrol_new_hires = forms.BooleanField(
        label=gettext_lazy("New hires join this cycle and get OKRs drafted from their interview"), required=False
    )
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Whole departments"), queryset=Department.objects.all(), required=False
    )
    employees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participants"), queryset=Employee.objects.all(), required=False
    )

    def participant_ids(self) -> list[int]:
        data = self.cleaned_data
        ids = {e.pk for e in data.get("employees") or []}
        departments = list(data.get("departments") or [])
        if departments:
            ids.update(
                Employee.objects.filter(department__in=departments).exclude(status=Employee.Status.TERMINATED)
                .values_list("pk", flat=True)
            )
        return sorted(ids)


class ObjectiveForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Objective.Level.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_employee = EmployeeChoice(
        label=gettext_lazy("Owner"), queryset=Employee.objects.none(), required=False,
        empty_label=gettext_lazy("No owner (company or department objective)"),
    )
    department = DepartmentChoice(
        label=gettext_lazy("Department"), queryset=Department.objects.none(), required=False,
        empty_label=gettext_lazy("No department"),
    )
    parent = ObjectiveChoice(
        label=gettext_lazy("Aligned with"), queryset=Objective.objects.none(), required=False,
        empty_label=gettext_lazy("Not aligned"),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Objective.Status.choices)

    def __init__(
        self, *args: Any, is_hr: bool, owners: QuerySet[Employee] | None, parents: QuerySet[Objective], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents
        if is_hr:
            department = self.fields["department"]
            assert isinstance(department, forms.ModelChoiceField)
            department.queryset = Department.objects.order_by("code")
        else:
            # Managers and employees write personal objectives only (the service says so if forced).
            del self.fields["department"]
            level = self.fields["level"]
            assert isinstance(level, forms.ChoiceField)
            level.choices = [(Objective.Level.PERSONAL, Objective.Level.PERSONAL.label)]
        if owners is None:  # an employee: the owner is themself
            del self.fields["owner_employee"]
        else:
            owner = self.fields["owner_employee"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = owners


class KeyResultForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    metric = forms.CharField(
        label=gettext_lazy("Metric"), max_length=120, help_text=gettext_lazy("What is measured, and how.")
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=KeyResult.Direction.choices)
    start_value = _decimal(gettext_lazy("Start value"))
    target_value = _decimal(gettext_lazy("Target value"))
    weight = _decimal(
        gettext_lazy("Weight (%)"),
        help_text=gettext_lazy("The key results of an objective weigh 100% at most together."),
    )
    current_value = _decimal(
        gettext_lazy("Current value"), required=False,
        help_text=gettext_lazy("Leave empty to start at the start value; later values come from check-ins."),
    )

    def __init__(self, *args: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the current value moves by check-ins only, so its history is kept
            del self.fields["current_value"]


class CheckInForm(forms.Form):
    value = _decimal(gettext_lazy("New value"))
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DeadlinesForm(forms.Form):
    """One optional date per phase (except "closed")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for phase in DEADLINE_PHASES:
            self.fields[phase.value] = forms.DateField(label=phase.label, required=False, widget=DATE)

    def deadlines(self) -> dict[str, Any]:
        return {phase: due for phase, due in self.cleaned_data.items() if due is not None}


class DraftRequestForm(forms.Form):
    """Draft one employee's OKRs from their interview report: managers pick from their team; HR, whose company
    may have thousands of employees, types the employee number."""

    cycle = forms.ModelChoiceField(label=gettext_lazy("Cycle"), queryset=PerformanceCycle.objects.none())
    employee = EmployeeChoice(label=gettext_lazy("Employee"), queryset=Employee.objects.none())

    def __init__(
        self, *args: Any, cycles: QuerySet[PerformanceCycle], employees: QuerySet[Employee], by_number: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cycle = self.fields["cycle"]
        employee = self.fields["employee"]
        assert isinstance(cycle, forms.ModelChoiceField)
        assert isinstance(employee, forms.ModelChoiceField)
        cycle.queryset = cycles
        employee.queryset = employees
        if by_number:
            employee.to_field_name = "employee_no"
            employee.widget = forms.TextInput()
            employee.label = gettext_lazy("Employee number")


class RuleForm(forms.Form):
    competency = CompetencyChoice(label=gettext_lazy("Competency"), queryset=Competency.objects.none())
    title_zh = forms.CharField(
        label=gettext_lazy("Chinese title"), max_length=200,
        help_text=gettext_lazy("{target} and {score} are replaced by the numbers."),
    )
    title_en = forms.CharField(
        label=gettext_lazy("English title"), max_length=200,
        help_text=gettext_lazy("{target} and {score} are replaced by the numbers."),
    )
    metric = forms.CharField(label=gettext_lazy("Metric"), max_length=120)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=KeyResult.Direction.choices)
    start_value = _decimal(
        gettext_lazy("Start value"), required=False,
        help_text=gettext_lazy("Leave empty to start from the interview score."),
    )
    formula = forms.ChoiceField(label=gettext_lazy("Formula"), choices=KRRule.Formula.choices)
    parameter = _decimal(
        gettext_lazy("Formula parameter"),
        help_text=gettext_lazy("The amount added to the interview score, or the ratio it is multiplied by."),
    )
    cap = _decimal(gettext_lazy("Cap"), help_text=gettext_lazy("The target never goes above the cap."))
    floor = _decimal(gettext_lazy("Floor"), required=False)
    weight = _decimal(gettext_lazy("Weight (%)"))
    is_active = forms.BooleanField(label=gettext_lazy("Active: used when drafting"), required=False)

    def __init__(self, *args: Any, current: Competency | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competency = self.fields["competency"]
        assert isinstance(competency, forms.ModelChoiceField)
        active = Competency.objects.filter(is_active=True)
        if current is not None:  # a rule may point at a competency retired since
            active = active | Competency.objects.filter(pk=current.pk)
        competency.queryset = active.order_by("code")

    @staticmethod
    def initial_for(rule: KRRule) -> dict[str, Any]:
        return {field: getattr(rule, field) for field in (
            "competency", "title_zh", "title_en", "metric", "unit", "direction", "start_value", "formula",
            "parameter", "cap", "floor", "weight", "is_active",
        )}
