"""Real resume files for the recruiting tests: good resumes as text, PDF and DOCX, and the broken or hostile
files people upload (damaged, password-protected, scanned, zip bombs, empty, images, oversized).

The good resumes have no open-ended dates ("Present", "至今"), so their years of experience, and therefore
their screening scores, do not change with the day the tests run. The broken files come from the engine's
own makers (talentloop/assessment/tests/resume_samples.py), so both sides test the same bytes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from talentloop.assessment.tests import resume_samples as samples

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Passes the backend job's rules below: Python and Django, a bachelor's degree, 5.9 years.
LIU_YANG = samples.SampleResume("liu_yang", "en", (
    "Liu Yang",
    "Email: liu.yang@example.com | Phone: 136-0000-1111",
    "Location: Shanghai",
    "EDUCATION",
    "Bachelor of Science in Computer Science, Tongji University, 2010 – 2014",
    "EXPERIENCE",
    "Backend Engineer, Meituan    Jul 2014 – Jun 2020",
    "- Built order services in Python and Django with PostgreSQL and Redis.",
    "SKILLS",
    "Python, Django, PostgreSQL, Redis, Docker",
))

# Fails them: Java, 1.9 years, no Python or Django. Chinese, to check the parser's other language.
ZHOU_MIN = samples.SampleResume("zhou_min", "zh", (
    "周敏",
    "电话：137-0000-2222 | 邮箱：zhoumin@example.cn",
    "现居：北京",
    "教育背景",
    "2012.09 - 2016.06 | 北京理工大学 | 软件工程 | 本科",
    "工作经历",
    "2016.07 - 2018.06 | 北京小米科技有限责任公司 | 测试工程师",
    "使用Java编写自动化测试。",
    "专业技能",
    "Java、Selenium",
))

# Passes too, with fewer matches than Liu Yang: Python and Django but 3.5 years and no Docker.
HE_JING = samples.SampleResume("he_jing", "en", (
    "He Jing",
    "Email: he.jing@example.com | Phone: 135-0000-3333",
    "Location: Hangzhou",
    "EDUCATION",
    "Master of Engineering, Zhejiang University, 2013 – 2016",
    "EXPERIENCE",
    "Software Engineer, NetEase    Jul 2016 – Dec 2019",
    "- Wrote internal tools in Python and Django.",
    "SKILLS",
    "Python, Django, MySQL",
))

# The rules of the job these resumes are screened against (see backend_rules in the tests).
BACKEND_JOB_TEXT = {
    "title": "Backend Engineer",
    "description": "Build order services in Python and Django.",
    "requirements": "Python, Django, 3 years of experience.",
}


@dataclass(frozen=True)
class ResumeFile:
    name: str
    data: bytes
    content_type: str

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.data, content_type=self.content_type)


def text_file(resume: samples.SampleResume, name: str | None = None, encoding: str = "utf-8") -> ResumeFile:
    return ResumeFile(name or f"{resume.key}.txt", resume.text().encode(encoding), "text/plain")


def pdf_file(resume: samples.SampleResume, name: str | None = None) -> ResumeFile:
    return ResumeFile(name or f"{resume.key}.pdf", samples.pdf_bytes(resume), "application/pdf")


def docx_file(resume: samples.SampleResume, name: str | None = None) -> ResumeFile:
    return ResumeFile(name or f"{resume.key}.docx", samples.docx_bytes(resume), DOCX_TYPE)


def _made(maker: Callable[[Path], Path], content_type: str) -> ResumeFile:
    with tempfile.TemporaryDirectory(prefix="talentloop-resume-") as folder:
        path = maker(Path(folder))
        return ResumeFile(path.name, path.read_bytes(), content_type)


def corrupt_pdf() -> ResumeFile:
    """A real PDF cut off after 60% of its bytes."""
    return _made(samples.write_truncated_pdf, "application/pdf")


def encrypted_pdf() -> ResumeFile:
    """A PDF that needs a user password to open."""
    return _made(samples.write_encrypted_pdf, "application/pdf")


def image_only_pdf() -> ResumeFile:
    """A 'scanned' resume: a picture, no text."""
    return _made(samples.write_image_only_pdf, "application/pdf")


def zip_bomb_docx() -> ResumeFile:
    """A .docx whose document part unpacks to 200 MB of zeros (about 0.2 MB uploaded)."""
    return _made(samples.write_zip_bomb_docx, DOCX_TYPE)


def empty_file() -> ResumeFile:
    return _made(samples.write_empty, "application/pdf")


def png_image() -> ResumeFile:
    """A real PNG picture, uploaded under its own name."""
    made = _made(samples.write_png_as_docx, "image/png")
    return ResumeFile("photo.png", made.data, "image/png")


def text_named_pdf(resume: samples.SampleResume) -> ResumeFile:
    """Plain text saved with a .pdf extension: the bytes decide, so it is read as text."""
    return ResumeFile(f"{resume.key}.pdf", resume.text().encode(), "application/pdf")


def sparse_file(folder: Path, megabytes: int, name: str = "huge.pdf") -> Path:
    """A file of `megabytes` MB that takes no disk space (a hole), starting like a PDF."""
    path = folder / name
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.seek(megabytes * 1024 * 1024 - 1)
        out.write(b"\0")
    return path
