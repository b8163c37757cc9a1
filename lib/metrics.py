"""Clean tables -> coverage per village / unit / week, completeness and pace (phases: `lib.phases`).

A village's figure for a week is its latest accepted report on or before that week (carried
forward and marked so); a village that never reported counts 0 and keeps its denominator.
Commune figures are sums of village figures. A village whose denominator is unknown (its roster
figure had an error) is left out of both sides of every rate that needs it; a village with a
denominator of 0 has no rate and no target ("không áp dụng"): `meets_target` is <NA> for both.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.config import Phase
from lib.validation.model import Dataset
from lib.vi_sort import by_name

_EPS = 1e-9


def weeks(ds: Dataset) -> list[dt.date]:
    """Every report week from the first report to the latest one, village and unit tabs together."""
    found = pd.concat([ds.village_reports["week"], ds.unit_reports["week"]]).dropna()
    if found.empty:
        return []
    first, last = min(found), max(found)
    return [first + dt.timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]


def as_of(ds: Dataset) -> dt.date | None:
    """The latest week with an accepted village report: the date the headline figures describe."""
    return max(ds.village_reports["week"]) if len(ds.village_reports) else None


def needed_for(target: float, denominator: int) -> int:
    """How many must be installed to reach the target rate (0,7 × 143 → 101)."""
    return math.ceil(target * denominator - _EPS)


def _weekly(entities: pd.DataFrame, reports: pd.DataFrame, grid: list[dt.date], denominator: str, target: float) -> pd.DataFrame:
    cols = [
        "key",
        "name",
        "week",
        denominator,
        "installed",
        "reported",
        "carried",
        "ever_reported",
        "last_report",
        "rate",
        "meets_target",
        "needed",
        "change",
        "change_pp",
    ]
    if entities.empty or not grid:
        return pd.DataFrame(columns=cols)
    index = pd.MultiIndex.from_product([entities["key"], grid], names=["key", "week"])
    figures = ["installed", "accounts", "reports_sent"] if "accounts" in reports else ["installed"]
    found = reports.set_index(["key", "week"])[figures + ["date"]]
    frame = found.reindex(index).reset_index()
    frame["reported"] = frame["installed"].notna()
    filled = frame.groupby("key", sort=False)[figures + ["date"]].ffill()
    frame["ever_reported"] = filled["installed"].notna()
    frame["carried"] = frame["ever_reported"] & ~frame["reported"]
    frame["installed"] = filled["installed"].fillna(0).astype("int64")
    for f in figures[1:]:
        frame[f] = filled[f].astype("Int64")
    frame["last_report"] = filled["date"]
    keep = ["key", "name", denominator] + (["households"] if denominator == "smartphone_households" else [])
    frame = frame.merge(entities[keep], on="key", how="left", sort=False)
    denom = frame[denominator].astype("float64")  # <NA> (unknown) -> NaN
    applies = denom > 0
    frame["rate"] = np.where(applies, frame["installed"] / denom.where(applies, 1), np.nan)
    goal = np.ceil(target * denom.where(applies, 0) - _EPS)
    frame["needed"] = np.where(applies, np.maximum(goal - frame["installed"], 0), 0).astype("int64")
    frame["meets_target"] = applicable(frame["needed"] == 0, applies)
    previous = frame.groupby("key", sort=False)["installed"].shift(1).fillna(0)
    frame["change"] = (frame["installed"] - previous).astype("int64")
    frame["change_pp"] = frame["rate"] - frame.groupby("key", sort=False)["rate"].shift(1).fillna(0)
    if denominator == "smartphone_households":
        households = frame["households"].astype("float64")
        frame["rate_all"] = np.where(households > 0, frame["installed"] / households.where(households > 0, 1), np.nan)
    return frame


def applicable(meets: pd.Series, applies: pd.Series) -> pd.Series:
    """Whether a target is met, <NA> where it does not apply (denominator unknown or 0): neither meeting nor missing."""
    return pd.Series(meets.to_numpy(), index=meets.index, dtype="boolean").where(applies.to_numpy(), pd.NA)


def meeting_target(frame: pd.DataFrame) -> pd.Series:
    """True where a target applies and is met."""
    return frame["meets_target"].astype("boolean").fillna(False).astype(bool)


def without_target(frame: pd.DataFrame) -> pd.Series:
    """True where no target applies: the denominator is unknown (its roster cell had an error) or 0."""
    return frame["meets_target"].astype("boolean").isna()


def short_of_target(frame: pd.DataFrame) -> pd.Series:
    """True where a target applies and is not met (never for a village without a denominator or with 0)."""
    return frame["meets_target"].astype("boolean").eq(False).fillna(False).astype(bool)


def village_weekly(ds: Dataset) -> pd.DataFrame:
    """One row per village × week: installed (carried forward), rates, target met, households still needed."""
    return _weekly(ds.villages, ds.village_reports, weeks(ds), "smartphone_households", ds.campaign.household_target)


def unit_weekly(ds: Dataset) -> pd.DataFrame:
    """One row per unit × week: officials installed (carried forward) against the unit's staff."""
    frame = _weekly(ds.units, ds.unit_reports, weeks(ds), "staff", ds.campaign.official_target)
    if not frame.empty:
        frame = frame.merge(ds.units[["key", "group"]], on="key", how="left")
    return frame


