"""Phản ánh: residents' field reports received and handled on time, by week, unit, field and village; what is overdue now."""

import streamlit as st

from lib import field_report_charts as charts
from lib import field_report_figures as figures
from lib.fmt import fmt_date, fmt_int, fmt_pct
from views import cached
from views.common import board_or_stop, inert, percent_column, require_admission

require_admission()
st.title("Phản ánh")
board = board_or_stop()
ds, campaign = board.ds, board.ds.campaign

if not figures.has_tab(ds):
    st.info(
        "Sổ số liệu chưa có tab **Phản ánh**, nên trang này chưa có gì để hiển thị.\n\n"
        "Cách thêm: trên hệ thống phản ánh hiện trường, xuất danh sách phản ánh ra Excel; trong Google Sheet thêm một tab tên "
        "**Phản ánh** (hoặc *Danh sách phản ánh*) rồi dán cả danh sách vào, giữ nguyên dòng tiêu đề. Cần ít nhất hai cột "
        "*Mã phản ánh* và *Ngày gửi*; nên có thêm *Lĩnh vực*, *Thôn* (hoặc *Địa điểm*), *Đơn vị xử lý*, *Hạn xử lý*, "
        "*Ngày hoàn thành*, *Trạng thái*, *Đánh giá*. Các cột họ tên, số điện thoại, số CCCD, email, địa chỉ của người gửi "
        "không được đọc và không được lưu. Thời hạn xử lý và chỉ tiêu đúng hạn đặt ở tab *Cấu hình*.",
        icon="ℹ️",
    )
    st.stop()

options = figures.choices(ds)
picks = st.container(horizontal=True, gap="small")
units = picks.multiselect("Đơn vị xử lý", options["unit"], key="fr_units", placeholder="Tất cả đơn vị", width=260)
fields = picks.multiselect("Lĩnh vực", options["field"], key="fr_fields", placeholder="Tất cả lĩnh vực", width=260)
villages = picks.multiselect("Thôn", options["village"], key="fr_villages", placeholder="Tất cả thôn", width=260)
view = cached.field_report_view(board, tuple(units), tuple(fields), tuple(villages))
found = view.found
target = campaign.on_time_target

kpis = st.container(horizontal=True, gap="small", key="fr_kpis")
kpis.metric("Đã nhận", fmt_int(found["received"]), border=True, width=150)
kpis.metric(
    "Xử lý đúng hạn",
    fmt_pct(found["on_time_rate"]),
    help=f"{fmt_int(found['resolved_on_time'])} / {fmt_int(found['resolved'])} phản ánh đã xử lý xong (chỉ tiêu {fmt_pct(target, 0)})",
    border=True,
    width=150,
)
kpis.metric(
    "Đang quá hạn", fmt_int(found["overdue_open"]), help=f"Trong {fmt_int(found['open'])} phản ánh đang xử lý", border=True, width=150
)
kpis.metric("Hài lòng", fmt_pct(found["satisfied_rate"]), help="Trên số phản ánh người dân đã đánh giá", border=True, width=150)
refused = found["received"] - found["resolved"] - found["open"]
st.caption(
    f"Tính đến {fmt_date(ds.today)} · hạn xử lý: hạn ghi trên dòng, nếu trống thì {campaign.report_working_days} ngày làm việc "
    f"(trừ thứ Bảy, Chủ nhật và ngày nghỉ lễ) · {fmt_int(refused)} phản ánh bị từ chối, trả lại hoặc không thuộc thẩm quyền: "
    "có tính là đã nhận, không tính vào tỷ lệ đúng hạn"
)

st.subheader("Theo đơn vị xử lý")
unit_table = figures.units_of(found, target)
if len(unit_table):
    st.dataframe(
        inert(figures.unit_rows(unit_table, target)),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn("Đơn vị", pinned=True),
            "on_time": percent_column("Đúng hạn"),
            "count": st.column_config.TextColumn("Đúng hạn / đã xử lý"),
            "overdue_open": st.column_config.NumberColumn("Đang quá hạn", format="%d"),
            "status": st.column_config.TextColumn(f"So với chỉ tiêu {fmt_pct(target, 0)}"),
            "received": st.column_config.NumberColumn("Đã nhận", format="%d"),
            "median_days": st.column_config.NumberColumn("Số ngày xử lý (trung vị)", format="%.1f"),
        },
        key="fr_units_table",
    )
    st.caption("Đơn vị có nhiều phản ánh quá hạn nhất ở trên; tỷ lệ đúng hạn tính trên phản ánh đã xử lý xong.")

overdue = view.overdue
st.subheader(f"Đang quá hạn: {len(overdue)} phản ánh")
if len(overdue):
    st.dataframe(
        inert(overdue.assign(deadline=[fmt_date(d) for d in overdue["deadline"]])),
        hide_index=True,
        # On a phone the first columns are what shows: how late, and whose, before the rest.
        column_order=("id", "days_overdue", "unit", "field", "village", "deadline"),
        column_config={
            "id": st.column_config.TextColumn("Mã", pinned=True),
            "field": st.column_config.TextColumn("Lĩnh vực"),
            "unit": st.column_config.TextColumn("Đơn vị"),
            "village": st.column_config.TextColumn("Thôn"),
            "deadline": st.column_config.TextColumn("Hạn"),
            "days_overdue": st.column_config.NumberColumn("Quá hạn (ngày)", format="%d"),
        },
        key="fr_overdue",
    )
else:
    st.success("Không có phản ánh nào quá hạn.")

st.subheader("Theo tuần")
weeks = view.weeks
if len(weeks):
    st.plotly_chart(charts.weekly(weeks), config={"displayModeBar": False}, key="fr_weekly")
    st.caption(
        f"Mỗi tuần tính đến ngày báo cáo ({fmt_date(weeks['week'].iloc[-1])} là tuần gần nhất): phản ánh gửi trong tuần, xử lý xong trong tuần"
    )
else:
    st.write("Chưa có phản ánh nào.")

st.subheader("Theo lĩnh vực")
by_field = view.by_field
st.dataframe(
    inert(figures.field_rows(by_field)),
    hide_index=True,
    column_config={
        "field": st.column_config.TextColumn("Lĩnh vực", pinned=True),
        "received": st.column_config.NumberColumn("Đã nhận", format="%d"),
        "resolved": st.column_config.NumberColumn("Đã xử lý", format="%d"),
        "resolved_on_time": st.column_config.NumberColumn("Đúng hạn", format="%d"),
        "on_time_rate": percent_column("Tỷ lệ đúng hạn"),
        "open": st.column_config.NumberColumn("Đang xử lý", format="%d"),
        "overdue_open": st.column_config.NumberColumn("Quá hạn", format="%d"),
    },
    key="fr_fields_table",
)

st.subheader("Theo thôn: số phản ánh trên 100 hộ")
village_table = figures.villages_of(found)
st.dataframe(
    inert(village_table),
    hide_index=True,
    column_config={
        "name": st.column_config.TextColumn("Thôn", pinned=True),
        "received": st.column_config.NumberColumn("Đã nhận", format="%d"),
        "per_100_households": st.column_config.NumberColumn("Trên 100 hộ", format="%.1f"),
    },
    key="fr_villages_table",
)
st.caption("Người dân dùng ứng dụng để phản ánh: thôn có ít phản ánh trên 100 hộ là nơi cần hướng dẫn thêm.")
