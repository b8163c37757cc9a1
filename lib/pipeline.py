"""The one pipeline the app, an upload and every command run: fetch → validate → record → history, or fall back.

`load` is the only way figures get loaded, so the same source and snapshot store give the same figures,
history and issues on every page and from every command. A fetch that fails (quota, network, permission,
deleted sheet, renamed tab) never leaves the app without figures when an earlier fetch succeeded: the last
good snapshot is shown with the reason.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib import field_report_figures, live, metrics
from lib.config import TIMEZONE
from lib.dashboard import Dashboard
from lib.history import History
from lib.live import SourceConfig
from lib.sources import FetchError, SourceError, refuse_special_file
from lib.validation.field_reports import without_personal_data
from lib.validation.model import ISSUE_COLUMNS, Dataset
from lib.validation.run import validate
from lib.vi_sort import by_name
from lib.workbook import RawWorkbook

if TYPE_CHECKING:
    from lib.snapshots import Snapshot, SnapshotStore


@dataclass(frozen=True)
class Loaded:
    """The validated figures to show, whether they are fresh and why not, and what the snapshot store knows."""

    ds: Dataset
    fresh: bool
    problem: SourceError | None = None
    history: History | None = None
    store_problem: str | None = None  # the snapshot store could not be used: no history this time
    recorded: tuple[int, bool] | None = None  # (snapshot id, whether it was a new version) once this fetch is stored
    raw: RawWorkbook | None = field(default=None, repr=False)  # the cells `ds` was validated from: the report form rebuilds rows from them

    @property
    def age(self) -> dt.timedelta:
        """How old the shown data is."""
        return dt.datetime.now(dt.UTC) - self.ds.source.fetched_at.astimezone(dt.UTC)


def refuse_unknown(config: SourceConfig) -> None:
    """Refuse, before anything is opened, a local source that is a FIFO, a folder or a device, or neither an .xlsx path nor a file."""
    source = config.location
    if config.kind == "xlsx":
        try:
            mode = os.stat(source).st_mode
        except OSError:
            mode = None
        if mode is not None:
            refuse_special_file(mode, source)  # a FIFO, a directory or a device: refused before anything opens it
    if config.kind == "xlsx" and Path(source).suffix.lower() not in (".xlsx", ".xlsm") and not Path(source).is_file():
        raise SourceError(f"Không hiểu nguồn dữ liệu '{source}'. Hãy đưa đường dẫn tới tệp .xlsx hoặc đường dẫn Google Sheet.")


def load(config: SourceConfig, today: dt.date, fall_back: bool = True) -> Loaded:
    """Fetch, validate, record a snapshot and read the history; on failure, the last good snapshot with the reason.

    With `fall_back=False` (the command line) a failed fetch raises instead. The snapshot store is never a
    reason to show nothing: whatever part of it still works is used (a read-only store still gives the last
    good version and the history; a damaged version is passed over for the one before it), and
    `store_problem` says what did not.
    """
    refuse_unknown(config)
    store = _Store(config.store_url, config.identity)
    try:
        raw = without_personal_data(live.fetch(config))  # the sender's name, phone… are never validated, shown or stored
        ds = validate(raw, today)
        _refuse_lost_tabs(ds, store, today)
    except SourceError as problem:
        last = store.latest() if fall_back else None
        if last is None:
            raise
        kept = without_personal_data(last.raw)  # a version stored before the tab was read whole
        shown = validate(kept, today)
        return Loaded(shown, fresh=False, problem=problem, history=store.history(), store_problem=store.problem, raw=kept)
    recorded = store.record(raw, ds)
    return Loaded(ds, fresh=True, history=store.history(), store_problem=store.problem, recorded=recorded, raw=raw)


def _missing_tabs(ds: Dataset) -> list[str]:
    return list(ds.issues.loc[ds.issues["code"] == "missing_tab", "sheet"]) if len(ds.issues) else []


def _refuse_lost_tabs(ds: Dataset, store: _Store, today: dt.date) -> None:
    """A tab the last good version had and this fetch lacks was renamed or deleted: a failed fetch, not empty figures."""
    missing = _missing_tabs(ds)
    if missing and (last := store.latest()) is not None and not _missing_tabs(validate(last.raw, today)):
        names = ", ".join(f"'{m}'" for m in missing)
        raise FetchError("renamed", f"Không thấy tab {names} trong Sheet: có thể tab vừa bị đổi tên hoặc xoá. Hãy đặt lại đúng tên tab.")


class _Store:
    """The snapshot store as the pipeline uses it: opened on first use, each failure noted instead of raised."""

    def __init__(self, url: str | None, identity: str) -> None:
        self.url, self.identity = url, identity
        self.problems: list[str] = []
        self._store: SnapshotStore | None = None
        self._opened = False

    def _open(self) -> SnapshotStore | None:
        if not self._opened and self.url:
            from lib.snapshots import SnapshotStore, StoreError

            self._opened = True
            try:
                self._store = SnapshotStore(self.url)
            except (StoreError, ValueError) as exc:
                self.problems.append(str(exc))
        return self._store

    def latest(self) -> Snapshot | None:
        """The last good version, or None (no store, nothing stored, or the store unreadable)."""
        from lib.snapshots import StoreError

        if (store := self._open()) is None:
            return None
        try:
            last = store.latest(self.identity)
        except StoreError as exc:
            self.problems.append(str(exc))
            return None
        if last is not None and last.skipped:
            self.problems.append(
                f"{last.skipped} phiên bản lưu gần nhất bị hỏng, không đọc được; "
                f"bảng dùng phiên bản đọc được gần nhất (lúc {last.last_checked_at.astimezone(TIMEZONE):%H:%M %d/%m/%Y})."
            )
        return last

    def record(self, raw: RawWorkbook, ds: Dataset) -> tuple[int, bool] | None:
        """Store this fetch if its content changed: (snapshot id, was new), or None when it could not be stored."""
        from lib.snapshots import StoreError

        if (store := self._open()) is None:
            return None
        try:
            return store.record(raw, ds, self.identity)
        except StoreError as exc:
            self.problems.append(str(exc))
            return None

    def history(self) -> History | None:
        """What the store knows about this source's past versions, or None."""
        from lib.snapshots import StoreError

        if (store := self._open()) is None:
            return None
        try:
            first_seen, changes, versions = store.history(self.identity)
        except StoreError as exc:
            self.problems.append(str(exc))
            return None
        return History(first_seen, changes, versions, first_seen.attrs.get("history_start"))

    @property
    def problem(self) -> str | None:
        """Every distinct failure, as one message."""
        unique = list(dict.fromkeys(self.problems))
        return " ".join(unique) if unique else None


