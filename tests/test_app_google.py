"""AppTest on a live-shaped Google Sheet: one read per TTL for everyone, refresh, fallback banners, no secrets shown."""

import re

import pytest
import responses
import streamlit as st
from fake_google import SHEET_URL, FakeGoogle, key_material, reply, service_account_info
from streamlit.testing.v1 import AppTest
from test_snapshots import PASSWORD_SHAPES, on_port, shows_no_password, socket_closed

from conftest import TODAY
from lib import live, pipeline
from lib.loading import REFRESH_INTERVAL_SECONDS, may_force_read
from lib.sample import SampleSpec, build

TIMEOUT = 60


class Clock:
    """The adapter's monotonic clock, moved by hand: the TTL and the refresh rule are about seconds."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    ticking = Clock()
    monkeypatch.setattr("lib.loading._clock", ticking)
    return ticking


def refresh(at: AppTest, clock: Clock) -> AppTest:
    """Click "Làm mới" once what is shown is old enough for a forced read."""
    clock.now += REFRESH_INTERVAL_SECONDS
    return at.button(key="refresh").click().run()


def no_wait(seconds: float) -> None:
    """time.sleep without the wait: it refuses what the real one refuses (a negative or NaN wait raises ValueError)."""
    if not seconds >= 0:
        raise ValueError("sleep length must be non-negative")


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in ("SONGIANG_SOURCE", "GOOGLE_APPLICATION_CREDENTIALS", "SONGIANG_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SONGIANG_CACHE_TTL", "86400")
    monkeypatch.setattr("lib.google_sheets.RetryPolicy.sleep", staticmethod(no_wait))
    st.cache_data.clear()
    st.cache_resource.clear()
    live.forget_readers()
    yield
    st.cache_resource.clear()
    live.forget_readers()


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, build(SampleSpec(villages=6, units=4, weeks=5, seed=3)))


def session(tmp_path, page: str = "app.py") -> AppTest:
    at = AppTest.from_file(f"../{page}", default_timeout=TIMEOUT)
    at.secrets["sheet"] = {"url": SHEET_URL, "snapshot_store": f"sqlite:///{tmp_path / 'snap.sqlite'}"}
    at.secrets["gcp_service_account"] = service_account_info()
    return at


def everything_shown(at: AppTest) -> str:
    """Every element's full protobuf message, as sent to the browser."""
    found = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            found.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def test_many_viewers_share_one_read_and_see_where_the_data_came_from(google, tmp_path):
    first = session(tmp_path).run()
    second = session(tmp_path).run()
    assert not first.exception and not second.exception
    assert google.calls["batchGet"] == 1 and google.calls["metadata"] == 1
    assert any("Dữ liệu từ Google Sheet lúc" in c.value for c in first.caption)
    assert not first.warning


def test_refresh_reads_the_sheet_again_now(google, tmp_path, clock):
    at = session(tmp_path).run()
    refresh(at, clock)
    assert not at.exception
    assert google.calls["batchGet"] == 2


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (503, "Máy chủ Google"),
        (429, "giới hạn số lần đọc"),
        ("timeout", "hết thời gian chờ"),
        (403, "dashboard@son-giang-test.iam.gserviceaccount.com"),
        (404, "không tìm thấy"),
    ],
)
def test_a_failure_after_a_good_read_shows_the_last_snapshot_with_a_banner(google, tmp_path, clock, fault, words):
    at = session(tmp_path).run()
    good = [m.value for m in at.metric]
    google.fail("batchGet", *[fault] * 3)
    refresh(at, clock)
    assert not at.exception
    assert [m.value for m in at.metric] == good
    banner = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered: markdown escapes removed
    assert words.lower() in banner.lower() and "bản lưu" in banner
    google.faults.clear()
    refresh(at, clock)
    assert not at.warning


def test_a_failure_with_no_snapshot_yet_explains_and_points_to_the_setup_page(google, tmp_path):
    google.fail("metadata", 403)
    at = session(tmp_path).run()
    assert not at.exception
    assert "Người xem" in at.error[0].value


def test_no_page_ever_shows_key_material(google, tmp_path, clock):
    at = session(tmp_path).run()
    google.fail("batchGet", 500, 500, 500)
    refresh(at, clock)
    at.switch_page("views/source.py").run()
    shown = everything_shown(at)
    assert "dashboard@son-giang-test.iam.gserviceaccount.com" in shown  # the email to share with is shown on purpose
    assert not any(secret in shown for secret in key_material())


