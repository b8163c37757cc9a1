"""Section 9: the overview and the village screen on a cheap phone over rural 4G, through the production proxy and
direct, against minimal pages behind the same proxy; 20 simultaneous first loads; a profile of one first load.

Every visit is Chromium at 390 × 844 with the network (1,6 Mbps down, 0,75 Mbps up, 150 ms) and the CPU (4×)
throttled over CDP, in a fresh profile: a first visit, then a repeat visit in the same profile (its disk cache
kept, as a phone's is). Each round visits every page once in this way, alternating the order between rounds.
"""

from __future__ import annotations

import asyncio
import math
import os
import pstats
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import LATENCY, MINIMAL_PAGE, ROOT, Run, cpu_seconds, p95, rss_mb
from benchmarks.fake_sheets import FakeSheets
from benchmarks.phone_visit import CPU_SLOWDOWN, DEVICE, DOWN_MBPS, LATENCY_MS, UP_MBPS, Visit, Want, visit
from benchmarks.sessions import on_fake_google, open_session, ws_sessions
from harness.browser import chromium, launch_profile
from harness.proxy import nginx_binary, nginx_proxy
from harness.server import streamlit_server

TITLE = f"On a phone over rural 4G (390 × 844, {DOWN_MBPS} / {UP_MBPS} Mbps, {LATENCY_MS} ms, CPU {CPU_SLOWDOWN}× slower)".replace(".", ",")

MINIMAL_METRIC_PAGE = """
import streamlit as st
st.title("Minimal")
st.metric("Hộ dân đã cài", "81,3 %")
"""

SESSIONS = 20
FIRST_MB, REPEAT_KB, KPI_RATIO, SETTLED_RATIO, SESSIONS_P95 = 3.0, 150, 1.2, 1.5, 2.0
PROFILE_TOP = 25

# Streamlit's settings that decide the per-session cost, passed on the command line for the comparison row.
LEAN = ("--server.fileWatcherType", "none", "--runner.postScriptGC", "false")

# What the profile row names: a function (its file's ending and its name) whose cumulative time is reported.
PROFILE_PARTS = {
    "source-file watcher": ("local_sources_watcher.py", "update_watched_modules"),
    "gc after the run": ("~", "<built-in method gc.collect>"),
    "st.plotly_chart": ("plotly_chart.py", "plotly_chart"),
    "st.dataframe": ("arrow.py", "dataframe"),
}


@dataclass(frozen=True)
class Page:
    """A page to visit: its key in the results, its URL, and what it shows once settled."""

    key: str
    url: str
    want: Want


Pair = tuple[Visit, Visit]  # a first visit and the repeat visit in the same profile


async def _pair(playwright: object, page: Page, folder: Path) -> Pair:
    """A first visit in a fresh profile, then a repeat visit in that profile."""
    with tempfile.TemporaryDirectory(prefix="profile-", dir=folder) as profile:
        context = await launch_profile(playwright.chromium, profile, **DEVICE)  # type: ignore[attr-defined]
        try:
            return await visit(context, page.url, page.want), await visit(context, page.url, page.want)
        finally:
            await context.close()


