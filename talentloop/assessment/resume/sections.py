"""Split resume lines into sections by their headers, and split a line into its fields.

Headers come in Chinese, English or both ("教育背景 / EDUCATION"), often decorated ("■ 工作经历", "一、技能",
"【证书】"). A few sections are also written inline ("技能：Python、SQL").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = "header"  # the lines before the first section header: name and contacts, usually

_HEADER_TERMS: dict[str, tuple[str, ...]] = {
    "education": ("教育背景", "教育经历", "教育经验", "教育情况", "学历背景", "学习经历", "教育", "education",
                  "education background", "educational background", "academic background", "academic qualifications",
                  "academics"),
    "work": ("工作经历", "工作经验", "工作履历", "职业经历", "从业经历", "工作背景", "实习经历", "实习经验", "任职经历",
             "experience", "work experience", "work history", "professional experience", "employment history",
             "employment", "career history", "internship", "internships", "internship experience",
             "relevant experience", "working experience"),
    "projects": ("项目经历", "项目经验", "项目", "projects", "project experience", "key projects", "selected projects"),
    "skills": ("技能", "专业技能", "技能特长", "个人技能", "技能专长", "技术技能", "技能证书", "专业能力", "技术栈",
               "skills", "technical skills", "core skills", "key skills", "competencies", "core competencies",
               "skills & tools", "tools", "skills and tools", "tech stack"),
    "certificates": ("证书", "资格证书", "证书资质", "获得证书", "所获证书", "职业资格", "资质证书", "certificates",
                     "certifications", "certification", "licenses", "licenses & certifications",
                     "licenses and certifications", "licences"),
    "languages": ("语言", "语言能力", "外语能力", "语言技能", "外语水平", "languages", "language skills", "language"),
    "personal": ("个人信息", "基本信息", "个人资料", "联系方式", "personal information", "personal details", "contact",
                 "contact information", "contact details", "personal info"),
    "summary": ("自我评价", "个人简介", "个人评价", "个人总结", "自我介绍", "求职意向", "职业目标", "个人优势",
                "summary", "profile", "professional summary", "objective", "career objective", "about me", "about"),
    "other": ("获奖情况", "荣誉奖项", "获奖经历", "荣誉", "校园经历", "社会实践", "兴趣爱好", "其他", "培训经历",
              "awards", "honors", "honours", "honors & awards", "activities", "interests", "hobbies", "volunteer",
              "volunteering", "training", "publications", "references", "additional information"),
}
INLINE_SECTIONS = frozenset({"skills", "certificates", "languages"})

_TERM_SECTION = {term: section for section, terms in _HEADER_TERMS.items() for term in terms}
_TERMS = sorted(_TERM_SECTION, key=len, reverse=True)
_TERM_RE = re.compile("|".join(re.escape(t) for t in _TERMS))
_DECORATION_LEFT = re.compile(
    r"^(?:[\s■□●○◆◇▶►▪•·\-—=#*>\[【<《]+|[一二三四五六七八九十]+[、.]|\d{1,2}[、.)]\s*|[IVX]+\.\s*)+"
)
_DECORATION_RIGHT = re.compile(r"[\s\]】>》:：\-—=*#]+$")
_PARENS = re.compile(r"\([^)]*\)")
_INLINE = re.compile(r"^(?P<term>[^:：]{1,20}?)\s*[:：]\s*(?P<rest>.+)$")
_ONLY_JOINERS = re.compile(r"^[\s/|&、,·\-]*$")


@dataclass(frozen=True)
class Section:
    name: str
    lines: tuple[str, ...]


def split_sections(lines: list[str]) -> list[Section]:
    sections: list[Section] = []
    name, current = HEADER, []
    for line in lines:
        found = header_of(line)
        if found is None:
            current.append(line)
            continue
        sections.append(Section(name, tuple(current)))
        name, rest = found
        current = [rest] if rest else []
    sections.append(Section(name, tuple(current)))
    return [s for s in sections if s.lines or s.name != HEADER]


def header_of(line: str) -> tuple[str, str] | None:
    """(section, text after the header on the same line) when the line is a section header."""
    if len(line) > 60:
        return None
    cleaned = _DECORATION_RIGHT.sub("", _DECORATION_LEFT.sub("", line)).lower()
    bare = _PARENS.sub("", cleaned).strip()
    if bare and len(bare) <= 40:
        terms = _TERM_RE.findall(bare)
        if terms and _ONLY_JOINERS.match(_TERM_RE.sub("", bare)):
            return _TERM_SECTION[terms[0]], ""
    inline = _INLINE.match(_DECORATION_LEFT.sub("", line))
    if inline:
        section = _TERM_SECTION.get(inline.group("term").strip().lower())
        if section in INLINE_SECTIONS:
            return section, inline.group("rest").strip()
    return None


# ------------------------------------------------------------------------------------------- fields

# Separators between fields: bars, tabs, runs of spaces, commas (but not the one in "Co., Ltd."), " @ ",
# " at ", spaced dashes, and single spaces that touch a Chinese character (Chinese uses no spaces inside
# a word, so a space there separates fields).
_FIELD_SPLIT = re.compile(
    r"\s*[|｜\t]\s*|\s{2,}|\s*[;；，、]\s*|,(?!\s*(?:Ltd|Inc|LLC|Limited|L\.L\.C|Co\b))\s*|\s+@\s+|\s+at\s+"
    r"|\s+[-–—]+\s+|(?<=[\u4e00-\u9fff)])\s+(?=[\u4e00-\u9fff])"
)
_STRIP = " \t:：-–—·•,.;；|[]【】<>《》\"'“”‘’*"
_ABBREVIATION_END = re.compile(r"\b(?:Ltd|Inc|Co|Corp|Jr|Sr|Bros|St|No)\.$", re.IGNORECASE)


def split_fields(text: str) -> list[str]:
    return [f for f in (_clean_field(part) for part in _FIELD_SPLIT.split(text)) if f]


def _clean_field(part: str) -> str:
    """Trim separators and punctuation, but keep "Ltd." and balanced brackets: "Business School (CEIBS)"."""
    field = part.strip(_STRIP + "()")
    if field.count("(") > field.count(")") and part.rstrip(_STRIP).endswith(")"):
        field += ")"
    if field.count(")") > field.count("(") and part.lstrip(_STRIP).startswith("("):
        field = "(" + field
    if field and f"{field}." in part and _ABBREVIATION_END.search(f"{field}."):
        field += "."
    return field


_BULLET = re.compile(r"^\s*(?:[-•·*●▪◆■□➢►✓√○◦‣]|\d{1,2}[.、)](?!\d))")
# Duty sentences start with a verb; Chinese verbs need no word boundary (Chinese has none).
_DESCRIPTION_VERB = re.compile(
    r"^(?:负责|参与|主导|协助|完成|带领|推动|制定|组织|设计并|开发了|实现|优化|搭建|独立|主要"
    r"|(?:responsible|led|developed|built|managed|designed|implemented|worked|created|improved|increased|"
    r"reduced|drove|owned|supported|coordinated|conducted|handled|achieved|delivered|launched|maintained|"
    r"wrote|analy[sz]ed|collaborated|partnered|mentored|oversaw|prepared|processed|assisted)\b)",
    re.IGNORECASE,
)


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def is_description(line: str) -> bool:
    """A bullet or sentence describing duties, rather than an employer/title/school line."""
    stripped = line.strip()
    sentence_end = stripped.endswith(("。", ".", ";", "；", "!", "！")) and not stripped.endswith(
        ("Co.", "Inc.", "Ltd.", "Corp.", "Jr.", "Sr.")
    )
    return len(stripped) > 60 or sentence_end or bool(_BULLET.match(stripped) or _DESCRIPTION_VERB.match(stripped))