def test_secrets_never_reach_logs_or_exported_files(google, tmp_path, caplog, capfd, clock):
    import logging

    from lib import report, report_docx, report_xlsx

    caplog.set_level(logging.DEBUG)
    at = session(tmp_path)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "cookie-secret-value-4711",
        "client_id": "x",
        "client_secret": "client-secret-value-4712",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
    }
    at.secrets["access"] = {"allowed_emails": ["chutich@gmail.com"]}
    at.user = {"is_logged_in": True, "email": "chutich@gmail.com"}
    at.run()
    google.fail("batchGet", 403)
    refresh(at, clock)
    at.switch_page("views/report.py").run()
    assert not at.exception
    board = pipeline.load(live.resolve(SHEET_URL, service_account_info(), f"sqlite:///{tmp_path / 'snap.sqlite'}"), TODAY)
    from lib import dashboard

    built = report.build(dashboard.build(board.ds), dashboard.build(board.ds).weeks[-1])
    import io
    import zipfile

    exported = b"".join(  # every part of both files, uncompressed
        archive.read(name)
        for data in (report_docx.report_docx(built), report_xlsx.report_xlsx(built))
        for archive in [zipfile.ZipFile(io.BytesIO(data))]
        for name in archive.namelist()
    )
    assert b"Th\xc3\xb4n" in exported  # the search really looks inside the files
    out = capfd.readouterr()
    produced = everything_shown(at) + caplog.text + out.out + out.err
    secrets = key_material() + ["cookie-secret-value-4711", "client-secret-value-4712"]
    assert not [s for s in secrets if s in produced]
    assert not [s for s in secrets if s.encode() in exported]


def test_issues_link_to_their_cell_in_the_google_sheet(google, tmp_path):
    from fake_google import KEY

    at = session(tmp_path).run()
    at.switch_page("views/quality.py").run()
    assert not at.exception
    issues = next(d.value for d in at.dataframe if "link" in d.value.columns)
    linked = issues.dropna(subset=["link"])
    assert len(linked) and linked["link"].str.startswith(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=").all()
    first = linked.iloc[0]
    # "Tab Báo cáo thôn, dòng 77, cột Số hộ đã cài đặt (ô C77)": the tab and the cell the link must open
    sheet, cell = re.fullmatch(r"Tab (.+?), dòng \d+.*\(ô ([A-Z]+\d+)\)", first["where"]).groups()
    assert first["link"].endswith(f"gid={google.gids[sheet]}&range={cell}")


def test_a_fetch_is_reused_for_exactly_the_ttl_then_refetched(google, tmp_path, monkeypatch, clock):
    monkeypatch.setenv("SONGIANG_CACHE_TTL", "60")
    at = session(tmp_path).run()
    clock.now += 59
    session(tmp_path).run()
    assert google.calls["batchGet"] == 1
    clock.now += 2  # 61 s after the first fetch
    at.run()
    assert google.calls["batchGet"] == 2
    clock.now += 30
    session(tmp_path).run()
    assert google.calls["batchGet"] == 2


def test_with_the_history_in_postgresql_a_rewritten_past_figure_is_shown(google, postgres_url, clock):
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.secrets["sheet"] = {"url": SHEET_URL, "snapshot_store": postgres_url}
    at.secrets["gcp_service_account"] = service_account_info()
    at.run()
    at.switch_page("views/quality.py").run()
    assert not at.exception and not at.warning
    assert "Kho lịch sử có 1 phiên bản" in " ".join(c.value for c in at.caption)
    rows = google.tabs["Báo cáo thôn"]
    assert rows[4][:3] == [46128, "Thôn Trung Hòa", 3]  # 16/04, long past its deadline
    rows[4][2] = 2
    refresh(at, clock)
    assert not at.exception
    assert "Kho lịch sử có 2 phiên bản" in " ".join(c.value for c in at.caption)
    history = at.dataframe[-1].value  # the page's last table: old figures rewritten or removed
    assert history["subject"].tolist() == ["Thôn Trung Hòa"] and "từ 3 thành 2" in history["message"].iloc[0]


def test_with_the_store_down_the_figures_are_shown_with_a_warning_and_no_password(google):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.secrets["sheet"] = {"url": SHEET_URL, "snapshot_store": f"postgresql://dashboard:pg-secret-4713@127.0.0.1:{port}/songiang"}
    at.secrets["gcp_service_account"] = service_account_info()
    at.run()
    assert not at.exception and not at.error
    assert len(at.metric) >= 4 and google.calls["batchGet"] == 1
    banner = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered: markdown escapes removed
    assert "Không ghi được lịch sử số liệu" in banner and f"127.0.0.1:{port}" in banner
    assert "pg-secret-4713" not in everything_shown(at)
    at.switch_page("views/source.py").run()  # the setup page says where history goes and why it fails
    assert not at.exception
    assert f"postgresql://127.0.0.1:{port}/songiang" in [c.value for c in at.code]
    assert "Kho lịch sử (PostgreSQL dùng chung)." in [m.value for m in at.markdown]
    assert any("Không dùng được kho lịch sử" in w.value for w in at.warning)
    assert "pg-secret-4713" not in everything_shown(at)


@pytest.mark.parametrize(("age", "allowed"), [(0.0, False), (14.9, False), (15.0, True), (3600.0, True)])
def test_a_forced_read_waits_until_what_is_shown_is_15_seconds_old(age, allowed):
    assert may_force_read(started=500.0, now=500.0 + age) is allowed


def test_eleven_clicks_on_refresh_are_one_read_for_every_viewer(google, tmp_path, clock):
    at = session(tmp_path).run()
    other = session(tmp_path).run()
    assert google.calls["batchGet"] == 1
    clock.now += REFRESH_INTERVAL_SECONDS
    for _ in range(11):
        at.button(key="refresh").click().run()
        clock.now += 1
    other.button(key="refresh").click().run()  # another viewer, 11 s after the forced read
    assert google.calls["batchGet"] == 2
    clock.now += 4  # 15 s after the forced read
    other.button(key="refresh").click().run()
    assert google.calls["batchGet"] == 3
    assert not at.exception and not other.exception


def test_a_tab_added_after_start_up_is_read_on_refresh(google, tmp_path, clock):
    phases = google.tabs.pop("Giai đoạn")
    at = session(tmp_path).run()
    at.switch_page("views/phases.py").run()
    assert "Giai đoạn 1 (15/04/2026 – 20/04/2026)" in [h.value for h in at.subheader]  # the plan's phases by default
    google.tabs["Giai đoạn"] = [phases[0], ["Đợt cao điểm", *phases[1][1:]], *phases[2:]]
    refresh(at, clock)
    assert not at.exception
    assert "Đợt cao điểm (15/04/2026 – 20/04/2026)" in [h.value for h in at.subheader]
    assert google.calls["metadata"] == 2


NOT_READABLE = "Google trả về dữ liệu không đọc được"


@pytest.mark.parametrize(
    ("endpoint", "fault", "words"),
    [
        ("batchGet", "truncated", "ngắt giữa chừng"),
        ("metadata", reply(200, {"properties": {"title": "Báo cáo"}}), NOT_READABLE),
        ("metadata", reply(200, {"sheets": [{"properties": {"sheetId": "abc", "title": "Thôn"}}]}), NOT_READABLE),
        ("metadata", reply(200, [{"sheets": []}]), NOT_READABLE),
        ("batchGet", reply(200, {"valueRanges": [{"values": "Thôn 1"}] * 6}), NOT_READABLE),  # rows that are text
        ("batchGet", reply(429, {"error": {"code": 429}}, Retry_After="-1"), "giới hạn số lần đọc"),
        ("batchGet", reply(503, {"error": {"code": 503}}, Retry_After="nan"), "Máy chủ Google"),
    ],
)
def test_whatever_google_sends_the_app_shows_the_last_snapshot_with_a_banner(google, tmp_path, clock, endpoint, fault, words):
    at = session(tmp_path).run()
    good = [m.value for m in at.metric]
    google.fail(endpoint, *[fault] * 3)
    refresh(at, clock)
    assert not at.exception
    assert [m.value for m in at.metric] == good
    banner = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered: markdown escapes removed
    assert words in banner and "Đang hiển thị bản lưu" in banner


def test_with_no_snapshot_yet_an_unreadable_answer_is_a_vietnamese_message(google, tmp_path):
    google.fail("metadata", reply(200, [1, 2, 3]))
    at = session(tmp_path).run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "").startswith("Chưa đọc được số liệu. Google trả về dữ liệu không đọc được.")


