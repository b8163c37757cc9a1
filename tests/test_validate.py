import datetime as dt
import unicodedata

import pytest

from conftest import D1, D2, D3, REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES, book, check, codes
from lib.validation.model import ISSUE_COLUMNS
from lib.validation.workbook import validate


def test_a_clean_workbook_has_no_issues_and_accepts_every_row():
    ds = check()
    assert codes(ds) == []
    assert ds.rows["Báo cáo thôn"] == {"read": 4, "accepted": 4, "rejected": 0}
    assert ds.rows["Thôn"] == {"read": 3, "accepted": 3, "rejected": 0}
    assert list(ds.village_reports["installed"]) == [30, 40, 75, 90]


def test_issue_records_have_the_contract_columns():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"]])
    assert list(ds.issues.columns) == [*ISSUE_COLUMNS, "subject"]
    issue = ds.issues[ISSUE_COLUMNS].iloc[0].to_dict()
    assert ds.issues.iloc[0]["subject"] == "Thôn 1"
    assert issue == {
        "sheet": "Báo cáo thôn",
        "row": 6,
        "column": "Số hộ đã cài đặt",
        "cell": "C6",
        "severity": "error",
        "code": "not_a_number",
        "message": issue["message"],
        "value": "abc",
    }
    assert "C6" in issue["message"] and "Hãy nhập" in issue["message"]


def test_header_below_title_rows_and_extra_columns_is_found_with_real_cell_addresses():
    rows = [
        ["BÁO CÁO KẾT QUẢ CÀI ĐẶT"],
        [],
        ["STT", "Ngày", "Tên thôn/xóm", "Ghi chú", "Lũy kế số hộ đã cài đặt (hộ)"],
        [1, D1, "Thôn 1", "", "x"],
    ]
    ds = check(Bao_cao_thon=rows)
    assert codes(ds) == [("not_a_number", "E4", "error")]


@pytest.mark.parametrize(
    ("header", "field_value"),
    [("Số hộ có ĐTTM", 90), ("Hộ có ĐTTM", 90), ("Số hộ có smartphone", 90), ("so ho co dien thoai thong minh (hộ)", 90)],
)
def test_smartphone_column_aliases(header, field_value):
    villages = [["Tên thôn", "Tổng số hộ", header], ["Thôn 1", 150, field_value]]
    ds = check(Thon=villages, Bao_cao_thon=[REPORTS[0], [D1, "Thôn 1", 40]])
    assert codes(ds) == []
    assert ds.villages["smartphone_households"].tolist() == [90]


def test_unit_aliases_for_staff_and_officials_installed():
    ds = check(
        Don_vi=[["Tên đơn vị", "Tổng số CBCCVC"], ["UBND xã", 30]],
        Bao_cao_don_vi=[["Ngày báo cáo", "Đơn vị", "Số CBCCVC đã cài đặt"], [D1, "UBND xã", 28]],
    )
    assert codes(ds) == []
    assert ds.unit_reports["installed"].tolist() == [28]


def test_tab_names_match_ignoring_case_diacritics_and_spaces():
    raw = book()
    raw.tabs = {
        "THON": raw.tabs["Thôn"],
        "bao cao thon": raw.tabs["Báo cáo thôn"],
        "Don vi": raw.tabs["Đơn vị"],
        "BáoCáoĐơnVị": raw.tabs["Báo cáo đơn vị"],
    }
    ds = validate(raw, TODAY)
    assert codes(ds) == []
    assert ds.tab_titles["Báo cáo thôn"] == "bao cao thon"


def test_missing_tab_is_an_error():
    ds = check(Don_vi=None)
    assert ("missing_tab", "", "error") in codes(ds)
    assert ds.issues[ds.issues["code"] == "missing_tab"]["sheet"].tolist() == ["Đơn vị"]


def test_missing_required_column_is_an_error_and_the_tab_is_not_read():
    ds = check(Bao_cao_thon=[["Ngày báo cáo", "Tên thôn"], [D1, "Thôn 1"]])
    assert codes(ds) == [("missing_column", "", "error")]
    assert ds.issues.iloc[0]["column"] == "Số hộ đã cài đặt"
    assert "Báo cáo thôn" not in ds.rows


