"""Tables as the screens show them: whole percents, status labels, counts as text, worst first (pure; no streamlit).

The screens only lay these out, so what a cell says is decided here and tested here.
"""

from __future__ import annotations

import pandas as pd


def percent_floor(rates: pd.Series) -> pd.Series:
    """Rates (0..1) as whole percents rounded down, so a village at 69,9 % never shows 70 %; a missing rate stays NaN."""
    return (rates.astype("float64") * 100 + 1e-9).apply(lambda v: v if v != v else int(v))


def optional_int(value: object) -> int | None:
    """A pandas cell as an int, or None where it holds no value (None, NaN, pd.NA, NaT)."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]
