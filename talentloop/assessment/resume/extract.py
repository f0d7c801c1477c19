"""Read structured facts from a resume's text: `parse_resume(text) -> ParsedResume`.

Best effort and never raises: each fact is read by its own small extractor, guided by the section headers
(教育背景/Education, 工作经历/Experience, 技能/Skills, 证书/Certificates, 语言/Languages...). An extractor that
fails on some odd input is logged and leaves its field empty instead of losing the whole resume.

Only the first MAX_CHARS characters are read; resumes are far shorter, and the cap bounds the work an
adversarial upload can cause.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from .cities import find_city, normalise_city
from .history import Span, degree_of, parse_education, parse_work, total_years
from .parsed import DEGREE_RANK, Education, LanguageSkill, ParsedResume, WorkExperience
from .sections import HEADER, Section, header_of, is_description, split_fields, split_sections
from .skills import find_skills, normalise_skill
from .terms import term_counts

__all__ = ["MAX_CHARS", "parse_resume"]

MAX_CHARS = 100_000
logger = logging.getLogger(__name__)
T = TypeVar("T")


def parse_resume(text: str, *, today: dt.date | None = None) -> ParsedResume:
    """Parse resume text. `today` ends ranges that run to the present (至今/Present); default: date.today()."""
    today = today or dt.date.today()
    text = _normalise(text[:MAX_CHARS])
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    sections = _safely(lambda: split_sections(lines), [Section(HEADER, tuple(lines))])
    by_name: dict[str, list[str]] = {}
    for section in sections:
        by_name.setdefault(section.name, []).extend(section.lines)

    no_work: tuple[list[WorkExperience], list[Span]] = ([], [])
    work, spans = _safely(lambda: _work(sections), no_work)
    no_education: list[Education] = []
    education = _safely(lambda: _education(sections), no_education)
    years = _safely(lambda: total_years(spans, today), 0.0) if spans else _safely(lambda: _stated_years(text), 0.0)
    return ParsedResume(
        name=_safely(lambda: _name(sections, lines), None),
        emails=_safely(lambda: _emails(text), ()),
        phones=_safely(lambda: _phones(lines), ()),
        location=_safely(lambda: _location(sections, lines), None),
        education=tuple(education),
        highest_degree=_safely(lambda: _highest_degree(education, lines), None),
        work_history=tuple(work),
        total_years_experience=years,
        skills=tuple(_safely(lambda: find_skills(text), [])),
        languages=_safely(lambda: _languages(sections), ()),
        certificates=_safely(lambda: _certificates(text, by_name.get("certificates", [])), ()),
        terms=_safely(lambda: term_counts(text), {}),
    )


def _safely(extract: Callable[[], T], default: T) -> T:
    try:
        return extract()
    except Exception:  # one odd field must not cost the whole resume; the log shows what to fix
        logger.exception("resume extractor failed")
        return default


def _normalise(text: str) -> str:
    # NFKC maps full-width forms (：，１３８ＡＢＣ) to ASCII and the ideographic space to a space.
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

# ------------------------------------------------------------------------------------------- name

# A label and its value are separated by a colon, or by a table cell boundary: a tab in DOCX tables, a bar
# where a table was flattened to text.
_LABEL_END = r"(?:\s*[:：|｜]\s*|\t+)"
_NAME_LABEL = re.compile(rf"(?:姓\s*名|名\s*字|(?<![A-Za-z])(?:Full Name|Name|Candidate)){_LABEL_END}([^\t|,，;；]+)",
                         re.IGNORECASE)
_NEXT_LABEL = re.compile(r"\s+\S{1,12}\s*[:：].*$|\s{2,}.*$")
_RESUME_TITLE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff·]{2,8}?)(?:的)?(?:个人)?简历$"
    r"|^(?:Resume|CV|Curriculum Vitae)\s*(?:of|[-:–—])\s*(?P<en>[A-Za-z][A-Za-z .'\-]+)$",
    re.IGNORECASE,
)
_SURNAMES_2 = frozenset([
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延"
])
_SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄"
    "聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鄂殳夏"
)
_NOT_NAMES = frozenset([
    "个人简历", "简历", "求职简历", "个人信息", "基本信息", "联系方式", "求职意向", "本科", "硕士", "博士", "大专",
    "高中", "男", "女", "未婚", "已婚", "汉族", "党员", "团员", "应届生", "应届毕业生", "工程师", "经理", "上海",
    "北京", "深圳", "广州", "杭州", "南京", "武汉", "成都", "重庆", "天津", "西安", "苏州", "长沙", "郑州", "青岛",
    "合肥", "厦门", "宁波", "无锡", "东莞", "佛山", "珠海", "大连", "沈阳", "昆明", "南宁", "南昌", "兰州", "中山",
    "温州", "常州", "金华", "台州", "唐山", "保定", "徐州", "烟台", "潍坊", "泉州", "惠州", "洛阳", "扬州"
])
_EN_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z]*(?:[-'][A-Z]?[a-z]+)*|[A-Z]{2,}(?:[-'][A-Z]+)*|[A-Z]\.)$")
_EN_NOT_NAME = frozenset([
    "resume", "curriculum", "vitae", "cv", "profile", "summary", "contact", "email", "phone", "mobile", "address",
    "street", "road", "avenue", "china", "senior", "junior", "software", "data", "sales", "marketing", "human",
    "resources", "product", "project", "university", "college", "inc", "ltd", "llc", "engineer", "manager",
    "developer", "analyst", "designer", "consultant", "director", "specialist", "accountant", "objective",
    "experience", "education", "skills", "personal", "information", "the", "and", "of", "for", "with", "page",
    "confidential"
])


def _name(sections: list[Section], lines: list[str]) -> str | None:
    for line in lines[:40]:
        if m := _NAME_LABEL.search(line):
            value = _NEXT_LABEL.sub("", m.group(1)).strip(" :：")
            if _looks_like_name(value):
                return value
    for line in lines[:3]:
        if m := _RESUME_TITLE.match(line):
            candidate = (m.group("name") or m.group("en") or "").strip()
            if _looks_like_name(candidate):
                return candidate
    head = [s for s in sections if s.name in (HEADER, "personal")]
    for section in head[:2]:
        for line in section.lines[:6]:
            fields = split_fields(line)
            if fields and _looks_like_name(fields[0]):
                return fields[0]
    return None


def _looks_like_name(value: str) -> bool:
    value = value.strip()
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", value):
        surname_ok = value[:2] in _SURNAMES_2 or value[0] in _SURNAMES_1
        return surname_ok and value not in _NOT_NAMES and degree_of(value) is None and header_of(value) is None
    if re.fullmatch(r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}", value):  # 买买提·艾力 and other transliterations
        return True
    tokens = value.split()
    if not 2 <= len(tokens) <= 4 or len(value) > 40:
        return False
    if not all(_EN_NAME_TOKEN.match(token) for token in tokens):
        return False
    if any(token.lower().strip(".") in _EN_NOT_NAME for token in tokens):
        return False
    return normalise_city(value) is None and not find_skills(value) and header_of(value) is None


# ------------------------------------------------------------------------------------------ contacts

# The look-behind makes a match start only where a run of address characters starts: without it, a long run
# with no "@" is rescanned from each of its characters (quadratic time on hostile input).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
_CN_MOBILE = re.compile(r"(?<![\d+])(?:\(?(?:\+|00)?86\)?[\s\-]?)?(1[3-9]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?!\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])\+(?!86)(\d{1,3})[\s\-.]?(?:\(\d{1,4}\)[\s\-.]?)?\d[\d\s\-.]{5,16}\d(?!\d)")
_PHONE_LABEL = re.compile(
    r"(?:电话|手机|联系电话|联系方式|Tel|Phone|Mobile|Cell)\s*[:：.]?\s*([+(]?\d[\d\s\-().]{6,20}\d)", re.IGNORECASE
)
_NOT_PHONE_BEFORE = re.compile(r"(?:QQ|微信|WeChat|身份证|ID)\s*[:：]?\s*$", re.IGNORECASE)


def _emails(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group().lower().rstrip(".") for m in _EMAIL.finditer(text)))


def _phones(lines: list[str]) -> tuple[str, ...]:
    found: dict[str, None] = {}

    def mobile(m: re.Match[str]) -> str:
        if _NOT_PHONE_BEFORE.search(m.string[max(0, m.start() - 12): m.start()]):
            return m.group()
        found.setdefault("".join(m.groups()), None)
        return "#" * len(m.group())  # masked, so the later patterns do not read the number again

    def international(m: re.Match[str]) -> str:
        found.setdefault("+" + re.sub(r"\D", "", m.group()), None)
        return "#" * len(m.group())

    for line in lines:
        masked = _INTERNATIONAL.sub(international, _CN_MOBILE.sub(mobile, line))
        for m in _PHONE_LABEL.finditer(masked):
            digits = re.sub(r"\D", "", m.group(1))
            if 7 <= len(digits) <= 15:
                found.setdefault(("+" if m.group(1).startswith("+") else "") + digits, None)
    return tuple(found)


# ------------------------------------------------------------------------------------------ location

_LOCATION_LABEL = re.compile(
    r"(?:现居住地|现居地|现居住|现居|居住地|居住城市|所在地|所在城市|现所在地|目前所在地|现住址|住址|地址|"
    rf"(?<![A-Za-z])(?:Current Location|Location|City|Address|Residence)){_LABEL_END}([^|\t;；]+)"
    r"|(?:Based in|Lives in|Living in|现居于|现居住于)\s*([^|\t;；,，]+)",
    re.IGNORECASE,
)
_NOT_CURRENT_PLACE = re.compile(r"籍贯|户籍|户口|期望|意向|desired|preferred|willing|hometown", re.IGNORECASE)
# Words that make "地址"/"Address" something other than where the person lives.
_NOT_PLACE_LABEL = re.compile(r"(?:籍贯|户籍|户口|期望|意向|工作|邮箱|邮件|电子邮件|网站|网址|Email|E-mail|Web|IP|MAC|"
                              r"Desired|Preferred|Work|Office|Mailing)\s*$", re.IGNORECASE)
_ORGANISATION = re.compile(r"公司|大学|学院|集团|银行|University|College|Inc\b|Ltd\b|Corp\b", re.IGNORECASE)


def _location(sections: list[Section], lines: list[str]) -> str | None:
    for line in lines[:60]:
        for m in _LOCATION_LABEL.finditer(line):
            if _NOT_PLACE_LABEL.search(line[max(0, m.start() - 12): m.start()]):
                continue
            value = _NEXT_LABEL.sub("", (m.group(1) or m.group(2) or "")).strip(" .,:：")
            if value and "@" not in value and "http" not in value.lower():
                return find_city(value) or value[:40]
    for section in sections:
        if section.name not in (HEADER, "personal"):
            continue
        for line in section.lines[:12]:
            if _NOT_CURRENT_PLACE.search(line):
                continue
            for raw in split_fields(line):
                if len(raw) <= 24 and not _ORGANISATION.search(raw) and "@" not in raw:
                    city = normalise_city(raw) or (find_city(raw) if re.search(r"[,，]|省|市|区", raw) else None)
                    if city is None and "," in raw:
                        city = normalise_city(raw.split(",")[0])
                    if city:
                        return city
    return None


# ------------------------------------------------------------------------------------ work and education


def _work(sections: list[Section]) -> tuple[list[WorkExperience], list[Span]]:
    work_lines = [line for s in sections if s.name == "work" for line in s.lines]
    if not work_lines:
        # No work header: take dated lines outside education and projects.
        work_lines = [line for s in sections if s.name not in ("education", "projects", "other") for line in s.lines]
    return parse_work(work_lines)


def _education(sections: list[Section]) -> list[Education]:
    lines = [line for s in sections if s.name == "education" for line in s.lines]
    if lines:
        return parse_education(lines)
    fallback = [line for s in sections if s.name not in ("work", "projects") for line in s.lines]
    return parse_education(fallback, need_school=True)


_DEGREE_LABEL = re.compile(
    rf"(?:最高学历|学历|学位|Degree|Highest Degree){_LABEL_END}([^\s|,，;；]+(?:\s+[A-Za-z']+)?)", re.IGNORECASE
)


def _highest_degree(education: list[Education], lines: list[str]) -> str | None:
    degrees = [e.degree for e in education if e.degree]
    for line in lines[:60]:
        for m in _DEGREE_LABEL.finditer(line):
            degree = degree_of(m.group(1))
            if degree:
                degrees.append(degree)
    return max(degrees, key=DEGREE_RANK.__getitem__, default=None)


_STATED_YEARS = re.compile(
    r"(\d{1,2}(?:\.\d)?)\s*\+?\s*年(?:以上)?(?:的)?(?:工作|相关|从业|行业)?(?:工作)?经验"
    r"|(?:工作经验|工作年限|从业年限)\s*[:：]?\s*(\d{1,2}(?:\.\d)?)\s*\+?\s*年"
    r"|(\d{1,2}(?:\.\d)?)\s*\+?\s*years?\s+(?:of\s+)?(?:[\w\-]+\s+){0,2}experience",
    re.IGNORECASE,
)


def _stated_years(text: str) -> float:
    """"5年工作经验" / "8+ years of experience", used only when no dated jobs were found."""
    m = _STATED_YEARS.search(text)
    if m is None:
        return 0.0
    value = float(next(group for group in m.groups() if group))
    return round(min(value, 60.0), 1)


# ------------------------------------------------------------------------------------------ languages

_LANGUAGE_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        ("English", r"英语|英文|(?<![A-Za-z])English(?![A-Za-z])"),
        # Spoken and written Chinese are one entry: resumes say 普通话, 中文 and "Chinese" for the same thing.
        ("Mandarin", r"普通话|中文|汉语(?!言)|(?<![A-Za-z])(?:Mandarin|Chinese)(?![A-Za-z])"),
        ("Cantonese", r"粤语|广东话|(?<![A-Za-z])Cantonese(?![A-Za-z])"),
        ("Japanese", r"日语|日文|(?<![A-Za-z])Japanese(?![A-Za-z])"),
        ("Korean", r"韩语|韩文|朝鲜语|(?<![A-Za-z])Korean(?![A-Za-z])"),
        ("French", r"法语|(?<![A-Za-z])French(?![A-Za-z])"),
        ("German", r"德语|(?<![A-Za-z])German(?![A-Za-z])"),
        ("Spanish", r"西班牙语|(?<![A-Za-z])Spanish(?![A-Za-z])"),
        ("Russian", r"俄语|(?<![A-Za-z])Russian(?![A-Za-z])"),
        ("Italian", r"意大利语|(?<![A-Za-z])Italian(?![A-Za-z])"),
        ("Portuguese", r"葡萄牙语|(?<![A-Za-z])Portuguese(?![A-Za-z])"),
        ("Arabic", r"阿拉伯语|(?<![A-Za-z])Arabic(?![A-Za-z])"),
        ("Thai", r"泰语|(?<![A-Za-z])Thai(?![A-Za-z])"),
        ("Vietnamese", r"越南语|(?<![A-Za-z])Vietnamese(?![A-Za-z])"),
    )
)
_CN_LEVEL = {"四": "4", "六": "6", "八": "8"}
_BEC_LEVELS = {"高级": "Higher", "中级": "Vantage", "初级": "Preliminary"}
# Tests and scores: (language, pattern, level from the match). Searched in the whole text.
_LANGUAGE_TESTS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    ("English", re.compile(r"(?<![A-Za-z])CET[\s\-_]?([46])(?!\d)|(?:大学)?英语\s*([四六])\s*级", re.IGNORECASE),
     lambda m: "CET-" + (m.group(1) or _CN_LEVEL[m.group(2)])),
    ("English", re.compile(r"(?<![A-Za-z])TEM[\s\-_]?([48])(?!\d)|(?:英语)?专业\s*([四八])\s*级", re.IGNORECASE),
     lambda m: "TEM-" + (m.group(1) or _CN_LEVEL[m.group(2)])),
    ("English", re.compile(
        r"(?:IELTS|雅思)(?:\s*(?:overall|总分|band|score|成绩))?\s*[:：]?\s*(\d(?:\.[05])?)(?![\d.])", re.IGNORECASE
    ), lambda m: f"IELTS {float(m.group(1)):.1f}"),
    ("English", re.compile(
        r"(?:TOEFL|托福)(?:\s*iBT)?(?:\s*(?:score|成绩|总分))?\s*[:：]?\s*(\d{2,3})(?!\d)", re.IGNORECASE
    ), lambda m: f"TOEFL {m.group(1)}"),
    ("English", re.compile(r"TOEIC\s*[:：]?\s*(\d{3})(?!\d)", re.IGNORECASE), lambda m: f"TOEIC {m.group(1)}"),
    ("English", re.compile(r"BEC\s*(Higher|Vantage|Preliminary|高级|中级|初级)", re.IGNORECASE),
     lambda m: "BEC " + _BEC_LEVELS.get(m.group(1), m.group(1).capitalize())),
    ("Japanese", re.compile(
        r"(?:JLPT|日语|日本语能力测试|日本語能力試験)\s*(?:等级|能力)?\s*[:：]?\s*N\s*([1-5])(?!\d)", re.IGNORECASE
    ), lambda m: f"JLPT N{m.group(1)}"),
    ("Korean", re.compile(r"TOPIK\s*(?:level\s*|等级\s*)?([1-6])(?!\d)", re.IGNORECASE),
     lambda m: f"TOPIK {m.group(1)}"),
    ("Mandarin", re.compile(r"普通话\s*(?:水平|等级)?\s*(?:测试)?\s*[:：(]?\s*([一二三]级[甲乙]等)"),
     lambda m: m.group(1)),
    ("Mandarin", re.compile(r"HSK\s*(?:level\s*)?([1-9])(?!\d)", re.IGNORECASE), lambda m: f"HSK {m.group(1)}"),
    ("French", re.compile(r"(DELF|DALF)\s*([ABC][12])", re.IGNORECASE),
     lambda m: f"{m.group(1).upper()} {m.group(2).upper()}"),
)
_LEVEL_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE)) for level, pattern in (
        ("native", r"母语|native|mother tongue"),
        ("fluent", r"流利|fluent|fluency"),
        ("professional", r"professional working|full professional|working proficiency"),
        ("proficient", r"精通|熟练|proficient|proficiency"),
        ("business", r"商务|business"),
        ("advanced", r"高级|advanced"),
        ("intermediate", r"中级|intermediate"),
        ("conversational", r"日常交流|日常沟通|conversational"),
        ("good", r"良好|(?<![A-Za-z])good(?![A-Za-z])"),
        ("basic", r"一般|基础|入门|basic|elementary|beginner"),
    )
)
_LANGUAGE_LINE = re.compile(r"^(?:语言|外语|语言能力|Languages?)\s*[:：]", re.IGNORECASE)
# Lower-case strings one of which every language pattern needs. One search of the lower-cased line tells
# whether it can mention a language at all; most lines cannot, and skipping them saves running two dozen
# patterns on every segment of every line.
_LANGUAGE_TRIGGERS = re.compile("|".join(re.escape(t) for t in (
    "cet", "tem", "ielts", "雅思", "toefl", "托福", "toeic", "bec", "jlpt", "日本语", "日本語", "topik", "普通话",
    "hsk", "delf", "dalf", "专业", "英语", "英文", "english", "mandarin", "中文", "汉语", "chinese", "粤语", "广东话",
    "cantonese", "日语", "日文", "japanese", "韩语", "韩文", "朝鲜语", "korean", "法语", "french", "德语", "german",
    "西班牙语", "spanish", "俄语", "russian", "意大利语", "italian", "葡萄牙语", "portuguese", "阿拉伯语", "arabic",
    "泰语", "thai", "越南语", "vietnamese",
)))
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SEGMENTS = re.compile(r"[,，;；|、/\t]|\s+and\s+|和")
_SUPERSEDED = {"CET-4": "CET-6", "TEM-4": "TEM-8"}


def _languages(sections: list[Section]) -> tuple[LanguageSkill, ...]:
    levels: dict[str, list[str]] = {}
    for section in sections:
        for line in section.lines:
            if not _LANGUAGE_TRIGGERS.search(line.translate(_ASCII_LOWER)):
                continue
            in_language_part = section.name == "languages" or bool(_LANGUAGE_LINE.match(line))
            for segment in _SEGMENTS.split(line):
                if len(segment.strip()) < 2:
                    continue
                # Tests and level words of a segment, in reading order: "English (fluent), IELTS 7.5".
                found: list[tuple[int, str, str]] = [
                    (m.start(), name, level_of(m))
                    for name, pattern, level_of in _LANGUAGE_TESTS for m in pattern.finditer(segment)
                ]
                for name, pattern in _LANGUAGE_NAMES:
                    if not (m := pattern.search(segment)):
                        continue
                    words = [(w.start(), level) for level, p in _LEVEL_WORDS if (w := p.search(segment))]
                    if words:
                        position, word = min(words)
                        found.append((position, name, word))
                    elif in_language_part:
                        found.append((m.start(), name, ""))
                for _, name, level in sorted(found):
                    _add_level(levels, name, level)
    result = []
    for name, stated in levels.items():
        kept = [level for level in stated if _SUPERSEDED.get(level) not in stated]
        result.append(LanguageSkill(name=name, level="; ".join(kept) or None))
    return tuple(result)


def _add_level(levels: dict[str, list[str]], name: str, level: str) -> None:
    found = levels.setdefault(name, [])
    if level and level not in found:
        found.append(level)


# ----------------------------------------------------------------------------------------- certificates

_CN_GRADE = r"(?:\s*\(?\s*([一二三四]级)\s*\)?)?"
CertificateName = str | Callable[[re.Match[str]], str]
_ROMAN = {"1": "I", "2": "II", "3": "III", "一": "I", "二": "II", "三": "III"}


def _cfa(m: re.Match[str]) -> str:
    """"CFA", "CFA Level II", "CFA Level II (candidate)": passing a level is not holding the charter."""
    level = m.group(1)
    name = f"CFA Level {_ROMAN.get(level, level.upper())}" if level else "CFA"
    return f"{name} (candidate)" if m.group(2) else name


def _as_function(name: CertificateName) -> Callable[[re.Match[str]], str]:
    if callable(name):
        return name
    return lambda _match: name


def _acronym(*words: str) -> str:
    """An upper-case acronym standing alone: "PMP" but not inside "PMPs" or "XPMP"."""
    return "|".join(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])" for word in words)


def _titled(m: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", m.group()).strip()


# (triggers, pattern, flags, name). A pattern runs only when one of its lower-case trigger strings occurs in
# the text: a substring test is about fifty times cheaper than a regex search that cannot start from a literal.
_CERTIFICATES: tuple[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (triggers, re.compile(pattern, flags), _as_function(name))
    for triggers, pattern, flags, name in (
        (("pmp", "项目管理专业人士"), _acronym("PMP") + "|项目管理专业人士", re.IGNORECASE, "PMP"),
        (("pmi-acp",), _acronym("PMI-ACP"), 0, "PMI-ACP"),
        (("cpa", "注册会计师"), _acronym("CPA", "US CPA") + "|(?:中国)?注册会计师", 0, "CPA"),
        (("cfa",), r"(?<![A-Za-z])CFA(?![A-Za-z])(?:\s*(?:Level\s*)?(I{1,3}|[123一二三])(?![A-Za-z])\s*级?)?"
         r"(\s*(?:candidate|考生|候选人|在读))?", re.IGNORECASE, _cfa),
        (("acca",), _acronym("ACCA"), 0, "ACCA"),
        (("cma", "美国注册管理会计师"), _acronym("CMA") + "|美国注册管理会计师", 0, "CMA"),
        (("frm",), _acronym("FRM"), 0, "FRM"),
        (("cfp",), _acronym("CFP"), 0, "CFP"),
        (("cia", "国际注册内部审计师"), _acronym("CIA") + "|国际注册内部审计师", 0, "CIA"),
        (("cisa",), _acronym("CISA"), 0, "CISA"),
        (("cissp",), _acronym("CISSP"), 0, "CISSP"),
        (("cism",), _acronym("CISM"), 0, "CISM"),
        (("ccna",), _acronym("CCNA"), 0, "CCNA"),
        (("ccnp",), _acronym("CCNP"), 0, "CCNP"),
        (("ccie",), _acronym("CCIE"), 0, "CCIE"),
        (("rhce",), _acronym("RHCE"), 0, "RHCE"),
        (("rhcsa",), _acronym("RHCSA"), 0, "RHCSA"),
        (("ocp", "oracle certified professional"), _acronym("OCP") + "|Oracle Certified Professional", 0, "OCP"),
        (("cka", "certified kubernetes administrator"), _acronym("CKA") + "|Certified Kubernetes Administrator", 0,
         "CKA"),
        (("itil",), _acronym("ITIL"), 0, "ITIL"),
        (("prince2",), _acronym("PRINCE2"), 0, "PRINCE2"),
        (("certified scrum",), r"Certified Scrum ?Master", 0, "Certified ScrumMaster"),
        (("shrm-",), _acronym("SHRM-CP", "SHRM-SCP"), 0, lambda m: m.group()),
        (("phr",), _acronym("PHR", "SPHR"), 0, lambda m: m.group()),
        (("cipd",), _acronym("CIPD"), 0, "CIPD"),
        (("aws certified",),
         r"AWS Certified(?:\s+(?:[A-Z][\w\-]*|&))+(?:\s*[-–—]\s*(?:Associate|Professional|Specialty))?", 0,
         lambda m: re.sub(r"\s*[-–—]\s*", " - ", m.group()).strip()),
        (("microsoft certified",), r"Microsoft Certified:?(?:\s+(?:[A-Z][\w\-]*|&))+", 0, _titled),
        (("google",), r"Google (?:Cloud )?(?:Certified )?Professional(?:\s+[A-Z][\w\-]*)+", 0, _titled),
        (("人力资源管理师",), r"(?:企业)?人力资源管理师" + _CN_GRADE + r"|([一二三四]级)\s*(?:企业)?人力资源管理师", 0,
         lambda m: "人力资源管理师" + (f" ({m.group(1) or m.group(2)})" if (m.group(1) or m.group(2)) else "")),
        (("初级会计",), r"初级会计(?:职称|师|资格)", 0, "初级会计职称"),
        (("中级会计",), r"中级会计(?:职称|师|资格)", 0, "中级会计职称"),
        (("高级会计",), r"高级会计(?:职称|师)", 0, "高级会计职称"),
        (("会计从业资格",), r"会计从业资格", 0, "会计从业资格证"),
        (("税务师",), r"(?:注册)?税务师", 0, "税务师"),
        (("经济师",), r"(?:高级|中级|初级)?经济师", 0, lambda m: m.group()),
        (("教师资格",), r"教师资格", 0, "教师资格证"),
        (("法律职业资格", "司法考试"), r"法律职业资格|司法考试", 0, "法律职业资格证"),
        (("证券从业",), r"证券从业(?:资格)?", 0, "证券从业资格"),
        (("基金从业",), r"基金从业(?:资格)?", 0, "基金从业资格"),
        (("银行从业",), r"银行从业(?:资格)?", 0, "银行从业资格"),
        (("期货从业",), r"期货从业(?:资格)?", 0, "期货从业资格"),
        (("建造师",), r"[一二]级建造师", 0, lambda m: m.group()),
        (("造价工程师",), r"造价工程师", 0, "造价工程师"),
        (("心理咨询师",), r"心理咨询师" + _CN_GRADE, 0, "心理咨询师"),
        (("信息系统项目管理师",), r"信息系统项目管理师", 0, "信息系统项目管理师"),
        (("系统架构设计师",), r"系统架构设计师", 0, "系统架构设计师"),
        (("系统集成项目管理工程师",), r"系统集成项目管理工程师", 0, "系统集成项目管理工程师"),
        (("六西格玛", "six sigma"), r"(?:六西格玛|Six Sigma)\s*(绿带|黑带|Green Belt|Black Belt)", re.IGNORECASE,
         lambda m: "Six Sigma " + {"绿带": "Green Belt", "黑带": "Black Belt"}.get(m.group(1), m.group(1).title())),
        (("驾照", "驾驶证", "驾驶执照"),
         r"(?:驾照|驾驶证|驾驶执照)\s*[:：]?\s*\(?([ABC][12])\)?|([ABC][12])\s*(?:驾照|驾驶证)", 0,
         lambda m: f"驾驶证 {m.group(1) or m.group(2)}"),
    )
)
_CERT_NOISE = re.compile(r"^(?:获得|取得|持有|通过|已通过|Obtained|Passed|Holder of)\s*", re.IGNORECASE)


def _certificates(text: str, section_lines: Iterable[str]) -> tuple[str, ...]:
    found: dict[str, int] = {}
    lowered = text.translate(_ASCII_LOWER)
    for triggers, pattern, name_of in _CERTIFICATES:
        if any(trigger in lowered for trigger in triggers):
            for m in pattern.finditer(text):
                found.setdefault(name_of(m), m.start())
    names = sorted(found, key=found.__getitem__)
    # In a certificates section, also keep what no pattern knows ("阿里云ACP认证"), except language tests.
    for line in section_lines:
        if is_description(line) and len(line) > 60:
            continue
        rest = _strip_dates(line)
        for _, pattern, _ in _CERTIFICATES:
            rest = pattern.sub(" | ", rest)
        for _, pattern, _ in _LANGUAGE_TESTS:
            rest = pattern.sub(" | ", rest)
        for raw in split_fields(rest):
            raw = _CERT_NOISE.sub("", raw).strip()
            if 2 <= len(raw) <= 40 and normalise_skill(raw) is None and raw not in names and _has_letters(raw):
                names.append(raw)
    return tuple(names)


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


_DATE_PREFIX = re.compile(r"(?:19|20)\d\d(?:\s*[./\-年]\s*\d{1,2}\s*月?)?")


def _strip_dates(line: str) -> str:
    return _DATE_PREFIX.sub(" | ", line)
