"""Forms of the recruiting pages. They only parse input; the rules (consent, duplicates, who may do what,
score ranges) are checked by the services so the pages and the API give the same answers."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentloop.insights.fairness import AGE_BAND_VALUES, GENDER_VALUES

from .models import Degree, Stage
from .services.intake import MAX_RESUME_BYTES

RESUME_ACCEPT = ".pdf,.docx,.txt"
# Commas as people type them: ASCII, Chinese full-width, the Chinese enumeration comma, semicolons, new lines.
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def max_resume_mb() -> int:
    return max(1, MAX_RESUME_BYTES // (1024 * 1024))


def consent_wording() -> str:
    """The consent text shown next to the checkbox, in the active language; stored with the candidate."""
    return gettext(
        "I agree that %(company)s stores and processes my personal data and resume to consider me for this "
        "job, including automated screening (a person makes every decision), and keeps them for up to two "
        "years unless I ask for them to be deleted."
    ) % {"company": settings.TALENTLOOP_COMPANY_NAME}


def split_list(value: str) -> list[str]:
    return [item.strip() for item in _LIST_SEPARATORS.split(value or "") if item.strip()]


def join_list(values: list[str]) -> str:
    return ", ".join(values)


class ApplyForm(forms.Form):
    """The careers page application form: phone-friendly input types and autocomplete hints."""

    name = forms.CharField(
        label=_("Full name"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    # Empty files are accepted here: the service explains what is wrong with them.
    resume = forms.FileField(
        label=_("Resume"), required=False, allow_empty_file=True, max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": RESUME_ACCEPT}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree to the processing of your data to apply.")},
    )
    # Optional, for the fairness audit only (talentloop/insights/fairness.py): its own unticked consent, stored
    # only when ticked, never shown to the people deciding and never used in any score.
    fairness_consent = forms.BooleanField(
        required=False, initial=False,
        label=_(
            "I agree that the answers below are stored separately from my application and used only, in "
            "anonymous totals, to check that hiring treats everyone fairly. The people deciding on my "
            "application never see them. This is optional and does not affect my application."
        ),
    )
    fairness_gender = forms.ChoiceField(
        label=_("Gender"), required=False,
        choices=[("", _("Prefer not to say")), *GENDER_VALUES],
    )
    fairness_age_band = forms.ChoiceField(
        label=_("Age"), required=False,
        choices=[("", _("Prefer not to say")), *AGE_BAND_VALUES],
    )

    def __init__(self, *args: Any, consent_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["resume"].help_text = gettext("PDF, Word (.docx) or text file, up to %(mb)d MB.") % {
            "mb": max_resume_mb()
        }
        self.fields["email"].help_text = gettext("Give an email or a phone number so that we can reach you.")


def fairness_answers(data: dict[str, Any]) -> dict[str, str]:
    """The optional fairness answers of a cleaned ApplyForm, by attribute name."""
    return {"gender": data.get("fairness_gender") or "", "age_band": data.get("fairness_age_band") or ""}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); empty files are kept for the summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": RESUME_ACCEPT, "multiple": True}))
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not items:
            super().clean(None, initial)  # raises "required" when the field is
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class BulkUploadForm(forms.Form):
    resumes = MultipleFileField(
        label=_("Resumes"),
        error_messages={"required": _("Choose at least one resume file.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resumes"].help_text = gettext(
            "PDF, Word (.docx) or text files, up to %(mb)d MB each and %(count)d files at a time."
        ) % {"mb": max_resume_mb(), "count": max_bulk_files()}


def max_bulk_files() -> int:
    return int(getattr(settings, "DATA_UPLOAD_MAX_NUMBER_FILES", 100) or 100)


class RankingFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"), required=False,
        choices=[("all", _("All candidates")), ("passed", _("Passed screening only"))],
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])


class ScreeningRulesForm(forms.Form):
    min_degree = forms.TypedChoiceField(label=_("Minimum degree"), choices=Degree.choices, coerce=int)
    min_years = forms.DecimalField(
        label=_("Minimum years of experience"), max_digits=4, decimal_places=1, min_value=0, max_value=60
    )
    required_skills = forms.CharField(
        label=_("Required skills"), required=False,
        help_text=_("Separated by commas. A candidate without one of them does not pass."),
    )
    preferred_skills = forms.CharField(
        label=_("Preferred skills"), required=False, help_text=_("Separated by commas. They raise the score."),
    )
    locations = forms.CharField(
        label=_("Accepted locations"), required=False,
        help_text=_("Cities separated by commas; leave empty (or write “any”) to accept every city."),
    )
    pass_score = forms.IntegerField(label=_("Pass score"), min_value=0, max_value=100)
    auto_advance = forms.BooleanField(
        label=_("Move candidates who pass to the AI interview automatically (new applications only)"),
        required=False,
    )

    @classmethod
    def initial_for(cls, rules: Any) -> dict[str, Any]:
        return {
            "min_degree": rules.min_degree, "min_years": rules.min_years,
            "required_skills": join_list(rules.required_skills), "preferred_skills": join_list(rules.preferred_skills),
            "locations": join_list(rules.locations), "pass_score": rules.pass_score, "auto_advance": rules.auto_advance,
        }

    def to_changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "min_degree": data["min_degree"], "min_years": data["min_years"],
            "required_skills": split_list(data["required_skills"]),
            "preferred_skills": split_list(data["preferred_skills"]),
            "locations": split_list(data["locations"]), "pass_score": data["pass_score"],
            "auto_advance": data["auto_advance"],
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    is_active = forms.BooleanField(label=_("Send this email"), required=False, initial=True)
