"""The snapshot history: every distinct workbook version fetched, so nothing the sheet said is lost.

The store's location is a URL (`store_url.py`), so moving from one machine to several needs no code change:
- `sqlite:///path` (or a plain path): an embedded SQLite file, for one app process and the cron job;
- `postgresql://user:password@host:port/db`: a shared PostgreSQL, for several app replicas.
Both keep the same two tables (`store_db.py` connects to either):
- `snapshots`: one row per distinct version of a source (content hash, fetch time, the tables);
- `facts`: each accepted weekly figure as an interval of snapshots in which it held, which gives
  the first time a report was seen (real timeliness) and every past figure later rewritten or
  deleted (history changes), without validating old versions again (`snapshot_codec.py`).
Writes are single transactions, serialised per source, so a process killed mid-write leaves the last
good state and two replicas recording the same fetch store it once. Any failure raises StoreError.
A read-only store still opens for reading, and a version whose payload no longer decodes is passed
over for the one before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.snapshot_codec import Fact, changes, content_hash, encoded_tabs, facts, pack, unpack
from lib.store_db import Database, Db, StoreError
from lib.validation.model import Dataset
from lib.workbook import RawWorkbook

__all__ = ["Snapshot", "SnapshotStore", "StoreError"]  # StoreError too: callers catch it from here

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS snapshots (
        id {id},
        source TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        last_checked_at TEXT NOT NULL,
        payload {blob} NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS snapshots_by_source ON snapshots (source, id)",
    """CREATE TABLE IF NOT EXISTS facts (
        {facts_id}source TEXT NOT NULL,
        entity TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        week TEXT NOT NULL,
        figures TEXT NOT NULL,
        first_snapshot {ref} NOT NULL,
        last_snapshot {ref} NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS facts_open ON facts (source, last_snapshot)",
]
# The same tables on both (their column types from the backend); times stay ISO-8601 text so both stores answer
# every query identically.


@dataclass(frozen=True)
class Snapshot:
    """One stored version of a source."""

    id: int
    fetched_at: dt.datetime
    last_checked_at: dt.datetime
    raw: RawWorkbook
    skipped: int = 0  # newer versions passed over because their payload no longer decodes


