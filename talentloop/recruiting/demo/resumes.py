"""Sample resumes for the demo jobs: `sample_resumes()` makes realistic resumes (Chinese and English),
deterministically from a seed; `sample_resumes_write()` writes them as PDF (reportlab; Chinese in the
STSong-Light CID font), Word (python-docx) and text files (UTF-8, and GB18030 as Windows Notepad saves Chinese).
Each resume fits its job strongly, partly or weakly, so screening has something to tell apart."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talentloop.org.library import demo_company

from .profiles import (
    _CITIES,
    _COLLEGES,
    _DEGREES,
    _FITS,
    _MONTHS,
    _SCHOOLS,
    _SURNAMES,
    _TECH_EMPLOYERS,
    _TRADE_EMPLOYERS,
    EMAIL_DOMAINS,
    PROFILES,
    _Duty,
    _Profile,
)

SAMPLE_COUNT = 60
Block = tuple[str, Any]  # ("name" | "head" | "text" | "bullet", str) or ("table", list of rows)


@dataclass(frozen=True)
class SampleResume:
    job: str  # the demo job it was written for
    folder: str  # "02-senior-backend-engineer"
    file_name: str
    language: str  # "zh" or "en"
    kind: str  # "pdf", "docx" or "txt"
    encoding: str  # for text files
    fit: str  # "strong", "partial" or "weak"
    name: str
    email: str
    phone: str
    skills: tuple[str, ...]  # canonical names of the skills written into it
    blocks: tuple[Block, ...]

    def lines(self) -> list[str]:
        lines: list[str] = []
        for kind, content in self.blocks:
            if kind == "table":
                lines.extend(" | ".join(cell for cell in row if cell) for row in content)
            else:
                lines.append(f"- {content}" if kind == "bullet" else content)
        return lines

    def data(self) -> bytes:
        if self.kind == "pdf":
            return _pdf(self)
        if self.kind == "docx":
            return _docx(self)
        return ("\n".join(self.lines()) + "\n").encode(self.encoding)


def sample_resumes(*, count: int = SAMPLE_COUNT, seed: int = 42, today: dt.date | None = None) -> list[SampleResume]:
    """`count` resumes, round-robin over the demo jobs; the same seed (and year) gives the same resumes."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    names = demo_company()
    used: set[str] = set()
    resumes = []
    for index in range(count):
        number, profile = divmod(index, len(PROFILES))
        fit, kind = _FITS[number % len(_FITS)], ("pdf", "docx", "txt")[(number + profile) % 3]
        resumes.append(_Maker(rng, today, names, used).make(PROFILES[profile], fit, kind=kind))
    return resumes


def job_folder_name(profile: _Profile) -> str:
    """The sample resumes' folder for a demo job: "02-senior-backend-engineer"."""
    return f"{PROFILES.index(profile) + 1:02d}-{profile.slug}"


def sample_resumes_write(*, folder: Path, resumes: Sequence[SampleResume]) -> list[Path]:
    """Write each resume to folder/<job folder>/<file name>; returns the paths in the order given."""
    paths = []
    for resume in resumes:
        path = folder / resume.folder / resume.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(resume.data())
        paths.append(path)
    return paths


