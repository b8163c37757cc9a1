"""Section 7: the scale-out deployment on this machine, one replica against two behind a round-robin that share
one PostgreSQL store (a throw-away cluster on loopback), on a fake Google."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from benchmarks.common import LATENCY, ROOT, Run, p95
from benchmarks.sessions import on_fake_google, ws_sessions
from harness import postgres
from harness.server import streamlit_server

TITLE = "Two replicas sharing one PostgreSQL store"


def measure(run: Run) -> list[dict]:
    """5 sessions on a --quick run, else 20, opened at once on one replica and then dealt to two (nothing without PostgreSQL)."""
    from benchmarks.fake_sheets import KEY, FakeSheets
    from lib.sample import SampleSpec, build
    from lib.snapshots import SnapshotStore

    if postgres.binaries() is None:
        return []
    n = 5 if run.quick else 20
    rows = []
    with FakeSheets(build(SampleSpec()), LATENCY) as fake, postgres.server() as pg_url, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, **on_fake_google(fake, Path(tmp), pg_url)}
        with (
            streamlit_server(ROOT / "app.py", run.folder, env=env) as first,
            streamlit_server(ROOT / "app.py", run.folder, env=env) as second,
        ):
            urls = [first.url, second.url]
            asyncio.run(ws_sessions(urls, 2))  # each replica's first session: its fetch and caches
            one = sorted(asyncio.run(ws_sessions(urls[:1], n)))
            two = sorted(asyncio.run(ws_sessions(urls, n)))
            versions = SnapshotStore(pg_url).count(f"google:{KEY}")
        slowest = {"one": p95(one), "two": p95(two)}
        rows.append(
            {
                "what": f"{n} simultaneous sessions: two replicas (round-robin, one PostgreSQL store) vs one replica",
                "ours": f"two: {len(two)}/{n} rendered, p95 {slowest['two']:.2f} s",
                "baseline": f"one: {len(one)}/{n} rendered, p95 {slowest['one']:.2f} s",
                "ratio": slowest["two"] / slowest["one"],
                "goal": "every session renders",
                "met": len(one) == len(two) == n,
            }
        )
        rows.append(
            {
                "what": "upstream reads and stored versions with two replicas",
                "ours": f"{fake.calls['batchGet']} batchGet, {fake.calls['metadata']} metadata; {versions} version stored",
                "baseline": "one read per replica per TTL; the same content stored once",
                "ratio": float("nan"),
                "goal": "",
                "met": fake.calls["batchGet"] == 2 and versions == 1,
            }
        )
    return rows
