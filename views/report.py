"""Báo cáo tuần: pick a week, read the report, download it as .docx / .pdf / .xlsx, copy the Zalo message."""

import streamlit as st

from lib import messages, office
from lib.fmt import fmt_date, md_escape
from lib.report import latest_complete_week, now_local
from lib.report_docx import report_docx
from lib.report_xlsx import report_xlsx
from views import cached
from views.common import board_or_stop, inert, require_admission
from views.phone import copy_button

require_admission()
st.title("Báo cáo tuần")
board = board_or_stop()
weeks = board.weeks
if not weeks:
    st.info("Chưa có báo cáo nào để tổng hợp.")
    st.stop()
default = latest_complete_week(weeks, now_local())
week = st.selectbox(
    "Tuần báo cáo (Thứ Năm)", list(reversed(weeks)), index=list(reversed(weeks)).index(default), format_func=fmt_date, key="report_week"
)

remarks_key = f"remarks_{week.isoformat()}"
remarks = st.text_area(
    "Nhận xét, đề xuất (có thể sửa trước khi tải về)",
    value=st.session_state.get(remarks_key) or cached.default_remarks(board, week),
    key=remarks_key,
    height=150,
)
report = cached.weekly_report(board, week, remarks)

buttons = st.container(horizontal=True, gap="small")
buttons.download_button(
    "Tải báo cáo .docx",
    data=lambda: report_docx(report),  # built when clicked, not on every rerun
    file_name=f"{report.file_stem}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="download_docx",
    icon=":material/description:",
)
pdf_missing = office.unavailable()  # None when LibreOffice is installed
buttons.download_button(
    "Tải bản PDF",
    data=lambda: office.pdf_or_raise(report_docx(report)),  # LibreOffice takes a few seconds: only when clicked
    file_name=f"{report.file_stem}.pdf",
    mime="application/pdf",
    key="download_pdf",
    icon=":material/picture_as_pdf:",
    disabled=pdf_missing is not None,
    help=pdf_missing,
)
buttons.download_button(
    "Tải bảng số liệu .xlsx",
    data=lambda: report_xlsx(report),
    file_name=f"{report.file_stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
    icon=":material/table_view:",
)
if pdf_missing:
    st.caption(pdf_missing)  # said, not only in a tooltip: a phone has no hover

st.subheader("Tin nhắn Zalo")
st.caption("Bấm “Sao chép tin nhắn” rồi dán vào nhóm Zalo của xã.")
summary = messages.weekly_summary(board, week)
copy_button(summary, key="copy_summary")
st.code(summary, language=None, wrap_lines=True)

st.subheader("Xem trước")
with st.container(border=True):
    st.markdown(f"**ỦY BAN NHÂN DÂN XÃ {md_escape(report.commune.upper())}** · Số: …/BC\\-UBND")
    st.markdown(f"*{md_escape(report.place_date)}*")
    st.markdown(f"**BÁO CÁO** — {md_escape(report.subtitle)}")
    for i, (heading, paragraphs) in enumerate(report.sections):
        if heading:
            st.markdown(f"**{md_escape(heading)}**")
        for text in paragraphs:
            st.markdown(md_escape(text))
        if i == report.table_at:
            st.dataframe(
                inert(report.table),
                hide_index=True,
                key="report_table",
            )
