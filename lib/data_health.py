"""What is off in the figures the overview shows: rows refused, stale or flat villages, rates above 100 %, no denominator.

Pure: the overview lists what is found here in one line, each item a link to *Chất lượng dữ liệu* filtered
to it (`?loc=<code>`), and that screen lists the villages or rows behind it. Nothing found, nothing said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib import metrics
from lib.dashboard import Dashboard
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.status import OVER_VILLAGE
from lib.vi_sort import by_name

STALL_WEEKS = 4  # a village whose installed count has not grown for this many report weeks is worth a look
REJECTED, CARRIED, FLAT, OVER, NO_DENOMINATOR = "loai", "so-cu", "khong-tang", "vuot-100", "thieu-so-ho"
CODES = (REJECTED, CARRIED, FLAT, OVER, NO_DENOMINATOR)  # the values of ?loc=, in the order the overview says them
VILLAGE_COLUMNS = ["name", "figure", "why"]
ROW_COLUMNS = ["sheet", "row", "subject", "why"]


@dataclass(frozen=True)
class HealthItem:
    """One kind of trouble: its `?loc=` code, how many, the overview's words, the list's heading, and the list."""

    code: str
    count: int
    text: str  # on the overview: "3 dòng bị loại"
    heading: str  # above the list on the quality screen
    rows: pd.DataFrame  # villages (VILLAGE_COLUMNS) or rejected rows (ROW_COLUMNS)


def _smartphones(frame: pd.DataFrame) -> pd.Series:
    """Smartphone households as floats, NaN where unknown (a bad roster cell may leave it empty)."""
    return pd.to_numeric(frame["smartphone_households"], errors="coerce").astype("float64")


def _figure(row: pd.Series) -> str:
    """'57,9 % (80/138 hộ)', or the installs alone when there is no denominator."""
    smart = pd.to_numeric(pd.Series([row.get("smartphone_households")]), errors="coerce").iloc[0]
    installed = row.get("installed")
    if pd.isna(smart) or smart == 0:
        return f"{fmt_int(None if pd.isna(installed) else installed)} hộ đã cài"
    rate = row.get("rate")
    return f"{fmt_pct(None if pd.isna(rate) else float(rate))} ({fmt_int(installed)}/{fmt_int(smart)} hộ)"


def _villages(rows: pd.DataFrame, why: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"name": rows["name"].astype(str), "figure": [_figure(r) for _, r in rows.iterrows()], "why": why})
    return frame.sort_values("name", key=by_name, kind="stable").reset_index(drop=True)


def rejected_rows(board: Dashboard) -> HealthItem:
    """Rows the reader refused (the same count as the quality screen's rows table), each with its errors."""
    count = sum(int(n.get("rejected", 0)) for n in board.ds.rows.values())
    issues = board.ds.issues
    errors = issues[(issues["severity"] == "error") & issues["row"].notna()] if len(issues) else issues
    listed = []
    for (sheet, row), found in errors.groupby(["sheet", "row"], sort=False) if len(errors) else []:
        subject = next((str(s) for s in found.get("subject", pd.Series(dtype=object)) if isinstance(s, str) and s), "")
        why = " ".join(dict.fromkeys(found["message"].astype(str)))
        listed.append({"sheet": sheet, "row": int(row), "subject": subject, "why": why})  # type: ignore[call-overload]
    frame = pd.DataFrame(listed, columns=ROW_COLUMNS).sort_values(["sheet", "row"], kind="stable").reset_index(drop=True)
    return HealthItem(REJECTED, count, f"{fmt_int(count)} dòng bị loại", "Các dòng bị loại (chưa được tính)", frame)


def carried(board: Dashboard, week: dt.date | None) -> HealthItem:
    """Villages with no report for the week whose figure is carried from an earlier report."""
    now = metrics.at_week(board.village_weeks, week)
    rows = now[now["carried"].astype(bool)] if len(now) else now
    why = [f"Chưa báo cáo tuần {fmt_date(week)}; dùng số của báo cáo {_date(d)}" for d in rows.get("last_report", [])]
    return HealthItem(
        CARRIED,
        len(rows),
        f"{len(rows)} thôn dùng số tuần trước",
        f"Thôn chưa báo cáo tuần {fmt_date(week)}, đang dùng số của tuần trước",
        _villages(rows, why),
    )


def _date(day: object) -> str:
    return fmt_date(day) if isinstance(day, dt.date) else "trước"


def flat(board: Dashboard, week: dt.date | None, weeks: int = STALL_WEEKS) -> HealthItem:
    """Villages short of the target whose installed count has not grown for `weeks` report weeks or more.

    A village at or above the target is left out: after the peak the figures level off everywhere, and a line
    naming every village would never be silent on a healthy sheet.
    """
    vw, target = board.village_weeks, board.ds.campaign.household_target
    past = vw[(vw["week"] <= week) & vw["ever_reported"].astype(bool)] if week is not None and len(vw) else vw.iloc[0:0]
    listed, why = [], []
    now = metrics.at_week(vw, week)
    for _, row in now.iterrows():
        mine = past[past["key"] == row["key"]]
        if mine.empty or not (row["rate"] == row["rate"] and row["rate"] < target):  # no rate, or the target is met
            continue
        grew = mine.loc[mine["change"] > 0, "week"]
        since = max(grew) if len(grew) else min(mine["week"])
        stalled = (week - since).days // 7
        if stalled >= weeks:
            listed.append(row)
            why.append(f"Không tăng {stalled} tuần liền (từ tuần {fmt_date(since)})")
    rows = pd.DataFrame(listed, columns=now.columns)
    return HealthItem(
        FLAT,
        len(rows),
        f"{len(rows)} thôn chưa đạt, {weeks}+ tuần không tăng",
        f"Thôn chưa đạt chỉ tiêu có số hộ đã cài không tăng từ {weeks} tuần trở lên",
        _villages(rows, why),
    )


def over(board: Dashboard, week: dt.date | None) -> HealthItem:
    """Villages whose installs exceed their smartphone households: the denominator is out of date."""
    now = metrics.at_week(board.village_weeks, week)
    rate = pd.to_numeric(now["rate"], errors="coerce") if len(now) else pd.Series(dtype="float64")
    rows = now[rate > 1 + 1e-9] if len(now) else now
    why = ["Số hộ đã cài lớn hơn số hộ có ĐTTM: cập nhật số hộ có ĐTTM ở tab Thôn"] * len(rows)
    return HealthItem(OVER, len(rows), f"{len(rows)} thôn {OVER_VILLAGE}", f"Thôn {OVER_VILLAGE}", _villages(rows, why))


def no_denominator(board: Dashboard, week: dt.date | None) -> HealthItem:
    """Villages whose smartphone households are unknown or 0: no rate, left out of the commune rate."""
    villages = board.ds.villages
    smart = _smartphones(villages) if len(villages) else pd.Series(dtype="float64")
    missing = villages[smart.isna() | (smart == 0)] if len(villages) else villages
    now = metrics.at_week(board.village_weeks, week)
    installed = dict(zip(now["key"], now["installed"], strict=True)) if len(now) else {}
    rows = missing.assign(
        installed=pd.Series([installed.get(k) for k in missing["key"]], index=missing.index, dtype="float64"), rate=float("nan")
    )
    why = ["Số hộ có ĐTTM là 0: không tính tỷ lệ" if s == 0 else "Chưa có số hộ có ĐTTM hợp lệ ở tab Thôn" for s in smart[missing.index]]
    return HealthItem(
        NO_DENOMINATOR,
        len(rows),
        f"{len(rows)} thôn chưa có số hộ có ĐTTM",
        "Thôn chưa có số hộ có ĐTTM (không tính tỷ lệ)",
        _villages(rows, why),
    )


def item(board: Dashboard, code: str) -> HealthItem | None:
    """The item a `?loc=` code names (listed even when empty), or None for an unknown code."""
    week = board.summary.as_of
    build = {
        REJECTED: lambda: rejected_rows(board),
        CARRIED: lambda: carried(board, week),
        FLAT: lambda: flat(board, week),
        OVER: lambda: over(board, week),
        NO_DENOMINATOR: lambda: no_denominator(board, week),
    }.get(code)
    return build() if build else None


def health(board: Dashboard) -> list[HealthItem]:
    """Everything that is off, in the overview's order; an empty list when all is well."""
    found = (item(board, code) for code in CODES)
    return [i for i in found if i is not None and i.count]
