"""Field-report pieces other screens show: the overview's on-time card and overdue count, the units screen's column."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import field_report_figures as figures
from lib import metrics
from lib.dashboard import Dashboard
from lib.fmt import fmt_int, fmt_pct
from lib.normalize import name_key
from lib.tables import percent_text
from views import cached
from views.common import inert, percent_column


def overview_cards(board: Dashboard, row) -> None:
    """'Xử lý đúng hạn' and 'Phản ánh quá hạn' in the overview's row of cards, only when the workbook has a `Phản ánh` tab."""
    found = cached.field_report_summary(board)
    if found is None:
        return
    target = board.ds.campaign.on_time_target
    row.metric(
        "Xử lý đúng hạn",
        fmt_pct(found["on_time_rate"]),
        help=f"{fmt_int(found['resolved_on_time'])} / {fmt_int(found['resolved'])} phản ánh đã xử lý xong đúng hạn "
        f"(chỉ tiêu {fmt_pct(target, 0)}); phản ánh bị từ chối, trả lại không tính. Chi tiết ở trang Phản ánh.",
        border=True,
        width=170,
    )
    row.metric(
        "Phản ánh quá hạn",
        fmt_int(found["overdue_open"]),
        help=f"Chưa xử lý xong và đã quá hạn; đang xử lý tổng cộng {fmt_int(found['open'])} phản ánh.",
        border=True,
        width=170,
    )


def unit_handling(board: Dashboard) -> pd.DataFrame | None:
    """Each unit's on-time handling of field reports, to show beside its install rate; None without the tab."""
    if not figures.has_tab(board.ds):
        return None
    table = cached.field_report_units(board)
    return table.assign(on_time=percent_text(table["on_time_rate"]))


def show_unit_handling(board: Dashboard) -> None:
    """The units screen's section: each unit's install rate and its on-time handling of field reports, side by side."""
    handling = unit_handling(board)
    if handling is None:
        return
    latest = metrics.at_week(board.unit_weeks, board.summary.units_as_of)
    rate_of = {name_key(n): r for n, r in zip(latest["name"], latest["rate"], strict=True)} if len(latest) else {}
    installs = [rate_of.get(name_key(n)) for n in handling["name"]]
    view = handling.assign(
        install=percent_text(pd.Series(installs, dtype="float64")),
        count=[f"{fmt_int(t)}/{fmt_int(r)}" for t, r in zip(handling["resolved_on_time"], handling["resolved"], strict=True)],
    )
    target = board.ds.campaign.on_time_target
    st.subheader("Xử lý phản ánh đúng hạn")
    st.caption(f"Chỉ tiêu xử lý đúng hạn {fmt_pct(target, 0)} · tính đến {board.ds.today:%d/%m/%Y} · chi tiết ở trang Phản ánh")
    st.dataframe(
        # What this section is about first: on a phone the columns after the second are off-screen.
        inert(view[["name", "on_time", "overdue_open", "install", "count"]]),
        hide_index=True,
        placeholder="–",  # a unit with nothing resolved yet has no on-time rate
        column_config={
            "name": st.column_config.TextColumn("Đơn vị", pinned=True),
            "install": percent_column("Cán bộ đã cài"),
            "on_time": percent_column("Xử lý đúng hạn"),
            "count": st.column_config.TextColumn("Đúng hạn / đã xử lý"),
            "overdue_open": st.column_config.NumberColumn("Đang quá hạn", format="%d"),
        },
        key="unit_field_reports",
    )
