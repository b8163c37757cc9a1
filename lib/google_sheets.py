"""Google Sheets sources: a service account (gspread 6 + google-auth) or a link-shared sheet.

One refresh is one `values:batchGet` for every tab (UNFORMATTED_VALUE, SERIAL_NUMBER dates), plus
one metadata call for the tab titles, gids and hidden flags, kept until *Làm mới* or a rejected
range asks for it again. Every request has a timeout and every fetch a wall-clock deadline (30 s
for all its requests, retries and waits together: a server that trickles a byte every few seconds
never trips a read timeout); 429/5xx/timeouts/bodies cut short are retried a bounded number of
times (gspread's BackOffHTTPClient never gives up on 429). Every failure, whatever Google sends,
becomes a `FetchError` with a reason and a Vietnamese message that never contains key material.
"""

from __future__ import annotations

import http.client
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
import urllib3

from lib.google_link import LINK_TAB_TITLES, only_tab_title
from lib.sources import FetchError, read_xlsx
from lib.workbook import RawWorkbook, Rows

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
SHEETS_API = "https://sheets.googleapis.com/v4/spreadsheets"
EXPORT_URL = "https://docs.google.com/spreadsheets/d/{key}/export?format=xlsx"
SHEET_URL = "https://docs.google.com/spreadsheets/d/{key}"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
FETCH_DEADLINE_SECONDS = 30.0
T = TypeVar("T")
Timeout = float | tuple[float, float]


@dataclass(frozen=True)
class RetryPolicy:
    """A few tries with exponential backoff within one deadline, then give up: the app falls back to its last snapshot."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0
    deadline: float = FETCH_DEADLINE_SECONDS  # seconds for one whole fetch: every request, retry and wait
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


class _Status(Exception):
    """Google answered with an error status."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status, self.retry_after = status, retry_after


class _Malformed(Exception):
    """Google answered 200 with something that is not what the API documents."""


class _DeadlineExceeded(Exception):
    """The fetch's wall-clock deadline passed."""


MALFORMED = "Google trả về dữ liệu không đọc được. Bảng sẽ tự đọc lại sau ít phút."


def _status_error(status: int, email: str, key: str) -> FetchError:
    if status == 429:
        return FetchError("quota", "Google đang giới hạn số lần đọc Sheet (quá 60 lần mỗi phút). Bảng sẽ tự đọc lại sau ít phút.", status)
    if status in (401, 403):
        who = f"email {email}" if email else "mọi người có đường liên kết"
        return FetchError(
            "permission",
            f"Không có quyền đọc Google Sheet. Hãy mở Sheet → Chia sẻ → thêm {who} với quyền Người xem.",
            status,
        )
    if status == 404:
        return FetchError(
            "not_found", f"Không tìm thấy Google Sheet có mã {key}. Sheet có thể đã bị xoá, hoặc đường dẫn trong cấu hình bị sai.", status
        )
    if status >= 500:
        return FetchError("server", f"Máy chủ Google đang gặp sự cố (mã {status}). Bảng sẽ tự đọc lại sau ít phút.", status)
    return FetchError("server", f"Google từ chối yêu cầu đọc Sheet (mã {status}).", status)


def _network_error(exc: BaseException) -> FetchError:
    if isinstance(exc, requests.Timeout | urllib3.exceptions.TimeoutError):
        what = "hết thời gian chờ"
    elif isinstance(exc, requests.ConnectionError | urllib3.exceptions.NewConnectionError):
        what = "mất kết nối"
    else:
        what = "dữ liệu bị ngắt giữa chừng"
    return FetchError("network", f"Không kết nối được tới Google ({what}). Kiểm tra mạng; bảng sẽ tự đọc lại sau ít phút.")


def _deadline_error(seconds: float) -> FetchError:
    return FetchError(
        "network",
        f"Google trả lời quá chậm: sau {f'{seconds:g}'.replace('.', ',')} giây vẫn chưa đọc xong Sheet. Bảng sẽ tự đọc lại sau ít phút.",
    )


