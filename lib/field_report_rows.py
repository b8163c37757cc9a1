"""Rows of the `Phản ánh` tab -> the clean frame of accepted reports and one issue record per problem.

Issue records carry lib.validation's keys (ISSUE_COLUMNS: sheet, row, column, cell, severity, code, message,
value) plus `field`, so the reader can append them to the other tabs' issues as they are. Errors reject the row (no id,
an id used again with different content, an unreadable or future date, completion before sending);
warnings keep it (an exact copy of an earlier row, counted once; an unknown status, counted as open; an
unreadable deadline, recomputed; an unreadable rating; a done status with no completion date). Every message
is worded in `lib.validation.messages.MESSAGES`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd

from lib.field_reports import FIELD_REPORTS, Status, classify_status, parse_rating
from lib.fmt import fmt_date, shorten
from lib.normalize import Parsed, clean_text, parse_date
from lib.validation.messages import MESSAGES, code_of, phrase, place
from lib.validation.model import ISSUE_COLUMNS

FRAME_COLUMNS = ["id", "sent", "field", "village", "unit", "due", "completed", "status", "rating", "row"]
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")


class _Issues:
    """Issue dicts for one tab, with the rows they reject."""

    def __init__(self, sheet: str, headers: Mapping[str, str], letters: Mapping[str, str] | None) -> None:
        self.sheet, self.headers, self.letters = sheet, headers, letters or {}
        self.items: list[dict[str, object]] = []
        self.rejected: set[int] = set()

    def add(self, key: str, /, *, row: int, field: str, value: object, **params: object) -> None:
        """Record one issue worded by MESSAGES[key]; `params` fill its placeholders, besides {where} (the cell, or the row)."""
        message = MESSAGES[key]
        # What the row typed is quoted, cut short: a status of 10.000 characters is named, not pasted whole.
        params = {k: clipped(v) if k in ("id", "status") else v for k, v in params.items()}
        header = self.headers.get(field, field)
        cell = f"{self.letters[field]}{row}" if field in self.letters else ""
        where = place(self.sheet, row, header, cell)
        shown = fmt_date(value) if isinstance(value, dt.date) else ("" if value is None else str(value)[:200])
        values = (self.sheet, row, header, cell, message.severity, code_of(key), message.render(where=where, **params), shown)
        self.items.append({**dict(zip(ISSUE_COLUMNS, values, strict=True)), "field": field})
        if message.severity == "error":
            self.rejected.add(row)


def clipped(value: object, limit: int = 80) -> object:
    """Text quoted in a message, cut to `limit` characters with '…' (the cell itself says the rest)."""
    return shorten(value, limit) if isinstance(value, str) else value


def read_reports(
    records: Sequence[Mapping[str, object]],
    today: dt.date,
    *,
    sheet: str = FIELD_REPORTS.name,
    headers: Mapping[str, str] | None = None,
    letters: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Rows (field → cell as typed, plus 'row') → the accepted reports as a clean frame, and one issue dict per problem."""
    headers = headers if headers is not None else {c.field: c.header for c in FIELD_REPORTS.columns}
    issues = _Issues(sheet, headers, letters)
    kept = [_read_row(record, int(record.get("row") or i + 2), today, issues) for i, record in enumerate(records)]  # type: ignore[call-overload]
    copies = _check_duplicate_ids(kept, issues)
    frame = pd.DataFrame([r for r in kept if r["row"] not in issues.rejected and r["row"] not in copies], columns=FRAME_COLUMNS)
    frame["sent"] = pd.to_datetime(frame["sent"])
    return frame, issues.items


# An export repeats its fields, units, statuses, ratings and days thousands of times: each distinct cell is read once
# (typed=True: the cell 1 and the cell 1.0 are read apart). Cells are str, numbers, dates or None, all hashable.
@lru_cache(maxsize=65_536, typed=True)
def _text(value: object) -> str | None:
    return clean_text(value) or None


@lru_cache(maxsize=65_536, typed=True)
def _date(value: object, today: dt.date) -> Parsed:
    return parse_date(value, today)


@lru_cache(maxsize=4_096, typed=True)
def _rating(value: object) -> Parsed:
    return parse_rating(value)


