"""Real-browser flows: the real `streamlit run` server, Debian's Chromium driven by Playwright.

Skipped with a reason when Chromium is not installed (CI installs it). Screenshots of every page at
both sizes go to artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.run import CHROMIUM_ARGS  # the same browser flags as the first-paint benchmark
from conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = {
    "": "Tổng quan",
    "theo-thon": "Theo thôn",
    "can-bo": "Cán bộ & đơn vị",
    "giai-doan": "Giai đoạn",
    "bao-cao": "Báo cáo tuần",
    "chat-luong": "Chất lượng dữ liệu",
    "nguon-du-lieu": "Nguồn dữ liệu",
}
SIZES = {"laptop": (1280, 900), "phone": (390, 844)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); CI installs it"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "SONGIANG_TODAY": TODAY.isoformat()}
    env.pop("SONGIANG_SOURCE", None)
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)  # polling a health endpoint, not waiting for the page
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app(server, browser):
    """The server's URL, after one first session: Streamlit shows a spurious "Page not found" modal to
    the very first session after start-up when it opens a page other than the default (#8860)."""
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(server)
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible(timeout=45_000)
    page.close()
    return server


def open_page(browser, server: str, path: str, size: str):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a rerun with charts takes a few seconds on 2 cores
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(45_000)
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("heading", name=PAGES[path.split("?")[0]], exact=True)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # the script run has finished
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # charts drawn: checks see the finished page
    return page


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        """() => [document.documentElement, document.querySelector('[data-testid="stMain"]')]
              .filter(Boolean).every(e => e.scrollWidth <= e.clientWidth + 1)"""
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_fits_the_screen_without_errors(browser, app, path, size):
    from playwright.sync_api import expect

    page = open_page(browser, app, path, size)
    if path != "nguon-du-lieu":
        expect(page.get_by_text("Dữ liệu từ tệp Excel lúc")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    assert no_horizontal_scroll(page)
    page.close()
    save_screenshot(browser, app, path, size)


def save_screenshot(browser, server: str, path: str, size: str) -> None:
    """The whole page for a person to look at: Streamlit scrolls inside its main area, so open it tall."""
    from playwright.sync_api import expect

    width = SIZES[size][0]
    page = browser.new_page(viewport={"width": width, "height": 3200 if size == "phone" else 2000})
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    # Charts and date inputs load their code lazily and show a grey skeleton until then: a shot taken
    # as soon as the script finished had placeholders where the overview's charts belong.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=30_000)
    charts = page.locator(".js-plotly-plot .main-svg")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_be_visible()
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'tong-quan'}-{size}.png"))
    page.close()


def test_picking_a_village_puts_it_in_the_url(browser, app):
    from playwright.sync_api import expect

    page = open_page(browser, app, "theo-thon", "phone")
    box = page.get_by_role("combobox", name="Chọn thôn")
    box.click()
    box.press_sequentially("Khe Tre")
    page.get_by_role("option", name="Thôn Khe Tre").click()
    expect(page).to_have_url(re.compile(r"thon=Th%C3%B4n(\+|%20)Khe(\+|%20)Tre"))
    box.press("Escape")  # the list stays open for more picks; the page reruns once it closes
    expect(page.get_by_role("heading", name="Thôn Khe Tre")).to_be_visible()
    page.close()


def test_a_shared_link_opens_with_its_village_selected(browser, app):
    from playwright.sync_api import expect

    page = open_page(browser, app, "theo-thon?thon=th%C3%B4n%2003", "phone")
    expect(page.get_by_test_id("stMultiSelect").get_by_text("Thôn 3", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Thôn 3", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"thon=Th%C3%B4n(\+|%20)3$"))
    page.close()