def test_a_damaged_last_version_falls_back_to_the_one_before_with_both_banners(google, tmp_path, clock):
    import sqlite3

    at = session(tmp_path).run()
    first = [m.value for m in at.metric]
    google.tabs["Báo cáo thôn"] = google.tabs["Báo cáo thôn"][:-3]  # a second, different version
    refresh(at, clock)
    assert [m.value for m in at.metric] != first
    with sqlite3.connect(tmp_path / "snap.sqlite") as db:
        db.execute("UPDATE snapshots SET payload = ? WHERE id = (SELECT MAX(id) FROM snapshots)", (b"damaged",))
    google.fail("batchGet", *[503] * 3)
    refresh(at, clock)
    assert not at.exception
    assert [m.value for m in at.metric] == first
    banner = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered: markdown escapes removed
    assert "Máy chủ Google đang gặp sự cố" in banner and "1 phiên bản lưu gần nhất bị hỏng" in banner


@pytest.mark.parametrize(("shape", "server", "database"), PASSWORD_SHAPES)
def test_no_store_password_reaches_a_page_or_a_log(google, shape, server, database, caplog, capfd):
    import logging

    caplog.set_level(logging.DEBUG)
    with socket_closed() as port:
        at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
        at.secrets["sheet"] = {"url": SHEET_URL, "snapshot_store": on_port(shape, port)}
        at.secrets["gcp_service_account"] = service_account_info()
        at.run()
        assert not at.exception and len(at.metric) >= 4
        banner = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "Không ghi được lịch sử số liệu: Không mở được kho lưu trữ lịch sử (PostgreSQL" in banner
        shown = everything_shown(at)
        at.switch_page("views/source.py").run()
        assert not at.exception
        shown += everything_shown(at)
    out = capfd.readouterr()
    assert (f"127.0.0.1:{port}" in " ".join(c.value for c in at.code)) == (server is not None)
    assert shows_no_password(shown + caplog.text + out.out + out.err)