class SnapshotStore(Database):
    """Records distinct versions of each source and answers history questions about them."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.read_only = False
        try:
            with self._session("mở") as db:
                self._backend.create(db, [q.format(**self._backend.types) for q in _SCHEMA], lock="songiang-schema")
        except StoreError as exc:
            if not exc.read_only:
                raise
            self.read_only = True  # still worth opening: the last good version can be read from it

    def record(self, raw: RawWorkbook, ds: Dataset, source: str) -> tuple[int, bool]:
        """Store this fetch if its content changed since the last one; returns (snapshot id, was new)."""
        encoded = encoded_tabs(raw)  # once, for the hash and (if new) the stored payload
        digest = content_hash(raw, encoded)
        now = raw.fetched_at.astimezone(dt.UTC).isoformat()
        with self._session("ghi vào") as db:
            self._backend.begin_write(db.raw, source)
            try:
                row = db.execute("SELECT id, content_hash FROM snapshots WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
                if row and row[1] == digest:
                    db.execute("UPDATE snapshots SET last_checked_at = ? WHERE id = ?", (now, row[0]))
                    db.execute("COMMIT")
                    return row[0], False
                new_id = int(
                    db.execute(
                        "INSERT INTO snapshots (source, content_hash, fetched_at, last_checked_at, payload) VALUES (?, ?, ?, ?, ?) RETURNING id",
                        (source, digest, now, now, pack(raw, encoded)),
                    ).fetchone()[0]
                )
                self._record_facts(db, source, ds, previous=row[0] if row else None, new_id=new_id)
                db.execute("COMMIT")
                return new_id, True
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _record_facts(self, db: Db, source: str, ds: Dataset, previous: int | None, new_id: int) -> None:
        current = {(entity, key, week): (name, figures) for entity, key, name, week, figures in facts(ds)}
        open_rows = {}
        if previous is not None:
            for rowid, entity, key, week, figures in db.execute(
                f"SELECT {self._backend.rowid}, entity, key, week, figures FROM facts WHERE source = ? AND last_snapshot = ?",
                (source, previous),
            ):
                open_rows[(entity, key, week)] = (rowid, figures)
        extend, insert = [], []
        for ident, (name, figures) in current.items():
            found = open_rows.get(ident)
            if found is not None and found[1] == figures:
                extend.append((new_id, found[0]))
            else:
                insert.append((source, *ident[:2], name, ident[2], figures, new_id, new_id))
        db.executemany(f"UPDATE facts SET last_snapshot = ? WHERE {self._backend.rowid} = ?", extend)
        db.executemany(
            "INSERT INTO facts (source, entity, key, name, week, figures, first_snapshot, last_snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            insert,
        )

    def latest(self, source: str) -> Snapshot | None:
        """The newest version of a source that still decodes, to show when a fetch fails; damaged ones are counted and passed over."""
        skipped = 0
        with self._session("đọc") as db:
            ids = [row[0] for row in db.execute("SELECT id FROM snapshots WHERE source = ? ORDER BY id DESC", (source,)).fetchall()]
            for snapshot_id in ids:  # one payload at a time: each is a whole workbook
                row = db.execute("SELECT fetched_at, last_checked_at, payload FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
                try:
                    fetched, checked = dt.datetime.fromisoformat(row[0]), dt.datetime.fromisoformat(row[1])
                    return Snapshot(int(snapshot_id), fetched, checked, unpack(bytes(row[2]), checked), skipped)
                except (ValueError, TypeError):
                    skipped += 1
        if skipped:
            raise StoreError(f"Không đọc được kho lưu trữ lịch sử ({self.where}): {skipped} phiên bản đã lưu đều bị hỏng.")
        return None

    def count(self, source: str) -> int:
        """How many distinct versions of a source are stored."""
        with self._session("đọc") as db:
            return _count(db, source)

    def first_seen(self, source: str) -> pd.DataFrame:
        """entity, key, week, first_seen (UTC): when each weekly report first appeared in a fetch."""
        with self._session("đọc") as db:
            return _first_seen(db, source)

    def changes(self, source: str) -> pd.DataFrame:
        """Every figure rewritten or removed between stored versions: entity, name, week, old, new, noticed_at."""
        with self._session("đọc") as db:
            return _changes(db, source)

    def history(self, source: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """first_seen, changes and count over one connection (one round of connecting to PostgreSQL, not three)."""
        with self._session("đọc") as db:
            return _first_seen(db, source), _changes(db, source), _count(db, source)


def _count(db: Db, source: str) -> int:
    return int(db.execute("SELECT COUNT(*) FROM snapshots WHERE source = ?", (source,)).fetchone()[0])


def _first_seen(db: Db, source: str) -> pd.DataFrame:
    rows = db.execute(
        "SELECT f.entity, f.key, f.week, MIN(s.fetched_at) FROM facts f JOIN snapshots s ON s.id = f.first_snapshot "
        "WHERE f.source = ? GROUP BY f.entity, f.key, f.week",
        (source,),
    ).fetchall()
    start = db.execute("SELECT MIN(fetched_at) FROM snapshots WHERE source = ?", (source,)).fetchone()[0]
    frame = pd.DataFrame(rows, columns=["entity", "key", "week", "first_seen"])
    frame["week"] = [dt.date.fromisoformat(w) for w in frame["week"]]
    frame["first_seen"] = [dt.datetime.fromisoformat(t) for t in frame["first_seen"]]
    frame.attrs["history_start"] = dt.datetime.fromisoformat(start) if start else None
    return frame


def _changes(db: Db, source: str) -> pd.DataFrame:
    rows: list[Fact] = db.execute(
        "SELECT entity, key, name, week, figures, first_snapshot, last_snapshot FROM facts WHERE source = ? "
        "ORDER BY entity, key, week, first_snapshot",
        (source,),
    ).fetchall()
    times = dict(db.execute("SELECT id, fetched_at FROM snapshots WHERE source = ?", (source,)).fetchall())
    latest = db.execute("SELECT MAX(id) FROM snapshots WHERE source = ?", (source,)).fetchone()[0]
    return changes(rows, times, latest)
