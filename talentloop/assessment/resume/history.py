"""Date ranges, work history, education and years of experience.

Dates are read in the forms resumes use: "2018.07", "2018/7", "2018-07", "2018年7月", "07/2018", "Jul 2018",
"July 2018", a bare year "2018"; a range joins two with -, –, —, ~, 至, 到 or "to", and ends in a date or in
至今/今/现在/Present/Now/Current. A date with only a year keeps only the year ("2018"); in durations it
counts from January, so "2018-2021" is three years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .cities import normalise_city
from .parsed import DEGREE_RANK, Education, WorkExperience
from .sections import is_bullet, is_description, split_fields

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_MONTH_NAME = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
               r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (
    rf"(?:(?<!\d){_YEAR}\s*(?:[./\-]|年)\s*(?:1[0-2]|0?[1-9])(?!\d)(?:\s*月)?"
    rf"|(?<![\d.])(?:1[0-2]|0?[1-9])\s*[/.]\s*{_YEAR}(?!\d)"
    rf"|(?<![a-z]){_MONTH_NAME}\.?,?\s*{_YEAR}(?!\d)"
    rf"|(?<!\d){_YEAR}(?!\d)(?:\s*年)?)"
)
_PRESENT = r"(?:至今|迄今|现在|目前|今|present|now|current|today|till now|until now|to date|ongoing)"
_SEP = r"\s*(?:-{1,2}|–|—{1,2}|~|至|到|to|until|till|−)\s*"
RANGE = re.compile(rf"(?P<start>{_DATE}){_SEP}(?P<end>{_DATE}|{_PRESENT})", re.IGNORECASE)

_YEAR_MONTH = re.compile(rf"({_YEAR})\s*(?:[./\-]|年)\s*(1[0-2]|0?[1-9])(?!\d)")
_MONTH_YEAR = re.compile(rf"(1[0-2]|0?[1-9])\s*[/.]\s*({_YEAR})")
_NAMED_MONTH = re.compile(rf"({_MONTH_NAME})\.?,?\s*({_YEAR})", re.IGNORECASE)
_ONLY_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}

PRESENT = "present"
MAX_YEARS = 60.0  # nobody works longer; anything above comes from a misread date


@dataclass(frozen=True)
class Span:
    start: tuple[int, int | None]
    end: tuple[int, int | None] | None  # None: to the present


def parse_date(text: str) -> tuple[int, int | None] | None:
    if m := _YEAR_MONTH.search(text):
        return int(m.group(1)), int(m.group(2))
    if m := _MONTH_YEAR.search(text):
        return int(m.group(2)), int(m.group(1))
    if m := _NAMED_MONTH.search(text):
        return int(m.group(2)), _MONTHS[m.group(1).lower()]
    if m := _ONLY_YEAR.search(text):
        return int(m.group(1)), None
    return None


def find_span(line: str) -> tuple[Span, re.Match[str]] | None:
    m = RANGE.search(line)
    if m is None:
        return None
    start = parse_date(m.group("start"))
    if start is None:
        return None
    end = parse_date(m.group("end"))  # None when the range ends in 至今/Present
    return Span(start, end), m


def format_date(date: tuple[int, int | None] | None) -> str:
    if date is None:
        return PRESENT
    year, month = date
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def _month_index(date: tuple[int, int | None]) -> int:
    year, month = date
    return year * 12 + (month or 1) - 1


def total_years(spans: list[Span], today: dt.date) -> float:
    """Years covered by the spans, overlaps counted once, nothing counted after `today`."""
    now = today.year * 12 + today.month - 1
    intervals = []
    for span in spans:
        start = _month_index(span.start)
        end = now if span.end is None else min(_month_index(span.end), now)
        if start < end:
            intervals.append((start, end))
    months = 0
    reach = None
    for start, end in sorted(intervals):
        if reach is None or start > reach:
            months += end - start
            reach = end
        elif end > reach:
            months += end - reach
            reach = end
    return round(min(months / 12, MAX_YEARS), 1)


# ------------------------------------------------------------------------------------------ work

_EMPLOYER_STRONG = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|银行|分行|支行|大学|学院|医院|研究院|研究所|事务所|工作室|协会|学校|酒店"
    r"|委员会)(?:\([^)]*\))?$"
    r"|\b(?:Inc|Ltd|LLC|LLP|Corp|Corporation|Co|Company|GmbH|AG|PLC|Limited|University|Bank|Hospital)\b\.?(?:\s*\([^)]*\))?$"
    r"|^(?:Bank|University|Institute|College|Ministry) of\b",
    re.IGNORECASE,
)
_EMPLOYER_WEAK = re.compile(
    r"(?:科技|网络|传媒|咨询|控股|实业|商贸|贸易|电子|软件|物流|证券|保险|基金|投资|中心|工厂)(?:\([^)]*\))?$"
    r"|\b(?:Group|Technologies|Technology|Tech|Labs?|Studios?|Consulting|Partners|Associates|Agency|Holdings|Systems"
    r"|Solutions|Software|Capital|Ventures|Foundation|School|Academy|Networks|Services|International|Industries"
    r"|Electronics|Motors|Media|Pharma|Pharmaceuticals)\b\.?(?:\s*\([^)]*\))?$",
    re.IGNORECASE,
)
_TITLE = re.compile(
    r"工程师|经理|主管|专员|总监|助理|实习生|实习|顾问|设计师|分析师|会计|出纳|架构师|开发|程序员|运营|销售|总裁|主任|组长"
    r"|负责人|代表|文员|教师|老师|讲师|编辑|行政|人事|招聘|专家|研究员|科学家|技术员|采购|客服|前台|秘书|合伙人|店长|督导"
    r"|策划|产品|测试|运维|律师|医生|护士|翻译|司机|班长|董事|HRBP"
    r"|\b(?:Engineer|Developer|Manager|Director|Analyst|Consultant|Designer|Intern|Specialist|Associate|Lead|Head"
    r"|Officer|Coordinator|Representative|Assistant|Accountant|Architect|Scientist|Administrator|Executive|President"
    r"|VP|Programmer|Recruiter|Generalist|Partner|Teacher|Lecturer|Professor|Researcher|Editor|Writer|Technician"
    r"|Supervisor|Auditor|Controller|Clerk|Cashier|Trainee|Founder|Co-founder|CEO|CTO|CFO|COO|HR|Owner|Buyer|Planner"
    r"|Advisor|Adviser|Agent|Nurse|Attorney|Lawyer|Tester|SRE|Strategist|Marketer|Secretary|Receptionist|Operator"
    r"|Fellow|Chief|Principal|Bookkeeper)s?\b",
    re.IGNORECASE,
)
_EMPLOYER_LABEL = re.compile(
    r"^(?:公司名称|就职公司|工作单位|公司|单位|Company|Employer|Organi[sz]ation)\s*[:：]\s*(.+)$", re.IGNORECASE
)
_TITLE_LABEL = re.compile(r"^(?:职位名称|担任职位|职位|职务|岗位|Job Title|Title|Position|Role)\s*[:：]\s*(.+)$",
                          re.IGNORECASE)
_NOISE = re.compile(
    r"^(?:(?:共|约)?\s*\d+(?:\.\d+)?\s*(?:年|个月|years?|yrs?|months?|mos?)(?:\s*\d+\s*(?:个月|months?|mos?))?"
    r"|时间|工作时间|任职时间|起止时间|在职时间|日期|dates?|period|duration"
    r"|全职|兼职|full[- ]time|part[- ]time|contract"
    r"|remote|远程|中国|china|p\.?r\.? china"
    r"|.{1,20}(?:部|部门|事业部|事业群)|(?:department|dept\.?)\b.*|.*\b(?:department|dept\.?))$",
    re.IGNORECASE,
)


def parse_work(lines: tuple[str, ...] | list[str]) -> tuple[list[WorkExperience], list[Span]]:
    """Jobs found from the date ranges in `lines`, with the employer and title on the same or nearby lines."""
    jobs: list[WorkExperience] = []
    spans: list[Span] = []
    consumed: set[int] = set()
    for index, line in enumerate(lines):
        found = find_span(line)
        if found is None or is_bullet(line):  # a dated bullet is an achievement or a project, not a job
            continue
        span, match = found
        rest = line[: match.start()] + " | " + line[match.end():]
        employer, title = _employer_and_title(split_fields(rest))
        if employer is None and title is None:
            employer, title = _from_neighbours(lines, index, consumed)
        consumed.add(index)
        jobs.append(WorkExperience(employer=employer, title=title, start=format_date(span.start),
                                   end=format_date(span.end)))
        spans.append(span)
    return jobs, spans


def _from_neighbours(
    lines: tuple[str, ...] | list[str], index: int, consumed: set[int]
) -> tuple[str | None, str | None]:
    """Employer and title from the lines just above (English layouts) or just below (Chinese layouts).

    Lines above count only when they name an employer or a title, since they may be the end of the
    previous job; lines already used by another job are never taken twice."""
    before = _neighbour_lines(lines, index, -1, consumed)
    after = _neighbour_lines(lines, index, 1, consumed)
    for candidates, strict in ((before, True), (after, False), (before, False)):
        fields = [f for i in candidates for f in split_fields(lines[i])]
        employer, title = _employer_and_title(fields)
        known = any(_EMPLOYER_STRONG.search(f) or _EMPLOYER_WEAK.search(f) or _TITLE.search(f) for f in fields)
        if (employer or title) and (known or not strict):
            consumed.update(candidates)
            return employer, title
    return None, None


def _neighbour_lines(lines: tuple[str, ...] | list[str], index: int, step: int, consumed: set[int]) -> list[int]:
    picked: list[int] = []
    i = index + step
    while 0 <= i < len(lines) and len(picked) < 2:
        line = lines[i]
        if i in consumed or RANGE.search(line) or is_description(line):
            break
        picked.append(i)
        i += step
    return sorted(picked)


def _employer_and_title(fields: list[str]) -> tuple[str | None, str | None]:
    employer: str | None = None
    title: str | None = None
    unclassified: list[str] = []
    for raw in fields:
        if label := _EMPLOYER_LABEL.match(raw):
            employer = employer or label.group(1).strip()
            continue
        if label := _TITLE_LABEL.match(raw):
            title = title or label.group(1).strip()
            continue
        if _NOISE.match(raw) or normalise_city(raw) is not None or not any(ch.isalnum() for ch in raw):
            continue
        strong = bool(_EMPLOYER_STRONG.search(raw))
        is_title = bool(_TITLE.search(raw))
        if strong or (_EMPLOYER_WEAK.search(raw) and not is_title):
            employer = employer or raw
        elif is_title:
            title = title or raw
        else:
            unclassified.append(raw)
    for raw in unclassified:
        if employer is None:
            employer = raw
        elif title is None:
            title = raw
    return employer, title


# ------------------------------------------------------------------------------------------ education

# Highest first, so a line naming two degrees ("本科/硕士") reports the higher one.
_DEGREE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("doctorate", re.compile(r"博士|(?-i:Ph\.?\s?D\b|DPhil|D\.Phil|Ed\.?D\b)|\bDoctor(?:ate)?\b", re.IGNORECASE)),
    ("master", re.compile(
        r"硕士|研究生|(?-i:\b(?:E?MBA|MPA|MPAcc|MFA|LLM|LL\.M|M\.?Sc|MEng|M\.Eng|M\.S\.|M\.A\.)(?![A-Za-z])"
        r"|\b(?:MS|MA)\b(?=\s+(?:in|of)\b))|\bMasters?\b|\bMaster's\b", re.IGNORECASE)),
    ("bachelor", re.compile(
        r"本科|学士|专升本|(?-i:\b(?:B\.?Sc|BEng|B\.Eng|BBA|LLB|B\.S\.|B\.A\.|BS|BA)(?![A-Za-z]))|\bBachelors?\b"
        r"|\bBachelor's\b|\bundergraduate\b", re.IGNORECASE)),
    ("associate", re.compile(r"大专|专科|高职|\bAssociate(?:'s)?\b", re.IGNORECASE)),
    ("high_school", re.compile(r"高中|中专|职高|技校|\bHigh School\b|\bSecondary School\b", re.IGNORECASE)),
)
# Ranked: a line naming a university and its school ("School of CS, Peking University") keeps the university.
_SCHOOL_RANKS = (
    (3, re.compile(r"大学|\b(?:University|Universit[éä]t?|Universidad)\b", re.IGNORECASE)),
    (2, re.compile(r"学院|研究生院|\b(?:College|Institute|Academy|Polytechnic)\b", re.IGNORECASE)),
    (1, re.compile(r"学校|中学|职校|技校|\bSchool\b", re.IGNORECASE)),
)
_TRAILING_DEGREE = re.compile(r"(?:本科|硕士|博士|大专|专科|研究生|学士)+$")
_MAJOR_LABEL = re.compile(r"(?:主修专业|所学专业|专业|Major|Field of Study)\s*[:：]\s*([^|\t,，;；]+)", re.IGNORECASE)
_EDU_NOISE = re.compile(
    r"^(?:统招|全日制|非全日制|在职|自考|成人教育|985|211|双一流|985/211|211/985|毕业|已毕业|在读|graduated|expected"
    r"|(?:GPA|绩点|排名|Rank|Top)\b.*|(?:with|first[- ]class)\s+honou?rs|cum laude|magna cum laude|summa cum laude"
    r"|(?:class of|届|毕业于)\s*\d*|\d{4}\s*届)$",
    re.IGNORECASE,
)
_SKIP_LINE = re.compile(r"^(?:主修课程|核心课程|相关课程|课程|GPA|绩点|荣誉|奖学金|论文|毕业论文|Courses|Coursework"
                        r"|Relevant Coursework|Honou?rs|Awards|Thesis|Dissertation)\s*[:：]", re.IGNORECASE)
_ENGLISH_DEGREE_MAJOR = (
    re.compile(r"\bin\s+(.+)$"),
    re.compile(r"^(?:Bachelor|Master|Doctor)(?:'s)?(?:\s+degree)?\s+of\s+(.+)$", re.IGNORECASE),
    re.compile(r"^(?:B\.?Sc\.?|B\.?S\.?|B\.?A\.?|B\.?Eng\.?|M\.?Sc\.?|M\.?S\.?|M\.?A\.?|M\.?Eng\.?|Ph\.?D\.?)\s+(.+)$"),
)
_GENERIC_DEGREE_FIELDS = frozenset({"science", "arts", "engineering", "philosophy", "laws", "letters", "fine arts",
                                    "technology", "science degree", "arts degree"})
_PARENTHESES = re.compile(r"\s*\([^)]*\)?")
_GRADUATION_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")


def degree_of(text: str) -> str | None:
    for degree, pattern in _DEGREE_PATTERNS:
        if pattern.search(text):
            return degree
    return None


@dataclass
class _School:
    degree: str | None = None
    school: str | None = None
    major: str | None = None
    start_year: int | None = None
    end_year: int | None = None

    def frozen(self) -> Education:
        return Education(degree=self.degree, school=self.school, major=self.major, start_year=self.start_year,
                         end_year=self.end_year)


def parse_education(lines: tuple[str, ...] | list[str], *, need_school: bool = False) -> list[Education]:
    """Schools with degree, major and years. An entry starts when a line brings a school, a degree or
    years that the entry being built already has; otherwise the line's facts join it."""
    entries: list[_School] = []
    current = _School()
    for line in lines:
        if _SKIP_LINE.match(line):
            continue
        facts = _line_facts(line)
        if facts is None:
            continue
        clash = any(getattr(facts, name) is not None and getattr(current, name) is not None
                    for name in ("school", "degree", "start_year", "end_year"))
        if clash:
            entries.append(current)
            current = facts
        else:
            for name in ("degree", "school", "major", "start_year", "end_year"):
                if getattr(current, name) is None:
                    setattr(current, name, getattr(facts, name))
    entries.append(current)
    return [
        entry.frozen() for entry in entries
        if (entry.school or entry.degree) and (entry.school or not need_school)
    ]


