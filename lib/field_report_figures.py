"""The `Phản ánh` figures every output shares: `check --json`, the screen, the overview card, the Thursday report.

Pure: a validated Dataset in, plain data out. The as-of date is the dataset's `today` (`--today` on the command
line); the deadline in working days and the on-time target come from `Cấu hình` (`Campaign`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from lib import field_reports as rules
from lib.status import label
from lib.tables import percent_text
from lib.validation.model import Dataset
from lib.vi_sort import by_name, vi_sort_key

RATES = ("on_time_rate", "satisfied_rate", "per_100_households")


def has_tab(ds: Dataset) -> bool:
    """True when the workbook has a `Phản ánh` tab (even one whose rows could not be read)."""
    return ds.field_reports is not None


def households(ds: Dataset) -> dict[str, int]:
    """Each roster village's households: the denominator of reports per 100 households."""
    return {str(n): int(h) for n, h in zip(ds.villages["name"], ds.villages["households"], strict=True)}


def summary(ds: Dataset) -> dict[str, Any] | None:
    """The contract's `field_reports` block as of `ds.today`, rates rounded to 6 places; None without the tab."""
    if ds.field_reports is None:
        return None
    found = rules.handling_summary(ds.field_reports, ds.today, households(ds), ds.campaign.report_working_days)
    return _rounded(found)


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (round(v, 6) if k in RATES and isinstance(v, float) else _rounded(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def check_block(ds: Dataset) -> dict[str, Any]:
    """`{"field_reports": …}` for `check --json` when the tab exists, else nothing (the key is left out)."""
    found = summary(ds)
    return {} if found is None else {"field_reports": found}


def annotated(ds: Dataset, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every report sent by `as_of` (default `ds.today`) with its deadline, state, on-time and overdue flags."""
    frame = ds.field_reports if ds.field_reports is not None else pd.DataFrame(columns=_columns())
    return rules.annotate(frame, as_of or ds.today, ds.campaign.report_working_days)


def _columns() -> list[str]:
    from lib.field_report_rows import FRAME_COLUMNS

    return FRAME_COLUMNS


def week_by_unit(ds: Dataset, week: dt.date) -> pd.DataFrame:
    """Per unit, for the report week ending `week`: received and resolved (on time) in the week, and overdue at its end."""
    as_of = min(week, ds.today)
    rows = annotated(ds, as_of)
    start = week - dt.timedelta(days=6)
    sent = [start <= d <= week for d in rows["day"]]
    done = [
        r == rules.Status.RESOLVED and c is not None and start <= c <= week for r, c in zip(rows["state"], rows["completed"], strict=True)
    ]
    rows = rows.assign(in_week=sent, done_in_week=done)
    found = [
        {
            "unit": name,
            "received": int(mine["in_week"].sum()),
            "resolved": int(mine["done_in_week"].sum()),
            "resolved_on_time": int((mine["done_in_week"] & mine["on_time"]).sum()),
            "overdue_open": int(mine["overdue"].sum()),
        }
        for name, mine in rows.groupby("unit", sort=False)
    ]
    table = pd.DataFrame(found, columns=["unit", "received", "resolved", "resolved_on_time", "overdue_open"])
    table = table[(table[["received", "resolved", "overdue_open"]] > 0).any(axis=1)]
    return table.sort_values(["overdue_open", "received", "unit"], ascending=[False, False, True], key=by_name, kind="stable").reset_index(
        drop=True
    )


def units(ds: Dataset) -> pd.DataFrame:
    """Each unit's handling as of `ds.today`: received, resolved, on time, rate, overdue, median days, whether it meets the target."""
    found = summary(ds)
    return units_of(found or {"units": []}, ds.campaign.on_time_target)


def choices(ds: Dataset) -> dict[str, list[str]]:
    """What the screen's filters offer: the units, fields and villages the reports name (as first spelled), sorted."""
    rows = annotated(ds)
    villages = sorted({str(v) for v in rows["village"] if isinstance(v, str) and v}, key=vi_sort_key)
    return {
        "unit": sorted(set(rows["unit"]), key=vi_sort_key),
        "field": sorted(set(rows["field"]), key=vi_sort_key),
        "village": villages,
    }


def chosen(ds: Dataset, units: tuple[str, ...] = (), fields: tuple[str, ...] = (), villages: tuple[str, ...] = ()) -> pd.DataFrame:
    """The reports (FRAME_COLUMNS, names as first spelled) of the chosen units, fields and villages; an empty choice keeps all."""
    rows = annotated(ds)
    keep = pd.Series(True, index=rows.index)
    for column, picked in (("unit", units), ("field", fields), ("village", villages)):
        if picked:
            keep &= rows[column].isin(picked)
    return rows[keep][_columns()].reset_index(drop=True)


def overdue_table(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """The overdue list as a table, worst first: id, field, unit, village, deadline, days overdue (never anything personal)."""
    found = rules.overdue_list(frame, ds.today, ds.campaign.report_working_days)
    return pd.DataFrame(found, columns=["id", "field", "unit", "village", "deadline", "days_overdue"])


def weekly_table(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Received, resolved and resolved on time per report week."""
    return rules.weekly(frame, ds.today, ds.campaign.report_weekday, ds.campaign.report_working_days)


def field_table(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Per field: received, resolved, on time, rate, open, overdue; most received first."""
    columns = ["field", "received", "resolved", "resolved_on_time", "on_time_rate", "open", "overdue_open"]
    return pd.DataFrame(rules.by_field(frame, ds.today, ds.campaign.report_working_days), columns=columns)


def field_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The per-field table as the screen shows it: the rate written '81,3 %', '–' for a field with nothing resolved yet."""
    return table.assign(on_time_rate=percent_text(table["on_time_rate"]))


def figures_of(frame: pd.DataFrame, ds: Dataset, as_of: dt.date | None = None) -> dict[str, Any]:
    """The contract's figures for a chosen subset of reports, as of `as_of` (default `ds.today`)."""
    return rules.handling_summary(frame, as_of or ds.today, households(ds), ds.campaign.report_working_days)


def units_of(found: dict[str, Any], target: float) -> pd.DataFrame:
    """The `units` of a figures dict as a table, with whether each meets the on-time target."""
    columns = ["name", "received", "resolved", "resolved_on_time", "on_time_rate", "overdue_open", "median_days"]
    table = pd.DataFrame(found["units"], columns=columns)
    table["meets_target"] = [r is not None and r == r and r >= target - 1e-9 for r in table["on_time_rate"]]
    return table


def villages_of(found: dict[str, Any]) -> pd.DataFrame:
    """The `villages` of a figures dict as a table, fewest reports per 100 households first (where use lags)."""
    table = pd.DataFrame(found["villages"], columns=["name", "received", "per_100_households"])
    return table.sort_values(["per_100_households", "name"], key=by_name, na_position="last", kind="stable").reset_index(drop=True)


def unit_rows(table: pd.DataFrame, target: float) -> pd.DataFrame:
    """Units as the screen lists them: most overdue first, then lowest on-time rate; whole percents and the status label."""
    ordered = table.assign(_rate=[2.0 if r is None or r != r else r for r in table["on_time_rate"]])
    ordered = ordered.sort_values(["overdue_open", "_rate", "name"], ascending=[False, True, True], key=by_name, kind="stable")
    return pd.DataFrame(
        {
            "name": ordered["name"],
            "overdue_open": ordered["overdue_open"],  # beside the name: what a phone shows without scrolling the table
            "on_time": percent_text(ordered["on_time_rate"]),  # '81,3 %' as everywhere; '–' when nothing was resolved
            "count": [f"{t}/{r}" for t, r in zip(ordered["resolved_on_time"], ordered["resolved"], strict=True)],
            "status": [label(None if r is None or r != r else r, target) for r in ordered["on_time_rate"]],
            "received": ordered["received"],
            "median_days": ordered["median_days"],
        }
    ).reset_index(drop=True)
