"""The snapshot history: every distinct workbook version fetched, so nothing the sheet said is lost.

The store's location is a URL, so moving from one machine to several needs no code change:
- `sqlite:///path` (or a plain path): an embedded SQLite file, for one app process and the cron job;
- `postgresql://user:password@host:port/db`: a shared PostgreSQL, for several app replicas.
Both keep the same two tables:
- `snapshots`: one row per distinct version of a source (content hash, fetch time, the tables);
- `facts`: each accepted weekly figure as an interval of snapshots in which it held, which gives
  the first time a report was seen (real timeliness) and every past figure later rewritten or
  deleted (history changes), without validating old versions again.
Writes are single transactions, serialised per source (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
advisory lock), so a process killed mid-write leaves the last good state and two replicas
recording the same fetch store it once. Any failure raises StoreError: a fixed Vietnamese reason
and the store's host and database, never the driver's text (libpq quotes the URL back) nor the
password. A read-only store still opens for reading, and a version whose payload no longer decodes
is passed over for the one before it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lib.validation.model import Dataset
from lib.workbook import RawWorkbook

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
# The same tables on both; times stay ISO-8601 text so both stores answer every query identically.
# SQLite's facts use the implicit rowid; PostgreSQL has none, so its facts get an id column.
_SQLITE_SCHEMA = [q.format(id="INTEGER PRIMARY KEY", blob="BLOB", ref="INTEGER", facts_id="") for q in _SCHEMA]
_POSTGRES_SCHEMA = [
    q.format(id="BIGSERIAL PRIMARY KEY", blob="BYTEA", ref="BIGINT", facts_id="id BIGSERIAL PRIMARY KEY, ") for q in _SCHEMA
]


class StoreError(Exception):
    """The snapshot store could not be opened, read or written (message in Vietnamese, no password)."""

    def __init__(self, message: str, read_only: bool = False) -> None:
        super().__init__(message)
        self.read_only = read_only


_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON as they are: nearly every cell


def _encode(value: object) -> object:
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def _encoded_tabs(raw: RawWorkbook) -> dict[str, list[list[object]]]:
    return {t: [[_encode(v) for v in row] for row in rows] for t, rows in raw.tabs.items()}


def _decode(value: object) -> object:
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
    return value


def content_hash(raw: RawWorkbook, encoded: dict[str, list[list[object]]] | None = None) -> str:
    """A hash of every tab's cells: equal for the same content, whenever it was fetched."""
    body = json.dumps(_encoded_tabs(raw) if encoded is None else encoded, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _pack(raw: RawWorkbook, encoded: dict[str, list[list[object]]] | None = None) -> bytes:
    body = {
        "tabs": _encoded_tabs(raw) if encoded is None else encoded,
        "source": raw.source,
        "kind": raw.kind,
        "sheet_url": raw.sheet_url,
        "gids": raw.gids,
        "hidden_tabs": sorted(raw.hidden_tabs),
    }
    return zlib.compress(json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"))


def _unpack(blob: bytes, fetched_at: dt.datetime) -> RawWorkbook:
    """A stored version back as a workbook; ValueError if the payload is not one (damaged, or written by something else)."""
    try:
        body = json.loads(zlib.decompress(blob))
        tabs = {str(t): [[_decode(v) for v in row] for row in rows] for t, rows in body["tabs"].items()}
        if not all(isinstance(row, list) for rows in body["tabs"].values() for row in rows):
            raise ValueError("a row is not a list")
        gids = {str(t): int(g) for t, g in (body.get("gids") or {}).items()}
        return RawWorkbook(
            tabs=tabs,
            source=str(body["source"]),
            kind=str(body["kind"]),
            fetched_at=fetched_at,
            sheet_url=body.get("sheet_url"),
            gids=gids,
            hidden_tabs=frozenset(map(str, body.get("hidden_tabs") or ())),
        )
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValueError(f"undecodable snapshot payload: {type(exc).__name__}") from None


def _scheme(url: str) -> str:
    """The scheme of a URL when it looks like one ('?' otherwise: what precedes '://' could be anything typed)."""
    head = url.split("://", 1)[0]
    return head if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,30}", head) else "?"


def store_path(url: str) -> Path:
    """The file behind a SQLite store URL (`sqlite:///data/x.sqlite`, `sqlite:////abs/x.sqlite` or a plain path)."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    if "://" in url:
        raise ValueError(f"'{_scheme(url)}://' không phải kho SQLite (sqlite:///đường/dẫn).")
    return Path(url)


def store_kind(url: str) -> str:
    """'sqlite' or 'postgresql' for a store URL; ValueError (in Vietnamese) for anything else."""
    scheme = _scheme(url).lower() if "://" in url else "sqlite"
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        return "postgresql"
    raise ValueError(
        f"Kho lưu trữ '{scheme}://' chưa được hỗ trợ. Dùng sqlite:///đường/dẫn.sqlite (một máy) "
        "hoặc postgresql://người-dùng:mật-khẩu@máy-chủ:5432/tên-csdl (nhiều máy dùng chung)."
    )


# What libpq reads after the user info: host (a name or a bracketed IPv6 address), port, database.
_ENDPOINT = re.compile(r"(?P<host>[A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?(?:/(?P<db>[^?]*))?(?:\?.*)?", re.DOTALL)
_DATABASE = re.compile(r"[\w.-]*")


def endpoint(url: str) -> tuple[str, str, str] | None:
    """(host, port, database) of a server URL, or None when any of them could be part of a password.

    Read the way libpq reads it (the user info ends at the first '@' before any '/'), and refused
    outright when an '@' is left over or a part holds anything but plain name characters: a password
    typed without %-encoding (`u:Pa55/word@h/db`) must never surface as a host or a database name.
    Never raises.
    """
    if not isinstance(url, str) or "://" not in url:
        return None
    rest = url.split("://", 1)[1]
    if user := re.match(r"[^@/]*@", rest):
        rest = rest[user.end() :]
    match = _ENDPOINT.fullmatch(rest)
    if match is None or "@" in rest or not _DATABASE.fullmatch(match["db"] or ""):
        return None
    return match["host"], match["port"] or "", match["db"] or ""


def store_label(url: str) -> str:
    """Where the store is, for a person: the SQLite file, or the server's host and database; never a password."""
    try:
        kind = store_kind(url)
    except ValueError:
        kind = ""
    if kind == "sqlite":
        return f"tệp SQLite {store_path(url)}"
    name = "PostgreSQL" if kind == "postgresql" else "kho lưu trữ"
    found = endpoint(url)
    if found is None:
        return f"{name}, máy chủ không rõ"
    host, port, database = found
    server = (host or "máy này") + (f":{port}" if port else "")
    return f"{name} trên máy chủ {server}, cơ sở dữ liệu {database or '(mặc định)'}"


def redact(url: str) -> str:
    """The store's address safe to show and to log: a SQLite path as it is, a server as scheme://host:port/db only."""
    try:
        if store_kind(url) == "sqlite":
            return url
    except ValueError:
        pass
    scheme = _scheme(url)
    found = endpoint(url)
    if found is None:
        return f"{scheme}://(địa chỉ không hiển thị được)"
    host, port, database = found
    return f"{scheme}://{host}{':' + port if port else ''}/{database}"


def _reason(exc: BaseException) -> str:
    """A fixed Vietnamese reason for a database failure: never the driver's text, which may quote the URL."""
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        for prefix, text in _SQLITE_REASONS:
            if name.startswith(prefix):
                return text
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return _CORRUPT
        return "cơ sở dữ liệu SQLite báo lỗi"
    if isinstance(exc, OSError):
        return _OS_REASONS.get(exc.errno or 0, "không đọc hoặc ghi được tệp")
    state = getattr(exc, "sqlstate", None)
    if state:
        return _PG_STATES.get(state, _PG_STATES.get(state[:2], "máy chủ cơ sở dữ liệu báo lỗi"))
    if type(exc).__name__ == "ProgrammingError":  # psycopg refused the address itself, before connecting
        return (
            "địa chỉ kho không hợp lệ; ký tự đặc biệt trong mật khẩu phải được mã hoá "
            "(ví dụ # thành %23, / thành %2F, ? thành %3F, @ thành %40, % thành %25)"
        )
    if type(exc).__module__.startswith("psycopg"):
        return "không kết nối được máy chủ (máy chủ tắt, sai tên máy chủ hoặc cổng, hoặc mạng chặn)"
    return _CORRUPT


_CORRUPT = "dữ liệu trong kho bị hỏng, không đọc được"
_SQLITE_REASONS = [
    ("SQLITE_READONLY", "kho chỉ cho đọc, không ghi được (tệp hoặc ổ đĩa không cho ghi)"),
    ("SQLITE_CORRUPT", _CORRUPT),
    ("SQLITE_NOTADB", "tệp không phải cơ sở dữ liệu SQLite (có thể đã bị ghi đè hoặc hỏng)"),
    ("SQLITE_BUSY", "kho đang bị một tiến trình khác khoá quá lâu"),
    ("SQLITE_LOCKED", "kho đang bị một tiến trình khác khoá quá lâu"),
    ("SQLITE_FULL", "ổ đĩa đã đầy"),
    ("SQLITE_CANTOPEN", "không mở được tệp (thiếu quyền, hoặc thư mục không tồn tại)"),
    ("SQLITE_PERM", "không có quyền mở tệp"),
    ("SQLITE_IOERR", "lỗi đọc ghi ổ đĩa"),
]
_OS_REASONS = {
    errno.EACCES: "không có quyền đọc hoặc ghi",
    errno.EPERM: "không có quyền đọc hoặc ghi",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.ENOENT: "thư mục không tồn tại",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
}
_PG_STATES = {
    "28P01": "máy chủ từ chối tên người dùng hoặc mật khẩu",
    "28000": "máy chủ từ chối tên người dùng hoặc mật khẩu",
    "3D000": "cơ sở dữ liệu không tồn tại trên máy chủ",
    "25006": "kho chỉ cho đọc, không ghi được (cơ sở dữ liệu đặt chế độ chỉ đọc)",
    "42501": "tài khoản cơ sở dữ liệu không có quyền",
    "53100": "ổ đĩa của máy chủ cơ sở dữ liệu đã đầy",
    "08": "không kết nối được máy chủ (máy chủ tắt, sai tên máy chủ hoặc cổng, hoặc mạng chặn)",
    "53": "máy chủ cơ sở dữ liệu đang quá tải",
    "57": "máy chủ cơ sở dữ liệu đang khởi động lại hoặc tắt",
}


def _read_only(exc: BaseException) -> bool:
    return str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY") or getattr(exc, "sqlstate", None) == "25006"


@dataclass(frozen=True)
class Snapshot:
    """One stored version of a source."""

    id: int
    fetched_at: dt.datetime
    last_checked_at: dt.datetime
    raw: RawWorkbook
    skipped: int = 0  # newer versions passed over because their payload no longer decodes


class _Sqlite:
    rowid = "rowid"

    def __init__(self, url: str) -> None:
        self.path = store_path(url)
        self.where = store_label(url)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Không tạo được thư mục cho kho lưu trữ lịch sử ({self.where}): {_reason(exc)}.") from None

    def connect(self) -> Any:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError as exc:
            if not _read_only(exc):
                db.close()
                raise
            # A read-only file can still be read: the fallback to the last good version needs nothing more.
        return db

    def sql(self, query: str) -> str:
        return query

    def create(self, db: Any) -> None:
        for statement in _SQLITE_SCHEMA:
            db.execute(statement)

    def begin_write(self, db: Any, source: str) -> None:
        db.execute("BEGIN IMMEDIATE")  # one writer at a time for the whole file


class _Postgres:
    rowid = "id"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is in requirements
            raise StoreError("Thiếu thư viện psycopg để dùng PostgreSQL: pip install 'psycopg[binary]'.") from exc
        self._psycopg = psycopg
        # SQLAlchemy-style "postgresql+psycopg://" is accepted too: libpq only knows postgresql://.
        self.url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
        self.where = store_label(url)

    def connect(self) -> Any:
        return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="songiang-dashboard")

    def sql(self, query: str) -> str:
        return query.replace("?", "%s")

    def create(self, db: Any) -> None:
        # Several replicas may start at once: CREATE ... IF NOT EXISTS is not safe concurrently.
        db.execute("BEGIN")
        db.execute("SELECT pg_advisory_xact_lock(hashtextextended('songiang-schema', 0))")
        for statement in _POSTGRES_SCHEMA:
            db.execute(statement)
        db.execute("COMMIT")

    def begin_write(self, db: Any, source: str) -> None:
        db.execute("BEGIN")
        db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (source,))  # one writer per source


