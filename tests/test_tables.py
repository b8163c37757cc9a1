import numpy as np
import pandas as pd
import pytest

from lib import tables


def test_rates_show_as_whole_percents_rounded_down():
    shown = tables.percent_floor(pd.Series([0.699, 0.57, 0.7, 1.3, np.nan]))
    assert shown.tolist()[:4] == [69, 57, 70, 130]  # 0,57 × 100 is 56,999…: still 57; 69,9 % never shows 70
    assert np.isnan(shown.iloc[4])


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        (pd.Series([3, None], dtype="Int64").iloc[0], 3),
        (pd.Series([3, None], dtype="Int64").iloc[1], None),
        (np.int64(12), 12),
        (7.0, 7),
        (float("nan"), None),
        (pd.NaT, None),
        (None, None),
    ],
)
def test_a_cell_without_a_value_reads_as_no_number(cell, number):
    assert tables.optional_int(cell) == number
