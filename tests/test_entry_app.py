"""AppTest of the report form behind a link, and of the staff screen of links, on a fake Google at the HTTP edge (issue 14)."""

from __future__ import annotations

import pytest
import responses
import streamlit as st
from fake_google import KEY, SHEET_URL, FakeGoogle, key_material, service_account_info
from streamlit.testing.v1 import AppTest
from test_app_google import everything_shown
from test_hostile import HOSTILE, hostile_workbook  # noqa: F401 - a fixture

from conftest import TODAY
from lib import live, outbox, pipeline
from lib.entry_links import sign
from lib.loading import REFRESH_INTERVAL_SECONDS
from lib.sample import SampleSpec, build
from lib.sources import RawWorkbook
from lib.validation.run import validate
from views.entry import STYLE

TIMEOUT = 60
SECRET = "entry-secret-for-tests-0123456789"
LABELS = ["Số hộ đã cài đặt", "Số tài khoản đã đăng ký", "Số phản ánh đã gửi"]


SWEEP_CLOCK = [0.0]


def later() -> None:
    """Half a minute passes: the next load tries the outbox again."""
    SWEEP_CLOCK[0] += 31.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in ("SONGIANG_SOURCE", "GOOGLE_APPLICATION_CREDENTIALS", "SONGIANG_STORE", "SONGIANG_ENTRY_SECRET", "SONGIANG_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())  # a Sunday: the open week is Thursday 03/12/2026
    monkeypatch.setenv("SONGIANG_CACHE_TTL", "86400")
    monkeypatch.setattr("lib.google_sheets.RetryPolicy.sleep", staticmethod(lambda seconds: None))
    monkeypatch.setattr("lib.outbox._clock", lambda: SWEEP_CLOCK[0])  # the outbox is retried at most once per 30 s
    outbox._LAST_SWEEP.clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    live.forget_readers()
    outbox.forget_writers()
    yield
    st.cache_resource.clear()
    live.forget_readers()
    outbox.forget_writers()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    ticking = Clock()
    monkeypatch.setattr("lib.loading._clock", ticking)
    return ticking


TABS = build(SampleSpec(villages=6, units=4, weeks=5, seed=3, mistakes=False))


_READ = validate(RawWorkbook({t: [list(r) for r in rows] for t, rows in TABS.items()}, "sample"), TODAY)
_V = _READ.villages.iloc[0]
VILLAGE = (str(_V["name"]), "", int(_V["households"]), int(_V["smartphone_households"]))  # name, -, households, smartphone households
OTHER = (str(_READ.villages["name"].iloc[1]),)
UNIT = (str(_READ.units["name"].iloc[0]), int(_READ.units["staff"].iloc[0]))  # name, staff


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, TABS)


