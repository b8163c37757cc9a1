"""Streamlit entry point: page setup, navigation and the shared sidebar; nothing else."""

import streamlit as st

from lib.access import access_policy
from lib.loading import refresh, secrets

st.set_page_config(page_title="i-HaTinh · xã Sơn Giang", page_icon="📱", layout="wide", initial_sidebar_state="auto")

policy = access_policy(secrets())
if policy.enabled and not st.user.is_logged_in:
    st.title("Bảng theo dõi i-HaTinh — xã Sơn Giang")
    st.write("Vui lòng đăng nhập để xem số liệu.")
    st.button("Đăng nhập", key="login", on_click=st.login, icon=":material/login:")
    st.stop()
if not policy.admits(st.user.get("email") if policy.enabled else None):
    st.title("Bảng theo dõi i-HaTinh — xã Sơn Giang")
    st.error(
        f"Xin lỗi, tài khoản {st.user.get('email') or ''} chưa được cấp quyền xem bảng theo dõi này. "
        "Nếu anh/chị cần xem, xin liên hệ Phòng Văn hóa – Xã hội để được thêm vào danh sách.",
        icon=":material/lock:",
    )
    st.button("Đăng xuất", key="logout", on_click=st.logout)
    st.stop()

PAGES = [
    st.Page("views/overview.py", title="Tổng quan", icon=":material/dashboard:", url_path="tong-quan", default=True),
    st.Page("views/villages.py", title="Theo thôn", icon=":material/holiday_village:", url_path="theo-thon"),
    st.Page("views/units.py", title="Cán bộ & đơn vị", icon=":material/badge:", url_path="can-bo"),
    st.Page("views/phases.py", title="Giai đoạn", icon=":material/calendar_month:", url_path="giai-doan"),
    st.Page("views/report.py", title="Báo cáo tuần", icon=":material/description:", url_path="bao-cao"),
    st.Page("views/quality.py", title="Chất lượng dữ liệu", icon=":material/fact_check:", url_path="chat-luong"),
    st.Page("views/source.py", title="Nguồn dữ liệu", icon=":material/cable:", url_path="nguon-du-lieu"),
]

navigation = st.navigation(PAGES)
with st.sidebar:
    if st.button("Làm mới", key="refresh", icon=":material/refresh:", help="Đọc lại số liệu ngay"):
        refresh()
        st.rerun()
    if policy.enabled:
        st.caption(f"Đang đăng nhập: {st.user.get('email')}")
        st.button("Đăng xuất", key="logout", on_click=st.logout, icon=":material/logout:")
    st.caption("Chiến dịch cài đặt ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường) — UBND xã Sơn Giang, Hà Tĩnh.")
navigation.run()
