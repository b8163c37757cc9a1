"""The report form's write path against a fake Google at the HTTP edge: one row, whatever the network does (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
import responses
from fake_google import API, KEY, SHEET_URL, FakeGoogle, service_account_info

from lib import entry, live
from lib.google_sheets import RetryPolicy, ServiceAccountReader
from lib.outbox import Outbox, deliver, deliver_pending, submit
from lib.sample import SampleSpec, build
from lib.sheets_append import SheetWriter
from lib.validation.run import validate

TODAY = dt.date(2026, 11, 29)  # a Sunday: the open week is Thursday 3/12/2026
WEEK = dt.date(2026, 12, 3)
READ_ONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
READ_WRITE = "https://www.googleapis.com/auth/spreadsheets"


def no_wait(seconds: float) -> None:
    assert seconds >= 0


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr("lib.google_sheets.RetryPolicy.sleep", staticmethod(no_wait))
    live.forget_readers()
    yield
    live.forget_readers()


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, build(SampleSpec(villages=6, units=4, weeks=5, seed=3, mistakes=False)))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def outbox(store_url):
    return Outbox(store_url)


def writer() -> SheetWriter:
    return SheetWriter(service_account_info(), policy=RetryPolicy(), api_root=API)


def cells():
    """The Sheet's cells as the dashboard fetches them (the reader's own service-account path)."""
    return ServiceAccountReader(service_account_info(), api_root=API).read(KEY)


def read(today: dt.date = TODAY):
    """The Sheet as the dashboard reads it."""
    return validate(cells(), today)


def form_for(name: str, today: dt.date = TODAY, kind: str = "village") -> entry.Form:
    raw = cells()
    ds = validate(raw, today)
    return entry.prepare(ds, raw, entry.find_subject(ds, kind, name), today)


def village(index: int = 0) -> str:
    """A village on the fake Sheet's roster, by its position."""
    return str(read().villages["name"].iloc[index])


def send(outbox: Outbox, form: entry.Form, draft: entry.Draft, submission_id: str = "SG-TEST-1", make=writer):
    checked = entry.check(form, draft, submission_id)
    assert checked.sendable(confirmed=True), checked.messages
    return submit(outbox, make, f"google:{KEY}", KEY, form, draft, checked, submission_id)


def rows_with(google: FakeGoogle, text: str, tab: str = "Báo cáo thôn") -> list[list[object]]:
    return [r for r in google.rows(tab) if text in r]


def test_one_submission_appends_one_row_with_the_right_tab_village_date_and_figures_and_the_next_read_shows_it(google, outbox):
    name = village()
    form = form_for(name)
    last = int(form.last_report()["installed"])
    outcome = send(outbox, form, entry.Draft(WEEK, last + 7, 300, 12, "Đã họp dân"))
    assert outcome.status == "delivered" and outcome.entry.delivered
    assert google.calls["append"] == 1
    [sent] = google.appends
    assert sent["tab"] == "Báo cáo thôn"
    assert sent["query"]["valueInputOption"] == ["RAW"] and sent["query"]["insertDataOption"] == ["INSERT_ROWS"]
    [row] = rows_with(google, "SG-TEST-1")
    header = google.rows("Báo cáo thôn")[form.where.header_row]
    assert dict(zip(header, row, strict=False)) | {} == {
        "Ngày báo cáo": "03/12/2026",
        "Tên thôn": name,
        "Số hộ đã cài đặt": last + 7,
        "Số tài khoản đã đăng ký": 300,
        "Số phản ánh đã gửi": 12,
        "Ghi chú": "Đã họp dân",
        "Mã gửi": "SG-TEST-1",
    }
    ds = read()  # the next fetch: the row is read back in its week, with no issue
    mine = ds.village_reports[(ds.village_reports["village"] == name) & (ds.village_reports["week"] == WEEK)]
    assert mine[["installed", "accounts", "reports_sent"]].values.tolist() == [[last + 7, 300, 12]]
    assert ds.issues[ds.issues["row"] == mine["row"].iloc[0]].empty
    assert outcome.entry.figures["rate"] == pytest.approx((last + 7) / form.subject.size)


