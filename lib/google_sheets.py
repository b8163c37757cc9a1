"""Google Sheets sources: a service account (gspread 6 + google-auth) or a link-shared sheet.

One refresh is one `values:batchGet` for every tab (UNFORMATTED_VALUE, SERIAL_NUMBER dates), plus
one metadata call per process for the tab titles and gids. Every request has a timeout, and
429/5xx/timeouts are retried a bounded number of times (gspread's BackOffHTTPClient never gives
up on 429). Failures become `FetchError`s with a reason and a Vietnamese message that never
contains key material.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from lib.sources import FetchError, RawWorkbook, SourceError, read_xlsx, sheet_key  # noqa: F401 - sheet_key re-exported

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
SHEETS_API = "https://sheets.googleapis.com/v4/spreadsheets"
EXPORT_URL = "https://docs.google.com/spreadsheets/d/{key}/export?format=xlsx"
SHEET_URL = "https://docs.google.com/spreadsheets/d/{key}"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """A few tries with exponential backoff, then give up: the app falls back to its last snapshot."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0
    sleep: Callable[[float], None] = time.sleep


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


def _network_error(exc: Exception) -> FetchError:
    what = "hết thời gian chờ" if isinstance(exc, requests.Timeout) else "mất kết nối"
    return FetchError("network", f"Không kết nối được tới Google ({what}). Kiểm tra mạng; bảng sẽ tự đọc lại sau ít phút.")


def with_retry(call: Callable[[], T], policy: RetryPolicy, email: str = "", key: str = "") -> T:
    """Run one upstream request, retrying 429/5xx/timeouts a bounded number of times."""
    import gspread
    from google.auth import exceptions as auth_errors

    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        try:
            return call()
        except gspread.exceptions.APIError as exc:
            status = exc.response.status_code
            if status not in RETRY_STATUSES or last:
                raise _status_error(status, email, key) from None
            delay = _retry_after(exc.response) or policy.base_delay * 2**attempt
        except (requests.Timeout, requests.ConnectionError) as exc:
            if last:
                raise _network_error(exc) from None
            delay = policy.base_delay * 2**attempt
        except auth_errors.TransportError as exc:
            if last:
                raise _network_error(exc) from None
            delay = policy.base_delay * 2**attempt
        except auth_errors.RefreshError:
            raise FetchError(
                "auth",
                "Khóa của tài khoản dịch vụ không còn dùng được (có thể đã bị thu hồi hoặc xoá). Hãy tạo khóa mới và cập nhật cấu hình bí mật.",
            ) from None
        except (ValueError, KeyError, TypeError):
            raise FetchError("malformed", "Google trả về dữ liệu không đọc được. Bảng sẽ tự đọc lại sau ít phút.") from None
        policy.sleep(min(delay, policy.max_delay))
    raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _a1_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


class ServiceAccountReader:
    """Reads a whole spreadsheet with a service account: one batchGet per refresh."""

    def __init__(
        self,
        info: Mapping[str, Any],
        timeout: float | tuple[float, float] = (5, 30),
        policy: RetryPolicy | None = None,
        api_root: str = SHEETS_API,
    ) -> None:
        import gspread
        from google.oauth2.service_account import Credentials

        self.email = str(info.get("client_email", ""))
        try:
            credentials = Credentials.from_service_account_info(dict(info), scopes=SCOPES)
        except (ValueError, KeyError, TypeError):
            raise FetchError(
                "auth", "Thông tin tài khoản dịch vụ không hợp lệ (thiếu trường hoặc khóa hỏng). Hãy tải lại tệp khóa JSON từ Google Cloud."
            ) from None
        self.http = gspread.HTTPClient(credentials)
        self.http.set_timeout(timeout)
        self.policy = policy or RetryPolicy()
        self.api_root = api_root.rstrip("/")  # another root only for a proxy or a local fake (benchmarks)
        self._meta: dict[str, tuple[str, dict[str, int]]] = {}

    def _get(self, url: str, params: Mapping[str, Any], key: str) -> Any:
        return with_retry(lambda: self.http.request("get", url, params=dict(params)).json(), self.policy, self.email, key)

    def metadata(self, key: str, refresh: bool = False) -> tuple[str, dict[str, int]]:
        """(spreadsheet title, {tab title: gid}), fetched once per process unless refreshed."""
        if refresh or key not in self._meta:
            params = {"fields": "properties.title,sheets.properties(sheetId,title)", "includeGridData": "false"}
            data = self._get(f"{self.api_root}/{key}", params, key)
            tabs = {str(s["properties"]["title"]): int(s["properties"]["sheetId"]) for s in data["sheets"]}
            self._meta[key] = (str(data.get("properties", {}).get("title", "")), tabs)
        return self._meta[key]

    def _batch_get(self, key: str, titles: list[str]) -> dict[str, Any]:
        params = {
            "valueRenderOption": "UNFORMATTED_VALUE",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
            "ranges": [_a1_title(t) for t in titles],
        }
        return self._get(f"{self.api_root}/{key}/values:batchGet", params, key)

    def read(self, key: str) -> RawWorkbook:
        """Every tab's values in one request; a renamed tab refreshes the metadata once."""
        title, gids = self.metadata(key)
        try:
            data = self._batch_get(key, list(gids))
        except FetchError as exc:
            if exc.status != 400:
                raise
            title, gids = self.metadata(key, refresh=True)  # a tab was renamed or deleted since it was cached
            data = self._batch_get(key, list(gids))
        try:
            ranges = data.get("valueRanges", [])
            tabs = {t: [list(row) for row in ranges[i].get("values", [])] for i, t in enumerate(gids)}
        except (AttributeError, IndexError, TypeError):
            raise FetchError("malformed", "Google trả về dữ liệu không đọc được. Bảng sẽ tự đọc lại sau ít phút.") from None
        url = SHEET_URL.format(key=key)
        return RawWorkbook(tabs=tabs, source=f"{url}/edit", kind="google", sheet_url=url, gids=gids)


def read_link(
    key: str, timeout: float | tuple[float, float] = (5, 30), policy: RetryPolicy | None = None, session: requests.Session | None = None
) -> RawWorkbook:
    """A link-shared sheet ('anyone with the link can view'): the whole workbook in one xlsx export."""
    import gspread

    http = session or requests.Session()
    policy = policy or RetryPolicy()

    def get() -> requests.Response:
        response = http.get(EXPORT_URL.format(key=key), timeout=timeout)
        if not response.ok:
            raise gspread.exceptions.APIError(response)
        return response

    response = with_retry(get, policy, key=key)
    if not response.content.startswith(b"PK"):
        # Google answers a private sheet's export with its sign-in page, not an error status.
        raise FetchError(
            "permission",
            "Sheet chưa được chia sẻ công khai. Hãy mở Sheet → Chia sẻ → Quyền truy cập chung: 'Bất kỳ ai có đường liên kết' → Người xem.",
            403,
        )
    url = SHEET_URL.format(key=key)
    raw = read_xlsx(response.content, source=f"{url}/edit", kind="link")
    raw.sheet_url = url
    return raw


def load_key_file(path: str) -> dict[str, Any]:
    """A service-account JSON key file, with a Vietnamese error that never quotes its content."""
    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except FileNotFoundError:
        raise SourceError(f"Không tìm thấy tệp khóa tài khoản dịch vụ '{path}'.") from None
    except (OSError, ValueError):
        raise SourceError(f"Tệp '{path}' không phải tệp khóa JSON của tài khoản dịch vụ.") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise SourceError(f"Tệp '{path}' không phải tệp khóa JSON của tài khoản dịch vụ.")
    return info
