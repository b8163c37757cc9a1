"""Tables as the screens show them: rates written as everywhere (57,9 %), status labels, counts as text, worst first (pure; no streamlit).

The screens only lay these out, so what a cell says is decided here and tested here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.config import Phase
from lib.fmt import fmt_date, fmt_int, fmt_pct, missing
from lib.phases import village_phases
from lib.status import OVER_VILLAGE, label, status
from lib.vi_sort import by_name, vi_sorted

OTHER_GROUP = "Khác"  # the group of a unit whose group cell is empty


def percent_text(rates: pd.Series) -> list[str]:
    """Rates (0..1) as the charts and the report write them ('57,9 %', rounded down, `fmt_pct`); a missing rate is '–'."""
    return [fmt_pct(optional_float(r)) for r in rates]


def optional_float(value: object) -> float | None:
    """A pandas cell as a float, or None where it holds no value (None, NaN, pd.NA)."""
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type, call-overload]


def optional_int(value: object) -> int | None:
    """A pandas cell as an int, or None where it holds no value (None, NaN, pd.NA, NaT)."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def unit_groups(units: pd.DataFrame, at_phase1: pd.DataFrame, target: float) -> list[tuple[str, pd.DataFrame]]:
    """Each group's table of units at a week: groups in name order; in each, units short of the target first, lowest rate first.

    Columns: name, rate and phase1 (written as `fmt_pct`; phase1 from `at_phase1`, the units at phase 1's week),
    count ('installed/staff') and status (the traffic-light label against the officials' target).
    """
    phase1 = at_phase1.set_index("key")["rate"] if len(at_phase1) else pd.Series(dtype="float64")
    grouped = units.assign(group=units["group"].fillna(OTHER_GROUP).replace("", OTHER_GROUP))
    tables = []
    for group in vi_sorted(grouped["group"].unique()):
        rows = grouped[grouped["group"] == group].sort_values(["meets_target", "rate", "name"], key=by_name, kind="stable")
        table = pd.DataFrame(
            {
                "name": rows["name"],
                "rate": percent_text(rows["rate"]),
                "count": [f"{fmt_int(i)}/{fmt_int(t)}" for i, t in zip(rows["installed"], rows["staff"], strict=True)],
                "phase1": percent_text(rows["key"].map(phase1).astype("float64")),
                "status": [label(r, target) for r in rows["rate"]],
            }
        )
        tables.append((str(group), table.reset_index(drop=True)))
    return tables


def village_note(row: pd.Series) -> str:
    """What to know about a village's figure: carried from an earlier week, above its smartphone households, or no denominator."""
    notes = []
    if bool(row.get("carried", False)) and isinstance(row.get("last_report"), dt.date):
        notes.append(f"số cũ (báo cáo {fmt_date(row['last_report'])}), chưa báo cáo tuần này")
    smart = optional_float(row.get("smartphone_households"))
    if smart is None:
        notes.append(NO_DENOMINATOR)
    elif smart == 0:
        notes.append(NOT_APPLICABLE)
    elif status(optional_float(row.get("rate")), 1.0) == "over":
        notes.append(OVER_VILLAGE)
    return "; ".join(notes)


def village_rows(table: pd.DataFrame, target: float) -> pd.DataFrame:
    """Every village of a week's table as the list shows it: rate as written everywhere, what is still needed, status, last report, notes."""
    shown = table.assign(
        rate=percent_text(table["rate"]),
        need_text=[need_text(n, s) for n, s in zip(table["needed"], table["smartphone_households"], strict=True)],
        status=[village_status(r, s, target) for r, s in zip(table["rate"], table["smartphone_households"], strict=True)],
        last=[fmt_date(d) if isinstance(d, dt.date) else "chưa báo cáo" for d in table["last_report"]],
        note=[village_note(r) for _, r in table.iterrows()],
    )
    return shown[["name", "rate", "need_text", "installed", "smartphone_households", "households", "status", "last", "note"]]


NO_DENOMINATOR = "thiếu số hộ có ĐTTM"  # the roster's cell had an error: left out of every rate
NOT_APPLICABLE = "không áp dụng"  # 0 smartphone households: no rate, no target


def need_text(needed: int, smart: object) -> str:
    """What a village still needs: 'cần thêm 12 hộ', 'đạt', or why no target applies to it."""
    if missing(smart):
        return NO_DENOMINATOR
    if smart == 0:
        return NOT_APPLICABLE
    return f"cần thêm {fmt_int(needed)} hộ" if needed else "đạt"


def village_status(rate: float, smart: object, target: float) -> str:
    """A village's status label, or why it has none (smartphone households unknown or 0)."""
    if missing(smart):
        return "Thiếu số hộ có ĐTTM"
    if smart == 0:
        return "Không áp dụng"
    value = optional_float(rate)
    return OVER_VILLAGE[0].upper() + OVER_VILLAGE[1:] if status(value, target) == "over" else label(value, target)


def village_phase_rates(vw: pd.DataFrame, phases: tuple[Phase, ...]) -> pd.DataFrame:
    """Per village and phase: the rate at the phase's end as written everywhere and the households gained within it."""
    frame = village_phases(vw, phases)
    for column in [c for c in frame.columns if c.endswith("tỷ lệ")]:
        frame[column] = percent_text(frame[column])
    return frame
