"""Streamlit entry point: page setup, navigation and the shared sidebar; nothing else."""

import streamlit as st

from lib.loading import refresh

st.set_page_config(page_title="i-HaTinh · xã Sơn Giang", page_icon="📱", layout="wide", initial_sidebar_state="auto")

PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon=":material/dashboard:", url_path="tong-quan", default=True),
    st.Page("pages/villages.py", title="Theo thôn", icon=":material/holiday_village:", url_path="theo-thon"),
    st.Page("pages/units.py", title="Cán bộ & đơn vị", icon=":material/badge:", url_path="can-bo"),
    st.Page("pages/phases.py", title="Giai đoạn", icon=":material/calendar_month:", url_path="giai-doan"),
    st.Page("pages/report.py", title="Báo cáo tuần", icon=":material/description:", url_path="bao-cao"),
    st.Page("pages/quality.py", title="Chất lượng dữ liệu", icon=":material/fact_check:", url_path="chat-luong"),
    st.Page("pages/source.py", title="Nguồn dữ liệu", icon=":material/cable:", url_path="nguon-du-lieu"),
]

navigation = st.navigation(PAGES)
with st.sidebar:
    if st.button("Làm mới", key="refresh", icon=":material/refresh:", help="Đọc lại số liệu ngay"):
        refresh()
        st.rerun()
    st.caption("Chiến dịch cài đặt ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường) — UBND xã Sơn Giang, Hà Tĩnh.")
navigation.run()
