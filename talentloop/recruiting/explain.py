"""The screening engine explains itself in fixed English sentences (it is Django-free and has no
translations); this turns each of those sentences into the reader's language."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from talentloop.assessment.resume.skills import chinese_label

_DEGREES = {
    "high school": gettext_lazy("high school"),
    "associate degree": gettext_lazy("associate degree"),
    "bachelor's degree": gettext_lazy("bachelor's degree"),
    "master's degree": gettext_lazy("master's degree"),
    "doctorate": gettext_lazy("doctorate"),
    "none stated": gettext_lazy("none stated"),
}


def skill_label(name: str) -> str:
    """A skill's name as the reader expects it: the Chinese name on Chinese pages where the vocabulary has one."""
    return chinese_label(name) if (get_language() or "").startswith("zh") else name


def _degree(label: str) -> str:
    return str(_DEGREES.get(label, label))


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?P<s>.+) \(required\)$"), lambda m: _("%(skill)s (required)") % {"skill": skill_label(m["s"])}),
    (re.compile(r"^(?P<s>.+) \(preferred\)$"), lambda m: _("%(skill)s (preferred)") % {"skill": skill_label(m["s"])}),
    (re.compile(r"^has (?P<h>[\d.]+) years \(needs ≥ (?P<n>[\d.]+)\)$"),
     lambda m: _("%(has)s years of experience (needs at least %(need)s)") % {"has": m["h"], "need": m["n"]}),
    (re.compile(r"^needs ≥ (?P<n>[\d.]+) years, has (?P<h>[\d.]+)$"),
     lambda m: _("needs at least %(need)s years of experience, has %(has)s") % {"has": m["h"], "need": m["n"]}),
    (re.compile(r"^needs (?P<n>.+) or higher, has (?P<h>.+)$"),
     lambda m: _("needs %(need)s or higher, has %(has)s") % {"need": _degree(m["n"]), "has": _degree(m["h"])}),
    (re.compile(r"^(?P<h>.+) \(needs (?P<n>.+) or higher\)$"),
     lambda m: _("%(has)s (needs %(need)s or higher)") % {"need": _degree(m["n"]), "has": _degree(m["h"])}),
    (re.compile(r"^location not stated \(job in (?P<p>.+)\)$"),
     lambda m: _("location not stated (the job is in %(places)s)") % {"places": m["p"]}),
    (re.compile(r"^lives in (?P<p>.+)$"), lambda m: _("lives in %(place)s") % {"place": m["p"]}),
    (re.compile(r"^needs location (?P<n>.+), lives in (?P<p>.+)$"),
     lambda m: _("the job is in %(places)s, the candidate lives in %(place)s") % {"places": m["n"], "place": m["p"]}),
]

KNOCKOUTS = {
    "min_degree": gettext_lazy("minimum degree"),
    "min_years": gettext_lazy("minimum years of experience"),
    "required_skills": gettext_lazy("a required skill is missing"),
    "location": gettext_lazy("location"),
}


def explain(sentence: str) -> str:
    for pattern, render in _RULES:
        match = pattern.match(sentence)
        if match:
            return render(match)
    return sentence


def knockout_label(code: str) -> str:
    return str(KNOCKOUTS.get(code, code))
