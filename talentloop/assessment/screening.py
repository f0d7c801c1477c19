"""Resume screening: a 0-100 match score between a parsed resume and a job, with the reasons.

Score
-----
Five components, each between 0 and 1:

    R = required skills found / required skills asked            (required_skills)
    P = preferred skills found / preferred skills asked          (preferred_skills)
    E = min(1, years of experience / min_years)                  (experience)
    D = min(1, degree rank / min_degree)                         (education; 1 high school ... 5 doctorate)
    S = cosine(resume terms, job-text terms)                     (similarity)

    score = 100 * (wR*R + wP*P + wE*E + wD*D + wS*S) / (sum of the weights of the components that apply)

Default weights: wR = 0.40, wP = 0.15, wE = 0.20, wD = 0.10, wS = 0.15. A component applies only when
the job asks for it (required or preferred skills listed, min_years > 0, min_degree > 0, a job text with
content words); one that does not apply is left out of both sums and reported as None in `subscores`,
so a job without preferred skills is not a free 15 points for everyone. A job that asks for nothing
scores 100. The score is rounded to one decimal.

Terms are lower-cased ASCII words and Chinese character bigrams with stop words removed (see
resume/terms.py); the cosine uses raw counts, no IDF, so it needs no corpus and gives the same answer for a
resume whatever else is screened with it.

Knock-outs
----------
A knock-out fails the resume whatever its score. Rules, all on by default (`knockouts` selects them):
    min_degree       highest degree below min_degree (a resume that states no degree has rank 0)
    min_years        years of experience below min_years
    required_skills  any required skill not found
    location         the resume states a city that is not among `locations` (a resume that states none
                     is not knocked out: the city is unknown, not wrong); "不限", "any" or "remote" in
                     `locations` accepts every city.

    passed = no knock-out and score >= pass_score

Skills given in the criteria are normalised through the skill vocabulary ("JS" is JavaScript); a skill the
vocabulary does not know matches when all its terms occur in the resume.
Deterministic and pure; `rank` prepares the job side once for many resumes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from .resume.cities import normalise_city
from .resume.parsed import DEGREE_RANK, DEGREES, ParsedResume
from .resume.skills import normalise_skill
from .resume.terms import cosine, norm, term_counts

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

__all__ = [
    "COMPONENTS",
    "ENGINE",
    "ENGINE_VERSION",
    "KNOCKOUT_RULES",
    "ScreeningCriteria",
    "ScreeningResult",
    "ScreeningWeights",
    "rank",
    "screen",
]

ENGINE = "talentloop-screening"
ENGINE_VERSION = "1.0"
KNOCKOUT_RULES: tuple[str, ...] = ("min_degree", "min_years", "required_skills", "location")
COMPONENTS: tuple[str, ...] = ("required_skills", "preferred_skills", "experience", "education", "similarity")
_ANY_PLACE = frozenset({"不限", "任意", "全国", "远程", "any", "anywhere", "remote"})
_DEGREE_LABELS = {
    "high_school": "high school", "associate": "associate degree", "bachelor": "bachelor's degree",
    "master": "master's degree", "doctorate": "doctorate",
}

K = TypeVar("K", bound="SupportsRichComparison")


@dataclass(frozen=True)
class ScreeningWeights:
    required_skills: float = 0.40
    preferred_skills: float = 0.15
    experience: float = 0.20
    education: float = 0.10
    similarity: float = 0.15

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class ScreeningCriteria:
    """What a job asks for. Sequences given as lists are stored as tuples."""

    min_degree: int = 0  # 0 none, 1 high school, 2 associate, 3 bachelor, 4 master, 5 doctorate
    min_years: float = 0.0
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    job_text: str = ""  # description and requirements
    pass_score: int = 60
    weights: ScreeningWeights = field(default_factory=ScreeningWeights)
    knockouts: tuple[str, ...] = KNOCKOUT_RULES

    def __post_init__(self) -> None:
        for name in ("required_skills", "preferred_skills", "locations", "knockouts"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not isinstance(self.min_degree, int) or not 0 <= self.min_degree <= len(DEGREES):
            raise ValueError(f"min_degree must be an integer from 0 to {len(DEGREES)}, got {self.min_degree!r}")
        if not isinstance(self.min_years, int | float) or not math.isfinite(self.min_years) or self.min_years < 0:
            raise ValueError(f"min_years must be a finite number >= 0, got {self.min_years!r}")
        if not 0 <= self.pass_score <= 100:
            raise ValueError(f"pass_score must be from 0 to 100, got {self.pass_score!r}")
        unknown = set(self.knockouts) - set(KNOCKOUT_RULES)
        if unknown:
            raise ValueError(f"unknown knock-out rules {sorted(unknown)}; known: {list(KNOCKOUT_RULES)}")


@dataclass(frozen=True)
class ScreeningResult:
    score: float  # 0-100, one decimal
    passed: bool
    matched: tuple[str, ...]  # "Python (required)", "has 5 years (needs ≥ 3)"...
    missing: tuple[str, ...]  # "Docker (preferred)", "needs ≥ 3 years, has 1.5"...
    knocked_out_by: tuple[str, ...]  # rule codes, in KNOCKOUT_RULES order
    subscores: Mapping[str, float | None]  # every component, 0-100, None when it does not apply
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)  # effective weights, pass score
    engine: str = ENGINE
    engine_version: str = ENGINE_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed,
            "matched": list(self.matched),
            "missing": list(self.missing),
            "knocked_out_by": list(self.knocked_out_by),
            "subscores": dict(self.subscores),
            "parameters": _plain(self.parameters),
            "engine": self.engine,
            "engine_version": self.engine_version,
        }


def screen(parsed: ParsedResume | Mapping[str, Any], criteria: ScreeningCriteria) -> ScreeningResult:
    """Score one resume (a ParsedResume or its to_dict() form) against the criteria."""
    return _prepare(criteria).screen(_facts(parsed))


def rank(
    items: Sequence[tuple[K, ParsedResume | Mapping[str, Any]]], criteria: ScreeningCriteria
) -> list[tuple[K, ScreeningResult]]:
    """Screen every resume; best score first, ties by key ascending."""
    job = _prepare(criteria)
    results = [(key, job.screen(_facts(parsed))) for key, parsed in items]
    results.sort(key=lambda item: item[0])
    results.sort(key=lambda item: item[1].score, reverse=True)  # stable: equal scores keep key order
    return results


@dataclass(frozen=True)
class _Facts:
    """The parts of a parsed resume that screening reads."""

    skills: tuple[str, ...]
    years: float
    degree: str | None
    location: str | None
    terms: Mapping[str, int]


def _facts(parsed: ParsedResume | Mapping[str, Any]) -> _Facts:
    if isinstance(parsed, ParsedResume):
        return _Facts(parsed.skills, parsed.total_years_experience, parsed.highest_degree, parsed.location,
                      parsed.terms)
    # A stored dict: read only these five fields rather than rebuilding a whole ParsedResume, which costs
    # more than screening it. Values of the wrong type count as missing, as in ParsedResume.from_dict; the
    # checks run in C (set(map(type, ...))) because they cover every term of every resume.
    terms = parsed.get("terms")
    if not isinstance(terms, Mapping):
        terms = {}
    elif not set(map(type, terms.values())) <= {int}:
        terms = ParsedResume.from_dict({"terms": terms}).terms
    skills = parsed.get("skills")
    if not isinstance(skills, list | tuple) or not set(map(type, skills)) <= {str}:
        skills = ParsedResume.from_dict({"skills": skills}).skills
    years = parsed.get("total_years_experience")
    if type(years) is not float or not 0.0 <= years <= 60.0:
        years = ParsedResume.from_dict({"total_years_experience": years}).total_years_experience
    degree = parsed.get("highest_degree")
    location = parsed.get("location")
    return _Facts(
        tuple(skills), years, degree if isinstance(degree, str) and degree in DEGREE_RANK else None,
        location if isinstance(location, str) and location else None, terms,
    )


@dataclass(frozen=True)
class _Skill:
    label: str  # canonical name when the vocabulary knows it, else as given
    canonical: str | None
    terms: tuple[str, ...]  # for skills the vocabulary does not know


def _skills(names: tuple[str, ...]) -> tuple[_Skill, ...]:
    result: dict[str, _Skill] = {}
    for name in names:
        canonical = normalise_skill(name)
        label = canonical or name.strip()
        if label and label not in result:
            result[label] = _Skill(label, canonical, tuple(term_counts(name)))
    return tuple(result.values())


class _Job:
    """The criteria's side, computed once: normalised skills, job terms, effective weights."""

    def __init__(self, criteria: ScreeningCriteria) -> None:
        self.criteria = criteria
        self.required = _skills(criteria.required_skills)
        self.preferred = _skills(criteria.preferred_skills)
        places = [p.strip() for p in criteria.locations if p.strip()]
        self.any_place = any(p.lower() in _ANY_PLACE for p in places)
        self.places = {normalise_city(p) or p.lower(): normalise_city(p) or p for p in places}
        self.place_labels = ", ".join(dict.fromkeys(self.places.values()))
        self.terms = term_counts(criteria.job_text)
        self.terms_norm = norm(self.terms)
        weights = criteria.weights
        applies = {
            "required_skills": bool(self.required),
            "preferred_skills": bool(self.preferred),
            "experience": criteria.min_years > 0,
            "education": criteria.min_degree > 0,
            "similarity": self.terms_norm > 0,
        }
        self.applies = applies
        total = sum(getattr(weights, name) for name in COMPONENTS if applies[name])
        self.weights = {name: (getattr(weights, name) / total if applies[name] and total else 0.0)
                        for name in COMPONENTS}
        self.knockouts = frozenset(criteria.knockouts)
        self.min_degree_label = _DEGREE_LABELS[DEGREES[criteria.min_degree - 1]] if criteria.min_degree else ""
        self.parameters = MappingProxyType({
            "weights": MappingProxyType(dict(self.weights)),
            "pass_score": criteria.pass_score,
            "min_degree": criteria.min_degree,
            "min_years": criteria.min_years,
            "knockouts": tuple(criteria.knockouts),
        })

    def screen(self, parsed: _Facts) -> ScreeningResult:
        criteria = self.criteria
        matched: list[str] = []
        missing: list[str] = []
        knocked: list[str] = []
        values: dict[str, float | None] = dict.fromkeys(COMPONENTS)

        have = set(parsed.skills) if self.required or self.preferred else set()
        if self.required:
            found = self._check(self.required, have, parsed, "required", matched, missing)
            values["required_skills"] = found / len(self.required)
        if self.preferred:
            found = self._check(self.preferred, have, parsed, "preferred", matched, missing)
            values["preferred_skills"] = found / len(self.preferred)

        years = parsed.years
        if criteria.min_years > 0:
            values["experience"] = min(1.0, years / criteria.min_years)
            if years >= criteria.min_years:
                matched.append(f"has {_number(years)} years (needs ≥ {_number(criteria.min_years)})")
            else:
                missing.append(f"needs ≥ {_number(criteria.min_years)} years, has {_number(years)}")

        degree = parsed.degree
        degree_rank = DEGREE_RANK.get(degree, 0) if degree else 0
        if criteria.min_degree > 0:
            values["education"] = min(1.0, degree_rank / criteria.min_degree)
            has = _DEGREE_LABELS.get(degree or "", "none stated")
            if degree_rank >= criteria.min_degree:
                matched.append(f"{has} (needs {self.min_degree_label} or higher)")
            else:
                missing.append(f"needs {self.min_degree_label} or higher, has {has}")

        if self.applies["similarity"]:
            values["similarity"] = cosine(self.terms, self.terms_norm, parsed.terms, norm(parsed.terms))

        location_ok = self._location(parsed.location, matched, missing)

        rules = self.knockouts
        if "min_degree" in rules and criteria.min_degree > 0 and degree_rank < criteria.min_degree:
            knocked.append("min_degree")
        if "min_years" in rules and criteria.min_years > 0 and years < criteria.min_years:
            knocked.append("min_years")
        if "required_skills" in rules and self.required and values["required_skills"] != 1.0:
            knocked.append("required_skills")
        if "location" in rules and not location_ok:
            knocked.append("location")

        weights = self.weights
        total = sum(weights[name] * (values[name] or 0.0) for name in COMPONENTS)
        score = round(100.0 * total, 1) if any(self.applies.values()) else 100.0
        subscores = {name: (None if values[name] is None else round(100.0 * (values[name] or 0.0), 1))
                     for name in COMPONENTS}
        return ScreeningResult(
            score=score,
            passed=not knocked and score >= criteria.pass_score,
            matched=tuple(matched),
            missing=tuple(missing),
            knocked_out_by=tuple(knocked),
            subscores=subscores,
            parameters=self.parameters,
        )

    def _check(self, skills: tuple[_Skill, ...], have: set[str], parsed: _Facts, kind: str,
               matched: list[str], missing: list[str]) -> int:
        found = 0
        for skill in skills:
            if skill.canonical is not None:
                ok = skill.canonical in have
            else:
                ok = bool(skill.terms) and all(term in parsed.terms for term in skill.terms)
            if ok:
                found += 1
                matched.append(f"{skill.label} ({kind})")
            else:
                missing.append(f"{skill.label} ({kind})")
        return found

    def _location(self, location: str | None, matched: list[str], missing: list[str]) -> bool:
        if not self.places or self.any_place:
            return True
        if not location:
            missing.append(f"location not stated (job in {self.place_labels})")
            return True
        key = normalise_city(location) or location.strip().lower()
        if key in self.places:
            matched.append(f"lives in {location}")
            return True
        missing.append(f"needs location {self.place_labels}, lives in {location}")
        return False


@lru_cache(maxsize=64)
def _prepare(criteria: ScreeningCriteria) -> _Job:
    return _Job(criteria)


def _plain(value: Any) -> Any:
    """Mappings to dicts and tuples to lists, all the way down: what json.loads would give back."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _number(value: float) -> str:
    return f"{round(value, 1):g}"