# Everything a request can raise on the way: requests' own errors (which include Timeout and a body
# cut short, ChunkedEncodingError), and urllib3's and http.client's when the body is read as a stream.
_NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)


def with_retry(call: Callable[[float], T], policy: RetryPolicy, email: str = "", key: str = "", deadline: float | None = None) -> T:
    """Run one upstream request, retrying 429/5xx/timeouts a bounded number of times before a wall-clock deadline.

    `call` gets the deadline (a `policy.clock` time) to bound its own reads; `deadline` defaults to
    now + policy.deadline, and is passed in when one fetch makes several requests.
    """
    from google.auth import exceptions as auth_errors

    if deadline is None:
        deadline = policy.clock() + policy.deadline
    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        backoff = policy.base_delay * 2**attempt
        try:
            if policy.clock() >= deadline:
                raise _DeadlineExceeded
            return call(deadline)
        except _DeadlineExceeded:
            raise _deadline_error(policy.deadline) from None
        except _Status as exc:
            failure = _status_error(exc.status, email, key)
            if exc.status not in RETRY_STATUSES or last:
                raise failure from None
            delay = exc.retry_after if exc.retry_after is not None else backoff
        except auth_errors.RefreshError:
            raise FetchError(
                "auth",
                "Khóa của tài khoản dịch vụ không còn dùng được (có thể đã bị thu hồi hoặc xoá). Hãy tạo khóa mới và cập nhật cấu hình bí mật.",
            ) from None
        except (*_NETWORK_ERRORS, auth_errors.TransportError) as exc:
            if policy.clock() >= deadline:
                raise _deadline_error(policy.deadline) from None
            failure = _network_error(exc)
            if last:
                raise failure from None
            delay = backoff
        except (_Malformed, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            raise FetchError("malformed", MALFORMED) from None
        except auth_errors.GoogleAuthError:
            raise FetchError(
                "auth", "Google không cấp quyền đọc cho tài khoản dịch vụ. Hãy kiểm tra tệp khóa trong cấu hình bí mật."
            ) from None
        delay = min(delay, policy.max_delay)
        if policy.clock() + delay >= deadline:
            raise failure from None  # no time left for another try
        policy.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header; None unless it is a finite, non-negative number."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _timeouts(timeout: Timeout) -> tuple[float, float]:
    return (float(timeout), float(timeout)) if isinstance(timeout, int | float) else (float(timeout[0]), float(timeout[1]))


def get_body(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None,
    timeout: Timeout,
    deadline: float,
    clock: Callable[[], float],
    method: str = "GET",
    json_body: Any = None,
) -> bytes:
    """One request (a GET unless told; the write path sends a JSON body) whose answer is read piece by piece, giving up at the deadline."""
    remaining = deadline - clock()
    if remaining <= 0:
        raise _DeadlineExceeded
    connect, read = _timeouts(timeout)
    kwargs: dict[str, Any] = {"params": dict(params or {}), "timeout": (min(connect, remaining), min(read, remaining)), "stream": True}
    if json_body is not None:
        kwargs["json"] = json_body
    if hasattr(session, "credentials"):  # google-auth's AuthorizedSession: bounds the token refresh too
        kwargs["max_allowed_time"] = remaining
    response = session.request(method, url, **kwargs)
    try:
        if not response.ok:
            raise _Status(response.status_code, _retry_after(response.headers.get("Retry-After")))
        chunks: list[bytes] = []
        while True:
            if clock() >= deadline:
                raise _DeadlineExceeded
            chunk = response.raw.read1(1 << 16, decode_content=True)  # what has arrived, not a full buffer's worth
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        response.close()


def _a1_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class SheetMetadata:
    """What one metadata call says: the spreadsheet's title, each tab's gid, and which tabs are hidden."""

    title: str
    gids: dict[str, int]
    hidden: frozenset[str]


def parse_metadata(data: Any) -> SheetMetadata:
    """The spreadsheet metadata, checked field by field: anything else is `_Malformed`."""
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list):
        raise _Malformed("no sheets list")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise _Malformed("properties is not an object")
    gids, hidden = {}, set()
    for sheet in data["sheets"]:
        tab = sheet.get("properties") if isinstance(sheet, dict) else None
        if not isinstance(tab, dict) or not isinstance(tab.get("title"), str):
            raise _Malformed("a sheet without a title")
        gid = tab.get("sheetId", 0)  # proto3 JSON leaves out zero values: the first tab's id is often absent
        if isinstance(gid, str) and gid.isdigit():
            gid = int(gid)
        if type(gid) is not int:
            raise _Malformed("a sheetId that is not a number")
        gids[tab["title"]] = gid
        if tab.get("hidden") is True:
            hidden.add(tab["title"])
    return SheetMetadata(str(properties.get("title", "")), gids, frozenset(hidden))


