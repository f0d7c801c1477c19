"""Turn an uploaded resume file into plain text, or say in one sentence why it cannot be read.

The type comes from the bytes, never from the file name: candidates rename files, and browsers send
whatever MIME type the extension suggests. PDF is read with pypdf, DOCX with python-docx, and anything
that decodes cleanly as text (UTF-8, GB18030/GBK, UTF-16 with a BOM) is taken as text.

Every failure raises `UnreadableDocument` with a stable `code` (the Django side translates by code) and an
English message for logs and for callers that do not translate.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal

ErrorCode = Literal["empty", "too_large", "unsupported_type", "encrypted", "corrupt", "zip_bomb", "no_text"]
ERROR_CODES: tuple[ErrorCode, ...] = (
    "empty", "too_large", "unsupported_type", "encrypted", "corrupt", "zip_bomb", "no_text",
)
Kind = Literal["pdf", "docx", "txt"]

MAX_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 20  # a resume is 1-5 pages; a 300-page upload is a mistake and would only cost CPU
MAX_TEXT_CHARS = 200_000  # about 60 pages of dense text: far more than any resume
# ZIP limits, checked on the central directory before anything is decompressed.
MAX_ZIP_ENTRIES = 1_000
MAX_ZIP_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_MIN_SIZE = 1024 * 1024  # small XML parts legitimately compress 20-200x; only big ones are suspect
MAX_DOCUMENT_XML = 16 * 1024 * 1024  # cap on the bytes actually read out of word/document.xml
_CHUNK = 64 * 1024

logger = logging.getLogger(__name__)


class UnreadableDocument(Exception):
    """The file cannot be turned into text. `code` is one of ERROR_CODES; `message` is for people."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message

    def __repr__(self) -> str:
        return f"UnreadableDocument({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class ExtractedText:
    """The text of a document.

    `pages` is the number of PDF pages the text was read from (1 for DOCX and text files, which have no
    fixed pages); `truncated` says pages or characters beyond the limits were left out; `encoding` is the
    text encoding that was detected for text files; `warnings` are pypdf's complaints about a damaged but
    still readable PDF.
    """

    text: str
    kind: Kind
    pages: int
    encoding: str | None = None
    truncated: bool = False
    warnings: tuple[str, ...] = ()


