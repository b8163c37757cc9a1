"""The report form's submissions delivered: stored in the outbox first (`outbox_store.py`), then put on the Sheet exactly once.

`submit` is the form's one call; `deliver_pending` retries what Google refused, when a form or the staff
screen opens and in `python -m lib snapshot`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lib.entry import Checked, Draft, Form
from lib.outbox_store import Entry, Outbox, RateLimited, utc_now
from lib.sheets_append import AppendTarget, SheetWriter
from lib.sources import SourceError

__all__ = ["Outbox", "Outcome", "deliver", "deliver_pending", "forget_writers", "submit", "wait_for", "writer_for"]

SAVED_OFFLINE = "Đã lưu, sẽ gửi lên bảng tính khi có kết nối."


def deliver(outbox: Outbox, writer: SheetWriter | Callable[[], SheetWriter], entry_id: str) -> Entry | None:
    """Try to put one submission on the Sheet now; returns it as stored afterwards (pending with the reason, or delivered).

    A submission someone else is delivering, or already delivered, is returned as it stands.
    """
    claimed = outbox.claim(entry_id)
    if claimed is None:
        return outbox.get(entry_id)
    try:
        sheet = writer() if callable(writer) else writer
        written = sheet.deliver(claimed.target, tried_before=claimed.attempts > 1)
    except SourceError as exc:  # FetchError: Google failed in a way the reader's messages name
        outbox.release(entry_id, str(exc))
        return outbox.get(entry_id)
    except BaseException:
        outbox.release(entry_id, "Lần gửi bị ngắt giữa chừng; sẽ thử lại.")
        raise
    outbox.mark_delivered(entry_id, written)
    return outbox.get(entry_id)


def wait_for(outbox: Outbox, entry_id: str, timeout: float = 40.0, sleep: Callable[[float], None] = time.sleep) -> Entry | None:
    """A submission being delivered by another run (a double tap): wait until it is delivered or let go, up to `timeout`."""
    waited = 0.0
    while True:
        entry = outbox.get(entry_id)
        if entry is None or entry.delivered or waited >= timeout:
            return entry
        claimed = outbox.claimed(entry_id)
        if not claimed:
            return entry
        sleep(0.25)
        waited += 0.25


def _clock() -> float:
    return time.monotonic()


_LAST_SWEEP: dict[str, float] = {}
_SWEEP_LOCK = threading.Lock()
SWEEP_INTERVAL_SECONDS = 30.0


def deliver_pending(
    outbox: Outbox, writer: SheetWriter | Callable[[], SheetWriter], source: str | None = None, throttle: bool = False
) -> list[Entry]:
    """Try every pending submission of a source again (oldest first).

    With `throttle` (a page load does this), at most once per 30 s per process, and it stops at the first
    submission Google still refuses: whoever opened the page waits for one try at most, not one per row.
    """
    if throttle:
        now = _clock()
        with _SWEEP_LOCK:
            if now - _LAST_SWEEP.get(source or "", -SWEEP_INTERVAL_SECONDS) < SWEEP_INTERVAL_SECONDS:
                return []
            _LAST_SWEEP[source or ""] = now
    results = []
    for entry in outbox.pending(source):
        done = deliver(outbox, writer, entry.id)
        if done is not None:
            results.append(done)
            if throttle and not done.delivered:
                break
    return results


_WRITERS: dict[tuple[str, str, str], SheetWriter] = {}


def writer_for(credentials: Mapping[str, Any], api_root: str | None = None) -> SheetWriter:
    """One writer per service account and process (it keeps its access token); `api_root` defaults to SONGIANG_SHEETS_API."""
    import os

    from lib.google_sheets import SHEETS_API

    root = api_root or os.environ.get("SONGIANG_SHEETS_API") or SHEETS_API
    ident = (str(credentials.get("client_email", "")), str(credentials.get("private_key_id", "")), root)
    if ident not in _WRITERS:
        _WRITERS[ident] = SheetWriter(credentials, api_root=root)
    return _WRITERS[ident]


def forget_writers() -> None:
    """Drop cached writers (tests, or after the credentials changed)."""
    _WRITERS.clear()


# --- one submission, end to end -------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of a submission: delivered, saved for later, the week already taken, or too many sends."""

    status: str  # delivered | saved | taken | rate_limited
    entry: Entry | None
    message: str = ""


def submit(
    outbox: Outbox,
    writer: SheetWriter | Callable[[], SheetWriter],
    source: str,
    sheet_key: str,
    form: Form,
    draft: Draft,
    checked: Checked,
    submission_id: str,
) -> Outcome:
    """Store a checked draft in the outbox, then put it on the Sheet; whatever Google does, it is stored first.

    A double tap (the same id) or a second tab with the same figures for the same week returns the
    first submission; different figures for a week already sent are refused (`taken`).
    """
    where = form.where
    target = AppendTarget(
        sheet_key,
        where.title,
        where.header_row,
        where.first_column,
        where.id_column,
        where.id_header_missing,
        tuple(checked.row),
        submission_id,
    )
    figures = {"installed": draft.installed, "accounts": draft.accounts, "reports_sent": draft.reports_sent, "note": draft.note}
    entry = Entry(
        submission_id,
        source,
        form.kind,
        form.subject.key,
        form.subject.name,
        draft.week,
        target,
        {**figures, "rate": checked.rate},
        utc_now(),
        "pending",
        0,
        None,
        None,
        None,
    )
    try:
        stored, _ = outbox.add(entry)
    except RateLimited as exc:
        return Outcome("rate_limited", None, str(exc))
    if stored.id != submission_id and {k: stored.figures.get(k) for k in figures} != figures:
        return Outcome("taken", stored)
    done = deliver(outbox, writer, stored.id) or stored
    if not done.delivered:
        done = wait_for(outbox, done.id) or done  # a double tap: the first tap may be delivering it right now
    return Outcome("delivered" if done.delivered else "saved", done, "" if done.delivered else SAVED_OFFLINE)
