"""Tổng quan: where the commune stands against each target, who lags, are we on pace, who has not reported."""

import streamlit as st

from lib import metrics
from lib.charts import CARRIED_MARK, OVER_MARK
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp
from lib.status import OVER_VILLAGE
from lib.tables import percent_text
from views import cached
from views.common import board_or_stop, inert, percent_column, require_admission
from views.field_report_cards import overview_cards
from views.health import health_line

require_admission()
st.title("Tổng quan")
board = board_or_stop()
health_line(board)
s, campaign = board.summary, board.ds.campaign
now = board.commune_at(s.as_of)
deadline = st.session_state.get("deadline") or metrics.default_deadline(campaign.phases, s.as_of)
p = metrics.pace(board.commune_weeks, campaign.household_target, deadline)
pace_word = "Đã đạt" if p.reached else ("Kịp" if p.on_pace else "Chậm")

kpis = st.container(horizontal=True, gap="small", key="kpis")
kpis.metric(
    "Hộ dân đã cài",
    fmt_pct(s.household_rate),
    delta=fmt_pp(now["change_pp"]) if now is not None else None,
    help=f"{fmt_int(s.installed_households)} / {fmt_int(s.smartphone_households)} hộ có điện thoại thông minh đã cài đặt "
    f"(chỉ tiêu ≥ {fmt_pct(campaign.household_target, 0)}); mũi tên: thay đổi so với tuần trước",
    border=True,
    width=170,
)
kpis.metric(
    "Cán bộ đã cài",
    fmt_pct(s.official_rate),
    help=f"{fmt_int(s.officials_installed)} / {fmt_int(s.officials)} cán bộ, công chức, viên chức, người lao động "
    f"(chỉ tiêu {fmt_pct(campaign.official_target, 0)}); {s.units_meeting_target}/{s.units} đơn vị đạt",
    border=True,
    width=170,
)
kpis.metric("Thôn đạt chỉ tiêu", f"{s.villages_meeting_target}/{s.villages}", border=True, width=170)
kpis.metric("Báo cáo tuần này", f"{s.villages_reported_latest}/{s.villages}", help=f"Tuần {fmt_date(s.as_of)}", border=True, width=170)
kpis.metric(
    "Trên tổng số hộ",
    fmt_pct(now["rate_all"] if now is not None else None),
    help="Hộ đã cài đặt trên tổng số hộ của xã (kế hoạch: mỗi hộ ít nhất một người biết sử dụng)",
    border=True,
    width=170,
)
kpis.metric("Tiến độ", pace_word, help="So với chỉ tiêu hộ dân toàn xã và hạn chọn ở mục Tiến độ bên dưới", border=True, width=170)
overview_cards(board, kpis)  # "Xử lý đúng hạn" and the overdue count, when the workbook has a `Phản ánh` tab
st.caption(
    f"Chỉ tiêu: ≥ {fmt_pct(campaign.household_target, 0)} hộ có ĐTTM, {fmt_pct(campaign.official_target, 0)} cán bộ · "
    f"{fmt_int(s.installed_households)} / {fmt_int(s.smartphone_households)} hộ có ĐTTM · "
    f"{fmt_int(s.officials_installed)} / {fmt_int(s.officials)} cán bộ · số liệu đến {fmt_date(s.as_of)}"
)

table = cached.villages_at(board, s.as_of)
behind = metrics.most_needed(table)
SHOWN = 5  # the villages needing most households; the rest are counted, never silently left out
lagging = behind.head(SHOWN)
st.subheader(f"Thôn chưa đạt: {len(behind)} thôn, cần thêm {fmt_int(int(behind['needed'].sum()))} hộ")
if len(lagging):
    st.dataframe(
        inert(lagging.assign(rate=percent_text(lagging["rate"]))[["name", "rate", "needed"]]),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn("Thôn"),
            "rate": percent_column("Tỷ lệ"),
            "needed": st.column_config.NumberColumn("Cần thêm (hộ)", format="%d"),
        },
        key="lagging",
    )
    if len(behind) > SHOWN:
        st.caption(f"và {len(behind) - SHOWN} thôn khác chưa đạt: xem đủ ở biểu đồ dưới đây và trang Theo thôn.")
else:
    st.success("Tất cả các thôn đã đạt chỉ tiêu.")

st.subheader("Tiến độ")
# The earliest deadline on offer follows the data (a campaign run in 2025 is as valid as one in 2026); the
# deadline itself is included so a bound can never exclude the value shown.
earliest = min([deadline, *(phase.start for phase in campaign.phases), *board.weeks])
st.date_input("Hạn cần đạt", value=deadline, format="DD/MM/YYYY", key="deadline", min_value=earliest)
if p.as_of is None:
    st.write("Chưa có báo cáo nào.")
else:
    rate_text = f"{fmt_int(round(p.run_rate))} hộ/tuần (trung bình {p.window_weeks} tuần gần nhất)"
    if p.reached:
        st.write(
            f"Toàn xã **đã đạt** chỉ tiêu {fmt_pct(campaign.household_target, 0)} ({fmt_int(p.installed)} / mục tiêu {fmt_int(p.goal)} hộ). Tốc độ gần đây: {rate_text}."
        )
    else:
        eta = (
            f"toàn xã đạt {fmt_pct(campaign.household_target, 0)} vào khoảng **{fmt_date(p.eta)}**"
            if p.eta
            else "toàn xã **chưa thể đạt** chỉ tiêu"
        )
        st.write(f"Còn thiếu **{fmt_int(p.remaining)} hộ**. Tốc độ gần đây: {rate_text}; với tốc độ này {eta}.")
        st.write(
            f"Để đạt trước {fmt_date(p.deadline)} cần khoảng **{fmt_int(p.per_week_to_ask)} hộ/tuần** — **{pace_word.lower()}** tiến độ."
        )

st.subheader("Tỷ lệ cài đặt toàn xã theo tuần")
st.plotly_chart(
    cached.trend_chart(board),
    config={"displayModeBar": False},
    key="trend",
)

st.subheader(f"Các thôn tuần {fmt_date(s.as_of)}")
st.caption(
    f"Xanh lục: đạt (≥ {fmt_pct(campaign.household_target, 0)}) · cam: gần đạt (kém dưới 15 điểm %) · đỏ cam: chưa đạt · "
    f"tím {OVER_MARK}: {OVER_VILLAGE} · {CARRIED_MARK}: chưa báo cáo tuần này, dùng số tuần trước · “cần N”: số hộ còn thiếu"
)
MAX_BARS = 40  # a province-wide sheet has 1.500 villages: a chart that tall helps nobody
if len(table) > MAX_BARS:
    st.caption(f"{MAX_BARS} thôn có tỷ lệ thấp nhất trong {len(table)} thôn; xem đủ ở trang Theo thôn.")
st.plotly_chart(
    cached.ranking_chart(board, s.as_of, MAX_BARS),
    config={"displayModeBar": False},
    key="ranking",
)

missing = cached.not_reported(board, s.as_of)
st.subheader(f"Chưa báo cáo tuần {fmt_date(s.as_of)}: {len(missing)} thôn")
if missing:
    st.text("\n".join(f"• {name}" for name in missing))
else:
    st.success("Tất cả các thôn đã báo cáo.")
