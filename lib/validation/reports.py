"""Weekly report rules: a known village or unit, a plausible date, figures within the roster's, one report a week, never decreasing.

Run on the `Báo cáo thôn` and `Báo cáo đơn vị` tabs after their rosters have been checked. A correction is a
new row: of several valid rows of one village (or unit) for one week, the lowest in the sheet is used.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import cast

import pandas as pd

from lib import schema
from lib.config import Campaign
from lib.fmt import fmt_int
from lib.normalize import WEEKDAYS_VI, report_week, upcoming_report_day
from lib.validation.messages import phrase
from lib.validation.rosters import Roster
from lib.validation.rows import Issues, Row, TabRead

_FIGURES = ("installed", "accounts", "reports_sent")
ROWS_LISTED = 5


def check_reports(
    read: TabRead | None, roster_read: TabRead | None, entity: str, campaign: Campaign, today: dt.date, issues: Issues
) -> TabRead | None:
    """Check every report row against the roster and the calendar, then across rows (duplicates, cumulative figures)."""
    if read is None:
        return None
    roster = Roster(roster_read)
    label = read.tab.label
    roster_tab = roster_read.title if roster_read else (schema.VILLAGES if entity == "village" else schema.UNITS).name
    unknown = "unknown_village" if entity == "village" else "unknown_unit"
    for row in read.rows:
        _check_report_date(read, row, campaign, today, issues)
        name = row.values.get(entity)
        if not name:
            continue
        found, approximate, suggestion = roster.find(str(name))
        if found is None:
            key = f"{unknown}:suggestion" if suggestion else unknown
            issues.add(key, at=read.at(row, entity), value=name, label=label, name=name, roster=roster_tab, suggestion=suggestion)
            continue
        display = str(found.values["name"])
        if found.rejected:
            issues.add(
                f"{unknown}:roster_row_rejected",
                at=read.at(row, entity),
                value=name,
                label=label,
                name=display,
                roster=roster_tab,
                roster_row=found.number,
            )
            continue
        if approximate:
            issues.add("approximate_name", at=read.at(row, entity), value=name, typed=name, name=display)
        row.values["key"] = found.values["key"]
        row.values["display"] = display
        _check_bounds(read, row, found, entity, issues)
    _check_duplicates(read, entity, issues)
    _check_cumulative(read, entity, issues)
    return read


def _check_report_date(read: TabRead, row: Row, campaign: Campaign, today: dt.date, issues: Issues) -> None:
    day = row.values.get("date")
    if not isinstance(day, dt.date):
        return
    earliest = campaign.phases[0].start - dt.timedelta(days=365)
    if day < earliest:
        issues.add("early_date", at=read.at(row, "date"), value=row.typed("date"), day=day, campaign_start=campaign.phases[0].start)
        return
    # The report day of the week still open today (at most 6 days ahead) is not "in the future": the report form
    # writes that day, and so may a person; any other later date (a typo of month or year) still is.
    if day > today and day != upcoming_report_day(today, campaign.report_weekday):
        issues.add("future_date", at=read.at(row, "date"), value=row.typed("date"), day=day, today=today)
        return
    row.values["week"] = report_week(day, campaign.report_weekday)
    if day.weekday() != campaign.report_weekday:
        weekday = WEEKDAYS_VI[campaign.report_weekday]
        issues.add(
            "not_report_day",
            at=read.at(row, "date"),
            value=row.typed("date"),
            day=day,
            day_weekday=WEEKDAYS_VI[day.weekday()],
            weekday=weekday,
            week=row.values["week"],
        )


def _check_bounds(read: TabRead, row: Row, found: Row, entity: str, issues: Issues) -> None:
    """Installed within the roster's figures; a roster figure left empty (it had an error) checks nothing."""
    installed = row.values.get("installed")
    if not isinstance(installed, int):
        return
    if entity == "unit":
        staff = found.values.get("staff")
        if isinstance(staff, int) and installed > staff:
            issues.add("exceeds_staff", at=read.at(row, "installed"), value=installed, installed=fmt_int(installed), staff=fmt_int(staff))
        return
    total, smart = found.values.get("households"), found.values.get("smartphone_households")
    if isinstance(total, int) and installed > total:
        issues.add(
            "exceeds_households", at=read.at(row, "installed"), value=installed, installed=fmt_int(installed), households=fmt_int(total)
        )
    elif isinstance(smart, int) and installed > smart:
        issues.add(
            "exceeds_smartphone_households",
            at=read.at(row, "installed"),
            value=installed,
            installed=fmt_int(installed),
            smartphone_households=fmt_int(smart),
        )


