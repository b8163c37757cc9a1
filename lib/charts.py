"""DataFrames -> plotly Figures (pure: pages call st.plotly_chart). Vietnamese labels and numbers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib import tables
from lib.chart_style import (
    INK,
    PHONE_WIDTH_PX,
    TEXT_PX,
    figure,
    guides,
    percent_ticks,
    safe,
    text_px,
)
from lib.config import Phase
from lib.fmt import fmt_date, fmt_int, fmt_pct, missing
from lib.status import OVER_VILLAGE, STATUS_COLOUR, STATUS_LABEL, TARGET_COLOUR, status
from lib.vi_sort import by_name, vi_sorted


def trend(
    cw: pd.DataFrame, phases: tuple[Phase, ...], target: float, ow: pd.DataFrame | None = None, official_target: float = 1.0
) -> go.Figure:
    """Commune rate by week (smartphone and all households), the target line, phase bands."""
    if cw.empty:
        return figure([], 320)
    weeks = list(cw["week"])
    custom = [
        [fmt_date(w), fmt_pct(r), fmt_int(i), fmt_int(s), fmt_pct(ra)]
        for w, r, i, s, ra in zip(weeks, cw["rate"], cw["installed"], cw["smartphone_households"], cw["rate_all"], strict=True)
    ]
    traces = [
        {
            "type": "scatter",
            "x": weeks,
            "y": cw["rate"],
            "name": "Tỷ lệ / hộ có ĐTTM",
            "mode": "lines+markers",
            "line": {"color": TARGET_COLOUR, "width": 3},
            "customdata": custom,
            "hovertemplate": "Tuần %{customdata[0]}<br>%{customdata[2]} / %{customdata[3]} hộ có ĐTTM = <b>%{customdata[1]}</b><extra></extra>",
        },
        {
            "type": "scatter",
            "x": weeks,
            "y": cw["rate_all"],
            "name": "Tỷ lệ / tổng số hộ",
            "mode": "lines",
            "line": {"color": "#56B4E9", "width": 2, "dash": "dot"},
            "customdata": custom,
            "hovertemplate": "Tuần %{customdata[0]}<br>Trên tổng số hộ: %{customdata[4]}<extra></extra>",
        },
    ]
    if ow is not None and not ow.empty:
        traces.append(
            {
                "type": "scatter",
                "x": list(ow["week"]),
                "y": ow["rate"],
                "name": "Cán bộ (chỉ tiêu 100 %)",
                "mode": "lines",
                "line": {"color": "#CC79A7", "width": 2},
                "customdata": [[fmt_date(w), fmt_pct(r)] for w, r in zip(ow["week"], ow["rate"], strict=True)],
                "hovertemplate": "Tuần %{customdata[0]}<br>Cán bộ: %{customdata[1]}<extra></extra>",
            }
        )
    top = max(1.05, float(cw["rate"].max() or 0) + 0.05)
    return figure(
        traces,
        360,
        xaxis={"tickformat": "%d/%m", "title": None},
        yaxis={**percent_ticks(top, 0.2), "range": [0, top], "title": None},
        **guides(phases, weeks, target),
    )


CARRIED_MARK = "*"  # after a name: its figure is carried from an earlier week (no report this week)
OVER_MARK = "▲"  # after a name: above 100 % of its denominator (its own colour too, never green)
LABEL_GAP = "\u2002"  # an en space between a bar (or the target line) and its label: plotly's text has no offset


def label_room(names: list[str], labels: list[str], starts: list[float]) -> tuple[int, float]:
    """The right margin (px) that keeps every value label whole at phone width, each label starting at a
    fraction `starts` of the plot's width, and the plot's width that leaves; names take the chart's left."""
    inner = PHONE_WIDTH_PX - 8 - 10 - max((text_px(n) for n in names), default=0)  # left margin, tick gap, names
    room = 8.0
    for label, start in zip(labels, starts, strict=True):
        # the label ends at start * (inner - room) + width, which must stay within inner: solve for room
        room = max(room, (text_px(label) + 8 - (1 - start) * inner) / max(start, 0.05))  # 8 px to spare: fonts differ
    return round(room), max(inner - room, 40.0)


def _state_text(state: str, denominator: object, column: str, over: str) -> str:
    """A bar's status in words; a village without a rate says why (tables.need_text's words)."""
    if state == "over":
        return over
    if state == "none" and column == "smartphone_households" and (missing(denominator) or denominator == 0):
        return tables.need_text(0, denominator)
    return STATUS_LABEL[state]


