"""Field-report charts (pure: tables in, plotly figures out), in the house style of `lib.charts`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import INK, LABEL_GAP, SERIES, TEXT_PX, _figure, label_room, percent_ticks, safe, text_px
from lib.fmt import fmt_date, fmt_int, fmt_pct
from lib.status import STATUS_COLOUR, STATUS_LABEL, status

WEEKLY_SERIES = (("received", "Đã nhận"), ("resolved", "Đã xử lý"), ("resolved_on_time", "Xử lý đúng hạn"))


def weekly(table: pd.DataFrame) -> go.Figure:
    """Reports received, resolved and resolved on time in each report week, side by side."""
    weeks = list(table["week"])
    traces = [
        {
            "type": "bar",
            "x": weeks,
            "y": [int(v) for v in table[column]],
            "name": name,
            "marker": {"color": SERIES[i]},
            "customdata": [[fmt_date(w), fmt_int(v)] for w, v in zip(weeks, table[column], strict=True)],
            "hovertemplate": f"Tuần đến %{{customdata[0]}}<br>{name}: %{{customdata[1]}}<extra></extra>",
        }
        for i, (column, name) in enumerate(WEEKLY_SERIES)
    ]
    return _figure(traces, 300, xaxis={"tickformat": "%d/%m"}, yaxis={"title": None, "tickformat": ",d"}, barmode="group")


def unit_rates(table: pd.DataFrame, target: float) -> go.Figure:
    """Each unit's on-time rate, lowest on top, coloured against the target, with its overdue count beside it."""
    frame = table.sort_values(["on_time_rate", "name"], ascending=[False, True], na_position="first", kind="stable")
    rates = [None if r is None or r != r else float(r) for r in frame["on_time_rate"]]
    states = [status(r, target) for r in rates]
    names = [safe(n) for n in frame["name"]]
    values = [r or 0.0 for r in rates]
    labels = [LABEL_GAP + fmt_pct(r) + (f" · quá hạn {fmt_int(o)}" if o else "") for r, o in zip(rates, frame["overdue_open"], strict=True)]
    custom = [
        [safe(n), fmt_pct(r), fmt_int(t), fmt_int(d), STATUS_LABEL[s], fmt_int(o)]
        for n, r, t, d, s, o in zip(
            frame["name"], rates, frame["resolved_on_time"], frame["resolved"], states, frame["overdue_open"], strict=True
        )
    ]
    bar = {
        "type": "bar",
        "x": values,
        "y": names,
        "orientation": "h",
        "marker": {"color": [STATUS_COLOUR[s] for s in states]},
        "customdata": custom,
        "hovertemplate": "<b>%{customdata[0]}</b><br>Đúng hạn %{customdata[2]} / %{customdata[3]} đã xử lý = %{customdata[1]}"
        "<br>%{customdata[4]} · đang quá hạn %{customdata[5]}<extra></extra>",
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
    right, plot = label_room(names, labels, [max(v, target) for v in values])
    return _figure(
        [bar, text],
        80 + 26 * max(len(frame), 1),
        xaxis={**percent_ticks(1.0, 0.5, target, room=(text_px("100 %") + 4) / plot), "range": [0, 1.0], "title": None, "side": "top"},
        yaxis={"title": None, "automargin": True, "showgrid": False, "tickfont": {"size": TEXT_PX, "color": INK}},
        shapes=[vline],
        margin={"l": 8, "r": right, "t": 36, "b": 8},
        showlegend=False,
        bargap=0.25,
    )
