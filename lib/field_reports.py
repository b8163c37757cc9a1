"""Field reports (phản ánh hiện trường): the tab's schema, the handling rules and the figures leaders watch.

Pure: rows in, plain data out. The rules, decided once here:
- Personal data: headers in PERSONAL_HEADERS are never mapped, read or copied. "Địa điểm" is where the
  problem is (it names the village, so it is read); "Địa chỉ" is the sender's exact address (dropped).
- State: a refusal status (Từ chối, Trả lại, Không thuộc thẩm quyền, Chuyển đơn vị khác…) wins over any
  date: the report counts as received, is neither resolved nor open, and stays out of the on-time figures.
  Otherwise a completion date or a done status means resolved; anything else (unknown statuses included)
  is open, so an unreadable status can never hide an overdue report.
- Deadline: the row's Hạn xử lý, else the N-th working day after the sending day. The sending day never
  counts, so a report sent on a Friday, a Saturday or a holiday all start counting on the next working day.
- As of a date: reports sent later are left out, and a completion after it counts as not yet done.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from enum import StrEnum
from functools import lru_cache

import holidays
import pandas as pd

from lib.config import Campaign
from lib.normalize import BLANK, Parsed, clean_text, header_key, name_key, report_week
from lib.schema import FIELD_REPORTS  # the tab itself is declared with the others, in lib.schema
from lib.validation.messages import phrase
from lib.vi_sort import vi_sort_key

DEFAULT_WORKING_DAYS = Campaign.report_working_days  # the `Cấu hình` default (schema.FIELD_REPORT_SETTINGS)
UNASSIGNED = "Chưa phân công"
NO_FIELD = "Khác"


def _words(value: object) -> str:
    """Header/status key with punctuation as spaces: 'Số CCCD/CMND' → 'so cccd cmnd'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header_key(value)).split())


# A header whose key is, or starts with, one of these is the sender's personal data. "Địa chỉ" (exact
# address) is here; "Địa điểm" (where the problem is, used to find the village) is not.
PERSONAL_HEADERS: tuple[str, ...] = tuple(
    _words(h)
    for h in (
        "Họ tên", "Họ và tên", "Tên người gửi", "Người gửi", "Người phản ánh", "Tên người phản ánh",
        "Số điện thoại", "Điện thoại", "SĐT", "ĐT", "Di động", "Email", "E-mail", "Thư điện tử",
        "Số CCCD", "CCCD", "Căn cước", "Số căn cước", "CMND", "Số CMND", "Số định danh",
        "Địa chỉ", "Địa chỉ cụ thể", "Địa chỉ người gửi", "Địa chỉ liên hệ", "Nơi ở", "Ngày sinh", "Giới tính",
        "Số ĐT", "ĐTDĐ", "Số ĐTDĐ", "Tên người dân", "Họ tên người dân", "Tên công dân", "Công dân",
        "Thông tin người gửi", "Thông tin người phản ánh", "Thông tin liên hệ",
    )
)  # fmt: skip


def personal_columns(header_row: Sequence[object]) -> list[int]:
    """Indexes of the header row's columns that hold the sender's personal data: never read."""
    found = []
    for i, value in enumerate(header_row):
        key = _words(value)
        if key and any(key == p or key.startswith(p + " ") for p in PERSONAL_HEADERS):
            found.append(i)
    return found


def header_map(header_row: Sequence[object]) -> dict[str, int]:
    """Field → column index for a header row: the first column per field, never a personal one."""
    personal = set(personal_columns(header_row))
    by_key = _column_keys()
    found: dict[str, int] = {}
    for i, value in enumerate(header_row):
        field = by_key.get(header_key(value)) if value is not None and value != "" else None
        if field is not None and i not in personal and field not in found:
            found[field] = i
    return found


@lru_cache(maxsize=1)
def _column_keys() -> dict[str, str]:
    """Header key → field, once (a header row 2.000 columns wide would otherwise build every column's keys per cell)."""
    return {key: c.field for c in reversed(FIELD_REPORTS.columns) for key in c.header_keys()}


def village_in_text(text: object, names: Sequence[str]) -> str | None:
    """The roster village a free-text location names ('Đường liên thôn, Thôn Trung Hòa, xã …'), or None if none or ambiguous."""
    return village_index(tuple(names)).find(text)


@lru_cache(maxsize=4)
def village_index(names: tuple[str, ...]) -> VillageIndex:
    """One index per roster: a province's 1.500 names are not re-worded for each of its 18.000 reports."""
    return VillageIndex(names)


