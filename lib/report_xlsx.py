"""The weekly report's tables as .xlsx: villages, units and data issues, formatted and ready to print."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lib.field_report_section import UNIT_HEADER
from lib.fmt import fmt_date
from lib.report import TABLE_HEADER, WeeklyReport
from lib.safe_text import write_text
from lib.vi_sort import by_name

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="DDE6F0")
_FONT = "Times New Roman"


def _sheet(book: Workbook, title: str, heading: str, subtitle: str, header: tuple[str, ...], widths: tuple[int, ...]):
    sheet = book.create_sheet(title)
    sheet.append([heading])
    sheet.append([subtitle])
    sheet.append([])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(name=_FONT, bold=True, size=13)
    for cell in sheet[2]:
        cell.font = Font(name=_FONT, italic=True, size=12)
    for cell in sheet[4]:
        cell.font, cell.fill, cell.border = Font(name=_FONT, bold=True, size=11), _HEAD, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left, sheet.page_margins.right, sheet.page_margins.top, sheet.page_margins.bottom = 0.8, 0.4, 0.6, 0.6
    return sheet


def _row(sheet, values: list[object], text_columns: set[int], bold: bool = False, formats: dict[int, str] | None = None) -> None:
    sheet.append([None] * len(values))
    r = sheet.max_row
    for c, value in enumerate(values, start=1):
        cell = sheet.cell(row=r, column=c)
        if c in text_columns:
            write_text(cell, value)  # text from the sheet: never a formula
        else:
            cell.value = value
        if formats and c in formats:
            cell.number_format = formats[c]
        cell.border = _BOX
        cell.font = Font(name=_FONT, size=11, bold=bold)
        cell.alignment = Alignment(vertical="top", wrap_text=c in text_columns)


def report_xlsx(report: WeeklyReport) -> bytes:
    """Villages, units and issues of the week's report, as .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    title = f"KẾT QUẢ CÀI ĐẶT ỨNG DỤNG i-HaTinh — XÃ {report.commune.upper()}"
    week = f"Tuần từ {fmt_date(report.week_start)} đến {fmt_date(report.week)}"

    villages = _sheet(book, "Thôn", title, week, TABLE_HEADER, (6, 24, 10, 14, 14, 10, 14, 30))
    pct = {6: "0.0%", 3: "#,##0", 4: "#,##0", 5: "#,##0", 7: "+#,##0;-#,##0;0"}
    for line in report.villages:
        _row(
            villages,
            [line.number, line.name, line.households, line.smartphone_households, line.installed, line.rate, line.change, line.note],
            {2, 8},
            formats=pct,
        )
    t = report.total
    _row(
        villages, ["", t.name, t.households, t.smartphone_households, t.installed, t.rate, t.change, t.note], {2, 8}, bold=True, formats=pct
    )

    units = _sheet(
        book,
        "Đơn vị",
        title,
        f"Cán bộ, công chức, viên chức, người lao động — {week}",
        ("STT", "Đơn vị", "Nhóm", "Tổng số", "Đã cài đặt", "Tỷ lệ (%)", "Còn thiếu"),
        (6, 30, 24, 10, 12, 10, 10),
    )
    frame = report.units.sort_values(["meets_target", "rate", "name"], key=by_name, kind="stable") if len(report.units) else report.units
    columns = ("name", "group", "staff", "installed", "rate", "needed")
    for i, (name, group, staff, installed, rate, needed) in enumerate(zip(*(frame[c] for c in columns), strict=True), start=1):
        _row(
            units,
            [
                i,
                name,
                group or "",
                None if pd.isna(staff) else int(staff),
                int(installed),
                float(rate) if rate == rate else None,
                int(needed),
            ],
            {2, 3},
            formats={6: "0.0%"},
        )

    if report.field_units is not None:
        handled = _sheet(
            book, "Phản ánh", title, f"Tiếp nhận, xử lý phản ánh hiện trường theo đơn vị — {week}", UNIT_HEADER, (6, 30, 12, 14, 12, 12)
        )
        for i, row in enumerate(report.field_units.itertuples(), start=1):
            _row(handled, [i, row.unit, row.received, row.resolved, row.resolved_on_time, row.overdue_open], {2})

    issues = _sheet(
        book,
        "Vấn đề số liệu",
        title,
        f"Vấn đề ở các dòng báo cáo tuần này và danh sách thôn, đơn vị — {week}",
        ("Mức", "Tab", "Ô", "Ai sửa", "Vấn đề và cách sửa", "Đã nhập"),
        (10, 16, 8, 26, 70, 18),
    )
    for row in report.issues.itertuples():
        _row(
            issues,
            ["Lỗi" if row.severity == "error" else "Cảnh báo", row.sheet, row.cell, row.who, row.message, row.value],
            {1, 2, 3, 4, 5, 6},
        )

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
