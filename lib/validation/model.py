"""What validation hands to the rest of the app: issue records and the validated dataset.

Kept apart from the rules so that metrics, the dashboard and the snapshot store import these
types without importing how a workbook is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from lib.config import Campaign

if TYPE_CHECKING:
    from lib.workbook import SourceInfo

ISSUE_COLUMNS = ["sheet", "row", "column", "cell", "severity", "code", "message", "value"]  # the contract; frames add "subject", "week"


@dataclass(frozen=True)
class Issue:
    """One problem found in one cell (or one tab/column when no cell applies)."""

    sheet: str
    row: int | None
    column: str
    cell: str
    severity: str  # error | warning
    code: str
    message: str
    value: str


@dataclass
class Dataset:
    """The validated workbook: clean tables, the campaign settings, issues and row accounting."""

    villages: pd.DataFrame
    village_reports: pd.DataFrame
    units: pd.DataFrame
    unit_reports: pd.DataFrame
    campaign: Campaign
    issues: pd.DataFrame
    rows: dict[str, dict[str, int]]
    source: SourceInfo  # where the figures came from; the cells themselves go only to the snapshot store
    today: dt.date
    tab_titles: dict[str, str] = field(default_factory=dict)  # canonical tab name -> title in workbook
    field_reports: pd.DataFrame | None = None  # the `Phản ánh` tab's accepted reports (lib.field_report_rows), None without the tab

    @property
    def error_count(self) -> int:
        """How many issues of severity error."""
        return int((self.issues["severity"] == "error").sum()) if len(self.issues) else 0
