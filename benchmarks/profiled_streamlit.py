"""`python -m benchmarks.profiled_streamlit run app.py …`: Streamlit's own command line, with each session's
first script run profiled by cProfile into $SONGIANG_PROFILE_DIR.

A session's first run costs CPU in two threads: its script thread (the page code, the st.* calls turning figures
and tables into protobuf messages, the garbage collection Streamlit runs after each run) and the server's event
loop, which handles the run's events (the messages, and after the run the session's source-file watcher). Both
are profiled, each counting its own thread's CPU time (time.thread_time), so neither threads waiting for the GIL
nor other processes on a busy machine inflate the figures. Sessions are numbered in the order they start; for
session N, session-N-script.prof and session-N-loop.prof are written once its first run has been handled, and
session-N-gc.txt says how many collections of each generation ran meanwhile (in any thread) and how long they took.
"""

from __future__ import annotations

import cProfile
import gc
import itertools
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunnerEvent
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.web.cli import main

_FIRST_RUN_HANDLED = {ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS, ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR}
_lock = threading.Lock()
_numbers = itertools.count(1)
_sessions: dict[str, int] = {}  # session id -> its number
_loop_profiles: dict[str, cProfile.Profile] = {}
_done: set[str] = set()  # sessions whose first run is profiled
_collections: Counter[int] = Counter()
_gc_seconds: Counter[int] = Counter()
_gc_started: dict[int, float] = {}
_gc_at_start: dict[str, tuple[Counter[int], Counter[int]]] = {}
_run_script = ScriptRunner._run_script
_handle_event = AppSession._handle_scriptrunner_event_on_event_loop


def _folder() -> Path:
    return Path(os.environ["SONGIANG_PROFILE_DIR"])


def _number(session_id: str) -> int:
    with _lock:
        if session_id not in _sessions:
            _sessions[session_id] = next(_numbers)
        return _sessions[session_id]


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    """Count every collection and its wall time, by generation."""
    if phase == "start":
        _gc_started[threading.get_ident()] = time.perf_counter()
    elif (started := _gc_started.pop(threading.get_ident(), None)) is not None:
        _collections[info["generation"]] += 1
        _gc_seconds[info["generation"]] += time.perf_counter() - started


def _profiled_run_script(self: ScriptRunner, rerun_data: Any) -> None:
    session = self._session_id
    if session in _done or session in _gc_at_start:
        return _run_script(self, rerun_data)
    number = _number(session)
    _gc_at_start[session] = (Counter(_collections), Counter(_gc_seconds))
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        _run_script(self, rerun_data)
    finally:
        profile.disable()
        profile.dump_stats(_folder() / f"session-{number}-script.prof")


def _profiled_handle_event(self: AppSession, sender: Any, event: ScriptRunnerEvent, *args: Any, **kwargs: Any) -> None:
    session = self.id
    if session in _done:
        return _handle_event(self, sender, event, *args, **kwargs)
    profile = _loop_profiles.setdefault(session, cProfile.Profile(time.thread_time))
    profile.enable()
    try:
        _handle_event(self, sender, event, *args, **kwargs)
    finally:
        profile.disable()
    if event in _FIRST_RUN_HANDLED:
        _done.add(session)
        number = _number(session)
        _loop_profiles.pop(session).dump_stats(_folder() / f"session-{number}-loop.prof")
        collections, seconds = _gc_at_start.pop(session, (Counter(), Counter()))
        lines = [f"generation {g}: {_collections[g] - collections[g]} collections, {_gc_seconds[g] - seconds[g]:.3f} s" for g in range(3)]
        lines.append(f"objects the collector tracks: {len(gc.get_objects()):_}".replace("_", "."))
        (_folder() / f"session-{number}-gc.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    gc.callbacks.append(_on_gc)
    ScriptRunner._run_script = _profiled_run_script  # type: ignore[method-assign]
    AppSession._handle_scriptrunner_event_on_event_loop = _profiled_handle_event  # type: ignore[method-assign]
    main(prog_name="streamlit")
