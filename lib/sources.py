"""Where the workbook's bytes come from: local .xlsx files and uploads, as raw cell tables.

This is the only module that touches files or the network. Everything it returns is plain
data (`RawWorkbook`), the same shape whatever the source, for `validate` to check.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lib.workbook import RawWorkbook, Rows, SourceError

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]{30,}$")


def sheet_key(text: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL (or a bare key); None if it is neither."""
    text = text.strip()
    if m := _KEY_IN_URL.search(text):
        return m.group(1)
    return text if _BARE_KEY.match(text) else None


class FetchError(SourceError):
    """A remote source failed; `reason` is one of quota, server, network, permission, not_found, malformed, auth, renamed."""

    def __init__(self, reason: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def read_xlsx(data: str | Path | bytes, source: str | None = None, kind: str = "xlsx") -> RawWorkbook:
    """Read every tab of an .xlsx file (path or bytes) with calamine, keeping A1 coordinates."""
    import python_calamine

    label = source or (str(data) if not isinstance(data, bytes) else "tệp tải lên")
    try:
        if isinstance(data, bytes):
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        else:
            book = python_calamine.CalamineWorkbook.from_path(str(data))
    except FileNotFoundError:
        raise SourceError(f"Không tìm thấy tệp '{label}'.") from None
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise SourceError(
            f"Không đọc được '{label}' như một tệp Excel (.xlsx): {type(exc).__name__}. "
            "Hãy mở tệp bằng Excel hoặc Google Sheets và lưu lại dưới dạng .xlsx."
        ) from None
    tabs: dict[str, Rows] = {}
    seen: dict[str, str] = {}  # one object per distinct text: a village's name repeats in every weekly row
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            for row in rows:  # in place: a second copy of a province-size sheet would cost ~20 MB more
                for i, v in enumerate(row):
                    if type(v) is str:
                        row[i] = seen.setdefault(v, v) if v else None
            _fill_merged(rows, sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise SourceError(f"Không đọc được tab '{name}' trong '{label}': {type(exc).__name__}.") from None
        tabs[name] = rows
    return RawWorkbook(tabs=tabs, source=label, kind=kind)


def _fill_merged(rows: Rows, ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Copy a merged range's value into every cell it covers: what the person sees on screen."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
