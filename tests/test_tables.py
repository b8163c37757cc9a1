import numpy as np
import pandas as pd
import pytest

from conftest import D3, REPORTS, check
from lib import metrics, tables


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


def test_village_phase_rates_are_whole_percents_beside_the_gains():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn Trung Hòa", 80]])
    table = tables.village_phase_rates(metrics.village_weekly(ds), ds.campaign.phases).set_index("Thôn")
    assert table["Giai đoạn 1: tỷ lệ"].to_dict() == {"Thôn 1": 33, "Thôn Trung Hòa": 30, "Thôn Yên Thọ": 0}  # 40/120, 30/100
    assert table["Giai đoạn 2: tỷ lệ"].to_dict() == {"Thôn 1": 75, "Thôn Trung Hòa": 80, "Thôn Yên Thọ": 0}  # at 30/04 (D3)
    assert table["Giai đoạn 2: tăng"].to_dict() == {"Thôn 1": 50, "Thôn Trung Hòa": 50, "Thôn Yên Thọ": 0}
