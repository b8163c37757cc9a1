import pandas as pd
import pytest

from conftest import D1, D2, D3, REPORTS, UNITS, VILLAGES, check
from lib import metrics


def by_name(frame, week):
    return {r["name"]: r for r in metrics.at_week(frame, week).to_dict(orient="records")}


def test_village_figures_at_a_week_are_hand_computed():
    ds = check()
    now = by_name(metrics.village_weekly(ds), D2)
    trung_hoa, thon_1, yen_tho = now["Thôn Trung Hòa"], now["Thôn 1"], now["Thôn Yên Thọ"]
    assert (trung_hoa["installed"], trung_hoa["rate"], trung_hoa["rate_all"]) == (75, 0.75, 0.375)
    assert (trung_hoa["meets_target"], trung_hoa["needed"], trung_hoa["change"]) == (True, 0, 45)
    assert trung_hoa["change_pp"] == pytest.approx(0.45)
    assert (thon_1["installed"], thon_1["rate"], thon_1["needed"]) == (90, 0.75, 0)
    assert (yen_tho["installed"], yen_tho["rate"], yen_tho["needed"], yen_tho["ever_reported"]) == (0, 0.0, 56, False)


def test_households_still_needed_round_up_to_reach_the_target():
    assert metrics.needed_for(0.7, 143) == 101  # 100,1 → 101
    assert metrics.needed_for(0.7, 100) == 70  # not 71 from 70.00000000000001


def test_a_village_that_skips_a_week_is_carried_forward_and_marked():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn Trung Hòa", 80]])
    now = by_name(metrics.village_weekly(ds), D3)
    assert (now["Thôn 1"]["installed"], now["Thôn 1"]["carried"], now["Thôn 1"]["reported"]) == (90, True, False)
    assert (now["Thôn Trung Hòa"]["installed"], now["Thôn Trung Hòa"]["carried"]) == (80, False)
    assert now["Thôn 1"]["change"] == 0


def test_commune_totals_are_sums_of_villages_with_completeness():
    ds = check()
    cw = metrics.commune_weekly(metrics.village_weekly(ds), ds.campaign.household_target)
    week2 = cw[cw["week"] == D2].iloc[0]
    assert (week2["installed"], week2["smartphone_households"], week2["households"]) == (165, 300, 450)
    assert week2["rate"] == pytest.approx(0.55)
    assert week2["rate_all"] == pytest.approx(165 / 450)
    assert (week2["reported"], week2["villages"], week2["meeting_target"]) == (2, 3, 2)
    assert week2["completeness"] == pytest.approx(2 / 3)
    assert cw["change"].tolist() == [70, 95]


def test_summary_matches_the_json_contract_fields():
    s = metrics.summary(check())
    assert (s.as_of, s.villages, s.villages_reported_latest) == (D2, 3, 2)
    assert (s.households, s.smartphone_households, s.installed_households) == (450, 300, 165)
    assert s.household_rate == pytest.approx(0.55)
    assert s.villages_meeting_target == 2
    assert (s.officials, s.officials_installed, s.official_rate) == (40, 40, 1.0)
    assert (s.units, s.units_meeting_target) == (2, 2)


def test_units_are_carried_forward_against_their_staff():
    ds = check()
    now = by_name(metrics.unit_weekly(ds), D2)
    assert (now["Trạm Y tế xã"]["installed"], now["Trạm Y tế xã"]["carried"], now["Trạm Y tế xã"]["rate"]) == (10, True, 1.0)
    assert now["UBND xã"]["group"] == "Khối Đảng – chính quyền"
    first = by_name(metrics.unit_weekly(ds), D1)
    assert (first["UBND xã"]["needed"], first["UBND xã"]["meets_target"]) == (5, False)


def test_a_workbook_without_reports_shows_every_village_as_not_reported():
    ds = check(Bao_cao_thon=[REPORTS[0]], Bao_cao_don_vi=[["Ngày báo cáo", "Tên đơn vị", "Số cán bộ đã cài đặt"]])
    s = metrics.summary(ds)
    assert (s.as_of, s.installed_households, s.household_rate) == (None, 0, 0.0)
    table = metrics.village_table(ds, metrics.village_weekly(ds), None)
    assert table["needed"].tolist() == [70, 84, 56]
    assert not table["ever_reported"].any()


def test_rates_above_100_percent_are_kept_not_capped():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", 130]])
    now = by_name(metrics.village_weekly(ds), D3)
    assert now["Thôn 1"]["rate"] == pytest.approx(130 / 120)


def test_pace_from_the_run_rate_of_the_last_weeks():
    import datetime as dt

    cw = metrics.pd.DataFrame(
        {
            "week": [D1, D2, D3, D3 + dt.timedelta(days=7), D3 + dt.timedelta(days=14)],
            "installed": [0, 40, 80, 120, 160],
            "smartphone_households": [400] * 5,
        }
    )
    p = metrics.pace(cw, 0.7, deadline=D3 + dt.timedelta(days=42))
    assert (p.goal, p.remaining, p.run_rate, p.window_weeks) == (280, 120, 40.0, 4)
    assert p.eta == D3 + dt.timedelta(days=14 + 21)  # 120 more at 40 a week: three weeks
    assert p.per_week_needed == 120 / 4 and p.on_pace and not p.reached
    late = metrics.pace(cw, 0.7, deadline=D3 + dt.timedelta(days=28))
    assert not late.on_pace and late.per_week_needed == 120 / 2


def test_pace_when_stalled_or_reached():
    cw = metrics.pd.DataFrame({"week": [D1, D2], "installed": [50, 50], "smartphone_households": [100, 100]})
    stalled = metrics.pace(cw, 0.7, deadline=D3)
    assert (stalled.run_rate, stalled.eta, stalled.on_pace) == (0.0, None, False)
    done = metrics.pace(cw, 0.5, deadline=D3)
    assert done.reached and done.on_pace and done.remaining == 0


