"""Forms of the competency library pages: they parse input; the rules live in services.competencies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Competency

LEVELS = (1, 2, 3)
LANGUAGES = ("zh", "en")


def indicator_field_name(level: int, language: str) -> str:
    return f"indicator_{level}_{language}"


class CompetencyFilterForm(forms.Form):
    """The search box and category filter above the library list (GET parameters)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Code, Chinese or English name"), "type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False,
        choices=[("", _("All categories")), *Competency.Category.choices],
    )


class CompetencyForm(forms.Form):
    """Create or edit a competency. The indicator text for levels 1-3 comes as six text areas
    (Chinese and English per level) and is folded into the model's indicator list."""

    # The code's format and uniqueness are the service's rules; its messages reach the user.
    code = forms.CharField(
        label=_("Code"), max_length=50,
        help_text=_("2 to 50 lower-case English letters, digits or underscores, starting with a letter."),
    )
    name = forms.CharField(label=_("Chinese name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Competency.Category.choices)
    definition = forms.CharField(
        label=_("Definition (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    definition_en = forms.CharField(
        label=_("Definition (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator_1_zh = forms.CharField(
        label=_("Level 1 indicator (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_1_en = forms.CharField(
        label=_("Level 1 indicator (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_2_zh = forms.CharField(
        label=_("Level 2 indicator (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_2_en = forms.CharField(
        label=_("Level 2 indicator (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_3_zh = forms.CharField(
        label=_("Level 3 indicator (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_3_en = forms.CharField(
        label=_("Level 3 indicator (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("competency in use", "Active"), required=False, initial=True,
        help_text=_("Retired competencies stay on existing jobs but cannot be added to new ones."),
    )

    @classmethod
    def initial_for(cls, competency: Competency) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": competency.code,
            "name": competency.name,
            "name_en": competency.name_en,
            "category": competency.category,
            "definition": competency.definition,
            "definition_en": competency.definition_en,
            "is_active": competency.is_active,
        }
        for item in competency.indicators:
            level = item.get("level")
            if level in LEVELS:
                for language in LANGUAGES:
                    initial[indicator_field_name(level, language)] = item.get(language, "")
        return initial

    def indicator_rows(self) -> list[dict[str, Any]]:
        """The six text areas grouped per level, for the template."""
        return [
            {"level": level, "fields": [self[indicator_field_name(level, lang)] for lang in LANGUAGES]}
            for level in LEVELS
        ]

    def to_data(self) -> dict[str, Any]:
        """What services.competency_create / competency_update take. A level with no text in either
        language has no indicator."""
        data = self.cleaned_data
        indicators = []
        for level in LEVELS:
            texts = {lang: data[indicator_field_name(level, lang)] for lang in LANGUAGES}
            if any(texts.values()):
                indicators.append({"level": level, **texts})
        return {
            "code": data["code"],
            "name": data["name"],
            "name_en": data["name_en"],
            "category": data["category"],
            "definition": data["definition"],
            "definition_en": data["definition_en"],
            "indicators": indicators,
            "is_active": data["is_active"],
        }
