"""One visit of a page as a cheap Android phone on rural 4G sees it: Chromium driven over CDP, network and CPU throttled.

A visit counts every byte the page receives (HTTP responses as they came over the wire, headers included, and
the websocket's frames) and times, from the start of the navigation, the first KPI (a metric's value on screen)
and the settled page: the script finished, the page's expected metrics, charts and tables drawn, and no
skeleton or running indicator left. Times come from the page's own clock (performance.now()), so the
benchmark process's scheduling does not enter them.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# The phone: 390 × 844 CSS pixels, a touch screen, a CPU 4× slower than this machine's, and rural 4G.
VIEWPORT = {"width": 390, "height": 844}
DEVICE = {"viewport": VIEWPORT, "screen": VIEWPORT, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DOWN_MBPS, UP_MBPS, LATENCY_MS, CPU_SLOWDOWN = 1.6, 0.75, 150, 4
TIMEOUT_S = 240


@dataclass(frozen=True)
class Want:
    """What a settled page shows: at least this many metric values, drawn plotly charts and tables."""

    metrics: int = 0
    charts: int = 0
    tables: int = 0


@dataclass
class Visit:
    """What one visit cost: bytes over the wire (HTTP and websocket), responses, and the two times in seconds."""

    http_bytes: int = 0
    ws_bytes: int = 0
    responses: int = 0  # answered over the network
    cached: int = 0  # answered from the browser's cache
    first_kpi: float = float("nan")
    settled: float = float("nan")
    ws_compressed: bool = False
    finished: bool = False  # the server said script_finished within TIMEOUT_S
    encodings: Counter[str] = field(default_factory=Counter)  # Content-Encoding of the responses over the network

    @property
    def bytes(self) -> int:
        return self.http_bytes + self.ws_bytes

    def summary(self) -> str:
        """One line for the progress log."""
        encodings = ", ".join(f"{k or 'identity'} {v}" for k, v in sorted(self.encodings.items()))
        if self.ws_compressed:
            encodings += "; websocket deflated, counted uncompressed"
        return (
            f"{self.bytes / 1e6:.2f} MB (websocket {self.ws_bytes / 1e3:.0f} KB; {self.responses} responses, {self.cached} cached; {encodings}), "
            f"KPI {self.first_kpi:.1f} s, settled {self.settled:.1f} s"
        )


# Watches the DOM from the first byte of the document: the time the first metric value appears, and the last
# time the page became "settled" (it goes back to null whenever the page stops being so).
OBSERVER = """
(want) => {
  const b = (window.__phone = { kpi: null, settled: null });
  const count = (s) => document.querySelectorAll(s).length;
  const drawn = () => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter((c) => c.querySelector(".main-svg")).length;
  const ready = () =>
    count('[data-testid="stMetricValue"]') >= want.metrics &&
    count('[data-testid="stDataFrame"]') >= want.tables &&
    drawn() >= want.charts &&
    !document.querySelector('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-testid="stStatusWidget"]');
  const check = () => {
    const now = performance.now();
    if (b.kpi === null && document.querySelector('[data-testid="stMetricValue"]')) b.kpi = now;
    if (!ready()) b.settled = null;
    else if (b.settled === null) b.settled = now;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}
"""


def _frame_bytes(response: dict) -> int:
    """The payload length of a websocket frame as CDP reports it (binary frames come base64-encoded)."""
    data = response.get("payloadData", "")
    if response.get("opcode") == 2:
        return len(base64.b64decode(data)) if data else 0
    return len(data.encode())


def _is_script_finished(response: dict) -> bool:
    if response.get("opcode") != 2:
        return False
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(base64.b64decode(response["payloadData"]))
    return msg.WhichOneof("type") == "script_finished"


async def visit(context: Any, url: str, want: Want, *, throttle: bool = True) -> Visit:
    """Open url in a new tab of context (whose cache a previous visit may have filled); close it once settled.

    A page that does not settle within TIMEOUT_S is counted as it stands, its missing times nan.
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    seen = Visit()
    finished = asyncio.Event()

    def on_response(event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            seen.cached += 1
        else:
            seen.responses += 1
            headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            seen.encodings[headers.get("content-encoding", "")] += 1

    def on_finished(event: dict) -> None:
        seen.http_bytes += int(event.get("encodedDataLength", 0))

    def on_handshake(event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        seen.ws_compressed = seen.ws_compressed or "deflate" in headers.get("sec-websocket-extensions", "")

    def on_frame(event: dict) -> None:
        seen.ws_bytes += _frame_bytes(event["response"])
        if _is_script_finished(event["response"]):
            finished.set()

    def on_sent(event: dict) -> None:
        seen.ws_bytes += _frame_bytes(event["response"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketHandshakeResponseReceived", on_handshake)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.on("Network.webSocketFrameSent", on_sent)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})  # a repeat visit must be able to use the cache
    if throttle:
        await cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_MBPS * 1e6 / 8, "uploadThroughput": UP_MBPS * 1e6 / 8},
        )
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    await page.add_init_script(f"({OBSERVER})({{metrics: {want.metrics}, charts: {want.charts}, tables: {want.tables}}})")
    deadline = time.monotonic() + TIMEOUT_S
    try:
        await page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        await asyncio.wait_for(finished.wait(), timeout=max(1.0, deadline - time.monotonic()))
        await page.wait_for_function(
            "window.__phone && window.__phone.settled !== null", polling=200, timeout=max(1.0, deadline - time.monotonic()) * 1000
        )
    except (TimeoutError, PlaywrightTimeout):
        pass
    try:
        times = await page.evaluate("window.__phone ? [window.__phone.kpi, window.__phone.settled] : [null, null]")
        seen.first_kpi, seen.settled = (float("nan") if t is None else t / 1000 for t in times)
        seen.finished = finished.is_set()
        if not seen.finished:  # settled only counts once the server has finished the run
            seen.settled = float("nan")
    finally:
        await cdp.detach()
        await page.close()
    return seen
