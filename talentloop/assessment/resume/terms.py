"""Content terms of a text, for the resume-to-job similarity in screening.

A term is a lower-cased ASCII word of two or more characters ("python", "c++", "k8s") or a bigram of
adjacent Chinese characters ("机器", "器学", "学习"): Chinese has no spaces, and character bigrams are the
usual dependency-free stand-in for words. Stop words and bigrams made with function characters (的, 和,
在...) are dropped, so the vector is about content, not grammar.

Resumes are turned into term counts once, when they are parsed, and stored with the parsed resume, so
ranking thousands of applications does not tokenise their text again.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

_WORD = re.compile(r"[a-z][a-z0-9+#]*")
_BIGRAM = re.compile(r"(?=([\u4e00-\u9fff]{2}))")

# Function characters: a bigram containing one is almost never a content word.
_FUNCTION_CHARS = frozenset("的了和与及在是等对并为将把被或也都就而之其于以我你他她们这那有个着过又再很更最从"
                            "向让使由所")
_STOP_BIGRAMS = frozenset({
    "负责", "工作", "进行", "相关", "能力", "具有", "具备", "优先", "以上", "要求", "岗位", "职位", "公司", "完成",
    "参与", "熟悉", "掌握", "了解", "熟练", "良好", "一定", "能够", "主要", "包括", "通过", "提供", "根据", "其他",
    "以及", "任职", "职责", "描述", "经验", "年以", "以下", "不限", "可以", "需要", "我们", "欢迎", "加入", "简历",
})
_STOP_WORDS = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "etc", "every", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "least", "less", "let", "like", "may", "me", "might", "more", "most", "must", "my", "no", "nor", "not",
    "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "plus",
    "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without",
    "would", "you", "your", "yours", "able", "across", "based", "new", "use", "used", "using", "well", "work",
    "worked", "working", "years", "year", "experience", "experienced", "responsible", "responsibilities", "including",
    "include", "includes", "strong", "good", "excellent", "skills", "skill", "ability", "knowledge", "team", "role",
    "job", "requirements", "required", "preferred", "position", "candidate", "company"
])


def term_counts(text: str) -> dict[str, int]:
    """Counts of the content terms of `text`."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    counts = Counter(_WORD.findall(lowered))
    counts.update(_BIGRAM.findall(lowered))
    for term in [t for t in counts if _is_stop(t)]:
        del counts[term]
    return dict(counts)


def _is_stop(term: str) -> bool:
    if term[0] < "\u4e00":
        return len(term) < 2 or term in _STOP_WORDS
    return term in _STOP_BIGRAMS or term[0] in _FUNCTION_CHARS or term[1] in _FUNCTION_CHARS


def norm(counts: Mapping[str, int]) -> float:
    return math.hypot(*counts.values())


def cosine(a: Mapping[str, int], a_norm: float, b: Mapping[str, int], b_norm: float) -> float:
    """Cosine of two count vectors whose norms are given; iterates over the smaller one."""
    if not a_norm or not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b.get(term, 0) for term, count in a.items())
    return min(1.0, dot / (a_norm * b_norm))
