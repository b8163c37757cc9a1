"""What the snapshot history says about the figures: when each report was first seen, and past figures rewritten.

Pure: the snapshot store (`lib.snapshots`) reads these facts; this module only judges them, so the dashboard,
the report and the command line judge timeliness and history changes the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib import schema
from lib.config import TIMEZONE
from lib.validation.messages import MESSAGES
from lib.validation.model import Dataset


@dataclass(frozen=True)
class History:
    """What the snapshot store knows: first-seen times, rewritten or removed figures."""

    first_seen: pd.DataFrame
    changes: pd.DataFrame
    versions: int
    start: dt.datetime | None


def deadline(week: dt.date, at: dt.time = dt.time(23, 59)) -> dt.datetime:
    """The moment a week's report is due: the report day at the deadline time, Hà Tĩnh time."""
    return dt.datetime.combine(week, at, tzinfo=TIMEZONE)


TIMELINESS_LABEL = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "carried": "Thiếu (dùng số tuần trước)",
    "missing": "Thiếu",
    "pending": "Chưa đến hạn",
}


def timeliness(vw: pd.DataFrame, reports: pd.DataFrame, history: History | None, now: dt.datetime, entity: str = "village") -> pd.DataFrame:
    """key, week, status (on_time / late / carried / missing / pending) and how it was judged."""
    if vw.empty:
        return pd.DataFrame(columns=["key", "name", "week", "status", "first_seen", "basis"])
    # Only the rows of the villages asked about: one village of a province is 33 rows of 82.000.
    keys = vw["key"].unique()
    seen: dict[tuple[str, dt.date], dt.datetime] = {}
    start = None
    if history is not None and not history.first_seen.empty:
        first_seen = history.first_seen
        rows = first_seen[(first_seen["entity"] == entity) & first_seen["key"].isin(keys)]
        seen = {(k, w): t for k, w, t in zip(rows["key"], rows["week"], rows["first_seen"], strict=True)}
        start = history.start
    reports = reports[reports["key"].isin(keys)]
    # A week entered again (a correction, the lowest row used) is as timely as its first row: judge by that row's date.
    dates = reports["first_date"] if "first_date" in reports else reports["date"]
    typed = {(k, w): d for k, w, d in zip(reports["key"], reports["week"], dates, strict=True)}
    statuses, firsts, bases = [], [], []
    for key, week, reported, ever in zip(vw["key"], vw["week"], vw["reported"], vw["ever_reported"], strict=True):
        due = deadline(week)
        first = seen.get((key, week))
        if reported and first is not None and start is not None and start <= due:
            statuses.append("on_time" if first <= due else "late")
            bases.append("lần đầu thấy trên Sheet")
        elif reported:
            statuses.append("on_time" if typed.get((key, week), week) <= week else "late")
            bases.append("theo ngày ghi trên Sheet")
        elif now <= due:
            statuses.append("pending")
            bases.append("")
        else:
            statuses.append("carried" if ever else "missing")
            bases.append("")
        firsts.append(first)
    return pd.DataFrame(
        {"key": vw["key"], "name": vw["name"], "week": vw["week"], "status": statuses, "first_seen": firsts, "basis": bases}
    )


def history_issues(history: History | None, ds: Dataset) -> pd.DataFrame:
    """A `history_changed` warning for each past figure rewritten or removed after its week's deadline."""
    columns = ["sheet", "row", "column", "cell", "severity", "code", "message", "value", "subject"]
    if history is None or history.changes.empty:
        return pd.DataFrame(columns=columns)
    records = []
    tabs = {
        "village": ds.tab_titles.get(schema.VILLAGE_REPORTS.name, schema.VILLAGE_REPORTS.name),
        "unit": ds.tab_titles.get(schema.UNIT_REPORTS.name, schema.UNIT_REPORTS.name),
    }
    changes = history.changes
    for entity, name, week, old, new, noticed_at, kind in zip(
        *(changes[column] for column in ("entity", "name", "week", "old", "new", "noticed_at", "kind")), strict=True
    ):
        if noticed_at <= deadline(week):
            continue  # corrected before the deadline: normal editing, not history
        when = noticed_at.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")
        label = "thôn" if entity == "village" else "đơn vị"
        key = "history_changed:removed" if kind == "removed" else "history_changed"
        text = MESSAGES[key].render(week=week, label=label, name=name, old=old, new=new, when=when)
        records.append((tabs[entity], None, "", "", "warning", "history_changed", text, str(old), name))
    return pd.DataFrame(records, columns=columns)


def all_issues(ds: Dataset, history: History | None) -> pd.DataFrame:
    """Cell issues of the workbook plus the history changes the snapshot store noticed: what every page and command lists."""
    extra = history_issues(history, ds)
    return pd.concat([ds.issues, extra], ignore_index=True) if len(extra) else ds.issues
