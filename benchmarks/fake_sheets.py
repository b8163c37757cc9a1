"""A fake Google (OAuth token + Sheets v4) on 127.0.0.1 with injected latency, for benchmarks.

Serves spreadsheets/{key} (metadata), values:batchGet, values/{range} (what gspread's naive path
uses) and the token endpoint, counting every request. Runs in a thread of the benchmark process.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

EPOCH = dt.date(1899, 12, 30)
KEY = "1BenchSheetKey0123456789abcdefghijklmnopqrstuv"


def api_values(rows: list[list[object]]) -> list[list[object]]:
    """Rows as UNFORMATTED_VALUE + SERIAL_NUMBER returns them: dates as serials, blanks as ''."""
    out = []
    for row in rows:
        values = [(v - EPOCH).days if isinstance(v, dt.date) else ("" if v is None else v) for v in row]
        while values and values[-1] == "":
            values.pop()
        out.append(values)
    return out


class FakeSheets:
    """Start with `with FakeSheets(tabs, latency) as fake:`; `fake.url` is the API root, `fake.calls` the counts."""

    def __init__(self, tabs: dict[str, list[list[object]]], latency: float = 0.15) -> None:
        self.tabs = {title: api_values(rows) for title, rows in tabs.items()}
        self.gids = {title: 100 + i for i, title in enumerate(self.tabs)}
        self.latency = latency
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _send(self, body: object, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.count("token")
                self._send({"access_token": "bench-token", "expires_in": 3600, "token_type": "Bearer"})

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = parse_qs(url.query)
                path = unquote(url.path)
                if path.endswith("/values:batchGet"):
                    fake.count("batchGet")
                    ranges = [r[1:-1].replace("''", "'") if r.startswith("'") else r for r in query.get("ranges", [])]
                    self._send({"valueRanges": [{"range": r, "values": fake.tabs.get(r, [])} for r in ranges]})
                elif "/values/" in path:
                    fake.count("values")
                    title = path.split("/values/", 1)[1]
                    title = title[1:-1].replace("''", "'") if title.startswith("'") else title
                    self._send({"range": title, "majorDimension": "ROWS", "values": fake.tabs.get(title, [])})
                else:
                    fake.count("metadata")
                    sheets = [
                        {
                            "properties": {
                                "sheetId": fake.gids[t],
                                "title": t,
                                "index": i,
                                "sheetType": "GRID",
                                "gridProperties": {"rowCount": len(r) + 10, "columnCount": 26},
                            }
                        }
                        for i, (t, r) in enumerate(fake.tabs.items())
                    ]
                    self._send({"spreadsheetId": KEY, "properties": {"title": "Bench", "locale": "vi_VN"}, "sheets": sheets})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v4/spreadsheets"
        self.token_uri = f"http://127.0.0.1:{self.port}/token"

    def count(self, endpoint: str) -> None:
        """Record a request and wait the injected latency."""
        with self._lock:
            self.calls[endpoint] += 1
        time.sleep(self.latency)

    def __enter__(self) -> FakeSheets:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def service_account(token_uri: str) -> dict[str, str]:
    """A throwaway service-account key whose token endpoint is the fake."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return {
        "type": "service_account",
        "project_id": "bench",
        "private_key_id": "bench",
        "private_key": pem,
        "client_email": "bench@bench.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": token_uri,
    }