_CELL_TYPES = frozenset({str, int, float, bool})


def parse_values(data: Any, titles: list[str]) -> dict[str, Rows]:
    """Each tab's rows from a batchGet answer, in the order asked; anything else is `_Malformed`."""
    ranges = data.get("valueRanges") if isinstance(data, dict) else None
    if not isinstance(ranges, list) or len(ranges) != len(titles):
        raise _Malformed("not one value range per tab")
    tabs: dict[str, Rows] = {}
    for title, value_range in zip(titles, ranges, strict=True):
        rows = value_range.get("values", []) if isinstance(value_range, dict) else None
        if not isinstance(rows, list) or not all(type(row) is list for row in rows):
            raise _Malformed("values is not a list of rows")
        if not all(type(cell) in _CELL_TYPES for row in rows for cell in row):
            raise _Malformed("a cell that is not a value")
        tabs[title] = rows
    return tabs


def service_account_credentials(info: Mapping[str, Any], scopes: tuple[str, ...]) -> Any:
    """Credentials for a service-account key asking for these scopes; a broken key is a Vietnamese FetchError."""
    from google.oauth2.service_account import Credentials

    try:
        return Credentials.from_service_account_info(dict(info), scopes=scopes)
    except (ValueError, KeyError, TypeError):
        raise FetchError(
            "auth", "Thông tin tài khoản dịch vụ không hợp lệ (thiếu trường hoặc khóa hỏng). Hãy tải lại tệp khóa JSON từ Google Cloud."
        ) from None


