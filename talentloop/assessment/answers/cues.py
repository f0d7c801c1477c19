"""Cue phrases the text scorer looks for: STAR parts, connectives, specifics, concrete actions, blaming.

Chinese phrases match anywhere, ASCII phrases as whole words ("fix" is not found in "prefix"); all patterns
run on normalised text (text.normalise: NFKC, lower case). English action and result cues also accept any
first-person past-tense verb ("i reworked", "we shipped"), because good answers tell what the speaker did
in their own words.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ACTIONS", "BLAMING", "CONNECTIVES", "EXAMPLE", "NUMBER", "PERCENT", "STAR", "TIME_SPAN", "cues"]


def cues(*phrases: str, extra: str = "") -> re.Pattern[str]:
    """One pattern for Chinese phrases (anywhere) and ASCII ones (whole words), plus an optional raw regex.

    The phrases are compiled as a trie (shared prefixes factored out), so that a long list costs about as
    much to search as a short one.
    """
    ascii_phrases = [p for p in phrases if p.isascii()]
    other = [p for p in phrases if not p.isascii()]
    parts = []
    if other:
        parts.append(_trie(other))
    if ascii_phrases:
        parts.append(rf"(?<!\w)(?:{_trie(ascii_phrases)})(?!\w)")
    if extra:
        parts.append(extra)
    return re.compile("|".join(parts) or r"(?!x)x")


def _trie(phrases: list[str]) -> str:
    """A regex matching exactly `phrases`, longest first at each branch (so backtracking finds the others)."""
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(tree)


def _pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if "" in node:
        return f"(?:{'|'.join(branches)})?" if branches else ""
    if len(branches) == 1:
        return branches[0]
    return f"(?:{'|'.join(branches)})"


_EN_IRREGULAR_PAST = (
    "went|took|made|set|wrote|found|told|asked|led|ran|got|gave|built|sent|spent|brought|put|met|spoke|split|"
    "began|chose|drew|kept|paid|held|bought|sold|taught|thought|did|rang|sat|stood|read|ran"
)
STAR: dict[str, re.Pattern[str]] = {
    "situation": cues(
        "当时", "背景", "那时", "有一次", "曾经", "上个月", "去年", "在我之前", "情况是", "上季度", "上半年", "前年",
        "以前", "那年", "刚入职", "刚负责", "我刚", "在上一家", "有段时间", "月底", "年底", "年终", "期间",
        "when i", "at the time", "situation", "background", "last year", "once", "there was", "last quarter",
        "last month", "previous", "during", "in my last", "years ago", "when we", "used to", "at month end",
        "i noticed", "i was working",
    ),
    "task": cues(
        "我负责", "我的任务", "任务是", "目标是", "我需要", "我的职责", "需要我", "我牵头", "由我", "牵头", "主管让我",
        "领导让我", "要求我", "目标定为", "我接手", "我要", "我的目标",
        "my role", "my task", "i was responsible", "responsible for", "the goal", "i needed to", "my job was",
        "i had to", "i was asked", "i was in charge", "i took over", "i wanted to", "i set a goal", "i owned",
        "it was my job", "i was tasked", "my goal",
    ),
    "action": cues(
        "我首先", "首先", "然后", "接着", "随后", "我立即", "我主动", "我决定", "我马上", "我先", "我把", "我和",
        "我向", "我当天", "我当场", "我花了", "我重新", "我找", "我约", "我请", "我带", "我逐", "我拿", "我整理",
        "我统计",
        "我设计", "我建议", "我提出", "我安排", "我联系", "我用", "于是我", "我就", "我亲自", "我与", "我跟", "我每",
        "我立刻", "我打电话", "我写", "我组织", "我推动",
        "i first", "first i", "then", "next", "i decided", "i contacted", "i called", "i took", "i immediately",
        "i listened", "i offered", "i arranged", "so i",
        extra=rf"(?<!\w)(?:i|we) (?:\w+ed|{_EN_IRREGULAR_PAST})(?!\w)",
    ),
    "result": cues(
        "最后", "结果", "最终", "提升了", "提高了", "降低了", "减少了", "增加了", "成功", "满意", "降到", "升到",
        "节省", "缩短", "达到", "完成了", "按时", "如期", "从此", "此后", "再也没有", "没有再", "批准", "认可", "表扬",
        "感谢",
        "签约", "续约", "效果",
        "as a result", "in the end", "finally", "increased", "reduced", "improved", "resolved", "result",
        "outcome", "satisfied", "dropped", "rose", "saved", "fell", "on time", "since then", "has not happened again",
        "afterwards", "approved", "renewed", "signed", "thanked", "achieved", "delivered", "finished", "completed",
        "went from", "grew", "doubled", "halved", "ended up", "lowered", "won",
    ),
}
CONNECTIVES = cues(
    "因为", "所以", "因此", "首先", "其次", "另外", "同时", "但是", "不过", "此外", "于是", "接着", "而且", "从而",
    "以便",
    "because", "therefore", "first", "second", "however", "so that", "as a result", "in addition", "moreover",
    "since", "after that", "which meant", "instead",
)
EXAMPLE = cues("例如", "比如", "举个例子", "举例来说", "for example", "for instance", "e.g", "such as")
_EN_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|million|half|dozen|dozens"
)
NUMBER = re.compile(
    r"\d|[一二两三四五六七八九十百千万]+(?:个|天|周|次|位|名|年|倍|家|条|项|人|小时|分钟|星期|月|份|封|张|款|场|轮|元|"
    rf"块|万|季度|类|种|步|遍|成)|\b(?:{_EN_NUMBER_WORDS})\b"
)
PERCENT = re.compile(r"\d\s*%|百分之|\bpercent\b|\d\s*成|[一二三四五六七八九]成")
TIME_SPAN = re.compile(
    r"(?:\d+|[一二两三四五六七八九十半几]+)\s*(?:个)?(?:天|周|星期|月|小时|分钟|年|日内|工作日)"
    rf"|\b(?:\d+|a|an|one|{_EN_NUMBER_WORDS}|few|several)\s+(?:days?|weeks?|months?|hours?|"
    r"minutes?|years?|quarters?)\b|\bwithin\b|\bby (?:monday|tuesday|wednesday|thursday|friday|the next day)\b"
)
ACTIONS = cues(
    "联系", "沟通", "安排", "制定", "分析", "调查", "协调", "核实", "整理", "记录", "回访", "补偿", "退款", "更换",
    "培训", "组织", "设计", "优化", "上线", "测试", "总结", "统计", "核对", "对比", "调整", "推动", "申请", "汇报",
    "检查", "访谈", "调研", "复盘", "拆解", "梳理", "制作", "撰写", "确认", "跟进", "推送", "建立", "引入", "改进",
    "contacted", "called", "arranged", "analysed", "analyzed", "investigated", "coordinated", "checked",
    "documented", "recorded", "refunded", "replaced", "trained", "organised", "organized", "designed",
    "optimised", "optimized", "launched", "tested", "emailed", "escalated", "offered", "reviewed", "compared",
    "tracked", "scheduled", "planned", "prepared", "wrote", "built", "set up", "added", "briefed", "interviewed",
    "surveyed", "measured", "calculated", "reconciled", "negotiated", "proposed", "presented", "mapped", "fixed",
    "automated", "introduced", "redesigned",
)
BLAMING = cues(
    "都是他们的错", "是他们的错", "不是我的问题", "不是我的错", "不关我的事", "责任不在我", "都怪", "怪他们", "怪客户",
    "怪同事", "他们太笨", "it was their fault", "their fault", "not my fault", "not my problem", "blame them",
    "wasn't my fault", "isn't my fault", "wasn't my problem", "isn't my problem", "their mistake",
    "blamed them", "blame the customer", "blamed the customer", "nothing to do with me", "his fault", "her fault",
)
