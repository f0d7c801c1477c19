"""Cue phrases the text scorer looks for: STAR parts, plan parts, connectives, specifics, concrete actions,
blaming.

Chinese phrases match anywhere, ASCII phrases as whole words ("fix" is not found in "prefix"); all patterns
run on normalised text (text.normalise: NFKC, lower case). English action and result cues also accept any
first-person past-tense verb ("i reworked", "we shipped"), because good answers tell what the speaker did
in their own words. STAR parts tell a past example (behavioural questions); PLAN parts tell what the
speaker would do (situational questions: first step, next steps, the reason, follow-up or a fallback).
English concrete actions count in any form ("call", "calls", "called", "calling"): a plan says "I would
call", a story "I called".
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "ACTIONS", "BLAMING", "CONNECTIVES", "EXAMPLE", "NUMBER", "PERCENT", "PLAN", "STAR", "TIME_SPAN", "action_key",
    "cues",
]


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
        # 2.1: more ways to set the scene
        "那次", "上次", "上周", "之前", "当初", "起初", "第一次", "年初", "季度末", "那段时间", "一次", "刚来",
        "last week", "months ago", "weeks ago", "at quarter end", "at year end", "at the end of", "one day",
        "in my first", "the first time", "in my previous", "at my previous", "we were told",
        extra=r"(?<!\w)(?:was|were|had been|kept) \w+ing(?!\w)",
    ),
    "task": cues(
        "我负责", "我的任务", "任务是", "目标是", "我需要", "我的职责", "需要我", "我牵头", "由我", "牵头", "主管让我",
        "领导让我", "要求我", "目标定为", "我接手", "我要", "我的目标",
        "my role", "my task", "i was responsible", "responsible for", "the goal", "i needed to", "my job was",
        "i had to", "i was asked", "i was in charge", "i took over", "i wanted to", "i set a goal", "i owned",
        "it was my job", "i was tasked", "my goal",
        # 2.1
        "让我", "交给我", "希望我", "公司要求", "部门要求", "任务", "目标",
        "asked me to", "my manager asked", "needed to", "the target", "our target", "target was", "goal was",
        "i was given", "assigned", "i wanted", "i set out to",
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
        # 2.1
        "之后", "后来", "回到", "占到", "降至", "提升到", "提高到", "增长", "下降", "上升", "减少", "中标", "签下",
        "签单", "采纳", "推广", "被提拔", "再没", "没再",
        "reached", "since", "later", "promoted", "adopted", "accepted", "agreed to", "went live", "no more",
        "back to", "on schedule", "closed the deal", "missed none",
        extra=r"(?<!\w)(?:was|were) (?:up|down)(?!\w)|(?:[\d一二两三四五六七八九十半几]+)个?(?:天|周|月|年)后",
    ),
}
CONNECTIVES = cues(
    "因为", "所以", "因此", "首先", "其次", "另外", "同时", "但是", "不过", "此外", "于是", "接着", "而且", "从而",
    "以便",
    "because", "therefore", "first", "second", "however", "so that", "as a result", "in addition", "moreover",
    "since", "after that", "which meant", "instead",
    # 2.1: the words answers actually chain their steps and reasons with
    "然后", "最后", "为了", "如果", "由于", "虽然", "并且", "以免", "否则", "一旦", "尽管", "然而", "这样",
    "then", "finally", "so", "but", "if", "although", "to make sure", "otherwise", "once", "unless", "thus",
    "meanwhile", "next",
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
_ZH_ACTIONS = (
    "联系", "沟通", "安排", "制定", "分析", "调查", "协调", "核实", "整理", "记录", "回访", "补偿", "退款", "更换",
    "培训", "组织", "设计", "优化", "上线", "测试", "总结", "统计", "核对", "对比", "调整", "推动", "申请", "汇报",
    "检查", "访谈", "调研", "复盘", "拆解", "梳理", "制作", "撰写", "确认", "跟进", "推送", "建立", "引入", "改进",
)
# English verbs in their base form; every form counts (see _forms). Irregular pasts are listed in _IRREGULAR.
_EN_ACTIONS = (
    "contact", "call", "arrange", "analyse", "analyze", "investigate", "coordinate", "check", "document", "record",
    "refund", "replace", "train", "organise", "organize", "design", "optimise", "optimize", "launch", "test",
    "email", "escalate", "offer", "review", "compare", "track", "schedule", "plan", "prepare", "write", "build",
    "set up", "add", "brief", "interview", "survey", "measure", "calculate", "reconcile", "negotiate", "propose",
    "present", "map", "fix", "automate", "introduce", "redesign",
    # 2.1
    "apologise", "apologize", "verify", "prioritise", "prioritize", "delegate", "follow up", "list", "pilot",
    "draft", "estimate", "assess", "summarise", "summarize", "audit", "benchmark", "split",
)
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "write": ("wrote", "written"), "build": ("built",), "set": ("set",), "split": ("split",),
}
_DOUBLED = frozenset({"plan", "map", "set", "split"})  # planning, mapped


def _forms(verb: str) -> tuple[str, ...]:
    """The base form, -s, past and -ing forms of an English verb; a phrasal verb inflects its first word."""
    head, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    if head in _DOUBLED:
        stem = head + head[-1]
    elif head.endswith("e"):
        stem = head[:-1]
    else:
        stem = head
    pasts: tuple[str, ...]
    if head.endswith("y") and head[-2] not in "aeiou":
        third, pasts = head[:-1] + "ies", (head[:-1] + "ied",)
    else:
        third = head + ("es" if head.endswith(("s", "sh", "ch", "x", "z")) else "s")
        pasts = _IRREGULAR.get(head, (stem + "ed",))
    return tuple(sorted(form + tail for form in {head, third, stem + "ing", *pasts}))


ACTIONS = cues(*_ZH_ACTIONS, *(form for verb in _EN_ACTIONS for form in _forms(verb)))
_ACTION_FORMS = {form: verb for verb in _EN_ACTIONS for form in _forms(verb)}


def action_key(found: str) -> str:
    """The same action whatever its form: "called" and "call" are one concrete action."""
    return _ACTION_FORMS.get(found, found)


# Situational questions ask what the speaker would do: a good plan says where it starts, what follows, why,
# and how it is followed up (or what happens if it does not work).
PLAN: dict[str, re.Pattern[str]] = {
    "first step": cues(
        "首先", "第一步", "第一时间", "会先", "我先", "先了解", "先确认", "先和", "先跟", "先找", "先把", "先问",
        "先核实", "先听", "先让", "先私下", "先单独", "先评估", "先分析", "先明确", "先暂停", "先安抚", "先向",
        "先查", "先弄清", "先梳理", "先冷静", "先快速", "先诚恳", "当天", "立即", "马上", "立刻",
        "first", "i would start", "i'd start", "start by", "begin by", "to start", "to begin", "my first step",
        "right away", "immediately", "straight away", "the same day",
    ),
    "next steps": cues(
        "然后", "接着", "随后", "之后", "其次", "同时", "第二步", "下一步", "紧接着",
        "then", "next", "after that", "afterwards", "second", "secondly", "meanwhile", "at the same time",
        "in parallel",
        extra=r"[，,；;]\s*再",
    ),
    "reason": cues(
        "因为", "为了", "以便", "确保", "保证", "目的是", "避免", "以免", "否则", "从而", "由于", "这样",
        "because", "so that", "to make sure", "make sure", "ensure", "in order to", "to avoid", "otherwise",
        "that way", "which means", "so the", "so they", "so we", "the goal", "the aim",
    ),
    "follow-up": cues(
        "最后", "事后", "会后", "跟进", "回访", "复盘", "最终", "如果", "万一", "一旦", "后续", "定期", "每周",
        "finally", "follow up", "followed up", "following up", "check back", "check in", "in the end", "if",
        "in case", "review", "going forward", "every week", "weekly", "afterwards",
    ),
}
BLAMING = cues(
    "都是他们的错", "是他们的错", "不是我的问题", "不是我的错", "不关我的事", "责任不在我", "都怪", "怪他们", "怪客户",
    "怪同事", "他们太笨", "it was their fault", "their fault", "not my fault", "not my problem", "blame them",
    "wasn't my fault", "isn't my fault", "wasn't my problem", "isn't my problem", "their mistake",
    "blamed them", "blame the customer", "blamed the customer", "nothing to do with me", "his fault", "her fault",
)
