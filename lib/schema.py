"""The shared workbook's template as data: tabs, columns, aliases, kinds and bounds.

Validation, the reader and the template writer all read these tables, so a new column or
alias is one line here, not a new if-statement somewhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from lib.normalize import header_key


class Kind(StrEnum):
    """What a cell must contain."""

    TEXT = "text"  # free text, kept as typed
    NAME = "name"  # a village/unit name: keyed, checked for legacy encodings
    COUNT = "count"  # a whole number ≥ 0
    DATE = "date"  # a report date
    PERCENT = "percent"  # a target such as 70 %


@dataclass(frozen=True)
class Column:
    """One column of a tab: its canonical header, field name, kind and rules."""

    header: str
    field: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    hint: str = ""  # how to fill it, shown in the instructions tab and in messages

    def header_keys(self) -> set[str]:
        """Header keys this column answers to."""
        return {header_key(h) for h in (self.header, *self.aliases)}


@dataclass(frozen=True)
class Tab:
    """One tab of the workbook."""

    name: str
    entity: str  # village | unit | village_report | unit_report | config | phase
    columns: tuple[Column, ...]
    label: str = ""  # what one row is about, as messages name it: "thôn", "đơn vị"
    required: bool = True
    aliases: tuple[str, ...] = ()
    example_rows: tuple[tuple[object, ...], ...] = field(default=())
    read_by_cells: bool = True  # False: a module of its own reads it (lib/validation/field_reports.py drops personal columns)

    def title_keys(self) -> set[str]:
        """Tab-title keys (case, diacritics and spaces ignored)."""
        return {header_key(n).replace(" ", "") for n in (self.name, *self.aliases)}

    def column(self, field_name: str) -> Column:
        """The column with this field name."""
        return next(c for c in self.columns if c.field == field_name)


# The report form's submission id (lib/outbox.py): it lets a retry find a row already appended. The reader
# keeps it out of every figure and check; people typing by hand leave it blank.
SUBMISSION_ID = Column("Mã gửi", "submission", Kind.TEXT, False, ("Mã gửi báo cáo",), "biểu mẫu báo cáo tự ghi; khi nhập tay để trống")

VILLAGES = Tab(
    name="Thôn",
    entity="village",
    label="thôn",
    aliases=("Danh sách thôn", "Thon xom", "Xóm"),
    columns=(
        Column("Tên thôn", "name", Kind.NAME, True, ("Thôn", "Thôn/xóm", "Tên thôn/xóm", "Thôn, xóm"), "tên thôn, mỗi thôn một dòng"),
        Column("Xã cũ", "former_commune", Kind.TEXT, False, ("Thuộc xã cũ", "Xã trước sáp nhập"), "xã trước khi sáp nhập (không bắt buộc)"),
        Column("Tổng số hộ", "households", Kind.COUNT, True, ("Số hộ", "Tổng hộ", "Tổng số hộ dân", "Số hộ dân"), "số nguyên, ví dụ 215"),
        Column(
            "Số hộ có điện thoại thông minh",
            "smartphone_households",
            Kind.COUNT,
            True,
            ("Số hộ có ĐTTM", "Hộ có ĐTTM", "Số hộ có smartphone", "Hộ có điện thoại thông minh", "Số hộ có điện thoại TM"),
            "số nguyên, không lớn hơn Tổng số hộ",
        ),
        Column("Trưởng thôn", "head", Kind.TEXT, False, ("Thôn trưởng", "Người báo cáo"), ""),
        Column("Ghi chú", "note", Kind.TEXT, False, (), ""),
    ),
    example_rows=(("Thôn Trung Hòa", "Sơn Giang", 215, 160, "Nguyễn Văn A", ""),),
)

VILLAGE_REPORTS = Tab(
    name="Báo cáo thôn",
    entity="village_report",
    label="thôn",
    aliases=("Bao cao thon hang tuan", "Báo cáo tuần thôn", "Báo cáo các thôn"),
    columns=(
        Column("Ngày báo cáo", "date", Kind.DATE, True, ("Ngày", "Ngày BC", "Tuần báo cáo"), "ngày/tháng/năm, ví dụ 23/04/2026 (Thứ Năm)"),
        Column("Tên thôn", "village", Kind.NAME, True, ("Thôn", "Thôn/xóm", "Tên thôn/xóm"), "chọn trong danh sách thôn"),
        Column(
            "Số hộ đã cài đặt",
            "installed",
            Kind.COUNT,
            True,
            ("Số hộ cài đặt", "Hộ đã cài đặt", "Số hộ đã cài", "Lũy kế số hộ đã cài đặt", "Số hộ đã cài đặt lũy kế"),
            "số hộ có ít nhất một người đã cài đặt và đăng ký, cộng dồn đến ngày báo cáo",
        ),
        Column(
            "Số tài khoản đã đăng ký",
            "accounts",
            Kind.COUNT,
            False,
            ("Số tài khoản", "Tài khoản đã đăng ký", "Số TK đã đăng ký"),
            "cộng dồn",
        ),
        Column("Số phản ánh đã gửi", "reports_sent", Kind.COUNT, False, ("Số phản ánh", "Phản ánh đã gửi"), "cộng dồn"),
        Column("Ghi chú", "note", Kind.TEXT, False, (), ""),
        SUBMISSION_ID,
    ),
    example_rows=((dt.date(2026, 4, 23), "Thôn Trung Hòa", 96, 120, 4, ""),),
)

UNITS = Tab(
    name="Đơn vị",
    entity="unit",
    label="đơn vị",
    aliases=("Danh sách đơn vị", "Cơ quan đơn vị", "Đơn vị cán bộ"),
    columns=(
        Column("Tên đơn vị", "name", Kind.NAME, True, ("Đơn vị", "Cơ quan, đơn vị", "Cơ quan"), "tên cơ quan, đơn vị, mỗi đơn vị một dòng"),
        Column("Nhóm", "group", Kind.TEXT, False, ("Khối", "Loại đơn vị"), "ví dụ: Khối Đảng – chính quyền, Trường học, Y tế"),
        Column(
            "Tổng số cán bộ",
            "staff",
            Kind.COUNT,
            True,
            ("Tổng số CBCCVC", "Số cán bộ", "Tổng số CBCCVC, NLĐ", "Tổng số người"),
            "tất cả CBCCVC và người lao động của đơn vị",
        ),
        Column("Ghi chú", "note", Kind.TEXT, False, (), ""),
    ),
    example_rows=(("UBND xã", "Khối Đảng – chính quyền", 32, ""),),
)

UNIT_REPORTS = Tab(
    name="Báo cáo đơn vị",
    entity="unit_report",
    label="đơn vị",
    aliases=("Báo cáo cán bộ", "Bao cao don vi hang tuan"),
    columns=(
        Column("Ngày báo cáo", "date", Kind.DATE, True, ("Ngày", "Ngày BC"), "ngày/tháng/năm, ví dụ 23/04/2026"),
        Column("Tên đơn vị", "unit", Kind.NAME, True, ("Đơn vị", "Cơ quan, đơn vị"), "chọn trong danh sách đơn vị"),
        Column(
            "Số cán bộ đã cài đặt",
            "installed",
            Kind.COUNT,
            True,
            ("Số CBCCVC đã cài đặt", "Số cán bộ cài đặt", "Đã cài đặt", "Số người đã cài đặt"),
            "cộng dồn đến ngày báo cáo, không lớn hơn tổng số cán bộ",
        ),
        Column("Ghi chú", "note", Kind.TEXT, False, (), ""),
        SUBMISSION_ID,
    ),
    example_rows=((dt.date(2026, 4, 23), "UBND xã", 32, ""),),
)

CONFIG = Tab(
    name="Cấu hình",
    entity="config",
    required=False,
    aliases=("Cau hinh", "Thiết lập", "Cài đặt chung"),
    columns=(
        Column("Mục", "item", Kind.TEXT, True, ("Tham số", "Nội dung"), ""),
        Column("Giá trị", "value", Kind.TEXT, False, (), ""),
    ),
)

PHASES = Tab(
    name="Giai đoạn",
    entity="phase",
    required=False,
    aliases=("Các giai đoạn", "Tiến độ"),
    columns=(
        Column("Giai đoạn", "name", Kind.TEXT, True, ("Tên giai đoạn",), ""),
        Column("Từ ngày", "start", Kind.DATE, True, ("Bắt đầu",), "ngày/tháng/năm"),
        Column("Đến ngày", "end", Kind.DATE, True, ("Kết thúc",), "ngày/tháng/năm"),
        Column("Đối tượng", "audience", Kind.TEXT, False, ("Nội dung",), ""),
    ),
)

# The platform's list of citizens' field reports, pasted as exported (lib/field_reports.py has the rules). Its
# sender's name, phone, ID number, e-mail and address columns answer to no column here and are never read.
FIELD_REPORTS = Tab(
    name="Phản ánh",
    entity="field_report",
    label="phản ánh",
    required=False,
    read_by_cells=False,
    aliases=("Danh sách phản ánh", "Phan anh hien truong", "Phản ánh hiện trường"),
    columns=(
        Column(
            "Mã phản ánh",
            "id",
            Kind.TEXT,
            True,
            ("Mã PA", "Mã số", "Số hiệu", "Mã phản ánh kiến nghị", "Mã hồ sơ", "Mã"),
            "mã của hệ thống",
        ),
        Column(
            "Ngày gửi",
            "sent",
            Kind.DATE,
            True,
            (
                "Thời gian gửi",
                "Ngày tiếp nhận",
                "Thời gian tiếp nhận",
                "Ngày phản ánh",
                "Thời gian phản ánh",
                "Ngày gửi phản ánh",
                "Ngày tạo",
            ),
            "ngày/tháng/năm, có thể kèm giờ, ví dụ 23/04/2026 08:15",
        ),
        Column("Lĩnh vực", "field", Kind.TEXT, False, ("Lĩnh vực phản ánh", "Chuyên mục", "Loại phản ánh", "Nhóm lĩnh vực"), ""),
        Column("Thôn", "village", Kind.NAME, False, ("Địa bàn", "Địa điểm", "Thôn/xóm", "Tên thôn", "Địa điểm phản ánh", "Vị trí"), ""),
        Column("Đơn vị xử lý", "unit", Kind.NAME, False, ("Đơn vị chủ trì", "Cơ quan xử lý", "Đơn vị được giao", "Đơn vị giải quyết"), ""),
        Column("Hạn xử lý", "due", Kind.DATE, False, ("Hạn giải quyết", "Hạn hoàn thành", "Hạn xử lý phản ánh"), "ngày/tháng/năm"),
        Column(
            "Ngày hoàn thành",
            "completed",
            Kind.DATE,
            False,
            ("Thời gian xử lý xong", "Ngày xử lý xong", "Thời gian hoàn thành", "Ngày hoàn thành xử lý"),
            "ngày/tháng/năm",
        ),
        Column("Trạng thái", "status", Kind.TEXT, False, ("Tình trạng", "Trạng thái xử lý", "Tình trạng xử lý"), ""),
        Column("Đánh giá", "rating", Kind.TEXT, False, ("Mức độ hài lòng", "Đánh giá hài lòng", "Đánh giá của người dân"), ""),
    ),
    example_rows=(
        (
            "PA2604000001",
            dt.date(2026, 4, 23),
            "Giao thông",
            "Thôn Trung Hòa",
            "UBND xã",
            dt.date(2026, 4, 30),
            dt.date(2026, 4, 24),
            "Hoàn thành",
            "Hài lòng",
        ),
    ),
)

TABS: tuple[Tab, ...] = (VILLAGES, VILLAGE_REPORTS, UNITS, UNIT_REPORTS, CONFIG, PHASES, FIELD_REPORTS)


@dataclass(frozen=True)
class Setting:
    """One row the settings tab may hold."""

    label: str
    field: str
    kind: str  # text | percent | weekday | count
    default: str


# What the `Phản ánh` tab adds: the handling deadline in working days and the on-time target.
FIELD_REPORT_SETTINGS: tuple[Setting, ...] = (
    Setting("Thời hạn xử lý (ngày làm việc)", "report_working_days", "count", "5"),
    Setting("Chỉ tiêu xử lý đúng hạn (%)", "on_time_target", "percent", "100"),
)

SETTINGS: tuple[Setting, ...] = (
    Setting("Tên xã", "commune", "text", "Sơn Giang"),
    Setting("Chỉ tiêu hộ dân (%)", "household_target", "percent", "70"),
    Setting("Chỉ tiêu cán bộ (%)", "official_target", "percent", "100"),
    Setting("Ngày báo cáo trong tuần", "report_weekday", "weekday", "Thứ Năm"),
    Setting("Huyện/tỉnh", "province", "text", "Hà Tĩnh"),
    Setting("Người ký", "signer", "text", ""),
    Setting("Chức vụ người ký", "signer_title", "text", "PHÓ CHỦ TỊCH"),
    *FIELD_REPORT_SETTINGS,
)
