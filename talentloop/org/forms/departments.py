"""Department forms. They parse input only; the services decide what is valid."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentloop.core.selectors import department_options

from ..models import Department


class DepartmentChoiceField(forms.TypedChoiceField):
    """A department picked from the tree (labels indented by depth); cleans to its id.
    The choices are filled per form instance from one query (see `load_department_choices`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)


def load_department_choices(field: forms.Field, blank_label: Any) -> None:
    cast(forms.ChoiceField, field).choices = [("", blank_label), *department_options()]


def department_by_id(pk: int | None) -> Department | None:
    return Department.objects.filter(pk=pk).first() if pk is not None else None


class DepartmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=30, help_text=_("Short and unique, for example SALES.")
    )
    name = forms.CharField(label=pgettext_lazy("department", "Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    parent = DepartmentChoiceField(label=_("Parent department"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        load_department_choices(self.fields["parent"], _("— None (top level) —"))

    @staticmethod
    def initial_for(department: Department) -> dict[str, Any]:
        return {
            "code": department.code,
            "name": department.name,
            "name_en": department.name_en,
            "parent": department.parent_id,
        }

    def service_data(self) -> dict[str, Any]:
        """Keyword arguments for department_create, or the `changes` of department_update."""
        data = dict(self.cleaned_data)
        data["parent"] = department_by_id(data.get("parent"))
        return data