def extract_text(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PDF_PAGES
) -> ExtractedText:
    """Read a resume file. `filename` only makes messages friendlier; the bytes decide the type."""
    if not data:
        raise UnreadableDocument("empty", "The file is empty.")
    if len(data) > max_bytes:
        raise UnreadableDocument(
            "too_large", f"The file is {_megabytes(len(data))}; the largest file accepted is {_megabytes(max_bytes)}."
        )
    if b"%PDF-" in data[:1024]:  # the PDF spec lets the header sit anywhere in the first 1024 bytes
        return _read_pdf(data, max_pages)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_zip(data, filename)
    described = _describe_binary(data)
    if described is not None:
        code, what = described
        if code == "encrypted":
            raise UnreadableDocument(
                "encrypted", f"{_label(filename)} is a password-protected Office document; remove the password "
                "and upload it again."
            )
        raise UnreadableDocument("unsupported_type", f"{_label(filename)} looks like {what}, which cannot be "
                                 "read as a resume; upload a PDF, a Word document (.docx) or a text file.")
    return _read_text(data, filename)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _label(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return f'The file "{name[:80]}"' if name else "The file"


# ----------------------------------------------------------------------------------------------- PDF


class _ThreadLogCollector(logging.Handler):
    """Collect pypdf's log warnings for the current thread only, so parallel requests keep theirs apart."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and len(self.messages) < 20:
            message = record.getMessage()
            if message not in self.messages:
                self.messages.append(message)


def _read_pdf(data: bytes, max_pages: int) -> ExtractedText:
    pypdf_logger = logging.getLogger("pypdf")
    collector = _ThreadLogCollector()
    pypdf_logger.addHandler(collector)
    try:
        text, pages, truncated = _pdf_text(data, max_pages)
    finally:
        pypdf_logger.removeHandler(collector)
    text, cut = _limit(text)
    return ExtractedText(
        text=text, kind="pdf", pages=pages, truncated=truncated or cut, warnings=tuple(collector.messages)
    )


def _pdf_text(data: bytes, max_pages: int) -> tuple[str, int, bool]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Many PDFs are "encrypted" only to set permissions and open with the empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(
                "encrypted", "The PDF is protected by a password; save a copy without the password and upload that."
            )
        total = len(reader.pages)
    except UnreadableDocument:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        # AES-encrypted PDFs need the optional `cryptography` package even for an empty password.
        raise UnreadableDocument(
            "encrypted", "The PDF is encrypted in a way this server cannot open; save a copy without protection "
            "and upload that."
        ) from exc
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError...) on bad input
        raise UnreadableDocument("corrupt", "The PDF is damaged or incomplete and cannot be read.") from exc
    if total == 0:
        raise UnreadableDocument("corrupt", "The PDF has no pages.")
    used = min(total, max_pages)
    parts: list[str] = []
    failures = 0
    for index in range(used):
        try:
            parts.append(reader.pages[index].extract_text() or "")
        except Exception:  # one broken page should not lose the others
            logger.info("pypdf could not read page %d", index + 1, exc_info=True)
            failures += 1
    if failures == used:
        raise UnreadableDocument("corrupt", "The PDF is damaged or incomplete and cannot be read.")
    text = _clean("\n".join(parts))
    if not _has_words(text):
        if _pdf_has_images(reader, used):
            message = ("The PDF contains only images (scanned?); OCR is not supported, so upload a PDF with "
                       "selectable text, a Word document or a text file.")
        else:
            message = ("The PDF contains no extractable text (only drawings or images?); OCR is not supported, "
                       "so upload a PDF with selectable text, a Word document or a text file.")
        raise UnreadableDocument("no_text", message)
    return text, used, total > used


def _pdf_has_images(reader: Any, pages: int) -> bool:
    try:
        return any(_has_image_xobject(reader.pages[index].get("/Resources"), 0) for index in range(pages))
    except Exception:  # deciding between two messages is not worth failing the whole upload for
        return False


def _has_image_xobject(resources: Any, depth: int) -> bool:
    if resources is None or depth > 3:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _has_image_xobject(xobject.get("/Resources"), depth + 1):
            return True
    return False


# ---------------------------------------------------------------------------------------------- DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{{{_W}}}{name}" for name in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _DEL, _TXBX = (f"{{{_W}}}{name}" for name in ("t", "tab", "br", "cr", "del", "txbxContent"))
_FALLBACK = f"{{{_MC}}}Fallback"
_HEADER_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_DOCX_MAIN = "word/document.xml"


def _read_zip(data: bytes, filename: str) -> ExtractedText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, but also struct/value errors on a mangled central directory
        raise UnreadableDocument(
            "corrupt", f"{_label(filename)} looks like a ZIP archive or Word document but is damaged or incomplete."
        ) from exc
    names = {info.filename for info in infos}
    if _DOCX_MAIN not in names:
        raise UnreadableDocument("unsupported_type", f"{_label(filename)} looks like {_describe_zip(names)}, which "
                                 "cannot be read as a resume; upload a PDF, a Word document (.docx) or a text file.")
    _check_zip_bomb(infos)
    with archive:
        _read_capped(archive, _DOCX_MAIN)
    text = _clean("\n".join(_docx_lines(data)))
    text, cut = _limit(text)
    if not _has_words(text):
        raise UnreadableDocument("no_text", "The Word document contains no text (only images?); OCR is not supported.")
    return ExtractedText(text=text, kind="docx", pages=1, truncated=cut)


def _check_zip_bomb(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnreadableDocument(
            "zip_bomb", f"The Word document has {len(infos):,} parts (at most {MAX_ZIP_ENTRIES:,} are accepted); "
            "it may be built to exhaust the server."
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_ZIP_UNCOMPRESSED:
        raise UnreadableDocument(
            "zip_bomb", f"The Word document would unpack to {_megabytes(declared)} (at most "
            f"{_megabytes(MAX_ZIP_UNCOMPRESSED)} is accepted); it may be built to exhaust the server."
        )
    for info in infos:
        if info.file_size > ZIP_RATIO_MIN_SIZE and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise UnreadableDocument(
                "zip_bomb", f"A part of the Word document is compressed more than {MAX_ZIP_RATIO} times; it may "
                "be built to exhaust the server."
            )


def _read_capped(archive: zipfile.ZipFile, name: str) -> int:
    """Decompress one entry chunk by chunk, stopping at the cap: the central directory can lie."""
    read = 0
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > MAX_DOCUMENT_XML:
                    raise UnreadableDocument(
                        "zip_bomb", f"The Word document's text part unpacks to more than "
                        f"{_megabytes(MAX_DOCUMENT_XML)}; it may be built to exhaust the server."
                    )
    except UnreadableDocument:
        raise
    except Exception as exc:  # bad CRC, truncated deflate stream, unsupported compression or encryption
        raise UnreadableDocument("corrupt", "The Word document is damaged or incomplete and cannot be read.") from exc
    return read


def _docx_lines(data: bytes) -> list[str]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for rel in document.part.rels.values():
            if rel.reltype == _HEADER_RELTYPE and not rel.is_external:
                # First-page, even and default headers often repeat each other: keep each line once.
                lines.extend(line for line in _block_lines(rel.target_part.element) if line not in lines)
        lines.extend(_block_lines(document.element.body))
    except Exception as exc:
        if "content type" in str(exc):  # python-docx refuses .docm/.dotx main parts by content type
            raise UnreadableDocument(
                "unsupported_type", "The file is a macro-enabled Word document or a template; save it as a normal "
                ".docx or as PDF and upload that."
            ) from exc
        raise UnreadableDocument("corrupt", "The Word document is damaged or incomplete and cannot be read.") from exc
    return lines


def _block_lines(container: Any) -> Iterator[str]:
    """Paragraphs and table rows of a body, cell, header or text box, in document order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            text: list[str] = []
            boxes: list[Any] = []
            _run_text(child, text, boxes)
            yield "".join(text)
            for box in boxes:
                yield from _block_lines(box)
        elif tag == _TBL:
            for row in child.iterchildren(_TR):
                cells = [" ".join(line for line in _block_lines(cell) if line.strip())
                         for cell in row.iterchildren(_TC)]
                # One line per row keeps "2018.07-2021.03 | company | title" rows together for the parser.
                yield "\t".join(cell for cell in cells if cell.strip())
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content)


