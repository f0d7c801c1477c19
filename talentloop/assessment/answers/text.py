"""Text helpers for typed answers: sentences, normalisation, tokens and language, in Chinese and English.

- `normalise`: NFKC (full-width letters, digits and punctuation become ASCII), lower case, straight quotes.
- `split_sentences`: sentences end at 。！？；!?; (full- or half-width), at newlines and at "." unless
  it sits between two digits ("3.5"); offsets refer to the original text.
- English words, in every tokenizer: two or more characters, a small stop list, light suffix stripping
  ("listened", "listening", "listens" all give "listen").
- `JiebaTokenizer` (the scorer's default): Chinese words from jieba in search mode (a long word also gives
  the dictionary words inside it: 解决方案 → 解决, 方案, 解决方案), without HMM guessing of unknown words so
  that a key point and an answer are cut the same way; single characters and stop words (我们, 进行, 没有...)
  are dropped, except that a run of one Chinese character is kept. jieba's dictionary loads lazily, once
  per process and thread-safely, with its log messages silenced (about 1 s; `warm_up()` does it early).
- `BigramTokenizer`: Chinese character bigrams (a run of one Chinese character gives a unigram); bigrams
  with a function character (的, 了, 我...) are dropped, as in resume/terms.py. No dependency.
- `detect_language`: "zh-hans" when Chinese characters make up at least 30% of the length units (a Chinese
  character or any other word counts one, so "我用 Python 开发" is Chinese), else "en".
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ASCII_WORD = re.compile(r"[a-z][a-z0-9'+#-]*|\d+(?:\.\d+)?")
_TOKEN_WORD = re.compile(r"[a-z][a-z0-9+#]*")
_SENTENCE_END = re.compile(r"[。！？；!?;\n\r\uff01\uff1f\uff1b\u2026]+|(?<!\d)\.+|\.+(?!\d)")

_FUNCTION_CHARS = frozenset("的了和与及在是等对并为将把被或也都就而之其于以我你他她们这那有个着过又再很更最从"
                            "向让使由所吗呢吧啊")
_STOP_BIGRAMS = frozenset({
    "进行", "相关", "一个", "一些", "一次", "时候", "什么", "如何", "怎么", "可以", "需要", "我们", "自己",
    "因为", "所以", "然后", "但是", "如果", "还是", "没有", "已经", "非常", "当时", "之后", "请描", "描述",
})
_STOP_WORDS = frozenset([
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "during", "each",
    "for", "from", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "just", "me", "might", "more", "most", "must", "my", "no", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "describe", "tell", "time", "please",
])
_ARTICLES = frozenset({"a", "an", "the"})
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


class Tokenizer(Protocol):
    """Turns normalised text (see `normalise`) into content tokens."""

    @property
    def name(self) -> str: ...

    def tokens(self, text: str) -> list[str]: ...


def normalise(text: str) -> str:
    """NFKC, lower case and straight apostrophes ("didn’t" → "didn't"); one character stays one character
    except where NFKC itself expands one."""
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")


def split_sentences(text: str) -> list[tuple[str, int, int]]:
    """(sentence, start, end) for every non-blank sentence; the sentence keeps its end mark."""
    sentences: list[tuple[str, int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[tuple[str, int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    lead = len(piece) - len(piece.lstrip())
    start += lead
    end = start + len(stripped)
    sentences.append((text[start:end], start, end))


def stem(word: str) -> str:
    """Light suffix stripping for English words; leaves at least three characters, drops a final "e"."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def english_tokens(text: str) -> list[str]:
    return [stem(word) for word in _TOKEN_WORD.findall(text) if len(word) > 1 and word not in _STOP_WORDS]


def function_words(text: str) -> list[str]:
    """The English words the tokenizers drop (stop words, one letter; not the articles): short key-point
    phrases are made of them ("followed up", "tell my manager", "no blame") and mean little without them."""
    return [word for word in _TOKEN_WORD.findall(text)
            if (len(word) == 1 or word in _STOP_WORDS) and word not in _ARTICLES]


@dataclass(frozen=True)
class BigramTokenizer:
    """Dependency-free tokens: stemmed English words and Chinese character bigrams."""

    name: str = "bigram-v1"

    def tokens(self, text: str) -> list[str]:
        out = english_tokens(text)
        for run in _CJK_RUN.findall(text):
            if len(run) == 1:
                if run not in _FUNCTION_CHARS:
                    out.append(run)
                continue
            for i in range(len(run) - 1):
                pair = run[i : i + 2]
                if pair[0] in _FUNCTION_CHARS or pair[1] in _FUNCTION_CHARS or pair in _STOP_BIGRAMS:
                    continue
                out.append(pair)
        return out


_STOP_WORDS_ZH = _STOP_BIGRAMS | frozenset({
    "这个", "那个", "这样", "那样", "他们", "她们", "你们", "就是", "还有", "以及", "或者", "不是", "一下", "一点",
    "这些", "那些", "大家", "之前", "以后", "其中", "通过", "这次", "那次", "的话", "一样", "觉得", "认为",
})
_JIEBA_LOCK = threading.Lock()
_JIEBA: list[Any] = []  # the one jieba.Tokenizer of the process, once loaded


def _jieba() -> Any:
    if _JIEBA:
        return _JIEBA[0]
    with _JIEBA_LOCK:
        if not _JIEBA:
            import jieba  # imported here: the dictionary takes about a second to load

            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.setLogLevel(logging.WARNING)
            instance = jieba.Tokenizer()
            instance.initialize()
            _JIEBA.append(instance)
    return _JIEBA[0]


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first Chinese answer."""
    _jieba()


@dataclass(frozen=True)
class JiebaTokenizer:
    """Stemmed English words and jieba's Chinese words (search mode, no HMM), stop words dropped."""

    name: str = "jieba-v1"

    def tokens(self, text: str) -> list[str]:
        out = english_tokens(text)
        runs = _CJK_RUN.findall(text)
        if not runs:
            return out
        cutter = _jieba()
        for run in runs:
            if len(run) == 1:
                if run not in _FUNCTION_CHARS:
                    out.append(run)
                continue
            out.extend(
                word for word in cutter.cut_for_search(run, HMM=False)
                if len(word) > 1 and word not in _STOP_WORDS_ZH
            )
        return out


def detect_language(text: str) -> str:
    """"zh-hans" when Chinese characters are at least 30% of the length units of normalised `text`, else "en"."""
    cjk = len(_CJK_CHAR.findall(text))
    units = cjk + len(_ASCII_WORD.findall(text))
    return "zh-hans" if units and cjk / units >= 0.3 else "en"


def length_units(normalised: str) -> int:
    """Length of normalised text: every Chinese character counts one, and so does every other word or number."""
    return len(_CJK_CHAR.findall(normalised)) + len(_ASCII_WORD.findall(normalised))
