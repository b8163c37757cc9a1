"""The store's database, SQLite or PostgreSQL behind one URL: connecting, creating tables, one writer, failures in Vietnamese.

The snapshot history (`snapshots.py`) and the report form's outbox (`outbox_store.py`) keep their tables
here. Both databases take the same queries (`?` placeholders, ISO-8601 text for times). Writes are single
transactions, serialised per source (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock). Any failure
raises StoreError: a fixed Vietnamese reason and the store's host and database, never the driver's text
(libpq quotes the URL back) nor the password.
"""

from __future__ import annotations

import contextlib
import errno
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lib.store_url import store_kind, store_label, store_path


class StoreError(Exception):
    """The snapshot store could not be opened, read or written (message in Vietnamese, no password)."""

    def __init__(self, message: str, read_only: bool = False) -> None:
        super().__init__(message)
        self.read_only = read_only


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


class _Sqlite:
    rowid = "rowid"
    # Column types for the tables' statements: SQLite's facts use the implicit rowid.
    types = {"id": "INTEGER PRIMARY KEY", "blob": "BLOB", "ref": "INTEGER", "facts_id": ""}

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

    def create(self, db: Db, statements: Sequence[str], lock: str) -> None:
        for statement in statements:
            db.execute(statement)

    def begin_write(self, db: Any, source: str) -> None:
        db.execute("BEGIN IMMEDIATE")  # one writer at a time for the whole file


class _Postgres:
    rowid = "id"
    # PostgreSQL has no rowid, so its facts get an id column.
    types = {"id": "BIGSERIAL PRIMARY KEY", "blob": "BYTEA", "ref": "BIGINT", "facts_id": "id BIGSERIAL PRIMARY KEY, "}

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

    def create(self, db: Db, statements: Sequence[str], lock: str) -> None:
        # Several replicas may start at once: CREATE ... IF NOT EXISTS is not safe concurrently.
        db.execute("BEGIN")
        db.execute(f"SELECT pg_advisory_xact_lock(hashtextextended('{lock}', 0))")
        for statement in statements:
            db.execute(statement)
        db.execute("COMMIT")

    def begin_write(self, db: Any, source: str) -> None:
        db.execute("BEGIN")
        db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (source,))  # one writer per source


class Db:
    """A connection that takes `?` placeholders on either database."""

    def __init__(self, raw: Any, sql: Callable[[str], str]) -> None:
        self.raw, self._sql = raw, sql

    def execute(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        return self.raw.execute(self._sql(query), params)

    def executemany(self, query: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.raw.cursor().executemany(self._sql(query), rows)


class Database:
    """A store URL opened: which database, where it is (for a person), and sessions whose failures read in Vietnamese."""

    def __init__(self, url: str) -> None:
        self.kind = store_kind(url)
        self._backend: _Sqlite | _Postgres = _Sqlite(url) if self.kind == "sqlite" else _Postgres(url)
        self.where = self._backend.where

    @property
    def path(self) -> Path:
        """The SQLite file (SQLite stores only)."""
        assert isinstance(self._backend, _Sqlite)
        return self._backend.path

    @contextlib.contextmanager
    def _session(self, action: str) -> Iterator[Db]:
        """A connection, closed afterwards; any database failure becomes a StoreError with a fixed Vietnamese reason.

        The driver's own message is never kept, not even as the exception's cause: libpq quotes the URL
        back (password included) when it cannot parse it.
        """
        db = None
        failure: BaseException | None = None
        try:
            db = self._backend.connect()
            yield Db(db, self._backend.sql)
        except (sqlite3.Error, OSError, zlib.error, ValueError, KeyError, IndexError, TypeError) as exc:
            failure = exc  # ValueError and the like: rows that do not parse, i.e. a damaged store
        except Exception as exc:
            if not isinstance(self._backend, _Postgres) or not isinstance(exc, self._backend._psycopg.Error):
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
