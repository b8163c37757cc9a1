"""Tables as the screens show them: whole percents, status labels, counts as text, worst first (pure; no streamlit).

The screens only lay these out, so what a cell says is decided here and tested here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.config import Phase
from lib.fmt import fmt_date, fmt_int
from lib.phases import village_phases
from lib.status import label

OTHER_GROUP = "Khác"  # the group of a unit whose group cell is empty


def percent_floor(rates: pd.Series) -> pd.Series:
    """Rates (0..1) as whole percents rounded down, so a village at 69,9 % never shows 70 %; a missing rate stays NaN."""
    return (rates.astype("float64") * 100 + 1e-9).apply(lambda v: v if v != v else int(v))


def optional_int(value: object) -> int | None:
    """A pandas cell as an int, or None where it holds no value (None, NaN, pd.NA, NaT)."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def unit_groups(units: pd.DataFrame, at_phase1: pd.DataFrame, target: float) -> list[tuple[str, pd.DataFrame]]:
    """Each group's table of units at a week: groups in name order; in each, units short of the target first, lowest rate first.

    Columns: name, rate and phase1 (whole percents; phase1 from `at_phase1`, the units at phase 1's week),
    count ('installed/staff') and status (the traffic-light label against the officials' target).
    """
    phase1 = at_phase1.set_index("key")["rate"] if len(at_phase1) else pd.Series(dtype="float64")
    grouped = units.assign(group=units["group"].fillna(OTHER_GROUP).replace("", OTHER_GROUP))
    tables = []
    for group, rows in grouped.groupby("group", sort=True):
        rows = rows.sort_values(["meets_target", "rate", "name"])
        table = pd.DataFrame(
            {
                "name": rows["name"],
                "rate": percent_floor(rows["rate"]),
                "count": [f"{fmt_int(i)}/{fmt_int(t)}" for i, t in zip(rows["installed"], rows["staff"], strict=True)],
                "phase1": percent_floor(rows["key"].map(phase1).astype("float64")),
                "status": [label(r, target) for r in rows["rate"]],
            }
        )
        tables.append((str(group), table.reset_index(drop=True)))
    return tables


def village_rows(table: pd.DataFrame, target: float) -> pd.DataFrame:
    """Every village of a week's table as the list shows it: whole-percent rate, what is still needed, status, last report."""
    shown = table.assign(
        rate=percent_floor(table["rate"]),
        need_text=[need_text(n, s) for n, s in zip(table["needed"], table["smartphone_households"], strict=True)],
        status=[village_status(r, s, target) for r, s in zip(table["rate"], table["smartphone_households"], strict=True)],
        last=[fmt_date(d) if isinstance(d, dt.date) else "chưa báo cáo" for d in table["last_report"]],
    )
    return shown[["name", "rate", "need_text", "installed", "smartphone_households", "households", "status", "last"]]


NO_DENOMINATOR = "thiếu số hộ có ĐTTM"  # the roster's cell had an error: left out of every rate
NOT_APPLICABLE = "không áp dụng"  # 0 smartphone households: no rate, no target


def need_text(needed: int, smart: object) -> str:
    """What a village still needs: 'cần thêm 12 hộ', 'đạt', or why no target applies to it."""
    if pd.isna(smart):
        return NO_DENOMINATOR
    if smart == 0:
        return NOT_APPLICABLE
    return f"cần thêm {fmt_int(needed)} hộ" if needed else "đạt"


def village_status(rate: float, smart: object, target: float) -> str:
    """A village's status label, or why it has none (smartphone households unknown or 0)."""
    if pd.isna(smart):
        return "Thiếu số hộ có ĐTTM"
    if smart == 0:
        return "Không áp dụng"
    return label(rate, target)


def village_phase_rates(vw: pd.DataFrame, phases: tuple[Phase, ...]) -> pd.DataFrame:
    """Per village and phase: the rate at the phase's end as a whole percent and the households gained within it."""
    frame = village_phases(vw, phases)
    for column in [c for c in frame.columns if c.endswith("tỷ lệ")]:
        frame[column] = percent_floor(frame[column])
    return frame