class SnapshotStore:
    """Records distinct versions of each source and answers history questions about them."""

    def __init__(self, url: str) -> None:
        self.kind = store_kind(url)
        self._backend: _Sqlite | _Postgres = _Sqlite(url) if self.kind == "sqlite" else _Postgres(url)
        self.where = self._backend.where
        self.read_only = False
        try:
            with self._session("mở") as db:
                self._backend.create(db)
        except StoreError as exc:
            if not exc.read_only:
                raise
            self.read_only = True  # still worth opening: the last good version can be read from it

    @property
    def path(self) -> Path:
        """The SQLite file (SQLite stores only)."""
        assert isinstance(self._backend, _Sqlite)
        return self._backend.path

    @contextlib.contextmanager
    def _session(self, action: str) -> Iterator[Any]:
        """A connection, closed afterwards; any database failure becomes a StoreError with a fixed Vietnamese reason.

        The driver's own message is never kept, not even as the exception's cause: libpq quotes the URL
        back (password included) when it cannot parse it.
        """
        db = None
        failure: BaseException | None = None
        try:
            db = self._backend.connect()
            yield _Db(db, self._backend.sql)
        except (sqlite3.Error, OSError, zlib.error, ValueError, KeyError, IndexError, TypeError) as exc:
            failure = exc  # ValueError and the like: rows that do not parse, i.e. a damaged store
        except Exception as exc:
            if self.kind != "postgresql" or not isinstance(exc, self._backend._psycopg.Error):
                raise
            failure = exc
        finally:
            if db is not None:
                with contextlib.suppress(Exception):
                    db.close()
        if failure is not None:
            raise StoreError(
                f"Không {action} được kho lưu trữ lịch sử ({self.where}): {_reason(failure)}.", read_only=_read_only(failure)
            ) from None

    def record(self, raw: RawWorkbook, ds: Dataset, source: str) -> tuple[int, bool]:
        """Store this fetch if its content changed since the last one; returns (snapshot id, was new)."""
        encoded = _encoded_tabs(raw)  # once, for the hash and (if new) the stored payload
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
                        (source, digest, now, now, _pack(raw, encoded)),
                    ).fetchone()[0]
                )
                self._record_facts(db, source, ds, previous=row[0] if row else None, new_id=new_id)
                db.execute("COMMIT")
                return new_id, True
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _record_facts(self, db: _Db, source: str, ds: Dataset, previous: int | None, new_id: int) -> None:
        current = {(entity, key, week): (name, figures) for entity, key, name, week, figures in _facts(ds)}
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
                    return Snapshot(int(snapshot_id), fetched, checked, _unpack(bytes(row[2]), checked), skipped)
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


