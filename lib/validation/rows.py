"""What every rule works on: a tab as read, its rows, and the issues found so far.

A rule reports a problem as `issues.add(key, at=where, value=as_typed, **named_values)`: the key
picks the sentence in `messages.MESSAGES`, the named values fill it, and `Issues` fills in the
cell address, marks the row rejected when the message is an error, and keeps the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from lib import schema
from lib.normalize import clean_text
from lib.validation.messages import MESSAGES, code_of, place
from lib.validation.model import ISSUE_COLUMNS, Issue

if TYPE_CHECKING:
    from lib.workbook import Cell


@dataclass(slots=True)
class Row:
    """One row of a tab as read: its cells as typed, its clean values, and whether a rule rejected it."""

    number: int  # 1-based row in the sheet
    cells_in_sheet: list[Cell]  # the sheet's row as read (no copy)
    columns: dict[str, int]  # field -> column index, shared by every row of a tab
    letters: dict[str, str]  # field -> column letter, shared by every row of a tab
    values: dict[str, object] = field(default_factory=dict)
    rejected: bool = False
    duplicate: bool = False  # replaced by a later row for the same week: kept out of the figures, not an error
    faults: list[str] | None = None  # the fields an error was found in ("" for the row as a whole)

    @property
    def raw(self) -> dict[str, Cell]:
        """field -> the value as typed (built on demand: messages need it, most rows never do)."""
        width = len(self.cells_in_sheet)
        return {f: (self.cells_in_sheet[c] if c < width else None) for f, c in self.columns.items()}

    def typed(self, field_name: str) -> Cell:
        """One value as typed."""
        c = self.columns.get(field_name)
        return self.cells_in_sheet[c] if c is not None and c < len(self.cells_in_sheet) else None

    @property
    def cells(self) -> dict[str, str]:
        """field -> A1 address; built only when an issue needs it (most rows never do)."""
        return {f: f"{letter}{self.number}" for f, letter in self.letters.items()}


@dataclass
class TabRead:
    """One tab as read: which template tab it is, its title in the workbook, its headers and rows."""

    tab: schema.Tab
    title: str
    headers: dict[str, str]  # field -> header as typed
    rows: list[Row]

    def at(self, row: Row, field_name: str) -> At:
        """Where a problem with this row's `field_name` cell is."""
        return At(self.title, row, field_name, self.headers.get(field_name, field_name))


class At(NamedTuple):
    """Where an issue is: a tab, and when it is about one cell, the row and its field (column)."""

    sheet: str
    row: Row | None = None
    field: str | None = None
    header: str = ""  # the column's header as typed (or the template's, for a missing column)


class Issues:
    """Collects issues and marks rejected rows, so no rule can forget the other half."""

    def __init__(self) -> None:
        self.items: list[Issue] = []
        self.rows: list[Row | None] = []

    def add(self, key: str, /, *, at: At, value: object = None, **params: object) -> None:
        """Record one issue worded by MESSAGES[key]: `params` fill its placeholders, besides {sheet}, {header}, {cell}, {row} and {where}."""
        message = MESSAGES[key]
        row = at.row
        letter = row.letters.get(at.field) if row is not None and at.field else None
        number = row.number if row is not None else None
        cell = f"{letter}{number}" if letter else ""  # row.cells[at.field], without building every address
        if row is not None and message.severity == "error":
            row.rejected = True
            if row.faults is None:
                row.faults = []
            row.faults.append(at.field or "")
        # message.render(**params, sheet=…), without a second call and dict: a workbook can hold 20.000 issues.
        params.update(sheet=at.sheet, header=at.header, cell=cell, row=number, where=place(at.sheet, number, at.header, cell))
        text = message.sentence.format_map(params)
        self.items.append(Issue(at.sheet, number, at.header, cell, message.severity, code_of(key), text, show(value)))
        self.rows.append(row)

    def subjects(self) -> list[str]:
        """The village or unit each issue is about (as on the roster when resolved, else as typed)."""
        names = []
        for row in self.rows:
            values = row.values if row is not None else {}
            name = values.get("display") or values.get("name") or values.get("village") or values.get("unit") or ""
            names.append(str(name) if row is not None and "item" not in row.letters else "")
        return names

    def weeks(self) -> list[dt.date | None]:
        """The report week of each issue's row, when its date was read: the weekly report lists only its week's issues."""
        weeks = (row.values.get("week") if row is not None else None for row in self.rows)
        return [week if isinstance(week, dt.date) else None for week in weeks]

    def frame(self) -> pd.DataFrame:
        """The issues as the contract's table (ISSUE_COLUMNS, then "subject" and "week")."""
        # Tuples, not dataclasses.asdict (which deep-copies every field): 20.000 issues cost 0,6 s that way.
        frame = pd.DataFrame(
            [(i.sheet, i.row, i.column, i.cell, i.severity, i.code, i.message, i.value) for i in self.items], columns=ISSUE_COLUMNS
        )
        frame["row"] = frame["row"].astype("Int64")
        frame["subject"] = self.subjects()
        frame["week"] = self.weeks()
        return frame


def show(value: object) -> str:
    """A cell's value as an issue record shows it: dates dd/mm/yyyy, 12.0 as 12, at most 200 characters."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


def blank(value: Cell) -> bool:
    """True for an empty cell or one holding only spaces and invisible characters."""
    if value is None:
        return True
    return type(value) is str and _blank_text(value)


@lru_cache(maxsize=65536, typed=True)
def _blank_text(text: str) -> bool:
    return not clean_text(text)
