"""Chart builders: the figures carry the right numbers, lines, bands, labels and formats."""

import datetime as dt
import re

import pandas as pd
import pytest

from conftest import D1, D2, REPORTS, check
from lib import chart_style, charts, dashboard
from lib.config import DEFAULT_PHASES
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
    assert layout["yaxis"]["ticktext"] == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"] and layout["yaxis"]["range"] == [0, 1.05]
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
    assert list(bar.y) == ["Thôn 1", "Thôn Trung Hòa *", "Thôn Yên Thọ"]  # Trung Hòa has no report for 30/04: its figure is carried
    assert list(bar.x) == pytest.approx([100 / 120, 0.75, 0.0])
    assert list(bar.marker.color) == [STATUS_COLOUR["green"], STATUS_COLOUR["green"], STATUS_COLOUR["red"]]
    labels = fig.data[1]
    assert list(labels.y) == list(bar.y) and [t.strip() for t in labels.text] == ["83,3 %", "75,0 %", "0,0 % · cần 56"]
    layout = layout_of(fig)
    assert [(s["x0"], s["x1"]) for s in layout["shapes"]] == [(0.7, 0.7)]
    # the target is a tick of its own; "50 %" would touch it at phone width
    assert layout["xaxis"]["ticktext"] == ["0 %", "<b>70 %</b>", "100 %"]
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
    assert list(layout_of(fig)["yaxis"]["tickvals"]) == list(grid.y)  # every village named, none skipped to save room


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


# --- How the charts read on a phone (issue 16) ---------------------------------------------------------


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, ground: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours, 1 to 21."""
    high, low = sorted([luminance(text), luminance(ground)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("text", "ground", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48), ("#ffffff", "#009e73", 3.42)],
)
def test_contrast_is_computed_as_wcag_defines_it(text, ground, ratio):
    assert contrast(text, ground) == pytest.approx(ratio, abs=0.01)


def long_campaign():
    """Weekly commune figures from April to November: phases 'GĐ 1' and 'GĐ 2' are days apart on it."""
    weeks = list(pd.date_range("2026-04-16", "2026-11-26", freq="7D").date)
    rates = [min(0.9, 0.05 * (i + 1)) for i in range(len(weeks))]
    return pd.DataFrame(
        {"week": weeks, "rate": rates, "installed": [int(r * 1000) for r in rates], "smartphone_households": 1000}
        | {"rate_all": [r * 0.7 for r in rates]}
    )


@pytest.fixture(scope="module")
def figures(board) -> dict[str, dict]:
    """Every chart the app draws, as the JSON the browser receives."""
    vw = board.village_weeks[board.village_weeks["name"].isin(["Thôn Trung Hòa", "Thôn 1"])]
    table = timeliness(board.village_weeks, board.ds.village_reports, None, dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC))
    units = board.unit_weeks[board.unit_weeks["week"] == board.unit_weeks["week"].max()]
    figures = {
        "trend": charts.trend(long_campaign(), DEFAULT_PHASES, 0.7, board.official_weeks, 1.0),
        "ranking": charts.ranking(board.villages_at(dt.date(2026, 4, 30)), 0.7),
        "units": charts.ranking(units, 1.0, denominator="staff"),
        "village_trend": charts.village_trend(vw, DEFAULT_PHASES, 0.7),
        "weekly_gains": charts.weekly_gains(vw),
        "heatmap": charts.timeliness_heatmap(table, TIMELINESS_LABEL),
    }
    return {name: fig.to_plotly_json() for name, fig in figures.items()}


def texts_and_grounds(figure: dict) -> list[tuple[str, str, str]]:
    """(what, text colour, colour behind it) for every text a figure draws. A colour left unset would be
    filled in by Streamlit's chart theme (a light grey), so an unset one is reported as None."""
    layout, paper = figure["layout"], figure["layout"]["paper_bgcolor"]
    plot = layout["plot_bgcolor"]
    found = [("font", layout["font"].get("color"), paper), ("legend", layout["legend"]["font"].get("color"), paper)]
    found.append(("hover", layout["hoverlabel"]["font"].get("color"), layout["hoverlabel"].get("bgcolor")))
    for axis in ("xaxis", "yaxis"):
        found.append((f"{axis} ticks", layout[axis].get("tickfont", {}).get("color"), paper))
    for note in layout.get("annotations", []):
        inside_plot = note.get("yref") == "y" or (note.get("yref") == "paper" and note.get("y", 1) < 1)
        ground = note.get("bgcolor") or (plot if inside_plot else paper)
        found.append((f"note {note['text']}", note.get("font", {}).get("color"), ground))
    for trace in figure["data"]:
        if trace.get("text") is not None and trace["type"] != "heatmap":
            found.append((f"{trace['type']} labels", trace.get("textfont", {}).get("color"), plot))
    return found


