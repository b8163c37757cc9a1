"""Section 3: a warm rerun of every screen (AppTest, data cached) against a minimal page with one plotly chart."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from benchmarks.common import MINIMAL_PAGE, ROOT, SCALES, TODAY, Run, workbook
from views import SCREENS

TITLE = "Warm reruns (AppTest, data cached)"


def measure(run: Run) -> list[dict]:
    """Commune scale (and province on a full run); every screen in views.SCREENS, the home screen first."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    folder, repeats = run.folder, run.repeats
    rows = []
    for name in ["commune"] if run.quick else ["commune", "province"]:
        villages, units = SCALES[name]
        path = workbook(name, villages, units, folder)
        os.environ.update({"SONGIANG_SOURCE": str(path), "SONGIANG_TODAY": TODAY, "SONGIANG_CACHE_TTL": "86400"})
        minimal = folder / f"minimal_{name}.py"
        minimal.write_text(MINIMAL_PAGE.format(path=str(path)))
        st.cache_resource.clear()
        base = AppTest.from_file(str(minimal), default_timeout=600).run()
        base.run()
        base_times = []
        for _ in range(repeats):
            start = time.perf_counter()
            base.run()
            base_times.append(time.perf_counter() - start)
        baseline = statistics.median(base_times)
        for screen in SCREENS:
            page = Path(screen.script).stem
            st.cache_resource.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
            if screen != SCREENS[0]:  # the home screen is where the app opens
                at.switch_page(screen.script).run()
            times = []
            for i in range(repeats):
                if page == "villages":
                    at.multiselect(key="thon_select").set_value([at.multiselect(key="thon_select").options[i]])
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
            ours = statistics.median(times)
            rows.append(
                {
                    "what": f"warm rerun, {page} page, {name}" + (" (a new village picked each time)" if page == "villages" else ""),
                    "ours": f"{ours * 1000:.0f} ms",
                    "baseline": f"minimal page with one plotly chart {baseline * 1000:.0f} ms",
                    "ratio": ours / baseline,
                    "goal": "≤ 2× at commune scale",
                    "met": ours / baseline <= 2 if name == "commune" else None,
                }
            )
    return rows
