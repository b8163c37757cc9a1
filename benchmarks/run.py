"""The benchmark suite: every figure is a ratio measured side by side in one run.

    .venv/bin/python -m benchmarks.run            # all sections; writes docs/PERFORMANCE.md
    .venv/bin/python -m benchmarks.run --quick    # fewer repetitions and no province scale (a smoke run; prints only)
    .venv/bin/python -m benchmarks.run --only store reruns   # some sections (prints only)

Sections: (1) upstream calls per refresh vs the naive gspread path, (2) the whole `check --json`
process vs a bare read of the same file at commune / district / province scale, (3) warm page
reruns (AppTest) vs a minimal page, (4) peak memory, (5) first paint in headless Chromium vs a
minimal page, (6) concurrent sessions against one server on a fake Google, (7) the same sessions
dealt to two replicas sharing one PostgreSQL store, (8) the snapshot store on SQLite vs PostgreSQL
(a throw-away cluster on loopback), (9) the overview and the village screen on a throttled phone through the
nginx proxy and direct against minimal pages, 20 simultaneous first loads, and a profile of one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

from benchmarks import concurrency, ingest, paint, phone, replicas, reruns, store, upstream
from benchmarks.common import ROOT, Run

# In the order they run and print; each module has a TITLE and measure(run) -> rows of the table.
SECTIONS = {
    "upstream": upstream,
    "ingest": ingest,
    "reruns": reruns,
    "paint": paint,
    "concurrency": concurrency,
    "replicas": replicas,
    "store": store,
    "phone": phone,
}


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    import pandas
    import streamlit

    return f"{os.cpu_count()} × {cpu}, {mem / 1024:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}, streamlit {streamlit.__version__}, pandas {pandas.__version__}"


def table(rows: list[dict]) -> str:
    out = ["| measurement | ours | baseline (same run) | ratio | goal | met |", "|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "–" if r["ratio"] != r["ratio"] else f"{r['ratio']:.2f}".replace(".", ",")
        met = {True: "yes", False: "**no**", None: "–"}[r["met"]]
        out.append(f"| {r['what']} | {r['ours']} | {r['baseline']} | {ratio} | {r['goal']} | {met} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no province scale, 5 sessions")
    parser.add_argument(
        "--only", nargs="*", default=list(SECTIONS), choices=SECTIONS, metavar="SECTION", help=f"sections to run: {' '.join(SECTIONS)}"
    )
    parser.add_argument(
        "--out",
        default=None,
        help="where to write the table (default: docs/PERFORMANCE.md for a full run; a --quick or --only run only prints)",
    )
    args = parser.parse_args()
    run = Run(quick=args.quick, folder=Path(tempfile.mkdtemp(prefix="songiang-bench-")))
    sections = []
    started = time.perf_counter()
    full = not args.quick and set(SECTIONS) <= set(args.only)
    out = Path(args.out) if args.out else (ROOT / "docs" / "PERFORMANCE.md" if full else None)
    for key, section in SECTIONS.items():
        if key in args.only:
            sections.append((section.TITLE, section.measure(run)))
            write(out, sections, started)  # after each section, so a later failure loses nothing


def write(out: Path | None, sections: list[tuple[str, list[dict]]], started: float) -> None:
    """Print the table and put it between the markers of the performance doc (if any)."""
    text = [f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}; {time.perf_counter() - started:.0f} s in all.", ""]
    for title, rows in sections:
        text += [f"### {title}", "", table(rows), ""]
    body = "\n".join(text)
    print(body, flush=True)
    if out is None:
        return
    if out.exists():
        doc = out.read_text(encoding="utf-8")
        start, end = doc.find("<!-- bench:start -->"), doc.find("<!-- bench:end -->")
        if start >= 0 and end > start:
            out.write_text(doc[: start + len("<!-- bench:start -->")] + "\n" + body + "\n" + doc[end:], encoding="utf-8")
            return
    out.write_text("# Performance\n\n<!-- bench:start -->\n" + body + "\n<!-- bench:end -->\n", encoding="utf-8")


if __name__ == "__main__":
    main()