def commune_weekly(vw: pd.DataFrame, target: float) -> pd.DataFrame:
    """One row per week: commune totals, rate vs smartphone and all households, completeness."""
    cols = [
        "week",
        "households",
        "smartphone_households",
        "installed",
        "villages",
        "reported",
        "meeting_target",
        "rate",
        "rate_all",
        "completeness",
        "change",
        "change_pp",
    ]
    if vw.empty:
        return pd.DataFrame(columns=cols)
    # Each rate counts only the villages whose denominator is known, on both sides.
    vw = vw.assign(
        installed_known=vw["installed"].where(vw["smartphone_households"].notna(), 0),
        installed_all=vw["installed"].where(vw["households"].notna(), 0),
    )
    g = vw.groupby("week", sort=True)
    frame = pd.DataFrame(
        {
            "households": g["households"].sum().astype("int64"),
            "smartphone_households": g["smartphone_households"].sum().astype("int64"),
            "installed": g["installed_known"].sum(),
            "installed_all": g["installed_all"].sum(),
            "villages": g["key"].count(),
            "reported": g["reported"].sum(),
            "meeting_target": g["meets_target"].sum(),
        }
    ).reset_index()
    frame["rate"] = frame["installed"] / frame["smartphone_households"].where(frame["smartphone_households"] > 0)
    frame["rate_all"] = frame["installed_all"] / frame["households"].where(frame["households"] > 0)
    frame["completeness"] = frame["reported"] / frame["villages"]
    frame["change"] = frame["installed"].diff().fillna(frame["installed"]).astype("int64")
    frame["change_pp"] = frame["rate"].diff().fillna(frame["rate"])
    frame["target"] = target
    return frame


def officials_weekly(uw: pd.DataFrame) -> pd.DataFrame:
    """One row per week: officials installed across all units, completeness of unit reports."""
    if uw.empty:
        return pd.DataFrame(columns=["week", "staff", "installed", "units", "reported", "meeting_target", "rate"])
    g = uw.assign(installed_known=uw["installed"].where(uw["staff"].notna(), 0)).groupby("week", sort=True)
    frame = pd.DataFrame(
        {
            "staff": g["staff"].sum().astype("int64"),
            "installed": g["installed_known"].sum(),
            "units": g["key"].count(),
            "reported": g["reported"].sum(),
            "meeting_target": g["meets_target"].sum(),
        }
    ).reset_index()
    frame["rate"] = frame["installed"] / frame["staff"].where(frame["staff"] > 0)
    return frame


def at_week(weekly: pd.DataFrame, week: dt.date | None) -> pd.DataFrame:
    """The rows of a per-entity weekly table for one week (empty when there is no such week)."""
    if week is None or weekly.empty:
        return weekly.iloc[0:0]
    return weekly[weekly["week"] == week].reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """The headline figures at the as-of week (the JSON contract's `summary`)."""

    as_of: dt.date | None
    villages: int
    villages_reported_latest: int
    households: int
    smartphone_households: int
    installed_households: int
    household_rate: float | None
    villages_meeting_target: int
    officials: int
    officials_installed: int
    official_rate: float | None
    units: int = 0
    units_meeting_target: int = 0
    units_as_of: dt.date | None = None
    villages_without_denominator: int = 0  # smartphone households unknown: left out of the household figures
    units_without_denominator: int = 0  # staff unknown: left out of the officials' figures


def summary(ds: Dataset, vw: pd.DataFrame | None = None, uw: pd.DataFrame | None = None) -> Summary:
    """Headline figures: villages at the as-of week, units at their latest week."""
    vw = village_weekly(ds) if vw is None else vw
    uw = unit_weekly(ds) if uw is None else uw
    week = as_of(ds)
    now = at_week(vw, week)
    unit_week = max(ds.unit_reports["week"]) if len(ds.unit_reports) else None
    units_now = at_week(uw, unit_week)
    smart = int(ds.villages["smartphone_households"].sum())  # <NA> skipped: only the villages whose figure is known
    installed = int(now["installed"].where(now["smartphone_households"].notna(), 0).sum()) if len(now) else 0
    staff = int(ds.units["staff"].sum())
    officials_installed = int(units_now["installed"].where(units_now["staff"].notna(), 0).sum()) if len(units_now) else 0
    return Summary(
        as_of=week,
        villages=len(ds.villages),
        villages_reported_latest=int(now["reported"].sum()) if len(now) else 0,
        households=int(ds.villages["households"].sum()),
        smartphone_households=smart,
        installed_households=installed,
        household_rate=installed / smart if smart else None,
        villages_meeting_target=int(now["meets_target"].sum()) if len(now) else 0,
        officials=staff,
        officials_installed=officials_installed,
        official_rate=officials_installed / staff if staff else None,
        units=len(ds.units),
        units_meeting_target=int(units_now["meets_target"].sum()) if len(units_now) else 0,
        units_as_of=unit_week,
        villages_without_denominator=int(ds.villages["smartphone_households"].isna().sum()),
        units_without_denominator=int(ds.units["staff"].isna().sum()),
    )


