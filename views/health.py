"""The data-health line of the overview and the `?loc=` list it links to on *Chất lượng dữ liệu* (layout only)."""

from __future__ import annotations

import streamlit as st

from lib import data_health
from lib.dashboard import Dashboard
from lib.fmt import md_escape, shorten
from views import cached
from views.common import inert

QUALITY = "views/quality.py"
PARAM = "loc"


def health_line(board: Dashboard) -> None:
    """One line of what is off in the figures, each a link to the quality screen filtered to it; nothing when all is well."""
    found = cached.health(board)
    if not found:
        return
    line = st.container(horizontal=True, gap="small", key="health", vertical_alignment="center")
    line.markdown(":material/warning: **Số liệu cần xem lại:**")
    for item in found:
        line.page_link(QUALITY, label=item.text, query_params={PARAM: item.code}, icon=":material/arrow_forward:", width="content")


def _clear() -> None:
    del st.query_params[PARAM]


def health_list(board: Dashboard) -> None:
    """At the top of the quality screen: the villages or rows `?loc=` names, with why, and a way back to everything."""
    code = st.query_params.get(PARAM)
    if code is None:
        return
    item = cached.health_item(board, code)
    if item is None:
        names = ", ".join(data_health.CODES)
        st.warning(f"Không có bộ lọc “{md_escape(shorten(code))}”. Các bộ lọc có: {names}.", icon=":material/filter_alt_off:")
        st.button("Bỏ lọc", key="health_clear", on_click=_clear, icon=":material/close:")
        return
    st.subheader(item.heading)
    if item.code == data_health.REJECTED:
        columns = {"sheet": "Tab", "row": st.column_config.NumberColumn("Dòng", format="%d"), "subject": "Thôn / đơn vị"}
        st.caption(f"{item.text}; mỗi dòng bị loại có lỗi dưới đây (xem cách sửa ở bảng các vấn đề).")
    else:
        columns = {"name": st.column_config.TextColumn("Thôn", pinned=True), "figure": "Số liệu"}
        st.caption(f"{item.count} thôn." if item.count else "Không có thôn nào.")
    if len(item.rows):
        st.dataframe(
            inert(item.rows),
            hide_index=True,
            column_config={**columns, "why": st.column_config.TextColumn("Vì sao", width="large")},
            key="health_list",
        )
    else:
        st.success("Không có gì cần xem lại ở mục này.")
    st.button("Bỏ lọc, xem tất cả", key="health_clear", on_click=_clear, icon=":material/close:")
    st.divider()
