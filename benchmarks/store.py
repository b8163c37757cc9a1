"""Section 8: the snapshot store on PostgreSQL (a throw-away cluster on loopback) against SQLite: recording a
changed version and reading the history, at each scale."""

from __future__ import annotations

import datetime as dt
import tempfile
import time

from benchmarks.common import TODAY, Run, best
from harness import postgres

TITLE = "Snapshot store: SQLite vs PostgreSQL"


def measure(run: Run) -> list[dict]:
    """Recording a changed version and reading the history, on SQLite and on PostgreSQL (loopback), side by side."""
    from lib.sample import SampleSpec, build
    from lib.snapshots import SnapshotStore
    from lib.sources import RawWorkbook
    from lib.validation.run import validate

    if postgres.binaries() is None:
        return [
            {
                "what": "snapshot store on PostgreSQL",
                "ours": "not measured: PostgreSQL is not installed",
                "baseline": "",
                "ratio": float("nan"),
                "goal": "",
                "met": None,
            }
        ]
    scales, repeats = run.scales, run.repeats
    rows = []
    with postgres.server() as pg_url, tempfile.TemporaryDirectory() as tmp:
        for name, (villages, units) in scales.items():
            tabs = build(SampleSpec(villages=villages, units=units, weeks=33, seed=7))
            versions = []
            for i in range(repeats + 1):  # each version changes one recent figure, as a week of typing does
                changed = {t: [list(r) for r in rows_] for t, rows_ in tabs.items()}
                last = changed["Báo cáo thôn"][-1]
                last[2] = int(last[2]) + i
                raw = RawWorkbook(changed, source=name, kind="xlsx")
                versions.append((raw, validate(raw, dt.date.fromisoformat(TODAY))))
            measured = {}
            for kind, url in (("SQLite", f"sqlite:///{tmp}/{name}.sqlite"), ("PostgreSQL", pg_url)):
                target = SnapshotStore(url)
                target.record(*versions[0], name)  # the first version: every fact inserted once
                record_times, history_times = [], []
                for raw, ds in versions[1:]:
                    t = time.perf_counter()
                    target.record(raw, ds, name)
                    record_times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    target.history(name)
                    history_times.append(time.perf_counter() - t)
                measured[kind] = (best(record_times), best(history_times))
            facts = len(versions[0][1].village_reports) + len(versions[0][1].unit_reports)
            count = f"{facts:,}".replace(",", ".")
            (sq_rec, sq_hist), (pg_rec, pg_hist) = measured["SQLite"], measured["PostgreSQL"]
            rows.append(
                {
                    "what": f"{name} ({villages} villages, {units} units × 33 weeks, {count} facts): record a changed version, then read its history",
                    "ours": f"PostgreSQL {pg_rec * 1000:.0f} + {pg_hist * 1000:.0f} ms",
                    "baseline": f"SQLite {sq_rec * 1000:.0f} + {sq_hist * 1000:.0f} ms",
                    "ratio": (pg_rec + pg_hist) / (sq_rec + sq_hist),
                    "goal": "",
                    "met": None,
                }
            )
    return rows