def app(tmp_path, **query: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.secrets["sheet"] = {"url": SHEET_URL, "snapshot_store": f"sqlite:///{tmp_path / 'store.sqlite'}"}
    at.secrets["gcp_service_account"] = service_account_info()
    at.secrets["entry"] = {"secret": SECRET, "revoked": ["Thôn Đã Thu Hồi"], "base_url": "https://bang.songiang.vn"}
    for name, value in query.items():
        at.query_params[name] = value
    return at


def link(tmp_path, name: str = VILLAGE[0], kind: str = "village", token: str | None = None) -> AppTest:
    param = "thon" if kind == "village" else "don-vi"
    return app(tmp_path, **{param: name, "ma": token if token is not None else sign(SECRET, kind, name)}).run()


def labels(at: AppTest) -> list[str]:
    return [n.label for n in at.number_input]


def fill(at: AppTest, installed: int, accounts: int | None = None, sent: int | None = None, note: str = "") -> AppTest:
    at.number_input(key="entry_installed").set_value(installed)
    if accounts is not None:
        at.number_input(key="entry_accounts").set_value(accounts)
    if sent is not None:
        at.number_input(key="entry_reports_sent").set_value(sent)
    if note:
        at.text_input(key="entry_note").input(note)
    return at.run()


def send(at: AppTest) -> AppTest:
    return at.button(key="entry_send").click().run()


def rows_with(google: FakeGoogle, text: str, tab: str = "Báo cáo thôn") -> list[list[object]]:
    return [r for r in google.rows(tab) if text in r]


def shows_no_data(at: AppTest) -> bool:
    return not (at.metric or at.dataframe or at.get("plotly_chart") or at.get("download_button") or at.code or at.number_input)


def last_installed(tmp_path, name: str) -> int:
    ds = pipeline.load(live.resolve(SHEET_URL, service_account_info(), f"sqlite:///{tmp_path / 'peek.sqlite'}"), TODAY).ds
    reports = ds.village_reports[ds.village_reports["village"] == name]
    return int(reports.sort_values("week")["installed"].iloc[-1])


def test_a_valid_link_opens_its_villages_form_and_nothing_else(google, tmp_path):
    at = link(tmp_path)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == [VILLAGE[0]]
    assert labels(at) == LABELS and [t.label for t in at.text_input] == ["Ghi chú"]
    assert [b.label for b in at.button] == ["Gửi báo cáo"]
    assert any("Tuần báo cáo: Thứ Năm 03/12/2026" in h.value for h in at.subheader)
    assert any(f"Số hộ có điện thoại thông minh: **{VILLAGE[3]}**" in m.value for m in at.markdown)
    shown = everything_shown(at)
    assert not (at.metric or at.dataframe or at.get("plotly_chart") or at.get("download_button") or at.sidebar.children)
    assert OTHER[0] not in shown and "Tổng quan" not in shown  # another village's data, the dashboard's menu
    assert google.token_requests and set(google.token_requests) == {"https://www.googleapis.com/auth/spreadsheets.readonly"}


def test_a_report_sent_from_the_form_is_one_row_a_confirmation_with_the_new_rate_and_on_the_dashboard_after_the_next_read(
    google, tmp_path, clock
):
    before = last_installed(tmp_path, VILLAGE[0])
    at = link(tmp_path)
    clock.now += REFRESH_INTERVAL_SECONDS  # what the dashboard shows is old enough for the form's forced read
    fill(at, before + 5, 400, 9, "Họp dân tối thứ Bảy")
    assert not at.error and not at.warning
    send(at)
    assert not at.exception
    [done] = at.success
    assert done.value == f"Đã gửi báo cáo tuần Thứ Năm 03/12/2026 của {VILLAGE[0]}."
    written = " ".join(m.value for m in at.markdown)
    rate = f"{(before + 5) / VILLAGE[3] * 100:.1f}".replace(".", ",")
    assert f"Số hộ đã cài đặt: **{before + 5}**" in written and "Số tài khoản đã đăng ký: **400**" in written
    assert f"**{rate} %** số hộ có điện thoại thông minh" in written and "Mã gửi: SG-" in written
    [row] = [r for r in google.rows("Báo cáo thôn") if r and r[0] == "03/12/2026"]
    assert row[1:6] == [VILLAGE[0], before + 5, 400, 9, "Họp dân tối thứ Bảy"] and str(row[6]).startswith("SG-")
    assert google.calls["append"] == 1
    staff = app(tmp_path, thon=VILLAGE[0])
    staff.run()
    staff.switch_page("views/villages.py").run()
    assert not staff.exception
    assert f"{before + 5}/{VILLAGE[3]}" in [m.value for m in staff.metric]  # read again after the send: no click needed
    again = link(tmp_path)  # the same link later: the proof, not a second form
    assert again.success and not again.number_input


def test_a_figure_above_the_smartphone_households_needs_the_tick_and_above_all_households_cannot_be_sent(google, tmp_path):
    at = link(tmp_path)
    fill(at, VILLAGE[2] + 1)
    assert [e.value for e in at.error] == [
        f"{VILLAGE[2] + 1} lớn hơn tổng số hộ của thôn ({VILLAGE[2]}). Hãy kiểm tra lại; "
        "nếu tổng số hộ của thôn đã thay đổi, xin báo Phòng Văn hóa – Xã hội sửa danh sách thôn."
    ]
    send(at)
    assert google.calls["append"] == 0 and not at.success
    fill(at, VILLAGE[3] + 1)
    assert not at.error and "lớn hơn số hộ có điện thoại thông minh" in at.warning[0].value
    assert [c.label for c in at.checkbox] == ["Tôi xác nhận số này đúng"]
    send(at)
    assert google.calls["append"] == 0 and not at.success
    at.checkbox(key="entry_confirm").check().run()
    send(at)
    assert at.success and google.calls["append"] == 1


def test_a_figure_below_last_week_needs_the_tick(google, tmp_path):
    before = last_installed(tmp_path, VILLAGE[0])
    at = fill(link(tmp_path), before - 1)
    assert "nhỏ hơn số đã báo tuần" in at.warning[0].value and at.checkbox


def test_a_blank_figure_is_named_only_once_they_try_to_send(google, tmp_path):
    at = link(tmp_path)
    assert not at.error
    send(at)
    assert [e.value for e in at.error] == ["Hãy nhập số hộ đã cài đặt. Ô trống không được tính là 0."]
    assert google.calls["append"] == 0


def test_a_unit_heads_form_asks_for_officials_installed(google, tmp_path):
    at = link(tmp_path, UNIT[0], "unit")
    assert not at.exception and [t.value for t in at.title] == [UNIT[0]]
    assert labels(at) == ["Số cán bộ đã cài đặt"]
    fill(at, UNIT[1])  # everyone: never below last week, never above the staff
    assert not at.error and not at.warning
    send(at)
    assert at.success and "Tỷ lệ cài đặt của" in " ".join(m.value for m in at.markdown)
    assert rows_with(google, "03/12/2026", "Báo cáo đơn vị")[0][1] == UNIT[0]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"thon": VILLAGE[0], "ma": "A" * 22}, "không còn dùng được"),  # a made-up token
        ({"thon": OTHER[0], "ma": sign(SECRET, "village", VILLAGE[0])}, "không còn dùng được"),  # another village's link
        ({"don-vi": VILLAGE[0], "ma": sign(SECRET, "village", VILLAGE[0])}, "không còn dùng được"),  # the same name as a unit
        ({"thon": VILLAGE[0], "ma": sign(SECRET + "cũ", "village", VILLAGE[0])}, "không còn dùng được"),  # before the secret changed
        ({"thon": "Thôn Đã Thu Hồi", "ma": sign(SECRET, "village", "Thôn Đã Thu Hồi")}, "đã bị thu hồi"),
        ({"ma": sign(SECRET, "village", VILLAGE[0])}, "không đúng hoặc bị thiếu"),
        ({"thon": "Thôn Không Có", "ma": sign(SECRET, "village", "Thôn Không Có")}, "chưa có trong danh sách"),
    ],
)
def test_a_tampered_revoked_or_borrowed_link_gets_a_polite_refusal_and_no_data(google, tmp_path, query, words):
    at = app(tmp_path, **query).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Báo cáo tuần"]
    assert len(at.error) == 1 and words in at.error[0].value
    assert shows_no_data(at) and not at.button
    shown = everything_shown(at)
    assert VILLAGE[0] not in shown or "Thôn Không Có" in str(query)  # nothing of the village named in the link
    assert google.calls["append"] == 0


