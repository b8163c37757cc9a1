"""A snapshot as plain data: its payload encoded and hashed, and its weekly figures as facts compared across versions.

Pure: bytes and rows in, bytes and rows out; `snapshots.py` stores and reads them. Figures are kept as
the text `json.dumps` writes for `[installed, accounts, reports]`, so stored facts compare as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from pandas.api.typing import NAType

from lib.validation.model import Dataset
from lib.workbook import Cell, RawWorkbook

_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON as they are: nearly every cell


def _encode(value: Cell) -> object:
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def encoded_tabs(raw: RawWorkbook) -> dict[str, list[list[object]]]:
    """Every tab's cells as JSON can hold them (dates and times tagged, so they decode as they were)."""
    return {t: [[_encode(v) for v in row] for row in rows] for t, rows in raw.tabs.items()}


def _decode(value: Any) -> Cell:  # a value as json.loads gives it
    if isinstance(value, dict):  # tagged by _encode
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
    return value


def content_hash(raw: RawWorkbook, encoded: dict[str, list[list[object]]] | None = None) -> str:
    """A hash of every tab's cells: equal for the same content, whenever it was fetched."""
    body = json.dumps(encoded_tabs(raw) if encoded is None else encoded, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def pack(raw: RawWorkbook, encoded: dict[str, list[list[object]]] | None = None) -> bytes:
    """A workbook as the compressed payload stored for one version."""
    body = {
        "tabs": encoded_tabs(raw) if encoded is None else encoded,
        "source": raw.source,
        "kind": raw.kind,
        "sheet_url": raw.sheet_url,
        "gids": raw.gids,
        "hidden_tabs": sorted(raw.hidden_tabs),
    }
    return zlib.compress(json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"))


def unpack(blob: bytes, fetched_at: dt.datetime) -> RawWorkbook:
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


def _figure_text(value: int | float | NAType | None) -> str:
    """A count as json.dumps writes it inside a list: '12', or 'null' for blank."""
    return "null" if value is None or isinstance(value, NAType) or value != value else str(int(value))  # value != value: NaN


def facts(ds: Dataset) -> Iterable[tuple[str, str, str, str, str]]:
    """(entity, key, name, week, figures) for every accepted weekly report of a village or unit."""
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


Fact = tuple[str, str, str, str, str, int, int]  # entity, key, name, week, figures, first_snapshot, last_snapshot


def changes(rows: Sequence[Fact], times: dict[int, str], latest: int | None) -> pd.DataFrame:
    """Every figure rewritten or removed between versions, from the facts ordered by entity, key, week and first snapshot.

    `times` gives each snapshot's fetch time; `latest` is the newest snapshot, in which open facts still hold.
    """
    ids = sorted(times)
    following = {a: b for a, b in zip(ids, ids[1:], strict=False)}
    records = []
    previous: Fact | None = None
    for fact in rows:
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


def _same_slot(a: Fact, b: Fact) -> bool:
    return a[:2] == b[:2] and a[3] == b[3]


def _removed(fact: Fact, times: dict[int, str], following: dict[int, int]) -> tuple[Any, ...]:
    entity, _, name, week, figures, _, last = fact
    return (entity, name, week, _installed(figures), None, times[following[last]], "removed")


def _installed(figures: str) -> int | None:
    value: int | None = json.loads(figures)[0]
    return value
