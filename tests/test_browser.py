"""Real-browser flows: the real `streamlit run` server, Debian's Chromium driven by Playwright.

Skipped with a reason when Chromium is not installed (CI installs it). Screenshots of every page at
both sizes go to artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import TODAY
from harness.browser import MISSING, chromium
from harness.server import free_port, streamlit_server
from views import SCREENS

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
PAGES = {"": SCREENS[0].title} | {s.url_path: s.title for s in SCREENS[1:]}  # the home screen is served at /
SIZES = {"laptop": (1280, 900), "phone": (390, 844)}

pytestmark = [pytest.mark.browser, pytest.mark.skipif(chromium() is None, reason=MISSING)]


def sample_app(log_dir: Path, *options: str, port: int | None = None):
    """`streamlit run app.py` on the bundled sample as of TODAY (whatever SONGIANG_SOURCE says here)."""
    env = {k: v for k, v in os.environ.items() if k != "SONGIANG_SOURCE"} | {"SONGIANG_TODAY": TODAY.isoformat()}
    return streamlit_server("app.py", log_dir, options=options, env=env, port=port)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sample_app(tmp_path_factory.mktemp("server")) as running:
        yield running.url


@pytest.fixture(scope="module")
def app(server):
    """The server's URL. (It used to need one first session on `/`: with a folder named pages/ beside app.py,
    Streamlit showed "Page not found" to the first session that opened any other page.)"""
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


SIGN_IN_TITLE = "Bảng theo dõi i-HaTinh — xã Sơn Giang"
# Paths an anonymous visitor might try: /, every screen's own path, every script's file name under views/ and
# app.py itself (a folder named pages/ used to serve each of those outside the gate), and a path nobody serves.
STEMS = sorted({Path(s.script).stem for s in SCREENS} | {f.stem for f in (ROOT / "views").glob("*.py")} | {"app"})
PATHS = ["", *(s.url_path for s in SCREENS), *STEMS, "khong-co-trang-nay"]


@pytest.fixture(scope="module")
def signed_in_server(tmp_path_factory):
    """The app with sign-in and an allowlist configured; the sign-in provider is never reached (nobody clicks)."""
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-not-a-real-one"
client_id = "test-client"
client_secret = "test-client-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[access]
allowed_emails = ["chutich.songiang@gmail.com"]
"""
    )
    with sample_app(folder, "--secrets.files", str(secrets), port=port) as running:
        yield running.url


@pytest.mark.parametrize("path", PATHS)
def test_an_anonymous_visitor_sees_only_the_sign_in_screen(browser, signed_in_server, path):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(45_000)
    page.goto(f"{signed_in_server}/{path}?thon=Th%C3%B4n%203")
    expect(page.get_by_role("heading", name=SIGN_IN_TITLE, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # the script run has finished
    for title in {s.title for s in SCREENS}:
        expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
    for figures in ("stDownloadButton", "stMetric", "stDataFrame", "stPlotlyChart", "stSidebarNav", "stCode"):
        expect(page.get_by_test_id(figures)).to_have_count(0)
    if path in PAGES or path == SCREENS[0].url_path:  # a known link: the sign-in screen itself, no "Page not found"
        expect(page.get_by_text("Page not found")).to_have_count(0)
    page.close()


@pytest.fixture
def fresh_server(tmp_path):
    """A server nobody has opened yet: its first session is the deep link under test."""
    with sample_app(tmp_path) as running:
        yield running.url


def test_without_sign_in_every_deep_link_opens_its_page_and_keeps_its_query(browser, fresh_server):
    from playwright.sync_api import expect

    links = ["theo-thon", "", *(s.url_path for s in SCREENS)]  # the first session after start-up opens a deep link
    for path in links:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(45_000)
        page.goto(f"{fresh_server}/{path}?thon=Th%C3%B4n%203")
        title = next((s.title for s in SCREENS if s.url_path == path), SCREENS[0].title)
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page).to_have_url(re.compile(rf"/{re.escape(path)}\?thon=Th%C3%B4n(\+|%20)3$"))
        if path == "theo-thon":
            expect(page.get_by_role("heading", name="Thôn 3", exact=True)).to_be_visible()
        page.close()


def test_issues_are_read_whole_a_wrapped_table_on_a_laptop_and_cards_on_a_phone(browser, app):
    from playwright.sync_api import expect

    laptop = open_page(browser, app, "chat-luong", "laptop")
    table = laptop.locator(".st-key-wide_only_issues [data-testid='stDataFrame']")
    expect(table).to_be_visible()
    expect(laptop.locator(".st-key-phone_only_issues")).to_be_hidden()
    box = table.bounding_box()
    # Every column fits the table's box: the fix column is not cut off and nothing scrolls sideways inside it.
    assert table.evaluate("e => { const s = e.querySelector('.dvn-scroller'); return !s || s.scrollWidth <= s.clientWidth + 1; }")
    assert box["x"] + box["width"] <= 1280
    laptop.close()
    phone = open_page(browser, app, "chat-luong", "phone")
    expect(phone.locator(".st-key-wide_only_issues")).to_be_hidden()
    card = phone.locator(".st-key-phone_only_issues").get_by_text("Tab Báo cáo thôn, dòng 77, cột Số hộ đã cài đặt (ô C77)")
    expect(card).to_be_visible()
    assert no_horizontal_scroll(phone)
    phone.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_field_report_screen_answers_which_unit_lets_reports_go_overdue(browser, app, size):
    from playwright.sync_api import expect

    page = open_page(browser, app, "phan-anh", size)
    expect(page.get_by_text("Đang quá hạn: 10 phản ánh")).to_be_visible()  # the sample's overdue reports, as of TODAY
    expect(page.get_by_test_id("stMetric").filter(has_text="Xử lý đúng hạn")).to_contain_text("82,8 %")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    body = page.locator("body").inner_text()
    assert not re.search(r"\b09\d{2} \d{3} \d{3}\b", body)  # the sample's senders' phone numbers are never shown
    box = page.get_by_role("combobox", name="Đơn vị xử lý")
    box.click()
    box.press_sequentially("Công an")
    page.get_by_role("option", name="Công an xã").click()
    box.press("Escape")
    expect(page.get_by_text("Đang quá hạn: 2 phản ánh")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.close()
