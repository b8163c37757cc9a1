"""Small pieces every page shows: the admission check, the loaded dashboard, the source and freshness line, the banner."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

import pandas as pd
import streamlit as st

from lib.config import TIMEZONE
from lib.dashboard import Dashboard
from lib.fmt import fmt_date, md_escape
from lib.loading import current
from lib.safe_text import neutralize

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


# True only while app.py runs the screen its gate chose for an admitted user: a context variable, so it
# belongs to this script run alone (never to another viewer's thread) and ends with the run.
_ADMITTED: ContextVar[bool] = ContextVar("admitted", default=False)


@contextlib.contextmanager
def admitted() -> Iterator[None]:
    """Run a screen as admitted by the sign-in gate; only app.py calls this, after the gate let the user in."""
    token = _ADMITTED.set(True)
    try:
        yield
    finally:
        _ADMITTED.reset(token)


def require_admission() -> None:
    """Stop the screen unless the gate admitted this run: a screen reached any other way shows no data."""
    if not _ADMITTED.get():
        st.error("Trang này chỉ mở được qua bảng theo dõi, sau khi đăng nhập và được cấp quyền xem.", icon=":material/lock:")
        st.stop()


def board_or_stop() -> Dashboard:
    """The loaded dashboard; on failure, a Vietnamese message and the page stops (no traceback)."""
    require_admission()
    now = current()
    if now.board is None or now.loaded is None:
        st.error(f"Chưa đọc được số liệu. {md_escape(now.error)}", icon="⚠️")
        st.page_link("views/source.py", label="Xem hướng dẫn kết nối nguồn dữ liệu", icon="🔌")
        st.stop()
    board, loaded = now.board, now.loaded
    raw = board.ds.source
    read_at = raw.fetched_at.astimezone(TIMEZONE)
    kind = SOURCE_KIND.get(raw.kind, raw.kind)
    st.caption(
        f"Dữ liệu từ {kind} lúc {read_at:%H:%M}, {read_at:%d/%m/%Y} · số liệu đến tuần {fmt_date(board.summary.as_of)}",
        help=f"Nguồn: {md_escape(raw.label)}",
    )
    if not loaded.fresh:
        st.warning(
            f"Không đọc được số liệu mới: {md_escape(loaded.problem)} Đang hiển thị bản lưu lúc {read_at:%H:%M %d/%m/%Y} ({_ago(loaded.age)}).",
            icon="⚠️",
        )
    if loaded.store_problem:
        st.warning(
            f"Không ghi được lịch sử số liệu: {md_escape(loaded.store_problem)} Số liệu trên trang vẫn đúng như vừa đọc; "
            "chỉ tạm thiếu phần phát hiện số liệu cũ bị sửa và giờ nộp báo cáo thực tế. Hãy báo người quản trị.",
            icon="⚠️",
        )
    if now.settings.is_sample:
        st.info("Đây là **dữ liệu mẫu** (giả lập) để xem thử bảng theo dõi; chưa phải số liệu thật của xã.", icon="ℹ️")
    return board


SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo"}


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """A table to show, its text made inert for spreadsheets: the table's own "Download as CSV" (and copy) would
    otherwise hand Excel a live `=HYPERLINK(…)` typed in the sheet. Same rule as the .xlsx export."""
    text = [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]
    return frame.assign(**{c: [neutralize(v) if isinstance(v, str) else v for v in frame[c]] for c in text})


def issue_table(board: Dashboard, issues, key: str) -> None:
    """Issues as a table: severity, where (with a link to the cell on Google Sheets), what and how to fix."""
    raw = board.ds.source
    view = issues.assign(
        severity=[SEVERITY_LABEL.get(x, x) for x in issues["severity"]],
        where=[f"{t}!{c}" if c else t for t, c in zip(issues["sheet"], issues["cell"], strict=True)],
        link=[raw.cell_link(t, c) for t, c in zip(issues["sheet"], issues["cell"], strict=True)],
    )
    columns = ["severity", "where", "subject", "message", "value"] + (["link"] if view["link"].notna().any() else [])
    st.dataframe(
        inert(view[columns]),
        hide_index=True,
        placeholder="–",  # a cell with nothing in it (no link for a missing tab): Streamlit writes "None" otherwise
        column_config={
            "severity": st.column_config.TextColumn("Mức"),
            "where": st.column_config.TextColumn("Ô"),
            "subject": st.column_config.TextColumn("Thôn / đơn vị"),
            "message": st.column_config.TextColumn("Vấn đề và cách sửa", width="large"),
            "value": st.column_config.TextColumn("Đã nhập"),
            "link": st.column_config.LinkColumn("Mở ô", display_text="Mở trên Sheet"),
        },
        key=key,
    )


def percent_column(title: str):
    """A rate column written as every chart and the report write it ('57,9 %', see `lib.tables.percent_text`)."""
    return st.column_config.TextColumn(title, alignment="right")