def _run_text(element: Any, text: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            text.append(child.text or "")
        elif tag == _TAB:
            text.append("\t")
        elif tag in (_BR, _CR):
            text.append("\n")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag in (_DEL, _FALLBACK):
            # Deleted revisions are not the text; Fallback repeats the text boxes of mc:Choice for old readers.
            continue
        elif isinstance(tag, str):
            _run_text(child, text, boxes)


def _describe_zip(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file (.odt/.ods/.odp)"
    if "META-INF/container.xml" in names:
        return "an e-book (.epub)"
    if "META-INF/MANIFEST.MF" in names:
        return "a Java archive (.jar)"
    return "a ZIP archive"


# ---------------------------------------------------------------------------------------------- text

# Controls other than tab, newline, carriage return, form and vertical feed: a few slip into real text
# files, many mean the bytes are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_ASCII_OR_COMMON_CJK = re.compile(
    r"[\x00-\x7f\u00b7\u00d7\u2010-\u206f\u2103\u2116\u2460-\u25ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
)
_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"))
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _read_text(data: bytes, filename: str) -> ExtractedText:
    decoded = _decode(data)
    if decoded is None:
        raise UnreadableDocument("unsupported_type", f"{_label(filename)} looks like binary data of an unknown kind, "
                                 "which cannot be read as a resume; upload a PDF, a Word document (.docx) or a "
                                 "text file.")
    raw, encoding = decoded
    if _HTML_START.match(raw[:2000]):  # the start is enough, and bounds the work on hostile text
        # Chinese job sites export resumes as HTML, often under a .doc name: read the text, not the markup.
        raw = _html_text(raw)
    text, cut = _limit(_clean(raw))
    if not _has_words(text):
        raise UnreadableDocument("no_text", "The file contains no text.")
    return ExtractedText(text=text, kind="txt", pages=1, encoding=encoding, truncated=cut)


_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
_HTML_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                          "article", "header", "footer", "ul", "ol", "dt", "dd", "title"})


