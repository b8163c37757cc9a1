"""Everything the pages show, computed once per loaded workbook (pure; lib.loading caches it for the app)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib import metrics
from lib.history import History, all_issues
from lib.validation.model import Dataset
from lib.vi_sort import vi_sorted


@dataclass(frozen=True)
class Dashboard:
    """A validated workbook with its weekly metrics and headline figures."""

    ds: Dataset
    village_weeks: pd.DataFrame  # one row per village and report week
    unit_weeks: pd.DataFrame  # one row per unit and report week
    commune_weeks: pd.DataFrame  # one row per report week: the whole commune
    official_weeks: pd.DataFrame  # one row per report week: all officials together
    summary: metrics.Summary
    history: History | None = None

    @property
    def version(self) -> str:
        """Which load these figures are: the source, when it was read, for which day, and how many stored versions.

        Two dashboards with the same version hold the same figures, so caches of what the pages derive
        from them (charts, tables, the report) key on it.
        """
        source, history = self.ds.source, self.history
        stored = f"{history.versions}@{history.start}" if history is not None else "-"
        return f"{source.kind}:{source.label}|{source.fetched_at.isoformat()}|{self.ds.today}|{stored}"

    @property
    def issues(self) -> pd.DataFrame:
        """Cell issues of the workbook plus history changes noticed by the snapshot store."""
        return all_issues(self.ds, self.history)

    @property
    def weeks(self) -> list[dt.date]:
        """Report weeks with figures, oldest first."""
        return list(self.commune_weeks["week"]) if not self.commune_weeks.empty else []

    def villages_at(self, week: dt.date | None) -> pd.DataFrame:
        """All villages at a week, worst rate first."""
        return metrics.village_table(self.ds, self.village_weeks, week)

    def not_reported(self, week: dt.date | None) -> list[str]:
        """Names of villages with no report of their own for that week (carried or never reported)."""
        table = self.villages_at(week)
        return vi_sorted(table.loc[~table["reported"].astype(bool), "name"].astype(str))

    def commune_at(self, week: dt.date | None) -> pd.Series | None:
        """The commune's row for a week, or None."""
        weeks = self.commune_weeks
        rows = weeks[weeks["week"] == week] if week is not None else weeks.iloc[0:0]
        return rows.iloc[0] if len(rows) else None


def build(ds: Dataset, history: History | None = None) -> Dashboard:
    """Compute the weekly tables and the summary once."""
    village_weeks = metrics.village_weekly(ds)
    unit_weeks = metrics.unit_weekly(ds)
    return Dashboard(
        ds=ds,
        village_weeks=village_weeks,
        unit_weeks=unit_weeks,
        commune_weeks=metrics.commune_weekly(village_weeks, ds.campaign.household_target),
        official_weeks=metrics.officials_weekly(unit_weeks),
        summary=metrics.summary(ds, vw=village_weeks, uw=unit_weeks),
        history=history,
    )