class _Maker:
    def __init__(self, rng: random.Random, today: dt.date, names: dict[str, Any], used: set[str]) -> None:
        self.rng, self.today, self.names, self.used = rng, today, names, used

    def make(self, profile: _Profile, fit: str, *, kind: str) -> SampleResume:
        rng = self.rng
        english = rng.random() < profile.english
        male = rng.random() < 0.5
        surname = rng.choice(list(_SURNAMES))
        given = rng.choice(self.names["given_names_m" if male else "given_names_f"])
        name = surname + given
        if english:
            name = f"{rng.choice(self.names['english_first_names_m' if male else 'english_first_names_f'])} " \
                   f"{_SURNAMES[surname]}"
        email = self._unique(lambda: self._email(name, surname, english))
        phone = self._unique(lambda: f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}")
        skills = self._skills(profile, fit)
        years = rng.randint(1, 4) if fit == "weak" or profile.junior else rng.randint(3, 9)
        city_zh, city_en = _CITIES[min(int(rng.random() ** 2 * len(_CITIES)), len(_CITIES) - 1)]
        maker = _English if english else _Chinese
        blocks = maker(self, profile, name, email, phone, (city_zh, city_en), skills, years, male).blocks()
        title = profile.titles[0][1] if english else profile.titles[0][0]
        file_name = self._file_name(name, title, years, city_en if english else city_zh, kind, english)
        encoding = "gb18030" if kind == "txt" and not english and rng.random() < 0.3 else "utf-8"
        return SampleResume(
            job=profile.job, folder=job_folder_name(profile), file_name=file_name,
            language="en" if english else "zh", kind=kind, encoding=encoding, fit=fit, name=name, email=email,
            phone=phone, skills=tuple(canonical for canonical, _zh, _en in skills), blocks=tuple(blocks),
        )

    def _unique(self, draw: Any) -> str:
        while (value := draw()) in self.used:
            continue
        self.used.add(value)
        return str(value)

    def _email(self, name: str, surname: str, english: bool) -> str:
        rng = self.rng
        domain = rng.choice(EMAIL_DOMAINS)
        if english:
            first, last = name.lower().split()
            return rng.choice((f"{first}.{last}", f"{first[0]}{last}{rng.randrange(10, 99)}")) + f"@{domain}"
        return f"{_SURNAMES[surname].lower()}{rng.choice(('', '_', '.'))}{rng.randrange(1970, 2004)}" \
               f"{rng.randrange(10, 99)}@{domain}"

    def _skills(self, profile: _Profile, fit: str) -> list[tuple[str, str, str]]:
        known = profile.required + profile.preferred
        required, preferred = list(profile.skills[:profile.required]), list(profile.skills[profile.required:known])
        extra = list(profile.skills[known:])
        if fit == "strong":
            return required + preferred + self.rng.sample(extra, k=min(len(extra), 1))
        if fit == "partial":
            optional = range(profile.base, profile.required)
            dropped = set(self.rng.sample(optional, k=min(2, (len(optional) + 1) // 2)))
            return [s for i, s in enumerate(required) if i not in dropped] + preferred[:1] + extra[:2]
        return required[:profile.base] + list(profile.off_target) + extra[:1]

    def _file_name(self, name: str, title: str, years: int, city: str, kind: str, english: bool) -> str:
        styles = ([f"{name.replace(' ', '_')}_Resume", f"CV - {name}", f"{name} - {title}"] if english
                  else [f"{name}_{title}_简历", f"【{title}_{city}】{name} {years}年", f"{name}-个人简历"])
        base = self.rng.choice(styles)
        candidate, n = f"{base}.{kind}", 2
        while candidate in self.used:
            candidate, n = f"{base} ({n}).{kind}", n + 1
        self.used.add(candidate)
        return candidate


class _Writer:
    """Builds the blocks of one resume; the Chinese and English subclasses word it."""

    def __init__(self, maker: _Maker, profile: _Profile, name: str, email: str, phone: str, city: tuple[str, str],
                 skills: list[tuple[str, str, str]], years: int, male: bool) -> None:
        self.rng, self.today = maker.rng, maker.today
        self.profile, self.name, self.email, self.phone, self.city = profile, name, email, phone, city
        self.skills, self.years, self.male = skills, years, male
        self.names = {canonical for canonical, _zh, _en in skills}
        self.degree = self.rng.choice(profile.degrees)
        self.major = self.rng.choice(profile.majors)
        self.school = self.rng.choice(_COLLEGES if self.degree == "associate" else _SCHOOLS)
        self.graduated = self.today.year - years
        self.jobs = self._career()

    def _career(self) -> list[tuple[dt.date, dt.date | None, tuple[str, str], tuple[str, str]]]:
        """(start, end or None for now, employer, title), most recent first."""
        tech = self.profile.slug in ("senior-backend-engineer", "data-analyst", "product-manager")
        employers = list(_TECH_EMPLOYERS if tech else _TRADE_EMPLOYERS + _TECH_EMPLOYERS)
        self.rng.shuffle(employers)
        count = 1 if self.years < 3 else self.rng.choice((2, 2, 3))
        start = dt.date(self.graduated, 7, 1)
        total = (self.today.year - start.year) * 12 + self.today.month - start.month
        cuts = sorted(self.rng.sample(range(6, max(7, total - 3)), k=count - 1)) if count > 1 else []
        bounds = [0, *cuts, None]
        jobs = []
        titles = list(reversed(self.profile.titles[:count]))
        for i in range(count):
            begin = _add_months(start, bounds[i] or 0) if i else start
            end_at = bounds[i + 1]
            end = _add_months(start, end_at - 1) if end_at is not None else None
            jobs.append((begin, end, employers[i], titles[i]))
        return list(reversed(jobs))

    def duties(self) -> list[_Duty]:
        fitting = [d for d in self.profile.duties if d.skills <= self.names]
        return fitting[:4] if len(fitting) > 1 else list(self.profile.duties[:1])


class _Chinese(_Writer):
    def blocks(self) -> list[Block]:
        degree = _DEGREES[self.degree][0]
        title = self.profile.titles[0][0]
        layout = self.rng.randrange(3)
        phone = self.rng.choice((f"{self.phone[:3]}-{self.phone[3:7]}-{self.phone[7:]}", self.phone,
                                 f"+86 {self.phone[:3]} {self.phone[3:7]} {self.phone[7:]}"))
        blocks: list[Block]
        if layout == 0:
            blocks = [("name", self.name), ("text", f"电话：{phone} | 邮箱：{self.email}"),
                      ("text", f"现居：{self.city[0]} | 求职意向：{title}")]
        elif layout == 1:
            blocks = [("name", "个人简历"), ("table", [
                ["姓名", self.name, "性别", "男" if self.male else "女"], ["电话", phone, "邮箱", self.email],
                ["现居", self.city[0], "学历", degree]])]
        else:
            blocks = [("name", f"{self.name} | {'男' if self.male else '女'} | {self.graduated - 22}年出生"),
                      ("text", f"手机：{phone}    邮箱：{self.email}"), ("text", f"现居住地：{self.city[0]}")]
        blocks += [("head", "自我评价"),
                   ("text", f"{self.years}年{self.profile.titles[-1][0]}及相关工作经验，目标岗位：{title}。")]
        first = self.graduated - (3 if self.degree == "associate" else 4)
        blocks += [("head", "教育背景"),
                   ("text", f"{first}.09 - {self.graduated}.06 | {self.school[0]} | {self.major[0]} | {degree}")]
        blocks.append(("head", "工作经历"))
        duties = self.duties()
        for index, (start, end, employer, job_title) in enumerate(self.jobs):
            until = f"{end.year}.{end.month:02d}" if end else "至今"
            blocks.append(("text", f"{start.year}.{start.month:02d} - {until} | {employer[0]} | {job_title[0]}"))
            blocks += [("bullet", duty.zh) for duty in duties[index * 2:index * 2 + 2] or duties[:1]]
        phrases = [zh for _canonical, zh, _en in self.skills]
        blocks += [("head", "专业技能"), ("text", f"熟悉{'、'.join(phrases[:5])}。")]
        if phrases[5:]:
            blocks.append(("text", f"了解{'、'.join(phrases[5:])}。"))
        blocks += [("head", "证书"), ("text", "、".join(c[0] for c in self.profile.certificates)),
                   ("head", "语言能力"), ("text", f"英语：{self.rng.choice(('CET-4', 'CET-6'))}；普通话：母语")]
        return blocks


class _English(_Writer):
    def blocks(self) -> list[Block]:
        title = self.profile.titles[0][1]
        phone = self.rng.choice((f"+86 {self.phone[:3]} {self.phone[3:7]} {self.phone[7:]}", self.phone))
        blocks: list[Block] = [("name", self.name), ("text", title),
                               ("text", f"{self.city[1]}, China | {phone} | {self.email}"),
                               ("head", "SUMMARY"),
                               ("text", f"{self.profile.titles[-1][1]} with {self.years} years of experience, "
                                        f"looking for a {title} role.")]
        blocks.append(("head", "EXPERIENCE"))
        duties = self.duties()
        for index, (start, end, employer, job_title) in enumerate(self.jobs):
            until = f"{_MONTHS[end.month - 1]} {end.year}" if end else "Present"
            since = f"{_MONTHS[start.month - 1]} {start.year}"
            blocks.append(("text", f"{job_title[1]}, {employer[1]}    {since} – {until}"))
            blocks += [("bullet", duty.en) for duty in duties[index * 2:index * 2 + 2] or duties[:1]]
        degree = _DEGREES[self.degree][1]
        first = self.graduated - (3 if self.degree == "associate" else 4)
        blocks += [("head", "EDUCATION"),
                   ("text", f"{degree} in {self.major[1]}, {self.school[1]}, {first} – {self.graduated}"),
                   ("head", "SKILLS"), ("text", ", ".join(en for _canonical, _zh, en in self.skills)),
                   ("head", "CERTIFICATIONS"), ("text", ", ".join(c[1] for c in self.profile.certificates)),
                   ("head", "LANGUAGES"), ("text", "Mandarin (native), English (fluent)")]
        return blocks


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


# ------------------------------------------------------------------------------------------ rendering


def _pdf(resume: SampleResume) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if resume.language == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        regular = bold = "STSong-Light"
    else:
        regular, bold = "Helvetica", "Helvetica-Bold"
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)  # invariant: the same bytes on every run
    page.setTitle(resume.name)
    width, height = A4
    y = height - 60
    for kind, content in resume.blocks:
        rows = [" | ".join(c for c in row if c) for row in content] if kind == "table" else [content]
        font, size, gap = {"name": (bold, 18, 28), "head": (bold, 12, 22)}.get(kind, (regular, 10, 15))
        if kind == "head":
            y -= 6
        for row in rows:
            text = f"•  {row}" if kind == "bullet" else row
            for line in _wrap(text, font, size, width - 100):
                if y < 60:
                    page.showPage()
                    y = height - 60
                page.setFont(font, size)
                page.drawString(50, y, line)
                y -= gap
        if kind == "head":
            page.line(50, y + gap - 5, width - 50, y + gap - 5)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break a line to fit, between words or after Chinese punctuation, so no skill name is cut in two."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return [text]
    pieces, piece = [], ""
    for ch in text:
        piece += ch
        if ch in " ，、；。,":
            pieces.append(piece)
            piece = ""
    pieces.append(piece)
    lines, line = [], ""
    for piece in pieces:
        if line and stringWidth(line + piece, font, size) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    return [*lines, line.rstrip()]


def _docx(resume: SampleResume) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = resume.name
    for kind, content in resume.blocks:
        if kind == "table":
            table = document.add_table(rows=len(content), cols=max(len(row) for row in content))
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        paragraph = document.add_paragraph(style="List Bullet" if kind == "bullet" else None)
        run = paragraph.add_run(content)
        if kind in ("name", "head"):
            run.bold = True
            run.font.size = Pt(18 if kind == "name" else 13)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
