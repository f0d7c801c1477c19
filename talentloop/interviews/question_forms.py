"""Forms of the question bank pages. They only parse what the page posts; services.questions checks the rules
(the same for the API) and its per-field messages are put back onto these forms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentloop.org.models import Competency

from .models import InterviewQuestion, QuestionLanguage, QuestionType
from .services.questions import KEY_POINTS_MAX, LEVEL_KEYS, TIME_LIMIT_MAX, TIME_LIMIT_MIN


def _range() -> str:
    return gettext("From %(min)d to %(max)d seconds.") % {"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX}


_lazy_range = lazy(_range, str)
DIFFICULTIES = [(1, _("1 · junior")), (2, _("2 · mid-level")), (3, _("3 · senior"))]
_SYNONYM_SPLIT = re.compile(r"[,，、;；\n]+")


class CompetencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.code})"


class QuestionForm(forms.Form):
    competency = CompetencyChoice(
        label=_("Competency"), queryset=Competency.objects.none(), to_field_name="code", required=False,
        empty_label=_("Choose a competency"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *QuestionLanguage.choices], required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *QuestionType.choices], required=False)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=DIFFICULTIES, coerce=int, initial=2, required=False, empty_value=None
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"), initial=180, required=False,
        # Interpolated when the page renders: `%` on a lazy string would fix the language at import.
        help_text=_lazy_range(),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("May use {product}, {customer_type} and {team_size}: they are filled from the job description."),
    )
    reference_answer = forms.CharField(
        label=_("Reference answer"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A strong answer; the scorer compares answers with it."),
    )
    level_1 = forms.CharField(label=_("Level 1 answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level_2 = forms.CharField(label=_("Level 2 answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level_3 = forms.CharField(label=_("Level 3 answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, current: Competency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Active competencies, and the question's own even if it has since been retired.
        choices = Competency.objects.filter(Q(is_active=True) | Q(pk=current.pk if current else None))
        field = self.fields["competency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices.order_by("code")

    @staticmethod
    def initial_for(question: InterviewQuestion) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "competency": question.competency.code, "language": question.language, "type": question.type,
            "difficulty": question.difficulty, "time_limit_seconds": question.time_limit_seconds,
            "text": question.text, "reference_answer": question.reference_answer,
        }
        for key in LEVEL_KEYS:
            initial[f"level_{key}"] = (question.levels or {}).get(key, "")
        return initial

    def to_data(self) -> dict[str, Any]:
        """The fields for the service (call after is_valid())."""
        data = self.cleaned_data
        competency = data.get("competency")
        return {
            "competency": competency.code if competency else "",
            "language": data.get("language") or "",
            "type": data.get("type") or "",
            "difficulty": data.get("difficulty"),
            "time_limit_seconds": data.get("time_limit_seconds"),
            "text": data.get("text") or "",
            "reference_answer": data.get("reference_answer") or "",
            "levels": {key: data.get(f"level_{key}") or "" for key in LEVEL_KEYS},
        }


class KeyPointForm(forms.Form):
    point = forms.CharField(label=_("Key point"), required=False, max_length=300)
    synonyms = forms.CharField(
        label=_("Synonyms and paraphrases"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas, 、 or new lines."),
    )


if TYPE_CHECKING:
    _KeyPointFormSet = forms.BaseFormSet[KeyPointForm]
else:  # Django's classes take no type parameters at run time
    _KeyPointFormSet = forms.BaseFormSet


class KeyPointFormSet(_KeyPointFormSet):
    """Always six rows (the most a question has); blank rows are left out, so rows are added by filling one."""

    form = KeyPointForm
    extra = KEY_POINTS_MAX
    max_num = KEY_POINTS_MAX
    absolute_max = KEY_POINTS_MAX
    min_num = 0
    can_delete = False
    can_order = False
    validate_min = False
    validate_max = True
    renderer = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "kp")
        super().__init__(*args, **kwargs)
        self.extra = max(0, KEY_POINTS_MAX - len(self.initial or []))

    @staticmethod
    def initial_for(question: InterviewQuestion) -> list[dict[str, Any]]:
        return [
            {"point": item.get("point", ""), "synonyms": "、".join(item.get("synonyms") or [])}
            if question.language == "zh-hans" else
            {"point": item.get("point", ""), "synonyms": ", ".join(item.get("synonyms") or [])}
            for item in question.key_points or []
        ]

    def key_points(self) -> list[dict[str, Any]]:
        """The filled rows as the service expects them (call after is_valid())."""
        points = []
        for form in self.forms:
            point = str(form.cleaned_data.get("point") or "").strip()
            synonyms = [s.strip() for s in _SYNONYM_SPLIT.split(str(form.cleaned_data.get("synonyms") or ""))]
            if point or any(synonyms):
                points.append({"point": point, "synonyms": [s for s in synonyms if s]})
        return points


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any")), *QuestionLanguage.choices],
                                 required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Any")), *QuestionType.choices], required=False)
    difficulty = forms.TypedChoiceField(label=_("Difficulty"), choices=[("", _("Any")), *DIFFICULTIES], coerce=int,
                                        required=False, empty_value=None)
    active = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any")), ("1", _("In use")), ("0", _("Retired"))],
    )

    def __init__(self, *args: Any, competencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any")), *competencies]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data.get("active") or "")
        return {
            "search": data.get("q") or None, "competency": data.get("competency") or None,
            "language": data.get("language") or None, "type": data.get("type") or None,
            "difficulty": data.get("difficulty"), "active": active,
        }
