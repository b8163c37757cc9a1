"""What every chart shares: fonts, colours and sizes that read on a phone, the figure shell, the phase bands and
the target line (pure; `lib.charts` draws the charts with them)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import plotly.graph_objects as go

from lib.config import Phase
from lib.fmt import fmt_pct
from lib.status import STATUS_COLOUR

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
PHASE_FILLS = ("rgba(0,114,178,0.10)", "rgba(230,159,0,0.12)", "rgba(0,158,115,0.07)", "rgba(204,121,167,0.10)")
# Every text colour is set on the figure itself: left unset, Streamlit's chart theme fills in a light grey
# (village names measured 3,7:1 on a phone). Both pass 4,5:1 on PAPER; tests/test_charts.py computes it.
INK = "#0e1117"  # names and values (the app theme's text colour, .streamlit/config.toml)
MUTED = "#4b5563"  # axis numbers and notes
PAPER = "#ffffff"
TEXT_PX = 13  # one size for every chart text: at least 12 px on a phone
# A chart on a 390 px phone is about 358 px wide. Labels are laid out for that width (the narrowest we
# serve), so they cannot collide there and have room to spare on a laptop.
PHONE_WIDTH_PX = 358
TREND_PLOT_PX = 300  # the phone width less the percent ticks on the left


def safe(text: object) -> str:
    """Cell text made inert for plotly labels (which render a subset of HTML)."""
    return html.escape(str(text), quote=False)


def text_px(text: str, size: int = TEXT_PX) -> float:
    """A generous estimate of a label's width in pixels (plotly measures only in the browser)."""
    return 0.58 * size * len(text)


def percent_ticks(top: float, step: float, mark: float | None = None, room: float = 0.15) -> dict:
    """Axis ticks every `step` up to `top`, written '50 %' like every other rate in the app; `mark` (the
    target) becomes a bold tick of its own and ticks closer to it than `room` are left out, so no two touch."""
    values = [round(i * step, 6) for i in range(int(top / step + 1e-9) + 1)]
    if mark is not None:
        values = sorted([v for v in values if abs(v - mark) >= room] + [mark])
    text = [f"<b>{fmt_pct(v, 0)}</b>" if v == mark else fmt_pct(v, 0) for v in values]
    return {"tickmode": "array", "tickvals": values, "ticktext": text, "tickangle": 0}


def figure(
    traces: list[dict],
    height: int,
    *,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    shapes: list[dict] | None = None,
    notes: list[dict] | None = None,
    **layout: Any,
) -> go.Figure:
    """One figure built in one constructor call, the house layout merged with the chart's own.

    Traces, shapes and notes are plain dicts: plotly validates the whole figure once here, where
    add_trace / update_layout / add_vline each copied and revalidated it (about 10x the build time).
    """
    base: dict[str, Any] = {  # plotly layout properties: each of its own type
        "separators": ",.",
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "font": {"family": FONT, "size": TEXT_PX, "color": INK},
        "hoverlabel": {"bgcolor": PAPER, "bordercolor": MUTED, "font": {"family": FONT, "size": TEXT_PX, "color": INK}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": TEXT_PX, "color": INK}},
        "plot_bgcolor": PAPER,
        "paper_bgcolor": PAPER,
        "xaxis": {"showgrid": False, "fixedrange": True, "tickfont": {"size": TEXT_PX, "color": MUTED}, **(xaxis or {})},
        "yaxis": {"gridcolor": "#e6e9ef", "fixedrange": True, "tickfont": {"size": TEXT_PX, "color": MUTED}, **(yaxis or {})},
        "shapes": shapes or [],
        "annotations": notes or [],
    }
    if isinstance(layout.get("legend"), dict):
        layout["legend"] = {**base["legend"], **layout["legend"]}
    return go.Figure(data=traces, layout={**base, **layout})


def short_phase(name: str) -> str:
    """'Giai đoạn 1' → 'GĐ 1', so narrow phase bands keep readable labels."""
    return "GĐ " + name[len("Giai đoạn ") :] if name.lower().startswith("giai đoạn ") else name


def label_rows(spans: list[tuple[float, float]], gap: float = 6) -> list[int]:
    """A row for each label (left, right in px) so that labels sharing a row never overlap: first fit."""
    ends: list[float] = []
    rows = []
    for left, right in spans:
        row = next((r for r, end in enumerate(ends) if left >= end + gap), len(ends))
        if row == len(ends):
            ends.append(right)
        else:
            ends[row] = right
        rows.append(row)
    return rows


PHASE_ROW_PX = 18  # one row of phase names above the plot


def phase_bands(phases: tuple[Phase, ...], first: dt.date, last: dt.date) -> tuple[list[dict], list[dict]]:
    """A shaded band for each phase within the charted weeks, its short name above the plot.

    Phases can be days apart on a chart spanning months ('GĐ 1' and 'GĐ 2' start 5 days apart), so the
    names go in rows above the plot, never on the lines, a name moving up a row where it would touch
    the one before at phone width.
    """
    shapes, notes, spans = [], [], []
    axis_start, axis_end = first - dt.timedelta(days=3), last + dt.timedelta(days=4)
    px_per_day = TREND_PLOT_PX / max((axis_end - axis_start).days, 1)
    for i, phase in enumerate(phases):
        start, end = max(phase.start, axis_start), min(phase.end, last + dt.timedelta(days=3))
        if start > end:
            continue
        x0, x1 = start.isoformat(), (end + dt.timedelta(days=1)).isoformat()
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": PHASE_FILLS[i % len(PHASE_FILLS)],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        text = short_phase(phase.name)
        left, width = (start - axis_start).days * px_per_day, text_px(text)
        anchor = "left" if left + width <= TREND_PLOT_PX else "right"  # a phase starting near the end: name ends at its band's end
        if anchor == "right":
            left = min((end + dt.timedelta(days=1) - axis_start).days * px_per_day, TREND_PLOT_PX) - width
        spans.append((left, left + width))
        notes.append(
            {"text": safe(text), "xref": "x", "yref": "paper", "x": x0 if anchor == "left" else x1, "y": 1, "xanchor": anchor}
            | {"yanchor": "bottom", "showarrow": False, "font": {"size": TEXT_PX, "color": MUTED}}
        )
    for note, row in zip(notes, label_rows(spans), strict=True):
        note["yshift"] = 2 + PHASE_ROW_PX * row
    return shapes, notes


def target_line(target: float) -> tuple[dict, dict]:
    """The dashed target line across the plot, labelled at its right end on an opaque ground."""
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
        "yshift": -2,
        "showarrow": False,
        "bgcolor": PAPER,
        "font": {"size": TEXT_PX, "color": INK},
    }
    return shape, note


def guides(phases: tuple[Phase, ...], weeks: list[dt.date], target: float) -> dict:
    """shapes=, notes= and the layout for a rate-by-week chart: the target line, the phase bands and their
    names in rows above the plot (the legend goes below it to leave them the room)."""
    shape, note = target_line(target)
    bands, labels = phase_bands(phases, weeks[0], weeks[-1])
    rows = 1 + max((n["yshift"] // PHASE_ROW_PX for n in labels), default=-1)
    return {
        "shapes": [shape, *bands],
        "notes": [note, *labels],
        "margin": {"l": 8, "r": 8, "t": 10 + PHASE_ROW_PX * rows, "b": 8},
        "legend": {"yanchor": "top", "y": -0.15},  # below the dates
    }
