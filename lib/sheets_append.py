"""The report form's write path: append one row to the shared Sheet with the service account.

Only this module asks Google for the scope `spreadsheets` (read and write: the account must be an
Editor of the sheet); the reader keeps `spreadsheets.readonly`. A row goes in with
`values:append` (valueInputOption=RAW, so a note is never a formula and dd/mm/yyyy stays the text
the reader parses in any sheet locale; insertDataOption=INSERT_ROWS). Appending is not idempotent:
every try after the first looks for the row's submission id (its Mã gửi cell) in the tab before
appending again, so a timeout after Google wrote, a 503 then a retry, or a delivery interrupted and
taken up later, leaves one row. Tries, backoff and the 30 s deadline are the reader's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lib.google_sheets import SHEETS_API, RetryPolicy, Timeout, _a1_title, _Malformed, get_body, service_account_credentials, with_retry
from lib.normalize import column_letter
from lib.sources import FetchError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
ID_HEADER = "Mã gửi"
FOUND = "đã có sẵn trên Sheet"  # what `deliver` returns when an earlier try had already written the row


@dataclass(frozen=True)
class AppendTarget:
    """One row to append: the spreadsheet, the tab, where its header's table starts, and the row from column A."""

    key: str
    tab: str
    header_row: int  # 0-based
    first_column: int  # 0-based: Google appends from the first column of the table it finds
    id_column: int  # 0-based column of Mã gửi
    id_header_missing: bool  # write the Mã gửi header cell before the first append
    row: tuple[object, ...]
    submission_id: str

    @property
    def append_range(self) -> str:
        """The header row as an A1 range: Google finds the table there and appends below its last row."""
        last = max(len(self.row) - 1, self.first_column)
        line = self.header_row + 1
        return f"{_a1_title(self.tab)}!{column_letter(self.first_column)}{line}:{column_letter(last)}{line}"

    @property
    def id_range(self) -> str:
        """The whole Mã gửi column."""
        letter = column_letter(self.id_column)
        return f"{_a1_title(self.tab)}!{letter}:{letter}"

    @property
    def id_header_range(self) -> str:
        """The Mã gửi header cell."""
        return f"{_a1_title(self.tab)}!{column_letter(self.id_column)}{self.header_row + 1}"


def _write_error(exc: FetchError, email: str, tab: str) -> FetchError:
    """The reader's message for a failure, said for writing where it differs."""
    if exc.reason == "permission":
        who = f"email {email}" if email else "tài khoản dịch vụ"
        return FetchError(
            "permission",
            f"Tài khoản dịch vụ chưa có quyền sửa Google Sheet. Hãy mở Sheet → Chia sẻ → đặt quyền của {who} là Người chỉnh sửa.",
            exc.status,
        )
    if exc.status == 400:
        return FetchError("renamed", f"Google không nhận dòng báo cáo vào tab '{tab}' (mã 400): có thể tab vừa bị đổi tên hoặc xoá.", 400)
    return exc


class SheetWriter:
    """Appends report rows with a service account (scope `spreadsheets`)."""

    def __init__(
        self, info: Mapping[str, Any], timeout: Timeout = (5, 20), policy: RetryPolicy | None = None, api_root: str = SHEETS_API
    ) -> None:
        from google.auth.transport.requests import AuthorizedSession

        self.email = str(info.get("client_email", ""))
        self.session = AuthorizedSession(service_account_credentials(info, SCOPES))
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.api_root = api_root.rstrip("/")

    def _json(self, method: str, key: str, a1: str, suffix: str, params: Mapping[str, Any], body: Any, deadline: float) -> Any:
        url = f"{self.api_root}/{key}/values/{quote(a1, safe='')}{suffix}"
        raw = get_body(self.session, url, params, self.timeout, deadline, self.policy.clock, method, body)
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise _Malformed("not an object")
        return data

    def contains(self, target: AppendTarget, deadline: float) -> bool:
        """Whether the tab already holds a row with this submission id."""
        data = self._json(
            "GET", target.key, target.id_range, "", {"majorDimension": "COLUMNS", "valueRenderOption": "UNFORMATTED_VALUE"}, None, deadline
        )
        columns = data.get("values", [])
        if not isinstance(columns, list) or not all(isinstance(c, list) for c in columns):
            raise _Malformed("values is not a list of columns")
        return any(str(v).strip() == target.submission_id for column in columns for v in column)

    def append(self, target: AppendTarget, deadline: float) -> str:
        """One values:append of the row; returns the range Google says it wrote."""
        if target.id_header_missing:
            header = {"range": target.id_header_range, "majorDimension": "ROWS", "values": [[ID_HEADER]]}
            self._json("PUT", target.key, target.id_header_range, "", {"valueInputOption": "RAW"}, header, deadline)
        values = [list(target.row[target.first_column :])]
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS", "includeValuesInResponse": "false"}
        body = {"range": target.append_range, "majorDimension": "ROWS", "values": values}
        data = self._json("POST", target.key, target.append_range, ":append", params, body, deadline)
        updates = data.get("updates")
        if not isinstance(updates, dict) or updates.get("updatedRows") != 1:
            raise _Malformed("append did not write one row")
        return str(updates.get("updatedRange", ""))

    def deliver(self, target: AppendTarget, tried_before: bool) -> str:
        """Append the row exactly once: every try after the very first looks for its id first. Returns the range written (or FOUND)."""
        tries = 0

        def attempt(deadline: float) -> str:
            nonlocal tries
            first = tries == 0 and not tried_before
            tries += 1
            if not first and self.contains(target, deadline):
                return FOUND
            return self.append(target, deadline)

        try:
            return with_retry(attempt, self.policy, self.email, target.key)
        except FetchError as exc:
            raise _write_error(exc, self.email, target.tab) from None
