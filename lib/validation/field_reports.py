"""The `Phản ánh` tab: find it, find its header under any title rows, keep the sender's personal data out, read its rows.

One reader path: `lib.field_report_rows.read_reports` checks the rows and its issues join the other tabs' as
they are. This module finds the tab as every tab is found (visible before hidden, the canonical name before an
alias), finds the header, and hands the reader only the tab's own columns, so the sender's name, phone, ID
number, e-mail and address are never read. `without_personal_data` blanks those cells in the workbook as
fetched, before it is validated or stored, so the snapshot store never holds them either. Villages are
matched to the `Thôn` roster with the reader's own matcher (`rosters.Roster`), or found inside a free-text
location ("Đường liên thôn, Thôn Trung Hòa, xã …").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from lib import schema
from lib.config import Campaign
from lib.field_report_rows import FRAME_COLUMNS, clipped, read_reports
from lib.field_reports import header_map, personal_columns, village_index, week_ending
from lib.normalize import clean_text, column_letter, header_key, parse_date
from lib.validation.cells import HEADER_SCAN_ROWS, find_tab
from lib.validation.model import ISSUE_COLUMNS, Issue
from lib.validation.rosters import Roster
from lib.validation.rows import At, Issues, Row, TabRead, blank

if TYPE_CHECKING:
    from lib.workbook import RawWorkbook, Rows

TAB = schema.FIELD_REPORTS


@dataclasses.dataclass(frozen=True)
class FieldReportsRead:
    """The tab as read: its title, the accepted reports (FRAME_COLUMNS) and its row accounting."""

    title: str
    frame: pd.DataFrame
    rows: dict[str, int]


def header_row(rows: Rows) -> tuple[int, dict[str, int]]:
    """The 0-based header row (-1 if none) and field → column, among the first rows: the row naming most of the tab's columns."""
    best_row, best = -1, dict[str, int]()
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = header_map(row)
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


def header_rows(rows: Rows, at: int, columns: dict[str, int]) -> int:
    """How many rows the header spans from `at`: a platform's two-row header (a merged "Thông tin người phản ánh" over
    Họ tên | Số ĐT | …) continues in the rows below whose id cell repeats the header's (merged cells are filled down as
    read) or is blank beside a personal sub-header."""
    c = columns.get("id")
    if c is None or at < 0:
        return 1
    span = 1
    for row in rows[at + 1 : at + 3]:
        cell = row[c] if c < len(row) else None
        repeats = not blank(cell) and header_key(cell) == header_key(rows[at][c])
        if not (repeats or (blank(cell) and personal_columns(row))):
            break
        span += 1
    return span


def without_personal_data(raw: RawWorkbook) -> RawWorkbook:
    """The workbook with any `Phản ánh` tab cut down to what the reader uses, before anything validates, shows or stores it.

    Below a header of ours only the columns the reader maps are kept: the sender's name, phone, ID, e-mail and
    address, and free text such as *Nội dung* that may name people, are blanked whatever their header says.
    Without a header of ours, the cells under a personal header are blanked.
    """
    changed: dict[str, Rows] = {}
    for title, rows in raw.tabs.items():
        if header_key(title).replace(" ", "") not in TAB.title_keys():
            continue
        at, columns = header_row(rows)
        if at >= 0:
            end, kept = at + header_rows(rows, at, columns), set(columns.values())
            below = [[v if c in kept else None for c, v in enumerate(row)] for row in rows[end:]]
            changed[title] = [*rows[:end], *below]
            continue
        at = next((r for r, row in enumerate(rows[:HEADER_SCAN_ROWS]) if personal_columns(row)), -1)
        personal = {c for c in personal_columns(rows[at])} if at >= 0 else set()
        if personal:
            below = [[None if c in personal else v for c, v in enumerate(row)] for row in rows[at + 1 :]]
            changed[title] = [*rows[: at + 1], *below]
    return dataclasses.replace(raw, tabs={**raw.tabs, **changed}) if changed else raw


