"""A deterministic, realistic sample workbook for xã Sơn Giang (and larger ones for benchmarks).

SAMPLE DATA: the villages, households and figures are invented to look like the real thing
(20–30 villages of 80–300 households, 65–80 % smartphones, S-shaped weekly growth, a few
lagging or silent villages, and the mistakes real village heads make).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lib.field_report_sample import sample_field_reports
from lib.workbook import Cell, Rows

FIRST_REPORT = dt.date(2026, 4, 16)  # the first Thursday of the campaign
FIRST_FIELD_REPORTS = dt.date(2026, 4, 15)  # residents' field reports start with the campaign

VILLAGE_NAMES = {
    "Sơn Giang": [
        "Thôn Trung Hòa",
        "Thôn Yên Thọ",
        "Thôn Hòa Bình",
        "Thôn Nam Sơn",
        "Thôn Tân Giang",
        "Thôn Đông Tiến",
        "Thôn Phú Thủy",
        "Thôn Khe Tre",
        "Thôn Thuận Trị",
    ],
    "Quang Diệm": [
        "Thôn Trung Thượng",
        "Thôn Trung Hạ",
        "Thôn Hòa Lạc",
        "Thôn Thanh Sơn",
        "Thôn Quang Thủy",
        "Thôn Tân Diệm",
        "Thôn Kim Cương",
        "Thôn Hà Trai",
    ],
    "Sơn Lâm": ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Thôn 7"],
}
UNITS = [
    ("Đảng ủy xã", "Khối Đảng – chính quyền", 18),
    ("HĐND xã", "Khối Đảng – chính quyền", 6),
    ("UBND xã", "Khối Đảng – chính quyền", 34),
    ("Ủy ban MTTQ xã", "Khối MTTQ – đoàn thể", 12),
    ("Đoàn Thanh niên xã", "Khối MTTQ – đoàn thể", 5),
    ("Hội Nông dân xã", "Khối MTTQ – đoàn thể", 4),
    ("Công an xã", "Lực lượng vũ trang", 26),
    ("Ban CHQS xã", "Lực lượng vũ trang", 9),
    ("Trung tâm Dịch vụ tổng hợp", "Đơn vị sự nghiệp", 11),
    ("Trạm Y tế xã", "Y tế", 17),
    ("Trường Mầm non Sơn Giang", "Trường học", 24),
    ("Trường Mầm non Quang Diệm", "Trường học", 21),
    ("Trường Mầm non Sơn Lâm", "Trường học", 16),
    ("Trường Tiểu học Sơn Giang", "Trường học", 29),
    ("Trường Tiểu học Quang Diệm", "Trường học", 25),
    ("Trường Tiểu học Sơn Lâm", "Trường học", 19),
    ("Trường THCS Sơn Giang", "Trường học", 31),
    ("Trường THCS Quang Diệm", "Trường học", 27),
]


@dataclass
class SampleSpec:
    """What to generate: sizes, the seed, and whether to plant typical mistakes."""

    villages: int = 24
    units: int = len(UNITS)
    weeks: int = 33
    seed: int = 2026
    mistakes: bool = True


def _village_names(count: int) -> list[tuple[str, str]]:
    names = [(n, commune) for commune, ns in VILLAGE_NAMES.items() for n in ns]
    if count <= len(names):
        step = len(names) / count
        return [names[int(i * step)] for i in range(count)]
    return [(f"Thôn {i % 40 + 1} – Xã {i // 40 + 1}", f"Xã {i // 40 + 1}") for i in range(count)]


def _unit_rows(count: int) -> list[tuple[str, str, int]]:
    if count <= len(UNITS):
        return UNITS[:count]
    return UNITS + [(f"Đơn vị {i}", "Khối khác", 10 + i % 30) for i in range(len(UNITS), count)]


def build(spec: SampleSpec) -> dict[str, Rows]:
    """The sample as plain rows per tab (title rows and header included), ready to write."""
    rng = random.Random(spec.seed)
    weeks = [FIRST_REPORT + dt.timedelta(days=7 * w) for w in range(spec.weeks)]
    villages: list[tuple[str, str, int, int, str, str]] = []
    for name, commune in _village_names(spec.villages):
        households = rng.randint(80, 300)
        smart = round(households * rng.uniform(0.65, 0.80))
        villages.append((name, commune, households, smart, f"Trưởng thôn {name.split()[-1]}", ""))
    reports: Rows = []
    silent = {3, 11} if spec.villages > 11 else set()
    stalled = 7 if spec.villages > 7 else None
    late_starter = 15 if spec.villages > 15 else None
    for v, (village, _, _households, smart, _, _) in enumerate(villages):
        final = rng.uniform(0.72, 0.97) if v % 5 else rng.uniform(0.45, 0.70)
        speed, midpoint = rng.uniform(0.45, 0.9), rng.uniform(1.5, 5.0) + (4 if v == late_starter else 0)
        accounts_per_house = rng.uniform(1.1, 1.6)
        for w, week in enumerate(weeks):
            if v in silent and w % 6 == 4:
                continue
            if v == late_starter and w == len(weeks) - 1:
                continue  # has not reported yet this week
            t = min(w, 4) if v == stalled else w
            installed = round(smart * final / (1 + math.exp(-speed * (t - midpoint))))
            reports.append([week, village, installed, round(installed * accounts_per_house), installed // 9, ""])
    unit_reports: Rows = []
    units = _unit_rows(spec.units)
    for u, (name, _, staff) in enumerate(units):
        for w, week in enumerate(weeks):
            share = [0.82, 0.97, 1.0][min(w, 2)] if u % 7 else [0.7, 0.9, 0.96, 1.0][min(w, 3)]
            if u == 13 and w < 10:
                share = min(share, 0.93)  # a school that lagged for weeks
            unit_reports.append([week, name, math.floor(staff * share), ""])
    village_rows: Rows = [list(row) for row in villages]  # lists: the planted mistakes retype a few cells
    if spec.mistakes:
        _plant_mistakes(village_rows, reports, unit_reports, weeks)
    title: list[Cell] = ["ỦY BAN NHÂN DÂN XÃ SƠN GIANG"]
    field_reports = sample_field_reports(
        [str(v[0]) for v in village_rows], [u[0] for u in units], FIRST_FIELD_REPORTS, weeks[-1], spec.seed, spec.mistakes
    )
    return {
        "Thôn": _tab(
            [
                title,
                ["DANH SÁCH THÔN (DỮ LIỆU MẪU)"],
                [],
                ["STT", "Tên thôn", "Xã cũ", "Tổng số hộ", "Số hộ có điện thoại thông minh", "Trưởng thôn", "Ghi chú"],
            ],
            [[i + 1, *row] for i, row in enumerate(village_rows)],
        ),
        "Báo cáo thôn": _tab(
            [
                title,
                ["BÁO CÁO KẾT QUẢ CÀI ĐẶT ỨNG DỤNG I-HATINH THEO TUẦN (DỮ LIỆU MẪU)"],
                [],
                ["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt", "Số tài khoản đã đăng ký", "Số phản ánh đã gửi", "Ghi chú"],
            ],
            reports,
        ),
        "Đơn vị": _tab([["Tên đơn vị", "Nhóm", "Tổng số cán bộ", "Ghi chú"]], [[n, g, s, ""] for n, g, s in units]),
        "Báo cáo đơn vị": _tab([["Ngày báo cáo", "Tên đơn vị", "Số cán bộ đã cài đặt", "Ghi chú"]], unit_reports),
        "Cấu hình": [
            ["Mục", "Giá trị"],
            ["Tên xã", "Sơn Giang"],
            ["Chỉ tiêu hộ dân (%)", 70],
            ["Chỉ tiêu cán bộ (%)", 100],
            ["Ngày báo cáo trong tuần", "Thứ Năm"],
            ["Người ký", "Nguyễn Văn B"],
            ["Chức vụ người ký", "PHÓ CHỦ TỊCH"],
            ["Thời hạn xử lý (ngày làm việc)", 5],
            ["Chỉ tiêu xử lý đúng hạn (%)", 90],
        ],
        "Giai đoạn": [
            ["Giai đoạn", "Từ ngày", "Đến ngày", "Đối tượng"],
            ["Giai đoạn 1", dt.date(2026, 4, 15), dt.date(2026, 4, 20), "Cán bộ, công chức, viên chức và lực lượng nòng cốt"],
            ["Giai đoạn 2", dt.date(2026, 4, 20), dt.date(2026, 4, 30), "Người dân tại các thôn"],
            ["Duy trì", dt.date(2026, 5, 1), dt.date(2026, 12, 31), "Duy trì cài đặt, sử dụng đến hết năm 2026"],
        ],
        "Phản ánh": field_reports,
    }


def _tab(head: Rows, body: Rows) -> Rows:
    """A tab's rows: its title and header rows, then the figures."""
    return head + body


