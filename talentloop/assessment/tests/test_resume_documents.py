"""extract_text: real files in, text or a coded refusal out. The type comes from the bytes, not the name."""

from __future__ import annotations

import codecs
import logging
import os
import time
import zipfile
from pathlib import Path

import pytest

from talentloop.assessment.resume import documents
from talentloop.assessment.resume.documents import ERROR_CODES, ExtractedText, UnreadableDocument, extract_text
from talentloop.assessment.tests import resume_samples as samples


def _refusal(path: Path, **kwargs: int) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(path.read_bytes(), path.name, **kwargs)
    assert caught.value.code in ERROR_CODES
    assert str(caught.value) == caught.value.message
    return caught.value


def _docx_text(resume: samples.SampleResume) -> str:
    return "\n".join(
        block if isinstance(block, str) else "\n".join("\t".join(row) for row in block) for block in resume.blocks
    )


# ------------------------------------------------------------------------------------------ good files


@pytest.mark.parametrize("key", sorted(samples.SAMPLES))
def test_a_pdf_gives_its_text_line_for_line(tmp_path: Path, key: str) -> None:
    resume = samples.SAMPLES[key]
    path = samples.write_pdf(tmp_path, resume)
    assert extract_text(path.read_bytes(), path.name) == ExtractedText(text=resume.text(), kind="pdf", pages=1)


@pytest.mark.parametrize("key", sorted(samples.SAMPLES))
def test_a_docx_gives_paragraphs_and_table_rows_in_order(tmp_path: Path, key: str) -> None:
    resume = samples.SAMPLES[key]
    path = samples.write_docx(tmp_path, resume)
    assert extract_text(path.read_bytes(), path.name) == ExtractedText(text=_docx_text(resume), kind="docx", pages=1)


def test_docx_table_cells_are_joined_by_tabs(tmp_path: Path) -> None:
    path = samples.write_docx(tmp_path, samples.LI_NA)
    lines = extract_text(path.read_bytes(), path.name).text.split("\n")
    assert lines[:4] == ["个人简历", "姓名\t李娜\t性别\t女", "电话\t+86 139 8765 4321\t邮箱\tlina.hr@example.cn",
                         "现居\t北京市朝阳区\t学历\t本科"]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
     ("utf-16", "utf-16")],
)
def test_chinese_text_in_each_encoding_is_decoded(tmp_path: Path, encoding: str, detected: str) -> None:
    path = samples.write_text(tmp_path, samples.WANG_FANG, encoding=encoding)
    assert extract_text(path.read_bytes(), path.name) == ExtractedText(
        text=samples.WANG_FANG.text(), kind="txt", pages=1, encoding=detected
    )


def test_utf16_big_endian_with_bom_is_decoded() -> None:
    data = codecs.BOM_UTF16_BE + samples.ZHANG_WEI.text().encode("utf-16-be")
    assert extract_text(data, "cv.txt").text == samples.ZHANG_WEI.text()


def test_a_western_resume_in_cp1252_is_decoded() -> None:
    text = "José Müller – Résumé\nSenior Engineer at Société Générale, 2019 – Present\n" * 3
    assert extract_text(text.encode("cp1252"), "cv.txt") == ExtractedText(
        text=text, kind="txt", pages=1, encoding="cp1252"
    )


def test_windows_line_ends_become_newlines() -> None:
    assert extract_text("张伟\r\n电话：13812345678\r\n".encode(), "cv.txt").text == "张伟\n电话：13812345678\n"


def test_an_html_resume_saved_as_doc_is_read_as_text() -> None:
    html = (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>简历</title><style>td {color: red}</style></head>'
        "<body><table><tr><td>姓名</td><td>张伟</td></tr><tr><td>电话</td><td>138&nbsp;1234&nbsp;5678</td></tr></table>"
        "<p>工作经历</p><div>2018.07 - 至今 | 阿里巴巴有限公司 | 工程师</div><script>var x = 1;</script></body></html>"
    )
    extracted = extract_text(html.encode("gbk"), "resume.doc")
    assert (extracted.kind, extracted.encoding) == ("txt", "gb18030")
    assert extracted.text == "姓名\t张伟\n电话\t138 1234 5678\n工作经历\n2018.07 - 至今 | 阿里巴巴有限公司 | 工程师"