def test_without_a_secret_every_link_is_refused(google, tmp_path):
    at = app(tmp_path, thon=VILLAGE[0], ma=sign(SECRET, "village", VILLAGE[0]))
    at.secrets["entry"] = {}
    at.run()
    assert "chưa được bật" in at.error[0].value and shows_no_data(at)


def test_a_report_link_opens_without_signing_in_but_the_dashboard_still_asks_for_it(google, tmp_path):
    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "cookie-secret-value-4711",
        "client_id": "x",
        "client_secret": "client-secret-value-4712",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
    }
    form = app(tmp_path, thon=VILLAGE[0], ma=sign(SECRET, "village", VILLAGE[0]))
    form.secrets["auth"], form.secrets["access"] = auth, {"allowed_emails": ["chutich@gmail.com"]}
    form.user = {"is_logged_in": False}
    form.run()
    assert not form.exception and labels(form) == LABELS and [b.label for b in form.button] == ["Gửi báo cáo"]
    dashboard = app(tmp_path, thon=VILLAGE[0])
    dashboard.secrets["auth"], dashboard.secrets["access"] = auth, {"allowed_emails": ["chutich@gmail.com"]}
    dashboard.user = {"is_logged_in": False}
    dashboard.run()
    assert dashboard.button(key="login") and shows_no_data(dashboard)


