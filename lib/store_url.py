"""Where the snapshot store is: its URL read as a SQLite file or a PostgreSQL server, and named without a password.

Pure: it parses text and never connects. A URL that could hide a password in what would be shown as
a host or a database name is not shown at all.
"""

from __future__ import annotations

import re
from pathlib import Path


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
