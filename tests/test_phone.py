"""The phone screen, as a leader opening a Zalo link sees it: 390 × 844, every screen.

Each screen must fit the width (nothing sticks out past the right edge, so no sideways panning), every
visible text in the main area, chart labels included, must be at least 12 px, no chart text may be cut
at its chart's edge, no text may have less than 4,5:1 contrast and no table toolbar may lie over a heading. A full-length screenshot of each
screen goes to artifacts/screenshots/phone-<path>.png for a person to read. Then: the labelled page
menu, and the copy button of the Zalo messages.
"""

from __future__ import annotations

import pytest

# The server and browser fixtures are shared with the other real-browser flows.
from test_browser import PAGES, SHOTS, app, server  # noqa: F401 - the server fixtures

from harness.browser import MISSING, chromium

PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 12

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium() is None, reason=MISSING),
]

# Every visible element whose box reaches past the viewport's left or right edge, unless an ancestor that
# clips its overflow (a scrolling table, a chart) fits the viewport: then only the fitting part is seen.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const fits = r => r.left >= -1 && r.right <= width + 1;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || fits(r) || r.right <= 0) continue;  // wholly left of the page: never seen (plotly's measuring svg)
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && fits(a.getBoundingClientRect())) { clipped = true; break; }
    }
    if (!clipped) out.push(`${el.tagName.toLowerCase()}[${el.dataset.testid || el.getAttribute('class') || ''}] `
                           + `${Math.round(r.left)}..${Math.round(r.right)} "${(el.textContent || '').trim().slice(0, 40)}"`);
  }
  return out;
}"""

# Every visible piece of text in the main area (HTML and the charts' SVG) with its computed font size.
SMALL_TEXT = """(minimum) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minimum) out.push(`${size}px "${text.slice(0, 40)}"`);
  }
  return out;
}"""


# Every visible text in the main area, HTML or chart SVG, whose colour (its alpha and its ancestors' opacity laid
# over the nearest opaque background behind it) has less than 4,5:1 contrast with that background.
LOW_CONTRAST = """(minimum) => {
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                                      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ground = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] >= 0.99) return c;
      if (e.tagName.toLowerCase() === 'svg' && e.closest('.js-plotly-plot')) return [255, 255, 255, 1];  // plot paper
    }
    return [255, 255, 255, 1];
  };
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) || !el.getBoundingClientRect().width) continue;
    if (el.closest('[data-testid="stIconMaterial"], [aria-disabled="true"], :disabled')) continue;  // icon glyph names
    const style = getComputedStyle(el);
    let [r, g, b, a] = rgba(el instanceof SVGElement ? style.fill : style.color);
    for (let e = el; e; e = e.parentElement) a *= Number(getComputedStyle(e).opacity);  // captions fade by opacity
    const [R, G, B] = ground(el);
    const shown = [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
    const [hi, lo] = [lum(shown), lum([R, G, B])].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < minimum) out.push(`${ratio.toFixed(2)} "${text.slice(0, 30)}" ${style.color} on rgb(${R},${G},${B})`);
  }
  return out;
}"""

# Every piece of chart text that reaches past its chart's box, where the browser cuts it ("100 %" lost its
# last characters at the right edge of the officials' chart).
CUT_CHART_TEXT = """() => {
  const out = [];
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const box = chart.getBoundingClientRect();
    for (const text of chart.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (!text.textContent.trim() || !r.width) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`"${text.textContent}" ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return out;
}"""


# Every table toolbar (shown without hovering on a touch screen) that lies over a heading or a caption.
TOOLBAR_OVER_TEXT = """() => {
  const texts = [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, [data-testid="stCaptionContainer"])')]
    .map(e => { const range = document.createRange(); range.selectNodeContents(e);  // the text, not its padded box
                return [e.textContent.trim().slice(0, 40), range.getBoundingClientRect()]; });
  const out = [];
  for (const bar of document.querySelectorAll('[data-testid="stElementToolbar"]')) {
    const b = bar.getBoundingClientRect();
    if (!bar.checkVisibility({checkOpacity: true}) || !b.width) continue;
    for (const [text, r] of texts)
      if (b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom) out.push(text);
  }
  return out;
}"""


def open_on_phone(browser, server: str, path: str):  # noqa: F811 - the shared fixture
    """The screen at 390 × 844, its script run finished and its charts drawn."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a rerun with charts takes a few seconds on 2 cores
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.set_default_timeout(45_000)
    page.goto(f"{server}/{path}")
    expect(page.get_by_role("heading", name=PAGES[path.partition("?")[0]], exact=True)).to_be_visible()
    if path != "nguon-du-lieu":  # the data is loaded (the title shows before it)
        expect(page.get_by_text("Dữ liệu từ tệp Excel lúc")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # the script run has finished
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=60_000)  # charts and date inputs loaded (slow on a busy machine)
    charts = page.locator(".js-plotly-plot .main-svg")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_be_visible()
    page.wait_for_load_state("networkidle")
    return page


def full_length_screenshot(page, name: str) -> None:
    """The whole screen at phone width: Streamlit scrolls inside its main area, so grow the viewport to fit it."""
    height = page.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]').scrollHeight, 844)")
    page.set_viewport_size({"width": PHONE["width"], "height": min(height + 60, 12_000)})
    page.wait_for_timeout(300)  # one frame for the charts' resize handlers (a screenshot, not a check)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"))


@pytest.mark.parametrize("path", list(PAGES))
def test_every_screen_fits_a_phone_and_its_text_is_at_least_12_px(browser, app, path):  # noqa: F811 - the shared fixture
    from playwright.sync_api import expect

    page = open_on_phone(browser, app, path)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"phone-{path or 'tong-quan'}-first-screen.png"))
    overflowing, small, cut = page.evaluate(OVERFLOWING), page.evaluate(SMALL_TEXT, MIN_TEXT_PX), page.evaluate(CUT_CHART_TEXT)
    covered, faint = page.evaluate(TOOLBAR_OVER_TEXT), page.evaluate(LOW_CONTRAST, 4.5)
    full_length_screenshot(page, path or "tong-quan")  # taken before the checks fail, to see why
    page.close()
    assert overflowing == []
    assert small == []
    assert cut == []
    assert covered == []
    assert faint == []


def test_a_phone_changes_page_from_a_labelled_menu_that_closes_behind_it(browser, app):  # noqa: F811 - the shared fixture
    from playwright.sync_api import expect

    page = open_on_phone(browser, app, "")
    expect(page.get_by_test_id("stSidebarNav")).to_be_hidden()  # one page menu on a phone: the labelled one
    menu = page.get_by_role("button", name="Chọn trang")
    assert menu.bounding_box()["height"] >= 44
    menu.click()
    expect(page.get_by_role("link", name="Cán bộ & đơn vị")).to_be_visible()
    assert all(link.bounding_box()["height"] >= 44 for link in page.get_by_test_id("stPopoverBody").get_by_role("link").all())
    page.screenshot(path=str(SHOTS / "phone-menu-open.png"))
    page.get_by_role("link", name="Cán bộ & đơn vị").click()
    expect(page.get_by_role("heading", name="Cán bộ & đơn vị", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{app}/can-bo")
    expect(page.get_by_test_id("stPopoverBody")).to_have_count(0)  # the menu closed with the choice
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    # Nothing lies over the page: at the left, the middle and the right of the screen the page itself is on top.
    on_top = page.evaluate(
        """() => [40, 195, 350].map(x => document.elementFromPoint(x, 500))
                              .every(e => e && e.closest('[data-testid="stMain"]') !== null)"""
    )
    page.screenshot(path=str(SHOTS / "phone-after-choice.png"))
    page.close()
    assert on_top


def test_a_laptop_keeps_the_sidebar_menu_and_shows_no_phone_menu(browser, app):  # noqa: F811 - the shared fixture
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{app}/giai-doan")
    expect(page.get_by_role("heading", name="Giai đoạn", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Báo cáo tuần")).to_be_visible()
    expect(page.get_by_role("button", name="Chọn trang")).to_be_hidden()
    page.close()


@pytest.mark.parametrize(("path", "heading"), [("bao-cao", "Tin nhắn Zalo"), ("chat-luong", "Tin nhắc báo cáo tuần")])
def test_the_zalo_message_has_a_visible_copy_button_that_copies_it(browser, app, path, heading):  # noqa: F811 - the shared fixture
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(45_000)
    page.goto(f"{app}/{path}")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    button = page.get_by_role("button", name="Sao chép tin nhắn")
    expect(button).to_be_visible()  # visible without tapping the message first
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(page.get_by_text("Đã sao chép")).to_be_visible()
    message = page.get_by_test_id("stCode").last.inner_text()
    assert page.evaluate("() => navigator.clipboard.readText()").strip() == message.strip()
    context.close()


def test_the_data_health_line_and_a_link_typed_without_diacritics_work_on_a_phone(browser, app):  # noqa: F811 - the shared fixture
    from urllib.parse import quote

    from playwright.sync_api import expect

    page = open_on_phone(browser, app, "")
    link = page.get_by_role("link", name="1 thôn dùng số tuần trước")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(f"{app}/chat-luong?loc=so-cu")
    expect(page.get_by_role("heading", name="Thôn chưa báo cáo tuần 26/11/2026, đang dùng số của tuần trước")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    quality_overflow = page.evaluate(OVERFLOWING)
    full_length_screenshot(page, "chat-luong-loc-so-cu")
    page.close()

    typed = ["khe tre", "Thon Dong Tien", "Kim Cuong", "Thôn Khế Tre"]
    page = open_on_phone(browser, app, "theo-thon?" + "&".join(f"thon={quote(t)}" for t in typed))
    expect(page.get_by_text("Đã hiểu “Thon Dong Tien” là “Thôn Đông Tiến”.")).to_be_visible()
    for name in ("Thôn Khe Tre", "Thôn Đông Tiến", "Thôn Kim Cương"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    # Streamlit's own picker does not fold diacritics ("No results" for "dong tien"): the search box is why.
    box = page.get_by_role("combobox", name="Chọn thôn")
    box.click()
    box.press_sequentially("Hoa Binh")
    expect(page.get_by_text("No results")).to_be_visible()
    expect(page.get_by_role("option", name="Thôn Hòa Bình")).to_have_count(0)
    box.press("Escape")
    search = page.get_by_placeholder("ví dụ: khe tre, dong tien")
    search.fill("hoa binh")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Thôn Hòa Bình", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    villages_overflow = page.evaluate(OVERFLOWING)
    full_length_screenshot(page, "theo-thon-khong-dau")
    page.close()
    assert quality_overflow == [] and villages_overflow == []