def test_every_chart_text_has_its_own_colour_at_4_5_to_1_or_more_against_what_is_behind_it(figures):
    for name, figure in figures.items():
        for what, colour, ground in texts_and_grounds(figure):
            assert colour is not None and ground is not None, f"{name}: {what} left to Streamlit's theme"
            assert contrast(colour, ground) >= 4.5, f"{name}: {what} {colour} on {ground} = {contrast(colour, ground):.2f}"


def test_no_value_is_written_on_a_bar_where_its_colour_would_be_the_ground(figures):
    for name, figure in figures.items():
        for trace in figure["data"]:
            if trace["type"] == "bar":
                assert trace.get("text") is None, name


def test_every_rate_on_an_axis_or_label_is_written_as_the_app_writes_rates(figures):
    one_format = re.compile(r"^(<b>)?\d{1,3}(\.\d{3})* %(</b>)?$")  # "70 %", "100 %": a space before %, whole percents
    labels = re.compile(r"^\d{1,3}(\.\d{3})*,\d %( · cần \d+)?$")  # "81,3 %": one decimal after a comma
    for name, figure in figures.items():
        layout = figure["layout"]
        assert layout["separators"] == ",.", name
        for axis in ("xaxis", "yaxis"):
            assert not re.fullmatch(r"[,.\d]*%", layout[axis].get("tickformat", "")), f"{name}: d3 writes 50% without the space"
            rates = [t for t in layout[axis].get("ticktext", []) if "%" in t]  # (the heatmap's ticks are village names)
            assert all(one_format.match(t) for t in rates), (name, rates)
        for trace in figure["data"]:
            if trace["type"] == "scatter" and trace.get("mode") == "text":
                assert all(labels.match(t.strip()) for t in trace["text"]), trace["text"]


@pytest.mark.parametrize("target", [0.7, 0.8, 1.0])
def test_ranking_labels_start_right_of_the_target_line_or_of_their_bar_and_never_cross_either(board, target):
    fig = charts.ranking(board.villages_at(dt.date(2026, 4, 30)), target).to_plotly_json()
    bar, labels = fig["data"]
    assert labels["textposition"] == "middle right"  # text runs rightwards from its point
    for value, start in zip(bar["x"], labels["x"], strict=True):
        assert start >= target and start >= value  # so it lies wholly right of the line and of its own bar
    ticks = fig["layout"]["xaxis"]
    assert f"<b>{charts.fmt_pct(target, 0)}</b>" in ticks["ticktext"] and fig["layout"].get("annotations", []) == []
    assert ticks["tickangle"] == 0


def test_the_ranking_leaves_room_for_its_longest_label_at_phone_width(board):
    table = board.villages_at(dt.date(2026, 4, 30)).assign(rate=[1.037, 0.75, 0.0])  # one above 100 %
    fig = charts.ranking(table, 0.7).to_plotly_json()
    bar, labels = fig["data"]
    layout = fig["layout"]
    top = layout["xaxis"]["range"][1]
    assert top >= max(bar["x"]) and labels["cliponaxis"] is False
    names = max(charts.text_px(n) for n in bar["y"])
    plot = chart_style.PHONE_WIDTH_PX - 8 - 10 - names - layout["margin"]["r"]
    for start, text in zip(labels["x"], labels["text"], strict=True):
        assert start / top * plot + charts.text_px(text) <= plot + layout["margin"]["r"]  # ends inside the figure


