"""The HR report as an A4 PDF (ReportLab): the same content as the page, from the same document
(selectors.reports.report_document), in the active language.

Chinese needs a font with its glyphs. A TrueType font is embedded (subset) so the PDF reads the same anywhere:
TALENTLOOP_PDF_FONT when set, otherwise the first known system font that ReportLab can load (WenQuanYi Zen Hei,
Droid Sans Fallback, AR PL UMing, ...; Noto CJK .ttc files hold CFF outlines, which ReportLab refuses). With
none installed, ReportLab's built-in CID font STSong-Light is used: it is not embedded, and the reader's viewer
supplies the glyphs.

Recorded answers (voice, video) add their transcript and a delivery section: the metrics with their typical
ranges, the flags as sentences, and the timeline drawn with ReportLab shapes from the page's geometry
(delivery_chart.py). The recording itself is not in the PDF."""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import delivery, explain
from .delivery_chart import FILLS, LOUDNESS_STROKE, MOMENT_FILL, SPEECH_FILL, TimelineChart
from .models import InterviewReport, InterviewSession
from .radar import RadarAxis, RadarChart, radar_chart
from .services.rules import RECORDED, consented_modalities, offered_modalities

FONT_NAME = "TalentLoopCJK"
CID_FONT = "STSong-Light"
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/google-droid/DroidSansFallback.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
BLUE, AMBER, GREY = colors.HexColor("#2563eb"), colors.HexColor("#b45309"), colors.HexColor("#71717a")
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class PdfFont:
    name: str
    path: str | None  # None: the built-in CID font (not embedded)

    @property
    def embedded(self) -> bool:
        return self.path is not None


def _system_candidates() -> list[str]:
    """TrueType fonts with Chinese glyphs that fontconfig knows (CFF-based OpenType left out)."""
    if shutil.which("fc-list") is None:
        return []
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":", 1)[0].strip() for line in listed.splitlines() if line.strip()})
    return [f for f in files if f.lower().endswith((".ttf", ".ttc")) and "notosanscjk" not in f.lower()
            and "notoserifcjk" not in f.lower()]


def _try_register(path: str) -> bool:
    if not Path(path).is_file():
        return False
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    except (TTFError, OSError, ValueError, KeyError, AssertionError):
        return False
    return True


@functools.cache
def pdf_font() -> PdfFont:
    """The font the PDFs use, registered with ReportLab once per process."""
    configured = str(getattr(settings, "TALENTLOOP_PDF_FONT", "") or "").strip()
    for path in ([configured] if configured else []) + list(KNOWN_FONTS) + _system_candidates():
        if _try_register(path):
            return PdfFont(FONT_NAME, path)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return PdfFont(CID_FONT, None)


class _Styles:
    def __init__(self, font: str) -> None:
        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.45, alignment=TA_LEFT, **extra)

        self.title = style("title", 18, spaceAfter=4)
        self.h2 = style("h2", 13, spaceBefore=10, spaceAfter=4, textColor=colors.HexColor("#1e3a8a"))
        self.h3 = style("h3", 11, spaceBefore=6, spaceAfter=2)
        self.body = style("body", 9.5)
        self.muted = style("muted", 8.5, textColor=GREY)
        self.cell = style("cell", 9)

    @staticmethod
    def cjk(style: ParagraphStyle) -> ParagraphStyle:
        return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


