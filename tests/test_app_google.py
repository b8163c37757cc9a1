"""AppTest on a live-shaped Google Sheet: one read per TTL for everyone, refresh, fallback banners, no secrets shown."""

import pytest
import responses
import streamlit as st
from fake_google import SHEET_URL, FakeGoogle, key_material, service_account_info
from streamlit.testing.v1 import AppTest

from conftest import TODAY
from lib import live
from lib.loading import _GENERATIONS
from lib.sample import SampleSpec, build

TIMEOUT = 60


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in ("SONGIANG_SOURCE", "GOOGLE_APPLICATION_CREDENTIALS", "SONGIANG_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SONGIANG_CACHE_TTL", "86400")
    monkeypatch.setattr("lib.google_sheets.RetryPolicy.sleep", staticmethod(lambda s: None))
    st.cache_data.clear()
    st.cache_resource.clear()
    _GENERATIONS.clear()
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


def test_refresh_reads_the_sheet_again_now(google, tmp_path):
    at = session(tmp_path).run()
    at.button(key="refresh").click().run()
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
def test_a_failure_after_a_good_read_shows_the_last_snapshot_with_a_banner(google, tmp_path, fault, words):
    at = session(tmp_path).run()
    good = [m.value for m in at.metric]
    google.fail("batchGet", *[fault] * 3)
    at.button(key="refresh").click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == good
    banner = " ".join(w.value for w in at.warning)
    assert words.lower() in banner.lower() and "bản lưu" in banner
    google.faults.clear()
    at.button(key="refresh").click().run()
    assert not at.warning


def test_a_failure_with_no_snapshot_yet_explains_and_points_to_the_setup_page(google, tmp_path):
    google.fail("metadata", 403)
    at = session(tmp_path).run()
    assert not at.exception
    assert "Người xem" in at.error[0].value


def test_no_page_ever_shows_key_material(google, tmp_path):
    at = session(tmp_path).run()
    google.fail("batchGet", 500, 500, 500)
    at.button(key="refresh").click().run()
    at.switch_page("views/source.py").run()
    shown = everything_shown(at)
    assert "dashboard@son-giang-test.iam.gserviceaccount.com" in shown  # the email to share with is shown on purpose
    assert not any(secret in shown for secret in key_material())


def test_secrets_never_reach_logs_or_exported_files(google, tmp_path, caplog, capfd):
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
    at.button(key="refresh").click().run()
    at.switch_page("views/report.py").run()
    assert not at.exception
    board = live.load(live.resolve(SHEET_URL, service_account_info(), f"sqlite:///{tmp_path / 'snap.sqlite'}"), TODAY)
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
    issues = next(d.value for d in at.dataframe if "message" in d.value.columns)
    linked = issues.dropna(subset=["link"])
    assert len(linked) and linked["link"].str.startswith(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=").all()
    first = linked.iloc[0]
    sheet, cell = first["where"].split("!")
    assert first["link"].endswith(f"gid={google.gids[sheet]}&range={cell}")


def test_a_fetch_is_reused_for_exactly_the_ttl_then_refetched(google, tmp_path, monkeypatch):
    import lib.loading

    clock = [1000.0]
    monkeypatch.setattr(lib.loading.time, "monotonic", lambda: clock[0])
    monkeypatch.setenv("SONGIANG_CACHE_TTL", "60")
    at = session(tmp_path).run()
    clock[0] += 59
    session(tmp_path).run()
    assert google.calls["batchGet"] == 1
    clock[0] += 2  # 61 s after the first fetch
    at.run()
    assert google.calls["batchGet"] == 2
    clock[0] += 30
    session(tmp_path).run()
    assert google.calls["batchGet"] == 2


def test_with_the_history_in_postgresql_a_rewritten_past_figure_is_shown(google, postgres_url):
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
    at.button(key="refresh").click().run()
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
    assert f"postgresql://dashboard:***@127.0.0.1:{port}/songiang" in [c.value for c in at.code]
    assert "Kho lịch sử (PostgreSQL dùng chung)." in [m.value for m in at.markdown]
    assert any("Không dùng được kho lịch sử" in w.value for w in at.warning)
    assert "pg-secret-4713" not in everything_shown(at)