@pytest.mark.parametrize(
    ("typed", "code"),
    [(None, "missing_value"), ("  ", "missing_value"), ("abc", "not_a_number"), ("12,5", "not_whole"), (-4, "negative")],
)
def test_bad_counts_reject_the_row_with_the_cell_named(typed, code):
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", typed]])
    assert codes(ds) == [(code, "C6", "error")]
    assert ds.rows["Báo cáo thôn"] == {"read": 5, "accepted": 4, "rejected": 1}


def test_units_and_thousand_separators_in_counts_are_understood():
    ds = check(Thon=VILLAGES[:2] + [["Thôn 1", "", "1.200", "1.000 hộ"]], Bao_cao_thon=REPORTS[:2] + [[D1, "Thôn 1", "45 hộ"]])
    assert codes(ds) == []
    assert ds.villages["households"].tolist() == [200, 1200]
    assert ds.village_reports["installed"].tolist() == [30, 45]


def test_a_bad_optional_figure_is_a_warning_and_the_installed_figure_still_counts():
    rows = [["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt", "Số tài khoản đã đăng ký"], [D1, "Thôn 1", 40, "nhiều"]]
    ds = check(Bao_cao_thon=rows)
    assert codes(ds) == [("not_a_number", "D2", "warning")]
    assert ds.village_reports["installed"].tolist() == [40]
    assert ds.village_reports["accounts"].isna().all()


@pytest.mark.parametrize(
    ("typed", "code"), [("4/23/2026", "bad_date"), ("hôm qua", "bad_date"), (None, "missing_value"), (dt.date(2026, 12, 3), "future_date")]
)
def test_bad_dates_reject_the_row(typed, code):
    ds = check(Bao_cao_thon=REPORTS + [[typed, "Thôn 1", 100]])
    assert codes(ds) == [(code, "A6", "error")]


def test_a_date_that_is_not_thursday_is_a_warning_and_counts_for_the_nearest_thursday():
    ds = check(Bao_cao_thon=REPORTS + [[dt.date(2026, 5, 1), "Thôn 1", 100]])
    assert codes(ds) == [("not_report_day", "A6", "warning")]
    assert ds.village_reports.iloc[-1]["week"] == D3


def test_serial_number_dates_from_the_sheets_api_are_read():
    ds = check(Bao_cao_thon=[REPORTS[0], [46135, "Thôn 1", 40]])
    assert codes(ds) == []
    assert ds.village_reports["week"].tolist() == [D2]


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


def test_legacy_encoded_name_is_an_error_that_says_so():
    ds = check(Bao_cao_thon=[REPORTS[0], [D1, "Thoân 1", 10]])
    assert ("legacy_encoding", "B2", "error") in codes(ds)
    assert "VNI" in ds.issues.iloc[0]["message"]


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


def test_installed_above_households_is_an_error():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 151]])
    assert codes(ds) == [("exceeds_households", "C6", "error")]


def test_installed_above_smartphone_households_is_kept_with_a_warning():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 130]])
    assert codes(ds) == [("exceeds_smartphone_households", "C6", "warning")]
    assert ds.village_reports["installed"].tolist()[-1] == 130


def test_officials_installed_above_staff_is_an_error():
    ds = check(Bao_cao_don_vi=UNIT_REPORTS + [[D2, "Trạm Y tế xã", 11]])
    assert codes(ds) == [("exceeds_staff", "C5", "error")]


def test_two_different_reports_for_one_week_reject_both_rows():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "Thôn 1", 95]])
    assert codes(ds) == [("duplicate_report", "B5", "error"), ("duplicate_report", "B6", "error")]
    assert ds.rows["Báo cáo thôn"] == {"read": 5, "accepted": 3, "rejected": 2}


def test_an_identical_repeated_report_is_one_warning_and_counted_once():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "thôn 1", 90]])
    assert codes(ds) == [("duplicate_report", "B6", "warning")]
    assert ds.rows["Báo cáo thôn"] == {"read": 5, "accepted": 5, "rejected": 0}
    assert len(ds.village_reports) == 4