class ServiceAccountReader:
    """Reads a whole spreadsheet with a service account: one batchGet per refresh."""

    def __init__(
        self,
        info: Mapping[str, Any],
        timeout: Timeout = (5, 30),
        policy: RetryPolicy | None = None,
        api_root: str = SHEETS_API,
    ) -> None:
        import gspread

        self.email = str(info.get("client_email", ""))
        credentials = service_account_credentials(info, SCOPES)
        self.http = gspread.HTTPClient(credentials)  # its AuthorizedSession signs every request and renews the token
        self.http.set_timeout(timeout)
        self.policy = policy or RetryPolicy()
        self.api_root = api_root.rstrip("/")  # another root only for a proxy or a local fake (benchmarks)
        self._meta: dict[str, SheetMetadata] = {}

    def _get_json(self, url: str, params: Mapping[str, Any], key: str, deadline: float, parse: Callable[[Any], T]) -> T:
        def call(until: float) -> T:
            body = get_body(self.http.session, url, params, self.http.timeout or (5, 30), until, self.policy.clock)
            return parse(json.loads(body))

        return with_retry(call, self.policy, self.email, key, deadline=deadline)

    def forget(self, key: str) -> None:
        """Drop the cached tab list of a spreadsheet: the next read asks Google for it again."""
        self._meta.pop(key, None)

    def metadata(self, key: str, refresh: bool = False, deadline: float | None = None) -> SheetMetadata:
        """The spreadsheet's title, tabs and hidden tabs, fetched once until forgotten or refreshed."""
        if refresh or key not in self._meta:
            params = {"fields": "properties.title,sheets.properties(sheetId,title,hidden)", "includeGridData": "false"}
            until = deadline if deadline is not None else self.policy.clock() + self.policy.deadline
            self._meta[key] = self._get_json(f"{self.api_root}/{key}", params, key, until, parse_metadata)
        return self._meta[key]

    def _batch_get(self, key: str, titles: list[str], deadline: float) -> dict[str, Rows]:
        params = {
            "valueRenderOption": "UNFORMATTED_VALUE",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
            "ranges": [_a1_title(t) for t in titles],
        }
        return self._get_json(f"{self.api_root}/{key}/values:batchGet", params, key, deadline, lambda data: parse_values(data, titles))

    def read(self, key: str) -> RawWorkbook:
        """Every tab's values in one request, within one deadline; a rejected range (tab renamed or deleted) refreshes the tab list once."""
        deadline = self.policy.clock() + self.policy.deadline
        meta = self.metadata(key, deadline=deadline)
        try:
            tabs = self._batch_get(key, list(meta.gids), deadline)
        except FetchError as exc:
            if exc.status != 400:
                raise
            meta = self.metadata(key, refresh=True, deadline=deadline)
            tabs = self._batch_get(key, list(meta.gids), deadline)
        url = SHEET_URL.format(key=key)
        return RawWorkbook(tabs=tabs, source=f"{url}/edit", kind="google", sheet_url=url, gids=dict(meta.gids), hidden_tabs=meta.hidden)


def _link_gids(http: requests.Session, key: str, gid: int, timeout: Timeout, policy: RetryPolicy) -> dict[str, int]:
    """{title: gid} for the tab the configured URL points at, from one export of that tab alone; {} if it cannot be learnt.

    The xlsx export of a whole workbook carries no tab ids, so a link-shared sheet's cell links can only
    open the tab whose id the URL gave. A failure here never fails the read: the issues still say tab and row.
    """
    if (key, gid) not in LINK_TAB_TITLES:
        url = f"{EXPORT_URL.format(key=key)}&gid={gid}"
        try:
            content = get_body(http, url, None, timeout, policy.clock() + policy.deadline / 3, policy.clock)
        except (_Status, _DeadlineExceeded, *_NETWORK_ERRORS):
            return {}
        title = only_tab_title(content) if content.startswith(b"PK") else None
        if title is None:
            return {}
        LINK_TAB_TITLES[(key, gid)] = title
    return {LINK_TAB_TITLES[(key, gid)]: gid}


def read_link(
    key: str,
    timeout: Timeout = (5, 30),
    policy: RetryPolicy | None = None,
    session: requests.Session | None = None,
    gid: int | None = None,
) -> RawWorkbook:
    """A link-shared sheet ('anyone with the link can view'): the whole workbook in one xlsx export.

    With the tab id of the URL the user gave (`gid`), issues on that tab link to their cell.
    """
    http = session or requests.Session()
    policy = policy or RetryPolicy()
    content = with_retry(lambda until: get_body(http, EXPORT_URL.format(key=key), None, timeout, until, policy.clock), policy, key=key)
    if not content.startswith(b"PK"):
        # Google answers a private sheet's export with its sign-in page, not an error status.
        raise FetchError(
            "permission",
            "Sheet chưa được chia sẻ công khai. Hãy mở Sheet → Chia sẻ → Quyền truy cập chung: 'Bất kỳ ai có đường liên kết' → Người xem.",
            403,
        )
    url = SHEET_URL.format(key=key)
    raw = read_xlsx(content, source=f"{url}/edit", kind="link")
    raw.sheet_url = url
    if gid is not None:
        raw.gids = {title: g for title, g in _link_gids(http, key, gid, timeout, policy).items() if title in raw.tabs}
    return raw
