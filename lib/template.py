"""The sheet template as a real .xlsx that a village head can fill alone, on a phone.

Every cell it writes passes the checks it sets (real dates and numbers, never text that looks like
them); date columns show dd/mm/yyyy; header rows are locked (no password) and data rows are not;
each tab has one filled example row; `Hướng dẫn` is short numbered steps that wrap on a phone.
"""

from __future__ import annotations

import copy
import io
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lib import schema
from lib.config import DEFAULT_PHASES
from lib.normalize import WEEKDAYS_VI

MAX_ROWS = 2000  # rows covered by dropdowns, checks, formats and the unlocked area
DATE_FORMAT = "dd/mm/yyyy"
GUIDE_TAB = "Hướng dẫn"
GUIDE_WIDTH = 46  # characters: what a phone in portrait shows of one column without scrolling sideways
EXAMPLE_NOTE = "Dòng ví dụ: sửa thành số thật hoặc xoá nội dung"
_HEADER_FILL = PatternFill("solid", fgColor="1F5C99")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT = Font(italic=True, color="595959")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")

TITLE = "HƯỚNG DẪN NHẬP SỐ LIỆU CÀI ĐẶT i-HaTinh"
STEPS: tuple[str, ...] = (
    "Trước khi nhập, đặt ngôn ngữ của Sheet là Việt Nam: trên máy tính bấm Tệp → Cài đặt → Ngôn ngữ và khu vực → "
    "Việt Nam → Lưu (Sheet tiếng Anh: File → Settings → Locale → Vietnam). Làm một lần cho cả sổ; "
    "nếu không, ngày 23/04/2026 bị hiểu sai.",
    "Dòng 2 của các tab Thôn, Báo cáo thôn, Đơn vị, Báo cáo đơn vị là dòng ví dụ (chữ nghiêng). "
    "Sửa thành số thật của mình, hoặc xoá nội dung dòng đó.",
    "Tab 'Thôn' (cán bộ xã điền): mỗi thôn một dòng, ghi tổng số hộ và số hộ có điện thoại thông minh.",
    "Tab 'Báo cáo thôn': mỗi Thứ Năm, mỗi thôn thêm MỘT dòng mới ở dưới cùng.",
    "Ngày báo cáo: gõ ngày/tháng/năm, ví dụ 23/04/2026, là ngày Thứ Năm của tuần báo cáo (ngày trong tab 'Cấu hình'). "
    "Hạn nộp: 23:59 Thứ Năm (giờ Việt Nam).",
    "Từ Thứ Sáu đến Thứ Năm tuần sau, ghi ngày Thứ Năm sắp tới, kể cả khi chưa tới ngày. Mọi ngày khác sau hôm nay "
    "(gõ nhầm tháng, năm) không được tính.",
    "Tên thôn: bấm vào ô rồi chọn trong danh sách, không gõ tay.",
    "Số hộ đã cài đặt: số CỘNG DỒN từ đầu đến ngày báo cáo, không phải số tăng thêm trong tuần.",
    "Số ghi bằng chữ số, ví dụ 96 hoặc 1.234; không ghi chữ, không ghi %. Ô trống không được tính là 0.",
    "Nhập sai thì thêm một dòng mới với số đúng (cùng thôn, cùng ngày báo cáo). Khi một thôn có nhiều dòng "
    "cho cùng một tuần báo cáo, dòng nằm dưới cùng trong sổ được dùng.",
    "Tab 'Đơn vị' và 'Báo cáo đơn vị': làm như trên cho cơ quan, trường học, trạm y tế, với số cán bộ.",
    "Tab 'Cấu hình' và 'Giai đoạn' do Phòng Văn hóa – Xã hội quản lý.",
    "Cột 'Mã gửi' do biểu mẫu báo cáo trên điện thoại tự ghi. Khi nhập tay để trống; không sửa, không xoá mã đã có.",
    "Dòng tiêu đề (dòng 1) được khoá để không bị sửa nhầm. Các dòng bên dưới nhập bình thường, không cần mật khẩu.",
)


def guide_lines() -> list[str]:
    """The `Hướng dẫn` tab, one cell per line: the title, the numbered steps, then each tab's columns."""
    lines = [TITLE, ""]
    lines += [f"{i}. {step}" for i, step in enumerate(STEPS, start=1)]
    lines += ["", "CÁC CỘT CỦA TỪNG TAB"]
    for tab in schema.TABS:
        lines.append(f"Tab '{tab.name}':")
        for col in tab.columns:
            hint = f": {col.hint}" if col.hint else ""
            lines.append(f"• {col.header}{' (bắt buộc)' if col.required else ''}{hint}")
    return lines


def example_rows(tab: schema.Tab) -> tuple[tuple[object, ...], ...]:
    """The rows the template writes under a tab's header: its example, the settings, or the plan's phases."""
    if tab is schema.CONFIG:
        return tuple((s.label, _setting_value(s)) for s in schema.SETTINGS)
    if tab is schema.PHASES:
        return tuple((p.name, p.start, p.end, p.audience) for p in DEFAULT_PHASES)
    fields = [c.field for c in tab.columns]
    rows = []
    for row in tab.example_rows:
        values = list(row)
        if "note" in fields and not values[fields.index("note")]:
            values[fields.index("note")] = EXAMPLE_NOTE
        rows.append(tuple(values))
    return tuple(rows)


