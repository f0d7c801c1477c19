"""The skill vocabulary shipped with the product (data/skills.json) and fast matching against it.

Every skill has a canonical display name, a category and synonyms in Chinese and English. Text is matched
with one regular expression built once from a trie of all synonyms, so the regex engine only follows
branches that share the current character instead of trying a thousand alternatives at every position.

Matching rules:
- ASCII synonyms match case-insensitively and only on word boundaries ("Java" does not match inside
  "JavaScript", "JS" not inside "JSON" or "Node.js"); Chinese synonyms match anywhere, as Chinese has no
  spaces between words.
- `case_sensitive` forms match only as written: short or common-word forms ("AI", "PS", "Word", "Excel")
  that would otherwise fire on ordinary words or pinyin names.
- `aliases` are accepted by `normalise_skill` but never searched in free text, because alone they are
  ambiguous: "Go", "R" and "C" are found only as "Golang"/"Go语言", "R语言", "C语言" and similar.
- `compounds` name several skills at once ("C/C++" is C and C++).
- The longest synonym wins at a position ("Spring Boot" rather than "Spring").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Skill", "all_skills", "find_skills", "normalise_skill"]

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# An ASCII synonym must not continue a word on its left ("HTML" is no "ML") nor follow "x." ("Node.js"
# is no "JS"); on its right it must not continue into a word, "+"/"#" ("C++"), or ".x" ("Vue.js").
# The left check runs after the first character is consumed (hence the extra "." in each look-behind):
# a pattern that starts with a plain character lets the regex engine skip quickly to positions where
# that character occurs, which makes matching several times faster.
_LEFT = r"(?<![A-Za-z0-9_].)(?<![A-Za-z0-9]\..)"
_RIGHT = r"(?![A-Za-z0-9_+#])(?!\.[A-Za-z0-9])"
_SPACES = re.compile(r"\s+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class _Vocabulary:
    skills: tuple[Skill, ...]
    folded_pattern: re.Pattern[str]  # lower-case keys, searched in text whose ASCII letters are lower-cased
    exact_pattern: re.Pattern[str]  # case-sensitive forms, searched in the text as written
    folded: dict[str, tuple[str, ...]]  # lower-cased key -> canonical names
    exact: dict[str, tuple[str, ...]]  # key as written -> canonical names
    lookup: dict[str, str]  # any lower-cased name, synonym or alias -> canonical name


def all_skills() -> tuple[Skill, ...]:
    """Every skill in the vocabulary, in file order (for pick lists and autocompletion)."""
    return _vocabulary().skills


def find_skills(text: str) -> list[str]:
    """Canonical names of the skills mentioned in `text`, in order of first mention, each once."""
    vocabulary = _vocabulary()
    text = _normalise(text)
    # Lower-casing ASCII only keeps every position in place, so the two passes' matches can be merged.
    folded = [(m.start(), m.end(), vocabulary.folded.get(m.group(), ()))
              for m in vocabulary.folded_pattern.finditer(text.translate(_ASCII_LOWER))]
    exact = [(m.start(), m.end(), vocabulary.exact.get(m.group(), ()))
             for m in vocabulary.exact_pattern.finditer(text)]
    matches = sorted(folded + exact, key=lambda m: (m[0], -m[1])) if exact else folded
    found: dict[str, None] = {}
    reach = 0
    for start, end, names in matches:
        if start < reach:  # overlaps a longer or earlier match, as one combined pattern would skip it
            continue
        reach = end
        for name in names:
            found.setdefault(name, None)
    return list(found)


def normalise_skill(name: str) -> str | None:
    """The canonical name for any spelling of a skill (name, synonym or alias, any case), else None."""
    return _vocabulary().lookup.get(_normalise(name).strip().lower())


def chinese_label(name: str) -> str:
    """How a canonical skill reads on a Chinese page: its first all-Chinese synonym (Marketing → 市场营销),
    else the name itself (Python stays Python)."""
    return _chinese_labels().get(name, name)


@lru_cache(maxsize=1)
def _chinese_labels() -> dict[str, str]:
    labels = {}
    for skill in _vocabulary().skills:
        chinese = next((s for s in skill.synonyms if s and all("\u4e00" <= ch <= "\u9fff" for ch in s)), None)
        if chinese:
            labels[skill.name] = chinese
    return labels


def _normalise(text: str) -> str:
    # NFKC turns full-width letters and punctuation (Ｊａｖａ，Ｃ＋＋) into ASCII; one space stands for any run.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    raw = json.loads(resources.files(__package__).joinpath("data/skills.json").read_text(encoding="utf-8"))
    return _build(raw)


def _build(raw: dict[str, Any]) -> _Vocabulary:
    skills: list[Skill] = []
    folded: dict[str, tuple[str, ...]] = {}
    exact: dict[str, tuple[str, ...]] = {}
    lookup: dict[str, str] = {}

    def claim(key: str, name: str) -> None:
        owner = lookup.setdefault(key.lower(), name)
        if owner != name:
            raise ValueError(f"skills.json: {key!r} names both {owner!r} and {name!r}")

    for entry in raw["skills"]:
        name = entry["name"]
        synonyms = tuple(_normalise(s).strip() for s in entry.get("synonyms", ()))
        case_sensitive = tuple(_normalise(s).strip() for s in entry.get("case_sensitive", ()))
        aliases = tuple(_normalise(s).strip() for s in entry.get("aliases", ()))
        skills.append(Skill(name=name, category=entry["category"], synonyms=synonyms + case_sensitive))
        claim(name, name)
        for key in (*synonyms, *case_sensitive, *aliases):
            claim(key, name)
        for key in synonyms:
            folded[key.translate(_ASCII_LOWER)] = (name,)
        for key in case_sensitive:
            exact[key] = (name,)
    known = {skill.name for skill in skills}
    for written, names in raw.get("compounds", {}).items():
        unknown = set(names) - known
        if unknown:
            raise ValueError(f"skills.json: compound {written!r} names unknown skills {sorted(unknown)}")
        folded[_normalise(written).strip().translate(_ASCII_LOWER)] = tuple(names)
    # Case-insensitive matching is done by lower-casing the text rather than with re.IGNORECASE, which
    # makes this large pattern about twice as slow.
    return _Vocabulary(
        skills=tuple(skills), folded_pattern=re.compile(_trie_pattern(folded)),
        exact_pattern=re.compile(_trie_pattern(exact)), folded=folded, exact=exact, lookup=lookup,
    )


def _trie_pattern(keys: dict[str, tuple[str, ...]]) -> str:
    """One regex for all keys, factored by common prefixes; longer keys are tried before shorter ones."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True
    return "|".join(_branch(ch, child, ch in _ASCII_WORD) for ch, child in sorted(trie.items()) if ch)


def _branch(ch: str, node: dict[str, Any], first_is_word: bool) -> str:
    return re.escape(ch) + (_LEFT if first_is_word else "") + _node(node, ch)


def _node(node: dict[str, Any], last: str) -> str:
    children = [re.escape(ch) + _node(child, ch) for ch, child in sorted(node.items()) if ch]
    if node.get(""):
        # A key ends here; ASCII endings need a right boundary, Chinese endings do not.
        children.append(_RIGHT if ord(last) < 128 else "")
    if len(children) == 1:
        return children[0]
    return "(?:" + "|".join(children) + ")"
