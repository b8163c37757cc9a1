"""The overview's data-health line: what is off in the figures, each item the list behind it."""

import dataclasses
import datetime as dt

import numpy as np

from conftest import D1, check
from lib import dashboard, data_health

WEEKS = [D1 + dt.timedelta(days=7 * i) for i in range(6)]  # 16/04 … 21/05


def board_of(**tabs):
    return dashboard.build(check(**tabs))


def test_all_well_says_nothing():
    assert data_health.health(board_of()) == []


def troubled():
    reports = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"], [WEEKS[0], "Thôn Yên Thọ", 10]]  # then silent
    reports += [[w, "Thôn Trung Hòa", 30 if i == 0 else 65] for i, w in enumerate(WEEKS)]  # flat from the second week, short of 70 %
    reports += [[w, "Thôn 1", 40 + 18 * i] for i, w in enumerate(WEEKS)]  # 130 of 120 smartphone households at the end
    reports += [[WEEKS[-1], "Thôn Yên Thọ", "mười"]]  # a row refused
    return board_of(Bao_cao_thon=reports)


def test_each_kind_of_trouble_is_found_with_the_villages_behind_it():
    board = troubled()
    found = {item.code: item for item in data_health.health(board)}
    assert list(found) == ["loai", "so-cu", "khong-tang", "vuot-100"]
    assert [found[c].text for c in found] == [
        "1 dòng bị loại",
        "1 thôn dùng số tuần trước",
        "2 thôn chưa đạt, 4+ tuần không tăng",
        "1 thôn vượt số hộ có ĐTTM",
    ]
    assert found["so-cu"].rows.to_dict("list") == {
        "name": ["Thôn Yên Thọ"],
        "figure": ["12,5 % (10/80 hộ)"],
        "why": ["Chưa báo cáo tuần 21/05/2026; dùng số của báo cáo 16/04/2026"],
    }
    flat = found["khong-tang"].rows
    assert list(flat["name"]) == ["Thôn Trung Hòa", "Thôn Yên Thọ"]  # Vietnamese order
    assert list(flat["why"]) == ["Không tăng 4 tuần liền (từ tuần 23/04/2026)", "Không tăng 5 tuần liền (từ tuần 16/04/2026)"]
    assert found["vuot-100"].rows.to_dict("list")["figure"] == ["108,3 % (130/120 hộ)"]


def test_rows_refused_agree_with_the_quality_screens_row_count_and_name_their_row():
    board = troubled()
    item = data_health.item(board, "loai")
    assert item.count == sum(n["rejected"] for n in board.ds.rows.values()) == 1
    (row,) = item.rows.itertuples()
    assert (row.sheet, row.row, row.subject) == ("Báo cáo thôn", 15, "Thôn Yên Thọ")  # header on row 1, 13 rows above it
    assert "C15" in row.why


def test_three_weeks_without_an_increase_is_not_yet_flat():
    reports = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"]]
    reports += [[w, "Thôn Trung Hòa", 30 if i == 0 else 75] for i, w in enumerate(WEEKS[:5])]  # 23/04 to 14/05: three weeks
    reports += [[w, n, 10 + i] for i, w in enumerate(WEEKS[:5]) for n in ("Thôn 1", "Thôn Yên Thọ")]
    assert data_health.item(board_of(Bao_cao_thon=reports), "khong-tang").count == 0


def test_a_village_without_smartphone_households_is_listed_whatever_stands_in_the_cell():
    board = board_of()
    villages = board.ds.villages.copy()
    villages["smartphone_households"] = villages["smartphone_households"].astype("float64")
    villages.loc[villages["name"] == "Thôn 1", "smartphone_households"] = np.nan  # a bad roster figure read as null
    villages.loc[villages["name"] == "Thôn Yên Thọ", "smartphone_households"] = 0
    board = dataclasses.replace(board, ds=dataclasses.replace(board.ds, villages=villages))
    item = data_health.item(board, "thieu-so-ho")
    assert item.rows.to_dict("list") == {
        "name": ["Thôn 1", "Thôn Yên Thọ"],
        "figure": ["90 hộ đã cài", "0 hộ đã cài"],
        "why": ["Chưa có số hộ có ĐTTM hợp lệ ở tab Thôn", "Số hộ có ĐTTM là 0: không tính tỷ lệ"],
    }
    assert item.text == "2 thôn chưa có số hộ có ĐTTM"


def test_an_unknown_code_names_nothing_and_a_known_one_lists_even_when_empty():
    board = board_of()
    assert data_health.item(board, "xyz") is None
    assert data_health.item(board, "vuot-100").count == 0
    assert set(data_health.CODES) == {"loai", "so-cu", "khong-tang", "vuot-100", "thieu-so-ho"}


def test_a_village_that_installed_every_smartphone_household_is_not_flat():
    reports = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"]]
    reports += [[w, n, s] for w in WEEKS for n, s in (("Thôn Trung Hòa", 100), ("Thôn 1", 120), ("Thôn Yên Thọ", 80))]
    assert data_health.item(board_of(Bao_cao_thon=reports), "khong-tang").count == 0


def test_a_flat_village_that_meets_the_target_is_not_flagged_so_a_healthy_sheet_after_the_peak_is_silent():
    # Thôn Trung Hòa has 100 smartphone households: 75 flat for weeks is 75 % (target 70 %), 65 is short of it.
    meeting = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"]] + [[w, "Thôn Trung Hòa", 75] for w in WEEKS]
    short = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"]] + [[w, "Thôn Trung Hòa", 65] for w in WEEKS]
    assert data_health.item(board_of(Bao_cao_thon=meeting), "khong-tang").count == 0
    assert list(data_health.item(board_of(Bao_cao_thon=short), "khong-tang").rows["name"]) == ["Thôn Trung Hòa"]
