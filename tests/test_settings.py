"""The Cấu hình and Giai đoạn tabs: settings over the defaults, and the campaign's phases (lib/validation/settings.py)."""

import datetime as dt

import pytest

from conftest import REPORTS, check, codes


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
