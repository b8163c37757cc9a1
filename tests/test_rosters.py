"""The Thôn and Đơn vị rosters: duplicates, figures that disagree, and finding a typed name (lib/validation/rosters.py)."""

import unicodedata

from conftest import D1, D2, REPORTS, UNIT_REPORTS, UNITS, VILLAGES, check, codes


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


def test_reports_of_a_village_whose_roster_row_is_rejected_are_rejected_with_a_pointer():
    ds = check(Thon=[VILLAGES[0], ["Thôn 1", "", "nhiều", 100]], Bao_cao_thon=[REPORTS[0], [D1, "Thôn 1", 10]])
    found = ds.issues[ds.issues["sheet"] == "Báo cáo thôn"]
    assert found["code"].tolist() == ["unknown_village"]
    assert "dòng 2" in found.iloc[0]["message"]


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
