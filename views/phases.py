"""Giai đoạn: each phase's result at its end and its gain, the 30-day peak, per village."""

import datetime as dt

import streamlit as st

from lib import metrics
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_signed, md_escape
from views import cached
from views.common import board_or_stop, inert, percent_floor, progress_column, require_admission

require_admission()
st.title("Giai đoạn")
board = board_or_stop()
campaign = board.ds.campaign
results = metrics.phase_results(board.ds, board.commune_weeks, board.official_weeks)

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
    if "cán bộ" in phase.audience.lower():  # a phase for officials is judged against the officials' target
        met = result.official_rate_end is not None and result.official_rate_end + 1e-9 >= campaign.official_target
        cards.metric(f"Chỉ tiêu cán bộ {fmt_pct(campaign.official_target, 0)}", "Đạt" if met else "Chưa đạt", border=True, width=170)
    else:
        cards.metric(f"Chỉ tiêu hộ {fmt_pct(campaign.household_target, 0)}", "Đạt" if result.met else "Chưa đạt", border=True, width=170)
    ongoing = phase.end >= board.ds.today
    st.caption(f"Theo báo cáo tuần {fmt_date(result.end_week)}" + (" · giai đoạn đang diễn ra" if ongoing else ""))

start = campaign.phases[0].start if campaign.phases else None
if start and board.weeks:
    peak_end = start + dt.timedelta(days=30)
    st.subheader(f"Đợt cao điểm 30 ngày ({fmt_date(start)} – {fmt_date(peak_end)})")
    before = board.commune_weeks[board.commune_weeks["week"] <= peak_end]
    if len(before):
        last = before.iloc[-1]
        table = cached.villages_at(board, last["week"])
        st.write(
            f"Đến tuần {fmt_date(last['week'])}: {fmt_int(last['installed'])} / {fmt_int(last['smartphone_households'])} hộ có ĐTTM "
            f"= **{fmt_pct(last['rate'])}**; {int(table['meets_target'].sum())}/{len(table)} thôn đạt chỉ tiêu."
        )

st.subheader("Từng thôn theo giai đoạn")
frame = metrics.village_phases(board.village_weeks, campaign.phases)
for column in [c for c in frame.columns if c.endswith("tỷ lệ")]:
    frame[column] = percent_floor(frame[column])
config = {c: progress_column(c) for c in frame.columns if c.endswith("tỷ lệ")}
config["Thôn"] = st.column_config.TextColumn("Thôn", pinned=True)
st.dataframe(inert(frame), hide_index=True, column_config=config, key="phase_villages")
