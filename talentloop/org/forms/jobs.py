"""Forms of the job pages, including the competency-model editor (a formset of model lines).

They only parse input: weights summing to 100%, duplicates and score ranges are checked by
services.jobs so the HTML pages and the API give the same answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import INTERVIEW_MODALITIES, Competency, Department, Job, JobLevel
from ..services.jobs import ModelLine

MODEL_PREFIX = "model"
EXTRA_ROWS = 3
DEFAULT_REQUIRED_SCORE = 70
HUNDRED = Decimal("100")
# The service accepts a total within 0.001 of 1, i.e. 0.1 percentage points.
TOTAL_TOLERANCE = Decimal("0.1")

Choices = list[tuple[Any, Any]]


def weight_percent(weight: Decimal) -> Decimal:
    """A stored weight (0.400) as the percentage people read and type (40, or 33.3)."""
    value = (weight * HUNDRED).quantize(Decimal("0.1"))
    return value.to_integral_value() if value == value.to_integral_value() else value


def total_is_complete(total_percent: Decimal) -> bool:
    return abs(total_percent - HUNDRED) <= TOTAL_TOLERANCE


def modality_choices() -> Choices:
    return [("text", _("Text (typed)")), ("audio", _("Voice (recorded)")), ("video", _("Video (recorded)"))]


class ModeCheckboxes(forms.CheckboxSelectMultiple):
    """Answer-mode checkboxes: "text" is always on (shown ticked and disabled, added back by the form's clean),
    and options in `disabled` cannot be ticked (e.g. voice without a speech recogniser)."""

    always_on = frozenset({"text"})

    def __init__(self, *args: Any, disabled: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disabled = frozenset(disabled)

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int, subindex: int | None = None,
                      attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in self.always_on:
            option["selected"] = True
            option["attrs"] = {**option["attrs"], "checked": True, "disabled": True}
        elif value in self.disabled:
            option["selected"] = False
            option["attrs"] = {key: v for key, v in option["attrs"].items() if key != "checked"} | {"disabled": True}
        return option


def with_text(modes: Iterable[str]) -> list[str]:
    """The chosen modes in the canonical order, text always among them."""
    chosen = set(modes) | {"text"}
    return [mode for mode in INTERVIEW_MODALITIES if mode in chosen]


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Job.Status.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["department"]).queryset = departments


class JobForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    level = forms.ModelChoiceField(
        label=_("Position level"), required=False, queryset=JobLevel.objects.none(), empty_label=_("Not set")
    )
    # The lower bound is the service's rule; the form only parses the number.
    headcount = forms.IntegerField(label=_("Headcount"), initial=1)
    status = forms.ChoiceField(label=_("Status"), choices=Job.Status.choices, initial=Job.Status.DRAFT)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    requirements = forms.CharField(
        label=_("Requirements"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # AI interview settings. Unknown modes are refused by the service (the API shares the rule).
    interview_modalities = forms.MultipleChoiceField(
        label=_("AI interview answer modes"), required=False, choices=modality_choices, widget=ModeCheckboxes,
        initial=["text"],
        help_text=_("Typed answers are always accepted. With voice or video, candidates may record an answer "
                    "instead, after agreeing separately to its analysis."),
    )
    delivery_in_score = forms.BooleanField(
        label=_("Delivery signals count in scores"), required=False, initial=False,
        help_text=_("Off: pace, pauses and presence on camera are shown to HR but every score comes from what the "
                    "candidate said. On: they make up a fifth of a recorded answer's score, for candidates who "
                    "agreed to that analysis."),
    )
    allow_rerecord = forms.BooleanField(
        label=_("Candidates may re-record an answer before submitting it"), required=False, initial=True,
    )

    def __init__(
        self, *args: Any, departments: QuerySet[Department], levels: QuerySet[JobLevel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["department"]).queryset = departments
        cast("forms.ModelChoiceField[Any]", self.fields["level"]).queryset = levels

    @classmethod
    def initial_for(cls, job: Job) -> dict[str, Any]:
        return {
            "title": job.title, "department": job.department_id, "level": job.level_id,
            "headcount": job.headcount, "status": job.status, "description": job.description,
            "requirements": job.requirements, "interview_modalities": with_text(job.interview_modalities or []),
            "delivery_in_score": job.delivery_in_score, "allow_rerecord": job.allow_rerecord,
        }

    def clean_interview_modalities(self) -> list[str]:
        return with_text(self.cleaned_data.get("interview_modalities") or [])

    def to_data(self) -> dict[str, Any]:
        """The field values services.job_create / job_update take."""
        return dict(self.cleaned_data)


class CompetencyLineForm(forms.Form):
    """One row of the editor. The weight is typed in percent; the service stores fractions."""

    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int, empty_value=None)
    weight = forms.DecimalField(
        label=_("Weight (%)"), widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    required_score = forms.IntegerField(
        label=_("Required score (0–100)"), initial=DEFAULT_REQUIRED_SCORE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["competency"]).choices = [("", "—"), *choices]


def competency_choices(competencies: Iterable[Competency]) -> Choices:
    """Select options grouped by category, in the active language; retired ones say so."""
    groups: dict[str, Choices] = {value: [] for value in Competency.Category.values}
    for competency in competencies:
        label = competency.display_name
        if not competency.is_active:
            label = gettext("%(name)s (inactive)") % {"name": label}
        groups.setdefault(competency.category, []).append((competency.pk, label))
    labels = dict(Competency.Category.choices)
    return [(labels.get(category, category), options) for category, options in groups.items() if options]


if TYPE_CHECKING:
    _LineFormSet = forms.BaseFormSet[CompetencyLineForm]
else:  # Django's classes take no type parameters at run time
    _LineFormSet = forms.BaseFormSet


class CompetencyModelFormSet(_LineFormSet):
    """The editor's rows. Extra rows may stay blank; a row is removed by ticking its DELETE box (the
    script does that behind its remove button), so row numbers never need renumbering."""

    # What formset_factory would set, written out so the class keeps its own type for mypy.
    form = CompetencyLineForm
    extra = EXTRA_ROWS
    can_order = False
    can_delete = True
    can_delete_extra = True
    min_num = 0
    max_num = 1000
    absolute_max = 2000
    validate_min = False
    validate_max = False
    renderer = None

    def __init__(self, *args: Any, competencies: Sequence[Competency], **kwargs: Any) -> None:
        self.competencies = {competency.pk: competency for competency in competencies}
        # Choices are built once and shared, so the page runs one query whatever the number of rows.
        kwargs.setdefault("prefix", MODEL_PREFIX)
        kwargs["form_kwargs"] = {"choices": competency_choices(competencies)}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: CompetencyLineForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    @staticmethod
    def initial_for(job: Job) -> list[dict[str, Any]]:
        return [
            {"competency": line.competency_id, "weight": weight_percent(line.weight),
             "required_score": line.required_score}
            for line in job.competency_model.all()
        ]

    def lines(self) -> list[ModelLine]:
        """The model lines for the service, in row order; blank and removed rows are left out.
        Call after is_valid()."""
        deleted = self.deleted_forms
        result: list[ModelLine] = []
        for form in self.forms:
            data = form.cleaned_data
            if form in deleted or not data or data.get("competency") is None:
                continue
            result.append({
                "competency": self.competencies[data["competency"]],
                "weight": data["weight"] / HUNDRED,
                "required_score": data["required_score"],
            })
        return result

    def weight_total(self) -> Decimal:
        """The sum of the weights shown on the page (also for a re-rendered, invalid submission)."""
        total = Decimal("0")
        for form in self.forms:
            if "DELETE" in form.fields and form["DELETE"].value():
                continue
            raw = form["weight"].value()
            try:
                weight = Decimal(str(raw).strip()) if raw not in (None, "") else Decimal("0")
            except InvalidOperation:
                continue
            if weight.is_finite():
                total += weight
        return total
