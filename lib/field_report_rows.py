"""Rows of the `Phản ánh` tab -> the clean frame of accepted reports and one issue record per problem.

Issue records carry lib.validate's keys (sheet, row, column, cell, severity, code, message, value) plus
`field`, so the reader can append them to the other tabs' issues as they are. Errors reject the row (no id,
an id used again with different content, an unreadable or future date, completion before sending);
warnings keep it (an exact copy of an earlier row, counted once; an unknown status, counted as open; an
unreadable deadline, recomputed; an unreadable rating; a done status with no completion date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from lib.field_reports import FIELD_REPORTS, Status, classify_status, parse_rating
from lib.fmt import fmt_date
from lib.normalize import clean_text, parse_date

ISSUE_KEYS = ("sheet", "row", "column", "cell", "severity", "code", "message", "value")  # lib.validate.ISSUE_COLUMNS
FRAME_COLUMNS = ["id", "sent", "field", "village", "unit", "due", "completed", "status", "rating", "row"]
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_DATE_FIX = "Hãy nhập ngày/tháng/năm, ví dụ 23/04/2026."


class _Issues:
    """Issue dicts for one tab, with the rows they reject."""

    def __init__(self, sheet: str, headers: Mapping[str, str], letters: Mapping[str, str] | None) -> None:
        self.sheet, self.headers, self.letters = sheet, headers, letters or {}
        self.items: list[dict[str, object]] = []
        self.rejected: set[int] = set()

    def add(self, row: int, field: str, severity: str, code: str, message: str, value: object) -> None:
        header = self.headers.get(field, field)
        cell = f"{self.letters[field]}{row}" if field in self.letters else ""
        where = f"Ô {cell} ({header})" if cell else f"Dòng {row} ({header})"
        shown = fmt_date(value) if isinstance(value, dt.date) else ("" if value is None else str(value)[:200])
        values = (self.sheet, row, header, cell, severity, code, f"{where}: {message}", shown)
        self.items.append({**dict(zip(ISSUE_KEYS, values, strict=True)), "field": field})
        if severity == "error":
            self.rejected.add(row)


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


def _read_row(record: Mapping[str, object], row: int, today: dt.date, issues: _Issues) -> dict[str, object]:
    values: dict[str, object] = {f: clean_text(record.get(f)) or None for f in ("id", "field", "village", "unit", "status")}
    if values["id"] is None:
        issues.add(
            row,
            "id",
            "error",
            "missing_value",
            "chưa có mã phản ánh. Hãy chép mã từ danh sách của hệ thống; mỗi phản ánh có một mã riêng.",
            None,
        )
    for f in ("sent", "due", "completed"):
        typed = record.get(f)
        parsed = parse_date(typed, today)
        day = values[f] = parsed.value if isinstance(parsed.value, dt.date) else None
        if parsed.blank and f == "sent":
            issues.add(row, f, "error", "missing_value", f"chưa có ngày gửi. {_DATE_FIX}", typed)
        elif parsed.code and f == "due":
            issues.add(row, f, "warning", "bad_date", f"{parsed.reason}. Hạn được tính lại theo số ngày làm việc trong Cấu hình.", typed)
        elif parsed.code:
            issues.add(row, f, "error", "bad_date", f"{parsed.reason}." + ("" if "hãy" in parsed.reason else f" {_DATE_FIX}"), typed)
        elif f != "due" and day is not None and day > today:
            issues.add(
                row,
                f,
                "error",
                "future_date",
                f"ngày {fmt_date(day)} chưa tới (hôm nay là {fmt_date(today)}). Hãy kiểm tra lại ngày, tháng, năm.",
                typed,
            )
    sent, completed = values["sent"], values["completed"]
    if isinstance(sent, dt.date) and isinstance(completed, dt.date) and completed < sent:
        message = f"ngày hoàn thành {fmt_date(completed)} trước ngày gửi {fmt_date(sent)}. Hãy kiểm tra lại hai ngày này."
        issues.add(row, "completed", "error", "completed_before_sent", message, record.get("completed"))
    status = classify_status(values["status"], completed if isinstance(completed, dt.date) else None)
    if values["status"] and classify_status(values["status"]) is Status.UNKNOWN:
        message = (
            f"không hiểu trạng thái '{values['status']}', nên phản ánh được tính là chưa xử lý xong. "
            "Hãy dùng trạng thái của hệ thống: Chờ tiếp nhận, Đang xử lý, Hoàn thành, Từ chối, Không thuộc thẩm quyền…"
        )
        issues.add(row, "status", "warning", "unknown_status", message, values["status"])
    if status is Status.RESOLVED and completed is None and "completed" in issues.headers:
        message = f"trạng thái '{values['status']}' nhưng chưa có ngày hoàn thành, nên không tính là đúng hạn. Hãy nhập ngày hoàn thành."
        issues.add(row, "completed", "warning", "missing_completion_date", message, None)
    rating = parse_rating(record.get("rating"))
    if rating.code:
        message = f"{rating.reason}; coi như chưa đánh giá. Hãy ghi Hài lòng / Không hài lòng, hoặc số sao từ 1 đến 5."
        issues.add(row, "rating", "warning", "bad_rating", message, record.get("rating"))
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
            listed = ", ".join(map(str, others[:3])) + (f" và {len(others) - 3} dòng khác" if len(others) > 3 else "")
            if identical:
                copies.add(int(r["row"]))  # type: ignore[call-overload]
                message = f"dòng này lặp lại y hệt phản ánh '{r['id']}' ở dòng {listed}; chỉ tính một lần. Có thể xoá dòng thừa."
                issues.add(int(r["row"]), "id", "warning", "duplicate_id", message, r["id"])  # type: ignore[call-overload]
            else:
                message = (
                    f"mã phản ánh '{r['id']}' trùng với dòng {listed} nhưng nội dung khác nhau, nên chưa tính các dòng này. "
                    "Hãy giữ lại dòng mới nhất (chép lại từ hệ thống) và xoá các dòng kia."
                )
                issues.add(int(r["row"]), "id", "error", "duplicate_id", message, r["id"])  # type: ignore[call-overload]
    return copies
