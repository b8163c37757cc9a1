"""The report form's outbox queue: every submission is stored before Google is asked (`outbox.py` delivers it).

A table in the snapshot store (SQLite or PostgreSQL, the same URL), created like the snapshot
tables on first use:
- `entry_outbox`: one row per submission (its id is the row's Mã gửi), with the row to append,
  its status (pending | delivered), tries, the last error and a short delivery lease, so two
  processes never deliver the same submission at once. One submission per village (or unit) and
  week: a second tab, a second phone or a double tap finds the first instead of adding a row.
- `entry_attempts`: when each link last sent, for the rate limit (5 sends per 10 minutes a link).
Pending submissions are retried when a form or the staff screen opens and by `python -m lib snapshot`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from lib.sheets_append import AppendTarget
from lib.snapshots import SnapshotStore, StoreError

RATE_LIMIT = 5  # sends per link …
RATE_WINDOW = dt.timedelta(minutes=10)  # … in this window
LEASE = dt.timedelta(seconds=90)  # longer than one delivery's 30 s deadline

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS entry_outbox (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        week TEXT NOT NULL,
        target TEXT NOT NULL,
        figures TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        claimed_until TEXT,
        delivered_at TEXT,
        written_range TEXT,
        last_error TEXT
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS entry_outbox_one_a_week ON entry_outbox (source, kind, key, week)",
    "CREATE INDEX IF NOT EXISTS entry_outbox_by_status ON entry_outbox (source, status)",
    "CREATE TABLE IF NOT EXISTS entry_attempts (link TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entry_attempts_by_link ON entry_attempts (link, at)",
]
_COLUMNS = "id, source, kind, key, name, week, target, figures, created_at, status, attempts, delivered_at, written_range, last_error"


class RateLimited(Exception):
    """A link sent too often; `str()` is the Vietnamese message."""


def utc_now() -> dt.datetime:
    """Now, in UTC: the outbox's times are compared as ISO-8601 text."""
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


@dataclass(frozen=True)
class Entry:
    """One submission as stored."""

    id: str
    source: str
    kind: str
    key: str
    name: str
    week: dt.date
    target: AppendTarget
    figures: dict[str, Any]
    created_at: dt.datetime
    status: str  # pending | delivered
    attempts: int
    delivered_at: dt.datetime | None
    written_range: str | None
    last_error: str | None

    @property
    def delivered(self) -> bool:
        """True once the row is on the Sheet."""
        return self.status == "delivered"


def _target_json(target: AppendTarget) -> str:
    fields = {k: getattr(target, k) for k in ("key", "tab", "header_row", "first_column", "id_column", "id_header_missing")}
    return json.dumps({**fields, "row": list(target.row), "submission_id": target.submission_id}, ensure_ascii=False)


def _entry(row: tuple) -> Entry:
    target = json.loads(row[6])
    target["row"] = tuple(target["row"])
    return Entry(
        id=row[0],
        source=row[1],
        kind=row[2],
        key=row[3],
        name=row[4],
        week=dt.date.fromisoformat(row[5]),
        target=AppendTarget(**target),
        figures=json.loads(row[7]),
        created_at=dt.datetime.fromisoformat(row[8]),
        status=row[9],
        attempts=int(row[10]),
        delivered_at=dt.datetime.fromisoformat(row[11]) if row[11] else None,
        written_range=row[12],
        last_error=row[13],
    )


