"""Everything the pages show, computed once per loaded workbook (pure; cached by the app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib import metrics
from lib.live import History, history_issues
from lib.validation.model import Dataset


@dataclass(frozen=True)
class Dashboard:
    """A validated workbook with its weekly metrics and headline figures."""

    ds: Dataset
    vw: pd.DataFrame  # village × week
    uw: pd.DataFrame  # unit × week
    cw: pd.DataFrame  # commune × week
    ow: pd.DataFrame  # all officials × week
    summary: metrics.Summary
    history: History | None = None
    memos: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: object, build: Callable[[], Any]) -> Any:
        """Something pages derive from the figures (a chart, a status grid), built once per loaded workbook.

        Building a plotly figure costs more than sending it, so reruns reuse it. Callers never mutate it.
        """
        if key not in self.memos:
            if len(self.memos) >= 64:  # village selections are many; keep the newest
                self.memos.pop(next(iter(self.memos)))
            self.memos[key] = build()
        return self.memos[key]

    @property
    def issues(self) -> pd.DataFrame:
        """Cell issues of the workbook plus history changes noticed by the snapshot store."""
        extra = history_issues(self.history, self.ds)
        return pd.concat([self.ds.issues, extra], ignore_index=True) if len(extra) else self.ds.issues

    @property
    def weeks(self) -> list[dt.date]:
        """Report weeks with figures, oldest first."""
        return list(self.cw["week"]) if not self.cw.empty else []

    def villages_at(self, week: dt.date | None) -> pd.DataFrame:
        """All villages at a week, worst rate first (built once per week; callers never mutate it)."""
        return self.memo(("villages_at", week), lambda: metrics.village_table(self.ds, self.vw, week))

    def not_reported(self, week: dt.date | None) -> list[str]:
        """Names of villages with no report of their own for that week (carried or never reported)."""
        table = self.villages_at(week)
        return sorted(table.loc[~table["reported"].astype(bool), "name"].astype(str))

    def commune_at(self, week: dt.date | None) -> pd.Series | None:
        """The commune's row for a week, or None."""
        rows = self.cw[self.cw["week"] == week] if week is not None else self.cw.iloc[0:0]
        return rows.iloc[0] if len(rows) else None

    def previous_week(self, week: dt.date | None) -> dt.date | None:
        """The report week before this one, if any."""
        earlier = [w for w in self.weeks if week is not None and w < week]
        return earlier[-1] if earlier else None


def build(ds: Dataset, history: History | None = None) -> Dashboard:
    """Compute the weekly tables and the summary once."""
    vw = metrics.village_weekly(ds)
    uw = metrics.unit_weekly(ds)
    return Dashboard(
        ds=ds,
        vw=vw,
        uw=uw,
        cw=metrics.commune_weekly(vw, ds.campaign.household_target),
        ow=metrics.officials_weekly(uw),
        summary=metrics.summary(ds, vw=vw, uw=uw),
        history=history,
    )
