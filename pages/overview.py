"""Tổng quan: where the commune stands against each target, who lags, who has not reported."""

import streamlit as st

from lib import charts
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp
from pages.common import board_or_stop

st.title("Tổng quan")
board = board_or_stop()
s, campaign = board.summary, board.ds.campaign
now = board.commune_at(s.as_of)

kpis = st.container(horizontal=True, gap="small")
kpis.metric(
    "Hộ dân đã cài",
    fmt_pct(s.household_rate),
    delta=fmt_pp(now["change_pp"]) if now is not None else None,
    help=f"{fmt_int(s.installed_households)} / {fmt_int(s.smartphone_households)} hộ có điện thoại thông minh đã cài đặt; "
    "mũi tên: thay đổi so với tuần trước",
    border=True,
    width=170,
)
kpis.metric("Thôn đạt chỉ tiêu", f"{s.villages_meeting_target}/{s.villages}", border=True, width=170)
kpis.metric(
    "Cán bộ đã cài",
    fmt_pct(s.official_rate),
    help=f"{fmt_int(s.officials_installed)} / {fmt_int(s.officials)} cán bộ, công chức, viên chức, người lao động; "
    f"{s.units_meeting_target}/{s.units} đơn vị đạt",
    border=True,
    width=170,
)
kpis.metric("Báo cáo tuần này", f"{s.villages_reported_latest}/{s.villages}", help=f"Tuần {fmt_date(s.as_of)}", border=True, width=170)
st.caption(
    f"Chỉ tiêu: ≥ {fmt_pct(campaign.household_target, 0)} hộ có ĐTTM, {fmt_pct(campaign.official_target, 0)} cán bộ · "
    f"{fmt_int(s.installed_households)} / {fmt_int(s.smartphone_households)} hộ · "
    f"{fmt_int(s.officials_installed)} / {fmt_int(s.officials)} cán bộ · số liệu đến {fmt_date(s.as_of)}"
)

st.subheader("Tỷ lệ cài đặt toàn xã theo tuần")
st.plotly_chart(
    charts.trend(board.cw, campaign.phases, campaign.household_target, board.ow, campaign.official_target),
    config={"displayModeBar": False},
    key="trend",
)

st.subheader(f"Các thôn tuần {fmt_date(s.as_of)}")
table = board.villages_at(s.as_of)
st.plotly_chart(charts.ranking(table, campaign.household_target), config={"displayModeBar": False}, key="ranking")

missing = board.not_reported(s.as_of)
st.subheader(f"Chưa báo cáo tuần {fmt_date(s.as_of)}: {len(missing)} thôn")
if missing:
    st.text("\n".join(f"• {name}" for name in missing))
else:
    st.success("Tất cả các thôn đã báo cáo.")
