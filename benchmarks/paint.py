"""Section 5: first paint of the overview in headless Chromium against a minimal page with one plotly chart."""

from __future__ import annotations

import asyncio
import os
import statistics

from benchmarks.common import MINIMAL_PAGE, ROOT, TODAY, Run
from benchmarks.sessions import paint
from harness.browser import chromium, launch
from harness.server import streamlit_server

TITLE = "First paint"


async def _first_paint(ours: str, minimal: str, repeats: int) -> tuple[list[float], list[float]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p.chromium)
        await paint(browser, ours, 2, 6)  # warm both servers (data cached, first-session quirks out of the way)
        await paint(browser, minimal, 1, 0)
        a, b = [], []
        for _ in range(repeats):
            a.append(await paint(browser, ours, 2, 6))
            b.append(await paint(browser, minimal, 1, 0))
        await browser.close()
    return a, b


def measure(run: Run) -> list[dict]:
    """Both servers warm, then run.repeats paints of each, alternating (nothing without Chromium)."""
    if chromium() is None:
        return []
    folder, repeats = run.folder, run.repeats
    path = ROOT / "data" / "sample_son_giang.xlsx"
    minimal = folder / "minimal_paint.py"
    minimal.write_text(MINIMAL_PAGE.format(path=str(path)))
    env = {**os.environ, "SONGIANG_SOURCE": str(path), "SONGIANG_TODAY": TODAY}
    with streamlit_server(ROOT / "app.py", folder, env=env) as ours, streamlit_server(minimal, folder, env=env) as base:
        a, b = asyncio.run(_first_paint(ours.url, base.url, repeats))
    return [
        {
            "what": "first paint of the overview in headless Chromium (commune, warm server)",
            "ours": f"{statistics.median(a):.2f} s",
            "baseline": f"minimal page with one plotly chart {statistics.median(b):.2f} s",
            "ratio": statistics.median(a) / statistics.median(b),
            "goal": "≤ 1,5×",
            "met": statistics.median(a) / statistics.median(b) <= 1.5,
        }
    ]
