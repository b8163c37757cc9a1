"""Reading a tab: which tab to read, where its header is, and what each cell holds.

Each cell becomes a clean value or an issue (blank where a value is required, text typed in an old
encoding, a number or date a parser refused); the cross-row rules live in `rosters`, `reports` and
`settings`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lib import schema
from lib.fmt import fmt_int
from lib.normalize import (
    Parsed,
    ascii_key,
    clean_text,
    column_letter,
    header_key,
    looks_legacy_encoded,
    parse_count,
    parse_date,
)
from lib.validation.rows import At, Issues, Row, TabRead, blank

if TYPE_CHECKING:
    from lib.workbook import Cell, RawWorkbook, Rows

HEADER_SCAN_ROWS = 30
# Villages or units read from a roster: twice a province (1.500 villages). Every page crosses the
# roster with every week, so 200.000 roster rows would cost the server gigabytes.
ROSTER_ROWS = 3_000
_TOTAL_ROW_KEYS = frozenset({"tong", "tong cong", "cong", "tong so", "toan xa", "tong toan xa"})


def read_tabs(raw: RawWorkbook, issues: Issues, today: dt.date) -> dict[str, TabRead]:
    """Every tab of the template found in the workbook, read cell by cell, by entity."""
    titles = {title: header_key(title).replace(" ", "") for title in raw.tabs}
    reads: dict[str, TabRead] = {}
    for tab in schema.TABS:
        if not tab.read_by_cells:
            continue  # read by a module of its own (see schema.Tab.read_by_cells)
        title = _choose_tab(tab, [t for t, key in titles.items() if key in tab.title_keys()], titles, raw.hidden_tabs, issues)
        if title is None:
            if tab.required:
                issues.add("missing_tab", at=At(tab.name))
            continue
        read = _read_tab(tab, title, raw.tabs[title], issues, today)
        if read is not None:
            reads[tab.entity] = read
    return reads


def find_tab(raw: RawWorkbook, tab: schema.Tab, issues: Issues) -> str | None:
    """The workbook's title for `tab` as `read_tabs` would choose it (warning about the others), or None."""
    titles = {title: header_key(title).replace(" ", "") for title in raw.tabs}
    return _choose_tab(tab, [t for t, key in titles.items() if key in tab.title_keys()], titles, raw.hidden_tabs, issues)


def _choose_tab(tab: schema.Tab, matches: list[str], keys: dict[str, str], hidden: frozenset[str], issues: Issues) -> str | None:
    """The tab to read among those whose title matches: visible before hidden, the canonical name before an alias.

    A hidden copy named by an alias must never replace the tab people see and fill; whenever two
    tabs match, the one not read is named in a warning.
    """
    if not matches:
        return None
    canonical = header_key(tab.name).replace(" ", "")
    order = {title: i for i, title in enumerate(matches)}
    chosen = min(matches, key=lambda t: (t in hidden, keys[t] != canonical, order[t]))
    for title in matches:
        if title == chosen:
            continue
        key = "ignored_tab:hidden" if title in hidden else "ignored_tab"
        issues.add(key, at=At(title), count=len(matches), tab=tab.name, chosen=chosen)
    if chosen in hidden:
        issues.add("hidden_tab", at=At(chosen), tab=tab.name)
    return chosen


def _find_header(tab: schema.Tab, rows: Rows) -> tuple[int, dict[int, schema.Column]]:
    best_row, best = -1, dict[int, schema.Column]()
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[int, schema.Column] = {}
        for c, value in enumerate(row):
            if blank(value):
                continue
            key = header_key(value)
            column = next((col for col in tab.columns if key in col.header_keys()), None)
            if column is not None and column not in found.values():
                found[c] = column
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


def header_columns(tab: schema.Tab, rows: Rows) -> tuple[int, dict[str, int]]:
    """Where the reader finds a tab's header: its 0-based row (-1 if none) and field -> 0-based column."""
    header_row, mapping = _find_header(tab, rows)
    return header_row, {col.field: c for c, col in mapping.items()}