class _Db:
    """A connection that takes `?` placeholders on either database."""

    def __init__(self, raw: Any, sql: Any) -> None:
        self.raw, self._sql = raw, sql

    def execute(self, query: str, params: tuple = ()) -> Any:
        return self.raw.execute(self._sql(query), params)

    def executemany(self, query: str, rows: list[tuple]) -> None:
        if rows:
            self.raw.cursor().executemany(self._sql(query), rows)


def _count(db: _Db, source: str) -> int:
    return int(db.execute("SELECT COUNT(*) FROM snapshots WHERE source = ?", (source,)).fetchone()[0])


def _first_seen(db: _Db, source: str) -> pd.DataFrame:
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


def _changes(db: _Db, source: str) -> pd.DataFrame:
    facts = db.execute(
        "SELECT entity, key, name, week, figures, first_snapshot, last_snapshot FROM facts WHERE source = ? "
        "ORDER BY entity, key, week, first_snapshot",
        (source,),
    ).fetchall()
    times = dict(db.execute("SELECT id, fetched_at FROM snapshots WHERE source = ?", (source,)).fetchall())
    latest = db.execute("SELECT MAX(id) FROM snapshots WHERE source = ?", (source,)).fetchone()[0]
    ids = sorted(times)
    following = {a: b for a, b in zip(ids, ids[1:], strict=False)}
    records = []
    previous = None
    for fact in facts:
        entity, key, name, week, figures, first, last = fact
        if previous and previous[:2] == (entity, key) and previous[3] == week:
            records.append((entity, name, week, _installed(previous[4]), _installed(figures), times[first], "rewritten"))
        elif previous and previous[6] != latest and not _same_slot(previous, fact):
            records.append(_removed(previous, times, following))
        previous = fact
    if previous and previous[6] != latest:
        records.append(_removed(previous, times, following))
    frame = pd.DataFrame(records, columns=["entity", "name", "week", "old", "new", "noticed_at", "kind"])
    frame["week"] = [dt.date.fromisoformat(w) for w in frame["week"]]
    frame["noticed_at"] = [dt.datetime.fromisoformat(t) for t in frame["noticed_at"]]
    return frame


