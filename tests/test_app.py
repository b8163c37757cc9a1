"""AppTest: every page renders without an exception and shows the figures lib computes."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import TODAY
from lib import dashboard
from lib.fmt import fmt_pct
from lib.pipeline import load
from lib.sample import SampleSpec, write_xlsx

TIMEOUT = 60  # AppTest's default of 3 s is tight on 2 cores


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    path = write_xlsx(SampleSpec(villages=8, units=5, weeks=6, seed=7), tmp_path / "fixture.xlsx")
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    return path


def run_app() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    return at.run()


def test_overview_shows_the_figures_lib_computes(workbook):
    board = dashboard.build(load(str(workbook), TODAY))
    s = board.summary
    at = run_app()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown == {
        "Hộ dân đã cài": fmt_pct(s.household_rate),
        "Thôn đạt chỉ tiêu": f"{s.villages_meeting_target}/{s.villages}",
        "Cán bộ đã cài": fmt_pct(s.official_rate),
        "Báo cáo tuần này": f"{s.villages_reported_latest}/{s.villages}",
    }
    missing = board.not_reported(s.as_of)
    assert any(f"{len(missing)} thôn" in h.value for h in at.subheader)
    assert not any("dữ liệu mẫu" in i.value for i in at.info)


def test_overview_on_the_bundled_sample_says_it_is_sample_data(monkeypatch):
    monkeypatch.delenv("SONGIANG_SOURCE", raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = run_app()
    assert not at.exception
    assert any("dữ liệu mẫu" in i.value for i in at.info)
    assert [m.value for m in at.metric][:2] == ["79,3 %", "18/24"]


def test_an_unreadable_source_shows_a_vietnamese_message_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"this is not a workbook")
    monkeypatch.setenv("SONGIANG_SOURCE", str(broken))
    at = run_app()
    assert not at.exception
    assert len(at.error) == 1 and "Không đọc được" in at.error[0].value


def test_a_rerun_reads_and_validates_nothing_again(workbook, monkeypatch):
    import lib.live

    calls = []
    real = lib.live.fetch
    monkeypatch.setattr(lib.live, "fetch", lambda config: calls.append(config.location) or real(config))
    at = run_app()
    at.run()
    at.run()
    assert not at.exception
    assert calls == [str(workbook)]