def test_a_cumulative_figure_that_goes_down_is_a_warning():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 80]])
    assert codes(ds) == [("cumulative_decrease", "C6", "warning")]
    assert "giảm từ 90" in ds.issues.iloc[0]["message"]


def test_total_rows_are_skipped_with_a_warning_not_counted():
    ds = check(Thon=VILLAGES + [["Tổng cộng", "", 450, 300]])
    assert codes(ds) == [("total_row_skipped", "A5", "warning")]
    assert ds.rows["Thôn"]["read"] == 3


def test_blank_rows_are_not_read():
    ds = check(Bao_cao_thon=REPORTS[:3] + [[None, "  ", None], []] + REPORTS[3:])
    assert ds.rows["Báo cáo thôn"] == {"read": 4, "accepted": 4, "rejected": 0}


def test_reports_of_a_village_whose_roster_row_is_rejected_are_rejected_with_a_pointer():
    ds = check(Thon=[VILLAGES[0], ["Thôn 1", "", "nhiều", 100]], Bao_cao_thon=[REPORTS[0], [D1, "Thôn 1", 10]])
    found = ds.issues[ds.issues["sheet"] == "Báo cáo thôn"]
    assert found["code"].tolist() == ["unknown_village"]
    assert "dòng 2" in found.iloc[0]["message"]


def test_config_tab_sets_targets_and_report_day():
    config = [["Mục", "Giá trị"], ["Tên xã", "Sơn Giang"], ["Chỉ tiêu hộ dân (%)", "80%"], ["Ngày báo cáo trong tuần", "Thứ Sáu"]]
    ds = check(**{"Cấu hình": config}, Bao_cao_thon=[REPORTS[0], [dt.date(2026, 4, 17), "Thôn 1", 10]])
    assert ds.campaign.household_target == pytest.approx(0.8)
    assert ds.campaign.report_weekday == 4
    village_issues = ds.issues[ds.issues["sheet"] == "Báo cáo thôn"]
    assert village_issues.empty  # 17/4 is the configured Friday; the units' Thursdays now get warnings
    assert set(ds.issues["code"]) == {"not_report_day"}


def test_bad_settings_keep_the_default_and_say_so():
    config = [["Mục", "Giá trị"], ["Chỉ tiêu hộ dân (%)", "bảy mươi"], ["Màu nền", "xanh"]]
    ds = check(**{"Cấu hình": config})
    assert codes(ds) == [("bad_setting", "B2", "error"), ("unknown_setting", "A3", "warning")]
    assert ds.campaign.household_target == 0.7


def test_phases_tab_replaces_the_default_phases():
    phases = [["Giai đoạn", "Từ ngày", "Đến ngày"], ["Đợt 1", "01/05/2026", "31/05/2026"], ["Đợt 2", "01/06/2026", "15/05/2026"]]
    ds = check(**{"Giai đoạn": phases})
    assert [p.name for p in ds.campaign.phases] == ["Đợt 1"]
    assert codes(ds) == [("bad_phase", "C3", "error")]


def test_row_accounting_holds_and_every_rejected_row_has_an_error():
    ds = check(
        Bao_cao_thon=REPORTS
        + [[D3, "Thôn 1", "abc"], ["4/23/2026", "Thôn 1", 3], [D3, "Thôn X", 2], [D3, "Thôn Yên Thọ", 1], [D3, "Thôn Yên Thọ", 2]]
    )
    counts = ds.rows["Báo cáo thôn"]
    assert counts["read"] == counts["accepted"] + counts["rejected"] == 9
    errors = ds.issues[(ds.issues["sheet"] == "Báo cáo thôn") & (ds.issues["severity"] == "error")]
    assert errors["row"].nunique() == counts["rejected"] == 5


