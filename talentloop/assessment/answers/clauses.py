"""Clause-level rules for typed answers: negation scope and concessive clauses, in Chinese and English.

Negation (docs/scoring.md, "Negation"): a negator opens a scope that runs to whichever comes first of
- the end of the clause (，,；;：:、。.!?！？ or a line break),
- a word that starts a new clause: 而是, 但是, 但, 却, 反而, 而, 就, 然后, 并, 于是, 所以, 因此 /
  but, instead, then, and, so, however, rather, because, although, while, after, before, when, until,
- 8 characters after a Chinese negator, or 5 words after an English one.
Negators: 没有, 没, 未, 从未, 从不, 并未, 不曾, 未能, 无法, 别, 不 / not, never, no, without, nor, cannot,
any "-n't" word, failed to, refused to. Not negators: 不仅, 不但, 不断, 不同, 不少, 不久, 不错, 不满, 不过,
不管, 不论, 不然, 不停, 不足, 不只, 不光, 不怕, 毫不, 不得不, 不能不, 没想到, 没关系, 没问题, 无论, 别人,
a V不V question (是不是) / not only, not just, no matter, no doubt, no later than, without delay, without
hesitation. `affirmative(text)` blanks the scopes out (same length, so offsets still hold); a key point
counts only where it occurs in what is left.

Concession: a blaming phrase is not held against the answer when it is conceded — inside a clause that
a concessive word opens (虽然, 尽管, 虽说, 即使, 哪怕, 固然, 就算 / although, though, even though, even if,
while, despite, admittedly, granted) with no contrast word (但, 但是, 可是, 不过, 然而 / but, yet, however)
between them, or followed in the same sentence by a contrast word and the speaker taking over
("不是我的错，但我…", "it was not my fault, but I ...").
"""

from __future__ import annotations

import re

__all__ = ["affirmative", "conceded", "has_negator"]

_CLAUSE_END = re.compile(r"[，,；;：:、。.!?！？\n\r]")
_ZH_NOT_NEGATORS = (
    "不得不", "不能不", "不仅", "不但", "不断", "不同", "不少", "不久", "不错", "不满", "不过", "不管", "不论", "不然",
    "不停", "不足", "不只", "不光", "不怕", "不一会", "不遗余力", "不厌其烦", "毫不", "没想到", "没关系", "没问题",
    "没多久", "无论", "别人", "别的",
)
_ZH_NEGATORS = (
    "从来没有", "从没有", "并没有", "从没", "并未", "从未", "从不", "不曾", "未曾", "未能", "没能", "没有", "无法",
    "没", "未", "别", "不",
)
_ZH_NEGATION = re.compile("|".join(f"(?P<skip{i}>{w})" for i, w in enumerate(_ZH_NOT_NEGATORS)) + "|"
                          + "|".join(_ZH_NEGATORS))
_ZH_BOUNDARY = re.compile(r"而是|但是|但|却|反而|而|就|然后|并|于是|所以|因此")
_ZH_WINDOW = 8

_EN_NOT_NEGATORS = r"not only|not just|no matter|no doubt|no later than|without delay|without hesitation"
_EN_NEGATION = re.compile(
    rf"\b(?:(?P<skip>{_EN_NOT_NEGATORS})|not|never|no|without|neither|nor|cannot|\w+n't|failed to|refused to)\b"
)
_EN_BOUNDARY = re.compile(
    r"\b(?:but|instead|then|and|so|however|rather|because|although|while|after|before|when|until)\b"
)
_EN_WORD = re.compile(r"[a-z0-9']+")
_EN_WINDOW = 5

_CONCESSIVE = re.compile(
    r"虽然|尽管|虽说|即使|哪怕|固然|就算"
    r"|\b(?:although|though|even though|even if|while|despite|admittedly|granted)\b"
)
_CONTRAST = re.compile(r"但是|但|可是|不过|然而|\b(?:but|yet|however)\b")
_TAKE_OVER = re.compile(r"(?:但是|但|可是|不过|然而)\s*(?:我|自己)|\b(?:but|yet|however),?\s+(?:i|we)\b")


def has_negator(phrase: str) -> bool:
    """True when a (normalised) phrase contains a negator itself, like "不推诿" or "no blame"."""
    return bool(_negations(phrase))


def affirmative(text: str) -> str:
    """Normalised `text` with every negation scope replaced by spaces; offsets are unchanged."""
    scopes = _negations(text)
    if not scopes:
        return text
    chars = list(text)
    for start, end in scopes:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _negations(text: str) -> list[tuple[int, int]]:
    if "'" in text or "’" in text:
        text = text.replace("’", "'")
    scopes = []
    for match in _ZH_NEGATION.finditer(text):
        if match.lastgroup and match.lastgroup.startswith("skip"):
            continue
        start = match.end()
        if match.group() == "不" and match.start() > 0 and start < len(text) and text[match.start() - 1] == text[start]:
            continue  # 是不是, 好不好: a question, not a negation
        end = min(len(text), start + _ZH_WINDOW)
        end = _stop(text, start, end, _ZH_BOUNDARY)
        if end > start:
            scopes.append((start, end))
    for match in _EN_NEGATION.finditer(text):
        if match.group("skip"):
            continue
        start = match.end()
        words = list(_EN_WORD.finditer(text, start))
        end = words[_EN_WINDOW - 1].end() if len(words) >= _EN_WINDOW else len(text)
        end = _stop(text, start, end, _EN_BOUNDARY)
        if end > start:
            scopes.append((start, end))
    return scopes


def _stop(text: str, start: int, end: int, boundary: re.Pattern[str]) -> int:
    for pattern in (_CLAUSE_END, boundary):
        found = pattern.search(text, start, end)
        if found:
            end = found.start()
    return end


def conceded(sentence: str, start: int, end: int) -> bool:
    """Whether the blaming phrase at [start, end) of the normalised `sentence` is conceded (see above)."""
    before = sentence[:start]
    markers = list(_CONCESSIVE.finditer(before))
    if markers and not _CONTRAST.search(before, markers[-1].end()):
        return True
    return bool(_TAKE_OVER.search(sentence, end))
