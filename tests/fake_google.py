"""A fake Google at the HTTP edge (the `responses` library): OAuth token, Sheets v4 metadata and
values:batchGet, and the xlsx export of a link-shared sheet. The real gspread and google-auth code
runs in between; faults are queued per endpoint."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import http.server
import io
import json
import re
import threading
from collections import defaultdict, deque
from typing import Self
from urllib.parse import parse_qs, unquote, urlparse

import requests
import responses

from lib.normalize import SHEETS_EPOCH

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-sgx"
SHEET_URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
TOKEN_URI = "https://oauth2.googleapis.com/token"
API = "https://sheets.googleapis.com/v4/spreadsheets"


@functools.cache
def private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def service_account_info() -> dict[str, str]:
    return {
        "type": "service_account",
        "project_id": "son-giang-test",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": private_key_pem(),
        "client_email": "dashboard@son-giang-test.iam.gserviceaccount.com",
        "client_id": "123456789012345678901",
        "token_uri": TOKEN_URI,
    }


def key_material() -> list[str]:
    """Strings that must never appear in any output: the key body and its id."""
    body = "".join(private_key_pem().splitlines()[1:-1])
    return [body[i : i + 40] for i in range(0, len(body) - 40, 200)] + [service_account_info()["private_key_id"]]


def as_api_values(rows: list[list[object]]) -> list[list[object]]:
    """Rows as the Sheets API returns them with UNFORMATTED_VALUE + SERIAL_NUMBER: dates as serials, no trailing blanks."""
    out = []
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, dt.date):
                values.append((v - SHEETS_EPOCH).days)
            elif v is None:
                values.append("")
            else:
                values.append(v)
        while values and values[-1] == "":
            values.pop()
        out.append(values)
    return out


def reply(status: int = 200, body: object = "", **headers: str) -> tuple[int, dict[str, str], str]:
    """A fault that is a whole answer: a status, a body (JSON-encoded unless it is text) and headers."""
    text = body if isinstance(body, str) else json.dumps(body)
    return (status, {"Content-Type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}, text)


class FakeGoogle:
    """Register with a responses.RequestsMock; set `tabs`, queue faults, read `calls`."""

    def __init__(self, mock: responses.RequestsMock, tabs: dict[str, list[list[object]]]) -> None:
        self.tabs = {title: as_api_values(rows) for title, rows in tabs.items()}
        self.gids = {title: 1000 + i for i, title in enumerate(self.tabs)}
        self.hidden: set[str] = set()
        self.faults: dict[str, deque] = defaultdict(deque)
        self.calls: dict[str, int] = defaultdict(int)
        self.token_requests: list[str] = []
        self.xlsx: bytes | None = None
        mock.add_callback(responses.POST, TOKEN_URI, callback=self._token)
        mock.add_callback(responses.GET, re.compile(re.escape(f"{API}/{KEY}/values:batchGet") + r".*"), callback=self._batch_get)
        mock.add_callback(responses.GET, re.compile(re.escape(f"{API}/") + r"[^/?]+(\?.*)?$"), callback=self._metadata)
        mock.add_callback(responses.GET, re.compile(r"https://docs\.google\.com/spreadsheets/d/[^/]+/export.*"), callback=self._export)
        # The report form's write path: values:append, values.get of one range (to find a submission id), values.update.
        self.locale = "vi_VN"  # how USER_ENTERED text would be parsed; RAW keeps text as text in any locale
        self.appends: list[dict] = []
        values = re.escape(f"{API}/{KEY}/values/")
        mock.add_callback(responses.POST, re.compile(values + r"[^?]+:append(\?.*)?$"), callback=self._append)
        mock.add_callback(responses.GET, re.compile(values + r"[^?]+(\?.*)?$"), callback=self._values_get)
        mock.add_callback(responses.PUT, re.compile(values + r"[^?]+(\?.*)?$"), callback=self._update)

    def fail(self, endpoint: str, *faults: object) -> None:
        """Queue faults for an endpoint (token, metadata, batchGet, export, append, values, update): a status, 'timeout',
        'reset', 'malformed', 'truncated' (the connection closes before the body announced by Content-Length is complete),
        a `reply(...)`, or for append 'wrote-then-timeout' (Google wrote the row, the answer never came)."""
        self.faults[endpoint].extend(faults)

    def add_tab(self, title: str, rows: list[list[object]]) -> None:
        self.tabs[title] = as_api_values(rows)
        self.gids[title] = 1000 + len(self.gids)

    def rename(self, old: str, new: str) -> None:
        self.tabs = {(new if t == old else t): rows for t, rows in self.tabs.items()}
        self.gids = {(new if t == old else t): gid for t, gid in self.gids.items()}

    def _fault(self, endpoint: str):
        self.calls[endpoint] += 1
        if not self.faults[endpoint] or self.faults[endpoint][0] == "wrote-then-timeout":
            return None
        fault = self.faults[endpoint].popleft()
        if fault == "timeout":
            raise requests.exceptions.ReadTimeout("fake read timeout")
        if fault == "reset":
            raise requests.exceptions.ConnectionError("fake connection reset by peer")
        if fault == "malformed":
            return (200, {"Content-Type": "application/json"}, "{not json")
        if fault == "truncated":
            return (200, {"Content-Type": "application/json", "Content-Length": "4096"}, '{"spreadsheetId": "')
        if isinstance(fault, tuple):
            return fault
        if isinstance(fault, int):
            body = {"error": {"code": fault, "message": f"fake {fault}", "status": "FAKE"}}
            return (fault, {"Content-Type": "application/json"}, json.dumps(body))
        raise AssertionError(f"unknown fault {fault!r}")

    def _token(self, request):
        if (fault := self._fault("token")) is not None:
            if fault[0] >= 400:
                return (
                    400,
                    {"Content-Type": "application/json"},
                    json.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
                )
            return fault
        assertion = parse_qs(request.body if isinstance(request.body, str) else request.body.decode())["assertion"][0]
        payload = assertion.split(".")[1]
        self.token_requests.append(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["scope"])
        return (
            200,
            {"Content-Type": "application/json"},
            json.dumps({"access_token": "ya29.fake-token", "expires_in": 3600, "token_type": "Bearer"}),
        )

    def _metadata(self, request):
        if (fault := self._fault("metadata")) is not None:
            return fault
        key = urlparse(request.url).path.rsplit("/", 1)[-1]
        self.last_metadata_fields = parse_qs(urlparse(request.url).query).get("fields", [""])[0]
        if key != KEY:
            return (
                404,
                {"Content-Type": "application/json"},
                json.dumps({"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}),
            )
        sheets = [{"properties": {"sheetId": self.gids[t], "title": t} | ({"hidden": True} if t in self.hidden else {})} for t in self.tabs]
        return (200, {"Content-Type": "application/json"}, json.dumps({"properties": {"title": "Báo cáo i-HaTinh"}, "sheets": sheets}))

    def _batch_get(self, request):
        if (fault := self._fault("batchGet")) is not None:
            return fault
        query = parse_qs(urlparse(request.url).query)
        self.last_params = query
        value_ranges = []
        for a1 in query.get("ranges", []):
            title = unquote(a1)
            title = title[1:-1].replace("''", "'") if title.startswith("'") else title
            if title not in self.tabs:
                body = {"error": {"code": 400, "message": f"Unable to parse range: {a1}", "status": "INVALID_ARGUMENT"}}
                return (400, {"Content-Type": "application/json"}, json.dumps(body))
            value_ranges.append({"range": a1, "majorDimension": "ROWS", "values": self.tabs[title]})
        return (200, {"Content-Type": "application/json"}, json.dumps({"spreadsheetId": KEY, "valueRanges": value_ranges}))

    # --- the write path -------------------------------------------------------------------

    def rows(self, title: str) -> list[list[object]]:
        """A tab's rows as batchGet returns them."""
        return self.tabs[title]

    @staticmethod
    def _range(request, suffix: str = "") -> tuple[str, int | None, int, int | None]:
        """(tab title, first row 1-based or None, first column 0-based, last column 0-based or None) of the URL's A1 range."""
        a1 = unquote(urlparse(request.url).path.split("/values/", 1)[1])
        a1 = a1.removesuffix(suffix)
        title, _, cells = a1.rpartition("!") if "!" in a1 else (a1, "", "")
        title = title[1:-1].replace("''", "'") if title.startswith("'") else title
        parts = [re.fullmatch(r"([A-Z]*)(\d*)", p) for p in cells.split(":")] if cells else []

        def col(letters: str) -> int:
            n = 0
            for ch in letters:
                n = n * 26 + ord(ch) - 64
            return n - 1

        first_row = int(parts[0].group(2)) if parts and parts[0].group(2) else None
        first_col = col(parts[0].group(1)) if parts and parts[0].group(1) else 0
        last_col = col(parts[-1].group(1)) if parts and parts[-1].group(1) else None
        return title, first_row, first_col, last_col

    def _entered(self, value: object, option: str) -> object:
        """A value as Sheets stores it: RAW as sent; USER_ENTERED text parsed the way the sheet's locale parses typing."""
        if option == "RAW" or not isinstance(value, str):
            return value
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            day, month = (a, b) if self.locale == "vi_VN" else (b, a)
            try:
                return (dt.date(year, month, day) - SHEETS_EPOCH).days
            except ValueError:
                return value  # not a date in this locale: stays text
        return value

    def _append(self, request):
        queued = self.faults["append"]
        wrote_then_timeout = bool(queued) and queued[0] == "wrote-then-timeout"
        if wrote_then_timeout:
            queued.popleft()
            self.calls["append"] += 1
        elif (fault := self._fault("append")) is not None:
            return fault
        query = parse_qs(urlparse(request.url).query)
        body = json.loads(request.body)
        title, first_row, first_col, _ = self._range(request, ":append")
        if title not in self.tabs:
            return reply(400, {"error": {"code": 400, "message": f"Unable to parse range: {title}", "status": "INVALID_ARGUMENT"}})
        option = query["valueInputOption"][0]
        self.appends.append({"query": query, "body": body, "tab": title})
        rows = self.tabs[title]
        # The table: from the range's row down to the last row before a blank one; the new row goes right below it.
        start = (first_row or 1) - 1
        while start < len(rows) and not any(v != "" for v in rows[start]):
            start += 1
        end = start
        while end < len(rows) and any(v != "" for v in rows[end]):
            end += 1
        new = [""] * first_col + [self._entered(v, option) for v in body["values"][0]]
        while new and new[-1] == "":
            new.pop()
        if query.get("insertDataOption", ["OVERWRITE"])[0] == "INSERT_ROWS":
            rows.insert(end, new)
        else:
            rows[end : end + 1] = [new]
        written = f"'{title}'!A{end + 1}:{chr(65 + len(new) - 1)}{end + 1}"
        if wrote_then_timeout:
            raise requests.exceptions.ReadTimeout("fake read timeout after the row was written")
        updates = {"spreadsheetId": KEY, "updatedRange": written, "updatedRows": 1, "updatedColumns": len(new), "updatedCells": len(new)}
        return (200, {"Content-Type": "application/json"}, json.dumps({"spreadsheetId": KEY, "tableRange": title, "updates": updates}))

    def _values_get(self, request):
        if (fault := self._fault("values")) is not None:
            return fault
        title, first_row, first_col, last_col = self._range(request)
        if title not in self.tabs:
            return reply(400, {"error": {"code": 400, "message": f"Unable to parse range: {title}", "status": "INVALID_ARGUMENT"}})
        last = first_col if last_col is None else last_col
        columns = [[row[c] if c < len(row) else "" for row in self.tabs[title]] for c in range(first_col, last + 1)]
        for column in columns:
            while column and column[-1] == "":
                column.pop()
        body = {"range": title, "majorDimension": "COLUMNS"} | ({"values": columns} if any(columns) else {})
        return (200, {"Content-Type": "application/json"}, json.dumps(body))

    def _update(self, request):
        if (fault := self._fault("update")) is not None:
            return fault
        title, first_row, first_col, _ = self._range(request)
        option = parse_qs(urlparse(request.url).query)["valueInputOption"][0]
        rows = self.tabs[title]
        for r, values in enumerate(json.loads(request.body)["values"]):
            index = (first_row or 1) - 1 + r
            while len(rows) <= index:
                rows.append([])
            row = rows[index]
            for c, value in enumerate(values):
                while len(row) <= first_col + c:
                    row.append("")
                row[first_col + c] = self._entered(value, option)
        return (200, {"Content-Type": "application/json"}, json.dumps({"spreadsheetId": KEY, "updatedCells": 1}))

    def _export(self, request):
        if (fault := self._fault("export")) is not None:
            return fault
        if self.xlsx is None:
            return (200, {"Content-Type": "text/html"}, "<html>Đăng nhập - Tài khoản Google</html>")
        gid = parse_qs(urlparse(request.url).query).get("gid")
        if gid:  # one tab alone, as Google exports `&gid=…`; an unknown gid is Google's error page
            self.calls["export_gid"] += 1
            titles = [t for t, g in self.gids.items() if str(g) == gid[0]]
            if not titles:
                return (400, {"Content-Type": "text/html"}, "<html>Không tìm thấy trang tính</html>")
            body = xlsx_bytes({titles[0]: self.tabs[titles[0]]})
            return (200, {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, body)
        return (200, {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, self.xlsx)


def xlsx_bytes(tabs: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in tabs.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _LoopbackServer:
    """A fake Google on 127.0.0.1 in a thread of its own: its API root, a key whose token URI points at it, start and stop."""

    def _serve(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api = f"{self.root}/v4/spreadsheets"

    def info(self) -> dict[str, str]:
        return service_account_info() | {"token_uri": f"{self.root}/token"}

    def _closing(self) -> None:
        """What a subclass must release before the server stops (nothing by default)."""

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class SlowGoogle(_LoopbackServer):
    """A real HTTP server on loopback that answers like Google, but sends batchGet's body one byte every `every` seconds.

    `responses` cannot model time: only a socket that really trickles shows whether a read timeout
    (which restarts at every byte) or a wall-clock deadline bounds a fetch. Use as a context manager;
    `info()` is a service account whose token URI points here, `api` the Sheets API root.
    """

    def __init__(self, every: float = 0.25, body: bytes = b'{"valueRanges": []}' + b" " * 400) -> None:
        import http.server
        import threading

        self.every, self.body, self.batch_gets = every, body, 0
        self.stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _send(self, body: bytes, trickle: bool = False) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                for i in range(len(body)) if trickle else ():
                    if outer.stop.wait(outer.every):
                        return
                    try:
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                    except OSError:  # the client gave up: what the deadline is for
                        return
                if not trickle:
                    self.wfile.write(body)

            def do_POST(self) -> None:  # the OAuth token
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._send(json.dumps({"access_token": "ya29.slow", "expires_in": 3600, "token_type": "Bearer"}).encode())

            def do_GET(self) -> None:
                if "values:batchGet" in self.path:
                    outer.batch_gets += 1
                    self._send(outer.body, trickle=True)
                else:
                    sheets = [{"properties": {"sheetId": 0, "title": "Thôn"}}]
                    self._send(json.dumps({"properties": {"title": "Chậm"}, "sheets": sheets}).encode())

        self._serve(Handler)

    def _closing(self) -> None:
        self.stop.set()


class LoopbackGoogle(_LoopbackServer):
    """FakeGoogle's answers served over real HTTP on 127.0.0.1, for a real `streamlit run` and `python -m lib` (browser tests).

    `info()` is a service account whose token URI points here; `api` is the Sheets API root to put in
    SONGIANG_SHEETS_API; `fake` is the FakeGoogle behind it (its tabs, appends and calls).
    """

    def __init__(self, tabs: dict[str, list[list[object]]]) -> None:
        import http.server
        import threading
        from types import SimpleNamespace

        class NoMock:
            @staticmethod
            def add_callback(*args: object, **kwargs: object) -> None:
                pass

        self.fake = FakeGoogle(NoMock(), tabs)
        lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                request = SimpleNamespace(url=f"{outer.root}{self.path}", body=body)
                path = urlparse(self.path).path
                fake = outer.fake
                if path == "/token":
                    route = fake._token
                elif path.endswith("/values:batchGet"):
                    route = fake._batch_get
                elif "/values/" in path and self.command == "POST":
                    route = fake._append
                elif "/values/" in path and self.command == "PUT":
                    route = fake._update
                elif "/values/" in path:
                    route = fake._values_get
                else:
                    route = fake._metadata
                with lock:
                    status, headers, text = route(request)
                data = text if isinstance(text, bytes) else text.encode()
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(data))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _answer

        self._serve(Handler)
