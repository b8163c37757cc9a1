"""Which source to read, and reading it safely: fetch → validate → record a snapshot, or fall back.

A fetch that fails (quota, network, permission, deleted sheet, renamed tab) never leaves the app
without figures when an earlier fetch succeeded: the last good snapshot is shown with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lib import schema
from lib.config import TIMEZONE
from lib.sources import FetchError, RawWorkbook, SourceError, read_xlsx, sheet_key
from lib.validation.model import Dataset
from lib.validation.workbook import validate

DEFAULT_STORE = "sqlite:///data/snapshots.sqlite"


@dataclass(frozen=True)
class SourceConfig:
    """Where the figures come from: an .xlsx path, a Google Sheet with a service account, or a shared link."""

    kind: str  # xlsx | google | link
    location: str  # a file path, or the spreadsheet key
    credentials: Mapping[str, Any] | None = field(default=None, hash=False, compare=False, repr=False)
    store_url: str | None = field(default=None, repr=False)  # may hold a database password
    timeout: float = 20.0

    @property
    def identity(self) -> str:
        """A stable name for this source in the snapshot store (never contains credentials)."""
        return f"{self.kind}:{self.location}"

    @property
    def service_account_email(self) -> str:
        """The email to share the sheet with, when a service account is configured."""
        return str((self.credentials or {}).get("client_email", ""))


def resolve(source: str, credentials: Mapping[str, Any] | None = None, store_url: str | None = None) -> SourceConfig:
    """A SourceConfig from what a user typed: a path, or a Google Sheets URL or key."""
    key = sheet_key(source) if Path(source).suffix.lower() != ".xlsx" else None
    if key:
        kind = "google" if credentials else "link"
        return SourceConfig(kind, key, credentials, store_url or DEFAULT_STORE)
    return SourceConfig("xlsx", source, None, store_url)


_READERS: dict[tuple[str, str], Any] = {}


def _reader(config: SourceConfig) -> Any:
    from lib.google_sheets import SHEETS_API, RetryPolicy, ServiceAccountReader

    # One reader per service account and process: its metadata cache saves a call per refresh.
    creds = config.credentials or {}
    ident = (str(creds.get("client_email", "")), str(creds.get("private_key_id", "")))
    if ident not in _READERS:
        _READERS[ident] = ServiceAccountReader(
            creds, timeout=(5, config.timeout), policy=RetryPolicy(), api_root=os.environ.get("SONGIANG_SHEETS_API") or SHEETS_API
        )
    return _READERS[ident]


def forget_readers() -> None:
    """Drop cached readers (and their metadata), e.g. after the credentials changed."""
    _READERS.clear()


def forget_tabs(identity: str) -> None:
    """Forget a Google source's tab list (`SourceConfig.identity`), so the next read sees tabs added or renamed since."""
    kind, _, key = identity.partition(":")
    if kind == "google":
        for reader in list(_READERS.values()):
            reader.forget(key)


def fetch(config: SourceConfig) -> RawWorkbook:
    """Read the source once (no fallback)."""
    if config.kind == "google":
        return _reader(config).read(config.location)
    if config.kind == "link":
        from lib.google_sheets import read_link

        return read_link(config.location, timeout=(5, config.timeout))
    return read_xlsx(Path(config.location), source=config.location)


@dataclass
class History:
    """What the snapshot store knows: first-seen times, rewritten or removed figures."""

    first_seen: pd.DataFrame
    changes: pd.DataFrame
    versions: int
    start: dt.datetime | None


@dataclass
class Loaded:
    """The validated figures to show, whether they are fresh, and why not."""

    ds: Dataset
    fresh: bool
    problem: SourceError | None = None
    history: History | None = None
    store_problem: str | None = None  # the snapshot store could not be used: no history this time

    @property
    def age(self) -> dt.timedelta:
        """How old the shown data is."""
        return dt.datetime.now(dt.UTC) - self.ds.source.fetched_at.astimezone(dt.UTC)


def _missing_tabs(ds: Dataset) -> list[str]:
    return list(ds.issues.loc[ds.issues["code"] == "missing_tab", "sheet"]) if len(ds.issues) else []


def load(config: SourceConfig, today: dt.date) -> Loaded:
    """Fetch, validate and record; on failure, the last good snapshot with the reason.

    The snapshot store is never a reason to show nothing: whatever part of it still works is used (a
    read-only store still gives the last good version and the history; a damaged version is passed
    over for the one before it), and `store_problem` says what did not.
    """
    from lib.snapshots import SnapshotStore, StoreError

    store, problems = None, []
    if config.store_url:
        try:
            store = SnapshotStore(config.store_url)
        except (StoreError, ValueError) as exc:
            problems.append(str(exc))

    def latest() -> Any:
        if store is None:
            return None
        try:
            last = store.latest(config.identity)
        except StoreError as exc:
            problems.append(str(exc))
            return None
        if last is not None and last.skipped:
            problems.append(
                f"{last.skipped} phiên bản lưu gần nhất bị hỏng, không đọc được; "
                f"bảng dùng phiên bản đọc được gần nhất (lúc {last.last_checked_at.astimezone(TIMEZONE):%H:%M %d/%m/%Y})."
            )
        return last

    def history() -> History | None:
        try:
            return _history(store, config) if store is not None else None
        except StoreError as exc:
            problems.append(str(exc))
            return None

    try:
        raw = fetch(config)
        ds = validate(raw, today)
        missing = _missing_tabs(ds)
        if missing and (last := latest()) is not None:
            before = validate(last.raw, today)
            if not _missing_tabs(before):
                names = ", ".join(f"'{m}'" for m in missing)
                raise FetchError(
                    "renamed", f"Không thấy tab {names} trong Sheet: có thể tab vừa bị đổi tên hoặc xoá. Hãy đặt lại đúng tên tab."
                )
    except SourceError as problem:
        last = latest()
        if last is None:
            raise
        shown = validate(last.raw, today)
        return Loaded(shown, fresh=False, problem=problem, history=history(), store_problem=_joined(problems))
    if store is not None:
        try:
            store.record(raw, ds, config.identity)
        except StoreError as exc:
            problems.append(str(exc))
    return Loaded(ds, fresh=True, history=history(), store_problem=_joined(problems))