def _text(value: Any) -> str:
    """Plain text made safe for Paragraph markup (answers may hold <script>, & and the like)."""
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def _para(text: str, style: ParagraphStyle, *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped), or of markup built here when `markup`; Chinese wraps by character."""
    content = text if markup else _text(text)
    return Paragraph(content, _Styles.cjk(style) if _CJK.search(text) else style)


def _radar_drawing(chart: RadarChart, font: str) -> Drawing:
    """The page's radar with ReportLab shapes: the same geometry, the y axis turned upwards."""
    drawing = Drawing(chart.width, chart.height)

    def flat(points: Sequence[tuple[float, float]]) -> list[float]:
        return [value for x, y in points for value in (x, chart.height - y)]

    for _value, ring in chart.rings:
        drawing.add(Polygon(flat(ring), fillColor=None, strokeColor=colors.HexColor("#d4d4d8"), strokeWidth=0.6))
    for x, y in chart.spokes:
        drawing.add(Line(chart.cx, chart.height - chart.cy, x, chart.height - y,
                         strokeColor=colors.HexColor("#d4d4d8"), strokeWidth=0.6))
    if chart.axes:
        drawing.add(Polygon(flat(chart.required_points), fillColor=None, strokeColor=AMBER, strokeWidth=1.5,
                            strokeDashArray=[4, 3]))
        drawing.add(Polygon(flat(chart.score_points), fillColor=colors.Color(0.15, 0.39, 0.92, alpha=0.25),
                            strokeColor=BLUE, strokeWidth=1.5))
        for x, y in chart.score_points:
            drawing.add(Circle(x, chart.height - y, 2, fillColor=BLUE, strokeColor=BLUE))
    for label in chart.labels:
        drawing.add(String(label.x, chart.height - label.y, label.text, fontName=font, fontSize=8.5,
                           textAnchor=label.anchor))
    drawing.add(Polygon([8, 8, 20, 8, 20, 16, 8, 16], fillColor=colors.Color(0.15, 0.39, 0.92, alpha=0.25),
                        strokeColor=BLUE, strokeWidth=1))
    drawing.add(String(24, 9, _("Candidate's score"), fontName=font, fontSize=8.5))
    drawing.add(Line(130, 12, 146, 12, strokeColor=AMBER, strokeWidth=1.5, strokeDashArray=[4, 3]))
    drawing.add(String(150, 9, _("Required score"), fontName=font, fontSize=8.5))
    return drawing


def _table(rows: list[list[Any]], widths: Sequence[float], font: str) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f4f4f5")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#d4d4d8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _header(doc: dict[str, Any], s: _Styles) -> list[Flowable]:
    label = doc["fit"]["label"] or "—"
    status = str(InterviewReport.Status(doc["status"]).label)
    return [
        _para(_("Interview report"), s.title),
        _para(_("%(candidate)s · %(job)s · round %(round)d") % {
            "candidate": doc["candidate"]["name"] or "—", "job": doc["job"]["title"], "round": doc["round"],
        }, s.body),
        _para(_("Status: %(status)s") % {"status": status}, s.muted),
        Spacer(1, 4),
        _para(_("Overall score: %(score)s") % {"score": explain.number(doc["overall_score"])}, s.h2),
        _para(_("Job fit: %(fit)s") % {"fit": label}, s.body),
    ]


def _signals(doc: dict[str, Any], s: _Styles) -> list[Flowable]:
    """Which signals counted in the scores, when the interview offered voice or video (as on the page)."""
    session = InterviewSession.objects.select_related("application__job").filter(pk=doc["id"]).first()
    if session is None:
        return []
    job = session.application.job
    if not (job.delivery_in_score or any(m in RECORDED for m in offered_modalities(session))):
        return []
    line = delivery.scoring_line(delivery_in_score=job.delivery_in_score, consented=consented_modalities(session))
    consent = [
        _("%(name)s: agreed on %(at)s") % {"name": item.name, "at": item.at} if item.given
        else _("%(name)s: not agreed") % {"name": item.name}
        for item in delivery.consent_lines(session)
    ]
    parts: list[Flowable] = [_para(line, s.body)]
    if consent:
        parts.append(_para(_("Consent: %(items)s.") % {"items": "; ".join(consent)}, s.muted))
    return parts


def _competencies(doc: dict[str, Any], s: _Styles, font: str) -> list[Flowable]:
    rows = doc["competencies"]
    if not rows:
        return []
    chart = radar_chart([RadarAxis(r["name"], float(r["score"] or 0), float(r["required_score"] or 0)) for r in rows],
                        width=460, height=300, radius=95)
    table_rows: list[list[Any]] = [[_("Competency"), _("Score"), _("Required"), _("Weight"), _("Answers")]]
    for row in rows:
        table_rows.append([
            _para(row["name"], s.cell), explain.number(row["score"]), explain.number(row["required_score"]),
            f"{float(row['weight'] or 0):.2f}", str(row["answers"] if row["answers"] is not None else "—"),
        ])
    return [
        _para(_("Competencies"), s.h2), _radar_drawing(chart, font),
        _table(table_rows, [70 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm], font),
    ]


def _findings(doc: dict[str, Any], s: _Styles) -> list[Flowable]:
    parts: list[Flowable] = []
    for key, title in (("strengths", _("Strengths")), ("weaknesses", _("Weaknesses"))):
        parts.append(_para(title, s.h2))
        items = doc[key]
        if not items:
            parts.append(_para(_("None."), s.muted))
        for item in items:
            parts.append(_para(f"• {item['explanation']}", s.body))
    return parts


