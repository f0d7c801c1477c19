"""The fairness audit as an Excel workbook (the audit report): a sheet per outcome and a Definitions sheet,
in the request's language. Also the DRF renderer that lets `?format=xlsx` through content negotiation."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from rest_framework.renderers import BaseRenderer

from talentloop.assessment.insights.fairness import AuditResult

from .fairness import FairnessAudit, definitions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxRenderer(BaseRenderer):
    """Passes bytes through; the view builds the workbook (errors are still rendered as JSON)."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        import json

        return json.dumps(data, default=str).encode()


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _sheet(workbook: Workbook, title: str, audit: FairnessAudit, result: AuditResult, *, scoring: bool) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Job"), audit.job.title if audit.job else _("All jobs")])
    sheet.append([_("Attribute"), audit.attribute_label])
    sheet.append([_("People counted"), result.n])
    sheet.append([_("Unknown"), result.unknown])
    if scoring:
        sheet.append([_("Overall median score"), result.threshold])
    sheet.append([_("Highest rate"), result.reference_rate])
    sheet.append([])
    rate = _("Scoring rate") if scoring else _("Selection rate")
    hits = _("Above the median") if scoring else _("Passed screening")
    header = [_("Group"), _("People"), hits, rate, _("Impact ratio"), _("Below four fifths"), _("Too small")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for g in result.groups:
        sheet.append([
            audit.label(g.group), g.n, g.hits, g.rate, g.impact_ratio, _yes_no(g.four_fifths), _yes_no(g.too_small),
        ])
    for column, width in zip("ABCDEFG", (22, 10, 18, 16, 14, 18, 12), strict=True):
        sheet.column_dimensions[column].width = width


def audit_workbook(audit: FairnessAudit) -> bytes:
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    _sheet(workbook, _("Screening decisions"), audit, audit.selection, scoring=False)
    _sheet(workbook, _("AI interview scores"), audit, audit.scoring, scoring=True)
    sheet = workbook.create_sheet(_("Definitions"))
    sheet.append([_("Term"), _("Definition")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    terms = {
        "selection_rate": _("Selection rate"), "scoring_rate": _("Scoring rate"), "impact_ratio": _("Impact ratio"),
        "four_fifths": _("Four-fifths flag"), "unknown": _("Unknown"), "too_small": _("Too small"),
    }
    for key, text in definitions().items():
        sheet.append([terms.get(key, key), text])
    sheet.append([_("Minimum group size"), audit.min_group])
    sheet.append([_("Generated at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_filename(audit: FairnessAudit) -> str:
    job = f"job{audit.job.pk}" if audit.job else "all-jobs"
    return f"fairness-audit-{job}-{audit.attribute}-{timezone.localdate().isoformat()}.xlsx"