def test_a_pdf_name_on_text_bytes_is_read_as_text(tmp_path: Path) -> None:
    path = samples.write_text(tmp_path, samples.DANIEL_WU, suffix=".pdf")
    extracted = extract_text(path.read_bytes(), path.name)
    assert (extracted.kind, extracted.text) == ("txt", samples.DANIEL_WU.text())


def test_a_docx_sent_as_pdf_is_read_as_docx(tmp_path: Path) -> None:
    path = samples.write_docx(tmp_path, samples.MICHAEL_BROWN)
    assert extract_text(path.read_bytes(), "resume.pdf").kind == "docx"


def test_a_pdf_readable_with_the_empty_password_is_read(tmp_path: Path) -> None:
    path = samples.write_owner_only_encrypted_pdf(tmp_path)
    assert extract_text(path.read_bytes(), path.name).text == samples.EMILY_CHEN.text()


def test_only_the_first_pages_of_a_long_pdf_are_read(tmp_path: Path) -> None:
    path = samples.write_long_pdf(tmp_path, pages=25)
    extracted = extract_text(path.read_bytes(), path.name)
    assert (extracted.pages, extracted.truncated) == (20, True)
    assert extracted.text.endswith("Appendix page 20\n")
    assert extract_text(path.read_bytes(), path.name, max_pages=30).pages == 25


def test_a_damaged_but_readable_pdf_is_read_and_its_warnings_kept() -> None:
    data = samples.pdf_bytes(samples.EMILY_CHEN)
    broken = data[: data.rfind(b"startxref")] + b"startxref\n99999\n%%EOF\n"
    extracted = extract_text(broken, "cv.pdf")
    assert extracted.text == samples.EMILY_CHEN.text()
    assert "incorrect startxref pointer(2)" in extracted.warnings


def test_pypdf_warnings_of_another_thread_are_not_collected() -> None:
    collector = documents._ThreadLogCollector()
    record = logging.LogRecord("pypdf._reader", logging.WARNING, __file__, 1, "elsewhere", None, None)
    record.thread = collector.thread + 1
    collector.emit(record)
    assert collector.messages == []


# ------------------------------------------------------------------------------------------ refusals


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    error = _refusal(samples.write_empty(tmp_path))
    assert (error.code, error.message) == ("empty", "The file is empty.")


def test_a_file_over_the_limit_is_refused_before_reading_it(tmp_path: Path) -> None:
    path = samples.write_large(tmp_path, megabytes=12)
    assert os.path.getsize(path) > 12 * 1024 * 1024
    error = _refusal(path)
    assert error.code == "too_large"
    assert error.message == "The file is 12.0 MB; the largest file accepted is 10.0 MB."


def test_the_size_limit_can_be_set() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(b"x" * 2048, "cv.txt", max_bytes=1024)
    assert caught.value.code == "too_large"