def test_merged_name_cells_are_filled_from_the_sheet(tmp_path):
    from openpyxl import Workbook

    from lib.sources import read_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo thôn"
    ws.append(["Tên thôn", "Ngày báo cáo", "Số hộ đã cài đặt"])
    ws.append(["Thôn 1", D1, 40])
    ws.append([None, D2, 90])
    ws.merge_cells("A2:A3")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    raw = read_xlsx(path)
    merged = book()
    merged.tabs["Báo cáo thôn"] = raw.tabs["Báo cáo thôn"]
    ds = validate(merged, TODAY)
    assert codes(ds) == []
    assert ds.village_reports["installed"].tolist() == [40, 90]


# --- which tab is read when two tabs match ----------------------------------------------------

HIDDEN_COPY = [REPORTS[0], [D1, "Thôn Trung Hòa", 1], [D1, "Thôn 1", 1], [D2, "Thôn Trung Hòa", 2], [D2, "Thôn 1", 2]]


def _with_tabs(tabs: dict[str, list[list[object]]], hidden: frozenset[str] = frozenset()):
    from lib.sources import RawWorkbook

    return RawWorkbook(tabs={k: [list(r) for r in v] for k, v in tabs.items()}, source="test.xlsx", hidden_tabs=hidden)


def test_a_hidden_tab_named_by_an_alias_never_replaces_the_visible_tab():
    raw = _with_tabs(
        {"Thôn": VILLAGES, "Bao cao thon hang tuan": HIDDEN_COPY, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS},
        hidden=frozenset({"Bao cao thon hang tuan"}),
    )
    ds = validate(raw, TODAY)
    assert ds.tab_titles["Báo cáo thôn"] == "Báo cáo thôn"
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]
    assert codes(ds) == [("ignored_tab", "", "warning")]
    warning = ds.issues.iloc[0]
    assert warning["sheet"] == "Bao cao thon hang tuan"
    assert "bỏ qua tab 'Bao cao thon hang tuan' (đang ẩn)" in warning["message"]


def test_a_visible_tab_is_read_before_a_hidden_one_even_with_the_canonical_name():
    raw = _with_tabs(
        {"Thôn": VILLAGES, "Báo cáo thôn": HIDDEN_COPY, "Báo cáo các thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS},
        hidden=frozenset({"Báo cáo thôn"}),
    )
    ds = validate(raw, TODAY)
    assert ds.tab_titles["Báo cáo thôn"] == "Báo cáo các thôn"
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]
    assert ds.issues[["sheet", "code"]].values.tolist() == [["Báo cáo thôn", "ignored_tab"]]


def test_of_two_visible_tabs_the_canonical_name_wins_and_the_other_is_named():
    ds = check(**{"Bao cao thon hang tuan": HIDDEN_COPY}, Bao_cao_thon=REPORTS)
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]
    assert ds.issues[["sheet", "code", "severity"]].values.tolist() == [["Bao cao thon hang tuan", "ignored_tab", "warning"]]
    assert "đang đọc tab 'Báo cáo thôn'" in ds.issues.iloc[0]["message"]


def test_a_hidden_tab_is_read_with_a_warning_when_no_visible_tab_matches():
    raw = _with_tabs(
        {"Thôn": VILLAGES, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS}, hidden=frozenset({"Báo cáo thôn"})
    )
    ds = validate(raw, TODAY)
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]
    assert codes(ds) == [("hidden_tab", "", "warning")]


# --- numbers and dates that would silently change the figures ----------------------------------


def test_one_thousand_written_with_a_comma_is_refused_not_read_as_one():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "1,000"]])
    assert codes(ds) == [("comma_in_count", "C6", "error")]
    assert "nhập 1000 (không dùng dấu phẩy)" in ds.issues.iloc[0]["message"]
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]


@pytest.mark.parametrize("typed", ["0206-04-23", "23/04/1926", "0001-01-01", dt.date(1, 1, 1), "23/04/2206"])
def test_a_report_date_with_an_impossible_year_is_refused_and_cannot_stretch_the_weeks(typed):
    from lib import metrics

    ds = check(Bao_cao_thon=REPORTS + [[typed, "Thôn 1", 100]])
    assert codes(ds) == [("bad_date", "A6", "error")]
    assert "không hợp lý" in ds.issues.iloc[0]["message"]
    assert metrics.weeks(ds) == [D1, D2]


