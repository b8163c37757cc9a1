"""Reading a tab: which tab is read, where its header is, each cell's clean value or issue (lib/validation/cells.py)."""

import pytest

from conftest import D1, D2, D3, REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES, book, check, codes
from lib.validation.run import validate


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


def test_serial_number_dates_from_the_sheets_api_are_read():
    ds = check(Bao_cao_thon=[REPORTS[0], [46135, "Thôn 1", 40]])
    assert codes(ds) == []
    assert ds.village_reports["week"].tolist() == [D2]


def test_legacy_encoded_name_is_an_error_that_says_so():
    ds = check(Bao_cao_thon=[REPORTS[0], [D1, "Thoân 1", 10]])
    assert ("legacy_encoding", "B2", "error") in codes(ds)
    assert "VNI" in ds.issues.iloc[0]["message"]


def test_total_rows_are_skipped_with_a_warning_not_counted():
    ds = check(Thon=VILLAGES + [["Tổng cộng", "", 450, 300]])
    assert codes(ds) == [("total_row_skipped", "A5", "warning")]
    assert ds.rows["Thôn"]["read"] == 3


def test_blank_rows_are_not_read():
    ds = check(Bao_cao_thon=REPORTS[:3] + [[None, "  ", None], []] + REPORTS[3:])
    assert ds.rows["Báo cáo thôn"] == {"read": 4, "accepted": 4, "rejected": 0}


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


def test_one_thousand_written_with_a_comma_is_refused_not_read_as_one():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "1,000"]])
    assert codes(ds) == [("comma_in_count", "C6", "error")]
    assert "nhập 1000 (không dùng dấu phẩy)" in ds.issues.iloc[0]["message"]
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]


def test_a_roster_longer_than_twice_a_province_is_read_up_to_the_limit_and_says_so():
    from lib import dashboard

    villages = [VILLAGES[0]] + [[f"Thôn {i}", "", 200, 100] for i in range(1, 3_201)]
    ds = check(Thon=villages)
    assert len(ds.villages) == 3_000
    assert ds.rows["Thôn"] == {"read": 3_000, "accepted": 3_000, "rejected": 0}
    too_many = ds.issues[ds.issues["code"] == "too_many_rows"]
    assert too_many[["sheet", "severity"]].values.tolist() == [["Thôn", "error"]]
    assert "chỉ đọc 3.000 thôn đầu tiên, từ dòng 3002 trở đi không được đọc" in too_many.iloc[0]["message"]
    assert len(dashboard.build(ds).village_weeks) == 3_000 * 2