def read_field_reports(
    raw: RawWorkbook, villages: TabRead | None, campaign: Campaign, today: dt.date, issues: Issues
) -> FieldReportsRead | None:
    """The `Phản ánh` tab's accepted reports and row accounting, its issues added to `issues`; None when the workbook has no such tab."""
    title = find_tab(raw, TAB, issues)
    if title is None:
        return None
    rows = raw.tabs[title]
    at, columns = header_row(rows)
    missing = [c for c in TAB.columns if c.required and c.field not in columns]
    if missing:
        for col in missing:
            key = "missing_column" if at >= 0 else "missing_column:no_header_row"
            issues.add(key, at=At(title, header=col.header), header_row=at + 1)
        return FieldReportsRead(title, pd.DataFrame(columns=FRAME_COLUMNS), {"read": 0, "accepted": 0, "rejected": 0})
    headers = {f: clean_text(rows[at][c]) for f, c in columns.items()}
    letters = {f: column_letter(c) for f, c in columns.items()}
    records: list[dict[str, object]] = []
    weeks: dict[int, dt.date | None] = {}
    for r in range(at + header_rows(rows, at, columns), len(rows)):
        row = rows[r]
        cells = {f: (row[c] if c < len(row) else None) for f, c in columns.items()}
        if all(blank(v) for v in cells.values()):
            continue
        records.append({**cells, "row": r + 1})
        weeks[r + 1] = _week(cells.get("sent"), today, campaign.report_weekday)
    _match_villages(records, villages, At(title), headers, letters, weeks, issues)
    frame, found = read_reports(records, today, sheet=title, headers=headers, letters=letters)
    rejected = set()
    for item in found:
        number = int(item["row"])  # type: ignore[call-overload]
        issues.items.append(Issue(*(item[k] for k in ISSUE_COLUMNS)))  # type: ignore[arg-type]
        issues.rows.append(Row(number, [], {}, {}, {"week": weeks.get(number)}))
        if item["severity"] == "error":
            rejected.add(number)
    accounting = {"read": len(records), "accepted": len(records) - len(rejected), "rejected": len(rejected)}
    return FieldReportsRead(title, frame, accounting)


def _week(typed: object, today: dt.date, weekday: int) -> dt.date | None:
    """The report week a row's sending date falls in, so the Thursday report lists only its own week's issues."""
    day = parse_date(typed, today).value
    return week_ending(day, weekday) if isinstance(day, dt.date) and day <= today else None


def _match_villages(
    records: list[dict[str, object]],
    villages: TabRead | None,
    tab: At,
    headers: dict[str, str],
    letters: dict[str, str],
    weeks: dict[int, dt.date | None],
    issues: Issues,
) -> None:
    """Each record's village as on the roster: by name (the reader's matcher), else named inside a location; unknown: a warning."""
    if "village" not in letters:
        return
    roster = Roster(villages)
    index = village_index(tuple(str(row.values["name"]) for row in roster.by_key.values() if not row.rejected))
    seen: dict[str, tuple[str | None, str | None]] = {}  # typed -> (roster name, approximate: as typed)
    for record in records:
        typed = clean_text(record.get("village"))
        if not typed:
            record["village"] = None
            continue
        if typed not in seen:
            found, approximate, _ = roster.find(typed)
            if found is not None and not found.rejected:
                seen[typed] = (str(found.values["name"]), typed if approximate else None)
            else:
                seen[typed] = (index.find(typed), None)
        name, approximately = seen[typed]
        record["village"] = name
        number = int(record["row"])  # type: ignore[call-overload]
        at = At(tab.sheet, Row(number, [], {}, letters, {"week": weeks.get(number)}), "village", headers["village"])
        if name is None:
            roster_title = villages.title if villages is not None else schema.VILLAGES.name
            issues.add("unknown_village:field_report", at=at, value=typed, name=clipped(typed), roster=roster_title)
        elif approximately is not None:
            issues.add("approximate_name", at=at, value=typed, typed=typed, name=name)