def test_the_officials_chart_keeps_100_percent_whole_at_the_right_edge(board):
    units = board.unit_weeks[board.unit_weeks["week"] == board.unit_weeks["week"].max()]
    fig = charts.ranking(units, 1.0, denominator="staff").to_plotly_json()
    assert fig["layout"]["xaxis"]["ticktext"][-1] == "<b>100 %</b>" and fig["layout"]["xaxis"]["range"] == [0, 1.0]
    assert fig["layout"]["margin"]["r"] >= charts.text_px(" 100,0 %")  # the labels of full bars go in the margin


@pytest.mark.parametrize(
    ("spans", "rows"),
    [
        ([(0, 30), (50, 80)], [0, 0]),  # apart: one row
        ([(0, 30), (7, 40), (21, 60)], [0, 1, 2]),  # 'GĐ 1', 'GĐ 2', 'Duy trì' days apart: a row each
        ([(0, 30), (10, 40), (45, 70)], [0, 1, 0]),  # the third fits after the first
    ],
)
def test_labels_that_would_touch_go_to_another_row(spans, rows):
    assert chart_style.label_rows(spans) == rows


def test_phase_names_sit_above_the_plot_and_never_overlap_at_phone_width():
    fig = charts.trend(long_campaign(), DEFAULT_PHASES, 0.7).to_plotly_json()
    layout = fig["layout"]
    names = [a for a in layout["annotations"] if a["text"] in ("GĐ 1", "GĐ 2", "Duy trì")]
    assert len(names) == 3
    assert all(a["yref"] == "paper" and a["y"] == 1 and a["yanchor"] == "bottom" for a in names)  # above the lines
    first = dt.date(2026, 4, 16) - dt.timedelta(days=3)
    per_day = chart_style.TREND_PLOT_PX / (dt.date(2026, 11, 26) + dt.timedelta(days=4) - first).days
    placed = []
    for a in names:
        edge = (dt.date.fromisoformat(a["x"]) - first).days * per_day
        left = edge if a["xanchor"] == "left" else edge - charts.text_px(a["text"])
        placed.append((a["yshift"], left, left + charts.text_px(a["text"])))
    for i, (row, left, right) in enumerate(placed):
        for other_row, other_left, other_right in placed[i + 1 :]:
            assert row != other_row or right <= other_left or other_right <= left
    rows = len({row for row, _, _ in placed})
    assert rows == 3 and layout["margin"]["t"] >= rows * chart_style.PHASE_ROW_PX
    target = layout["annotations"][0]
    assert target["text"] == "Chỉ tiêu 70 %" and target["bgcolor"] == chart_style.PAPER  # readable wherever a line passes
    assert layout["legend"]["y"] < 0  # the legend went below, leaving the top to the phase names


def test_a_village_above_100_percent_is_never_green_and_says_so():
    table = pd.DataFrame(
        {
            "name": ["Thôn A", "Thôn Đông"],
            "rate": [1.1, 0.8],
            "installed": [110, 80],
            "smartphone_households": [100, 100],
            "needed": [0, 0],
            "carried": [False, True],
        }
    )
    fig = charts.ranking(table, 0.7)
    bar = fig.data[0]
    assert list(bar.y) == ["Thôn A ▲", "Thôn Đông *"]
    assert list(bar.marker.color) == [STATUS_COLOUR["over"], STATUS_COLOUR["green"]]
    assert bar.customdata[0][4] == "vượt số hộ có ĐTTM"
    assert "số của tuần trước" in bar.customdata[1][6]
    assert [t.strip() for t in fig.data[1].text] == ["110,0 %", "80,0 %"]


def test_a_village_without_a_rate_says_why_on_the_ranking_never_no_data():
    # 0 smartphone households is "không áp dụng", a bad roster figure "thiếu số hộ có ĐTTM"; both had "Chưa có số liệu".
    from conftest import VILLAGES

    roster = [VILLAGES[0], [*VILLAGES[1][:3], 0], [*VILLAGES[2][:3], "77%"], VILLAGES[3]]
    board = dashboard.build(check(Thon=roster))
    fig = charts.ranking(board.villages_at(D2), 0.7)
    said = {n: (c[4], t.strip()) for n, c, t in zip(fig.data[0].y, fig.data[0].customdata, fig.data[1].text, strict=True)}
    assert said["Thôn Trung Hòa"] == ("không áp dụng", "– · không áp dụng")
    assert said["Thôn 1"] == ("thiếu số hộ có ĐTTM", "– · thiếu số hộ có ĐTTM")