def _num(value: float | None) -> float | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else round(float(value), 6)


def _count(value: object) -> int | None:
    """A count, or None where the roster's figure had an error (<NA>)."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _flag(value: object) -> bool | None:
    """Whether the target is met, or None where it does not apply (<NA>)."""
    return None if value is None or pd.isna(value) else bool(value)  # type: ignore[call-overload]


def check_result(board: Dashboard) -> dict[str, Any]:
    """The `check --json` contract: source, row accounting, issues (history changes included), summary and villages.

    A village whose smartphone households are unknown stays in `villages` with nulls and is counted in
    `summary.villages_without_denominator`; the household figures of `summary` cover only the others.
    """
    ds, s = board.ds, board.summary
    table = metrics.village_table(ds, board.village_weeks, s.as_of).sort_values("name", key=by_name, kind="stable")
    listed = board.issues[ISSUE_COLUMNS]
    issues = listed.astype(object).where(listed.notna(), None)
    return {
        "source": ds.source.label,
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
            "villages_without_denominator": s.villages_without_denominator,
            "officials": s.officials,
            "officials_installed": s.officials_installed,
            "official_rate": _num(s.official_rate),
        },
        "villages": [
            {
                "name": r["name"],
                "households": _count(r["households"]),
                "smartphone_households": _count(r["smartphone_households"]),
                "installed_households": int(r["installed"]),
                "rate": _num(r["rate"]),
                "meets_target": _flag(r["meets_target"]),
                "last_report": r["last_report"].isoformat() if isinstance(r["last_report"], dt.date) else None,
            }
            for r in table.to_dict(orient="records")
        ],
        **field_report_figures.check_block(ds),  # "field_reports", only when the workbook has the tab
    }
