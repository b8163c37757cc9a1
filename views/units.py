"""Cán bộ & đơn vị: every unit against 100 %, by group, laggards first; phase 1 result against now."""

import streamlit as st

from lib import metrics, phases
from lib.fmt import fmt_date, fmt_int, fmt_pct, md_escape
from views import cached
from views.common import board_or_stop, inert, percent_column, require_admission
from views.field_report_cards import show_unit_handling

require_admission()
st.title("Cán bộ & đơn vị")
board = board_or_stop()
campaign, s = board.ds.campaign, board.summary
target = campaign.official_target
units = metrics.at_week(board.unit_weeks, s.units_as_of)
if units.empty:
    st.info("Chưa có báo cáo nào của các đơn vị.")
    st.stop()

phase1_result = next(iter(phases.phase_results(board.ds, board.commune_weeks, board.official_weeks)), None)
phase1_week = phase1_result.end_week if phase1_result else None

cards = st.container(horizontal=True, gap="small")
cards.metric(f"Cán bộ đã cài (chỉ tiêu {fmt_pct(target, 0)})", fmt_pct(s.official_rate), border=True, width=220)
cards.metric("Đơn vị đạt", f"{s.units_meeting_target}/{s.units}", border=True, width=170)
cards.metric("Còn thiếu", f"{fmt_int(int(units['needed'].sum()))} người", border=True, width=170)
st.caption(
    f"Số liệu đơn vị đến tuần {fmt_date(s.units_as_of)} · {fmt_int(s.officials_installed)} / {fmt_int(s.officials)} cán bộ, công chức, viên chức, người lao động"
)

below = metrics.behind_target(units)
if len(below):
    st.subheader(f"Chưa đạt {fmt_pct(target, 0)}: {len(below)} đơn vị")
    st.text(
        "\n".join(
            f"• {n}: {fmt_pct(r)} — còn {fmt_int(k)} người" for n, r, k in zip(below["name"], below["rate"], below["needed"], strict=True)
        )
    )
else:
    st.success(f"Tất cả các đơn vị đã đạt {fmt_pct(target, 0)}.")

st.plotly_chart(
    cached.unit_ranking_chart(board, s.units_as_of),
    config={"displayModeBar": False},
    key="unit_ranking",
)

phase_label = f"Đến {fmt_date(phase1_result.phase.end)[:5]} (GĐ 1)" if phase1_result else "Giai đoạn 1"

for group, view in cached.unit_groups(board, s.units_as_of, phase1_week):
    st.subheader(md_escape(group))
    st.dataframe(
        inert(view),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn("Đơn vị", pinned=True),
            "rate": percent_column("Hiện nay"),
            "count": st.column_config.TextColumn("Đã cài / tổng"),
            "phase1": percent_column(phase_label),
            "status": st.column_config.TextColumn("Trạng thái"),
        },
        key=f"units_{group}",
    )

show_unit_handling(board)  # each unit's on-time handling of field reports beside its install rate (with a `Phản ánh` tab)
