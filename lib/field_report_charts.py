"""Field-report charts (pure: tables in, plotly figures out), in the house style of `lib.charts`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.chart_style import figure
from lib.charts import SERIES
from lib.fmt import fmt_date, fmt_int

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
    return figure(traces, 300, xaxis={"tickformat": "%d/%m"}, yaxis={"title": None, "tickformat": ",d"}, barmode="group")
