"""What screens derive from the loaded figures, built once per load and shared by every viewer.

Building a plotly figure or a table of villages costs more than sending it, so reruns reuse them. A
function's arguments are its cache key: the dashboard counts by its version (`Dashboard.version`: the
source, when it was read, the day and the stored history), plus the week or villages asked for.
Streamlit keeps the newest entries of each function and computes each key once; callers never mutate
what they get back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import charts, data_health, history, metrics, report, tables
from lib import field_report_figures as field_figures
from lib.dashboard import Dashboard

_BY_VERSION = {Dashboard: lambda board: board.version}


def _per_load(max_entries: int):
    return st.cache_resource(max_entries=max_entries, hash_funcs=_BY_VERSION, show_spinner=False)


@_per_load(16)
def villages_at(board: Dashboard, week: dt.date | None) -> pd.DataFrame:
    """All villages at a week, worst rate first."""
    return board.villages_at(week)


@_per_load(16)
def not_reported(board: Dashboard, week: dt.date | None) -> list[str]:
    """Villages with no report of their own for the week."""
    return board.not_reported(week)


@_per_load(4)
def trend_chart(board: Dashboard) -> go.Figure:
    """The commune's rates week by week, with phase bands and the targets."""
    campaign = board.ds.campaign
    return charts.trend(board.commune_weeks, campaign.phases, campaign.household_target, board.official_weeks, campaign.official_target)


@_per_load(16)
def ranking_chart(board: Dashboard, week: dt.date | None, bars: int) -> go.Figure:
    """The `bars` lowest villages at a week against the households' target."""
    return charts.ranking(villages_at(board, week).head(bars), board.ds.campaign.household_target)


@_per_load(16)
def unit_ranking_chart(board: Dashboard, week: dt.date | None) -> go.Figure:
    """Every unit at a week against the officials' target."""
    return charts.ranking(metrics.at_week(board.unit_weeks, week), board.ds.campaign.official_target, denominator="staff")


@_per_load(16)
def village_list(board: Dashboard, week: dt.date | None) -> pd.DataFrame:
    """Every village at a week as the villages screen lists it: whole percents, status, households still needed, last report."""
    return tables.village_rows(villages_at(board, week), board.ds.campaign.household_target)


@_per_load(16)
def unit_groups(board: Dashboard, week: dt.date | None, phase1_week: dt.date | None) -> list[tuple[str, pd.DataFrame]]:
    """Each group's units at a week as the units screen lays them out, worst first, with their rate at the end of phase 1."""
    units = metrics.at_week(board.unit_weeks, week)
    return tables.unit_groups(units, metrics.at_week(board.unit_weeks, phase1_week), board.ds.campaign.official_target)


def _weeks_of(board: Dashboard, names: tuple[str, ...] | None) -> pd.DataFrame:
    weeks = board.village_weeks
    return weeks if names is None else weeks[weeks["name"].isin(names)]


@_per_load(64)
def village_trend_chart(board: Dashboard, names: tuple[str, ...]) -> go.Figure:
    """The chosen villages' rates week by week."""
    campaign = board.ds.campaign
    return charts.village_trend(_weeks_of(board, names), campaign.phases, campaign.household_target)


@_per_load(64)
def village_gains_chart(board: Dashboard, names: tuple[str, ...]) -> go.Figure:
    """Households the chosen villages installed each week."""
    return charts.weekly_gains(_weeks_of(board, names))


@_per_load(64)
def timeliness(board: Dashboard, hour: dt.datetime, names: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each village's report status per week as of the start of `hour` (all villages, or the ones named).

    Statuses change only at a deadline (23:59), so they are judged once an hour; a report due at 23:59
    shows as missing from midnight, never before its deadline.
    """
    return history.timeliness(_weeks_of(board, names), board.ds.village_reports, board.history, hour)


@_per_load(16)
def timeliness_heatmap(board: Dashboard, hour: dt.datetime, names: tuple[str, ...] | None = None) -> go.Figure:
    """Village × week report statuses as of `hour`, as a heatmap (all villages, or the ones named)."""
    return charts.timeliness_heatmap(timeliness(board, hour, names), history.TIMELINESS_LABEL)


@_per_load(16)
def default_remarks(board: Dashboard, week: dt.date) -> str:
    """The report's "Nhận xét, đề xuất" as written from the figures, before anyone edits it."""
    return report.default_remarks(board, week)


@_per_load(16)
def weekly_report(board: Dashboard, week: dt.date, remarks: str) -> report.WeeklyReport:
    """The report of one week with these remarks."""
    return report.build(board, week, remarks=remarks)


@_per_load(4)
def health(board: Dashboard) -> list[data_health.HealthItem]:
    """What is off in the figures, for the overview's data-health line (a pass over every village's weeks)."""
    return data_health.health(board)


@_per_load(16)
def health_item(board: Dashboard, code: str) -> data_health.HealthItem | None:
    """One kind of trouble with the villages or rows behind it (`?loc=` on *Chất lượng dữ liệu*); None for an unknown code."""
    return data_health.item(board, code)


@_per_load(4)
def field_report_summary(board: Dashboard) -> dict[str, Any] | None:
    """The field reports' contract figures as of the load's day; None without a `Phản ánh` tab."""
    return field_figures.summary(board.ds)


@_per_load(4)
def field_report_units(board: Dashboard) -> pd.DataFrame:
    """Each unit's handling of field reports (the units screen's column)."""
    return field_figures.units(board.ds)


class FieldReportView(NamedTuple):
    """What the *Phản ánh* screen shows for one choice of units, fields and villages."""

    found: dict[str, Any]
    overdue: pd.DataFrame
    weeks: pd.DataFrame
    by_field: pd.DataFrame


@_per_load(32)
def field_report_view(board: Dashboard, units: tuple[str, ...], fields: tuple[str, ...], villages: tuple[str, ...]) -> FieldReportView:
    """The figures, overdue list, weekly and per-field tables of the reports chosen by the screen's filters."""
    ds = board.ds
    frame = field_figures.chosen(ds, units, fields, villages)
    return FieldReportView(
        field_figures.figures_of(frame, ds),
        field_figures.overdue_table(frame, ds),
        field_figures.weekly_table(frame, ds),
        field_figures.field_table(frame, ds),
    )