def _timeline_drawing(chart: TimelineChart, font: str) -> Drawing:
    """The page's timeline with ReportLab shapes: the same geometry, the y axis turned upwards."""
    height = chart.height
    drawing = Drawing(chart.width, height)
    grid = colors.HexColor("#d4d4d8")
    for row in chart.rows:
        drawing.add(Rect(row.x, height - row.y - row.height, row.width, row.height,
                         fillColor=colors.HexColor("#fafafa"), strokeColor=grid, strokeWidth=0.6))
    for box in chart.boxes:
        drawing.add(Rect(box.x, height - box.y - box.height, box.width, box.height,
                         fillColor=colors.HexColor(FILLS[box.kind]), strokeColor=None, strokeWidth=0))
    for segment in chart.loudness:
        if len(segment) > 1:
            drawing.add(PolyLine([v for x, y in segment for v in (x, height - y)],
                                 strokeColor=colors.HexColor(LOUDNESS_STROKE), strokeWidth=1))
    red = colors.HexColor(MOMENT_FILL)
    for moment in chart.moments:
        drawing.add(Rect(moment.x, height - moment.y - moment.height, moment.width, moment.height,
                         fillColor=colors.Color(red.red, red.green, red.blue, alpha=0.18), strokeColor=red,
                         strokeWidth=0.6))
    for label in chart.labels:
        drawing.add(String(chart.x0 - 6, height - label.y, label.text, fontName=font, fontSize=8, textAnchor="end"))
    for tick in chart.ticks:
        drawing.add(String(tick.x, height - chart.axis_y, _("%(n)s s") % {"n": tick.seconds}, fontName=font,
                           fontSize=7, textAnchor="middle", fillColor=GREY))
    y = height - chart.legend_y
    drawing.add(Rect(chart.x0, y, 10, 8, fillColor=colors.HexColor(SPEECH_FILL), strokeColor=None))
    drawing.add(String(chart.x0 + 14, y + 1, _("Speech"), fontName=font, fontSize=8))
    drawing.add(Line(chart.x0 + 130, y + 4, chart.x0 + 146, y + 4, strokeColor=colors.HexColor(LOUDNESS_STROKE)))
    drawing.add(String(chart.x0 + 150, y + 1, _("Loudness"), fontName=font, fontSize=8))
    if chart.has_video:
        drawing.add(Rect(chart.x0 + 260, y, 10, 8, fillColor=colors.Color(red.red, red.green, red.blue, alpha=0.18),
                         strokeColor=red, strokeWidth=0.6))
        drawing.add(String(chart.x0 + 274, y + 1, _("Moment to check"), fontName=font, fontSize=8))
    return drawing


def _recording(recorded: delivery.Recording, s: _Styles, font: str) -> list[Flowable]:
    """A voice or video answer: its status, transcript and delivery section."""
    status = f"{recorded.modality_label} · {recorded.status_label}"
    if recorded.status_detail:
        status += f" · {recorded.status_detail}"
    parts: list[Flowable] = [_para(status, s.muted)]
    if recorded.deleted:
        parts.append(_para(recorded.deleted, s.muted))
    if recorded.transcript:
        parts.append(_para(_("Transcript:"), s.muted))
        parts.append(_para(recorded.transcript, s.body))
    source = [_("Transcribed by %(name)s.") % {"name": recorded.asr_backend}] if recorded.asr_backend else []
    if recorded.corrected:
        source.append(_("Corrected by HR: %(who)s, %(at)s.") % {"who": recorded.corrected_by or "—",
                                                                "at": recorded.corrected_at})
    if source:
        parts.append(_para(" ".join(source), s.muted))
    if not (recorded.metrics or recorded.flags):
        return parts
    parts.append(_para(_("Delivery"), s.h3))
    if recorded.used_in_score:
        parts.append(_para(_("Counted in this answer's score: delivery score %(score)s, weighted %(percent)s.") % {
            "score": explain.number(recorded.delivery_score), "percent": delivery.percent(delivery.DELIVERY_WEIGHT),
        }, s.muted))
    else:
        parts.append(_para(_("Shown for information; not counted in this answer's score."), s.muted))
    for flag in recorded.flags:
        parts.append(_para(f"• {flag.sentence}", s.body))
    if recorded.metrics:
        rows: list[list[Any]] = [[_("Measure"), _("Value"), _("Typical range")]]
        for row in recorded.metrics:
            value = f"{row.value} ({row.position_label})" if row.position and row.position != "within" else row.value
            rows.append([_para(row.label, s.cell), _para(value, s.cell), _para(row.typical or "—", s.cell)])
        parts.append(_table(rows, [55 * mm, 60 * mm, 55 * mm], font))
    chart = delivery.delivery_chart(recorded.delivery, width=480)
    if chart is not None:
        parts.append(Spacer(1, 4))
        parts.append(_timeline_drawing(chart, font))
    return parts


