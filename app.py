"""Streamlit entry point: page setup, the sign-in gate, navigation over the screens, the shared sidebar; nothing else.

Every run calls st.navigation. A visitor the gate does not let in navigates to one gate screen (sign-in,
refusal, or "settings unreadable") that answers at / and at every screen's URL, so no screen ever runs
for them; the screens themselves also refuse to run unless this gate admitted the run.
"""

import functools
from typing import NoReturn

import streamlit as st

from lib.access import access_policy
from lib.entry_links import TOKEN_PARAM
from lib.fmt import md_escape
from lib.loading import SecretsError, refresh, secrets
from views import SCREENS
from views.common import admitted
from views.entry import entry_screen
from views.phone import menu

TITLE = "Bảng theo dõi i-HaTinh — xã Sơn Giang"

st.set_page_config(page_title="i-HaTinh · xã Sơn Giang", page_icon="📱", layout="wide", initial_sidebar_state="auto")


def sign_in() -> None:
    """The only screen a visitor sees before signing in."""
    st.title(TITLE)
    st.write("Vui lòng đăng nhập để xem số liệu.")
    st.button("Đăng nhập", key="login", on_click=st.login, icon=":material/login:")


def refusal() -> None:
    """A signed-in user who is not on the list: a polite refusal and a way out."""
    st.title(TITLE)
    st.error(
        f"Xin lỗi, tài khoản {md_escape(st.user.get('email') or '')} chưa được cấp quyền xem bảng theo dõi này. "
        "Nếu anh/chị cần xem, xin liên hệ Phòng Văn hóa – Xã hội để được thêm vào danh sách.",
        icon=":material/lock:",
    )
    st.button("Đăng xuất", key="logout", on_click=st.logout)


def closed(problem: str) -> None:
    """The secrets cannot be read, so nobody can be checked: nobody gets in."""
    st.title(TITLE)
    st.error(problem, icon=":material/lock:")


def gate(screen, title: str) -> NoReturn:
    """Navigate to this gate screen only, at / and at every screen's path (a shared link shows it, not "Page not found")."""
    pages = [st.Page(screen, title=title, url_path="", default=True)]
    pages += [st.Page(screen, title=title, url_path=s.url_path, visibility="hidden") for s in SCREENS]
    st.navigation(pages, position="hidden").run()
    st.stop()


try:
    policy = access_policy(secrets())
except SecretsError as exc:
    gate(functools.partial(closed, str(exc)), "Tạm khóa")
if TOKEN_PARAM in st.query_params:  # a report link (village or unit head): its form alone, no sign-in, nothing else
    gate(functools.partial(entry_screen, st.query_params.to_dict()), "Báo cáo tuần")
if policy.enabled and not st.user.is_logged_in:
    gate(sign_in, "Đăng nhập")
if not policy.admits(st.user.get("email") if policy.enabled else None):
    gate(refusal, "Chưa được cấp quyền")

home, *others = SCREENS
pages = [st.Page(home.script, title=home.title, icon=home.icon, url_path="", default=True)]
# The home screen answers at its own path too, so /tong-quan is not "Page not found" (the default page's path is /).
pages += [st.Page(home.script, title=home.title, icon=home.icon, url_path=home.url_path, visibility="hidden")]
pages += [st.Page(s.script, title=s.title, icon=s.icon, url_path=s.url_path) for s in others]
navigation = st.navigation(pages)
menu(navigation, [p for p in pages if p.visibility != "hidden"])  # on a phone, a labelled page menu instead of "»"
with st.sidebar:
    if st.button("Làm mới", key="refresh", icon=":material/refresh:", help="Đọc lại số liệu ngay"):
        refresh()
        st.rerun()
    if policy.enabled:
        st.caption(f"Đang đăng nhập: {md_escape(st.user.get('email') or '')}")
        st.button("Đăng xuất", key="logout", on_click=st.logout, icon=":material/logout:")
    st.caption("Chiến dịch cài đặt ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường) — UBND xã Sơn Giang, Hà Tĩnh.")
with admitted():
    navigation.run()
