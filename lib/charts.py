"""DataFrames -> plotly Figures (pure: pages call st.plotly_chart). Vietnamese labels and numbers."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from lib.config import Phase
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.status import STATUS_COLOUR, STATUS_LABEL, TARGET_COLOUR, status

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
PHASE_FILLS = ("rgba(0,114,178,0.10)", "rgba(230,159,0,0.12)", "rgba(0,158,115,0.07)", "rgba(204,121,167,0.10)")


def safe(text: object) -> str:
    """Cell text made inert for plotly labels (which render a subset of HTML)."""
    return html.escape(str(text), quote=False)


def _figure(
    traces: list[dict],
    height: int,
    *,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    shapes: list[dict] | None = None,
    notes: list[dict] | None = None,
    **layout: object,
) -> go.Figure:
    """One figure built in one constructor call, the house layout merged with the chart's own.

    Traces, shapes and notes are plain dicts: plotly validates the whole figure once here, where
    add_trace / update_layout / add_vline each copied and revalidated it (about 10x the build time).
    """
    base = {
        "separators": ",.",
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "font": {"family": FONT, "size": 13},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "plot_bgcolor": "white",
        "xaxis": {"showgrid": False, "fixedrange": True, **(xaxis or {})},
        "yaxis": {"gridcolor": "#e6e9ef", "fixedrange": True, **(yaxis or {})},
        "shapes": shapes or [],
        "annotations": notes or [],
    }
    if isinstance(layout.get("legend"), dict):
        layout["legend"] = {**base["legend"], **layout["legend"]}
    return go.Figure(data=traces, layout={**base, **layout})


def short_phase(name: str) -> str:
    """'Giai đoạn 1' → 'GĐ 1', so narrow phase bands keep readable labels."""
    return "GĐ " + name[len("Giai đoạn ") :] if name.lower().startswith("giai đoạn ") else name


def _phase_bands(phases: tuple[Phase, ...], first: dt.date, last: dt.date) -> tuple[list[dict], list[dict]]:
    """A shaded band and a short label for each phase within the charted weeks."""
    shapes, notes = [], []
    for i, phase in enumerate(phases):
        start, end = max(phase.start, first - dt.timedelta(days=3)), min(phase.end, last + dt.timedelta(days=3))
        if start > end:
            continue
        x0, x1 = start.isoformat(), (end + dt.timedelta(days=1)).isoformat()
        fill = PHASE_FILLS[i % len(PHASE_FILLS)]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {"text": safe(short_phase(phase.name)), "xref": "x", "yref": "paper", "x": x0, "y": 1, "xanchor": "left", "yanchor": "top"}
            | {"showarrow": False, "yshift": -14 * (i % 2), "font": {"size": 11, "color": "#555"}}
        )
    return shapes, notes


def _target_line(target: float) -> tuple[dict, dict]:
    """The dashed red target line across the plot, labelled at its right end."""
    line = {"color": STATUS_COLOUR["red"], "dash": "dash", "width": 2}
    shape = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": target, "y1": target, "line": line}
    note = {
        "text": f"Chỉ tiêu {fmt_pct(target, 0)}",
        "xref": "paper",
        "yref": "y",
        "x": 1,
        "y": target,
        "xanchor": "right",
        "yanchor": "top",
        "showarrow": False,
    }
    return shape, note


def _guides(phases: tuple[Phase, ...], weeks: list[dt.date], target: float) -> dict:
    """shapes= and notes= for a rate-by-week chart: the target line, then the phase bands."""
    shape, note = _target_line(target)
    bands, labels = _phase_bands(phases, weeks[0], weeks[-1])
    return {"shapes": [shape, *bands], "notes": [note, *labels]}


def trend(
    cw: pd.DataFrame, phases: tuple[Phase, ...], target: float, ow: pd.DataFrame | None = None, official_target: float = 1.0
) -> go.Figure:
    """Commune rate by week (smartphone and all households), the target line, phase bands."""
    if cw.empty:
        return _figure([], 320)
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
    return _figure(
        traces,
        360,
        xaxis={"tickformat": "%d/%m", "title": None},
        yaxis={"tickformat": ".0%", "range": [0, top], "title": None},
        **_guides(phases, weeks, target),
    )


def ranking(
    table: pd.DataFrame, target: float, value: str = "rate", name: str = "name", denominator: str = "smartphone_households"
) -> go.Figure:
    """Horizontal bars, lowest rate on top, coloured by status, with the target line: laggards first."""
    frame = table.sort_values([value, name], ascending=[False, True], na_position="first", kind="stable")
    states = [status(r, target) for r in frame[value]]
    custom = [
        [safe(n), fmt_pct(r), fmt_int(i), fmt_int(d), STATUS_LABEL[s], fmt_int(need)]
        for n, r, i, d, s, need in zip(
            frame[name], frame[value], frame["installed"], frame[denominator], states, frame["needed"], strict=True
        )
    ]
    bar = {
        "type": "bar",
        "x": frame[value].fillna(0),
        "y": [safe(n) for n in frame[name]],
        "orientation": "h",
        "marker": {"color": [STATUS_COLOUR[s] for s in states]},
        "text": [f"{c[1]}" + (f" · cần {c[5]}" if c[5] != "0" else "") for c in custom],
        "textposition": "auto",
        "insidetextanchor": "end",
        "customdata": custom,
        "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[2]} / %{customdata[3]} = %{customdata[1]}<br>%{customdata[4]} · cần thêm %{customdata[5]}<extra></extra>",
    }
    line = {"color": STATUS_COLOUR["red"], "dash": "dash", "width": 2}
    vline = {"type": "line", "xref": "x", "yref": "y domain", "x0": target, "x1": target, "y0": 0, "y1": 1, "line": line}
    label = {"text": fmt_pct(target, 0), "xref": "x", "yref": "y domain", "x": target, "y": 1, "xanchor": "center", "yanchor": "bottom"}
    top = max(1.0, float(frame[value].max() or 0) + 0.05) if len(frame) else 1.0
    return _figure(
        [bar],
        80 + 26 * max(len(frame), 1),
        xaxis={"tickformat": ".0%", "range": [0, top], "title": None, "side": "top"},
        yaxis={"title": None, "automargin": True, "showgrid": False},
        shapes=[vline],
        notes=[label | {"showarrow": False}],
        showlegend=False,
        bargap=0.25,
    )


# Okabe–Ito, one colour per line; the status colours stay reserved for đạt / chưa đạt.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def village_trend(vw: pd.DataFrame, phases: tuple[Phase, ...], target: float) -> go.Figure:
    """One line per selected village: its rate by week against the target, carried weeks hollow."""
    if vw.empty:
        return _figure([], 320)
    traces = []
    for i, (name, rows) in enumerate(vw.groupby("name", sort=True)):
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
    return _figure(
        traces,
        340,
        xaxis={"tickformat": "%d/%m"},
        yaxis={"tickformat": ".0%", "range": [0, max(1.05, float(vw["rate"].max() or 0) + 0.05)]},
        **_guides(phases, weeks, target),
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
        for i, (name, rows) in enumerate(vw.groupby("name", sort=True))
    ]
    return _figure(traces, 280, xaxis={"tickformat": "%d/%m"}, yaxis={"title": None, "tickformat": ",d"}, barmode="group")


TIMELINESS_COLOUR = {"on_time": "#009E73", "late": "#E69F00", "carried": "#CC79A7", "missing": "#D55E00", "pending": "#E6E9EF"}


def timeliness_heatmap(table: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Village × week grid: on time / late / carried forward / missing / not yet due."""
    if table.empty:
        return _figure([], 240)
    order = list(TIMELINESS_COLOUR)
    names = sorted(table["name"].astype(str).unique(), reverse=True)
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
    return _figure(
        [heatmap, *legend],
        120 + 18 * len(names),
        xaxis={"side": "top", "tickangle": -60, "type": "category"},
        yaxis={"type": "category", "automargin": True},
        legend={"y": -0.02, "yanchor": "top"},
    )
