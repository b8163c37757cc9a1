"""Every sentence shown to people about a problem in the workbook, in one table keyed by issue code.

The rules decide *that* something is wrong and hand over a key and named values; the wording lives
here, so it is reviewed and fixed in one place (as `schema` does for columns). A key is an issue code
("bad_date"), or an issue code and a variant ("bad_date:optional") when one code is worded two ways;
the issue record carries the code only. A date is passed as a date and shown as its template says
({day:%d/%m/%Y}). `PHRASES` holds the clauses that fill a message's placeholders: why a cell could
not be read ({reason}), where the problem is ({where}, built by `place`).

This module imports nothing from the project, so the parsers in `lib.normalize` can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Message:
    """One sentence about one issue: how serious it is, what is wrong, and what to do about it."""

    severity: Severity  # error rejects the row; warning keeps it
    text: str  # what is wrong, with {named} placeholders
    fix: str = ""  # what to do about it (or what the dashboard does instead), also a template
    sentence: str = field(init=False, repr=False, compare=False)  # text and fix, formatted in one call

    def __post_init__(self) -> None:
        object.__setattr__(self, "sentence", f"{self.text} {self.fix}" if self.fix else self.text)

    def render(self, **params: object) -> str:
        """The message with its placeholders filled (a date is given as a date: its template says how to show it)."""
        return self.sentence.format_map(params)


def code_of(key: str) -> str:
    """The issue code of a message key: 'bad_date:optional' -> 'bad_date'."""
    return key.partition(":")[0]


def place(sheet: str, row: int | None = None, header: str = "", cell: str = "") -> str:
    """Where an issue is, for a village head: "Tab Báo cáo thôn, dòng 77, cột Số hộ đã cài đặt (ô C77)".

    The one place the words are built: every issue message starts with them ({where}), so the table,
    `check`, the report and the Zalo reminders all say it the same way. Capitalised: it opens a sentence.
    """
    if row is None:
        return phrase("place.column", sheet=sheet, header=header) if header else phrase("place.tab", sheet=sheet)
    if cell:
        return phrase("place.cell", sheet=sheet, row=row, header=header or cell, cell=cell)
    return phrase("place.row_column", sheet=sheet, row=row, header=header) if header else phrase("place.row", sheet=sheet, row=row)


def phrase(key: str, **params: object) -> str:
    """A clause of `PHRASES` with its placeholders filled."""
    text = PHRASES[key]
    return text.format_map(params) if params else text


_CHECK_DATE = "Hãy kiểm tra lại ngày, tháng, năm."
_TYPE_DATE = "Hãy nhập ngày/tháng/năm, ví dụ 23/04/2026."
_OPTIONAL = "Giá trị này bị bỏ qua; các số khác của dòng vẫn được tính."
# A cell that a parser refused: the parser's reason says why, the column's hint says how to fill it.
_REFUSED = Message("error", "{where}: {reason}.", "Hãy nhập {hint}.")
_REFUSED_OPTIONAL = Message("warning", _REFUSED.text, f"{_REFUSED.fix} {_OPTIONAL}")
# Codes of `lib.normalize.parse_count` and `parse_date`; a bad optional figure is a warning, not an error.
_PARSER_CODES = ("not_a_number", "comma_in_count", "negative", "not_whole", "bad_date")
_UNKNOWN_NAME = Message(
    "error", "{where}: {label} '{name}' không có trong tab '{roster}'.", "Hãy chọn tên {label} đúng như trong danh sách."
)
_UNKNOWN_NAME_SUGGESTION = Message("error", _UNKNOWN_NAME.text, f"Có phải '{{suggestion}}'? {_UNKNOWN_NAME.fix}")
_ROSTER_ROW_REJECTED = Message(
    "error",
    "{where}: {label} '{name}' đang có lỗi ở tab '{roster}' (dòng {roster_row}) nên chưa tính được báo cáo này.",
    "Hãy sửa dòng {roster_row} của tab '{roster}' trước.",
)
_DUPLICATE_NAME = Message(
    "error",
    "{where}: tên {label} '{name}' trùng với dòng {first_row} (sau khi bỏ qua hoa/thường, dấu cách, kiểu bỏ dấu).",
    "Mỗi {label} chỉ ghi một dòng: xoá dòng trùng hoặc sửa tên.",
)
_CORRECTION = "Muốn sửa số của một tuần thì thêm một dòng mới ở dưới cùng; không cần xoá dòng cũ."
_HISTORY_FIX = "Nếu không cố ý, hãy khôi phục số cũ."

MESSAGES: dict[str, Message] = {
    # --- tabs and columns (lib.validation.cells) ---
    "missing_tab": Message(
        "error",
        "Không tìm thấy tab '{sheet}'.",
        "Hãy thêm tab này (có thể tải mẫu từ trang Nguồn dữ liệu) hoặc đổi tên tab cho đúng.",
    ),
    "ignored_tab": Message(
        "warning",
        "Có {count} tab cùng được hiểu là tab '{tab}': đang đọc tab '{chosen}', bỏ qua tab '{sheet}'.",
        "Hãy xoá hoặc đổi tên tab thừa để khỏi nhầm.",
    ),
    "ignored_tab:hidden": Message(
        "warning",
        "Có {count} tab cùng được hiểu là tab '{tab}': đang đọc tab '{chosen}', bỏ qua tab '{sheet}' (đang ẩn).",
        "Hãy xoá hoặc đổi tên tab thừa để khỏi nhầm.",
    ),
    "hidden_tab": Message(
        "warning",
        "Tab '{sheet}' đang ẩn nhưng vẫn được đọc vì không có tab '{tab}' nào đang hiện.",
        "Nên cho hiện tab này để mọi người thấy số liệu.",
    ),
    "missing_column": Message(
        "error",
        "Tab '{sheet}' thiếu cột '{header}' ở dòng tiêu đề (dòng {header_row}).",
        "Hãy thêm cột này với đúng tên tiêu đề; chưa đọc được dữ liệu của tab cho đến khi có đủ cột bắt buộc.",
    ),
    "missing_column:no_header_row": Message(
        "error",
        "Tab '{sheet}' thiếu cột '{header}' ở tab.",
        "Hãy thêm cột này với đúng tên tiêu đề; chưa đọc được dữ liệu của tab cho đến khi có đủ cột bắt buộc.",
    ),
    "too_many_rows": Message(
        "error",
        "Tab '{sheet}' có hơn {limit} {label}: chỉ đọc {limit} {label} đầu tiên, từ dòng {first_unread} trở đi không được đọc "
        "(giới hạn của bảng theo dõi).",
        "Hãy kiểm tra xem tab có bị chép lặp hay lẫn dữ liệu khác không.",
    ),
    "total_row_skipped": Message(
        "warning", "{where}: đây là dòng tổng cộng nên không được tính (ứng dụng tự cộng).", "Có thể xoá dòng này."
    ),
    # --- one cell (lib.validation.cells) ---
    # A blank required cell, worded by what the column holds: a blank is never read as 0 (nor as a name).
    "missing_value": Message(
        "error",
        "{where}: chưa có số.",
        "Hãy nhập {hint}. Nếu đúng là chưa có, hãy nhập số 0: ô để trống không được hiểu là 0.",
    ),
    "missing_value:name": Message(
        "error",
        "{where}: chưa có tên {label}.",
        "Hãy bấm vào ô và chọn tên {label} trong danh sách thả xuống (hoặc gõ đúng tên như ở tab '{roster}').",
    ),
    "missing_value:roster_name": Message(
        "error", "{where}: chưa có tên {label}.", "Hãy nhập tên {label} vào ô này, hoặc xoá cả dòng nếu dòng này thừa."
    ),
    "missing_value:date": Message("error", "{where}: chưa có ngày.", "Hãy nhập {hint}."),
    "missing_value:no_hint": Message("error", "{where}: ô đang trống.", "Hãy nhập nội dung cho ô này, hoặc xoá cả dòng nếu dòng này thừa."),
    "legacy_encoding": Message(
        "error",
        "{where}: chữ bị lỗi mã (kiểu gõ VNI/TCVN3: '{text}').",
        "Hãy gõ lại bằng bảng mã Unicode (Unikey: chọn Unicode, kiểu gõ Telex).",
    ),
    **{code: _REFUSED for code in _PARSER_CODES},
    **{f"{code}:optional": _REFUSED_OPTIONAL for code in _PARSER_CODES},
    "bad_date:with_fix": Message("error", _REFUSED.text),  # the reason already says how to type the date: once is enough
    # --- settings and phases (lib.validation.settings) ---
    "unknown_setting": Message(
        "warning", "{where}: không biết mục cấu hình '{item}'; dòng này được bỏ qua.", "Các mục dùng được: {known}."
    ),
    "bad_setting": Message("error", "{where}, mục '{setting}': {reason}.", "Đang dùng giá trị mặc định {default}."),
    "bad_phase": Message(
        "error", "{where}: giai đoạn '{name}' kết thúc ({end:%d/%m/%Y}) trước khi bắt đầu ({start:%d/%m/%Y}).", "Hãy sửa lại ngày."
    ),
    # --- rosters (lib.validation.rosters) ---
    "duplicate_village": _DUPLICATE_NAME,
    "duplicate_unit": _DUPLICATE_NAME,
    "smartphone_exceeds_households": Message(
        "error",
        "{where}: số hộ có điện thoại thông minh ({smartphone_households}) lớn hơn tổng số hộ ({households}).",
        "Hãy kiểm tra lại hai số này.",
    ),
    # --- weekly reports (lib.validation.reports) ---
    "unknown_village": _UNKNOWN_NAME,
    "unknown_village:suggestion": _UNKNOWN_NAME_SUGGESTION,
    "unknown_village:roster_row_rejected": _ROSTER_ROW_REJECTED,
    "unknown_unit": _UNKNOWN_NAME,
    "unknown_unit:suggestion": _UNKNOWN_NAME_SUGGESTION,
    "unknown_unit:roster_row_rejected": _ROSTER_ROW_REJECTED,
    "approximate_name": Message(
        "warning", "{where}: '{typed}' được hiểu là '{name}'.", "Nên sửa lại đúng tên trong danh sách để tránh nhầm."
    ),
    "early_date": Message(
        "error", "{where}: ngày {day:%d/%m/%Y} sớm hơn một năm trước khi chiến dịch bắt đầu ({campaign_start:%d/%m/%Y}).", _CHECK_DATE
    ),
    "future_date": Message("error", "{where}: ngày {day:%d/%m/%Y} chưa tới (hôm nay là {today:%d/%m/%Y}).", _CHECK_DATE),
    "not_report_day": Message(
        "warning",
        "{where}: {day:%d/%m/%Y} là {day_weekday}, không phải {weekday}.",
        "Báo cáo được tính vào tuần {weekday} {week:%d/%m/%Y}.",
    ),
    "exceeds_staff": Message(
        "error",
        "{where}: số cán bộ đã cài đặt ({installed}) lớn hơn tổng số cán bộ của đơn vị ({staff}).",
        "Hãy sửa số đã cài đặt, hoặc cập nhật tổng số cán bộ ở tab Đơn vị.",
    ),
    "exceeds_households": Message(
        "error",
        "{where}: số hộ đã cài đặt ({installed}) lớn hơn tổng số hộ của thôn ({households}).",
        "Hãy kiểm tra lại số đã cài đặt (cộng dồn), hoặc cập nhật tổng số hộ ở tab Thôn.",
    ),
    "exceeds_smartphone_households": Message(
        "warning",
        "{where}: số hộ đã cài đặt ({installed}) lớn hơn số hộ có điện thoại thông minh ({smartphone_households}); tỷ lệ sẽ vượt 100 %.",
        "Nên cập nhật số hộ có điện thoại thông minh ở tab Thôn.",
    ),
    # One rule, worded as in the template's instructions and README: the lowest row of a week is used.
    "duplicate_report": Message(
        "warning",
        "{where}: tuần {week:%d/%m/%Y} của {name} đã được nhập lại ở dòng {replaced_by}; số ở dòng này không được tính "
        "(dòng dưới cùng được dùng).",
        _CORRECTION,
    ),
    "duplicate_report:identical": Message(
        "warning",
        "{where}: dòng này giống hệt dòng {replaced_by} (tuần {week:%d/%m/%Y} của {name}); chỉ tính một lần (dòng dưới cùng được dùng).",
        _CORRECTION,
    ),
    "cumulative_decrease": Message(
        "warning",
        "{where}: số cộng dồn của {label} '{name}' giảm từ {before} (tuần {week_before:%d/%m/%Y}) xuống {now} (tuần {week:%d/%m/%Y}).",
        "Số liệu cộng dồn không giảm: hãy kiểm tra lại.",
    ),
    # --- field reports, the `Phản ánh` tab (lib.field_report_rows); {where} is PHRASES "place.cell" or "place.row" ---
    "missing_value:report_id": Message(
        "error", "{where}: chưa có mã phản ánh.", "Hãy chép mã từ danh sách của hệ thống; mỗi phản ánh có một mã riêng."
    ),
    "missing_value:sent": Message("error", "{where}: chưa có ngày gửi.", _TYPE_DATE),
    "bad_date:field_report": Message("error", "{where}: {reason}.", _TYPE_DATE),
    "bad_date:field_report_with_fix": Message("error", "{where}: {reason}."),  # the reason already says how to type it
    "bad_date:due": Message("warning", "{where}: {reason}.", "Hạn được tính lại theo số ngày làm việc trong Cấu hình."),
    "future_date:field_report": Message("error", "{where}: ngày {day:%d/%m/%Y} chưa tới (hôm nay là {today:%d/%m/%Y}).", _CHECK_DATE),
    "completed_before_sent": Message(
        "error", "{where}: ngày hoàn thành {completed:%d/%m/%Y} trước ngày gửi {sent:%d/%m/%Y}.", "Hãy kiểm tra lại hai ngày này."
    ),
    "unknown_status": Message(
        "warning",
        "{where}: không hiểu trạng thái '{status}', nên phản ánh được tính là chưa xử lý xong.",
        "Hãy dùng trạng thái của hệ thống: Chờ tiếp nhận, Đang xử lý, Hoàn thành, Từ chối, Không thuộc thẩm quyền…",
    ),
    "missing_completion_date": Message(
        "warning",
        "{where}: trạng thái '{status}' nhưng chưa có ngày hoàn thành, nên không tính là đúng hạn.",
        "Hãy nhập ngày hoàn thành.",
    ),
    "bad_rating": Message(
        "warning", "{where}: {reason}; coi như chưa đánh giá.", "Hãy ghi Hài lòng / Không hài lòng, hoặc số sao từ 1 đến 5."
    ),
    "duplicate_id": Message(
        "error",
        "{where}: mã phản ánh '{id}' trùng với dòng {rows} nhưng nội dung khác nhau, nên chưa tính các dòng này.",
        "Hãy giữ lại dòng mới nhất (chép lại từ hệ thống) và xoá các dòng kia.",
    ),
    "unknown_village:field_report": Message(
        "warning",
        "{where}: không tìm thấy thôn nào của tab '{roster}' trong '{name}', nên phản ánh không được tính cho thôn nào.",
        "Hãy ghi tên thôn đúng như trong tab '{roster}' (phản ánh vẫn được tính cho đơn vị xử lý).",
    ),
    "duplicate_id:identical": Message(
        "warning", "{where}: dòng này lặp lại y hệt phản ánh '{id}' ở dòng {rows}; chỉ tính một lần.", "Có thể xoá dòng thừa."
    ),
    # --- figures changed after their deadline (lib.history.history_issues, from the snapshot store's history) ---
    "history_changed": Message(
        "warning",
        "Số liệu tuần {week:%d/%m/%Y} của {label} '{name}' bị sửa từ {old} thành {new} sau hạn báo cáo (phát hiện lúc {when}).",
        _HISTORY_FIX,
    ),
    "history_changed:removed": Message(
        "warning",
        "Số liệu tuần {week:%d/%m/%Y} của {label} '{name}' ({old}) đã bị xoá hoặc không còn hợp lệ (phát hiện lúc {when}).",
        _HISTORY_FIX,
    ),
}

PHRASES: dict[str, str] = {
    # why a count could not be read (lib.normalize.parse_count): fills {reason}
    "count.true_false": "ô chứa giá trị đúng/sai, không phải số",
    "count.percent": "đây là tỷ lệ phần trăm; ô này cần số lượng (số hộ/số người), không phải %",
    "count.unreadable": "không đọc được số",
    "count.word_after": "có chữ '{word}' sau số; chỉ ghi số, ví dụ 45",
    "count.comma": "'{digits}' có dấu phẩy, ở Việt Nam là dấu thập phân nên không rõ là {whole} hay số lẻ; "
    "nếu là {whole}, hãy nhập {whole} (không dùng dấu phẩy)",
    "count.negative": "số lượng không thể âm",
    "count.not_whole": "số lượng phải là số nguyên",
    "count.not_whole_comma": "số lượng phải là số nguyên (ở Việt Nam dấu phẩy là phần thập phân: 12,5 là mười hai phẩy năm)",
    "count.too_large": "số quá lớn, có thể đã nhập nhầm",
    # why a date could not be read (lib.normalize.parse_date)
    "date.true_false": "không phải ngày",
    "date.bad_serial": "không phải ngày hợp lệ",
    "date.unreadable": "không đọc được ngày; hãy nhập theo dạng ngày/tháng/năm, ví dụ 23/04/2026",
    "date.no_year": "ngày '{text}' không ghi năm, nên không được tính (bảng không tự đoán năm để số liệu không đổi nghĩa theo ngày xem); "
    "hãy nhập đủ ngày/tháng/năm, ví dụ {example}",
    "date.us_order": "tháng {month} không tồn tại — có lẽ ngày được nhập theo kiểu Mỹ (tháng/ngày); hãy nhập ngày/tháng/năm, ví dụ {example}",
    "date.not_in_calendar": "ngày '{text}' không tồn tại trong lịch",
    "date.implausible_year": "năm {year} không hợp lý cho số liệu của chiến dịch (chỉ nhận ngày từ năm {first} đến năm {last}); "
    "hãy kiểm tra lại năm",
    # why a setting could not be read (lib.normalize.parse_percent, parse_weekday; lib.validation.settings)
    "percent.true_false": "không phải tỷ lệ",
    "percent.unreadable": "không đọc được tỷ lệ; ví dụ 70 hoặc 70,5",
    "percent.out_of_range": "tỷ lệ phải lớn hơn 0 và không quá 100 %",
    "weekday.unknown": "không hiểu ngày trong tuần; ví dụ: Thứ Năm",
    "setting.blank": "đang trống",
    "setting.zero_days": "thời hạn phải từ 1 ngày làm việc trở lên",
    # why a resident's rating could not be read (lib.field_reports.parse_rating)
    "rating.true_false": "không phải đánh giá",
    "rating.unknown": "không hiểu đánh giá '{text}'",
    "rating.stars_out_of_range": "số sao phải từ 1 đến 5, không phải '{text}'",
    # where a problem is, in words first and the A1 address after (`place`): fills {where}
    "place.cell": "Tab {sheet}, dòng {row}, cột {header} (ô {cell})",
    "place.row_column": "Tab {sheet}, dòng {row}, cột {header}",
    "place.row": "Tab {sheet}, dòng {row}",
    "place.column": "Tab {sheet}, cột {header}",
    "place.tab": "Tab {sheet}",
    # a list of rows cut short: fills {rows}
    "rows.more": "{shown} và {rest} dòng khác",
}