class VillageIndex:
    """Each village's name as words, with and without 'Thôn'/'Xóm'/'Tổ', looked up by the runs of words of a text."""

    def __init__(self, names: Sequence[str]) -> None:
        self.by_words: dict[str, list[str]] = {}
        for name in names:
            full = _name_words(name)
            bare = re.sub(r"^(thôn|xóm|tổ dân phố|tổ) ", "", full)
            for probe in {full, bare} - {""}:
                if not probe.isdigit():  # "Thôn 3" is not found by a bare "3" in an address
                    self.by_words.setdefault(probe, []).append(name)
        self.longest = max((len(p.split()) for p in self.by_words), default=0)

    def find(self, text: object) -> str | None:
        """The one village named by the longest run of the text's words, or None if none or two tie."""
        words = _name_words(text).split()
        hits: dict[str, int] = {}
        for start in range(len(words)):
            for end in range(start + 1, min(start + self.longest, len(words)) + 1):
                probe = " ".join(words[start:end])
                for name in self.by_words.get(probe, ()):
                    hits[name] = max(hits.get(name, 0), len(probe))
        if not hits:
            return None
        best = max(hits.values())
        winners = [n for n, length in hits.items() if length == best]
        return winners[0] if len(winners) == 1 else None


def _name_words(value: object) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name_key(value)).split())


# --- status and rating ----------------------------------------------------------------------


class Status(StrEnum):
    """Where a report stands."""

    RESOLVED = "resolved"
    REFUSED = "refused"
    OPEN = "open"
    UNKNOWN = "unknown"


_STATUS_WORDS = {
    Status.REFUSED: ("tu choi", "da tu choi", "tra lai", "da tra lai", "khong thuoc tham quyen", "ngoai tham quyen", "khong tiep nhan",
                     "chuyen don vi khac", "da chuyen don vi khac", "chuyen co quan khac", "da chuyen co quan khac", "huy", "da huy"),
    Status.RESOLVED: ("da xu ly", "xu ly xong", "da xu ly xong", "hoan thanh", "da hoan thanh", "da giai quyet", "giai quyet xong",
                      "da tra loi", "da phan hoi", "da dong", "dong", "ket thuc", "da ket thuc", "xong"),
    Status.OPEN: ("cho", "cho tiep nhan", "cho xu ly", "cho phan cong", "moi", "tiep nhan", "da tiep nhan", "dang", "dang xu ly",
                  "dang giai quyet", "da phan cong", "da chuyen xu ly", "chua", "chua xu ly", "qua han", "dang qua han"),
}  # fmt: skip
_STATUS = {words: status for status, all_words in _STATUS_WORDS.items() for words in all_words}


def classify_status(text: object, completed: dt.date | None = None) -> Status:
    """What a status means (case, diacritics and spacing ignored); a completion date makes a non-refused report resolved."""
    found = _status_of(text if isinstance(text, str) else "")
    if found is not Status.REFUSED and completed is not None:
        return Status.RESOLVED
    return found


@lru_cache(maxsize=4096)
def _status_of(text: str) -> Status:
    """What a status text means, once per distinct text (an export of 50.000 rows repeats a dozen statuses)."""
    words = _words(text).split()
    for n in range(len(words), 0, -1):  # the longest known beginning: 'Đã xử lý quá hạn' is done, late
        if (status := _STATUS.get(" ".join(words[:n]))) is not None:
            return status
    return Status.UNKNOWN


_SATISFIED = frozenset({"hai long", "rat hai long", "hoan toan hai long", "tot", "rat tot"})
_UNSATISFIED = frozenset({"khong hai long", "chua hai long", "rat khong hai long", "binh thuong", "tam duoc", "tam hai long", "kem"})
_UNRATED = frozenset({"chua danh gia", "khong danh gia", "chua co danh gia"})
_STARS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+)|sao|diem)?$")