def _joined(problems: list[str]) -> str | None:
    unique = list(dict.fromkeys(problems))
    return " ".join(unique) if unique else None


def _history(store: Any, config: SourceConfig) -> History:
    first_seen, changes, versions = store.history(config.identity)
    return History(first_seen, changes, versions, first_seen.attrs.get("history_start"))


# --- timeliness and history issues ---------------------------------------------------------


def deadline(week: dt.date, at: dt.time = dt.time(23, 59)) -> dt.datetime:
    """The moment a week's report is due: the report day at the deadline time, Hà Tĩnh time."""
    return dt.datetime.combine(week, at, tzinfo=TIMEZONE)


TIMELINESS_LABEL = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "carried": "Thiếu (dùng số tuần trước)",
    "missing": "Thiếu",
    "pending": "Chưa đến hạn",
}


def timeliness(vw: pd.DataFrame, reports: pd.DataFrame, history: History | None, now: dt.datetime, entity: str = "village") -> pd.DataFrame:
    """key, week, status (on_time / late / carried / missing / pending) and how it was judged."""
    if vw.empty:
        return pd.DataFrame(columns=["key", "name", "week", "status", "first_seen", "basis"])
    # Only the rows of the villages asked about: one village of a province is 33 rows of 82.000.
    keys = vw["key"].unique()
    seen: dict[tuple[str, dt.date], dt.datetime] = {}
    start = None
    if history is not None and not history.first_seen.empty:
        first_seen = history.first_seen
        rows = first_seen[(first_seen["entity"] == entity) & first_seen["key"].isin(keys)]
        seen = {(k, w): t for k, w, t in zip(rows["key"], rows["week"], rows["first_seen"], strict=True)}
        start = history.start
    reports = reports[reports["key"].isin(keys)]
    typed = {(k, w): d for k, w, d in zip(reports["key"], reports["week"], reports["date"], strict=True)}
    statuses, firsts, bases = [], [], []
    for key, week, reported, ever in zip(vw["key"], vw["week"], vw["reported"], vw["ever_reported"], strict=True):
        due = deadline(week)
        first = seen.get((key, week))
        if reported and first is not None and start is not None and start <= due:
            statuses.append("on_time" if first <= due else "late")
            bases.append("lần đầu thấy trên Sheet")
        elif reported:
            statuses.append("on_time" if typed.get((key, week), week) <= week else "late")
            bases.append("theo ngày ghi trên Sheet")
        elif now <= due:
            statuses.append("pending")
            bases.append("")
        else:
            statuses.append("carried" if ever else "missing")
            bases.append("")
        firsts.append(first)
    return pd.DataFrame(
        {"key": vw["key"], "name": vw["name"], "week": vw["week"], "status": statuses, "first_seen": firsts, "basis": bases}
    )


def history_issues(history: History | None, ds: Dataset) -> pd.DataFrame:
    """A `history_changed` warning for each past figure rewritten or removed after its week's deadline."""
    columns = ["sheet", "row", "column", "cell", "severity", "code", "message", "value", "subject"]
    if history is None or history.changes.empty:
        return pd.DataFrame(columns=columns)
    records = []
    tabs = {
        "village": ds.tab_titles.get(schema.VILLAGE_REPORTS.name, schema.VILLAGE_REPORTS.name),
        "unit": ds.tab_titles.get(schema.UNIT_REPORTS.name, schema.UNIT_REPORTS.name),
    }
    for change in history.changes.itertuples():
        if change.noticed_at <= deadline(change.week):
            continue  # corrected before the deadline: normal editing, not history
        when = change.noticed_at.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")
        label = "thôn" if change.entity == "village" else "đơn vị"
        if change.kind == "removed":
            text = f"Số liệu tuần {change.week:%d/%m/%Y} của {label} '{change.name}' ({change.old}) đã bị xoá hoặc không còn hợp lệ (phát hiện lúc {when})."
        else:
            text = f"Số liệu tuần {change.week:%d/%m/%Y} của {label} '{change.name}' bị sửa từ {change.old} thành {change.new} sau hạn báo cáo (phát hiện lúc {when})."
        records.append(
            (
                tabs[change.entity],
                None,
                "",
                "",
                "warning",
                "history_changed",
                text + " Nếu không cố ý, hãy khôi phục số cũ.",
                str(change.old),
                change.name,
            )
        )
    return pd.DataFrame(records, columns=columns)