def ranking(
    table: pd.DataFrame, target: float, value: str = "rate", name: str = "name", denominator: str = "smartphone_households"
) -> go.Figure:
    """Horizontal bars, lowest rate on top, coloured by status, with the target line: laggards first.

    Each value is written in dark ink just right of its bar or, for a bar short of the target, just right
    of the target line: no label ever sits on a bar's colour or across the dashed line. The target is a
    bold tick of the axis itself, so nothing else is written where the ticks are.
    """
    frame = table.sort_values([value, name], ascending=[False, True], key=by_name, na_position="first", kind="stable")
    states = [status(r, target) for r in frame[value]]
    carried = [bool(c) for c in frame["carried"]] if "carried" in frame else [False] * len(frame)
    over = OVER_VILLAGE if denominator == "smartphone_households" else STATUS_LABEL["over"]
    custom = [
        [safe(n), fmt_pct(r), fmt_int(i), fmt_int(d), _state_text(s, d, denominator, over), fmt_int(need)]
        + [f"<br>{CARRIED_MARK} số của tuần trước (chưa báo cáo tuần này)" if c else ""]
        for n, r, i, d, s, need, c in zip(
            frame[name], frame[value], frame["installed"], frame[denominator], states, frame["needed"], carried, strict=True
        )
    ]
    # Marks go after the name, not the value: a value label at the right edge decides how wide the plot can be on a phone.
    names = [
        safe(n) + (f" {OVER_MARK}" if s == "over" else "") + (f" {CARRIED_MARK}" if c else "")
        for n, s, c in zip(frame[name], states, carried, strict=True)
    ]
    values = [float(v) for v in frame[value].fillna(0)]
    # A village without a rate says why beside its "–" (no smartphone-household figure, or 0 of them), never "Chưa có số liệu".
    labels = [
        LABEL_GAP + c[1] + (f" · cần {c[5]}" if c[5] != "0" else f" · {c[4]}" if s == "none" and c[4] != STATUS_LABEL["none"] else "")
        for c, s in zip(custom, states, strict=True)
    ]
    bar = {
        "type": "bar",
        "x": values,
        "y": names,
        "orientation": "h",
        "marker": {"color": [STATUS_COLOUR[s] for s in states]},
        "customdata": custom,
        "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[2]} / %{customdata[3]} = %{customdata[1]}<br>%{customdata[4]} · cần thêm %{customdata[5]}%{customdata[6]}<extra></extra>",
    }
    text = {
        "type": "scatter",
        "mode": "text",
        "x": [max(v, target) for v in values],
        "y": names,
        "text": labels,
        "textposition": "middle right",
        "textfont": {"size": TEXT_PX, "color": INK},
        "cliponaxis": False,
        "hoverinfo": "skip",
    }
    line = {"color": STATUS_COLOUR["red"], "dash": "dash", "width": 2}
    vline = {"type": "line", "xref": "x", "yref": "y domain", "x0": target, "x1": target, "y0": 0, "y1": 1, "line": line}
    top = max([1.0, *values])
    right, plot = label_room(names, labels, [max(v, target) / top for v in values])
    return figure(
        [bar, text],
        80 + 26 * max(len(frame), 1),
        xaxis={**percent_ticks(top, 0.5, target, room=(text_px("100 %") + 4) / plot * top), "range": [0, top], "title": None}
        | {"side": "top"},
        yaxis={"title": None, "automargin": True, "showgrid": False, "tickfont": {"size": TEXT_PX, "color": INK}},
        shapes=[vline],
        margin={"l": 8, "r": right, "t": 36, "b": 8},
        showlegend=False,
        bargap=0.25,
    )


# Okabe–Ito, one colour per line; the status colours stay reserved for đạt / chưa đạt.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _by_village(vw: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Each village's rows, villages in Vietnamese alphabetical order (the legend's order)."""
    groups = dict(list(vw.groupby("name", sort=False)))
    return [(name, groups[name]) for name in vi_sorted(groups)]


