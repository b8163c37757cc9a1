import numpy as np
import pandas as pd
import pytest

from conftest import D1, D2, D3, REPORTS, check
from lib import metrics, tables


def test_rates_are_written_as_the_charts_write_them_rounded_down():
    shown = tables.percent_text(pd.Series([0.699, 0.57, 0.7, 1.3, 0.5795, 0.69996, np.nan]))
    # 0,57 × 100 is 56,999…: still 57,0; 69,996 % never shows 70,0 %; the same text as fmt_pct in every chart
    assert shown == ["69,9 %", "57,0 %", "70,0 %", "130,0 %", "57,9 %", "69,9 %", "–"]


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


UNITS = pd.DataFrame(
    {
        "key": ["u1", "u2", "u3", "u4", "u5"],
        "name": ["UBND xã", "Công an xã", "Đảng ủy", "Trạm Y tế", "Trường TH"],
        "group": ["Khối Đảng", "Khối Đảng", "Khối Đảng", "", None],
        "installed": [27, 20, 9, 5, 1234],
        "staff": [30, 20, 10, 12, 1500],
        "rate": [0.9, 1.0, 0.9, 5 / 12, 1234 / 1500],
        "meets_target": [False, True, False, False, False],
    }
)


def test_unit_groups_list_each_group_short_of_the_target_first_with_phase_one_beside():
    at_phase1 = pd.DataFrame({"key": ["u1", "u2", "u4"], "rate": [0.5, 0.75, 0.25]})
    (other, other_table), (party, party_table) = tables.unit_groups(UNITS, at_phase1, 1.0)
    assert (other, party) == ("Khác", "Khối Đảng")  # an empty group cell counts as "Khác"
    expected_other = pd.DataFrame(
        {
            "name": ["Trạm Y tế", "Trường TH"],
            "rate": ["41,6 %", "82,2 %"],
            "count": ["5/12", "1.234/1.500"],
            "phase1": ["25,0 %", "–"],
            "status": ["Chưa đạt", "Chưa đạt"],
        }
    )
    pd.testing.assert_frame_equal(other_table, expected_other, check_dtype=False)
    expected_party = pd.DataFrame(
        {
            "name": ["Đảng ủy", "UBND xã", "Công an xã"],  # equal 90 % by name (Đ before U); the unit that met the target last
            "rate": ["90,0 %", "90,0 %", "100,0 %"],
            "count": ["9/10", "27/30", "20/20"],
            "phase1": ["–", "50,0 %", "75,0 %"],
            "status": ["Gần đạt", "Gần đạt", "Đạt"],
        }
    )
    pd.testing.assert_frame_equal(party_table, expected_party, check_dtype=False)


def test_unit_groups_without_a_phase_one_week_leave_that_column_empty():
    (_, other_table), _ = tables.unit_groups(UNITS, UNITS.iloc[0:0], 1.0)
    assert other_table["phase1"].tolist() == ["–", "–"] and other_table["rate"].tolist() == ["41,6 %", "82,2 %"]


def test_the_village_list_says_what_each_village_still_needs_and_marks_what_to_doubt():
    table = pd.DataFrame(
        {
            "name": ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5"],
            "rate": [100 / 143, 0.75, 0.0, 1.1, np.nan],
            "needed": [1, 0, 1400, 0, pd.NA],
            "installed": [100, 900, 0, 110, 12],
            "smartphone_households": [143, 1200, 2000, 100, 0],
            "households": [160, 1500, 2600, 120, 30],
            "last_report": [D2, D1, None, D2, D2],
            "carried": [False, True, False, False, False],
            "key": ["t1", "t2", "t3", "t4", "t5"],
        }
    )
    shown = tables.village_rows(table, 0.7)
    assert shown.to_dict("list") == {
        "name": ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5"],
        "rate": ["69,9 %", "75,0 %", "0,0 %", "110,0 %", "–"],
        "need_text": ["cần thêm 1 hộ", "đạt", "cần thêm 1.400 hộ", "đạt", "không áp dụng"],
        "installed": [100, 900, 0, 110, 12],
        "smartphone_households": [143, 1200, 2000, 100, 0],
        "households": [160, 1500, 2600, 120, 30],
        "status": ["Gần đạt", "Đạt", "Chưa đạt", "Vượt số hộ có ĐTTM", "Không áp dụng"],
        "last": ["23/04/2026", "16/04/2026", "chưa báo cáo", "23/04/2026", "23/04/2026"],
        "note": ["", "số cũ (báo cáo 16/04/2026), chưa báo cáo tuần này", "", "vượt số hộ có ĐTTM", "không áp dụng"],
    }


def test_village_phase_rates_are_written_as_everywhere_beside_the_gains():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn Trung Hòa", 80]])
    table = tables.village_phase_rates(metrics.village_weekly(ds), ds.campaign.phases).set_index("Thôn")
    assert table["Giai đoạn 1: tỷ lệ"].to_dict() == {
        "Thôn 1": "33,3 %",
        "Thôn Trung Hòa": "30,0 %",
        "Thôn Yên Thọ": "0,0 %",
    }  # 40/120, 30/100
    assert table["Giai đoạn 2: tỷ lệ"].to_dict() == {
        "Thôn 1": "75,0 %",
        "Thôn Trung Hòa": "80,0 %",
        "Thôn Yên Thọ": "0,0 %",
    }  # at 30/04 (D3)
    assert table["Giai đoạn 2: tăng"].to_dict() == {"Thôn 1": 50, "Thôn Trung Hòa": 50, "Thôn Yên Thọ": 0}
