"""The one pipeline both the app and the command line run: source → validate → metrics."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lib import metrics
from lib.sources import RawWorkbook, SourceError, refuse_special_file
from lib.validation.model import ISSUE_COLUMNS, Dataset
from lib.validation.workbook import validate


def read_source(source: str, credentials: Mapping[str, Any] | None = None) -> RawWorkbook:
    """Read a source named by the user: an .xlsx path, or a Google Sheets URL (service account or shared link)."""
    from lib.live import fetch, resolve

    config = resolve(source, credentials)
    if config.kind == "xlsx":
        try:
            mode = os.stat(source).st_mode
        except OSError:
            mode = None
        if mode is not None:
            refuse_special_file(mode, source)  # a FIFO, a directory or a device: refused before anything opens it
    if config.kind == "xlsx" and Path(source).suffix.lower() not in (".xlsx", ".xlsm") and not Path(source).is_file():
        raise SourceError(f"Không hiểu nguồn dữ liệu '{source}'. Hãy đưa đường dẫn tới tệp .xlsx hoặc đường dẫn Google Sheet.")
    return fetch(config)


def load(source: str, today: dt.date, credentials: Mapping[str, Any] | None = None) -> Dataset:
    """Read and validate a source in one call; the raw cells are let go once validated (figures only)."""
    ds = validate(read_source(source, credentials), today)
    ds.source.tabs = {}  # ~40 MB at province scale; the app keeps them (live.load) for the snapshot store
    return ds


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 6)


def check_result(ds: Dataset) -> dict[str, Any]:
    """The `check --json` contract: source, row accounting, issues, summary and villages."""
    vw = metrics.village_weekly(ds)
    s = metrics.summary(ds, vw=vw)
    table = metrics.village_table(ds, vw, s.as_of).sort_values("name", kind="stable")
    issues = ds.issues[ISSUE_COLUMNS].astype(object).where(ds.issues[ISSUE_COLUMNS].notna(), None)
    return {
        "source": ds.source.source,
        "rows": ds.rows,
        "issues": [{**rec, "row": None if rec["row"] is None else int(rec["row"])} for rec in issues.to_dict(orient="records")],
        "summary": {
            "as_of": s.as_of.isoformat() if s.as_of else None,
            "villages": s.villages,
            "villages_reported_latest": s.villages_reported_latest,
            "households": s.households,
            "smartphone_households": s.smartphone_households,
            "installed_households": s.installed_households,
            "household_rate": _num(s.household_rate),
            "villages_meeting_target": s.villages_meeting_target,
            "officials": s.officials,
            "officials_installed": s.officials_installed,
            "official_rate": _num(s.official_rate),
        },
        "villages": [
            {
                "name": r["name"],
                "households": int(r["households"]),
                "smartphone_households": int(r["smartphone_households"]),
                "installed_households": int(r["installed"]),
                "rate": _num(r["rate"]),
                "meets_target": bool(r["meets_target"]),
                "last_report": r["last_report"].isoformat() if isinstance(r["last_report"], dt.date) else None,
            }
            for r in table.to_dict(orient="records")
        ],
    }
