"""A village head on a phone (390 × 844, real Chromium, the real `streamlit run`): a link from `lib links`, the form, one row.

Google is a fake on 127.0.0.1 (tests/fake_google.py `LoopbackGoogle`): the app and the command line reach it
through SONGIANG_SHEETS_API and the service account's token URI. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from fake_google import SHEET_URL, LoopbackGoogle, key_material
from test_browser import ROOT, SHOTS, sample_app

from conftest import TODAY
from harness.browser import MISSING, chromium
from lib.sample import SampleSpec, build
from lib.sources import RawWorkbook
from lib.validation.run import validate

SECRET = "browser-test-entry-secret-0123456789"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium() is None, reason=MISSING),
]


TABS = build(SampleSpec(villages=6, units=4, weeks=5, seed=3, mistakes=False))


def this_week(name: str) -> tuple[int, int, int, int]:
    """Figures a village head would send this week (a few more households, never above the smartphone households; more
    accounts and reports), and the village's smartphone households."""
    ds = validate(RawWorkbook({t: [list(r) for r in rows] for t, rows in TABS.items()}, "sample"), TODAY)
    last = ds.village_reports[ds.village_reports["village"] == name].sort_values("week").iloc[-1]
    smart = int(ds.villages.loc[ds.villages["name"] == name, "smartphone_households"].iloc[0])
    installed = max(int(last["installed"]), min(smart, int(last["installed"]) + 6))
    return installed, int(last["accounts"]) + 9, int(last["reports_sent"]) + 2, smart


@pytest.fixture
def google():
    with LoopbackGoogle(TABS) as fake:
        yield fake


@pytest.fixture
def server(google, tmp_path, monkeypatch):
    monkeypatch.setenv("SONGIANG_SHEETS_API", google.api)
    monkeypatch.delenv("SONGIANG_ENTRY_SECRET", raising=False)
    lines = [
        "[sheet]",
        f'url = "{SHEET_URL}"',
        f'snapshot_store = "sqlite:///{tmp_path / "store.sqlite"}"',
        "[entry]",
        f'secret = "{SECRET}"',
        "[gcp_service_account]",
        *(f"{k} = {json.dumps(v)}" for k, v in google.info().items()),
    ]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("\n".join(lines) + "\n")
    with sample_app(tmp_path, "--secrets.files", str(secrets)) as running:
        yield running.url


def links(google: LoopbackGoogle, base_url: str, tmp_path) -> list[dict]:
    """`python -m lib links SOURCE --base-url URL --json`, as staff run it."""
    key = tmp_path / "key.json"
    key.write_text(json.dumps(google.info()))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SONGIANG_SHEETS_API": google.api, "SONGIANG_ENTRY_SECRET": SECRET}
    env["GOOGLE_APPLICATION_CREDENTIALS"] = str(key)
    done = subprocess.run(
        [sys.executable, "-m", "lib", "links", SHEET_URL, "--base-url", base_url, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_village_head_reports_from_a_phone_through_the_link_staff_printed(browser, google, server, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    village = next(link for link in links(google, server, tmp_path) if link["kind"] == "village")
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.set_default_timeout(45_000)
    started = time.monotonic()
    page.goto(village["url"])
    expect(page.get_by_role("heading", name=village["name"], exact=True)).to_be_visible()
    expect(page.get_by_text("Tuần báo cáo: Thứ Năm 03/12/2026")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)  # nothing of the dashboard around the form
    opened = time.monotonic() - started
    figures = this_week(village["name"])
    installed = page.get_by_label("Số hộ đã cài đặt", exact=True)
    installed.fill(str(figures[3] + 1))  # a slip first: one more than the village's smartphone households
    installed.press("Enter")
    expect(page.get_by_text("lớn hơn số hộ có điện thoại thông minh của thôn")).to_be_visible()
    expect(page.get_by_text("Tôi xác nhận số này đúng", exact=True)).to_be_visible()  # the warning quotes it too
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "bao-cao-thon-canh-bao-phone.png"))
    for label, value in zip(("Số hộ đã cài đặt", "Số tài khoản đã đăng ký", "Số phản ánh đã gửi"), figures[:3], strict=True):
        box = page.get_by_label(label, exact=True)
        box.fill(str(value))
        box.press("Enter")  # a number input commits on Enter or when it loses focus
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    page.get_by_label("Ghi chú", exact=True).fill("Họp dân tối thứ Bảy")
    page.get_by_label("Ghi chú", exact=True).press("Enter")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)  # figures the reader accepts: no message, no tick needed
    page.set_viewport_size({"width": 390, "height": 1400})  # Streamlit scrolls inside its main area: open it tall for the shot
    page.screenshot(path=str(SHOTS / "bao-cao-thon-form-phone.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text(f"Đã gửi báo cáo tuần Thứ Năm 03/12/2026 của {village['name']}.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Tỷ lệ cài đặt của .*: \d+,\d %"))).to_be_visible()
    reported = time.monotonic() - started
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "bao-cao-thon-phone.png"))
    html = page.content()
    assert SECRET not in html and not [k for k in key_material() if k in html]
    page.close()
    rows = [r for r in google.fake.rows("Báo cáo thôn") if r and r[0] == "03/12/2026"]
    assert len(rows) == 1 and rows[0][1:6] == [village["name"], *figures[:3], "Họp dân tối thứ Bảy"]
    assert str(rows[0][6]).startswith("SG-")
    print(f"\nmở biểu mẫu: {opened:.1f} s; từ lúc mở tới lúc thấy «Đã gửi»: {reported:.1f} s")
    assert reported < 60


def test_a_tampered_link_shows_a_refusal_on_the_phone(browser, google, server, tmp_path):
    from playwright.sync_api import expect

    village = next(link for link in links(google, server, tmp_path) if link["kind"] == "village")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(45_000)
    page.goto(village["url"][:-3] + "AAA")
    expect(page.get_by_role("heading", name="Báo cáo tuần", exact=True)).to_be_visible()
    expect(page.get_by_text("Đường dẫn này không còn dùng được")).to_be_visible()
    expect(page.get_by_test_id("stNumberInput")).to_have_count(0)
    expect(page.get_by_role("heading", name=village["name"])).to_have_count(0)
    page.close()


def test_staff_see_each_link_with_its_qr_code_and_zalo_message(browser, google, server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 2400})
    page.set_default_timeout(45_000)
    page.goto(f"{server}/duong-dan-bao-cao")
    expect(page.get_by_role("heading", name="Đường dẫn báo cáo", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_text("Không có báo cáo nào đang chờ.")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2 - 1)  # the links (no waiting rows)
    page.get_by_test_id("stExpander").first.click()
    expect(page.get_by_test_id("stImage").first).to_be_visible()
    expect(page.get_by_test_id("stCode").first).to_contain_text("Kính gửi đồng chí trưởng thôn")
    expect(page.get_by_text("Phòng Văn hóa – Xã hội, UBND xã Sơn Giang.").first).to_be_in_viewport()  # opened all the way
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "duong-dan-bao-cao-laptop.png"))
    assert SECRET not in page.content()
    page.close()