def test_only_the_write_path_asks_for_the_spreadsheets_scope(google, outbox):
    form = form_for(village())
    before = len(google.token_requests)
    assert before and set(google.token_requests) == {READ_ONLY}
    send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"])))
    read()
    assert google.token_requests == [READ_ONLY] * before + [
        READ_WRITE,
        READ_ONLY,
    ]  # each signed token request: readers, the writer, a reader


@pytest.mark.parametrize("locale", ["vi_VN", "en_US"])
def test_the_date_reads_back_as_the_same_day_in_a_vietnamese_and_a_united_states_sheet(google, outbox, locale):
    google.locale = locale
    monday = dt.date(2026, 11, 2)  # the open week is Thursday 5/11/2026: day and month both ≤ 12
    [week] = entry.open_weeks(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), 3)
    assert week == dt.date(2026, 11, 5)
    form = form_for(village(), monday)
    send(outbox, form, entry.Draft(week, int(form.last_report()["installed"]) + 1))
    ds = read(monday)
    [row] = rows_with(google, "SG-TEST-1")
    assert row[0] == "05/11/2026"  # stored as the text the form wrote
    assert ds.village_reports["week"].max() == week and ds.issues[ds.issues["value"] == "05/11/2026"].empty


def test_typed_text_would_have_changed_meaning_in_a_united_states_sheet():
    """Why RAW: the same text entered as a user types it is 11 May in a United States sheet, 5 November in a Vietnamese one."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeGoogle(mock, {"T": []})
        for locale, meaning in (("vi_VN", dt.date(2026, 11, 5)), ("en_US", dt.date(2026, 5, 11))):
            fake.locale = locale
            assert fake._entered("05/11/2026", "USER_ENTERED") == (meaning - dt.date(1899, 12, 30)).days
            assert fake._entered("05/11/2026", "RAW") == "05/11/2026"


def test_a_double_submit_gives_one_row(google, outbox):
    form = form_for(village())
    draft = entry.Draft(WEEK, int(form.last_report()["installed"]) + 2)
    first = send(outbox, form, draft)
    second = send(outbox, form, draft)
    assert first.status == second.status == "delivered" and second.entry.id == first.entry.id
    assert len(rows_with(google, "SG-TEST-1")) == 1 and google.calls["append"] == 1


def test_two_tabs_open_give_one_row_and_a_second_different_report_is_refused(google, outbox):
    form = form_for(village())
    last = int(form.last_report()["installed"])
    first = send(outbox, form, entry.Draft(WEEK, last + 2), "SG-TAB-1")
    same = send(outbox, form, entry.Draft(WEEK, last + 2), "SG-TAB-2")  # the other tab, the same figures
    other = send(outbox, form, entry.Draft(WEEK, last + 3), "SG-TAB-3")  # a third, different figures, same week
    assert same.status == "delivered" and same.entry.id == "SG-TAB-1"
    assert other.status == "taken" and other.entry.id == "SG-TAB-1"
    assert google.calls["append"] == 1 and len(rows_with(google, "SG-TAB-1")) == 1
    assert not rows_with(google, "SG-TAB-2") and not rows_with(google, "SG-TAB-3")
    assert first.entry.id == "SG-TAB-1"


def test_a_timeout_after_google_wrote_gives_one_row(google, outbox):
    form = form_for(village())
    google.fail("append", "wrote-then-timeout")
    outcome = send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1))
    assert outcome.status == "delivered"
    assert google.calls["append"] == 1 and google.calls["values"] == 1  # the retry looked for the id and found it
    assert len(rows_with(google, "SG-TEST-1")) == 1


def test_503_then_recovery_delivers_the_outbox_once(google, outbox):
    form = form_for(village())
    google.fail("append", 503, 503, 503)
    outcome = send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1))
    assert outcome.status == "saved" and outcome.message == "Đã lưu, sẽ gửi lên bảng tính khi có kết nối."
    assert "Máy chủ Google đang gặp sự cố (mã 503)" in outcome.entry.last_error
    assert not rows_with(google, "SG-TEST-1")
    assert [e.id for e in outbox.pending()] == ["SG-TEST-1"]
    delivered = deliver_pending(outbox, writer, f"google:{KEY}")  # a later load, or `lib snapshot`
    assert [e.status for e in delivered] == ["delivered"]
    assert deliver_pending(outbox, writer, f"google:{KEY}") == [] and outbox.pending() == []
    assert len(rows_with(google, "SG-TEST-1")) == 1 and google.calls["append"] == 4
    assert google.calls["values"] == 3  # each retry looked for the id first


def test_a_delivery_in_flight_elsewhere_is_not_repeated(google, outbox):
    form = form_for(village())
    google.fail("append", 503, 503, 503)
    send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1))
    assert outbox.claim("SG-TEST-1") is not None  # another process took it
    assert deliver(outbox, writer, "SG-TEST-1").status == "pending"
    assert google.calls["append"] == 3  # nothing sent while the other holds it
    outbox.release("SG-TEST-1", None)
    assert deliver(outbox, writer, "SG-TEST-1").delivered
    assert len(rows_with(google, "SG-TEST-1")) == 1


def test_a_sheet_shared_as_viewer_only_says_the_account_must_be_an_editor(google, outbox):
    form = form_for(village())
    google.fail("append", 403)
    outcome = send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1))
    assert outcome.status == "saved"
    assert "Người chỉnh sửa" in outcome.entry.last_error and "dashboard@son-giang-test.iam.gserviceaccount.com" in outcome.entry.last_error


def test_a_link_that_sends_too_often_is_slowed_down(google, outbox):
    form = form_for(village())
    draft = entry.Draft(WEEK, int(form.last_report()["installed"]) + 1)
    outcomes = [send(outbox, form, draft).status for _ in range(6)]
    assert outcomes == ["delivered"] * 5 + ["rate_limited"]
    assert google.calls["append"] == 1


def test_a_tab_without_the_mã_gửi_column_gets_its_header_then_the_row(outbox):
    tabs = build(SampleSpec(villages=3, units=2, weeks=2, seed=3, mistakes=False))
    header_at = next(i for i, r in enumerate(tabs["Báo cáo thôn"]) if r and r[0] == "Ngày báo cáo")
    tabs["Báo cáo thôn"][header_at] = [h for h in tabs["Báo cáo thôn"][header_at] if h != "Mã gửi"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(mock, tabs)
        form = form_for(village())
        assert form.where.id_header_missing
        send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1))
        assert google.rows("Báo cáo thôn")[header_at][form.where.id_column] == "Mã gửi"
        assert len(rows_with(google, "SG-TEST-1")) == 1
        raw = cells()
        assert entry.layout(validate(raw, TODAY), raw, "village").id_header_missing is False


def test_a_unit_heads_report_goes_to_the_units_tab(google, outbox):
    name = str(read().units["name"].iloc[0])
    form = form_for(name, kind="unit")
    outcome = send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"])))
    assert outcome.status == "delivered" and google.appends[0]["tab"] == "Báo cáo đơn vị"
    [row] = rows_with(google, "SG-TEST-1", "Báo cáo đơn vị")
    assert row[:2] == ["03/12/2026", name]


def test_the_dashboards_source_is_the_same_identity_the_outbox_files_under(google):
    config = live.resolve(SHEET_URL, service_account_info())
    assert config.identity == f"google:{KEY}"


def test_a_page_load_waits_for_one_try_at_most_while_google_is_still_down(google, outbox, monkeypatch):
    import lib.outbox

    for index, submission in enumerate(("SG-A", "SG-B")):
        form = form_for(village(index))
        google.fail("append", 503, 503, 503)
        assert send(outbox, form, entry.Draft(WEEK, int(form.last_report()["installed"]) + 1), submission).status == "saved"
    calls = google.calls["append"]
    google.fail("append", *[503] * 6)
    monkeypatch.setattr(lib.outbox, "_LAST_SWEEP", {})
    tried = deliver_pending(outbox, writer, f"google:{KEY}", throttle=True)
    assert [e.id for e in tried] == ["SG-A"] and google.calls["append"] == calls + 3  # SG-B waits for the next load
    assert deliver_pending(outbox, writer, f"google:{KEY}", throttle=True) == []  # within 30 s: not tried again
    google.faults.clear()
    assert [e.status for e in deliver_pending(outbox, writer, f"google:{KEY}")] == ["delivered", "delivered"]