def village_table(ds: Dataset, vw: pd.DataFrame, week: dt.date | None) -> pd.DataFrame:
    """Every village at one week (never-reported villages included with 0), worst rate first."""
    now = at_week(vw, week)
    if now.empty:
        frame = ds.villages[["key", "name", "households", "smartphone_households"]].copy()
        frame["installed"] = 0
        applies = frame["smartphone_households"].astype("float64") > 0
        frame["rate"] = np.where(applies, 0.0, np.nan)
        frame["needed"] = [
            needed_for(ds.campaign.household_target, int(n)) if a else 0
            for n, a in zip(frame["smartphone_households"], applies, strict=True)
        ]
        frame["meets_target"] = applicable(frame["needed"] == 0, applies)
        frame["reported"] = frame["carried"] = frame["ever_reported"] = False
        frame["last_report"] = None
        frame["change"] = 0
        return frame
    return now.sort_values(["rate", "name"], key=by_name, na_position="last", kind="stable").reset_index(drop=True)


def behind_target(frame: pd.DataFrame) -> pd.DataFrame:
    """The villages or units of a table still short of their target, lowest rate first (then by name)."""
    return frame[short_of_target(frame)].sort_values(["rate", "name"], key=by_name, kind="stable") if len(frame) else frame


def most_needed(frame: pd.DataFrame) -> pd.DataFrame:
    """The villages of a table still short of the target, the most households still needed first (then by name)."""
    return frame[short_of_target(frame)].sort_values(["needed", "name"], ascending=[False, True], key=by_name, kind="stable")


@dataclass(frozen=True)
class Pace:
    """Are we on pace? The recent run-rate, when the target is reached at it, and what a deadline needs."""

    as_of: dt.date | None
    installed: int
    goal: int  # households installed at which the commune reaches the target
    remaining: int  # households still needed at commune level
    run_rate: float  # households per week over the window
    window_weeks: int
    eta: dt.date | None  # when the target is reached at the run-rate (None: never at this rate, or already reached)
    deadline: dt.date
    per_week_needed: float  # households per week needed to reach the goal by the deadline
    reached: bool
    on_pace: bool

    @property
    def per_week_to_ask(self) -> int:
        """Households a week to ask for: `per_week_needed` rounded up (a fraction under about 0,001 is float noise, dropped)."""
        return round(self.per_week_needed + 0.499)


def pace(cw: pd.DataFrame, target: float, deadline: dt.date, window: int = 4) -> Pace:
    """Commune pace vs the household target: run-rate over the last `window` weeks, ETA, need per week to a deadline."""
    if cw.empty:
        return Pace(None, 0, 0, 0, 0.0, 0, None, deadline, 0.0, False, False)
    last = cw.iloc[-1]
    installed, smart = int(last["installed"]), int(last["smartphone_households"])
    goal = needed_for(target, smart)
    remaining = max(goal - installed, 0)
    span = min(window, len(cw) - 1)
    run_rate = (installed - int(cw.iloc[-1 - span]["installed"])) / span if span > 0 else float(installed)
    as_of = last["week"]
    weeks_left = max((deadline - as_of).days / 7, 0)
    reached = remaining == 0
    eta = None
    if not reached and run_rate > 0:
        eta = as_of + dt.timedelta(days=math.ceil(7 * remaining / run_rate))
    per_week = remaining / weeks_left if weeks_left > 0 else float(remaining)
    on_pace = reached or (eta is not None and eta <= deadline)
    return Pace(as_of, installed, goal, remaining, run_rate, span, eta, deadline, per_week, reached, on_pace)


def default_deadline(phases: tuple[Phase, ...], day: dt.date | None) -> dt.date:
    """The end of the phase the day falls in (the last phase's end after all phases)."""
    if not phases:
        return day or dt.date.today()
    if day is None:
        return phases[-1].end
    current = [p for p in phases if p.start <= day <= p.end]
    if current:
        return current[-1].end
    later = [p for p in phases if p.start > day]
    return later[0].end if later else phases[-1].end