class Outbox(SnapshotStore):
    """The snapshot store with the form's outbox tables."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        if self.read_only:
            raise StoreError(f"Không ghi được kho lưu trữ ({self.where}): kho chỉ cho đọc, nên chưa nhận báo cáo qua biểu mẫu.")
        with self._session("mở") as db:
            self._backend.create(db, _SCHEMA, lock="songiang-outbox-schema")

    def add(
        self, entry: Entry, now: dt.datetime | None = None, limit: int = RATE_LIMIT, window: dt.timedelta = RATE_WINDOW
    ) -> tuple[Entry, bool]:
        """Store a submission before it is sent: (the stored entry, True if new).

        The same id again (a double tap) or the same village and week again (a second tab or phone)
        returns the entry already stored. RateLimited when the link sent `limit` times within `window`.
        """
        now = now or utc_now()
        link = f"{entry.source}|{entry.kind}|{entry.key}"
        with self._session("ghi vào") as db:
            self._backend.begin_write(db.raw, "outbox:" + entry.source)
            try:
                sent = db.execute("SELECT COUNT(*) FROM entry_attempts WHERE link = ? AND at > ?", (link, _iso(now - window))).fetchone()[0]
                if int(sent) >= limit:
                    db.execute("ROLLBACK")
                    minutes = int(window.total_seconds() // 60)
                    raise RateLimited(
                        f"Đường dẫn này đã gửi {limit} lần trong {minutes} phút. Xin chờ ít phút rồi gửi lại; "
                        "nếu đã thấy «Đã gửi báo cáo» thì không cần gửi nữa."
                    )
                db.execute("INSERT INTO entry_attempts (link, at) VALUES (?, ?)", (link, _iso(now)))
                db.execute("DELETE FROM entry_attempts WHERE at < ?", (_iso(now - dt.timedelta(days=1)),))
                found = db.execute(
                    f"SELECT {_COLUMNS} FROM entry_outbox WHERE id = ? OR (source = ? AND kind = ? AND key = ? AND week = ?) "
                    "ORDER BY created_at LIMIT 1",
                    (entry.id, entry.source, entry.kind, entry.key, entry.week.isoformat()),
                ).fetchone()
                if found is None:
                    db.execute(
                        "INSERT INTO entry_outbox (id, source, kind, key, name, week, target, figures, created_at, status, attempts) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0)",
                        (
                            entry.id,
                            entry.source,
                            entry.kind,
                            entry.key,
                            entry.name,
                            entry.week.isoformat(),
                            _target_json(entry.target),
                            json.dumps(entry.figures, ensure_ascii=False),
                            _iso(now),
                        ),
                    )
                db.execute("COMMIT")
            except RateLimited:
                raise
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if found is not None:
            return _entry(found), False
        stored = self.get(entry.id)
        assert stored is not None  # committed just above
        return stored, True

    def get(self, entry_id: str) -> Entry | None:
        """One submission by id."""
        with self._session("đọc") as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM entry_outbox WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row) if row else None

    def claim(self, entry_id: str, now: dt.datetime | None = None, lease: dt.timedelta = LEASE) -> Entry | None:
        """Take a pending submission to deliver it (counting a try), unless delivered or taken by someone else within the lease."""
        now = now or utc_now()
        with self._session("ghi vào") as db:
            row = db.execute(
                "UPDATE entry_outbox SET attempts = attempts + 1, claimed_until = ? "
                "WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?) RETURNING id",
                (_iso(now + lease), entry_id, _iso(now)),
            ).fetchone()
        return self.get(entry_id) if row else None

    def mark_delivered(self, entry_id: str, written_range: str, now: dt.datetime | None = None) -> None:
        """The row is on the Sheet."""
        with self._session("ghi vào") as db:
            db.execute(
                "UPDATE entry_outbox SET status = 'delivered', delivered_at = ?, written_range = ?, claimed_until = NULL, last_error = NULL "
                "WHERE id = ?",
                (_iso(now or utc_now()), written_range, entry_id),
            )

    def release(self, entry_id: str, error: str | None) -> None:
        """A try failed (or was interrupted): the submission stays pending, free for the next try, with why."""
        with self._session("ghi vào") as db:
            db.execute(
                "UPDATE entry_outbox SET claimed_until = NULL, last_error = ? WHERE id = ? AND status = 'pending'", (error, entry_id)
            )

    def pending(self, source: str | None = None) -> list[Entry]:
        """Submissions not yet on the Sheet, oldest first (of one source, or of all)."""
        where, params = ("status = 'pending' AND source = ?", (source,)) if source else ("status = 'pending'", ())
        with self._session("đọc") as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM entry_outbox WHERE {where} ORDER BY created_at", params).fetchall()
        return [_entry(r) for r in rows]

    def for_week(self, source: str, kind: str, key: str, week: dt.date) -> Entry | None:
        """The submission a village (or unit) made for a week, if any."""
        with self._session("đọc") as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM entry_outbox WHERE source = ? AND kind = ? AND key = ? AND week = ?",
                (source, kind, key, week.isoformat()),
            ).fetchone()
        return _entry(row) if row else None

    def not_yet_read(self, source: str, kind: str, key: str, read_at: dt.datetime) -> list[Entry]:
        """A village's submissions the last read of the Sheet cannot contain: pending, or delivered after that read."""
        with self._session("đọc") as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM entry_outbox WHERE source = ? AND kind = ? AND key = ? "
                "AND (status = 'pending' OR delivered_at > ?) ORDER BY created_at",
                (source, kind, key, _iso(read_at)),
            ).fetchall()
        return [_entry(r) for r in rows]

    def claimed(self, entry_id: str, now: dt.datetime | None = None) -> bool:
        """True while someone holds the lease to deliver this submission."""
        with self._session("đọc") as db:
            row = db.execute("SELECT claimed_until FROM entry_outbox WHERE id = ?", (entry_id,)).fetchone()
        return bool(row and row[0] and dt.datetime.fromisoformat(row[0]) > (now or utc_now()))
