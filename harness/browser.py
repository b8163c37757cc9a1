"""Debian's Chromium under Playwright, with the one set of flags every browser test and benchmark uses."""

from __future__ import annotations

import shutil
from typing import Any

MISSING = "Debian's chromium is not installed (apt-get install chromium); CI installs it"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """The Chromium binary on PATH, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(browser_type: Any) -> Any:
    """Launch Chromium from a Playwright `p.chromium`: a Browser from the sync API, an awaitable from the async one."""
    return browser_type.launch(executable_path=chromium(), args=CHROMIUM_ARGS)


def launch_profile(browser_type: Any, user_data_dir: str, **context: Any) -> Any:
    """A persistent context (a real profile with its own disk cache) in user_data_dir, with the same binary and flags.

    context takes Playwright's context options (viewport, is_mobile, …). Returns a BrowserContext from the sync
    API, an awaitable from the async one.
    """
    return browser_type.launch_persistent_context(user_data_dir, executable_path=chromium(), args=CHROMIUM_ARGS, **context)
