"""Fuzzing the reader's tables and the validator with generated workbooks (hypothesis).

Profiles: "ci" (the default, 150 examples a property) and "fuzz" (10.000):
    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORTS, TODAY, book
from lib import dashboard, schema
from lib.normalize import header_key
from lib.pipeline import check_result
from lib.report import build as build_report
from lib.sources import RawWorkbook
from lib.validation.field_reports import without_personal_data
from lib.validation.model import ISSUE_COLUMNS
from lib.validation.run import validate
from lib.xlsx_reader import Limits, Refused, fill_merged

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
ROOT = Path(__file__).resolve().parent.parent

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
    "1,000",
    "2,500 hộ",
    "31/12",
    "23/4",
    "0206-04-23",
    "23/04/1926",
    "0001-01-01",
    "9999-12-31",
    "Chủ Nhật",
    "Ngày báo cáo trong tuần",
    "CN",
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
    st.sampled_from([dt.date.min, dt.date.max, dt.datetime.min, dt.datetime.max]),  # the ends of the calendar
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
        tabs = base.tabs
    hidden = frozenset(t for t in tabs if draw(st.integers(0, 3)) == 0)  # now and then a hidden tab
    return RawWorkbook(tabs=tabs, source="fuzz.xlsx", hidden_tabs=hidden)


def accounting_holds(ds) -> None:
    """Every row with an error is rejected, except a roster row kept by its valid name with its bad figures left empty."""
    issues = ds.issues
    kept = {"Thôn": ds.villages, "Đơn vị": ds.units}
    for tab, counts in ds.rows.items():
        assert counts["read"] == counts["accepted"] + counts["rejected"]
        title = ds.tab_titles[tab]
        errors = issues[(issues["sheet"] == title) & (issues["severity"] == "error") & issues["row"].notna()]
        roster = kept.get(tab)
        incomplete = set()
        if roster is not None and len(roster):
            figures = roster[["households", "smartphone_households"] if tab == "Thôn" else ["staff"]]
            incomplete = set(roster.loc[figures.isna().any(axis=1), "row"].astype(int))
        assert incomplete <= set(errors["row"].astype(int)), (tab, incomplete)  # an empty figure always has its error
        assert errors["row"].nunique() == counts["rejected"] + len(incomplete), (tab, counts)


def read_tabs_are_the_right_ones(raw, ds) -> None:
    """A hidden tab is read only when no visible tab answers to the same name."""
    for tab in schema.TABS:
        title = ds.tab_titles.get(tab.name)
        if title in raw.hidden_tabs:
            rivals = [t for t in raw.tabs if t not in raw.hidden_tabs and header_key(t).replace(" ", "") in tab.title_keys()]
            assert rivals == [], (title, rivals)


def dates_are_in_the_window(ds) -> None:
    """Every counted report lies between a year before the first phase and today."""
    earliest = ds.campaign.phases[0].start - dt.timedelta(days=365)
    for reports in (ds.village_reports, ds.unit_reports):
        assert all(earliest <= d <= ds.today for d in reports["date"])


@given(workbooks())
def test_any_workbook_validates_without_an_exception_and_rows_add_up(raw):
    ds = validate(raw, TODAY)
    accounting_holds(ds)
    read_tabs_are_the_right_ones(raw, ds)
    dates_are_in_the_window(ds)
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


PERSONAL = ["Họ tên", "Họ và tên người gửi", "Số điện thoại", "SĐT", "Số CCCD", "Email", "Địa chỉ", "Địa chỉ cụ thể"]
STATUSES = ["Hoàn thành", "Đã xử lý", "Từ chối", "Trả lại", "Không thuộc thẩm quyền", "Đang xử lý", "Chờ tiếp nhận", "Quá hạn", "Tạm dừng"]
report_cells = st.one_of(
    cells,
    st.sampled_from([*STATUSES, "Hài lòng", "Không hài lòng", "4/5", "★★★", "Thôn 1", "Khu vực chợ, Thôn Trung Hòa", "PA001", "PA001"]),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)).map(lambda t: t.strftime("%d/%m/%Y %H:%M")),
)


@st.composite
def with_field_reports(draw) -> RawWorkbook:
    """A valid workbook plus a `Phản ánh` tab shaped like the platform's export: every column under some alias, personal
    columns among them, title rows above, rows of anything."""
    columns = [_variant(draw(st.sampled_from((c.header, *c.aliases))), draw(st.integers(0, 3))) for c in schema.FIELD_REPORTS.columns]
    columns = [
        h for h, keep in zip(columns, draw(st.lists(st.booleans(), min_size=9, max_size=9)), strict=True) if keep or h in columns[:2]
    ]
    header = draw(st.permutations([*columns, *draw(st.lists(st.sampled_from(PERSONAL), max_size=3, unique=True)), "STT"]))
    rows = [[draw(st.sampled_from(TRICKY))] for _ in range(draw(st.integers(0, 3)))]
    rows += [header, *draw(st.lists(st.lists(report_cells, min_size=0, max_size=len(header)), max_size=25))]
    title = draw(st.sampled_from([schema.FIELD_REPORTS.name, *schema.FIELD_REPORTS.aliases]))
    return book(**{title: rows})


@given(with_field_reports())
def test_field_reports_add_up_and_never_depend_on_personal_columns(raw):
    ds = validate(raw, TODAY)
    accounting_holds(ds)
    scrubbed_raw = without_personal_data(raw)
    scrubbed = validate(scrubbed_raw, TODAY)
    assert scrubbed.issues[ISSUE_COLUMNS].equals(ds.issues[ISSUE_COLUMNS]) and scrubbed.field_reports.equals(ds.field_reports)
    (title,) = [t for t in raw.tabs if t not in book().tabs]
    rows = scrubbed_raw.tabs[title]
    at = next(r for r, row in enumerate(rows) if "STT" in row)
    for c, header in enumerate(rows[at]):
        if header in PERSONAL:
            assert all(c >= len(row) or row[c] is None for row in rows[at + 1 :])
    result = check_result(dashboard.build(ds))
    json.dumps(result, allow_nan=False)
    found = result["field_reports"]
    assert found["received"] == len(ds.field_reports) == sum(u["received"] for u in found["units"])
    assert found["resolved_on_time"] <= found["resolved"] and found["resolved"] + found["open"] <= found["received"]
    assert found["overdue_open"] <= found["open"]
    for rate in [found["on_time_rate"], found["satisfied_rate"], *(u["on_time_rate"] for u in found["units"])]:
        assert rate is None or 0 <= rate <= 1


corners = st.tuples(st.integers(0, 1_048_575), st.integers(0, 16_383))


@given(st.integers(0, 40), st.integers(0, 12), st.lists(st.tuples(corners, corners), max_size=20))
def test_merged_ranges_fill_only_the_data_area_or_are_refused(height, width, ranges):
    rows = [[(r, c) for c in range(width)] for r in range(height)]
    merges = [((min(a[0], b[0]), min(a[1], b[1])), (max(a[0], b[0]), max(a[1], b[1]))) for a, b in ranges]
    try:
        fill_merged(rows, merges, "Thôn", Limits(cells=2_000))
    except Refused as exc:
        assert "vùng gộp ô chồng lên nhau" in str(exc)
        return
    assert len(rows) == height and all(len(row) == width for row in rows)
    assert {v for row in rows for v in row} <= {(r, c) for r in range(height) for c in range(width)}


def examples_per_property(environment: dict[str, str]) -> dict[str, int]:
    """How many examples each property of this file runs, as hypothesis will run it in a fresh process with this environment."""
    script = (
        "import json, test_fuzz; "
        "print(json.dumps({n: f._hypothesis_internal_use_settings.max_examples "
        "for n, f in vars(test_fuzz).items() if n.startswith('test_') and hasattr(f, 'hypothesis')}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"} | environment
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_property_runs_as_many_examples_as_the_readme_says_for_ci_and_for_a_full_fuzz_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = re.search(r"CI runs the `\w+` profile \(([\d.]+) examples a property\)", readme)
    fuzz = re.search(r"`HYPOTHESIS_PROFILE=(\w+) [^`]*tests/test_fuzz\.py` runs ([\d.]+) a property", readme)
    assert ci and fuzz, "README no longer says how many examples CI and a full fuzz run take"
    plain, full = examples_per_property({}), examples_per_property({"HYPOTHESIS_PROFILE": fuzz.group(1)})
    properties = [name for name, value in globals().items() if name.startswith("test_") and hasattr(value, "hypothesis")]
    assert sorted(plain) == sorted(full) == sorted(properties) != []
    assert set(plain.values()) == {int(ci.group(1).replace(".", ""))}  # `make test` sets no profile: what CI runs
    assert set(full.values()) == {int(fuzz.group(2).replace(".", ""))}