def _setting_value(setting: schema.Setting) -> object:
    """A setting's default as the cell should hold it: a number for a target or a count of days, text otherwise."""
    if setting.kind == "percent":
        number = float(setting.default)
        return int(number) if number.is_integer() else number
    if setting.kind == "count":
        return int(setting.default)
    return setting.default


def write_template(path: str | Path | None = None) -> bytes:
    """Write the template with one filled example row per tab; returns the file's bytes."""
    book = Workbook()
    _write_guide(book.active)
    for tab in schema.TABS:
        sheet = book.create_sheet(tab.name)
        _write_header(sheet, tab)
        _format_data_area(sheet, tab)
        _add_checks(sheet, tab)
        for r, row in enumerate(example_rows(tab), start=2):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
                if tab not in (schema.CONFIG, schema.PHASES):
                    cell.font = _EXAMPLE_FONT
        _protect(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _write_guide(sheet: Worksheet) -> None:
    sheet.title = GUIDE_TAB
    sheet.column_dimensions["A"].width = GUIDE_WIDTH
    for r, line in enumerate(guide_lines(), start=1):
        cell = sheet.cell(row=r, column=1, value=line or None)
        cell.alignment = _WRAP
        cell.font = Font(size=12, bold=r == 1 or line.isupper())
        # Set the height: Excel does not grow a row for wrapped text it did not lay out itself.
        sheet.row_dimensions[r].height = 16.5 * max(1, math.ceil(len(line) / (GUIDE_WIDTH - 6)))
    _protect(sheet)


def _write_header(sheet: Worksheet, tab: schema.Tab) -> None:
    for i, col in enumerate(tab.columns, start=1):
        cell = sheet.cell(row=1, column=i, value=col.header)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = max(14, min(24, len(col.header) + 4))
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = "A2"


def _format_data_area(sheet: Worksheet, tab: schema.Tab) -> None:
    """Unlock the data rows and give date columns their dd/mm/yyyy format, cell by cell (Google Sheets keeps those)."""
    for c, col in enumerate(tab.columns, start=1):
        first = sheet.cell(row=2, column=c)
        first.protection = _UNLOCKED
        if col.kind == schema.Kind.DATE:
            first.number_format = DATE_FORMAT
        # Copying the first cell's style record is ~6 times faster than setting each cell's protection and
        # format through openpyxl's descriptors (52.000 cells: 0,4 s instead of 2,5 s).
        for r in range(3, MAX_ROWS + 1):
            sheet.cell(row=r, column=c)._style = copy.copy(first._style)


def _protect(sheet: Worksheet) -> None:
    """Sheet protection without a password: locked cells (the header) refuse edits, unlocked ones take them."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False  # widths and heights may still change
    protection.autoFilter = False  # a filter to see one's own village


def _check(kind: str, message: str, prompt: str = "", **options: str) -> DataValidation:
    check = DataValidation(type=kind, allow_blank=True, **options)
    check.error, check.errorTitle, check.showErrorMessage = message, "Giá trị chưa đúng", True
    check.prompt, check.showInputMessage = prompt, bool(prompt)
    return check


def _add_checks(sheet: Worksheet, tab: schema.Tab) -> None:
    for i, col in enumerate(tab.columns, start=1):
        letter = get_column_letter(i)
        check = None
        if col.kind == schema.Kind.COUNT:
            check = _check(
                "whole", f"'{col.header}' phải là số nguyên không âm, ví dụ 45.", col.hint, operator="greaterThanOrEqual", formula1="0"
            )
        elif col.kind == schema.Kind.DATE:
            check = _check(
                "date",
                "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 23/04/2026.",
                col.hint,
                operator="between",
                formula1="DATE(2026,1,1)",
                formula2="DATE(2030,12,31)",
            )
        elif col.kind == schema.Kind.NAME and tab.entity in ("village_report", "unit_report"):
            roster = "Thôn" if tab.entity == "village_report" else "Đơn vị"
            check = _check("list", f"Hãy chọn tên trong danh sách ở tab '{roster}'.", col.hint, formula1=f"='{roster}'!$A$2:$A${MAX_ROWS}")
        if check is not None:
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS}")
    if tab is schema.CONFIG:
        _add_setting_checks(sheet)


def _add_setting_checks(sheet: Worksheet) -> None:
    """A target takes a number from 1 to 100, a number of working days 1 to 60, the report day a weekday from a list."""
    for r, setting in enumerate(schema.SETTINGS, start=2):
        if setting.kind == "percent":
            check = _check(
                "decimal", f"'{setting.label}' là một số từ 1 đến 100, ví dụ 70.", "", operator="between", formula1="1", formula2="100"
            )
        elif setting.kind == "count":
            check = _check(
                "whole", f"'{setting.label}' là số ngày làm việc từ 1 đến 60, ví dụ 5.", "", operator="between", formula1="1", formula2="60"
            )
        elif setting.kind == "weekday":
            check = _check("list", "Hãy chọn một ngày trong tuần, ví dụ Thứ Năm.", "", formula1='"' + ",".join(WEEKDAYS_VI) + '"')
        else:
            continue
        sheet.add_data_validation(check)
        check.add(f"B{r}")