async def _rounds(pages: list[Page], rounds: int, folder: Path) -> dict[str, list[Pair]]:
    """Every page once unthrottled (servers, nginx's cache and the data warm), then `rounds` rounds of pairs."""
    from playwright.async_api import async_playwright

    results: dict[str, list[Pair]] = {page.key: [] for page in pages}
    async with async_playwright() as p:
        with tempfile.TemporaryDirectory(prefix="profile-", dir=folder) as profile:
            context = await launch_profile(p.chromium, profile, **DEVICE)
            for page in pages:
                await visit(context, page.url, page.want, throttle=False)
            await context.close()
        for number in range(rounds):
            for page in pages if number % 2 == 0 else pages[::-1]:
                started = time.perf_counter()
                pair = await _pair(p, page, folder)
                results[page.key].append(pair)
                print(
                    f"  phone round {number + 1}: {page.key} {pair[0].summary()} | repeat {pair[1].summary()} ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    return results


# --- the table, from the visits ----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    """The median of the numbers that are not nan (nan when none is)."""
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def kb(n: float) -> str:
    return f"{n / 1e3:.0f} KB"


def size(n: float) -> str:
    return kb(n) if n < 1e6 else mb(n)


def seconds(t: float) -> str:
    return "did not settle" if math.isnan(t) else f"{t:.1f} s"


def figure(visits: list[Visit], what: str) -> float:
    """The median of one figure (`bytes`, `ws_bytes`, `first_kpi`, `settled`) over the visits whose run finished."""
    return median([float(getattr(v, what)) for v in visits if v.finished])


def _ratio(ours: list[Visit], base: list[Visit], what: str) -> float:
    """The median of the rounds' side-by-side ratios of one figure, over the rounds where both runs finished."""
    return median([getattr(a, what) / getattr(b, what) for a, b in zip(ours, base, strict=True) if a.finished and b.finished])


def _unfinished(visits: list[Visit]) -> str:
    missed = sum(not v.finished for v in visits)
    return f" ({missed} of {len(visits)} visits never finished)" if missed else ""


def visit_rows(results: dict[str, list[Pair]], screen: str, label: str, budgets: tuple[float, float] | None) -> list[dict]:
    """The rows of one screen: bytes, first KPI and settled through the proxy for each visit, and the direct path."""
    rows = []
    for i, kind in enumerate(("first", "repeat")):
        proxied = [pair[i] for pair in results[f"{screen} proxy"]]
        direct = [pair[i] for pair in results[f"{screen} direct"]]
        metric = [pair[i] for pair in results["minimal proxy"]]
        plotly = [pair[i] for pair in results["plotly proxy"]]
        ours_bytes = figure(proxied, "bytes")
        budget = budgets[i] if budgets else None
        counted = next((v for v in proxied if v.finished), proxied[0])
        rows.append(
            {
                "what": f"{label}, {kind} visit through the proxy: bytes transferred",
                "ours": f"{size(ours_bytes)} ({counted.responses} responses over the network, {counted.cached} from the cache; "
                f"websocket {kb(figure(proxied, 'ws_bytes'))}){_unfinished(proxied)}",
                "baseline": f"minimal page with one plotly chart {size(figure(plotly, 'bytes'))} (the ratio's base), "
                f"title + one metric {size(figure(metric, 'bytes'))}; ours direct {size(figure(direct, 'bytes'))}",
                "ratio": _ratio(proxied, plotly, "bytes"),
                "goal": "" if budget is None else f"≤ {size(budget)}".replace(".00", ""),
                "met": None if budget is None else ours_bytes <= budget,
            }
        )
        kpi = _ratio(proxied, metric, "first_kpi")
        rows.append(
            {
                "what": f"{label}, {kind} visit through the proxy: time to the first KPI",
                "ours": seconds(figure(proxied, "first_kpi")),
                "baseline": f"minimal page (title + one metric) {seconds(figure(metric, 'first_kpi'))}{_unfinished(metric)}",
                "ratio": kpi,
                "goal": f"≤ {KPI_RATIO}×".replace(".", ","),
                "met": kpi <= KPI_RATIO,
            }
        )
        settled = _ratio(proxied, plotly, "settled")
        rows.append(
            {
                "what": f"{label}, {kind} visit through the proxy: settled (no skeleton, no running status)",
                "ours": seconds(figure(proxied, "settled")),
                "baseline": f"minimal page with one plotly chart {seconds(figure(plotly, 'settled'))}{_unfinished(plotly)}",
                "ratio": settled,
                "goal": f"≤ {SETTLED_RATIO}×".replace(".", ","),
                "met": settled <= SETTLED_RATIO,
            }
        )
        rows.append(
            {
                "what": f"{label}, {kind} visit direct to Streamlit (no proxy); ratio of bytes",
                "ours": f"{size(figure(direct, 'bytes'))}, first KPI {seconds(figure(direct, 'first_kpi'))}, "
                f"settled {seconds(figure(direct, 'settled'))}{_unfinished(direct)}",
                "baseline": f"through the proxy {size(ours_bytes)}, {seconds(figure(proxied, 'first_kpi'))}, {seconds(figure(proxied, 'settled'))}",
                "ratio": _ratio(direct, proxied, "bytes"),
                "goal": "",
                "met": None,
            }
        )
    return rows


def sessions_row(label: str, ours: Burst, base: Burst, base_label: str) -> dict:
    """SESSIONS simultaneous first loads of the overview against the same number on another server."""
    return {
        "what": f"{SESSIONS} simultaneous first loads of the overview on one server{label} (websocket sessions, fake Google, warm data)",
        "ours": f"{len(ours.times)}/{SESSIONS} rendered; p50 {median(ours.times):.2f} s, p95 {p95(ours.times):.2f} s; "
        f"server CPU {ours.cpu:.3f} s a session, RSS {ours.rss:.0f} MB",
        "baseline": f"{base_label}: {len(base.times)}/{SESSIONS} rendered, p95 {p95(base.times):.2f} s; server CPU {base.cpu:.3f} s a session",
        "ratio": p95(ours.times) / p95(base.times) if ours.times and base.times else float("nan"),
        "goal": f"p95 ≤ {SESSIONS_P95:.0f} s",
        "met": len(ours.times) == SESSIONS and p95(ours.times) <= SESSIONS_P95,
    }


def profile_row(ours: pstats.Stats, base: pstats.Stats) -> dict:
    """Where a new session's first run goes, against the same on the minimal plotly page."""

    def parts(stats: pstats.Stats) -> str:
        return ", ".join(f"{name} {cumulative(stats, *where):.3f} s" for name, where in PROFILE_PARTS.items())

    return {
        "what": "a new session's first run of the page on a warm server: CPU of its script thread and of the event loop (cProfile)",
        "ours": f"overview {ours.total_tt:.3f} s: {parts(ours)}",
        "baseline": f"minimal page with one plotly chart {base.total_tt:.3f} s: {parts(base)}",
        "ratio": ours.total_tt / base.total_tt,
        "goal": "",
        "met": None,
    }


# --- the server side: simultaneous sessions, and where one session's first run goes --------------------------


@dataclass(frozen=True)
class Burst:
    """SESSIONS first loads at once: the seconds each took (sorted), the server's CPU seconds per session, its RSS after."""

    times: list[float]
    cpu: float
    rss: float


def burst(url: str, pid: int) -> Burst:
    """Open SESSIONS websocket sessions at once on the server at url (its process pid) and wait for their first runs."""
    before = cpu_seconds(pid)
    times = sorted(asyncio.run(ws_sessions([url], SESSIONS)))
    return Burst(times, (cpu_seconds(pid) - before) / SESSIONS, rss_mb(pid))


def cumulative(stats: pstats.Stats, file_end: str, function: str) -> float:
    """The cumulative seconds of one function in a profile (0 when it never ran)."""
    return sum(row[3] for (file, _, name), row in stats.stats.items() if file.endswith(file_end) and name == function)  # type: ignore[attr-defined]


async def _profiled_session(url: str) -> None:
    """A first session (the fetch, the caches), then one more while a third stays connected as viewers' tabs do,
    so Streamlit keeps its compiled scripts (it drops them when the last session leaves)."""
    await ws_sessions([url], 1)
    async with open_session(url):
        await ws_sessions([url], 1)


def first_run_profile(script: Path, env: dict[str, str], folder: Path) -> pstats.Stats:
    """cProfile of a new session's first run (script thread and event loop together) on a warm server."""
    profiles = Path(tempfile.mkdtemp(prefix="profiles-", dir=folder))
    env = {**env, "SONGIANG_PROFILE_DIR": str(profiles)}
    with streamlit_server(script, folder, env=env, module="benchmarks.profiled_streamlit") as server:
        asyncio.run(_profiled_session(server.url))
    stats = pstats.Stats(str(profiles / "session-3-script.prof"))  # the third session _profiled_session opens
    stats.add(str(profiles / "session-3-loop.prof"))
    return stats


def print_profile(stats: pstats.Stats, out: Path) -> None:
    """The top entries by cumulative time, printed and kept in out."""
    with open(out, "w") as stream:
        stats.stream = stream  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    print(
        f"\nA new session's first run of the overview, script thread and event loop, CPU seconds (cProfile; {out}):\n{out.read_text()}",
        flush=True,
    )


# --- the section ---------------------------------------------------------------------------------------------


def first_village() -> str:
    """The first village of the sample workbook the fake Google serves, for a shared link to the village screen."""
    from lib.sample import SampleSpec, build

    rows = build(SampleSpec())["Thôn"]
    header = next(i for i, row in enumerate(rows) if "Tên thôn" in row)
    return str(rows[header + 1][rows[header].index("Tên thôn")])


def measure(run: Run) -> list[dict]:
    """One round of visits on a --quick run, else three; then the simultaneous sessions and the profiles (nothing
    without Chromium or nginx)."""
    if chromium() is None or nginx_binary() is None:
        return []
    from lib.sample import SampleSpec, build

    folder = run.folder
    path = ROOT / "data" / "sample_son_giang.xlsx"
    metric_page, plotly_page = folder / "minimal_metric.py", folder / "minimal_plotly.py"
    metric_page.write_text(MINIMAL_METRIC_PAGE)
    plotly_page.write_text(MINIMAL_PAGE.format(path=str(path)))
    village = f"/theo-thon?thon={quote(first_village())}"
    with FakeSheets(build(SampleSpec()), LATENCY) as fake:
        env = {**os.environ, **on_fake_google(fake, folder, f"sqlite:///{folder / 'phone-snapshots.sqlite'}")}
        with (
            streamlit_server(ROOT / "app.py", folder, env=env) as app,
            streamlit_server(metric_page, folder, env=env) as metric,
            streamlit_server(plotly_page, folder, env=env) as plotly,
            nginx_proxy(app.port, folder / "nginx-app") as app_proxy,
            nginx_proxy(metric.port, folder / "nginx-metric") as metric_proxy,
            nginx_proxy(plotly.port, folder / "nginx-plotly") as plotly_proxy,
        ):
            overview, picked = Want(metrics=6, charts=2, tables=1), Want(metrics=5, charts=2, tables=1)
            pages = [
                Page("overview proxy", app_proxy + "/", overview),
                Page("village proxy", app_proxy + village, picked),
                Page("minimal proxy", metric_proxy + "/", Want(metrics=1)),
                Page("plotly proxy", plotly_proxy + "/", Want(charts=1)),
                Page("overview direct", app.url + "/", overview),
                Page("village direct", app.url + village, picked),
            ]
            results = asyncio.run(_rounds(pages, 1 if run.quick else 3, folder))
            ours, base = burst(app.url, app.process.pid), burst(plotly.url, plotly.process.pid)
        with streamlit_server(ROOT / "app.py", folder, env=env, options=LEAN) as lean_app:
            asyncio.run(ws_sessions([lean_app.url], 1))  # its fetch and caches, as the other server's were
            lean = burst(lean_app.url, lean_app.process.pid)
        profile = first_run_profile(ROOT / "app.py", env, folder)
        base_profile = first_run_profile(plotly_page, env, folder)
    print_profile(profile, folder / "phone-profile.txt")
    rows = visit_rows(results, "overview", "overview (/)", (FIRST_MB * 1e6, REPEAT_KB * 1e3))
    rows += visit_rows(results, "village", f"village screen ({village.split('?')[0]}, one village picked by a shared link)", None)
    rows.append(sessions_row("", ours, base, "minimal page with one plotly chart"))
    rows.append(sessions_row(f", Streamlit started with {' '.join(LEAN)}", lean, ours, "as configured (row above)"))
    rows.append(profile_row(profile, base_profile))
    return rows
