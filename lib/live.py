"""Which source to read and where its history goes (`SourceConfig`), and reading it once (`fetch`).

The pipeline (`lib.pipeline.load`) decides what to do when a read fails; this module only reads:
a local .xlsx, an uploaded file, a Google Sheet with a service account (one reader per account and
process, so its tab list is fetched once), or a link-shared sheet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.google_link import forget_link_titles, sheet_gid
from lib.sources import read_xlsx, sheet_key
from lib.workbook import RawWorkbook

DEFAULT_STORE = "sqlite:///data/snapshots.sqlite"


@dataclass(frozen=True)
class SourceConfig:
    """Where the figures come from (an .xlsx path, an upload, a Google Sheet with a service account, or a shared link) and where their history goes."""

    kind: str  # xlsx | upload | google | link
    location: str  # a file path, the spreadsheet key, or an uploaded file's name
    credentials: Mapping[str, Any] | None = field(default=None, hash=False, compare=False, repr=False)
    store_url: str | None = field(default=None, repr=False)  # may hold a database password
    timeout: float = 20.0
    data: bytes | None = field(default=None, hash=False, compare=False, repr=False)  # an uploaded file's content
    gid: int | None = None  # a link-shared sheet's tab id from the URL given ("#gid=…"): that tab's issues link to their cell

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
        if credentials:
            return SourceConfig("google", key, credentials, store_url or DEFAULT_STORE)
        return SourceConfig("link", key, None, store_url or DEFAULT_STORE, gid=sheet_gid(source))
    return SourceConfig("xlsx", source, None, store_url)


def uploaded(name: str, data: bytes) -> SourceConfig:
    """A SourceConfig for an .xlsx uploaded in the browser: read from memory, never recorded in the snapshot store."""
    return SourceConfig("upload", name, data=data)


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
    elif kind == "link":
        forget_link_titles(key)


def fetch(config: SourceConfig) -> RawWorkbook:
    """Read the source once (no fallback)."""
    if config.kind == "google":
        return _reader(config).read(config.location)
    if config.kind == "link":
        from lib.google_sheets import read_link

        return read_link(config.location, timeout=(5, config.timeout), gid=config.gid)
    if config.kind == "upload":
        return read_xlsx(config.data or b"", source=config.location, kind="upload")
    return read_xlsx(Path(config.location), source=config.location)
