"""Giai đoạn: each phase's result at its end and its gain, the 30-day peak, per village."""

import streamlit as st

from lib import phases, tables
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_signed, md_escape
from views.common import board_or_stop, inert, percent_column, require_admission

TARGET_WORD = {"households": "hộ", "officials": "cán bộ"}

require_admission()
st.title("Giai đoạn")
board = board_or_stop()
campaign = board.ds.campaign
results = phases.phase_results(board.ds, board.commune_weeks, board.official_weeks)

for result in results:
    phase = result.phase
    st.subheader(f"{md_escape(phase.name)} ({fmt_date(phase.start)} – {fmt_date(phase.end)})")
    if phase.audience:
        st.caption(md_escape(phase.audience))
    if result.end_week is None:
        st.write("Chưa có báo cáo nào trước khi giai đoạn kết thúc.")
        continue
    cards = st.container(horizontal=True, gap="small")
    cards.metric(
        "Hộ dân cuối giai đoạn", fmt_pct(result.rate_end), delta=f"{fmt_signed(result.gain)} hộ trong giai đoạn", border=True, width=200
    )
    cards.metric(
        "Cán bộ cuối giai đoạn",
        fmt_pct(result.official_rate_end),
        delta=f"{fmt_signed(result.officials_gain)} người",
        border=True,
        width=200,
    )
    cards.metric(
        f"Chỉ tiêu {TARGET_WORD[result.judged_against]} {fmt_pct(result.target, 0)}",
        "Đạt" if result.met else "Chưa đạt",
        border=True,
        width=170,
    )
    st.caption(f"Theo báo cáo tuần {fmt_date(result.end_week)}" + (" · giai đoạn đang diễn ra" if result.ongoing else ""))

peak = phases.peak_window(campaign.phases, board.commune_weeks)
if peak is not None:
    st.subheader(f"Đợt cao điểm {peak.days} ngày ({fmt_date(peak.start)} – {fmt_date(peak.end)})")
    if peak.week is not None:
        st.write(
            f"Đến tuần {fmt_date(peak.week)}: {fmt_int(peak.installed)} / {fmt_int(peak.smartphone_households)} hộ có ĐTTM "
            f"= **{fmt_pct(peak.rate)}**; {peak.villages_meeting_target}/{peak.villages} thôn đạt chỉ tiêu."
        )

st.subheader("Từng thôn theo giai đoạn")
frame = tables.village_phase_rates(board.village_weeks, campaign.phases)
config = {c: percent_column(c) for c in frame.columns if c.endswith("tỷ lệ")}
config["Thôn"] = st.column_config.TextColumn("Thôn", pinned=True)
st.dataframe(inert(frame), hide_index=True, column_config=config, key="phase_villages", placeholder="–")
