"""The one thin adapter between the pure core and Streamlit: settings from secrets, cached loading.

Pages call `current()`; nothing else in lib imports streamlit. The fetched workbook is cached
for the configured TTL and shared by every viewer, so Google sees one read per TTL however many
people watch; "Làm mới" (`refresh()`) starts a new one at once, at most once per source every 15 s.
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

from lib import dashboard, live
from lib.config import AppSettings, app_settings
from lib.sources import SourceError, read_xlsx
from lib.validation.workbook import validate


@dataclass(frozen=True)
class Current:
    """What a page needs: the dashboard (or an error message), and where it came from."""

    board: dashboard.Dashboard | None
    loaded: live.Loaded | None
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


@st.cache_resource(show_spinner="Đang đọc và kiểm tra số liệu…", max_entries=8)
def _load(identity: str, _config: live.SourceConfig, today: dt.date, generation: int) -> tuple[live.Loaded, dashboard.Dashboard]:
    # cache_resource, not cache_data: the result is never mutated, and unpickling a province-size
    # workbook on every rerun would cost more than drawing the page. The generation is an argument
    # so the TTL can be read from settings at call time (see _generation).
    loaded = live.load(_config, today)
    return loaded, dashboard.build(loaded.ds, loaded.history)


@st.cache_resource(show_spinner="Đang đọc tệp tải lên…", max_entries=4)
def _load_upload(digest: str, _data: bytes, name: str, today: dt.date) -> tuple[live.Loaded, dashboard.Dashboard]:
    ds = validate(read_xlsx(_data, source=name, kind="upload"), today)
    return live.Loaded(ds, fresh=True), dashboard.build(ds)


UPLOAD_KEY = "uploaded_workbook"


def use_upload(name: str, data: bytes) -> None:
    """Show an uploaded .xlsx in this browser session instead of the configured source."""
    st.session_state[UPLOAD_KEY] = (name, data)


def forget_upload() -> None:
    """Go back to the configured source."""
    st.session_state.pop(UPLOAD_KEY, None)


def current() -> Current:
    """The dashboard for the configured source, fetched at most once per TTL for all viewers."""
    try:
        conf = settings()
    except SourceError as exc:
        return Current(None, None, str(exc), AppSettings(), None)
    if UPLOAD_KEY in st.session_state:
        name, data = st.session_state[UPLOAD_KEY]
        try:
            loaded, board = _load_upload(hashlib.sha256(data).hexdigest(), data, name, conf.today)
        except SourceError as exc:
            return Current(None, None, str(exc), conf, None)
        return Current(board, loaded, None, replace(conf, source=name), None)
    config = live.resolve(conf.source, conf.credentials, conf.store_url)
    identity = f"{config.identity}|{config.service_account_email}"
    try:
        loaded, board = _load(identity, config, conf.today, _generation(identity, conf.cache_ttl_seconds))
    except SourceError as exc:
        return Current(None, None, str(exc), conf, config)
    return Current(board, loaded, None, conf, config)


# identity -> (generation, when that generation started); a generation lives TTL seconds from its
# first use, so every viewer within the TTL shares one fetch (fixed clock buckets would refetch
# whenever a boundary fell between two viewers, however recent the last fetch).
_GENERATIONS: dict[str, tuple[int, float]] = {}
_GENERATIONS_LOCK = threading.Lock()
REFRESH_INTERVAL_SECONDS = 15.0


def _clock() -> float:
    return time.monotonic()


def _generation(identity: str, ttl_seconds: float) -> int:
    now = _clock()
    with _GENERATIONS_LOCK:
        generation, started = _GENERATIONS.get(identity, (0, now))
        if now - started >= ttl_seconds:
            generation, started = generation + 1, now
        _GENERATIONS[identity] = (generation, started)
        return generation


def may_force_read(started: float, now: float, interval: float = REFRESH_INTERVAL_SECONDS) -> bool:
    """Whether "Làm mới" may read the source again: only once what is shown is `interval` seconds old.

    Every viewer shares the Sheets quota (60 reads a minute per user), so eleven clicks in a row
    must not be eleven reads; figures read less than 15 s ago are as fresh as a new read.
    """
    return now - started >= interval


def refresh() -> bool:
    """Read every source again at the next run (and its tab list), unless it was read less than 15 s ago; True if one will be."""
    now = _clock()
    forced = []
    with _GENERATIONS_LOCK:
        for identity, (generation, started) in list(_GENERATIONS.items()):
            if may_force_read(started, now):
                _GENERATIONS[identity] = (generation + 1, now)
                forced.append(identity)
    for identity in forced:
        live.forget_tabs(identity.split("|", 1)[0])  # a tab added or renamed since start-up is seen now
    return bool(forced)
