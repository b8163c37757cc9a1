"""What every benchmark section shares: the run's settings, timing a child process, the generated workbooks."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TODAY = "2026-11-29"
SCALES = {"commune": (25, 18), "district": (300, 200), "province": (1500, 1000)}  # villages, units; 33 weeks each
LATENCY = 0.15  # seconds the fake Google waits before each answer
MINIMAL_PAGE = """
import pandas as pd, plotly.express as px, streamlit as st
@st.cache_resource
def data():
    frames = pd.read_excel({path!r}, sheet_name=None, engine="calamine", header=3)
    return frames["Báo cáo thôn"]
df = data()
st.title("Minimal")
weekly = df.groupby(df.columns[0], sort=False)[df.columns[2]].apply(lambda s: pd.to_numeric(s, errors="coerce").sum()).reset_index()
st.plotly_chart(px.line(weekly, x=weekly.columns[0], y=weekly.columns[1]))
"""


@dataclass(frozen=True)
class Run:
    """How big a run is: a --quick smoke run measures less and repeats less; every section writes under folder."""

    quick: bool
    folder: Path

    @property
    def repeats(self) -> int:
        return 2 if self.quick else 5

    @property
    def scales(self) -> dict[str, tuple[int, int]]:
        return {k: v for k, v in SCALES.items() if not (self.quick and k == "province")}


def best(times: list[float]) -> float:
    return min(times)


def p95(times: list[float]) -> float:
    """The 95th percentile of sorted times (nan for none)."""
    return times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)] if times else float("nan")


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far, all its threads together (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (kB) of one child process."""
    wrapper = "import resource, subprocess, sys, time; t = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False); print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = subprocess.run([PY, "-c", wrapper, *cmd], capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.split()
    return float(out[0]), int(out[1])


def workbook(name: str, villages: int, units: int, folder: Path) -> Path:
    path = folder / f"{name}.xlsx"
    if not path.exists():
        subprocess.run(
            [PY, "-m", "lib", "sample", str(path), "--villages", str(villages), "--units", str(units), "--weeks", "33"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return path
