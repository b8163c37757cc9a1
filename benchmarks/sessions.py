"""Sessions against a running app, for the paint, concurrency, replicas and phone sections: a page painted in
headless Chromium, a websocket session as the browser opens it, and the environment of an app on the fake Google."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from benchmarks.common import TODAY
from benchmarks.fake_sheets import KEY, FakeSheets, service_account
from harness.browser import launch


async def paint(browser: Any, url: str, charts: int, metrics: int) -> float:
    """Seconds from opening url until `charts` plotly charts and `metrics` metrics are drawn and the run finished."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    start = time.perf_counter()
    await page.goto(url, timeout=180_000)
    await page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts} && "
        f"document.querySelectorAll('[data-testid=\"stMetric\"]').length >= {metrics} && "
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=120_000,
    )
    elapsed = time.perf_counter() - start
    await page.close()
    return elapsed


async def browser_sessions(url: str, n: int) -> list[float]:
    """n Chromium pages opened at once on the overview: the seconds each took to render."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p.chromium)
        results = await asyncio.gather(*[paint(browser, url, 2, 6) for _ in range(n)], return_exceptions=True)
        await browser.close()
    return [r for r in results if isinstance(r, float)]  # a session that never rendered is left out, and counted


@contextlib.asynccontextmanager
async def open_session(url: str) -> AsyncIterator[float]:
    """One real websocket session, as the browser opens it: rerun the default page, and once it has finished
    yield the seconds that took; the session stays open (connected, as a viewer's tab is) until the block ends."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        await ws.send(back.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=300))
            if forward.WhichOneof("type") == "script_finished":
                break
        yield time.perf_counter() - start


async def _ws_session(url: str) -> float:
    """One session, closed as soon as its first run has finished: the seconds that took."""
    async with open_session(url) as seconds:
        return seconds


async def ws_sessions(urls: list[str], n: int) -> list[float]:
    """n sessions opened at once, dealt round-robin to the replicas (a load balancer with sticky sessions)."""
    results = await asyncio.gather(*[_ws_session(urls[i % len(urls)]) for i in range(n)], return_exceptions=True)
    return [r for r in results if isinstance(r, float)]


def on_fake_google(fake: FakeSheets, folder: Path, store_url: str) -> dict[str, str]:
    """The settings of an app that reads the fake Google's sheet with a throw-away key and keeps history at store_url."""
    key_file = folder / "bench-key.json"
    key_file.write_text(json.dumps(service_account(fake.token_uri)))
    return {
        "SONGIANG_SOURCE": f"https://docs.google.com/spreadsheets/d/{KEY}/edit",
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
        "SONGIANG_SHEETS_API": fake.url,
        "SONGIANG_STORE": store_url,
        "SONGIANG_TODAY": TODAY,
        "SONGIANG_CACHE_TTL": "600",
    }