def _answer(answer: dict[str, Any], s: _Styles, recorded: delivery.Recording | None = None,
            font: str = CID_FONT) -> list[Flowable]:
    score = explain.number(answer["score"])
    head = _("Question %(n)d · %(competency)s · score %(score)s") % {
        "n": answer["position"], "competency": answer["competency_name"], "score": score,
    }
    parts: list[Flowable] = [KeepTogether([_para(head, s.h3), _para(answer["question"], s.muted)])]
    if recorded is not None:
        parts += _recording(recorded, s, font)
    else:
        parts.append(_para(answer["text"] or _("(not answered)"), s.body))
    if answer["subscores"]:
        line = " · ".join(f"{explain.subscore_label(k)} {explain.number(v)}" for k, v in answer["subscores"].items())
        parts.append(_para(line, s.muted))
    flags = explain.answer_flags(answer)
    if flags:
        parts.append(_para(_("Flags: %(flags)s") % {"flags": ", ".join(label for _code, label in flags)}, s.muted))
    if answer["missing_key_points"]:
        parts.append(_para(_("Missing key points: %(points)s") % {
            "points": "; ".join(answer["missing_key_points"])}, s.muted))
    if answer["hr_rating"] is not None:
        parts.append(_para(_("HR rating: %(rating)s") % {"rating": answer["hr_rating"]}, s.muted))
    return parts


def _engine_and_decision(doc: dict[str, Any], s: _Styles) -> list[Flowable]:
    engine = doc["engine"] or {}
    answer_engines = ", ".join(f"{e.get('name')} {e.get('version')}" for e in engine.get("answer_engines") or [])
    calibration = engine.get("calibration")
    decision = doc["decision"]
    parts: list[Flowable] = [
        _para(_("Engine"), s.h2),
        _para(_("Fusion: %(name)s %(version)s")
              % {"name": engine.get("name", "—"), "version": engine.get("version", "")}, s.body),
        _para(_("Answer scoring: %(engines)s") % {"engines": answer_engines or "—"}, s.body),
        _para(_("Calibration: version %(version)s") % {"version": calibration} if calibration is not None
              else _("Calibration: none (the scorer's own scale)"), s.body),
        _para(_("HR's rating and decision"), s.h2),
        _para(_("Overall rating: %(rating)s") % {
            "rating": doc["hr_rating"] if doc["hr_rating"] is not None else "—"}, s.body),
        _para(_("Decision: %(decision)s") % {
            "decision": InterviewReport.Decision(decision).label if decision else _("No decision yet")}, s.body),
    ]
    if doc["decision_comment"]:
        parts.append(_para(doc["decision_comment"], s.body))
    return parts


def report_pdf(doc: dict[str, Any]) -> bytes:
    """The PDF of a report document (see selectors.reports.report_document)."""
    font = pdf_font()
    s = _Styles(font.name)
    story: list[Flowable] = [*_header(doc, s), *_signals(doc, s)]
    recorded = delivery.recordings(int(doc["id"]))
    if doc["status"] == InterviewReport.Status.READY:
        story += _competencies(doc, s, font.name)
        story += _findings(doc, s)
    else:
        story.append(_para(_("The report is being prepared; the scores appear once every answer is scored."), s.body))
    story.append(_para(_("Questions and answers"), s.h2))
    for answer in doc["answers"]:
        story += _answer(answer, s, recorded.get(answer["position"]), font.name)
    story += _engine_and_decision(doc, s)

    def footer(canvas: Canvas, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.name, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(n)d") % {"n": canvas.getPageNumber()})
        canvas.drawString(18 * mm, 10 * mm, f"TalentLoop · {doc['candidate']['name'] or ''}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
        title=_("Interview report"), author="TalentLoop",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