def _read_row(record: Mapping[str, object], row: int, today: dt.date, issues: _Issues) -> dict[str, object]:
    values: dict[str, object] = {f: _text(record.get(f)) for f in ("id", "field", "village", "unit", "status")}
    if values["id"] is None:
        issues.add("missing_value:report_id", row=row, field="id", value=None)
    for f in ("sent", "due", "completed"):
        typed = record.get(f)
        parsed = _date(typed, today)
        day = values[f] = parsed.value if isinstance(parsed.value, dt.date) else None
        if parsed.blank and f == "sent":
            issues.add("missing_value:sent", row=row, field=f, value=typed)
        elif parsed.code and f == "due":
            issues.add("bad_date:due", row=row, field=f, value=typed, reason=parsed.reason)
        elif parsed.code:
            # Some of the parser's reasons already say how to type a date ("…; hãy nhập …"): say it once.
            key = "bad_date:field_report_with_fix" if "hãy" in parsed.reason else "bad_date:field_report"
            issues.add(key, row=row, field=f, value=typed, reason=parsed.reason)
        elif f != "due" and day is not None and day > today:
            issues.add("future_date:field_report", row=row, field=f, value=typed, day=day, today=today)
    sent, completed = values["sent"], values["completed"]
    if isinstance(sent, dt.date) and isinstance(completed, dt.date) and completed < sent:
        issues.add("completed_before_sent", row=row, field="completed", value=record.get("completed"), completed=completed, sent=sent)
    status = classify_status(values["status"], completed if isinstance(completed, dt.date) else None)
    if values["status"] and classify_status(values["status"]) is Status.UNKNOWN:
        issues.add("unknown_status", row=row, field="status", value=values["status"], status=values["status"])
    if status is Status.RESOLVED and completed is None and "completed" in issues.headers:
        issues.add("missing_completion_date", row=row, field="completed", value=None, status=values["status"])
    rating = _rating(record.get("rating"))
    if rating.code:
        issues.add("bad_rating", row=row, field="rating", value=record.get("rating"), reason=rating.reason)
    values["sent"] = _sent_at(record.get("sent"), sent)
    return {**values, "rating": record.get("rating"), "row": row}


def _sent_at(typed: object, day: object) -> dt.datetime | None:
    """The sending time when the cell has one ('24/04/2026 08:15' or a date-time cell), else midnight of the day."""
    if isinstance(typed, dt.datetime):
        return typed.replace(tzinfo=None)
    if not isinstance(day, dt.date):
        return None
    m = _TIME.search(clean_text(typed)) if isinstance(typed, str) else None
    hour, minute = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return dt.datetime.combine(day, dt.time(hour % 24, minute % 60))


def _check_duplicate_ids(kept: list[dict[str, object]], issues: _Issues) -> set[int]:
    """Flag rows sharing an id; return the rows that are exact copies of an earlier one (warned, counted once)."""
    by_id: dict[str, list[dict[str, object]]] = {}
    for r in kept:
        if r["id"]:
            by_id.setdefault(re.sub(r"\s+", "", str(r["id"])).casefold(), []).append(r)
    copies: set[int] = set()
    for rows in by_id.values():
        if len(rows) < 2:
            continue
        identical = len({tuple(str(r[f]) for f in FRAME_COLUMNS if f not in ("id", "row")) for r in rows}) == 1
        for r in rows[1:] if identical else rows:
            others = [int(o["row"]) for o in rows if o is not r]  # type: ignore[call-overload]
            shown = ", ".join(map(str, others[:3]))
            listed = phrase("rows.more", shown=shown, rest=len(others) - 3) if len(others) > 3 else shown
            if identical:
                copies.add(int(r["row"]))  # type: ignore[call-overload]
                issues.add("duplicate_id:identical", row=int(r["row"]), field="id", value=r["id"], id=r["id"], rows=listed)  # type: ignore[call-overload]
            else:
                issues.add("duplicate_id", row=int(r["row"]), field="id", value=r["id"], id=r["id"], rows=listed)  # type: ignore[call-overload]
    return copies
