"""Numbers and dates the Vietnamese way: 1.234 · 70,5 % · 23/04/2026."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def missing(value: object) -> bool:
    """A blank scalar as pandas and the reader write one: None, pandas' NA or NaT, or a NaN float."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: float | int | None) -> str:
    """1234 → '1.234'; None/NaN/<NA> → '–'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round(value):,}".replace(",", ".")


def fmt_pct(rate: float | None, digits: int = 1) -> str:
    """0.705 → '70,5 %'; None/NaN/<NA> → '–'. Rounded down (toward zero), so 69,96 % never reads 70,0 % and every
    table, chart and report writes the same figure for the same rate."""
    if rate is None or rate is pd.NA or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    scale = 10**digits
    shown = math.copysign(math.floor(abs(rate) * 100 * scale + 1e-6) / scale, rate)  # 0,57 × 100 is 56,999…: still 57
    return f"{shown:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".") + " %"


def fmt_pp(points: float | None, digits: int = 1) -> str:
    """A change in percentage points with its sign: 0.031 → '+3,1 điểm %'."""
    if points is None or (isinstance(points, float) and math.isnan(points)):
        return "–"
    text = f"{abs(points) * 100:.{digits}f}".replace(".", ",")
    return f"{'+' if points >= 0 else '−'}{text} điểm %"


def fmt_signed(value: float | int | None) -> str:
    """12 → '+12'; -3 → '−3'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value >= 0 else "−") + fmt_int(abs(value))


def fmt_date(day: dt.date | None) -> str:
    """date → 'dd/mm/yyyy'."""
    return day.strftime("%d/%m/%Y") if day else "–"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def md_escape(text: object) -> str:
    """Cell text made inert inside Streamlit markdown: no emphasis, links, images, HTML or math."""
    return str(text).translate(_MD_SPECIAL).replace("\n", " ")


def shorten(text: object, limit: int = 60) -> str:
    """Text typed into a link, cut to `limit` characters with "…": a 10.000-character ?thon= is echoed, not printed whole."""
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"
