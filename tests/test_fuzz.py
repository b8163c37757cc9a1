"""Fuzzing the reader's tables and the validator with generated workbooks (hypothesis).

Profiles: "ci" (the default, 150 examples a property) and "fuzz" (10.000):
    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS, TODAY, book
from lib import dashboard, schema
from lib.pipeline import check_result
from lib.report import build as build_report
from lib.sources import RawWorkbook
from lib.validate import validate

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TRICKY = [
    "1.234",
    "1.234.567",
    "45 hộ",
    "12,5",
    "12.5",
    "-3",
    "+7",
    "70%",
    "abc",
    "",
    " ",
    "\u00a0",
    "\u200b",
    "4/23/2026",
    "23/04/2026",
    "31/02/2026",
    "23-4-26",
    "46135",
    "=1+2",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "Xin chaøo",
    "Thoân 1",
    "Th«n Trung Hßa",
    "Tổng cộng",
    "\u202eRTL\u202c",
    "😀🎉",
    "x" * 3000,
    "1e9999",
    "NaN",
    "Thôn 1",
    "thôn 01",
    "Thôn Trung Hoà",
    unicodedata.normalize("NFD", "Thôn Yên Thọ"),
    "Thon Yen Tho",
    "UBND xã",
    "<script>alert(1)</script>",
    "[a](javascript:alert(1))",
    "**đậm**",
    "Thứ Năm",
    "T5",
    "0,7",
    "100",
    "Giai đoạn 1",
]
HEADERS = sorted({h for tab in schema.TABS for c in tab.columns for h in (c.header, *c.aliases)} | {"STT", "Ghi chú khác", "Cột thừa"})
TAB_NAMES = sorted(
    {n for tab in schema.TABS for n in (tab.name, *tab.aliases)} | {"Sheet1", "THON", "bao cao thon", "Don Vi", "  Báo cáo đơn vị "}
)


def _variant(text: str, how: int) -> str:
    if how == 1:
        return text.upper()
    if how == 2:
        return unicodedata.normalize("NFD", text)
    if how == 3:
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")
    if how == 4:
        return f"  {text} (hộ) "
    return text


cells = st.one_of(
    st.none(),
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
)
headers = st.lists(st.tuples(st.sampled_from(HEADERS), st.integers(0, 4)).map(lambda t: _variant(*t)), min_size=0, max_size=9)


@st.composite
def tables(draw) -> list[list[object]]:
    rows: list[list[object]] = [[draw(st.sampled_from(TRICKY))] for _ in range(draw(st.integers(0, 3)))]  # title rows
    if draw(st.booleans()):
        rows.append([])
    rows.append(draw(headers))
    width = draw(st.integers(1, 10))
    for _ in range(draw(st.integers(0, 25))):
        rows.append(draw(st.lists(cells, min_size=0, max_size=width)))
    if draw(st.integers(0, 20)) == 0:
        rows.append([draw(cells) for _ in range(2000)])  # a row thousands of columns wide
    return rows


@st.composite
def workbooks(draw) -> RawWorkbook:
    tabs = {}
    for _ in range(draw(st.integers(0, 7))):
        name = _variant(draw(st.sampled_from(TAB_NAMES)), draw(st.integers(0, 3)))
        tabs[name] = draw(tables())
    if draw(st.booleans()):  # start from a valid workbook sometimes, so deeper rules run
        base = book()
        for title, rows in tabs.items():
            base.tabs[title] = rows
        return base
    return RawWorkbook(tabs=tabs, source="fuzz.xlsx")


def accounting_holds(ds) -> None:
    issues = ds.issues
    for tab, counts in ds.rows.items():
        assert counts["read"] == counts["accepted"] + counts["rejected"]
        title = ds.tab_titles[tab]
        errors = issues[(issues["sheet"] == title) & (issues["severity"] == "error") & issues["row"].notna()]
        assert errors["row"].nunique() == counts["rejected"], (tab, counts)


@given(workbooks())
def test_any_workbook_validates_without_an_exception_and_rows_add_up(raw):
    ds = validate(raw, TODAY)
    accounting_holds(ds)
    board = dashboard.build(ds)
    result = check_result(board)
    assert len(result["villages"]) == len(ds.villages)
    if board.weeks:
        report = build_report(board, board.weeks[-1])
        assert len(report.table_rows) == len(ds.villages) + 1


@given(workbooks())
def test_the_same_workbook_always_gives_the_same_result(raw):
    first, second = validate(raw, TODAY), validate(raw, TODAY)
    assert first.issues.equals(second.issues)
    assert first.village_reports.equals(second.village_reports)
    assert first.rows == second.rows


invalid_rows = st.one_of(
    st.tuples(
        st.dates(dt.date(2026, 4, 1), dt.date(2026, 11, 28)),
        st.sampled_from(["Thôn Không Có", "xyz", "<b>x</b>", "Thoân 1"]),
        st.integers(0, 50),
    ),
    st.tuples(
        st.sampled_from(["4/23/2026", "hôm qua", "31/02/2026", "2099-01-01"]),
        st.sampled_from(["Thôn 1", "Thôn Trung Hòa"]),
        st.integers(0, 50),
    ),
    st.tuples(
        st.dates(dt.date(2026, 4, 1), dt.date(2026, 11, 28)),
        st.sampled_from(["Thôn 1", "Thôn Trung Hòa"]),
        st.sampled_from(["abc", "12,5", -4, None, "70%", 10**9]),
    ),
)


@given(st.lists(invalid_rows, min_size=1, max_size=30), st.randoms())
def test_invalid_rows_never_change_a_valid_rows_figures(extra, rnd):
    rows = [list(r) for r in REPORTS[1:]] + [list(r) for r in extra]
    rnd.shuffle(rows)
    base = validate(book(), TODAY).village_reports[["key", "week", "installed"]]
    mixed = validate(book(Bao_cao_thon=[REPORTS[0], *rows]), TODAY)
    kept = mixed.village_reports[["key", "week", "installed"]]
    merged = base.merge(kept, on=["key", "week"], how="left", suffixes=("", "_mixed"))
    assert merged["installed_mixed"].notna().all()
    assert (merged["installed"] == merged["installed_mixed"]).all()
    assert len(kept) == len(base)
    accounting_holds(mixed)


def test_the_fuzz_profile_runs_ten_thousand_examples():
    assert settings.get_profile("fuzz").max_examples == 10_000
