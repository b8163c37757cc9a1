"""The sheet template as a real .xlsx that a village head can't easily get wrong."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lib import schema
from lib.config import DEFAULT_PHASES

MAX_ROWS = 2000  # rows covered by dropdowns and checks
_HEADER_FILL = PatternFill("solid", fgColor="1F5C99")
_HEADER_FONT = Font(bold=True, color="FFFFFF")

INSTRUCTIONS = [
    "HƯỚNG DẪN NHẬP SỐ LIỆU CÀI ĐẶT ỨNG DỤNG i-HaTinh",
    "",
    "1. Tab 'Thôn': mỗi thôn một dòng. Ghi tổng số hộ và số hộ có điện thoại thông minh (số nguyên, không ghi chữ).",
    "2. Tab 'Báo cáo thôn': mỗi Thứ Năm, mỗi thôn thêm MỘT dòng mới: ngày báo cáo, chọn tên thôn trong danh sách,",
    "   số hộ đã cài đặt CỘNG DỒN đến ngày báo cáo (không phải số tăng thêm trong tuần).",
    "3. Tab 'Đơn vị': mỗi cơ quan, đơn vị, trường học, trạm y tế một dòng với tổng số cán bộ, công chức, viên chức, người lao động.",
    "4. Tab 'Báo cáo đơn vị': mỗi tuần một dòng cho mỗi đơn vị, số cán bộ đã cài đặt cộng dồn.",
    "5. Ngày ghi theo kiểu ngày/tháng/năm, ví dụ 23/04/2026. Không ghi tháng trước ngày (kiểu Mỹ).",
    "6. Số ghi bằng chữ số: 1.234 hoặc 1234 đều được; không ghi phần trăm, không để trống (ô trống không được tính là 0).",
    "7. Không sửa số của các tuần trước; nếu nhập sai, ghi chú lại ở cột Ghi chú. Không xoá dòng của tuần trước.",
    "8. Tab 'Cấu hình' và 'Giai đoạn' do Phòng Văn hóa – Xã hội quản lý.",
    "",
    "Các cột của từng tab:",
]


def write_template(path: str | Path | None = None, with_examples: bool = False) -> bytes:
    """Write the template (optionally with one example row per tab); returns the file's bytes."""
    book = Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    lines = list(INSTRUCTIONS)
    for tab in schema.TABS:
        lines.append(f"• {tab.name}: " + "; ".join(f"{c.header}{' (bắt buộc)' if c.required else ''}" for c in tab.columns))
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 130
    for tab in schema.TABS:
        sheet = book.create_sheet(tab.name)
        sheet.append([c.header for c in tab.columns])
        for i, col in enumerate(tab.columns, start=1):
            cell = sheet.cell(row=1, column=i)
            cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(i)].width = max(14, min(40, len(col.header) + 4))
        sheet.freeze_panes = "A2"
        _add_checks(sheet, tab)
        rows: tuple[tuple[object, ...], ...] = tab.example_rows
        if tab is schema.CONFIG:
            rows = tuple((s.label, s.default) for s in schema.SETTINGS)
        elif tab is schema.PHASES:
            rows = tuple((p.name, p.start.strftime("%d/%m/%Y"), p.end.strftime("%d/%m/%Y"), p.audience) for p in DEFAULT_PHASES)
        elif not with_examples:
            rows = ()
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _add_checks(sheet, tab: schema.Tab) -> None:
    for i, col in enumerate(tab.columns, start=1):
        letter = get_column_letter(i)
        area = f"{letter}2:{letter}{MAX_ROWS}"
        check = None
        if col.kind == schema.Kind.COUNT:
            check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            check.error = f"'{col.header}' phải là số nguyên không âm, ví dụ 45."
        elif col.kind == schema.Kind.DATE:
            check = DataValidation(
                type="date", operator="between", formula1="DATE(2026,1,1)", formula2="DATE(2030,12,31)", allow_blank=True
            )
            check.error = "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 23/04/2026."
        elif col.kind == schema.Kind.NAME and tab.entity in ("village_report", "unit_report"):
            roster = "Thôn" if tab.entity == "village_report" else "Đơn vị"
            check = DataValidation(type="list", formula1=f"='{roster}'!$A$2:$A${MAX_ROWS}", allow_blank=True)
            check.error = f"Hãy chọn tên trong danh sách ở tab '{roster}'."
        if check is not None:
            check.errorTitle = "Giá trị chưa đúng"
            check.showErrorMessage = True
            check.prompt = col.hint or col.header
            check.showInputMessage = bool(col.hint)
            sheet.add_data_validation(check)
            check.add(area)
