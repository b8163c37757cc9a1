"""Section 6: simultaneous sessions against one server reading a fake Google: websocket sessions at growing
counts, five headless Chromium pages, and the server's memory per session."""

from __future__ import annotations

import asyncio
import os
import statistics

from benchmarks.common import LATENCY, ROOT, Run, p95, rss_mb
from benchmarks.fake_sheets import FakeSheets
from benchmarks.sessions import browser_sessions, on_fake_google, ws_sessions
from harness.browser import chromium
from harness.server import streamlit_server

TITLE = "Concurrency"


def measure(run: Run) -> list[dict]:
    """5 sessions on a --quick run, else 1 to 80 (nothing without Chromium)."""
    if chromium() is None:
        return []
    from lib.sample import SampleSpec, build

    folder, sizes = run.folder, [5] if run.quick else [1, 5, 10, 20, 40, 80]
    rows = []
    with FakeSheets(build(SampleSpec()), LATENCY) as fake:
        env = {**os.environ, **on_fake_google(fake, folder, f"sqlite:///{folder / 'bench-snapshots.sqlite'}")}
        with streamlit_server(ROOT / "app.py", folder, env=env) as server:
            asyncio.run(browser_sessions(server.url, 1))  # the first session after start-up, in a real browser
            idle = rss_mb(server.process.pid)
            for n in sizes:
                # Real websocket sessions driven from this script: the server's own work per session
                # (the script run and every message it sends), without 20 Chromium renderers competing
                # with the server for the same 2 cores.
                times = sorted(asyncio.run(ws_sessions([server.url], n)))
                if not times:
                    rows.append(
                        {
                            "what": f"{n} simultaneous sessions",
                            "ours": "none rendered within 180 s",
                            "baseline": "",
                            "ratio": float("nan"),
                            "goal": "every session renders",
                            "met": False,
                        }
                    )
                    continue
                slowest = p95(times)
                rows.append(
                    {
                        "what": f"{n} simultaneous websocket sessions on one server (fake Google, {LATENCY * 1000:.0f} ms latency)",
                        "ours": f"{len(times)}/{n} rendered; p50 {statistics.median(times):.2f} s, p95 {slowest:.2f} s; server RSS {rss_mb(server.process.pid):.0f} MB",
                        "baseline": f"upstream since start: {fake.calls['batchGet']} batchGet, {fake.calls['metadata']} metadata, {fake.calls['token']} token",
                        "ratio": slowest / times[0],
                        "goal": "1 upstream read per TTL; every session renders",
                        "met": fake.calls["batchGet"] == 1 and len(times) == n,
                        "p95": slowest,
                    }
                )
            browser_times = sorted(asyncio.run(browser_sessions(server.url, 5)))
            rows.append(
                {
                    "what": "5 simultaneous headless Chromium pages, to a rendered overview",
                    "ours": f"{len(browser_times)}/5 rendered; p50 {statistics.median(browser_times):.2f} s, max {browser_times[-1]:.2f} s"
                    if browser_times
                    else "none rendered",
                    "baseline": "the browsers share the server's 2 cores: rendering, not the server, sets this figure",
                    "ratio": float("nan"),
                    "goal": "every session renders",
                    "met": len(browser_times) == 5,
                }
            )
            rows.append(
                {
                    "what": "server memory per extra session (RSS growth / sessions opened)",
                    "ours": f"{(rss_mb(server.process.pid) - idle) / max(sum(sizes) + 5, 1):.2f} MB",
                    "baseline": f"idle after one session {idle:.0f} MB",
                    "ratio": float("nan"),
                    "goal": "",
                    "met": None,
                }
            )
    return rows
