"""Chất lượng dữ liệu: every issue with its cell and fix, row accounting, timeliness, history changes."""

import datetime as dt

import pandas as pd
import streamlit as st

from lib import entry_links, messages
from lib.config import TIMEZONE
from lib.fmt import fmt_date
from lib.loading import secrets
from lib.vi_sort import by_name, vi_sorted
from views import cached
from views.common import SEVERITY_LABEL, board_or_stop, inert, issue_table, require_admission
from views.health import health_list
from views.phone import copy_button

require_admission()
st.title("Chất lượng dữ liệu")
board = board_or_stop()
health_list(board)  # ?loc=… from the overview's data-health line
issues = board.issues
s = board.summary

errors, warnings = int((issues["severity"] == "error").sum()), int((issues["severity"] == "warning").sum())
rejected = sum(n["rejected"] for n in board.ds.rows.values())  # the total of the table "Số dòng theo tab" below
cards = st.container(horizontal=True, gap="small")
cards.metric("Dòng bị loại", rejected, border=True, width=170, help="Tổng cột “Bị loại” của bảng Số dòng theo tab.")
cards.metric("Lỗi", errors, border=True, width=170)
cards.metric("Cảnh báo (vẫn tính)", warnings, border=True, width=170)
cards.metric("Chưa báo cáo tuần này", len(cached.not_reported(board, s.as_of)), border=True, width=170)
if errors > rejected:
    st.caption(
        f"{errors} lỗi trên {rejected} dòng bị loại: một dòng có thể có hơn một lỗi, "
        "và lỗi về tab, cột hay cấu hình không thuộc dòng số liệu nào."
    )

st.subheader("Các vấn đề cần sửa")
filters = st.container(horizontal=True, gap="small")
severities = filters.multiselect(
    "Mức", list(SEVERITY_LABEL), format_func=SEVERITY_LABEL.get, key="f_severity", width=220, placeholder="Tất cả"
)
tabs = filters.multiselect("Tab", vi_sorted(issues["sheet"].unique()), key="f_tab", width=260, placeholder="Tất cả")
subjects = filters.multiselect(
    "Thôn / đơn vị", vi_sorted(x for x in issues["subject"].unique() if x), key="f_subject", width=260, placeholder="Tất cả"
)
shown = issues
if severities:
    shown = shown[shown["severity"].isin(severities)]
if tabs:
    shown = shown[shown["sheet"].isin(tabs)]
if subjects:
    shown = shown[shown["subject"].isin(subjects)]
shown = shown.sort_values(
    ["severity", "sheet", "row"],
    key=lambda c: c.map({"error": 0, "warning": 1}) if c.name == "severity" else by_name(c),
    na_position="first",
)
if len(shown):
    issue_table(board, shown, key="issues")
else:
    st.success("Không có vấn đề nào." if not len(issues) else "Không có vấn đề nào khớp bộ lọc.")

st.subheader("Tin nhắn sửa số liệu cho từng thôn")
to_fix = messages.villages_with_issues(issues, list(board.ds.villages["name"].astype(str)))
if to_fix:
    village = st.selectbox("Thôn", to_fix, key="fix_village", help="Các thôn có ô cần sửa, thôn có lỗi trước.")
    base_url = entry_links.entry_settings(secrets=secrets()).base_url
    fixes = messages.village_fixes(issues, village, base_url)
    st.caption(
        "Bấm “Sao chép tin nhắc thôn” rồi gửi cho trưởng thôn qua Zalo: tin nhắn liệt kê từng ô cần sửa và cách sửa"
        + ("." if base_url else "; chưa có đường dẫn trang của thôn vì chưa ghi địa chỉ công khai (base_url trong mục entry của cấu hình).")
    )
    copy_button(fixes, key="copy_village_fixes", label="Sao chép tin nhắc thôn")
    st.code(fixes, language=None, wrap_lines=True)
else:
    st.write("Không thôn nào có ô cần sửa.")

st.subheader("Số dòng theo tab")
accounting = pd.DataFrame(
    [{"Tab": tab, "Đã đọc": n["read"], "Được tính": n["accepted"], "Bị loại": n["rejected"]} for tab, n in board.ds.rows.items()]
)
if len(accounting):
    accounting.loc[len(accounting)] = ["Tổng cộng", *accounting[["Đã đọc", "Được tính", "Bị loại"]].sum()]
st.dataframe(inert(accounting), hide_index=True, key="accounting")
st.caption("Mỗi dòng bị loại đều có ít nhất một lỗi ở bảng trên; dòng trống và dòng tổng cộng không được tính là dòng đã đọc.")

st.subheader("Báo cáo đúng hạn theo tuần")
hour = dt.datetime.now(TIMEZONE).replace(minute=0, second=0, microsecond=0)
status = cached.timeliness(board, hour)
basis = (
    "thời điểm số liệu xuất hiện lần đầu trên Sheet"
    if board.history is not None and board.history.versions
    else "ngày ghi trong cột Ngày báo cáo"
)
st.caption(f"Đúng hạn: trước 23:59 Thứ Năm; căn cứ: {basis}.")
MAX_ROWS = 60  # the villages that missed or were late most often, when there are more than this
problems = status[status["status"].isin(["late", "carried", "missing"])].groupby("name").size()
shown = None
if status["name"].nunique() > MAX_ROWS:
    shown = tuple(sorted(problems.sort_values(ascending=False).head(MAX_ROWS).index))
    st.caption(f"{len(shown)} thôn trễ hoặc thiếu báo cáo nhiều nhất.")
st.plotly_chart(
    cached.timeliness_heatmap(board, hour, shown),
    config={"displayModeBar": False},
    key="heatmap",
)

if board.history is not None:
    st.subheader("Số liệu cũ bị sửa hoặc xoá")
    changes = issues[issues["code"] == "history_changed"]
    if len(changes):
        st.dataframe(
            inert(changes[["subject", "message"]]),
            hide_index=True,
            column_config={"subject": "Thôn / đơn vị", "message": "Thay đổi"},
            key="history",
        )
    else:
        st.write("Chưa thấy số liệu tuần trước nào bị sửa hoặc xoá sau hạn báo cáo.")
    st.caption(f"Kho lịch sử có {board.history.versions} phiên bản của Sheet.")

st.subheader(f"Tin nhắc báo cáo tuần {fmt_date(s.as_of)}")
st.caption("Bấm “Sao chép tin nhắn” rồi dán vào nhóm Zalo của xã.")
reminder = messages.missing_reports(board, s.as_of)
copy_button(reminder, key="copy_reminder")
st.code(reminder, language=None, wrap_lines=True)
