"""The dashboard as an Excel workbook (openpyxl): a Metrics sheet (the period and filters on top, then one row
per metric: name, value, unit, sample size), sheets with the funnel, the months and the sources, and a
Definitions sheet with each metric's definition. Values are numbers (shares formatted as percentages), so the
file can be recalculated and charted."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .metrics import Dashboard

_FORMATS = {"share": "0.0%", "days": "0.0", "CNY": "#,##0.00", "points": "0.00", "rating": "0.00", "count": "0"}
BOLD = Font(bold=True)


def _header(sheet: Worksheet, titles: Sequence[str]) -> None:
    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width


def _metrics_sheet(sheet: Worksheet, dashboard: Dashboard, filters_text: str) -> None:
    f = dashboard.filters
    sheet.title = _("Metrics")[:31]
    sheet.append([_("Recruiting and talent metrics")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Period"), f"{f.start.isoformat()} – {f.end.isoformat()}"])
    sheet.append([_("Filters"), filters_text])
    sheet.append([])
    _header(sheet, [_("Metric"), _("Value"), _("Unit"), _("Sample size"), _("Definition")])
    for metric in dashboard.metrics:
        sheet.append([metric["label"], metric["value"], metric["unit"], metric["n"], metric["definition"]])
        row = sheet.max_row
        if metric["unit"] in _FORMATS:
            sheet.cell(row=row, column=2).number_format = _FORMATS[metric["unit"]]
        sheet.cell(row=row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [28, 14, 10, 12, 90])


def _funnel_sheet(sheet: Worksheet, metric: dict[str, Any]) -> None:
    _header(sheet, [_("Stage"), _("Applications"), _("Conversion from the previous stage"), _("Share of applications")])
    for step in metric.get("detail", {}).get("stages", []):
        sheet.append([step["label"], step["count"], step["conversion"], step["of_applied"]])
        for column in (3, 4):
            sheet.cell(row=sheet.max_row, column=column).number_format = "0.0%"
    _widths(sheet, [22, 14, 30, 22])


def _months_sheet(sheet: Worksheet, metric: dict[str, Any]) -> None:
    _header(sheet, [_("Month"), _("Applications"), _("Hires")])
    for month in metric.get("detail", {}).get("months", []):
        sheet.append([month["month"], month["applications"], month["hires"]])
    _widths(sheet, [12, 14, 10])


def _sources_sheet(sheet: Worksheet, metric: dict[str, Any]) -> None:
    _header(sheet, [_("Source"), _("Hires"), _("With a submitted review"), _("Meeting requirements"),
                    _("Share meeting requirements")])
    for row in metric.get("detail", {}).get("sources", []):
        sheet.append([row["label"], row["hires"], row["reviewed"], row["meeting"], row["share"]])
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.0%"
    _widths(sheet, [20, 10, 24, 22, 26])


def _definitions_sheet(sheet: Worksheet, dashboard: Dashboard) -> None:
    _header(sheet, [_("Metric"), _("Key"), _("Unit"), _("Definition")])
    for metric in dashboard.metrics:
        sheet.append([metric["label"], metric["key"], metric["unit"], metric["definition"]])
        sheet.cell(row=sheet.max_row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    sheet.append([_("Shares are fractions of 1, shown as percentages; an empty value means there was nothing to "
                    "measure in the period.")])
    _widths(sheet, [28, 24, 10, 100])


def dashboard_workbook(dashboard: Dashboard, *, filters_text: str) -> bytes:
    book = Workbook()
    _metrics_sheet(book.active, dashboard, filters_text)
    by_key = {m["key"]: m for m in dashboard.metrics}
    if "funnel" in by_key:
        _funnel_sheet(book.create_sheet(_("Funnel")[:31]), by_key["funnel"])
    if "hiring_volume" in by_key:
        _months_sheet(book.create_sheet(_("Months")[:31]), by_key["hiring_volume"])
    if "source_quality" in by_key:
        _sources_sheet(book.create_sheet(_("Sources")[:31]), by_key["source_quality"])
    _definitions_sheet(book.create_sheet(_("Definitions")[:31]), dashboard)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