def parse_rating(value: object) -> Parsed:
    """A resident's rating as satisfied (True: hài lòng, ≥ 4 of 5 stars) or not (False); blank when unrated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return BLANK
    if isinstance(value, bool):
        return Parsed(code="bad_rating", reason=phrase("rating.true_false"))
    text = clean_text(value)
    stars = text.count("★") + text.count("⭐")
    key = _words(text)
    if stars and not key:
        number, scale = float(stars), 5.0
    elif isinstance(value, (int, float)):
        number, scale = float(value), 5.0
    elif not key or key in _UNRATED:
        return BLANK
    elif key in _SATISFIED or key in _UNSATISFIED:
        return Parsed(value=key in _SATISFIED)
    elif m := _STARS.match(header_key(text)):
        number, scale = float(m.group(1).replace(",", ".")), float(m.group(2) or 5)
    else:
        return Parsed(code="bad_rating", reason=phrase("rating.unknown", text=text if len(text) <= 80 else text[:79] + "…"))
    if math.isnan(number) or scale <= 0 or not 1 <= number * 5 / scale <= 5:
        return Parsed(code="bad_rating", reason=phrase("rating.stars_out_of_range", text=text if len(text) <= 80 else text[:79] + "…"))
    return Parsed(value=number * 5 / scale >= 4 - 1e-9)


def satisfied(value: object) -> bool | None:
    """True when the resident was satisfied, False when not, None when unrated or unreadable."""
    parsed = parse_rating(value).value
    return parsed if isinstance(parsed, bool) else None


# --- working days and deadlines -------------------------------------------------------------


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday except Vietnam's public holidays and substitute days off, plus the Saturdays swapped in as workdays."""
    return bool(_calendar(day.year).is_working_day(day))


def public_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's days off in a year with their Vietnamese names (observed and substitute days included)."""
    return dict(sorted(holidays.country_holidays("VN", years=year, language="vi").items()))


@lru_cache(maxsize=4096)  # 50.000 reports share a few hundred sending days
def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (which never counts itself): the deadline of a report sent on `start`."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    return day


def deadline(sent: dt.date, due: dt.date | None, working_days: int = DEFAULT_WORKING_DAYS) -> dt.date:
    """The row's own deadline when given, else the sending day plus `working_days` working days."""
    return due if due is not None else add_working_days(sent, working_days)


def week_ending(day: dt.date, weekday: int) -> dt.date:
    """The report day (e.g. Thursday) on or after `day`: a report sent Friday..Thursday is that Thursday's week."""
    # lib.normalize.report_week snaps to the *nearest* report day (±3 days); three days later, that is the next one.
    return report_week(day + dt.timedelta(days=3), weekday)


# --- figures ---------------------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def annotate(frame: pd.DataFrame, as_of: dt.date, working_days: int = DEFAULT_WORKING_DAYS) -> pd.DataFrame:
    """The reports sent by `as_of`, each with its day, deadline, state, on-time and overdue flags, days taken and satisfaction."""
    out = frame.copy()
    out["day"] = [_date(v) for v in out["sent"]]
    out = out[pd.Series([d is not None and d <= as_of for d in out["day"]], index=out.index, dtype=bool)].copy()
    done = [_date(v) for v in out["completed"]]
    later = [d is not None and d > as_of for d in done]  # completed after the as-of date: still open then
    out["completed"] = [None if late else d for d, late in zip(done, later, strict=True)]
    out["deadline"] = [deadline(d, _date(due), working_days) for d, due in zip(out["day"], out["due"], strict=True)]
    states = [classify_status(s, c) for s, c in zip(out["status"], out["completed"], strict=True)]
    out["state"] = [
        str(Status.OPEN if st is Status.UNKNOWN or (late and st is Status.RESOLVED) else st) for st, late in zip(states, later, strict=True)
    ]
    resolved, open_ = out["state"] == Status.RESOLVED, out["state"] == Status.OPEN
    in_time = [c is not None and c <= d for c, d in zip(out["completed"], out["deadline"], strict=True)]
    out["on_time"] = resolved & pd.Series(in_time, index=out.index, dtype=bool)
    out["days_overdue"] = [(as_of - d).days if o and d < as_of else 0 for o, d in zip(open_, out["deadline"], strict=True)]
    out["overdue"] = out["days_overdue"] > 0
    taken = [(c - d).days if r and c is not None else None for r, c, d in zip(resolved, out["completed"], out["day"], strict=True)]
    out["days_taken"] = pd.Series(taken, index=out.index, dtype="Int64")
    out["satisfied"] = [satisfied(v) for v in out["rating"]]
    for column, blank in (("unit", UNASSIGNED), ("field", NO_FIELD)):
        out[column] = _spelled_alike(out[column], blank)
    return out.reset_index(drop=True)


def _spelled_alike(values: pd.Series, blank: str) -> list[str]:
    """Names as first spelled, so 'UBND Xã' and 'UBND xã' are one unit; blank cells get `blank`."""
    first: dict[str, str] = {}
    names = [clean_text(v) if isinstance(v, str) else "" for v in values]
    return [first.setdefault(name_key(n), n) if n else blank for n in names]