class _HtmlText(HTMLParser):
    """Text of an HTML page: block elements and table rows become lines, cells are separated by tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def _html_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (line.strip(" \t").replace("\t ", "\t") for line in "".join(parser.parts).split("\n"))
    return "\n".join(re.sub(r"\t+", "\t", line) for line in lines if line.strip())


def _decode(data: bytes) -> tuple[str, str] | None:
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    for bom, encoding in (*_UTF32_BOMS, *_UTF16_BOMS):
        if data.startswith(bom):
            try:
                return _plausible(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _plausible(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:  # text without a UTF-16/32 BOM never holds NUL bytes
        return None
    try:
        return _plausible(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return _western(data)
    # GB18030 maps almost any byte sequence to some character, so binary junk decodes too; real Chinese
    # text is almost entirely common ideographs and CJK/full-width punctuation.
    foreign = len(text) - len(text.encode("ascii", "ignore"))
    uncommon = len(_ASCII_OR_COMMON_CJK.sub("", text))
    if uncommon > 0.1 * foreign:
        return _western(data)
    return _plausible(text, "gb18030")


def _western(data: bytes) -> tuple[str, str] | None:
    """Western resumes saved by older Windows editors are cp1252 ("Résumé"): mostly ASCII with accents.
    Binary data has more high bytes than that, and its control bytes fail the plausibility check."""
    if len(data) - len(data.decode("ascii", "ignore")) > 0.3 * len(data):
        return None
    try:
        return _plausible(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return None


def _plausible(text: str, encoding: str) -> tuple[str, str] | None:
    controls = len(_CONTROL.findall(text))
    return (text, encoding) if controls <= max(2, len(text) // 100) else None


# ------------------------------------------------------------------------------------------ binaries


def _describe_binary(data: bytes) -> tuple[ErrorCode, str] | None:
    """Name the binary formats people upload by mistake; None when the bytes may be text."""
    head = data[:32]
    simple = (
        (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
        (b"\x7fELF", "a program (ELF executable)"), (b"\xca\xfe\xba\xbe", "a compiled program"),
        (b"\xcf\xfa\xed\xfe", "a program (Mach-O executable)"), (b"\xfe\xed\xfa\xcf", "a program (Mach-O executable)"),
        (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
        (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"), (b"{\\rtf", "an RTF document"),
        (b"%!PS", "a PostScript file"), (b"ID3", "an MP3 audio file"), (b"OggS", "an Ogg audio or video file"),
        (b"fLaC", "a FLAC audio file"), (b"SQLite format 3\x00", "an SQLite database"), (b"8BPS", "a Photoshop image"),
        (b"\x00asm", "a WebAssembly program"), (b"wOFF", "a web font"), (b"wOF2", "a web font"),
    )
    for magic, what in simple:
        if head.startswith(magic):
            return "unsupported_type", what
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # Password-protected .docx/.xlsx are stored in this older container with an EncryptedPackage stream.
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted", "a password-protected Office document"
        return "unsupported_type", "a legacy Microsoft Office file (.doc, .xls or .ppt)"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return "unsupported_type", {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file",
                                    b"AVI ": "an AVI video"}.get(head[8:12], "a RIFF media file")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"hevc"):
            return "unsupported_type", "a HEIC/AVIF photo"
        return "unsupported_type", "an MP4/MOV video or audio file"
    if head.startswith(b"BM") and len(data) >= 26 and int.from_bytes(data[2:6], "little") == len(data):
        return "unsupported_type", "a BMP image"
    if head.startswith(b"MZ") and len(data) >= 64:
        offset = int.from_bytes(data[60:64], "little")
        if data[offset:offset + 4] == b"PE\x00\x00":
            return "unsupported_type", "a Windows program (.exe/.dll)"
    return None


# ------------------------------------------------------------------------------------------- helpers


def _clean(text: str) -> str:
    """Unify line ends and drop characters no reader wants (NUL, other controls, zero-width marks)."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _limit(text: str) -> tuple[str, bool]:
    return (text[:MAX_TEXT_CHARS], True) if len(text) > MAX_TEXT_CHARS else (text, False)
