"""What the resume parser produces: frozen dataclasses that round-trip through plain JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PARSER_NAME = "talentloop-resume-parser"
PARSER_VERSION = "1.0"

# Ordered from lowest to highest; screening's min_degree uses the same ranks (1 = high school ... 5 = doctorate).
DEGREES: tuple[str, ...] = ("high_school", "associate", "bachelor", "master", "doctorate")
DEGREE_RANK: dict[str, int] = {degree: rank for rank, degree in enumerate(DEGREES, start=1)}


@dataclass(frozen=True)
class Education:
    degree: str | None  # one of DEGREES
    school: str | None
    major: str | None
    start_year: int | None
    end_year: int | None


@dataclass(frozen=True)
class WorkExperience:
    employer: str | None
    title: str | None
    start: str | None  # "YYYY-MM", or "YYYY" when the resume gives only a year
    end: str | None  # "YYYY-MM", "YYYY" or "present"


@dataclass(frozen=True)
class LanguageSkill:
    name: str  # English name: "English", "Mandarin", "Japanese"...
    level: str | None  # "CET-6", "IELTS 7.0", "fluent", "JLPT N2"...; several joined by "; "


@dataclass(frozen=True)
class ParsedResume:
    """Structured data read from a resume's text.

    `terms` holds the content-term counts of the whole text (see terms.py), computed once here so that
    screening can compare the resume with a job description without the text.
    """

    name: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    location: str | None = None  # canonical Chinese name for known cities ("上海"), else as written
    education: tuple[Education, ...] = ()
    highest_degree: str | None = None
    work_history: tuple[WorkExperience, ...] = ()
    total_years_experience: float = 0.0
    skills: tuple[str, ...] = ()  # canonical skill names, in order of first mention
    languages: tuple[LanguageSkill, ...] = ()
    certificates: tuple[str, ...] = ()
    terms: Mapping[str, int] = field(default_factory=dict, hash=False, repr=False)
    engine: str = PARSER_NAME
    engine_version: str = PARSER_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (str, int, float, bool, None, list, dict)."""
        return {
            "name": self.name,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "location": self.location,
            "education": [
                {"degree": e.degree, "school": e.school, "major": e.major, "start_year": e.start_year,
                 "end_year": e.end_year}
                for e in self.education
            ],
            "highest_degree": self.highest_degree,
            "work_history": [
                {"employer": w.employer, "title": w.title, "start": w.start, "end": w.end} for w in self.work_history
            ],
            "total_years_experience": self.total_years_experience,
            "skills": list(self.skills),
            "languages": [{"name": lang.name, "level": lang.level} for lang in self.languages],
            "certificates": list(self.certificates),
            "terms": dict(self.terms),
            "engine": self.engine,
            "engine_version": self.engine_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParsedResume:
        """Rebuild from `to_dict()` output, e.g. stored JSON. Missing or ill-typed values take defaults, so
        results stored by older parser versions still load."""
        return cls(
            name=_str(data.get("name")),
            emails=_strings(data.get("emails")),
            phones=_strings(data.get("phones")),
            location=_str(data.get("location")),
            education=tuple(
                Education(degree=_degree(e.get("degree")), school=_str(e.get("school")), major=_str(e.get("major")),
                          start_year=_int(e.get("start_year")), end_year=_int(e.get("end_year")))
                for e in _mappings(data.get("education"))
            ),
            highest_degree=_degree(data.get("highest_degree")),
            work_history=tuple(
                WorkExperience(employer=_str(w.get("employer")), title=_str(w.get("title")),
                               start=_str(w.get("start")), end=_str(w.get("end")))
                for w in _mappings(data.get("work_history"))
            ),
            total_years_experience=_years(data.get("total_years_experience")),
            skills=_strings(data.get("skills")),
            languages=tuple(
                LanguageSkill(name=str(lang["name"]), level=_str(lang.get("level")))
                for lang in _mappings(data.get("languages")) if isinstance(lang.get("name"), str)
            ),
            certificates=_strings(data.get("certificates")),
            terms=_terms(data.get("terms")),
            engine=_str(data.get("engine")) or PARSER_NAME,
            engine_version=_str(data.get("engine_version")) or PARSER_VERSION,
        )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _mappings(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _degree(value: object) -> str | None:
    return value if isinstance(value, str) and value in DEGREE_RANK else None


def _years(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return float(min(max(value, 0.0), 60.0))


def _terms(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, int) and v > 0}
