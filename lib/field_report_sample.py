"""A realistic `Phản ánh` tab, shaped like the platform's Excel export, for the sample workbook.

SAMPLE DATA: every report, name and phone number is invented. The export's shape is real: a title
block above the header, an STT column, date-times as text, the sender's name, phone and address
(which the reader must drop), free-text locations naming the village, a few reports overdue and
some refused or outside the commune's remit.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

from lib.field_reports import DEFAULT_WORKING_DAYS, add_working_days, is_working_day
from lib.normalize import ascii_key
from lib.workbook import Cell, Rows

HEADER = [
    "STT",
    "Mã PA",
    "Thời gian gửi",
    "Họ tên người gửi",
    "Số điện thoại",
    "Lĩnh vực",
    "Nội dung",
    "Địa điểm",
    "Địa chỉ",
    "Đơn vị xử lý",
    "Hạn xử lý",
    "Thời gian xử lý xong",
    "Trạng thái",
    "Đánh giá",
]
# field: (weight, working days the platform allows, the unit it usually goes to, what people write)
FIELDS = {
    "Giao thông": (24, 5, "ubnd", ("Đường bị sạt lở", "Ổ gà trên đường liên thôn", "Cây đổ chắn đường")),
    "Môi trường": (20, 5, "ubnd", ("Rác thải đổ bừa bãi", "Mương thoát nước bị tắc", "Đốt rơm rạ gây khói")),
    "Đất đai": (9, 10, "ubnd", ("Lấn chiếm đất công", "Tranh chấp ranh giới đất")),
    "Xây dựng – đô thị": (6, 10, "ubnd", ("Xây dựng không phép", "Đèn đường bị hỏng")),
    "An ninh trật tự": (11, 5, "cong an", ("Tụ tập gây mất trật tự", "Đua xe ban đêm")),
    "Điện": (10, 5, "ubnd", ("Cột điện nghiêng", "Mất điện kéo dài")),
    "Nước sạch": (8, 5, "dich vu", ("Nước sinh hoạt bị đục", "Vỡ đường ống nước")),
    "Y tế": (4, 5, "y te", ("Sốt xuất huyết trong xóm", "Trạm y tế đóng cửa giờ hành chính")),
    "Giáo dục": (3, 5, "truong", ("Cổng trường xuống cấp",)),
    "Khác": (5, 5, "ubnd", ("Chó thả rông", "Loa truyền thanh không nghe rõ")),
}
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phan", "Hoàng", "Võ", "Đặng", "Bùi", "Hồ", "Đinh")
_MIDDLE = ("Văn", "Thị", "Đình", "Hữu", "Thị Thu", "Quang", "Xuân")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Tâm", "Thủy")
_PLACES = ("Đường liên thôn", "Gần nhà văn hóa", "Cạnh cầu", "Khu vực chợ", "Ngõ", "Đồng ruộng")


def sample_field_reports(
    villages: Sequence[str], units: Sequence[str], start: dt.date, end: dt.date, seed: int, mistakes: bool = True
) -> Rows:
    """Rows of a `Phản ánh` tab (title block, header, reports sent from `start` to `end`), the same for the same seed."""
    rng = random.Random(seed)
    names, weights = list(FIELDS), [w for w, *_ in FIELDS.values()]
    rows: Rows = []
    days = (end - start).days + 1
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        # use grows as installs do: from a trickle to a few reports a day for a commune of ~24 villages
        expected = len(villages) / 24 * (0.3 + 2.2 * offset / max(days - 1, 1)) * (1.0 if is_working_day(day) else 0.6)
        for _ in range(_poisson(rng, expected)):
            sent = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.randint(0, 59)))
            field = rng.choices(names, weights)[0]
            rows.append(_report(rng, len(rows) + 1, sent, field, villages, units, end))
    if mistakes and len(rows) > 20:
        rows.append([len(rows) + 1, *rows[len(rows) // 2][1:]])  # two exports pasted with an overlap: one report twice
        rows[len(rows) // 3][12] = "Tạm dừng"  # a status typed by hand that the platform never uses
    title: Rows = [
        ["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"],
        ["DANH SÁCH PHẢN ÁNH HIỆN TRƯỜNG (DỮ LIỆU MẪU)"],
        [f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"],
        [],
    ]
    header: list[Cell] = [*HEADER]
    return [*title, header, *rows]


def _report(
    rng: random.Random, number: int, sent: dt.datetime, field: str, villages: Sequence[str], units: Sequence[str], end: dt.date
) -> list[Cell]:
    _, allowed, unit_word, topics = FIELDS[field]
    village = rng.choice(villages)
    unit = _unit_for(rng, unit_word, units)
    due = add_working_days(sent.date(), allowed if field in ("Đất đai", "Xây dựng – đô thị") else DEFAULT_WORKING_DAYS)
    completed: dt.datetime | None = None
    refuse = rng.random() < (0.35 if field == "Điện" else 0.05)  # the power company's poles are not the commune's remit
    if refuse:
        status = rng.choice(("Không thuộc thẩm quyền", "Từ chối", "Trả lại"))
    else:
        late = rng.random() < 0.15
        taken = rng.randint(1, allowed) if not late else allowed + rng.randint(1, 8)
        if rng.random() < 0.04:
            taken = 60  # one that nobody picked up: overdue for weeks
        finished = add_working_days(sent.date(), taken)
        if finished <= end:
            completed = dt.datetime.combine(finished, dt.time(rng.randint(7, 17), rng.randint(0, 59)))
            status = rng.choice(("Hoàn thành", "Đã xử lý"))
        elif sent.date() >= end - dt.timedelta(days=1):
            status, unit = "Chờ tiếp nhận", ""
        else:
            status = "Quá hạn" if due < end else rng.choice(("Đã tiếp nhận", "Đang xử lý"))
    rating: Cell = ""
    if completed is not None and rng.random() < 0.55:
        rating = rng.choice(("Hài lòng", "Hài lòng", "Rất hài lòng", "Không hài lòng", "5 sao", "4/5", "2/5", 3))
    person = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    phone = f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    return [
        number,
        f"PA{sent:%y%m}{number:05d}",
        f"{sent:%d/%m/%Y %H:%M}",
        person,
        phone,
        field,
        rng.choice(topics),
        f"{rng.choice(_PLACES)}, {village}, xã Sơn Giang",
        f"Số {rng.randint(1, 120)}, {rng.choice(villages)}",
        unit,
        f"{due:%d/%m/%Y}" if rng.random() < 0.9 else "",  # hand-kept lists often leave the deadline blank
        f"{completed:%d/%m/%Y %H:%M}" if completed else "",
        status,
        rating,
    ]


def _unit_for(rng: random.Random, word: str, units: Sequence[str]) -> str:
    """A unit whose name contains `word` (công an, y tế, trường…), else the People's Committee, else any unit."""
    for probe in (word, "ubnd"):
        found = [u for u in units if probe in ascii_key(u)]
        if found:
            return rng.choice(found)
    return rng.choice(units) if units else ""


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth), enough for a handful of reports a day."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