def test_google_down_when_sending_saves_the_report_and_a_later_load_delivers_it_once(google, tmp_path):
    before = last_installed(tmp_path, VILLAGE[0])
    google.fail("append", 503, 503, 503)
    at = send(fill(link(tmp_path), before + 1))
    assert not at.exception and not at.success
    assert at.info[0].value == "Đã lưu, sẽ gửi lên bảng tính khi có kết nối. Không cần gửi lại."
    assert not rows_with(google, "03/12/2026")
    assert link(tmp_path).info  # opened again at once: still saved, not sent twice in a row
    later()
    again = link(tmp_path)  # the next time anyone opens a form: the outbox is tried again
    assert again.success and "Đã gửi báo cáo tuần Thứ Năm 03/12/2026" in again.success[0].value
    assert len(rows_with(google, "03/12/2026")) == 1
    later()
    link(tmp_path)
    assert len(rows_with(google, "03/12/2026")) == 1 and google.calls["append"] == 4


def test_two_phones_sending_the_same_week_give_one_row(google, tmp_path):
    before = last_installed(tmp_path, VILLAGE[0])
    first, second = fill(link(tmp_path), before + 1), fill(link(tmp_path), before + 2)  # both open before either sends
    send(first)
    send(second)
    assert first.success and f"Số hộ đã cài đặt: **{before + 1}**" in " ".join(m.value for m in first.markdown)
    [refused] = second.error  # the second phone's figures were not sent, and it says why; the proof shows what was
    assert "đã gửi báo cáo lúc" in refused.value and f"số hộ đã cài đặt: {before + 1})" in refused.value
    assert f"Số hộ đã cài đặt: **{before + 1}**" in " ".join(m.value for m in second.markdown)
    assert len(rows_with(google, "03/12/2026")) == 1


def test_with_an_xlsx_source_the_form_explains_it_needs_a_service_account(tmp_path, monkeypatch, sample_path):
    monkeypatch.setenv("SONGIANG_SOURCE", str(sample_path))
    at = app(tmp_path, thon="Thôn 3", ma=sign(SECRET, "village", "Thôn 3"))
    at.secrets["gcp_service_account"] = {}
    at.run()
    assert not at.exception and "tài khoản dịch vụ" in at.warning[0].value and not at.number_input
    assert "Người chỉnh sửa" in at.expander[0].children[0].value if at.expander[0].children else True


def test_no_key_or_secret_on_the_form_its_confirmation_its_refusals_or_the_staff_screen(google, tmp_path):
    google.fail("append", 403, 403, 403)
    pages = []
    at = link(tmp_path)
    pages.append(everything_shown(at))
    send(fill(at, last_installed(tmp_path, VILLAGE[0]) + 1))
    pages.append(everything_shown(at))
    pages.append(everything_shown(app(tmp_path, thon=VILLAGE[0], ma="x" * 22).run()))
    staff = app(tmp_path).run()
    staff.switch_page("views/links.py").run()
    assert not staff.exception
    tables = "\n".join(d.value.to_string() for d in staff.dataframe)
    pages.append(everything_shown(staff) + tables)
    assert "Người chỉnh sửa" in tables  # the staff screen says why the row waits
    secrets = [*key_material(), SECRET]
    assert not [s for page in pages for s in secrets if s in page]


