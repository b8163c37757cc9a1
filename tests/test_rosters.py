"""The Thôn and Đơn vị rosters: duplicates, figures that disagree, and finding a typed name (lib/validation/rosters.py)."""

import unicodedata

import pandas as pd
import pytest

from conftest import D1, D2, D3, REPORTS, UNIT_REPORTS, UNITS, VILLAGES, check, codes


def test_spellings_of_a_village_are_understood_silently():
    rows = [REPORTS[0], [D1, "Thôn Trung Hoà", 10], [D1, "thôn 01", 20], [D1, unicodedata.normalize("NFD", "Thôn Yên Thọ") + "\u00a0", 5]]
    ds = check(Bao_cao_thon=rows)
    assert codes(ds) == []
    assert ds.village_reports["village"].tolist() == ["Thôn Trung Hòa", "Thôn 1", "Thôn Yên Thọ"]


def test_a_name_without_diacritics_is_accepted_with_a_warning_when_unique():
    ds = check(Bao_cao_thon=[REPORTS[0], [D1, "Thon Yen Tho", 10]])
    assert codes(ds) == [("approximate_name", "B2", "warning")]
    assert ds.village_reports["village"].tolist() == ["Thôn Yên Thọ"]


def test_a_name_without_diacritics_that_matches_two_villages_is_an_error():
    villages = VILLAGES + [["Thôn Hòa", "", 50, 40], ["Thôn Hoa", "", 60, 40]]
    ds = check(Thon=villages, Bao_cao_thon=[REPORTS[0], [D1, "Thon Hoa", 10]])
    assert ("unknown_village", "B2", "error") in codes(ds)


def test_unknown_village_suggests_the_closest_name():
    ds = check(Bao_cao_thon=[REPORTS[0], [D1, "Thôn Trung Hoa A", 10]])
    assert codes(ds) == [("unknown_village", "B2", "error")]
    assert "Có phải 'Thôn Trung Hòa'?" in ds.issues.iloc[0]["message"]


def test_unknown_unit_is_an_error():
    ds = check(Bao_cao_don_vi=UNIT_REPORTS + [[D2, "Hội Cựu chiến binh", 3]])
    assert codes(ds) == [("unknown_unit", "B5", "error")]


def test_duplicate_village_on_the_roster():
    ds = check(Thon=VILLAGES + [["thôn  01", "", 10, 5]])
    assert codes(ds) == [("duplicate_village", "A5", "error")]
    assert len(ds.villages) == 3


def test_duplicate_unit_on_the_roster():
    ds = check(Don_vi=UNITS + [["UBND Xã", "", 5]])
    assert codes(ds) == [("duplicate_unit", "A4", "error")]


def test_smartphone_households_cannot_exceed_households():
    ds = check(Thon=VILLAGES + [["Thôn 9", "", 50, 60]])
    assert codes(ds) == [("smartphone_exceeds_households", "D5", "error")]


def test_reports_of_a_village_whose_roster_name_is_refused_are_rejected_with_a_pointer():
    ds = check(Thon=[VILLAGES[0], ["Thoân 1", "", 150, 100]], Bao_cao_thon=[REPORTS[0], [D1, "Thoân 1", 10]])
    found = ds.issues[ds.issues["sheet"] == "Báo cáo thôn"]
    assert found["code"].tolist() == ["legacy_encoding", "unknown_village"]
    assert "dòng 2" in found.iloc[1]["message"]


@pytest.mark.parametrize(
    ("typed", "code"), [("77%", "not_a_number"), ("abc", "not_a_number"), (-5, "negative"), ("12,5", "not_whole"), (None, "missing_value")]
)
def test_a_bad_smartphone_figure_keeps_the_village_and_its_reports(typed, code):
    villages = [VILLAGES[0], VILLAGES[1], ["Thôn 1", "Sơn Lâm", 150, typed], VILLAGES[3]]
    ds = check(Thon=villages)
    assert codes(ds) == [(code, "D3", "error")]  # the cell keeps its error
    assert ds.rows["Thôn"] == {"read": 3, "accepted": 3, "rejected": 0}
    assert ds.rows["Báo cáo thôn"] == {"read": 4, "accepted": 4, "rejected": 0}  # no "unknown village"
    village = ds.villages.set_index("name").loc["Thôn 1"]
    assert pd.isna(village["smartphone_households"]) and village["households"] == 150
    assert ds.village_reports.loc[ds.village_reports["village"] == "Thôn 1", "installed"].tolist() == [40, 90]


def test_a_bad_household_figure_keeps_the_village_and_checks_installs_against_what_is_known():
    villages = [VILLAGES[0], VILLAGES[1], ["Thôn 1", "Sơn Lâm", "nhiều", 100], VILLAGES[3]]
    ds = check(Thon=villages, Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 110]])
    assert codes(ds) == [("not_a_number", "C3", "error"), ("exceeds_smartphone_households", "C6", "warning")]
    assert pd.isna(ds.villages.set_index("name").loc["Thôn 1", "households"])
    assert len(ds.village_reports) == 5


def test_more_smartphone_households_than_households_keeps_the_village_without_the_smartphone_figure():
    ds = check(Thon=VILLAGES + [["Thôn 9", "", 50, 60]], Bao_cao_thon=REPORTS + [[D2, "Thôn 9", 20]])
    assert codes(ds) == [("smartphone_exceeds_households", "D5", "error")]
    village = ds.villages.set_index("name").loc["Thôn 9"]
    assert pd.isna(village["smartphone_households"]) and village["households"] == 50
    assert "Thôn 9" in set(ds.village_reports["village"])


def test_a_bad_staff_figure_keeps_the_unit_and_its_reports():
    ds = check(Don_vi=[UNITS[0], ["UBND xã", "Khối Đảng – chính quyền", "30 người?"], UNITS[2]])
    assert codes(ds) == [("not_a_number", "C2", "error")]
    assert pd.isna(ds.units.set_index("name").loc["UBND xã", "staff"])
    assert ds.rows["Báo cáo đơn vị"]["rejected"] == 0


def test_a_roster_row_without_a_name_is_still_rejected():
    ds = check(Thon=VILLAGES + [[None, "", 50, "77%"]])
    assert codes(ds) == [("missing_value", "A5", "error"), ("not_a_number", "D5", "error")]
    assert ds.rows["Thôn"] == {"read": 4, "accepted": 3, "rejected": 1}


def test_thousands_of_unknown_names_cost_seconds_not_minutes_and_the_first_still_get_a_suggestion():
    import time

    villages = [VILLAGES[0]] + [[f"Thôn Làng {i} Xóm", "", 200, 100] for i in range(1500)]
    reports = [REPORTS[0]] + [[D1, f"Thon Lang {i} Xom Moi", 3] for i in range(2000)]  # each close to one village
    started = time.perf_counter()
    ds = check(Thon=villages, Bao_cao_thon=reports)
    assert time.perf_counter() - started < 60  # was 240 s: every unknown name ran difflib against 1.500 villages
    unknown = ds.issues[ds.issues["code"] == "unknown_village"]
    assert len(unknown) == 2000
    assert "Có phải 'Thôn Làng 0 Xóm'?" in unknown.iloc[0]["message"]
    assert "Có phải 'Thôn Làng 49 Xóm'?" in unknown.iloc[49]["message"]
    assert "Có phải" not in unknown.iloc[50]["message"]