def _read_tab(tab: schema.Tab, title: str, rows: Rows, issues: Issues, today: dt.date) -> TabRead | None:
    header_row, mapping = _find_header(tab, rows)
    missing = [c for c in tab.columns if c.required and c not in mapping.values()]
    if missing:
        for col in missing:
            if header_row >= 0:
                issues.add("missing_column", at=At(title, header=col.header), header_row=header_row + 1)
            else:
                issues.add("missing_column:no_header_row", at=At(title, header=col.header))
        return None
    headers = {col.field: clean_text(rows[header_row][c]) for c, col in mapping.items()}
    read = TabRead(tab, title, headers, [])
    name_field = next((c.field for c in tab.columns if c.kind == schema.Kind.NAME), None)
    letters = {col.field: column_letter(c) for c, col in mapping.items()}
    columns = {col.field: c for c, col in mapping.items()}
    indexes = list(columns.values())
    name_index = columns.get(name_field) if name_field else None
    # Each distinct value of a column is judged once (a village's name repeats every week, a
    # week's date for every village): the loop below is then a dictionary lookup per cell.
    parsers: list[tuple[schema.Column, str, int, dict[tuple[type, Cell], tuple[object, str | None, str]]]] = [
        (col, col.field, columns[col.field], {}) for col in tab.columns if col.field in letters
    ]
    unmapped = [col.field for col in tab.columns if col.field not in letters]
    limit = ROSTER_ROWS if tab.entity in ("village", "unit") else None
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        if all(c >= width or blank(row[c]) for c in indexes):
            continue
        if limit is not None and len(read.rows) >= limit:
            issues.add("too_many_rows", at=At(title), limit=fmt_int(limit), label=tab.label, first_unread=r + 1)
            break
        record = Row(r + 1, row, columns, letters)
        if name_field and name_index is not None and name_index < width and ascii_key(row[name_index]) in _TOTAL_ROW_KEYS:
            issues.add("total_row_skipped", at=read.at(record, name_field), value=row[name_index])
            continue
        values = record.values
        for col, f, c, seen in parsers:
            v = row[c] if c < width else None
            key = (v.__class__, v)
            outcome = seen.get(key)
            if outcome is None:
                outcome = seen[key] = _outcome(col, v, today)
            values[f] = outcome[0]
            if outcome[1] is not None:
                _cell_issue(read, record, col, v, outcome, issues)
        for f in unmapped:
            values[f] = None
        read.rows.append(record)
    return read


def _outcome(col: schema.Column, value: Cell, today: dt.date) -> tuple[object, str | None, str]:
    """(clean value, issue code or None, reason) for one cell value of a column."""
    if blank(value):
        return None, ("missing_value" if col.required else None), ""
    kind = col.kind
    if kind is schema.Kind.TEXT or kind is schema.Kind.PERCENT:
        return (value if isinstance(value, (int, float)) and not isinstance(value, bool) else clean_text(value)), None, ""
    if kind is schema.Kind.NAME:
        text = clean_text(value)
        return text, ("legacy_encoding" if looks_legacy_encoded(text) else None), ""
    parsed: Parsed = parse_count(value) if kind is schema.Kind.COUNT else parse_date(value, today)
    return parsed.value, parsed.code, parsed.reason


def _cell_issue(read: TabRead, row: Row, col: schema.Column, value: Cell, outcome: tuple[object, str | None, str], issues: Issues) -> None:
    clean, code, reason = outcome
    at = read.at(row, col.field)
    if code == "missing_value":
        _blank_issue(read, col, at, value, issues)
    elif code == "legacy_encoding":
        issues.add("legacy_encoding", at=at, value=value, text=clean)
    else:
        # A parser's code (parse_count, parse_date). A bad optional figure is dropped with a warning;
        # the row's required figures still count.
        # A date reason that already says how to type it ("hãy nhập … ví dụ 23/04/2026") is not followed by the hint's example.
        key = (
            "bad_date:with_fix"
            if code == "bad_date" and col.required and "hãy nhập" in reason
            else (str(code) if col.required else f"{code}:optional")
        )
        issues.add(key, at=at, value=value, reason=reason, hint=col.hint)


def _blank_issue(read: TabRead, col: schema.Column, at: At, value: Cell, issues: Issues) -> None:
    """A blank required cell, worded by what it should hold: a name to pick, a number (blank is not 0), a date."""
    label = read.tab.label
    if col.kind is schema.Kind.NAME:
        if read.tab.entity in ("village", "unit"):
            issues.add("missing_value:roster_name", at=at, value=value, label=label)
        else:
            roster = schema.VILLAGES.name if read.tab.entity == "village_report" else schema.UNITS.name
            issues.add("missing_value:name", at=at, value=value, label=label, roster=roster)
    elif col.kind is schema.Kind.COUNT and col.hint:
        issues.add("missing_value", at=at, value=value, hint=col.hint)
    elif col.kind is schema.Kind.DATE and col.hint:
        issues.add("missing_value:date", at=at, value=value, hint=col.hint)
    else:
        issues.add("missing_value:no_hint", at=at, value=value)
