"""The one pipeline: the app, an upload and every command load through `pipeline.load`, so they agree."""

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import TODAY, save_workbook
from lib import live, pipeline
from lib.__main__ import main
from lib.config import TIMEZONE
from lib.issue_text import where_and_what
from lib.sample import SampleSpec, build
from lib.snapshots import SnapshotStore
from lib.sources import SourceError, read_xlsx
from lib.validation.run import validate

TIMEOUT = 60


pytestmark = pytest.mark.usefixtures("fresh_caches")  # conftest: Streamlit's caches emptied around each test


@pytest.fixture
def rewritten(tmp_path):
    """A workbook whose store saw a past figure rewritten after its deadline, noticed on 01/05/2026: (path, store URL)."""
    tabs = build(SampleSpec(villages=6, units=3, weeks=4, seed=3))
    path, store_url = tmp_path / "so-lieu.xlsx", f"sqlite:///{tmp_path / 'history.sqlite'}"
    store, identity = SnapshotStore(store_url), live.resolve(str(path)).identity

    def fetched(at: dt.datetime) -> None:
        raw = read_xlsx(save_workbook(path, tabs))
        raw.fetched_at = at
        store.record(raw, validate(raw, TODAY), identity)

    fetched(dt.datetime(2026, 4, 24, 9, tzinfo=TIMEZONE))
    reports = tabs["Báo cáo thôn"]
    assert reports[4][1:3] == ["Thôn Trung Hòa", 3]  # week of 16/04/2026, long past its deadline
    reports[4][2] = 2
    fetched(dt.datetime(2026, 5, 1, 10, tzinfo=TIMEZONE))
    return path, store_url


