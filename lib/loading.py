"""The one thin adapter between the pure core and Streamlit: which source, cached loading.

Pages call `current()`; nothing else in lib imports streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from lib import dashboard
from lib.config import SAMPLE_PATH, app_settings
from lib.pipeline import read_source
from lib.sources import SourceError
from lib.validate import validate


@dataclass(frozen=True)
class Loaded:
    """What a page needs: the dashboard, or a Vietnamese error message."""

    board: dashboard.Dashboard | None
    error: str | None
    is_sample: bool


@st.cache_resource(show_spinner="Đang đọc và kiểm tra số liệu…", max_entries=4)
def _load(source: str, today: dt.date, _ttl_bucket: int) -> dashboard.Dashboard:
    # cache_resource, not cache_data: the dashboard is never mutated, and unpickling a
    # province-size workbook on every rerun would cost more than the page itself.
    return dashboard.build(validate(read_source(source), today))


def current() -> Loaded:
    """The dashboard for the configured source, cached for the configured TTL."""
    settings = app_settings()
    bucket = int(dt.datetime.now().timestamp() // max(settings.cache_ttl_seconds, 1))
    try:
        board = _load(settings.source, settings.today, bucket)
    except SourceError as exc:
        return Loaded(None, str(exc), False)
    return Loaded(board, None, settings.source == str(SAMPLE_PATH))
