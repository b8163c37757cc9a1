"""Weekly report rows: dates, figures above the roster's, duplicates, cumulative figures (lib/validation/reports.py)."""

import datetime as dt

import pytest

from conftest import D1, D2, D3, REPORTS, UNIT_REPORTS, book, check, codes
from lib.validation.run import validate


@pytest.mark.parametrize(
    ("typed", "code"), [("4/23/2026", "bad_date"), ("hôm qua", "bad_date"), (None, "missing_value"), (dt.date(2026, 12, 10), "future_date")]
)
def test_bad_dates_reject_the_row(typed, code):
    ds = check(Bao_cao_thon=REPORTS + [[typed, "Thôn 1", 100]])
    assert codes(ds) == [(code, "A6", "error")]


def test_a_date_that_is_not_thursday_is_a_warning_and_counts_for_the_nearest_thursday():
    ds = check(Bao_cao_thon=REPORTS + [[dt.date(2026, 5, 1), "Thôn 1", 100]])
    assert codes(ds) == [("not_report_day", "A6", "warning")]
    assert ds.village_reports.iloc[-1]["week"] == D3


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


def test_a_week_entered_again_uses_the_lowest_row_and_warns_on_the_earlier_one():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "Thôn 1", 95]])
    assert codes(ds) == [("duplicate_report", "B5", "warning")]
    assert ds.issues.iloc[0]["message"].startswith(
        "Tab Báo cáo thôn, dòng 5, cột Tên thôn (ô B5): tuần 23/04/2026 của Thôn 1 đã được nhập lại ở dòng 6; "
        "số ở dòng này không được tính (dòng dưới cùng được dùng)."
    )
    assert ds.rows["Báo cáo thôn"] == {"read": 5, "accepted": 5, "rejected": 0}
    assert ds.error_count == 0
    week = ds.village_reports[(ds.village_reports["village"] == "Thôn 1") & (ds.village_reports["week"] == D2)]
    assert (week["installed"].tolist(), week["row"].tolist()) == ([95], [6])


def test_each_earlier_row_names_the_lowest_row_which_is_used():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "Thôn 1", 95], [D3, "Thôn 1", 99], [D2, "thôn 01", 97]])
    found = ds.issues[ds.issues["code"] == "duplicate_report"]
    assert found["cell"].tolist() == ["B5", "B6"]
    assert all("nhập lại ở dòng 8" in m for m in found["message"])
    assert ds.village_reports.set_index(["village", "week"]).loc[("Thôn 1", D2), "installed"] == 97


def test_a_correction_that_is_itself_wrong_leaves_the_valid_row_in_use():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "Thôn 1", "abc"]])
    assert codes(ds) == [("not_a_number", "C6", "error")]
    assert ds.village_reports.set_index(["village", "week"]).loc[("Thôn 1", D2), "installed"] == 90


def test_an_identical_repeated_report_is_one_warning_and_counted_once():
    ds = check(Bao_cao_thon=REPORTS + [[D2, "thôn 1", 90]])
    assert codes(ds) == [("duplicate_report", "B5", "warning")]
    assert "giống hệt dòng 6" in ds.issues.iloc[0]["message"]
    assert ds.rows["Báo cáo thôn"] == {"read": 5, "accepted": 5, "rejected": 0}
    assert len(ds.village_reports) == 4


def test_a_unit_week_entered_again_uses_the_lowest_row():
    ds = check(Bao_cao_don_vi=UNIT_REPORTS + [[D1, "UBND xã", 27]])
    assert codes(ds) == [("duplicate_report", "B2", "warning")]
    assert ds.unit_reports.set_index(["unit", "week"]).loc[("UBND xã", D1), "installed"] == 27


def test_a_superseded_row_is_not_compared_as_a_cumulative_figure():
    ds = check(Bao_cao_thon=REPORTS + [[D1, "Thôn 1", 45]])  # 40 corrected to 45 below 23/04's 90
    assert codes(ds) == [("duplicate_report", "B3", "warning")]


def test_a_cumulative_figure_that_goes_down_is_a_warning():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 80]])
    assert codes(ds) == [("cumulative_decrease", "C6", "warning")]
    assert "giảm từ 90" in ds.issues.iloc[0]["message"]


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
    assert message.startswith("Tab Báo cáo thôn, dòng 6, cột Ngày báo cáo (ô A6): ") and "10/04/2025" in message and "15/04/2026" in message
    within = check(Bao_cao_thon=[REPORTS[0], [dt.date(2025, 4, 17), "Thôn 1", 10], *REPORTS[1:]])
    assert codes(within) == []
    assert within.village_reports["week"].min() == dt.date(2025, 4, 17)


def test_a_date_without_a_year_is_refused_the_same_way_whatever_today_is():
    rows = REPORTS + [["31/12", "Thôn 1", 100]]
    for today in (dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        ds = validate(book(Bao_cao_thon=rows), today)
        assert codes(ds) == [("bad_date", "A6", "error")]
        assert "không ghi năm" in ds.issues.iloc[0]["message"]
        assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]


def test_twenty_thousand_reports_of_one_village_and_week_are_short_warnings_in_linear_time():
    import time

    rows = [REPORTS[0]] + [[D1, "Thôn 1", 40 + (i % 2)] for i in range(20_000)]
    started = time.perf_counter()
    ds = check(Bao_cao_thon=rows)
    elapsed = time.perf_counter() - started
    found = ds.issues[ds.issues["code"] == "duplicate_report"]
    assert len(found) == 19_999 and ds.error_count == 0
    assert found["message"].str.contains("dòng 20001", regex=False).all()
    assert found["message"].str.len().max() < 300
    assert ds.village_reports["installed"].tolist() == [41]
    assert elapsed < 20, elapsed  # about 1 s on one core