def _plant_mistakes(villages: Rows, reports: Rows, unit_reports: Rows, weeks: list[dt.date]) -> None:
    """The handful of things real village heads type, so the issues list shows what it catches."""
    by_name: dict[Cell, Rows] = {}
    for report in reports:
        by_name.setdefault(report[1], []).append(report)

    def row_of(village: int, week: int) -> list[Cell] | None:
        if village >= len(villages):
            return None
        rows = [r for r in by_name.get(villages[village][0], []) if r[0] == weeks[week % len(weeks)]]
        return rows[0] if rows else None

    def set_row(village: int, week: int, column: int, value: Cell) -> None:
        if (row := row_of(village, week)) is not None:
            row[column] = value

    n = len(villages)
    set_row(0, 2, 1, "Thôn Trung Hoà")  # old-style tone mark: understood silently
    set_row(0, 3, 1, unicodedata.normalize("NFD", str(villages[0][0])) + "\u00a0")  # NFD + NBSP: understood
    if n > 17:
        set_row(17, 5, 1, "thôn 01")  # understood as Thôn 1
        if (row := row_of(17, 6)) is not None:
            row[2] = f"{row[2]} hộ"
    set_row(1, 4, 1, "Thon Yen Tho")  # no diacritics: accepted with a warning
    set_row(2, 6, 2, "abc")  # words in a count: rejected
    us = next((w for w in range(1, len(weeks)) if weeks[w].day > 12), 0)
    set_row(4, us, 0, f"{weeks[us].month}/{weeks[us].day}/{weeks[us].year}")  # US order (4/23/2026): rejected
    set_row(5, 9, 0, weeks[9 % len(weeks)] + dt.timedelta(days=1))  # a Friday: warning
    set_row(6, 10, 2, None)  # blank count: rejected, never zero
    set_row(8, 12, 2, "12,5")  # decimal comma: rejected
    if n > 9:
        villages[9][2] = f"{villages[9][2]} hộ"  # a unit typed after the number: understood
    if (row := row_of(10, 14)) is not None:
        reports.append(list(row))  # the same row pasted twice: warning, counted once
    if (row := row_of(12, 15)) is not None and isinstance(row[2], int):
        row[2] = max(row[2] - 9, 0)  # typed lower than last week: warning
    if n > 13:
        smart = villages[13][3]
        assert isinstance(smart, int)  # the smartphone count, generated as a number
        set_row(13, len(weeks) - 1, 2, smart + 4)  # more than the smartphone count: shown above 100 %
    reports.append([weeks[5 % len(weeks)], "Thôn Mới", 12, "", "", "thôn chưa có trong danh sách"])  # unknown village
    for report in reports:
        if isinstance(report[0], dt.date) and report[0] in weeks[20:24]:
            report[0] = report[0].strftime("%d/%m/%Y")  # dates typed as text, as many do
    unit_reports.append([weeks[3 % len(weeks)], "Truong THCS Son Giang", 31, ""])  # no diacritics


def write_xlsx(spec: SampleSpec, path: str | Path) -> Path:
    """Write the sample workbook as .xlsx (openpyxl's streaming writer: fast at province scale)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, rows in build(spec).items():
        sheet = book.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            sheet.append(cells)
    # Into memory first: a write-only book whose save fails leaves its sheet writers half-closed, and they print
    # tracebacks when collected; bytes that cannot be written fail with a plain OSError instead.
    buffer = io.BytesIO()
    book.save(buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path
