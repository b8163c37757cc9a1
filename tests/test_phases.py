import datetime as dt

import pytest

from conftest import D1, D2, D3, REPORTS, UNIT_REPORTS, check
from lib import metrics, phases
from lib.config import Phase

MAY_14, MAY_21 = dt.date(2026, 5, 14), dt.date(2026, 5, 21)  # Thursdays either side of the peak window's end (15/05)


def results(ds):
    vw, uw = metrics.village_weekly(ds), metrics.unit_weekly(ds)
    return phases.phase_results(ds, metrics.commune_weekly(vw, ds.campaign.household_target), metrics.officials_weekly(uw))


def test_phase_results_take_the_last_week_by_the_phase_end_and_the_gain_within():
    phase1, phase2, sustain = results(check())
    assert (phase1.end_week, phase1.installed_end, phase1.gain, phase1.officials_end) == (D1, 70, 70, 35)
    assert (phase2.end_week, phase2.installed_end, phase2.gain, phase2.met) == (D2, 165, 95, False)
    assert phase2.rate_end == pytest.approx(0.55)
    assert (sustain.installed_end, sustain.gain) == (165, 0)


@pytest.mark.parametrize(
    ("audience", "against"),
    [
        ("Cán bộ, công chức, viên chức và lực lượng nòng cốt", "officials"),
        ("Đoàn viên và CÁN BỘ thôn", "officials"),
        ("Người dân tại các thôn", "households"),
        ("", "households"),
    ],
)
def test_a_phase_whose_audience_names_officials_answers_to_the_officials_target(audience, against):
    assert phases.judged_against(Phase("GĐ", D1, D2, audience)) == against


def test_a_phase_for_officials_is_judged_against_the_officials_target():
    # every official installed by 16/04 (30 + 10 of 40) while households stand at 70/300 = 23,3 %
    phase1 = results(check(Bao_cao_don_vi=[UNIT_REPORTS[0], [D1, "UBND xã", 30], [D1, "Trạm Y tế xã", 10]]))[0]
    assert (phase1.judged_against, phase1.target, phase1.official_rate_end, phase1.met) == ("officials", 1.0, 1.0, True)
    assert phase1.rate_end == pytest.approx(70 / 300)
    short = results(check())[0]  # 35 of 40 officials by 16/04
    assert (short.judged_against, short.official_rate_end, short.met) == ("officials", 0.875, False)


def test_a_residents_phase_is_judged_against_the_households_target():
    phase2 = results(check())[1]  # every official installed by 23/04, households 165/300 = 55 %
    assert (phase2.judged_against, phase2.target, phase2.official_rate_end, phase2.met) == ("households", 0.7, 1.0, False)
    at_target = results(check(Bao_cao_thon=REPORTS + [[D2, "Thôn Yên Thọ", 45]]))[1]  # 210/300 = 70 % exactly
    assert (at_target.rate_end, at_target.met) == (pytest.approx(0.7), True)


def test_a_phase_with_no_report_by_its_end_is_not_met():
    # the first reports come on 23/04, after phase 1 ended on 20/04
    phase1 = results(check(Bao_cao_thon=[REPORTS[0], *REPORTS[3:]], Bao_cao_don_vi=[UNIT_REPORTS[0], UNIT_REPORTS[3]]))[0]
    assert (phase1.end_week, phase1.rate_end, phase1.official_rate_end, phase1.installed_end) == (None, None, None, 0)
    assert (phase1.judged_against, phase1.met) == ("officials", False)


def test_a_phase_is_ongoing_until_its_last_day():
    assert [r.ongoing for r in results(check())] == [False, False, True]  # today 29/11; the last phase ends 31/12


def commune(ds):
    return metrics.commune_weekly(metrics.village_weekly(ds), ds.campaign.household_target)


def test_the_peak_window_stands_at_the_last_report_week_within_30_days_of_the_start():
    ds = check(Bao_cao_thon=REPORTS + [[MAY_21, "Thôn Yên Thọ", 60]])  # after the window: not counted
    peak = phases.peak_window(ds.campaign.phases, commune(ds))
    assert (peak.start, peak.end, peak.days, peak.week) == (dt.date(2026, 4, 15), dt.date(2026, 5, 15), 30, MAY_14)
    assert (peak.installed, peak.smartphone_households, peak.villages_meeting_target, peak.villages) == (165, 300, 2, 3)
    assert peak.rate == pytest.approx(0.55)


def test_the_peak_window_without_a_report_in_it_or_without_phases():
    ds = check(Bao_cao_thon=[REPORTS[0], [MAY_21, "Thôn 1", 10]], Bao_cao_don_vi=[UNIT_REPORTS[0]])  # first report 21/05
    assert phases.peak_window(ds.campaign.phases, commune(ds)) == phases.PeakWindow(
        dt.date(2026, 4, 15), dt.date(2026, 5, 15), 30, None, 0, 0, None, 0, 0
    )
    assert phases.peak_window((), commune(ds)) is None
    assert phases.peak_window(ds.campaign.phases, commune(ds).iloc[0:0]) is None


def test_village_phases_give_each_villages_rate_at_the_end_and_gain_within():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn Trung Hòa", 80]])
    table = phases.village_phases(metrics.village_weekly(ds), ds.campaign.phases).set_index("Thôn")
    assert table.loc["Thôn Trung Hòa", "Giai đoạn 1: tỷ lệ"] == 0.30  # 30 / 100 at 16/04
    assert table.loc["Thôn Trung Hòa", "Giai đoạn 2: tăng"] == 50  # 30 -> 80 between 20/04 and 30/04
    assert table.loc["Thôn 1", "Giai đoạn 2: tăng"] == 50  # 40 -> 90, carried to 30/04
    assert table.loc["Thôn Yên Thọ", "Giai đoạn 1: tỷ lệ"] == 0.0 and table.loc["Thôn Yên Thọ", "Duy trì: tăng"] == 0
