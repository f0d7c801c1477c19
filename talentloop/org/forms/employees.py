"""Employee forms: the HR form with every field, the self-service form, and the list filters.
Business rules (ID checksum, manager loops, duplicates) are the service's; the forms only parse."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import User

from ..models import Employee, Job, JobLevel
from .departments import DepartmentChoiceField, department_by_id, load_department_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker needs ISO dates whatever the active language.
        super().__init__(attrs, format="%Y-%m-%d")


class JobChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Job) -> str:
        return f"{obj.title} · {obj.department.display_name}"


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or employee number")}),
    )
    department = DepartmentChoiceField(label=_("Department"), required=False)
    sub = forms.BooleanField(label=_("Include sub-departments"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    manager = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        load_department_choices(self.fields["department"], _("All departments"))
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [("", _("All statuses")), *Employee.Status.choices]

    def selector_filters(self) -> dict[str, Any]:
        """Arguments for org.selectors.employee_list from the valid filters; invalid ones are ignored
        (and shown as errors next to their input)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "department": data.get("department"),
            "include_subdepartments": bool(data.get("sub")),
            "status": data.get("status") or None,
            "manager": data.get("manager"),
            "search": data.get("q") or None,
        }


class EmployeeForm(forms.Form):
    """Everything HR maintains. The ID number is never sent back to the browser: empty means unchanged."""

    employee_no = forms.CharField(label=_("Employee number"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=100)
    english_name = forms.CharField(label=_("English name"), max_length=100, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Employee.Gender.choices)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
        help_text=_("All 18 characters. The birth date and gender are checked against it."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    department = DepartmentChoiceField(label=_("Department"))
    job = JobChoiceField(
        label=_("Job"),
        required=False,
        queryset=Job.objects.select_related("department").order_by("title", "id"),
    )
    level = forms.ModelChoiceField(
        label=_("Position level"), required=False, queryset=JobLevel.objects.order_by("rank", "code")
    )
    manager = forms.CharField(
        label=_("Manager"),
        max_length=30,
        required=False,
        help_text=_("The manager's employee number; leave empty for none."),
    )
    hire_date = forms.DateField(label=_("Hire date"), required=False, widget=DateInput)
    status = forms.ChoiceField(
        label=_("Employment status"), choices=Employee.Status.choices, initial=Employee.Status.ACTIVE
    )
    user = forms.CharField(
        label=_("Login"),
        max_length=150,
        required=False,
        help_text=_("Username of the account this employee logs in with; leave empty for none."),
    )

    fieldsets_layout = (
        (_("Identity"), ("employee_no", "name", "english_name", "gender", "birth_date", "id_number")),
        (_("Contact"), ("phone", "email")),
        (_("Position"), ("department", "job", "level", "manager", "hire_date", "status", "user")),
    )

    def __init__(self, *args: Any, employee: Employee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        load_department_choices(self.fields["department"], "---------")
        if employee is not None and employee.id_number:
            self.fields["id_number"].help_text = _(
                "Currently %(masked)s. Leave empty to keep it; type all 18 characters to replace it."
            ) % {"masked": employee.masked_id_number}

    @staticmethod
    def initial_for(employee: Employee) -> dict[str, Any]:
        """The current values, except the ID number, which is only ever shown masked."""
        return {
            "employee_no": employee.employee_no,
            "name": employee.name,
            "english_name": employee.english_name,
            "gender": employee.gender,
            "birth_date": employee.birth_date,
            "phone": employee.phone,
            "email": employee.email,
            "department": employee.department_id,
            "job": employee.job_id,
            "level": employee.level_id,
            "manager": employee.manager.employee_no if employee.manager else "",
            "hire_date": employee.hire_date,
            "status": employee.status,
            "user": employee.user.get_username() if employee.user else "",
        }

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets_layout]

    def clean_manager(self) -> Employee | None:
        number = self.cleaned_data["manager"].strip()
        if not number:
            return None
        manager = Employee.objects.filter(employee_no=number).first()
        if manager is None:
            raise forms.ValidationError(_("No employee has the number %(no)s."), params={"no": number})
        return manager

    def clean_user(self) -> User | None:
        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no login named %(name)s."), params={"name": username})
        # The database allows one employee per login; saying so here beats a failed save.
        others = Employee.objects.filter(user=user)
        if self.employee is not None:
            others = others.exclude(pk=self.employee.pk)
        if others.exists():
            raise forms.ValidationError(_("This login already belongs to another employee."))
        return user

    def service_data(self) -> dict[str, Any]:
        """The `data` of employee_create or the `changes` of employee_update."""
        data = dict(self.cleaned_data)
        data["department"] = department_by_id(data.get("department"))
        if self.employee is not None and not data.get("id_number"):
            del data["id_number"]
        return data


class EmployeeSelfForm(forms.Form):
    """What employees may change on their own record (the service enforces the same list)."""

    english_name = forms.CharField(label=_("English name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)

    @staticmethod
    def initial_for(employee: Employee) -> dict[str, Any]:
        return {"english_name": employee.english_name, "phone": employee.phone, "email": employee.email}

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(_("Contact"), [self[name] for name in ("english_name", "phone", "email")])]

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
