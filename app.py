"""Streamlit entry point: page setup, navigation and the shared sidebar; nothing else."""

import streamlit as st

from lib.loading import refresh

st.set_page_config(page_title="i-HaTinh · xã Sơn Giang", page_icon="📱", layout="wide", initial_sidebar_state="auto")

PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon="📊", url_path="tong-quan", default=True),
    st.Page("pages/source.py", title="Nguồn dữ liệu", icon="🔌", url_path="nguon-du-lieu"),
]

navigation = st.navigation(PAGES)
with st.sidebar:
    if st.button("Làm mới", key="refresh", icon="🔄", help="Đọc lại số liệu ngay"):
        refresh()
        st.rerun()
    st.caption("Chiến dịch cài đặt ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường) — UBND xã Sơn Giang, Hà Tĩnh.")
navigation.run()