def _check_duplicates(read: TabRead, entity: str, issues: Issues) -> None:
    """The lowest valid row of a village's week is used; each earlier one is a warning naming it, and is left out."""
    # Sorted runs instead of a dict of lists: at province scale the dict would hold 80.000 lists.
    ordered = sorted(
        (r for r in read.rows if not r.rejected and r.values.get("key") and r.values.get("week")),
        key=lambda r: (r.values["key"], r.values["week"], r.number),
    )
    for (_, week), run in itertools.groupby(ordered, key=lambda r: (r.values["key"], r.values["week"])):
        rows = list(run)
        if len(rows) < 2:
            continue
        used = rows[-1]
        used.values["first_date"] = rows[0].values["date"]  # on time if the first of the rows was
        name = used.values["display"]
        figures = tuple(used.values.get(f) for f in _FIGURES)
        for earlier in rows[:-1]:
            earlier.duplicate = True
            same = tuple(earlier.values.get(f) for f in _FIGURES) == figures
            issues.add(
                "duplicate_report:identical" if same else "duplicate_report",
                at=read.at(earlier, entity),
                value=earlier.typed("installed"),
                name=name,
                week=week,
                replaced_by=used.number,
            )


def row_numbers(numbers: list[int], limit: int = ROWS_LISTED) -> str:
    """'2, 3, 4, 5, 6 và 19.995 dòng khác': each of N duplicates names the others, so the list must stay short."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    rest = len(numbers) - limit
    return phrase("rows.more", shown=shown, rest=fmt_int(rest)) if rest > 0 else shown


def _check_cumulative(read: TabRead, entity: str, issues: Issues) -> None:
    label = read.tab.label
    ordered = sorted(
        (r for r in read.rows if not r.rejected and not r.duplicate and r.values.get("week")),
        key=lambda r: (r.values["key"], r.values["week"], r.number),
    )
    previous: Row | None = None
    for row in ordered:
        if previous is not None and previous.values["key"] == row.values["key"]:
            for f in _FIGURES:
                before, now = previous.values.get(f), row.values.get(f)
                if isinstance(before, int) and isinstance(now, int) and now < before:
                    issues.add(
                        "cumulative_decrease",
                        at=read.at(row, f),
                        value=now,
                        label=label,
                        name=row.values["display"],
                        before=fmt_int(before),
                        week_before=previous.values["week"],
                        now=fmt_int(now),
                        week=row.values["week"],
                    )
        previous = row


def report_frame(read: TabRead | None, entity: str) -> pd.DataFrame:
    """The accepted reports of a tab as a clean table, one row per village (or unit) and week."""
    kept = [r for r in (read.rows if read else []) if not r.rejected and not r.duplicate]
    # Column by column, not a dict per row: at province scale the dicts alone would cost ~20 MB.
    frame = pd.DataFrame(
        {
            "key": [r.values["key"] for r in kept],
            entity: [r.values["display"] for r in kept],
            "date": [r.values["date"] for r in kept],
            "first_date": [r.values.get("first_date", r.values["date"]) for r in kept],
            "week": [r.values["week"] for r in kept],
            "installed": pd.array([r.values["installed"] for r in kept], dtype="int64"),
            # cast: the checker sees dict[str, object]; a count column's clean values are int or None.
            "accounts": pd.array(cast("list[int | None]", [r.values.get("accounts") for r in kept]), dtype="Int64"),
            "reports_sent": pd.array(cast("list[int | None]", [r.values.get("reports_sent") for r in kept]), dtype="Int64"),
            "note": [r.values.get("note") for r in kept],
            "row": [r.number for r in kept],
        }
    )
    return frame
