"""Campaign phases: each phase's result at its end and its verdict, the peak window, every village per phase.

A phase is judged at its last report week on or before its end day, against the target of the people it is
for: a phase whose audience names officials (cán bộ) answers to the officials' target, any other phase to
the households' target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from lib.config import Phase
from lib.validation.model import Dataset
from lib.vi_sort import by_name

_EPS = 1e-9
PEAK_DAYS = 30  # the plan's "đợt cao điểm": the first 30 days from the campaign's start

Target = Literal["households", "officials"]


def judged_against(phase: Phase) -> Target:
    """Which target a phase answers to: the officials' when its audience names officials (cán bộ), else the households'."""
    return "officials" if "cán bộ" in phase.audience.lower() else "households"


@dataclass(frozen=True)
class PhaseResult:
    """A phase's outcome: the value at its end, what it gained within it, and whether it met the target it answers to."""

    phase: Phase
    end_week: dt.date | None
    installed_end: int
    gain: int
    rate_end: float | None
    met: bool  # the rate of `judged_against` at the phase's end reached `target`
    officials_end: int
    officials_gain: int
    official_rate_end: float | None
    judged_against: Target
    target: float
    ongoing: bool  # the phase has not ended before the dataset's today


def phase_results(ds: Dataset, cw: pd.DataFrame, ow: pd.DataFrame) -> list[PhaseResult]:
    """For each phase: households and officials at the last report week by its end, the gain within it, the verdict."""
    campaign = ds.campaign
    results = []
    for phase in campaign.phases:

        def value(frame: pd.DataFrame, column: str, before: dt.date, strict: bool) -> tuple[dt.date | None, float]:
            rows = frame[frame["week"] < before] if strict else frame[frame["week"] <= before]
            if rows.empty:
                return None, 0
            last = rows.iloc[-1]
            return last["week"], last[column]

        end_week, end = value(cw, "installed", phase.end, False)
        _, start = value(cw, "installed", phase.start, True)
        _, rate = value(cw, "rate", phase.end, False)
        _, o_end = value(ow, "installed", phase.end, False)
        _, o_start = value(ow, "installed", phase.start, True)
        _, o_rate = value(ow, "rate", phase.end, False)
        rate_end = float(rate) if end_week else None
        official_rate_end = float(o_rate) if len(ow) and o_rate else None
        against = judged_against(phase)
        if against == "officials":
            target, judged = campaign.official_target, official_rate_end
        else:
            target, judged = campaign.household_target, rate_end
        results.append(
            PhaseResult(
                phase=phase,
                end_week=end_week,
                installed_end=int(end),
                gain=int(end - start),
                rate_end=rate_end,
                met=judged is not None and judged + _EPS >= target,
                officials_end=int(o_end),
                officials_gain=int(o_end - o_start),
                official_rate_end=official_rate_end,
                judged_against=against,
                target=target,
                ongoing=phase.end >= ds.today,
            )
        )
    return results


@dataclass(frozen=True)
class PeakWindow:
    """The campaign's first days and where the commune stood at the last report week within them."""

    start: dt.date
    end: dt.date
    days: int
    week: dt.date | None  # the last report week by `end` (None: the first report came later)
    installed: int
    smartphone_households: int
    rate: float | None
    villages_meeting_target: int
    villages: int


def peak_window(phases: tuple[Phase, ...], cw: pd.DataFrame, days: int = PEAK_DAYS) -> PeakWindow | None:
    """The peak window from the first phase's start and the commune at its last report week; None without phases or reports."""
    if not phases or cw.empty:
        return None
    start = phases[0].start
    end = start + dt.timedelta(days=days)
    before = cw[cw["week"] <= end]
    if before.empty:
        return PeakWindow(start, end, days, None, 0, 0, None, 0, 0)
    last = before.iloc[-1]
    return PeakWindow(
        start=start,
        end=end,
        days=days,
        week=last["week"],
        installed=int(last["installed"]),
        smartphone_households=int(last["smartphone_households"]),
        rate=float(last["rate"]),
        villages_meeting_target=int(last["meeting_target"]),
        villages=int(last["villages"]),
    )


def village_phases(vw: pd.DataFrame, phases: tuple[Phase, ...]) -> pd.DataFrame:
    """Per village and phase: the rate at the phase's last report week and the households gained within it."""
    names = vw.drop_duplicates("key")[["key", "name"]].set_index("key")
    out = names.copy()
    for phase in phases:
        end = vw[vw["week"] <= phase.end].groupby("key", sort=False)[["installed", "rate"]].last()
        begin = vw[vw["week"] < phase.start].groupby("key", sort=False)["installed"].last()
        installed_end = end["installed"].reindex(out.index).fillna(0)
        out[f"{phase.name}: tỷ lệ"] = end["rate"].reindex(out.index)
        out[f"{phase.name}: tăng"] = (installed_end - begin.reindex(out.index).fillna(0)).astype("int64")
    return out.sort_values("name", key=by_name, kind="stable").reset_index(drop=True).rename(columns={"name": "Thôn"})