def village_trend(vw: pd.DataFrame, phases: tuple[Phase, ...], target: float) -> go.Figure:
    """One line per selected village: its rate by week against the target, carried weeks hollow."""
    if vw.empty:
        return figure([], 320)
    traces = []
    for i, (name, rows) in enumerate(_by_village(vw)):
        custom = [
            [fmt_date(w), fmt_pct(r), fmt_int(n), "số tuần trước" if c else "báo cáo"]
            for w, r, n, c in zip(rows["week"], rows["rate"], rows["installed"], rows["carried"], strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "x": list(rows["week"]),
                "y": rows["rate"],
                "name": safe(name),
                "mode": "lines+markers",
                "line": {"color": SERIES[i % len(SERIES)], "width": 2},
                "marker": {"symbol": ["circle-open" if c else "circle" for c in rows["carried"]], "size": 7},
                "customdata": custom,
                "hovertemplate": f"<b>{safe(name)}</b><br>"
                + "Tuần %{customdata[0]}: %{customdata[2]} hộ = %{customdata[1]} (%{customdata[3]})<extra></extra>",
            }
        )
    weeks = sorted(vw["week"].unique())
    top = max(1.05, float(vw["rate"].max() or 0) + 0.05)
    return figure(
        traces,
        340,
        xaxis={"tickformat": "%d/%m"},
        yaxis={**percent_ticks(top, 0.2), "range": [0, top]},
        **guides(phases, weeks, target),
    )


def weekly_gains(vw: pd.DataFrame) -> go.Figure:
    """Households newly installed each week, one bar group per selected village."""
    traces = [
        {
            "type": "bar",
            "x": list(rows["week"]),
            "y": rows["change"],
            "name": safe(name),
            "marker": {"color": SERIES[i % len(SERIES)]},
            "customdata": [[fmt_date(w), fmt_int(c)] for w, c in zip(rows["week"], rows["change"], strict=True)],
            "hovertemplate": f"<b>{safe(name)}</b><br>" + "Tuần %{customdata[0]}: %{customdata[1]} hộ<extra></extra>",
        }
        for i, (name, rows) in enumerate(_by_village(vw))
    ]
    return figure(traces, 280, xaxis={"tickformat": "%d/%m"}, yaxis={"title": None, "tickformat": ",d"}, barmode="group")


HEATMAP_ROW_PX = 22  # a village's row: its 13 px name and room around it
TIMELINESS_COLOUR = {"on_time": "#009E73", "late": "#E69F00", "carried": "#CC79A7", "missing": "#D55E00", "pending": "#E6E9EF"}


def timeliness_heatmap(table: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Village × week grid: on time / late / carried forward / missing / not yet due."""
    if table.empty:
        return figure([], 240)
    order = list(TIMELINESS_COLOUR)
    names = vi_sorted(table["name"].astype(str).unique(), reverse=True)
    weeks = sorted(table["week"].unique())
    grid = table.pivot_table(index="name", columns="week", values="status", aggfunc="first").reindex(index=names, columns=weeks)
    z = [[order.index(s) if isinstance(s, str) else None for s in row] for row in grid.to_numpy()]
    text = [[labels.get(s, "") if isinstance(s, str) else "" for s in row] for row in grid.to_numpy()]
    n = len(order)
    scale = []
    for i, key in enumerate(order):
        scale += [[i / n, TIMELINESS_COLOUR[key]], [(i + 1) / n, TIMELINESS_COLOUR[key]]]
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": [fmt_date(w)[:5] for w in weeks],
        "y": [safe(n_) for n_ in names],
        "zmin": -0.5,
        "zmax": n - 0.5,
        "colorscale": scale,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "customdata": text,
        "hovertemplate": "%{y} · tuần %{x}: %{customdata}<extra></extra>",
    }
    legend = [  # the heatmap has no legend for categories: one empty marker trace per status
        {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": labels[key]}
        | {"marker": {"size": 10, "color": TIMELINESS_COLOUR[key], "symbol": "square"}}
        for key in order
    ]
    rows = heatmap["y"]
    return figure(
        [heatmap, *legend],
        120 + HEATMAP_ROW_PX * len(names),
        xaxis={"side": "top", "tickangle": -90, "type": "category"},  # upright dates touched each other on a phone
        # every village named: left to itself, plotly drops every other name once rows are as tall as the text
        yaxis={"type": "category", "automargin": True, "tickmode": "array", "tickvals": rows, "ticktext": rows}
        | {"tickfont": {"size": TEXT_PX, "color": INK}},
        legend={"y": -0.02, "yanchor": "top"},
    )
