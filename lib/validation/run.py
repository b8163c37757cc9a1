"""Raw tables -> clean tables + one issue record per problem, never an exception for bad data.

The rules come from `schema` (columns, kinds, aliases) and run in this order: read each tab cell by
cell (`cells`), the settings (`settings`), the rosters (`rosters`), then the weekly reports against
them (`reports`), and the optional `Phản ánh` tab (`field_reports`, which reads only its own columns). Every read row ends up accepted or rejected, and every rejected row has at least
one `error` issue naming its cell; the wording of every issue is in `messages`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lib import schema
from lib.validation.cells import read_tabs
from lib.validation.field_reports import read_field_reports
from lib.validation.model import Dataset
from lib.validation.reports import check_reports, report_frame
from lib.validation.rosters import check_roster, roster_frame
from lib.validation.rows import Issues
from lib.validation.settings import read_campaign

if TYPE_CHECKING:
    from lib.workbook import RawWorkbook


def validate(raw: RawWorkbook, today: dt.date) -> Dataset:
    """Check every cell of a raw workbook and return the clean tables with all issues found."""
    issues = Issues()
    reads = read_tabs(raw, issues, today)
    campaign = read_campaign(reads.get("config"), reads.get("phase"), issues)
    villages = check_roster(reads.get("village"), "households", issues)
    units = check_roster(reads.get("unit"), "staff", issues)
    village_reports = check_reports(reads.get("village_report"), villages, "village", campaign, today, issues)
    unit_reports = check_reports(reads.get("unit_report"), units, "unit", campaign, today, issues)
    field_reports = read_field_reports(raw, villages, campaign, today, issues)
    rows = {
        r.tab.name: {"read": len(r.rows), "accepted": sum(not x.rejected for x in r.rows), "rejected": sum(x.rejected for x in r.rows)}
        for r in reads.values()
    }
    titles = {r.tab.name: r.title for r in reads.values()}
    if field_reports is not None:
        rows[schema.FIELD_REPORTS.name] = field_reports.rows
        titles[schema.FIELD_REPORTS.name] = field_reports.title
    return Dataset(
        villages=roster_frame(villages, schema.VILLAGES),
        village_reports=report_frame(village_reports, "village"),
        units=roster_frame(units, schema.UNITS),
        unit_reports=report_frame(unit_reports, "unit"),
        campaign=campaign,
        issues=issues.frame(),
        rows=rows,
        source=raw.describe(),
        today=today,
        tab_titles=titles,
        field_reports=field_reports.frame if field_reports is not None else None,
    )
