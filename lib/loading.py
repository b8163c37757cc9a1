"""The one thin adapter between the pure core and Streamlit: settings from secrets, cached loading.

Pages call `current()`, which loads through the one pipeline (`lib.pipeline.load`); nothing else in lib
imports streamlit. What was loaded is cached for the configured TTL and shared by every viewer, so Google
sees one read per TTL however many people watch; "Làm mới" (`refresh()`) starts a new one at the next run,
at most once per source every 15 s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from lib import dashboard, live, pipeline
from lib.config import AppSettings, app_settings
from lib.pipeline import Loaded
from lib.sources import SourceError


@dataclass(frozen=True)
class Current:
    """What a page needs: the dashboard (or an error message), and where it came from."""

    board: dashboard.Dashboard | None
    loaded: Loaded | None
    error: str | None
    settings: AppSettings
    config: live.SourceConfig | None


class SecretsError(SourceError):
    """A secrets file exists but cannot be read: the app must stay closed rather than open to everyone."""


def secrets() -> Mapping[str, Any]:
    """st.secrets as plain dicts; {} when there is no secrets file (sample mode, no sign-in).

    A secrets file that exists but does not load (a TOML typo) raises SecretsError: read as "no
    secrets", it would silently turn sign-in off and open the figures to everyone.
    """
    try:
        return {k: (dict(v) if hasattr(v, "items") else v) for k, v in st.secrets.items()}
    except Exception as exc:  # Streamlit raises StreamlitSecretNotFoundError for a missing and for a broken file alike
        present = [path for path in st.config.get_option("secrets.files") if os.path.exists(path)]
        if not present:
            return {}
        line = re.search(r"at line (\d+)", str(exc.__cause__ or exc))
        raise SecretsError(
            "Không đọc được tệp cấu hình bí mật secrets.toml"
            + (f" (lỗi ở dòng {line.group(1)})" if line else "")
            + ". Để an toàn, bảng tạm khóa và không hiển thị số liệu cho đến khi tệp được sửa. Hãy báo người quản trị."
        ) from None


def settings() -> AppSettings:
    """The app settings now (environment first, then secrets)."""
    return app_settings(secrets=secrets())


@dataclass(frozen=True)
class Shown:
    """One load as the app keeps it: the loaded figures, their dashboard, and when (on `_clock`) they were read."""

    loaded: Loaded
    board: dashboard.Dashboard
    read_at: float


# cache_resource, not cache_data: what is cached is never mutated, and unpickling a province-size dashboard on
# every rerun would cost more than drawing the page. Each key is read at most once at a time, by one viewer.
@st.cache_resource(show_spinner="Đang đọc và kiểm tra số liệu…", max_entries=8)
def _configured(identity: str, _config: live.SourceConfig, today: dt.date) -> Shown:
    loaded = pipeline.load(_config, today)
    return Shown(loaded, dashboard.build(loaded.ds, loaded.history), _clock())


@st.cache_resource(show_spinner="Đang đọc tệp tải lên…", max_entries=4)
def _uploaded(digest: str, _config: live.SourceConfig, today: dt.date) -> Shown:
    loaded = pipeline.load(_config, today)
    return Shown(loaded, dashboard.build(loaded.ds, loaded.history), _clock())


UPLOAD_KEY = "uploaded_workbook"


def use_upload(name: str, data: bytes) -> None:
    """Show an uploaded .xlsx in this browser session instead of the configured source."""
    st.session_state[UPLOAD_KEY] = (name, data)


def forget_upload() -> None:
    """Go back to the configured source."""
    st.session_state.pop(UPLOAD_KEY, None)


def current() -> Current:
    """The dashboard for the configured source, fetched at most once per TTL for all viewers."""
    forced = st.session_state.pop(REFRESH_KEY, False)
    try:
        conf = settings()
    except SourceError as exc:
        return Current(None, None, str(exc), AppSettings(), None)
    if UPLOAD_KEY in st.session_state:
        name, data = st.session_state[UPLOAD_KEY]
        try:
            shown = _uploaded(hashlib.sha256(data).hexdigest(), live.uploaded(name, data), conf.today)
        except SourceError as exc:
            return Current(None, None, str(exc), conf, None)
        return Current(shown.board, shown.loaded, None, replace(conf, source=name), None)
    config = live.resolve(conf.source, conf.credentials, conf.store_url)
    try:
        shown = _shown(config, conf.today, conf.cache_ttl_seconds, forced)
    except SourceError as exc:
        return Current(None, None, str(exc), conf, config)
    return Current(shown.board, shown.loaded, None, conf, config)


REFRESH_KEY = "refresh_requested"
REFRESH_INTERVAL_SECONDS = 15.0
_EXPIRY_LOCK = threading.Lock()


def _clock() -> float:
    return time.monotonic()


def _shown(config: live.SourceConfig, today: dt.date, ttl_seconds: float, forced: bool) -> Shown:
    """The cached read while it is younger than the TTL (read from settings at call time), else a new one.

    A read lives TTL seconds from when it was made, so every viewer within the TTL shares one fetch;
    "Làm mới" (`forced`) ends it early, but only once it is REFRESH_INTERVAL_SECONDS old.
    """
    key = f"{config.identity}|{config.service_account_email}"
    shown, now = _configured(key, config, today), _clock()
    if now - shown.read_at >= ttl_seconds or (forced and may_force_read(shown.read_at, now)):
        with _EXPIRY_LOCK:  # two viewers finding the same read expired must not read twice
            if _configured(key, config, today) is shown:
                _configured.clear(key, config, today)
                if forced:
                    live.forget_tabs(config.identity)  # a tab added or renamed since start-up is seen now
        shown = _configured(key, config, today)
    return shown


def may_force_read(started: float, now: float, interval: float = REFRESH_INTERVAL_SECONDS) -> bool:
    """Whether "Làm mới" may read the source again: only once what is shown is `interval` seconds old.

    Every viewer shares the Sheets quota (60 reads a minute per user), so eleven clicks in a row
    must not be eleven reads; figures read less than 15 s ago are as fresh as a new read.
    """
    return now - started >= interval


def refresh() -> None:
    """Read the configured source again (and its tab list) at the next run, unless what is shown was read less than 15 s ago."""
    st.session_state[REFRESH_KEY] = True
