"""The `Phản ánh` screen, the overview's card and the units screen's column, run as Streamlit runs them (AppTest)."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import TODAY, save_workbook
from lib import dashboard
from lib import field_report_figures as figures
from lib.fmt import fmt_int, fmt_pct
from lib.live import resolve
from lib.pipeline import load
from lib.sample import SampleSpec, build, write_xlsx

TIMEOUT = 60


pytestmark = pytest.mark.usefixtures("fresh_caches")  # conftest: Streamlit's caches emptied around each test


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    path = write_xlsx(SampleSpec(villages=8, units=9, weeks=12, seed=7), tmp_path / "fixture.xlsx")
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    return path


@pytest.fixture
def board(workbook):
    return dashboard.build(load(resolve(str(workbook)), TODAY).ds)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT).run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception and not at.error
    return at


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_screen_shows_the_figures_lib_computes(board):
    at = open_page("field_reports")
    found = figures.summary(board.ds)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Đã nhận"] == fmt_int(found["received"]) and found["received"] > 20
    assert metrics["Xử lý đúng hạn"] == fmt_pct(found["on_time_rate"])
    assert metrics["Đang quá hạn"] == fmt_int(found["overdue_open"])
    overdue = frame_with(at, "days_overdue")
    assert len(overdue) == found["overdue_open"] > 0
    assert list(overdue["days_overdue"]) == sorted(overdue["days_overdue"], reverse=True)
    assert set(overdue.columns) == {"id", "field", "unit", "village", "deadline", "days_overdue"}  # nothing personal
    units = frame_with(at, "on_time")  # which unit lets reports go overdue: the most overdue first
    assert list(units["overdue_open"]) == sorted(units["overdue_open"], reverse=True)
    assert set(units["name"]) == {u["name"] for u in found["units"]}
    per_village = frame_with(at, "per_100_households")
    assert set(per_village["name"]) == set(board.ds.villages["name"])


def test_filtering_by_unit_keeps_only_that_units_reports(board):
    at = open_page("field_reports")
    at.multiselect(key="fr_units").select("Công an xã").run()
    assert not at.exception
    police = next(u for u in figures.summary(board.ds)["units"] if u["name"] == "Công an xã")
    assert {m.label: m.value for m in at.metric}["Đã nhận"] == fmt_int(police["received"])
    overdue = [d.value for d in at.dataframe if "days_overdue" in d.value.columns]
    assert all(set(o["unit"]) == {"Công an xã"} for o in overdue)


def test_without_the_tab_the_screen_says_how_to_add_it(tmp_path, monkeypatch):
    tabs = {t: rows for t, rows in build(SampleSpec(villages=6, units=4, weeks=5, seed=3)).items() if t != "Phản ánh"}
    path = tmp_path / "no_tab.xlsx"
    save_workbook(path, tabs)
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page("field_reports")
    assert "chưa có tab **Phản ánh**" in at.info[0].value and "Cách thêm" in at.info[0].value
    assert not at.dataframe
    overview = open_page("overview")
    assert "Xử lý đúng hạn" not in {m.label for m in overview.metric}


def test_the_overview_and_the_units_screen_show_on_time_handling(board):
    found = figures.summary(board.ds)
    overview = {m.label: m.value for m in open_page("overview").metric}
    assert overview["Xử lý đúng hạn"] == fmt_pct(found["on_time_rate"])
    assert overview["Phản ánh quá hạn"] == fmt_int(found["overdue_open"])
    units = frame_with(open_page("units"), "on_time")
    assert set(units["name"]) == {u["name"] for u in found["units"]}
    assert {"install", "on_time", "overdue_open"} <= set(units.columns)
    # Written as every other rate ("85,0 %", rounded down), not a whole-percent bar beside "85,0 %" elsewhere.
    by_name = {u["name"]: u for u in found["units"]}
    assert [fmt_pct(by_name[n]["on_time_rate"]) for n in units["name"]] == list(units["on_time"])


HAND_MADE = [
    ["DANH SÁCH PHẢN ÁNH"],
    ["STT", "Mã PA", "Họ và tên người gửi", "Thời gian gửi", "Lĩnh vực", "Địa bàn", "Cơ quan xử lý", "Thời gian hoàn thành", "Trạng thái"],
    [1, "PA1", "Nguyễn Văn Riêngtư", "02/11/2026 08:00", "Giao thông", "Thôn 1", "UBND xã", "04/11/2026", "Hoàn thành"],
    [2, "PA2", "Trần Thị Riêngtư", "03/11/2026 09:30", "Điện", "Thôn 1", "UBND xã", None, "Đang xử lý"],
]


def test_a_field_with_nothing_resolved_yet_shows_a_dash_not_an_error(tmp_path, monkeypatch):
    from conftest import REPORTS, UNIT_REPORTS, UNITS, VILLAGES

    path = tmp_path / "hand.xlsx"
    tabs = {"Thôn": VILLAGES, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS}
    save_workbook(path, {**tabs, "Danh sách phản ánh": HAND_MADE})
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page("field_reports")
    by_field = frame_with(at, "resolved_on_time").set_index("field")["on_time_rate"].to_dict()
    assert by_field == {"Giao thông": "100,0 %", "Điện": "–"}
    assert list(frame_with(at, "on_time")["on_time"]) == ["100,0 %"]  # one unit: 1 of 1 on time
    assert "Riêngtư" not in str([d.value.to_string() for d in at.dataframe])