def test_the_staff_screen_lists_each_link_with_its_qr_code_and_zalo_message(google, tmp_path):
    staff = app(tmp_path).run()
    staff.switch_page("views/links.py").run()
    assert not staff.exception and not staff.error
    table = next(d.value for d in staff.dataframe if "qr" in d.value.columns)
    assert len(table) == 6 + 4
    assert table["qr"].str.startswith("data:image/png;base64,").all()
    assert table["url"].str.startswith("https://bang.songiang.vn/?").all()
    assert (table["url"] == f"https://bang.songiang.vn/?thon={VILLAGE[0]}".replace(" ", "%20")).sum() == 0  # names are encoded
    messages = [c.value for c in staff.code]
    assert len(messages) == 10 and any(VILLAGE[0] in m and "trưởng thôn" in m for m in messages)
    assert any(s.value == "Không có báo cáo nào đang chờ." for s in staff.success)


def test_the_staff_screen_shows_the_rows_waiting_for_google_and_sends_them_on_request(google, tmp_path):
    google.fail("append", 503, 503, 503)
    send(fill(link(tmp_path), last_installed(tmp_path, VILLAGE[0]) + 1))
    staff = app(tmp_path).run()
    google.fail("append", 503, 503, 503, 503, 503, 503)  # still down while the staff screen opens
    staff.switch_page("views/links.py").run()
    waiting = next(d.value for d in staff.dataframe if "tries" in d.value.columns)
    assert waiting["name"].tolist() == [VILLAGE[0]] and "mã 503" in waiting["error"].iloc[0]
    google.faults.clear()
    staff.button(key="outbox_retry").click().run()
    assert any(s.value == "Không có báo cáo nào đang chờ." for s in staff.success)
    assert len(rows_with(google, "03/12/2026")) == 1


def test_the_report_link_points_at_the_configured_sheet(google):
    assert live.resolve(SHEET_URL, service_account_info()).location == KEY


def test_hostile_names_stay_text_on_the_staff_screen(hostile_workbook, monkeypatch):  # noqa: F811 - the fixture imported above
    from test_hostile import live_markdown, markdown_strings

    monkeypatch.setenv("SONGIANG_ENTRY_SECRET", SECRET)
    monkeypatch.setenv("SONGIANG_BASE_URL", "https://bang.songiang.vn")
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT).run()
    at.switch_page("views/links.py").run()
    assert not at.exception and len(at.code) >= len(HOSTILE)
    assert [(kind, text) for kind, text in markdown_strings(at) if live_markdown(text)] == []


def test_hostile_names_stay_text_on_the_form(tmp_path):
    from test_hostile import live_markdown, markdown_strings

    name = "[bấm vào đây](javascript:alert(1)) **Thôn** <b>x</b>"
    tabs = {t: [list(r) for r in rows] for t, rows in TABS.items()}
    roster = tabs["Thôn"]
    header = next(i for i, r in enumerate(roster) if r and "Tên thôn" in r)
    roster[header + 1][roster[header].index("Tên thôn")] = name
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        FakeGoogle(mock, tabs)
        at = link(tmp_path, name)
        assert not at.exception and labels(at) == LABELS
        ours = {("html", STYLE)}  # the form's own stylesheet: large inputs on a phone
        assert [(kind, text) for kind, text in markdown_strings(at) if live_markdown(text) and (kind, text) not in ours] == []
        send(fill(at, 1))
        assert at.success
        assert [(kind, text) for kind, text in markdown_strings(at) if live_markdown(text) and (kind, text) not in ours] == []
