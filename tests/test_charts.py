"""Chart builders: the figures carry the right numbers, lines, bands, labels and formats."""

import datetime as dt

import pytest

from conftest import D1, D2, REPORTS, check
from lib import charts, dashboard
from lib.history import TIMELINESS_LABEL, timeliness
from lib.status import STATUS_COLOUR


@pytest.fixture(scope="module")
def board():
    carried = REPORTS + [[dt.date(2026, 4, 30), "Thôn 1", 100]]  # Thôn Trung Hòa carried forward on 30/04
    return dashboard.build(check(Bao_cao_thon=carried))


def layout_of(fig) -> dict:
    return fig.to_plotly_json()["layout"]


def test_the_commune_trend_has_both_rates_the_officials_the_target_line_and_the_phase_bands(board):
    fig = charts.trend(board.commune_weeks, board.ds.campaign.phases, 0.7, board.official_weeks, 1.0)
    assert [t.name for t in fig.data] == ["Tỷ lệ / hộ có ĐTTM", "Tỷ lệ / tổng số hộ", "Cán bộ (chỉ tiêu 100 %)"]
    assert list(fig.data[0].x) == [D1, D2, dt.date(2026, 4, 30)]
    assert list(fig.data[0].y) == pytest.approx([70 / 300, 165 / 300, 175 / 300])  # 30+40, 75+90, 75 carried + 100
    assert fig.data[0].customdata[1][2] == "165" and fig.data[0].customdata[1][1] == "55,0 %"
    layout = layout_of(fig)
    target = [s for s in layout["shapes"] if s["type"] == "line"]
    assert [(s["y0"], s["y1"], s["line"]["color"]) for s in target] == [(0.7, 0.7, STATUS_COLOUR["red"])]
    bands = [s for s in layout["shapes"] if s["type"] == "rect"]
    assert [(b["x0"], b["x1"]) for b in bands] == [("2026-04-15", "2026-04-21"), ("2026-04-20", "2026-05-01"), ("2026-05-01", "2026-05-04")]
    assert [a["text"] for a in layout["annotations"]] == ["Chỉ tiêu 70 %", "GĐ 1", "GĐ 2", "Duy trì"]
    assert layout["yaxis"]["tickformat"] == ".0%" and layout["yaxis"]["range"] == [0, 1.05]
    assert layout["xaxis"]["tickformat"] == "%d/%m" and layout["separators"] == ",." and layout["height"] == 360
    assert layout["xaxis"]["fixedrange"] and layout["yaxis"]["fixedrange"]  # no accidental zoom on a phone


def test_empty_frames_give_blank_charts_not_errors(board):
    fig = charts.trend(board.commune_weeks.iloc[0:0], (), 0.7)
    assert list(fig.data) == [] and layout_of(fig)["height"] == 320
    assert list(charts.village_trend(board.village_weeks.iloc[0:0], (), 0.7).data) == []
    assert list(charts.timeliness_heatmap(board.village_weeks.iloc[0:0], TIMELINESS_LABEL).data) == []


def test_the_ranking_puts_the_lowest_on_top_coloured_by_status_with_what_each_needs(board):
    table = board.villages_at(dt.date(2026, 4, 30))
    fig = charts.ranking(table, 0.7)
    bar = fig.data[0]
    # plotly draws the first category at the bottom: highest first in the data = lowest on top.
    assert list(bar.y) == ["Thôn 1", "Thôn Trung Hòa", "Thôn Yên Thọ"]
    assert list(bar.x) == pytest.approx([100 / 120, 0.75, 0.0])
    assert list(bar.marker.color) == [STATUS_COLOUR["green"], STATUS_COLOUR["green"], STATUS_COLOUR["red"]]
    assert list(bar.text) == ["83,3 %", "75,0 %", "0,0 % · cần 56"]
    layout = layout_of(fig)
    assert [(s["x0"], s["x1"]) for s in layout["shapes"]] == [(0.7, 0.7)]
    assert [a["text"] for a in layout["annotations"]] == ["70 %"]
    assert layout["height"] == 80 + 26 * 3 and layout["showlegend"] is False and layout["xaxis"]["side"] == "top"


def test_the_village_trend_has_one_line_per_village_and_hollow_markers_for_carried_weeks(board):
    vw = board.village_weeks[board.village_weeks["name"].isin(["Thôn Trung Hòa", "Thôn 1"])]
    fig = charts.village_trend(vw, board.ds.campaign.phases, 0.7)
    assert [t.name for t in fig.data] == ["Thôn 1", "Thôn Trung Hòa"]
    assert list(fig.data[1].y) == pytest.approx([0.30, 0.75, 0.75])
    assert list(fig.data[1].marker.symbol) == ["circle", "circle", "circle-open"]
    assert fig.data[1].customdata[2][3] == "số tuần trước" and fig.data[0].line.color != fig.data[1].line.color
    layout = layout_of(fig)
    assert [s["y0"] for s in layout["shapes"] if s["type"] == "line"] == [0.7]
    assert len([s for s in layout["shapes"] if s["type"] == "rect"]) == 3 and layout["height"] == 340


def test_weekly_gains_are_grouped_bars_of_new_households(board):
    vw = board.village_weeks[board.village_weeks["name"].isin(["Thôn Trung Hòa", "Thôn 1"])]
    fig = charts.weekly_gains(vw)
    assert [(t.type, t.name, list(t.y)) for t in fig.data] == [("bar", "Thôn 1", [40, 50, 10]), ("bar", "Thôn Trung Hòa", [30, 45, 0])]
    layout = layout_of(fig)
    assert layout["barmode"] == "group" and layout["yaxis"]["tickformat"] == ",d" and layout["height"] == 280


def test_the_timeliness_grid_places_each_status_in_its_cell_with_a_legend(board):
    table = timeliness(board.village_weeks, board.ds.village_reports, None, dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC))
    fig = charts.timeliness_heatmap(table, TIMELINESS_LABEL)
    grid = fig.data[0]
    assert list(grid.y) == ["Thôn Yên Thọ", "Thôn Trung Hòa", "Thôn 1"] and list(grid.x) == ["16/04", "23/04", "30/04"]
    order = list(charts.TIMELINESS_COLOUR)
    assert [order[z] for z in grid.z[1]] == ["on_time", "on_time", "carried"]
    assert [order[z] for z in grid.z[0]] == ["missing", "missing", "missing"]
    assert [t.name for t in fig.data[1:]] == [TIMELINESS_LABEL[k] for k in order]
    assert layout_of(fig)["xaxis"]["type"] == "category"


def test_cell_text_in_a_chart_is_escaped():
    ds = check(
        Thon=[["Tên thôn", "Tổng số hộ", "Số hộ có điện thoại thông minh"], ["<b>Thôn</b> & 2", 10, 10]],
        Bao_cao_thon=[["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"], [D1, "<b>Thôn</b> & 2", 5]],
    )
    board = dashboard.build(ds)
    figures = [
        charts.ranking(board.villages_at(D1), 0.7),
        charts.village_trend(board.village_weeks, (), 0.7),
        charts.weekly_gains(board.village_weeks),
    ]
    text = " ".join(str(f.to_plotly_json()["data"]) for f in figures)
    assert "<b>Thôn</b>" not in text and "&lt;b&gt;Thôn&lt;/b&gt; &amp; 2" in text