def shown_on_the_quality_page(path, store, monkeypatch) -> tuple[list[str], int, int]:
    """The issue messages, errors and warnings the app's quality page shows for this source and store."""
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_STORE", store)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT).run()
    at.switch_page("views/quality.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "where" in d.value.columns)
    counts = {m.label: int(m.value) for m in at.metric}
    # The table shows each message as its place and the rest of the sentence, side by side.
    return [f"{w} {m}" for w, m in zip(table["where"], table["what"], strict=True)], counts["Lỗi"], counts["Cảnh báo (vẫn tính)"]


def test_the_command_line_and_the_app_list_the_same_issues_history_included(rewritten, monkeypatch, capsys):
    path, store = rewritten
    capsys.readouterr()
    main(["check", str(path), "--json", "--today", TODAY.isoformat(), "--store", store])
    issues = json.loads(capsys.readouterr().out)["issues"]
    assert "history_changed" in [i["code"] for i in issues]
    messages, errors, warnings = shown_on_the_quality_page(path, store, monkeypatch)
    frame = pd.DataFrame(issues)
    assert sorted(messages) == sorted(f"{w} {m}" for w, m in zip(*where_and_what(frame), strict=True))
    assert (errors, warnings) == (
        sum(i["severity"] == "error" for i in issues),
        sum(i["severity"] == "warning" for i in issues),
    )


def quality_paragraphs(out) -> list[str]:
    """The 'Chất lượng số liệu' section of a report .docx, paragraph by paragraph."""
    from docx import Document

    texts = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    start = texts.index("5. Chất lượng số liệu") + 1
    return texts[start : next(i for i in range(start, len(texts)) if re.match(r"\d\. ", texts[i]))]


def test_a_report_written_on_the_command_line_says_what_the_apps_report_says_history_included(rewritten, monkeypatch, tmp_path):
    path, store = rewritten
    week = ["--week", "2026-05-07", "--today", TODAY.isoformat()]  # the report week in which the rewrite was noticed
    with_store, without = tmp_path / "co-lich-su.docx", tmp_path / "khong-lich-su.docx"
    assert main(["report", str(path), "--out", str(with_store), *week, "--store", store]) == 0
    assert main(["report", str(path), "--out", str(without), *week]) == 0
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_STORE", store)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT).run()
    at.switch_page("views/report.py").run()
    assert not at.exception and at.selectbox(key="report_week").value == dt.date(2026, 5, 7)
    shown = [m.value.replace("\\", "") for m in at.markdown]  # as rendered: markdown escapes removed
    quality = quality_paragraphs(with_store)
    assert quality and all(paragraph in shown for paragraph in quality)
    assert quality != quality_paragraphs(without)  # without the store the rewritten figure is not counted


def test_an_upload_loads_through_the_pipeline_without_touching_the_store(tmp_path):
    tabs = build(SampleSpec(villages=4, units=2, weeks=3, seed=1, mistakes=False))
    data = save_workbook(tmp_path / "tai-len.xlsx", tabs).read_bytes()
    loaded = pipeline.load(live.uploaded("tai-len.xlsx", data), TODAY)
    assert loaded.fresh and loaded.history is None and loaded.recorded is None
    assert (loaded.ds.source.kind, loaded.ds.source.label) == ("upload", "tai-len.xlsx")
    assert len(loaded.ds.villages) == 4


def test_a_source_that_is_neither_a_workbook_nor_a_sheet_is_refused_before_the_store_is_opened(tmp_path):
    store = tmp_path / "never.sqlite"
    with pytest.raises(SourceError, match="Không hiểu nguồn dữ liệu 'rac'"):
        pipeline.load(live.resolve("rac", None, f"sqlite:///{store}"), TODAY)
    assert not store.exists()


def test_on_the_command_line_a_failed_read_is_an_error_not_the_last_snapshot(tmp_path):
    path, store = tmp_path / "so-lieu.xlsx", f"sqlite:///{tmp_path / 'history.sqlite'}"
    save_workbook(path, build(SampleSpec(villages=4, units=2, weeks=3, seed=1)))
    config = live.resolve(str(path), None, store)
    assert pipeline.load(config, TODAY).recorded == (1, True)
    path.write_bytes(b"not a workbook any more")
    assert not pipeline.load(config, TODAY).fresh  # the app shows the last good version
    with pytest.raises(SourceError):
        pipeline.load(config, TODAY, fall_back=False)


def test_the_dataset_keeps_where_it_came_from_but_not_the_cells(tmp_path):
    path = save_workbook(tmp_path / "so-lieu.xlsx", build(SampleSpec(villages=4, units=2, weeks=3, seed=1)))
    source = pipeline.load(live.resolve(str(path)), TODAY).ds.source
    assert source.label == str(path) and source.kind == "xlsx"
    assert not hasattr(source, "tabs")
    with pytest.raises(AttributeError):
        source.label = "khác"  # frozen: every page and cached chart shares it


def survivable(tmp_path, **tabs):
    """An .xlsx of the small inline workbook with some tabs replaced."""
    from conftest import book

    return save_workbook(tmp_path / "so-lieu.xlsx", book(**tabs).tabs)


def test_check_json_keeps_a_village_without_a_smartphone_figure_with_nulls(tmp_path, capsys):
    from conftest import D2, REPORTS, VILLAGES

    villages = [*VILLAGES[:2], ["Thôn 1", "Sơn Lâm", 150, "77%"], VILLAGES[3], ["Thôn Không", "", 40, 0]]
    path = survivable(tmp_path, Thon=villages, Bao_cao_thon=REPORTS + [[D2, "Thôn Không", 0]])
    capsys.readouterr()
    assert main(["check", str(path), "--json", "--today", TODAY.isoformat()]) == 1  # the 77 % cell is still an error
    result = json.loads(capsys.readouterr().out)
    villages = {v["name"]: v for v in result["villages"]}
    assert villages["Thôn 1"] == {
        "name": "Thôn 1",
        "households": 150,
        "smartphone_households": None,
        "installed_households": 90,
        "rate": None,
        "meets_target": None,
        "last_report": "2026-04-23",
    }
    assert (villages["Thôn Không"]["rate"], villages["Thôn Không"]["meets_target"]) == (None, None)
    assert villages["Thôn Trung Hòa"]["meets_target"] is True and villages["Thôn Yên Thọ"]["meets_target"] is False
    s = result["summary"]
    assert (s["villages"], s["villages_without_denominator"], s["villages_meeting_target"]) == (4, 1, 1)
    assert (s["smartphone_households"], s["installed_households"], s["household_rate"]) == (180, 75, round(75 / 180, 6))
    assert [i["code"] for i in result["issues"]] == ["not_a_number"]
    assert main(["check", str(path), "--today", TODAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "Hộ đã cài đặt: 75 / 180 hộ có ĐTTM = 41,6 %" in out
    assert "Không tính 1 thôn thiếu số hộ có ĐTTM (ô ở tab Thôn có lỗi)" in out


def test_a_week_entered_again_is_a_warning_and_check_exits_0(tmp_path, capsys):
    from conftest import D2, REPORTS

    path = survivable(tmp_path, Bao_cao_thon=REPORTS + [[D2, "Thôn 1", 95]])
    capsys.readouterr()
    assert main(["check", str(path), "--json", "--today", TODAY.isoformat()]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(i["code"], i["severity"], i["cell"]) for i in result["issues"]] == [("duplicate_report", "warning", "B5")]
    assert {v["name"]: v["installed_households"] for v in result["villages"]}["Thôn 1"] == 95
    assert result["summary"]["villages_reported_latest"] == 2
