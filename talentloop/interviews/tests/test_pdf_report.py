"""The report PDF: it parses, its text holds the Chinese competency names, the candidate's Chinese answer and the
overall score, answers with markup come out as text, the Chinese font is embedded when one is installed (and
the built-in CID font is used when none is), and a page renders to a picture that is not blank."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from talentloop.interviews import pdf as pdf_module
from talentloop.interviews.models import InterviewAnswer
from talentloop.interviews.pdf import pdf_font, report_pdf
from talentloop.interviews.selectors.reports import report_for_hr
from talentloop.interviews.tests._reports_support import (
    EN_STRONG,
    OVERALL,
    ZH_STRONG,
    Interview,
    make_application,
    make_interview,
    make_job,
)

pytestmark = pytest.mark.django_db

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@pytest.fixture
def interview(org: dict[str, Any]) -> Interview:
    return make_interview(make_application(make_job(org["departments"]["sales"])))


def render(org: dict[str, Any], interview: Interview, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        return report_pdf(report_for_hr(actor=org["users"]["hr"], session_id=interview.session.pk))


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(data: bytes) -> list[dict[str, Any]]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            found.append(font.get_object())
    return found


@pytest.fixture
def without_installed_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pdf_module, "KNOWN_FONTS", ())
    monkeypatch.setattr(pdf_module, "_system_candidates", lambda: [])
    monkeypatch.setattr(pdf_module.settings, "TALENTLOOP_PDF_FONT", "", raising=False)
    pdf_font.cache_clear()
    yield
    pdf_font.cache_clear()


def test_the_pdf_holds_the_chinese_text_and_the_score(org: dict[str, Any], interview: Interview) -> None:
    data = render(org, interview)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.01)  # A4
    text = compact(text_of(data))
    assert "沟通能力" in text
    assert "客户导向" in text
    assert compact(ZH_STRONG) in text
    assert str(OVERALL) in text
    assert "talentloop-interview-fusion1.0" in text


def test_answers_with_markup_come_out_as_text(org: dict[str, Any], interview: Interview) -> None:
    text = compact(text_of(render(org, interview)))
    assert compact("<script>alert('x')</script> 客户投诉时我会先道歉 & 记录问题。") in text


def test_an_english_report(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), language="en")
    text = text_of(render(org, interview, "en"))
    assert "Communication" in text
    assert "Suits a mid-level position" in text
    assert compact(EN_STRONG) in compact(text)
    assert "Overall score: 76.1" in text


def test_a_report_being_prepared_still_prints(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False)
    text = text_of(render(org, interview, "en"))
    assert "The report is being prepared" in text
    assert "Overall score: —" in text


def test_the_installed_chinese_font_is_embedded(org: dict[str, Any], interview: Interview) -> None:
    if not WQY.is_file():
        pytest.skip(f"{WQY} is not installed (Debian package fonts-wqy-zenhei): nothing to embed")
    pdf_font.cache_clear()
    assert pdf_font().path == str(WQY)
    fonts = [font for font in fonts_of(render(org, interview)) if "WenQuanYi" in str(font["/BaseFont"])]
    assert fonts, "the WenQuanYi font is not among the page's fonts"
    for font in fonts:
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()


def test_without_an_installed_font_the_builtin_cid_font_is_used(
    org: dict[str, Any], interview: Interview, without_installed_fonts: None
) -> None:
    assert (pdf_font().name, pdf_font().embedded) == ("STSong-Light", False)
    data = render(org, interview)
    names = {str(font["/BaseFont"]) for font in fonts_of(data)}
    assert any("STSong-Light" in name for name in names)
    assert all("/FontFile2" not in str(font) for font in fonts_of(data))


def test_a_configured_font_file_wins(
    org: dict[str, Any], interview: Interview, without_installed_fonts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not WQY.is_file():
        pytest.skip(f"{WQY} is not installed (Debian package fonts-wqy-zenhei): no font file to configure")
    monkeypatch.setattr(pdf_module.settings, "TALENTLOOP_PDF_FONT", str(WQY), raising=False)
    pdf_font.cache_clear()
    assert pdf_font().path == str(WQY)


def test_a_page_renders_to_a_picture_that_is_not_blank(
    org: dict[str, Any], interview: Interview, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed: the page cannot be rendered")
    source = tmp_path / "report.pdf"
    source.write_bytes(render(org, interview))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    picture = next(tmp_path.glob("page*.png"))
    with Image.open(picture) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:200])
        assert grey.size == (331, 468)  # A4 at 40 dpi
    assert dark > 2000


def test_a_very_long_answer_flows_over_pages(org: dict[str, Any], interview: Interview) -> None:
    long_text = "我先倾听客户的意见，然后记录问题并跟进处理结果。" * 800  # 20,000 characters
    InterviewAnswer.objects.filter(session_question=interview.questions[0]).update(text=long_text)
    InterviewAnswer.objects.filter(session_question=interview.questions[1]).update(text="x" * 3000)
    reader = PdfReader(io.BytesIO(render(org, interview)))
    assert len(reader.pages) > 5
    assert "我先倾听客户的意见" in compact(reader.pages[3].extract_text())
