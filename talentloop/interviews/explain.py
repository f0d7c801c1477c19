"""The report in the reader's language: the fit label from the position levels and one sentence per strength
or weakness that cites its evidence. The engine (talentloop.assessment) is Django-free and stores only codes,
numbers and the candidate's own sentences; the words around them are written here, through gettext."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from talentloop.org.models import JobLevel

QUOTE_LIMIT = 120
BELOW = "below"


def chinese() -> bool:
    return (get_language() or "").startswith("zh")


def number(value: float | int | None) -> str:
    """A score as people write it: 88, 88.5 (one decimal at most), "—" when there is none."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """One line of at most `limit` characters, an ellipsis where it was cut (between words when the cut would
    fall inside one and a space is near; Chinese is cut between characters)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if flat[limit - 1] != " " and space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:，；：") + "…"


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    return f"“{shorten(text, limit)}”"


def join_quoted(items: Sequence[str]) -> str:
    """“a”, “b” and “c” / “a”、“b”和“c”."""
    parts = [quoted(item, 60) for item in items]
    if len(parts) <= 1:
        return "".join(parts)
    separator = "、" if chinese() else ", "
    return _("%(items)s and %(last)s") % {"items": separator.join(parts[:-1]), "last": parts[-1]}


def evidence_pairs(raw: Any) -> list[tuple[int, str]]:
    """Evidence as stored by the engine ([[position, sentence], ...]; older rows may hold objects)."""
    pairs: list[tuple[int, str]] = []
    for item in raw or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            pairs.append((int(item[0]), str(item[1])))
        elif isinstance(item, dict) and "sentence" in item:
            pairs.append((int(item.get("position", item.get("question_position", 0)) or 0), str(item["sentence"])))
    return pairs


def strength_sentence(*, name: str, score: float, required: int, evidence: Sequence[tuple[int, str]]) -> str:
    params = {"name": name, "score": number(score), "required": number(required)}
    if not evidence:
        return _("Strong in %(name)s (%(score)s, required %(required)s).") % params
    position, sentence = evidence[0]
    return _("Strong in %(name)s (%(score)s, required %(required)s): %(quote)s (answer %(position)d).") % {
        **params, "quote": quoted(sentence), "position": position,
    }


def weakness_sentence(
    *, name: str, score: float, required: int, missing: Sequence[str], evidence: Sequence[tuple[int, str]]
) -> str:
    params = {"name": name, "score": number(score), "required": number(required)}
    if missing:
        return _("Below the requirement in %(name)s (%(score)s, required %(required)s): the answers did not cover "
                 "%(points)s.") % {**params, "points": join_quoted(list(missing)[:3])}
    if evidence:
        position, sentence = evidence[0]
        return _("Below the requirement in %(name)s (%(score)s, required %(required)s); the strongest sentence "
                 "was %(quote)s (answer %(position)d).") % {**params, "quote": quoted(sentence), "position": position}
    return _("Below the requirement in %(name)s (%(score)s, required %(required)s); no answer gave evidence of "
             "it.") % params


def _level_name(level: JobLevel) -> str:
    name = level.display_name
    # "Suits a mid-level position": the level's name reads as an adjective in the English sentence.
    return name if chinese() else name[:1].lower() + name[1:]


def fit_label(code: str | None, levels: Sequence[JobLevel]) -> str | None:
    """“Suits a mid-level position” / “适合中级岗位”; below every band: “Below the junior band”."""
    if not code:
        return None
    if code == BELOW:
        lowest = min(levels, key=lambda level: (level.rank, level.fit_min), default=None)
        if lowest is None:
            return _("Below every position level")
        return _("Below the %(level)s band") % {"level": _level_name(lowest)}
    level = next((item for item in levels if item.code == code), None)
    if level is None:
        return code
    name = _level_name(level)
    if not chinese() and name[:1].lower() in "aeiou":
        return _("Suits an %(level)s position") % {"level": name}
    return _("Suits a %(level)s position") % {"level": name}


SUBSCORE_LABELS: dict[str, Any] = {
    "key_points": gettext_lazy("Key points"),
    "reference_similarity": gettext_lazy("Similarity to the reference answer"),
    "structure": gettext_lazy("Structure"),
    "specificity": gettext_lazy("Specificity"),
    "relevance": gettext_lazy("Relevance"),
    "length": gettext_lazy("Length"),
}
FLAG_LABELS: dict[str, Any] = {
    "unanswered": gettext_lazy("Not answered"),
    "submitted_from_draft": gettext_lazy("Handed in from the saved draft"),
    "late": gettext_lazy("Late"),
    "language_mismatch": gettext_lazy("Answered in another language"),
    "empty": gettext_lazy("Empty"),
    "near_empty": gettext_lazy("Very short"),
    "copied_question": gettext_lazy("Repeats the question"),
    "off_topic": gettext_lazy("Off topic"),
    "blaming": gettext_lazy("Blames others"),
}


def subscore_label(name: str) -> str:
    return str(SUBSCORE_LABELS.get(name, name.replace("_", " ")))


def answer_flags(answer: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, label) of everything worth a badge on an answer: the engine's flags, late, language mismatch,
    unanswered; each once."""
    codes = list(answer.get("flags") or [])
    if answer.get("is_late"):
        codes.append("late")
    if answer.get("language_mismatch"):
        codes.append("language_mismatch")
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return [(code, str(FLAG_LABELS.get(code, code.replace("_", " ")))) for code in seen]
