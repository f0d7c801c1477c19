"""Forms of the written-test pages. They only parse what the builder and the assign page post; the rules (limits,
valid questions, who may do what) are the service's (services.written_tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentloop.org.models import Job

from .models import WrittenTest, WrittenTestQuestion
from .services import written_tests as services

Kind = WrittenTestQuestion.Kind
OPTION_SLOTS = services.OPTIONS_MAX
SHOWN_OPTIONS = 4
DEFAULT_EXPIRY_DAYS = 7


class WrittenTestForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.MAX_TITLE)
    job = forms.ModelChoiceField(
        label=gettext_lazy("Job"), required=False, queryset=Job.objects.none(),
        empty_label=gettext_lazy("Any job (a general test)"),
    )
    time_limit_minutes = forms.IntegerField(
        label=gettext_lazy("Time limit (minutes)"), initial=30,
        help_text=gettext_lazy("1 to 300 minutes. The timer starts when the candidate presses Start."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    instructions = forms.CharField(
        label=gettext_lazy("Instructions for the candidate"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, jobs: QuerySet[Job], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["job"]).queryset = jobs

    @staticmethod
    def initial_for(test: WrittenTest) -> dict[str, Any]:
        return {
            "title": test.title, "job": test.job_id, "time_limit_minutes": test.time_limit_minutes,
            "instructions": test.instructions,
        }


class QuestionForm(forms.Form):
    """One question row: kind, text, points, and ten option slots, each with a "correct" box."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.SINGLE)
    text = forms.CharField(label=gettext_lazy("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    points = forms.DecimalField(
        label=gettext_lazy("Points"), required=False, initial=1, decimal_places=1, max_digits=6,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(OPTION_SLOTS):
            self.fields[f"option_{slot}"] = forms.CharField(
                label=_("Option %(n)d") % {"n": slot + 1}, required=False, max_length=services.MAX_OPTION
            )
            self.fields[f"correct_{slot}"] = forms.BooleanField(label=_("Correct"), required=False)

    def option_rows(self) -> dict[str, list[tuple[forms.BoundField, forms.BoundField, int]]]:
        """The option slots to show now and those folded away under "More options"."""
        filled = [slot for slot in range(OPTION_SLOTS) if str(self[f"option_{slot}"].value() or "").strip()]
        shown = min(OPTION_SLOTS, max(SHOWN_OPTIONS, (max(filled) + 2) if filled else 0))
        rows = [(self[f"option_{slot}"], self[f"correct_{slot}"], slot + 1) for slot in range(OPTION_SLOTS)]
        return {"shown": rows[:shown], "more": rows[shown:]}

    def to_question(self) -> dict[str, Any] | None:
        """The question for the service, or None for a blank row. Short answers ignore the option slots."""
        data = self.cleaned_data
        options = [str(data.get(f"option_{slot}") or "").strip() for slot in range(OPTION_SLOTS)]
        if not data.get("id") and not str(data.get("text") or "").strip() and not any(options):
            return None
        question: dict[str, Any] = {
            "id": data.get("id"), "kind": data.get("kind"), "text": data.get("text") or "",
            "points": data.get("points"), "options": [], "correct": [],
        }
        if data.get("kind") != Kind.SHORT:
            used = [slot for slot, option in enumerate(options) if option]
            question["options"] = [options[slot] for slot in used]
            question["correct"] = [index for index, slot in enumerate(used) if data.get(f"correct_{slot}")]
        return question


if TYPE_CHECKING:
    _QuestionFormSet = forms.BaseFormSet[QuestionForm]
else:  # Django's classes take no type parameters at run time
    _QuestionFormSet = forms.BaseFormSet


class QuestionFormSet(_QuestionFormSet):
    """The builder's rows. Blank rows are ignored; a row is removed by ticking its "Remove" box (the script
    does that behind its button), so row numbers never need renumbering."""

    form = QuestionForm
    extra = 1
    can_order = False
    can_delete = True
    can_delete_extra = True
    min_num = 0
    max_num = services.MAX_QUESTIONS
    absolute_max = services.MAX_QUESTIONS + 50
    validate_min = False
    validate_max = False
    renderer = None

    def __init__(self, *args: Any, extra: int = 1, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "q")
        super().__init__(*args, **kwargs)
        self.extra = extra

    def add_fields(self, form: QuestionForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this question")

    @staticmethod
    def initial_for(test: WrittenTest) -> list[dict[str, Any]]:
        rows = []
        for question in test.questions.all():
            row: dict[str, Any] = {
                "id": question.pk, "kind": question.kind, "text": question.text, "points": question.points,
            }
            for slot, option in enumerate(question.options):
                row[f"option_{slot}"] = option
                row[f"correct_{slot}"] = slot in question.correct
            rows.append(row)
        return rows

    def questions(self) -> tuple[list[dict[str, Any]], list[QuestionForm]]:
        """(questions for the service, the form of each). Call after is_valid()."""
        found: list[dict[str, Any]] = []
        rows: list[QuestionForm] = []
        for form in self.forms:
            if form in self.deleted_forms:
                continue
            question = form.to_question()
            if question is not None:
                found.append(question)
                rows.append(form)
        return found, rows


class TestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.job.title}" if obj.job else str(obj.title)


class AssignForm(forms.Form):
    test = TestChoiceField(
        label=gettext_lazy("Test"), queryset=WrittenTest.objects.none(), empty_label=gettext_lazy("Choose a test")
    )
    expires_in_days = forms.IntegerField(
        label=gettext_lazy("The link can be used for (days)"), initial=DEFAULT_EXPIRY_DAYS,
        help_text=gettext_lazy("1 to 90 days to start the test; once started, the test's time limit applies."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    send_email = forms.BooleanField(label=gettext_lazy("Email the link to the candidate"), required=False, initial=True)

    def __init__(self, *args: Any, tests: QuerySet[WrittenTest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["test"]).queryset = tests
