"""Tables as the screens show them: whole percents, status labels, counts as text, worst first (pure; no streamlit).

The screens only lay these out, so what a cell says is decided here and tested here.
"""

from __future__ import annotations

import pandas as pd

from lib.config import Phase
from lib.phases import village_phases


def percent_floor(rates: pd.Series) -> pd.Series:
    """Rates (0..1) as whole percents rounded down, so a village at 69,9 % never shows 70 %; a missing rate stays NaN."""
    return (rates.astype("float64") * 100 + 1e-9).apply(lambda v: v if v != v else int(v))


def optional_int(value: object) -> int | None:
    """A pandas cell as an int, or None where it holds no value (None, NaN, pd.NA, NaT)."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def village_phase_rates(vw: pd.DataFrame, phases: tuple[Phase, ...]) -> pd.DataFrame:
    """Per village and phase: the rate at the phase's end as a whole percent and the households gained within it."""
    frame = village_phases(vw, phases)
    for column in [c for c in frame.columns if c.endswith("tỷ lệ")]:
        frame[column] = percent_floor(frame[column])
    return frame