def _same_slot(a: tuple, b: tuple) -> bool:
    return a[:2] == b[:2] and a[3] == b[3]


def _removed(fact: tuple, times: dict[int, str], following: dict[int, int]) -> tuple:
    entity, _, name, week, figures, _, last = fact
    return (entity, name, week, _installed(figures), None, times[following[last]], "removed")


def _installed(figures: str) -> int | None:
    return json.loads(figures)[0]


def _figure_text(value: object) -> str:
    """A count as json.dumps writes it inside a list: '12', or 'null' for blank."""
    return "null" if value is None or value is pd.NA or value != value else str(int(value))  # value != value: NaN


def _facts(ds: Dataset) -> Iterable[tuple[str, str, str, str, str]]:
    # Plain lists first: iterating pandas' Arrow-backed columns value by value was a third of record().
    for entity, frame, name_col in (("village", ds.village_reports, "village"), ("unit", ds.unit_reports, "unit")):
        n = len(frame)
        accounts = frame["accounts"].tolist() if "accounts" in frame else [None] * n
        sent = frame["reports_sent"].tolist() if "reports_sent" in frame else [None] * n
        weeks = frame["week"].tolist()
        iso = {w: w.isoformat() for w in set(weeks)}
        for key, name, week, installed, acc, rep in zip(
            frame["key"].tolist(), frame[name_col].tolist(), weeks, frame["installed"].tolist(), accounts, sent, strict=True
        ):
            # The same text as json.dumps([installed, accounts, reports]): stored facts are compared as text.
            figures = f"[{int(installed)}, {_figure_text(acc)}, {_figure_text(rep)}]"
            yield entity, str(key), str(name), iso[week], figures
