"""Under CI a skipped test is a failed one, so CI cannot be green without the browser, PostgreSQL, PDF and nginx tests.

Tests skip with a reason when a tool is missing (Chromium, PostgreSQL, LibreOffice, pdftoppm, nginx); that is
right on a laptop and wrong in CI, where .ci/run installs them all. Loaded by conftest.py as a plugin.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest


def skips_fail(env: Mapping[str, str]) -> bool:
    """Whether a skip should count as a failure here: in CI (CI=true, as CI services and .ci/run set it)."""
    return env.get("CI", "").strip().lower() == "true"


def _as_failure(report: pytest.TestReport | pytest.CollectReport) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = f"CI=true: this test may not be skipped in CI ({reason})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    # An expected failure is reported as "skipped" with wasxfail; that one stays as it is.
    if report.skipped and not hasattr(report, "wasxfail") and skips_fail(os.environ):
        _as_failure(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report = yield
    if report.skipped and skips_fail(os.environ):  # a whole module skipped (pytest.skip(allow_module_level=True))
        _as_failure(report)
    return report