def test_a_png_named_docx_is_refused_as_an_image(tmp_path: Path) -> None:
    error = _refusal(samples.write_png_as_docx(tmp_path))
    assert error.code == "unsupported_type"
    assert error.message == ('The file "photo.docx" looks like a PNG image, which cannot be read as a resume; '
                             "upload a PDF, a Word document (.docx) or a text file.")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "a JPEG image"),
        (b"GIF89a" + bytes(50), "a GIF image"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20), "a WebP image"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(20), "a HEIC/AVIF photo"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "a legacy Microsoft Office file (.doc, .xls or .ppt)"),
        (b"{\\rtf1\\ansi Resume}", "an RTF document"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "a program (ELF executable)"),
        (b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\x00\x00" + bytes(100), "a Windows program (.exe/.dll)"),
        (b"\x1f\x8b\x08\x00" + bytes(30), "a gzip archive"),
        (bytes(range(256)) * 4, "binary data of an unknown kind"),
    ],
)
def test_other_kinds_of_file_are_refused_and_named(data: bytes, what: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(data, "resume.docx")
    assert caught.value.code == "unsupported_type"
    assert f"looks like {what}," in caught.value.message


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    error = _refusal(samples.write_xlsx(tmp_path))
    assert error.code == "unsupported_type"
    assert "looks like an Excel workbook (.xlsx)," in error.message


def test_a_password_protected_office_document_is_refused_as_encrypted() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptedPackage".encode("utf-16-le") + bytes(200)
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(data, "cv.docx")
    assert caught.value.code == "encrypted"


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    error = _refusal(samples.write_encrypted_pdf(tmp_path))
    assert (error.code, error.message) == (
        "encrypted", "The PDF is protected by a password; save a copy without the password and upload that."
    )


def test_a_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    error = _refusal(samples.write_truncated_pdf(tmp_path))
    assert (error.code, error.message) == ("corrupt", "The PDF is damaged or incomplete and cannot be read.")


def test_a_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    assert _refusal(samples.write_truncated_docx(tmp_path)).code == "corrupt"


def test_a_pdf_header_with_nothing_after_it_is_corrupt() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(b"%PDF-1.7\n", "cv.pdf")
    assert caught.value.code == "corrupt"


def test_a_scanned_pdf_has_no_text(tmp_path: Path) -> None:
    error = _refusal(samples.write_image_only_pdf(tmp_path))
    assert error.code == "no_text"
    assert error.message.startswith("The PDF contains only images (scanned?); OCR is not supported")


def test_a_text_file_of_blanks_has_no_text() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(b" \n\t\n   ", "cv.txt")
    assert caught.value.code == "no_text"


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(tmp_path: Path) -> None:
    path = samples.write_zip_bomb_docx(tmp_path, declared_mb=200)
    assert os.path.getsize(path) < 2 * 1024 * 1024  # 200 MB of zeros, compressed
    started = time.perf_counter()
    error = _refusal(path)
    assert time.perf_counter() - started < 0.5  # unpacking 200 MB would take longer than that
    assert error.code == "zip_bomb"
    assert error.message == ("The Word document would unpack to 200.0 MB (at most 50.0 MB is accepted); it may be "
                             "built to exhaust the server.")


def test_a_docx_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    error = _refusal(samples.write_many_entries_docx(tmp_path, entries=1_500))
    assert error.code == "zip_bomb"
    assert error.message.startswith("The Word document has 1,502 parts (at most 1,000 are accepted)")


def test_a_docx_with_an_extreme_compression_ratio_is_refused(tmp_path: Path) -> None:
    path = samples.write_high_ratio_docx(tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert sum(info.file_size for info in archive.infolist()) < documents.MAX_ZIP_UNCOMPRESSED
    error = _refusal(path)
    assert error.code == "zip_bomb"
    assert error.message.startswith("A part of the Word document is compressed more than 100 times")


def test_reading_the_document_part_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = samples.write_docx(tmp_path, samples.ZHANG_WEI)
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("word/document.xml").file_size
    monkeypatch.setattr(documents, "MAX_DOCUMENT_XML", size - 1)
    assert _refusal(path).code == "zip_bomb"
    monkeypatch.setattr(documents, "MAX_DOCUMENT_XML", size)
    assert extract_text(path.read_bytes(), path.name).kind == "docx"


def test_a_docx_whose_part_is_longer_than_declared_is_corrupt(tmp_path: Path) -> None:
    path = samples.write_docx(tmp_path, samples.ZHANG_WEI)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    # Halve the size the central directory declares: the real part is now longer than declared.
    header = data.find(b"word/document.xml", data.find(b"PK\x01\x02")) - 46  # the name follows a 46-byte header
    assert data[header: header + 4] == b"PK\x01\x02"
    data[header + 24: header + 28] = (info.file_size // 2).to_bytes(4, "little")
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(bytes(data), "cv.docx")
    assert caught.value.code == "corrupt"