def test_a_report_date_more_than_a_year_before_the_campaign_is_refused_naming_the_cell():
    ds = check(Bao_cao_thon=REPORTS + [[dt.date(2025, 4, 10), "Thôn 1", 10]])
    assert codes(ds) == [("early_date", "A6", "error")]
    message = ds.issues.iloc[0]["message"]
    assert "Ô A6" in message and "10/04/2025" in message and "15/04/2026" in message
    within = check(Bao_cao_thon=[REPORTS[0], [dt.date(2025, 4, 17), "Thôn 1", 10], *REPORTS[1:]])
    assert codes(within) == []
    assert within.village_reports["week"].min() == dt.date(2025, 4, 17)


def test_a_sunday_report_day_and_a_year_one_date_give_an_issue_not_an_overflow():
    from lib import dashboard

    config = [["Mục", "Giá trị"], ["Ngày báo cáo trong tuần", "Chủ Nhật"]]
    reports = [REPORTS[0], [dt.date(2026, 4, 19), "Thôn 1", 40], ["0001-01-01", "Thôn 1", 1], [dt.date(1, 1, 1), "Thôn Trung Hòa", 1]]
    ds = check(**{"Cấu hình": config}, Bao_cao_thon=reports, Bao_cao_don_vi=None)
    assert ds.campaign.report_weekday == 6
    assert [c for c in codes(ds) if c[0] != "missing_tab"] == [("bad_date", "A3", "error"), ("bad_date", "A4", "error")]
    assert dashboard.build(ds).weeks == [dt.date(2026, 4, 19)]


def test_a_phase_dated_year_one_is_refused_and_the_calendar_stays_sane():
    phases = [["Giai đoạn", "Từ ngày", "Đến ngày"], ["Đợt 0", "0001-01-01", "30/04/2026"], ["Đợt 1", "01/05/2026", "31/05/2026"]]
    ds = check(**{"Giai đoạn": phases})
    assert codes(ds) == [("bad_date", "B2", "error")]
    assert [p.name for p in ds.campaign.phases] == ["Đợt 1"]


def test_a_date_without_a_year_is_refused_the_same_way_whatever_today_is():
    rows = REPORTS + [["31/12", "Thôn 1", 100]]
    for today in (dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        ds = validate(book(Bao_cao_thon=rows), today)
        assert codes(ds) == [("bad_date", "A6", "error")]
        assert "không ghi năm" in ds.issues.iloc[0]["message"]
        assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]


# --- per-issue detail stays short ------------------------------------------------------------


def test_twenty_thousand_reports_of_one_village_and_week_name_a_few_rows_each():
    rows = [REPORTS[0]] + [[D1, "Thôn 1", 40 + (i % 2)] for i in range(20_000)]
    ds = check(Bao_cao_thon=rows)
    found = ds.issues[ds.issues["code"] == "duplicate_report"]
    assert len(found) == 20_000
    message = found.iloc[0]["message"]
    assert "(các dòng 2, 3, 4, 5, 6 và 19.995 dòng khác)" in message
    assert found["message"].str.len().max() < 400
    few = check(Bao_cao_thon=REPORTS + [[D2, "Thôn 1", 90], [D2, "thôn 01", 90]])
    assert "(các dòng 5, 6, 7)" in few.issues.iloc[0]["message"]


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


def test_a_roster_longer_than_twice_a_province_is_read_up_to_the_limit_and_says_so():
    from lib import dashboard

    villages = [VILLAGES[0]] + [[f"Thôn {i}", "", 200, 100] for i in range(1, 3_201)]
    ds = check(Thon=villages)
    assert len(ds.villages) == 3_000
    assert ds.rows["Thôn"] == {"read": 3_000, "accepted": 3_000, "rejected": 0}
    too_many = ds.issues[ds.issues["code"] == "too_many_rows"]
    assert too_many[["sheet", "severity"]].values.tolist() == [["Thôn", "error"]]
    assert "chỉ đọc 3.000 thôn đầu tiên, từ dòng 3002 trở đi không được đọc" in too_many.iloc[0]["message"]
    assert len(dashboard.build(ds).vw) == 3_000 * 2
