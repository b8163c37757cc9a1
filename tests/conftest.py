"""Shared test helpers: tiny inline workbooks, built as plain rows; a PostgreSQL cluster and Chromium (from harness/)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.validation.model import Dataset
from lib.validation.run import validate
from lib.workbook import RawWorkbook

# skips: under CI=true a test skipped for a missing tool fails instead (tests/skips.py).
# pytester: runs a small pytest session inside a test (test_ci.py checks the rule above with it).
pytest_plugins = ["skips", "pytester"]

TODAY = dt.date(2026, 11, 29)
D1, D2, D3 = dt.date(2026, 4, 16), dt.date(2026, 4, 23), dt.date(2026, 4, 30)  # three Thursdays

VILLAGES = [
    ["Tên thôn", "Xã cũ", "Tổng số hộ", "Số hộ có điện thoại thông minh"],
    ["Thôn Trung Hòa", "Sơn Giang", 200, 100],
    ["Thôn 1", "Sơn Lâm", 150, 120],
    ["Thôn Yên Thọ", "Quang Diệm", 100, 80],
]
REPORTS = [
    ["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt"],
    [D1, "Thôn Trung Hòa", 30],
    [D1, "Thôn 1", 40],
    [D2, "Thôn Trung Hòa", 75],
    [D2, "Thôn 1", 90],
]
UNITS = [["Tên đơn vị", "Nhóm", "Tổng số cán bộ"], ["UBND xã", "Khối Đảng – chính quyền", 30], ["Trạm Y tế xã", "Y tế", 10]]
UNIT_REPORTS = [["Ngày báo cáo", "Tên đơn vị", "Số cán bộ đã cài đặt"], [D1, "UBND xã", 25], [D1, "Trạm Y tế xã", 10], [D2, "UBND xã", 30]]


def book(**tabs: list[list[object]] | None) -> RawWorkbook:
    """A small valid workbook; pass a tab by its title to replace it, or None to drop it."""
    base: dict[str, list[list[object]] | None] = {
        "Thôn": VILLAGES,
        "Báo cáo thôn": REPORTS,
        "Đơn vị": UNITS,
        "Báo cáo đơn vị": UNIT_REPORTS,
    }
    renames = {"Bao_cao_thon": "Báo cáo thôn", "Don_vi": "Đơn vị", "Bao_cao_don_vi": "Báo cáo đơn vị", "Thon": "Thôn"}
    for key, rows in tabs.items():
        base[renames.get(key, key)] = rows
    return RawWorkbook(tabs={k: [list(r) for r in v] for k, v in base.items() if v is not None}, source="test.xlsx")


def check(**tabs: list[list[object]] | None) -> Dataset:
    """Validate a small inline workbook as of TODAY."""
    return validate(book(**tabs), TODAY)


def codes(ds: Dataset) -> list[tuple[str, str, str]]:
    """(code, cell, severity) of every issue, in order."""
    return [(r.code, r.cell, r.severity) for r in ds.issues.itertuples()]


@pytest.fixture
def fresh_caches():
    """Streamlit's caches emptied before and after a test: they outlive an AppTest and would leak between tests."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def sample_path():
    from lib.config import SAMPLE_PATH

    return SAMPLE_PATH


@pytest.fixture(scope="session")
def postgres_server():
    """One throw-away PostgreSQL cluster on loopback for the session (skips, with the reason, where none is installed;
    fails instead under CI=true)."""
    from harness import postgres

    if postgres.binaries() is None:
        pytest.skip(postgres.MISSING)
    with postgres.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server, request):
    """A fresh, empty database on the session's PostgreSQL server: its URL, with the password in it."""
    import re

    import psycopg

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50] + f"_{id(request) % 100000}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, launched as the benchmarks launch it (skips with the reason where it is missing;
    fails instead under CI=true)."""
    from harness.browser import MISSING, chromium, launch

    if chromium() is None:
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = launch(p.chromium)
        yield launched
        launched.close()


def save_workbook(path, tabs: dict[str, list[list[object]]]):
    """Write rows to an .xlsx as typed: text always a text cell (a leading = stays text, never a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in tabs.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    workbook.save(path)
    return path
