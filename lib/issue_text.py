"""An issue's "where" and "what", for places that show them apart (a table's column, a card's heading).

Every issue message opens with where it is, in words then the cell ("Tab Báo cáo thôn, dòng 77, cột Số hộ
đã cài đặt (ô C77): …"), built by `lib.validation.messages.place`. A table that has a column for the place
shows the rest of the sentence beside it, so the place is never read twice.
"""

from __future__ import annotations

import pandas as pd

from lib.fmt import missing
from lib.validation.messages import place


def where(sheet: str, row: object, header: object, cell: object) -> str:
    """Where an issue is, from its record's fields (a missing row is None or pandas' NA)."""
    number = None if missing(row) else int(row)  # type: ignore[call-overload]
    return place(str(sheet), number, "" if missing(header) else str(header), str(cell or ""))


def what(message: str, sheet: str, row: object, header: object, cell: object) -> str:
    """The message without the place it opens with (capitalised), or the whole message when it names no place."""
    at = where(sheet, row, header, cell)
    for joint in (": ", ", "):
        if message.startswith(at + joint):
            rest = message[len(at) + len(joint) :]
            return rest[:1].upper() + rest[1:]
    return message


def where_and_what(issues: pd.DataFrame) -> tuple[list[str], list[str]]:
    """`where` and `what` of every issue of a frame (the contract's columns)."""
    records = list(zip(issues["message"], issues["sheet"], issues["row"], issues["column"], issues["cell"], strict=True))
    return [where(s, r, h, c) for _, s, r, h, c in records], [what(m, s, r, h, c) for m, s, r, h, c in records]