def _line_facts(line: str) -> _School | None:
    facts = _School()
    found = find_span(line)
    rest = line
    if found is not None:
        span, match = found
        facts.start_year = span.start[0]
        facts.end_year = span.end[0] if span.end is not None else None
        rest = line[: match.start()] + " | " + line[match.end():]
    elif (year := _GRADUATION_YEAR.search(line)) is not None:
        facts.end_year = int(year.group(1))
        rest = line[: year.start()] + " | " + line[year.end():]
    if label := _MAJOR_LABEL.search(rest):
        facts.major = label.group(1).strip()
        rest = rest[: label.start()] + " | " + rest[label.end():]
    leftovers: list[str] = []
    school_rank = 0
    for raw in split_fields(rest):
        if _EDU_NOISE.match(raw) or normalise_city(raw) is not None:
            continue
        degree = degree_of(raw)
        rank = _school_rank(raw)
        if degree is not None:
            facts.degree = _higher(facts.degree, degree)
        if rank:
            if rank > school_rank:
                facts.school, school_rank = _TRAILING_DEGREE.sub("", raw) or raw, rank
        elif degree is not None:
            facts.major = facts.major or _major_in_degree(raw)
        elif raw.endswith("专业") and len(raw) > 2:
            facts.major = facts.major or raw[:-2]
        elif not is_description(raw):
            leftovers.append(raw)
    if facts.school and facts.degree is None:
        facts.degree = _school_degree(facts.school)
    if facts.major is None and leftovers and (facts.school or facts.degree):
        facts.major = leftovers[0]
    if all(getattr(facts, name) is None for name in ("degree", "school", "major", "start_year", "end_year")):
        return None
    if facts.school is None and facts.degree is None and facts.major is None and found is None:
        return None  # a stray year ("2019 奖学金") is not an education entry
    return facts


def _school_rank(text: str) -> int:
    return next((rank for rank, pattern in _SCHOOL_RANKS if pattern.search(text)), 0)


def _higher(current: str | None, degree: str) -> str:
    return current if current is not None and DEGREE_RANK[current] >= DEGREE_RANK[degree] else degree


def _major_in_degree(text: str) -> str | None:
    for pattern in _ENGLISH_DEGREE_MAJOR:
        if m := pattern.search(text):
            major = _PARENTHESES.sub("", m.group(1)).strip(" .,")
            inner = _ENGLISH_DEGREE_MAJOR[0].search(major)
            if inner:  # "Master of Science in Finance": the field is after "in"
                major = inner.group(1).strip(" .,")
            if major.lower() in _GENERIC_DEGREE_FIELDS or degree_of(major) is not None:
                return None
            return major or None
    return None


def _school_degree(school: str) -> str | None:
    # A school named as a high school says the degree even when no degree word is given.
    return "high_school" if re.search(r"中学|High School", school, re.IGNORECASE) else None