def _counts(rows: pd.DataFrame) -> dict[str, object]:
    resolved, on_time = int((rows["state"] == Status.RESOLVED).sum()), int(rows["on_time"].sum())
    return {"received": len(rows), "resolved": resolved, "resolved_on_time": on_time, "on_time_rate": _rate(on_time, resolved)}


def handling_summary(
    frame: pd.DataFrame, as_of: dt.date, households: Mapping[str, int], working_days: int = DEFAULT_WORKING_DAYS
) -> dict[str, object]:
    """The `field_reports` figures of `check --json`: commune totals, each unit, and reports per 100 households per village."""
    rows = annotate(frame, as_of, working_days)
    rated = [s for s in rows["satisfied"] if s is not None]
    units = []
    for name, mine in sorted(rows.groupby("unit"), key=lambda g: (g[0] == UNASSIGNED, vi_sort_key(g[0]))):
        taken = [int(d) for d in mine["days_taken"].dropna()]
        median = float(statistics.median(taken)) if taken else None
        units.append({"name": name, **_counts(mine), "overdue_open": int(mine["overdue"].sum()), "median_days": median})
    received = {name_key(n): 0 for n in households}
    shown = {name_key(n): n for n in households}
    for v in rows["village"]:
        if isinstance(v, str) and clean_text(v):
            received[name_key(v)] = received.get(name_key(v), 0) + 1
            shown.setdefault(name_key(v), clean_text(v))
    sizes = {name_key(n): size for n, size in households.items()}
    villages = [{"name": shown[k], "received": n, "per_100_households": _rate(100 * n, sizes.get(k, 0))} for k, n in received.items()]
    return {
        **_counts(rows),
        "open": int((rows["state"] == Status.OPEN).sum()),
        "overdue_open": int(rows["overdue"].sum()),
        "satisfied_rate": _rate(sum(rated), len(rated)),
        "units": units,
        "villages": villages,
    }


def weekly(
    frame: pd.DataFrame, as_of: dt.date, weekday: int = Campaign.report_weekday, working_days: int = DEFAULT_WORKING_DAYS
) -> pd.DataFrame:
    """Per report week (Friday..Thursday when the report day is Thursday): received, resolved and resolved on time in it."""
    rows = annotate(frame, as_of, working_days)
    done = rows[(rows["state"] == Status.RESOLVED) & rows["completed"].notna()]
    sent_weeks = [week_ending(d, weekday) for d in rows["day"]]
    done_weeks = [week_ending(d, weekday) for d in done["completed"]]
    if not sent_weeks:
        return pd.DataFrame(columns=["week", "received", "resolved", "resolved_on_time"])
    first, last = min(sent_weeks + done_weeks), max(sent_weeks + done_weeks)
    grid = [first + dt.timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    return pd.DataFrame(
        {
            "week": grid,
            "received": [sent_weeks.count(w) for w in grid],
            "resolved": [done_weeks.count(w) for w in grid],
            "resolved_on_time": [sum(w == x and t for x, t in zip(done_weeks, done["on_time"], strict=True)) for w in grid],
        }
    )


def overdue_list(frame: pd.DataFrame, as_of: dt.date, working_days: int = DEFAULT_WORKING_DAYS) -> list[dict[str, object]]:
    """Open reports past their deadline, worst first: id, field, unit, village, deadline, days overdue (no personal data)."""
    rows = annotate(frame, as_of, working_days)
    late = rows[rows["overdue"]].sort_values(["days_overdue", "id"], ascending=[False, True])
    keep = ["id", "field", "unit", "village", "deadline", "days_overdue"]
    return [{str(k): (int(v) if k == "days_overdue" else v) for k, v in r.items()} for r in late[keep].to_dict("records")]


def by_field(frame: pd.DataFrame, as_of: dt.date, working_days: int = DEFAULT_WORKING_DAYS) -> list[dict[str, object]]:
    """Per field (Giao thông, Môi trường…): received, resolved, on time, open and overdue, most received first."""
    rows = annotate(frame, as_of, working_days)
    groups = sorted(
        rows.groupby("field", sort=False), key=lambda group: (-len(group[1]), vi_sort_key(str(group[0])))
    )  # most received first
    return [
        {"field": name, **_counts(mine), "open": int((mine["state"] == Status.OPEN).sum()), "overdue_open": int(mine["overdue"].sum())}
        for name, mine in groups
    ]
