"""Streamlit entry point: page setup, navigation and the shared sidebar; nothing else."""

import streamlit as st

st.set_page_config(page_title="i-HaTinh · xã Sơn Giang", page_icon="📱", layout="wide", initial_sidebar_state="auto")

PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon="📊", url_path="tong-quan", default=True),
]

navigation = st.navigation(PAGES)
with st.sidebar:
    st.caption("Chiến dịch cài đặt ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường) — UBND xã Sơn Giang, Hà Tĩnh.")
navigation.run()
