"""Small pieces every page shows: the loaded dashboard, the source and freshness line."""

from __future__ import annotations

import streamlit as st

from lib.config import TIMEZONE
from lib.dashboard import Dashboard
from lib.fmt import fmt_date
from lib.loading import current

SOURCE_KIND = {"xlsx": "tệp Excel", "sample": "tệp Excel", "upload": "tệp tải lên", "google": "Google Sheet", "link": "Google Sheet (liên kết công khai)"}


def board_or_stop() -> Dashboard:
    """The loaded dashboard; on failure, a Vietnamese message and the page stops (no traceback)."""
    loaded = current()
    if loaded.board is None:
        st.error(f"Chưa đọc được số liệu. {loaded.error}", icon="⚠️")
        st.stop()
    board = loaded.board
    raw = board.ds.source
    read_at = raw.fetched_at.astimezone(TIMEZONE)
    kind = SOURCE_KIND.get(raw.kind, raw.kind)
    as_of = board.summary.as_of
    st.caption(
        f"Dữ liệu từ {kind} lúc {read_at:%H:%M}, {read_at:%d/%m/%Y} · số liệu đến tuần {fmt_date(as_of)}",
        help=f"Nguồn: {raw.source}",
    )
    if loaded.is_sample:
        st.info("Đây là **dữ liệu mẫu** (giả lập) để xem thử bảng theo dõi; chưa phải số liệu thật của xã.", icon="ℹ️")
    return board
