"""What every source hands to validation: raw cell tables, and a short description of where they came from.

Plain data only, shared by the readers (`sources`, `google_sheets`, the snapshot store) and the pure core
(`validate` and what follows), so the core never imports a reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None  # one cell's value as read
Rows = list[list[Cell]]


class SourceError(Exception):
    """The source cannot be read at all; `str(error)` is a Vietnamese message for the user."""


@dataclass(frozen=True)
class SourceInfo:
    """Where validated figures came from, without their cells: what pages and files say about the source."""

    label: str  # a path, a file name or a sheet URL: what the user would recognise
    kind: str  # xlsx | sample | upload | google | link
    fetched_at: dt.datetime
    sheet_url: str | None = None
    gids: Mapping[str, int] = field(default_factory=dict)  # tab title -> Google sheet id
    hidden_tabs: frozenset[str] = frozenset()

    def cell_link(self, tab: str, cell: str) -> str | None:
        """A link that opens the Google Sheet at this cell, when the source is a Google Sheet."""
        if not self.sheet_url or tab not in self.gids or not cell:
            return None
        return f"{self.sheet_url}/edit#gid={self.gids[tab]}&range={cell}"


@dataclass
class RawWorkbook:
    """Every tab of a workbook as rows of cell values, plus where and when it was read."""

    tabs: dict[str, Rows]
    source: str  # a path, a file name or a sheet URL: what the user would recognise
    kind: str = "xlsx"  # xlsx | sample | upload | google | link
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    sheet_url: str | None = None  # set for Google Sheets, so issues can link to a cell
    gids: dict[str, int] = field(default_factory=dict)  # tab title -> Google sheet id
    hidden_tabs: frozenset[str] = frozenset()  # titles of tabs hidden in the workbook: never preferred to a visible tab

    def describe(self) -> SourceInfo:
        """Where this workbook came from, without its cells (what a validated Dataset keeps)."""
        return SourceInfo(self.source, self.kind, self.fetched_at, self.sheet_url, dict(self.gids), self.hidden_tabs)

    def cell_link(self, tab: str, cell: str) -> str | None:
        """A link that opens the Google Sheet at this cell, when the source is a Google Sheet."""
        return self.describe().cell_link(tab, cell)
