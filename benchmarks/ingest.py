"""Sections 2 and 4: the whole `check --json` process against a bare read of the same file at commune, district
and province scale; its peak memory; how its time grows with rows."""

from __future__ import annotations

import math
import statistics

from benchmarks.common import PY, TODAY, Run, best, run_timed, workbook

TITLE = "Ingest → validate → metrics, and peak memory"


def measure(run: Run) -> list[dict]:
    """Each scale's three commands run interleaved, run.repeats times."""
    folder, scales, repeats = run.folder, run.scales, run.repeats
    rows, fit = [], []
    for name, (villages, units) in scales.items():
        path = workbook(name, villages, units, folder)
        commands = {
            "ours": [PY, "-m", "lib", "check", str(path), "--json", "--today", TODAY],
            "calamine": [PY, "-c", f"import pandas as pd; pd.read_excel({str(path)!r}, sheet_name=None, engine='calamine')"],
            "openpyxl": [PY, "-c", f"import pandas as pd; pd.read_excel({str(path)!r}, sheet_name=None, engine='openpyxl')"],
        }
        measured = {k: [] for k in commands}
        memory = {k: 0 for k in commands}
        for _ in range(repeats):
            for key, cmd in commands.items():  # interleaved, so drift hits all three alike
                seconds, rss = run_timed(cmd)
                measured[key].append(seconds)
                memory[key] = max(memory[key], rss)
        # Each round runs the three side by side; the ratio is the median of the rounds' ratios, so a
        # slow moment on a shared machine hits both sides of one ratio instead of skewing a best-of.
        ours, cal, opx = (statistics.median(measured[k]) for k in ("ours", "calamine", "openpyxl"))
        ratio = statistics.median(o / c for o, c in zip(measured["ours"], measured["calamine"], strict=True))
        report_rows = villages * 33 + units * 33
        fit.append((report_rows, ours))
        rows.append(
            {
                "what": f"check --json, {name} ({villages} villages, {units} units × 33 weeks ≈ {report_rows:_} report rows, "
                f"and the sample's Phản ánh tab)".replace("_", "."),
                "ours": f"{ours:.2f} s",
                "baseline": f"bare read: calamine {cal:.2f} s, openpyxl {opx:.2f} s (×{ours / opx:.2f} of openpyxl)",
                "ratio": ratio,
                "goal": "≤ 2× the fastest bare read at province scale",
                "met": ratio <= 2 if name == "province" else None,
            }
        )
        rows.append(
            {
                "what": f"peak memory of check, {name}",
                "ours": f"{memory['ours'] / 1024:.0f} MB",
                "baseline": f"bare calamine read {memory['calamine'] / 1024:.0f} MB",
                "ratio": memory["ours"] / memory["calamine"],
                "goal": "≤ 250 MB at province scale",
                "met": memory["ours"] / 1024 <= 250 if name == "province" else None,
            }
        )
    if len(fit) >= 2:
        xs, ys = [math.log(x) for x, _ in fit], [math.log(y) for _, y in fit]
        slope = statistics.linear_regression(xs, ys).slope
        startup = best([run_timed([PY, "-c", "import lib.pipeline"])[0] for _ in range(repeats)])
        marginal = [(x, max(y - startup, 1e-3)) for x, y in fit]
        slope_marginal = statistics.linear_regression([math.log(x) for x, _ in marginal], [math.log(y) for _, y in marginal]).slope
        rows.append(
            {
                "what": "growth of check time with rows (fitted exponent)",
                "ours": f"{slope:.2f} (after the {startup:.2f} s start-up: {slope_marginal:.2f})",
                "baseline": "1,00 = linear",
                "ratio": slope_marginal,
                "goal": "linear",
                "met": slope_marginal <= 1.15,
            }
        )
    return rows