def test_the_default_deadline_is_the_end_of_the_current_phase():
    import datetime as dt

    phases = check().campaign.phases
    assert metrics.default_deadline(phases, dt.date(2026, 4, 23)) == dt.date(2026, 4, 30)
    assert metrics.default_deadline(phases, dt.date(2026, 11, 26)) == dt.date(2026, 12, 31)
    assert metrics.default_deadline(phases, dt.date(2026, 4, 1)) == dt.date(2026, 4, 20)


def test_behind_target_lists_only_the_short_lowest_rate_first():
    frame = metrics.pd.DataFrame(
        {"name": ["Thôn 3", "Thôn 1", "Thôn 2", "Thôn 4"], "rate": [0.6, 0.8, 0.6, 0.2], "meets_target": [False, True, False, False]}
    )
    assert metrics.behind_target(frame)["name"].tolist() == ["Thôn 4", "Thôn 2", "Thôn 3"]  # 20 %, then 60 % by name
    assert metrics.behind_target(frame.iloc[0:0]).empty


def test_most_needed_lists_the_short_villages_by_households_still_needed():
    frame = metrics.pd.DataFrame(
        {"name": ["Thôn 3", "Thôn 1", "Thôn 2", "Thôn 4"], "needed": [12, 0, 30, 12], "meets_target": [False, True, False, False]}
    )
    assert metrics.most_needed(frame)["name"].tolist() == ["Thôn 2", "Thôn 3", "Thôn 4"]  # 30, then 12 and 12 by name


@pytest.mark.parametrize(("weeks_left", "per_week", "ask"), [(3, 40.0, 40), (7, 120 / 7, 18), (8, 15.0, 15)])
def test_the_households_a_week_to_ask_for_round_up(weeks_left, per_week, ask):
    import datetime as dt

    last = D3 + dt.timedelta(days=14)
    cw = metrics.pd.DataFrame({"week": [D3, last], "installed": [100, 160], "smartphone_households": [400, 400]})
    p = metrics.pace(cw, 0.7, deadline=last + dt.timedelta(days=7 * weeks_left))  # 280 − 160 = 120 still needed
    assert (p.remaining, p.per_week_needed, p.per_week_to_ask) == (120, per_week, ask)


UNKNOWN_AND_ZERO = {
    # Thôn 1's smartphone households typed as a percent; Thôn Không has no smartphone household at all.
    "Thon": [*VILLAGES[:2], ["Thôn 1", "Sơn Lâm", 150, "77%"], VILLAGES[3], ["Thôn Không", "", 40, 0]],
    "Bao_cao_thon": REPORTS + [[D2, "Thôn Không", 0]],
}


def test_a_village_without_a_smartphone_figure_is_left_out_of_both_sides_of_the_rate():
    ds = check(**UNKNOWN_AND_ZERO)
    s = metrics.summary(ds)
    assert (s.villages, s.villages_without_denominator, s.villages_reported_latest) == (4, 1, 3)
    # Thôn 1's 90 installs are not counted against the 100 + 80 + 0 known smartphone households.
    assert (s.smartphone_households, s.installed_households) == (180, 75)
    assert s.household_rate == pytest.approx(75 / 180)
    assert s.villages_meeting_target == 1  # Trung Hòa only: Thôn 1 and Thôn Không are neither meeting nor missing
    cw = metrics.commune_weekly(metrics.village_weekly(ds), ds.campaign.household_target)
    week2 = cw[cw["week"] == D2].iloc[0]
    assert (week2["installed"], week2["smartphone_households"], week2["meeting_target"]) == (75, 180, 1)
    assert week2["rate_all"] == pytest.approx((75 + 90) / (200 + 150 + 100 + 40))  # every household figure is known


def test_no_target_applies_to_a_village_with_an_unknown_or_zero_denominator():
    ds = check(**UNKNOWN_AND_ZERO)
    table = metrics.village_table(ds, metrics.village_weekly(ds), D2).set_index("name")
    for name in ("Thôn 1", "Thôn Không"):
        assert pd.isna(table.loc[name, "rate"]) and pd.isna(table.loc[name, "meets_target"]), name
    assert table.loc["Thôn 1", "installed"] == 90  # its own figure is still shown
    assert metrics.behind_target(table.reset_index())["name"].tolist() == ["Thôn Yên Thọ"]
    assert metrics.most_needed(table.reset_index())["name"].tolist() == ["Thôn Yên Thọ"]
    assert metrics.without_target(table.reset_index()).sum() == 2


def test_before_any_report_a_zero_household_village_is_not_counted_as_meeting():
    ds = check(Thon=UNKNOWN_AND_ZERO["Thon"], Bao_cao_thon=[REPORTS[0]])
    table = metrics.village_table(ds, metrics.village_weekly(ds), None)
    assert metrics.meeting_target(table).sum() == 0
    assert sorted(metrics.most_needed(table)["name"]) == ["Thôn Trung Hòa", "Thôn Yên Thọ"]
    assert metrics.summary(ds).villages_meeting_target == 0


def test_a_unit_without_a_staff_figure_is_left_out_of_the_officials_rate():
    ds = check(Don_vi=[UNITS[0], ["UBND xã", "Khối Đảng – chính quyền", "ba mươi"], UNITS[2]])
    s = metrics.summary(ds)
    assert (s.officials, s.officials_installed, s.official_rate, s.units_without_denominator) == (10, 10, 1.0, 1)
    ow = metrics.officials_weekly(metrics.unit_weekly(ds))
    assert ow.set_index("week").loc[D2, ["staff", "installed"]].tolist() == [10, 10]
