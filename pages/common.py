"""Small pieces every page shows: the loaded dashboard, the source and freshness line, the banner."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.config import TIMEZONE
from lib.dashboard import Dashboard
from lib.fmt import fmt_date
from lib.loading import current

SOURCE_KIND = {"xlsx": "tệp Excel", "upload": "tệp tải lên", "google": "Google Sheet", "link": "Google Sheet (liên kết công khai)"}


def _ago(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "vừa xong"
    if minutes < 60:
        return f"{minutes} phút trước"
    if minutes < 48 * 60:
        return f"{minutes // 60} giờ trước"
    return f"{minutes // 1440} ngày trước"


def board_or_stop() -> Dashboard:
    """The loaded dashboard; on failure, a Vietnamese message and the page stops (no traceback)."""
    now = current()
    if now.board is None or now.loaded is None:
        st.error(f"Chưa đọc được số liệu. {now.error}", icon="⚠️")
        st.page_link("pages/source.py", label="Xem hướng dẫn kết nối nguồn dữ liệu", icon="🔌")
        st.stop()
    board, loaded = now.board, now.loaded
    raw = board.ds.source
    read_at = raw.fetched_at.astimezone(TIMEZONE)
    kind = SOURCE_KIND.get(raw.kind, raw.kind)
    st.caption(
        f"Dữ liệu từ {kind} lúc {read_at:%H:%M}, {read_at:%d/%m/%Y} · số liệu đến tuần {fmt_date(board.summary.as_of)}",
        help=f"Nguồn: {raw.source}",
    )
    if not loaded.fresh:
        st.warning(
            f"Không đọc được số liệu mới: {loaded.problem} Đang hiển thị bản lưu lúc {read_at:%H:%M %d/%m/%Y} ({_ago(loaded.age)}).",
            icon="⚠️",
        )
    if now.settings.is_sample:
        st.info("Đây là **dữ liệu mẫu** (giả lập) để xem thử bảng theo dõi; chưa phải số liệu thật của xã.", icon="ℹ️")
    return board
