"""The report form's pure rules: signed links, the reader's checks on a draft, and the report date (issues 14, 17)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from conftest import REPORTS, TODAY, VILLAGES, book, check
from lib import dashboard, entry, entry_links
from lib.config import TIMEZONE
from lib.entry_links import EntrySettings, LinkRequest, entry_settings, requested, sign, verify
from lib.history import History, timeliness
from lib.metrics import village_weekly
from lib.pipeline import check_result
from lib.validation.run import validate

SECRET = "a-test-secret-of-thirty-two-chars"
SETTINGS = EntrySettings(secret=SECRET)


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in Hà Tĩnh."""
    return dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=TIMEZONE)


# --- links ---------------------------------------------------------------------------------


def link_request(url: str) -> LinkRequest | None:
    return requested({k: v[0] for k, v in parse_qs(urlparse(url).query).items()})


def test_a_link_opens_for_its_own_village_and_carries_its_name():
    url = entry_links.link_url("https://bang.example.vn", SECRET, "village", "Thôn Trung Hòa")
    assert url.startswith("https://bang.example.vn/?thon=Th%C3%B4n%20Trung%20H%C3%B2a&ma=")
    request = link_request(url)
    assert request == LinkRequest("village", "Thôn Trung Hòa", sign(SECRET, "village", "Thôn Trung Hòa"))
    assert verify(SETTINGS, request) is None
    assert len(request.token) == 22 and request.token.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda r: LinkRequest(r.kind, "Thôn 1", r.token), "bad_signature"),  # another village's name on this link
        (lambda r: LinkRequest("unit", r.name, r.token), "bad_signature"),  # the same name as a unit
        (lambda r: LinkRequest(r.kind, r.name, r.token[:-1] + ("A" if r.token[-1] != "A" else "B")), "bad_signature"),
        (lambda r: LinkRequest(r.kind, r.name, r.token[:10]), "bad_signature"),
        (lambda r: LinkRequest(r.kind, r.name, "ử" * 22), "bad_signature"),
        (lambda r: LinkRequest(r.kind, r.name, ""), "malformed"),
        (lambda r: LinkRequest("", "", r.token), "malformed"),
    ],
)
def test_a_tampered_or_borrowed_link_is_refused(change, refusal):
    genuine = LinkRequest("village", "Thôn Trung Hòa", sign(SECRET, "village", "Thôn Trung Hòa"))
    assert verify(SETTINGS, change(genuine)) == refusal


def test_spelling_of_the_name_in_the_link_does_not_matter_as_for_the_reader():
    token = sign(SECRET, "village", "Thôn Trung Hòa")
    for spelling in ("thôn trung hoà", "Thôn  Trung Hòa", "Tho\u0302n Trung Ho\u0300a"):
        assert verify(SETTINGS, LinkRequest("village", spelling, token)) is None


def test_a_changed_secret_revokes_every_link():
    token = sign(SECRET, "village", "Thôn 1")
    assert verify(EntrySettings(secret=SECRET + "-new"), LinkRequest("village", "Thôn 1", token)) == "bad_signature"


def test_a_revoked_name_is_refused_in_any_spelling_and_left_out_of_the_list():
    settings = entry_settings(env={"SONGIANG_ENTRY_SECRET": SECRET}, secrets={"entry": {"revoked": ["thôn 01"]}})
    assert verify(settings, LinkRequest("village", "Thôn 1", sign(SECRET, "village", "Thôn 1"))) == "revoked"
    made = entry_links.links(settings, "https://x.vn", ["Thôn 1", "Thôn Yên Thọ"], ["UBND xã"])
    assert [(link.kind, link.name) for link in made] == [("village", "Thôn Yên Thọ"), ("unit", "UBND xã")]
    assert all(verify(settings, link_request(link.url)) is None for link in made)


def test_the_form_is_off_without_a_secret_or_with_a_short_one():
    assert not entry_settings(env={}, secrets={}).enabled
    assert verify(entry_settings(env={}, secrets={}), LinkRequest("village", "Thôn 1", "x" * 22)) == "off"
    short = entry_settings(env={}, secrets={"entry": {"secret": "ngắn"}})
    assert not short.enabled and "quá ngắn" in short.problem
    assert entry_settings(env={"SONGIANG_ENTRY_SECRET": SECRET}, secrets={"entry": {"secret": "other" * 5}}).secret == SECRET


def test_the_token_is_compared_in_constant_time(monkeypatch):
    compared = []
    real = entry_links.hmac.compare_digest
    monkeypatch.setattr(entry_links.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    verify(SETTINGS, LinkRequest("village", "Thôn 1", "x" * 22))
    assert compared == [(sign(SECRET, "village", "Thôn 1").encode(), b"x" * 22)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"thon": "Thôn 1"}, None),  # the villages screen's own link: not a report link
        ({"thon": "Thôn 1", "ma": "abc"}, LinkRequest("village", "Thôn 1", "abc")),
        ({"don-vi": "UBND xã", "ma": "abc"}, LinkRequest("unit", "UBND xã", "abc")),
        ({"thon": "Thôn 1", "don-vi": "UBND xã", "ma": "abc"}, LinkRequest("", "", "abc")),
        ({"ma": "abc"}, LinkRequest("", "", "abc")),
        ({"thon": ["Thôn 1", "Thôn 2"], "ma": "abc"}, LinkRequest("", "", "abc")),
    ],
)
def test_a_query_is_a_report_link_only_when_it_carries_a_token(query, expected):
    assert requested(query) == expected


def test_the_zalo_message_names_the_village_its_link_and_the_deadline():
    link = entry_links.Link("village", "Thôn 3", "https://x.vn/?thon=Th%C3%B4n%203&ma=abc")
    text = entry_links.zalo_message(link, "Sơn Giang")
    assert "trưởng thôn Thôn 3" in text and link.url in text.splitlines() and "23:59 Thứ Năm" in text
    assert "<" not in text and "*" not in text  # plain text, as Zalo shows it


def test_a_qr_code_is_a_png():
    assert entry_links.qr_png("https://x.vn/?thon=Th%C3%B4n%203&ma=abc").startswith(b"\x89PNG\r\n")
    assert entry_links.qr_data_uri("https://x.vn/").startswith("data:image/png;base64,")


# --- the draft checked by the reader -------------------------------------------------------

THURSDAY = dt.date(2026, 12, 3)  # the week open on TODAY (Sunday 29/11/2026)
FULL_REPORTS = [
    ["Ngày báo cáo", "Tên thôn", "Số hộ đã cài đặt", "Số tài khoản đã đăng ký", "Số phản ánh đã gửi", "Ghi chú"],
    *[[*row, 50, 2, ""] for row in REPORTS[1:]],
]


def form_for(name: str = "Thôn Trung Hòa", kind: str = "village", **tabs) -> entry.Form:
    raw = book(**({"Bao_cao_thon": FULL_REPORTS} | tabs))
    ds = validate(raw, TODAY)
    return entry.prepare(ds, raw, entry.find_subject(ds, kind, name), TODAY)


def test_the_form_labels_are_the_templates_own_headers():
    assert [entry.label("village", f) for f in ("installed", "accounts", "reports_sent", "note")] == [
        "Số hộ đã cài đặt",
        "Số tài khoản đã đăng ký",
        "Số phản ánh đã gửi",
        "Ghi chú",
    ]
    assert entry.label("unit", "installed") == "Số cán bộ đã cài đặt"


def test_a_good_draft_has_no_message_and_gives_the_new_rate():
    form = form_for()
    assert form.last_report()["installed"] == 75 and form.subject.size == 100
    checked = entry.check(form, entry.Draft(THURSDAY, 80, 60, 3, "Đã họp thôn"), "SG-1")
    assert checked.messages == () and checked.sendable(confirmed=False)
    assert checked.rate == pytest.approx(0.8)
    assert checked.row == ["03/12/2026", "Thôn Trung Hòa", 80, 60, 3, "Đã họp thôn", "SG-1"]


@pytest.mark.parametrize(
    ("draft", "field", "confirm", "words"),
    [
        (entry.Draft(THURSDAY, 120), "installed", True, "lớn hơn số hộ có điện thoại thông minh của thôn (100)"),
        (entry.Draft(THURSDAY, 201), "installed", False, "lớn hơn tổng số hộ của thôn (200)"),
        (entry.Draft(THURSDAY, 60), "installed", True, "nhỏ hơn số đã báo tuần 23/04/2026 (75)"),
        (entry.Draft(THURSDAY, 80, 40), "accounts", True, "nhỏ hơn số đã báo tuần 23/04/2026 (50)"),
        (entry.Draft(THURSDAY, None), "installed", False, "Ô trống không được tính là 0"),
        (entry.Draft(dt.date(2026, 4, 23), 80), "week", False, "đã có báo cáo"),  # a second, different report for a week
        (entry.Draft(dt.date(2026, 4, 23), 75, 50, 2), "week", False, "đã có báo cáo"),  # the same again
        (entry.Draft(dt.date(2026, 12, 10), 80), "week", False, "không còn nhận"),  # a week not open yet
        (entry.Draft(dt.date(2026, 12, 2), 80), "week", False, "không còn nhận"),  # not the report day
    ],
)
def test_each_rule_is_the_readers_and_speaks_beside_its_field(draft, field, confirm, words):
    checked = entry.check(form_for(), draft, "SG-1")
    assert [(m.field, m.confirm) for m in checked.messages] == [(field, confirm)]
    assert words in checked.messages[0].text
    assert checked.sendable(confirmed=True) is confirm
    assert not checked.sendable(confirmed=False)


def test_a_draft_the_reader_would_reject_promises_no_rate():
    assert entry.check(form_for(), entry.Draft(THURSDAY, 201), "SG-1").rate is None


def test_a_unit_form_checks_against_the_units_staff():
    form = form_for("UBND xã", "unit")
    assert form.subject.size == 30 and form.last_report()["installed"] == 30
    assert entry.check(form, entry.Draft(THURSDAY, 30), "SG-2").messages == ()
    over = entry.check(form, entry.Draft(THURSDAY, 31), "SG-2")
    assert over.blocked and "tổng số cán bộ của đơn vị (30)" in over.messages[0].text
    assert entry.check(form, entry.Draft(THURSDAY, 30), "SG-2").row == ["03/12/2026", "UBND xã", 30, "SG-2"]


def test_the_forms_own_rows_not_yet_on_the_sheet_count_as_earlier_reports():
    raw = book(Bao_cao_thon=FULL_REPORTS)
    ds = validate(raw, TODAY)
    subject = entry.find_subject(ds, "village", "Thôn 1")
    pending = entry.check(entry.prepare(ds, raw, subject, TODAY), entry.Draft(THURSDAY, 100), "SG-1").row
    form = entry.prepare(ds, raw, subject, TODAY, [pending])
    assert form.last_report()["installed"] == 100
    assert entry.check(form, entry.Draft(THURSDAY, 101), "SG-2").blocked  # the week is taken by the pending row


def test_a_village_not_accepted_on_the_roster_has_no_form():
    ds = check(Thon=[*VILLAGES, ["Thoân Mới", "", 100, 80]])  # a name typed in an old encoding: rejected
    assert entry.find_subject(ds, "village", "Thoân Mới") is None
    assert entry.find_subject(ds, "village", "Thôn Không Có") is None


def test_a_village_whose_roster_figure_is_wrong_keeps_its_form_without_a_denominator():
    ds = check(Thon=[*VILLAGES, ["Thôn Mới", "", 100, 120]])  # more smartphone households than households
    subject = entry.find_subject(ds, "village", "Thôn Mới")
    assert (subject.size, subject.households) == (None, 100)


def test_the_row_follows_the_tabs_own_layout_and_reads_back_clean():
    reports = [
        ["BÁO CÁO KẾT QUẢ CÀI ĐẶT"],
        [],
        ["STT", "Thôn", "Ngày BC", "Ghi chú", "Số hộ đã cài đặt", "Mã gửi"],
        [1, "Thôn 1", "23/04/2026", "", 90, ""],
    ]
    raw = book(Bao_cao_thon=reports)
    ds = validate(raw, TODAY)
    form = entry.prepare(ds, raw, entry.find_subject(ds, "village", "thôn 01"), TODAY)
    assert (form.where.header_row, form.where.first_column, form.where.id_column, form.where.id_header_missing) == (2, 0, 5, False)
    row = entry.check(form, entry.Draft(THURSDAY, 95, note="ok"), "SG-9").row
    assert row == ["", "Thôn 1", "03/12/2026", "ok", 95, "SG-9"]
    after = validate(book(Bao_cao_thon=[*reports, row]), TODAY)
    assert after.issues[after.issues["row"] == 5].empty
    assert entry.ids_on_sheet(book(Bao_cao_thon=[*reports, row]), form.where) == {"SG-9"}


def test_a_tab_without_a_mã_gửi_column_gets_one_right_after_its_header():
    form = form_for()
    assert form.where.id_header_missing and form.where.id_column == 6 and form.where.id_header_cell == "G1"


def test_the_report_weekday_comes_from_the_sheets_settings():
    config = [["Mục", "Giá trị"], ["Ngày báo cáo trong tuần", "Thứ Hai"]]
    monday_reports = [FULL_REPORTS[0], [dt.date(2026, 11, 23), "Thôn 1", 90, 50, 2, ""]]
    raw = book(Bao_cao_thon=monday_reports, **{"Cấu hình": config})
    ds = validate(raw, TODAY)
    week = entry.open_weeks(at("2026-11-29"), ds.campaign.report_weekday)
    assert week == [dt.date(2026, 11, 30)]
    form = entry.prepare(ds, raw, entry.find_subject(ds, "village", "Thôn 1"), TODAY)
    assert entry.check(form, entry.Draft(week[0], 95), "SG-1").messages == ()


# --- issue 17: the report date the form writes ---------------------------------------------

# Monday 23/11/2026 … Sunday 29/11/2026; the deadline of the week of Thursday 26/11 is 23:59 that day.
MOMENTS = {
    "Thứ Hai": (at("2026-11-23"), [dt.date(2026, 11, 26)]),
    "Thứ Ba": (at("2026-11-24"), [dt.date(2026, 11, 26)]),
    "Thứ Tư": (at("2026-11-25"), [dt.date(2026, 11, 26)]),
    "Thứ Năm sáng": (at("2026-11-26", "08:00"), [dt.date(2026, 11, 26)]),
    "Thứ Năm 23:58": (at("2026-11-26", "23:58"), [dt.date(2026, 11, 26)]),
    "Thứ Năm 23:59:30 (quá hạn)": (at("2026-11-26", "23:59:30"), [dt.date(2026, 11, 26)]),
    "Thứ Sáu 00:01": (at("2026-11-27", "00:01"), [dt.date(2026, 12, 3)]),
    "Thứ Bảy": (at("2026-11-28"), [dt.date(2026, 12, 3)]),
    "Chủ Nhật": (at("2026-11-29", "23:30"), [dt.date(2026, 12, 3)]),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_form_offers_the_week_still_open(moment):
    now, weeks = MOMENTS[moment]
    assert entry.open_weeks(now, 3) == weeks


def test_an_earlier_week_stays_open_only_until_its_own_deadline(monkeypatch):
    import lib.history

    late = lambda week, at=dt.time(23, 59): dt.datetime.combine(week + dt.timedelta(days=1), at, tzinfo=TIMEZONE)  # noqa: E731
    monkeypatch.setattr(lib.history, "deadline", late)  # a commune that gives one more day
    assert entry.open_weeks(at("2026-11-27", "12:00"), 3) == [dt.date(2026, 12, 3), dt.date(2026, 11, 26)]
    assert entry.open_weeks(at("2026-11-28", "00:00"), 3) == [dt.date(2026, 12, 3)]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_form_row_reads_back_in_its_week_with_no_error_and_no_warning_on_every_day(moment):
    now, _ = MOMENTS[moment]
    today = now.date()
    history = [FULL_REPORTS[0], [dt.date(2026, 11, 19), "Thôn 1", 90, 50, 2, ""], [dt.date(2026, 11, 19), "Thôn Yên Thọ", 20, 30, 1, ""]]
    raw = book(Bao_cao_thon=history)
    ds = validate(raw, today)
    subject = entry.find_subject(ds, "village", "Thôn 1")
    form = entry.prepare(ds, raw, subject, today)
    for week in entry.open_weeks(now, ds.campaign.report_weekday):
        checked = entry.check(form, entry.Draft(week, 95, 60, 3), "SG-1")
        assert checked.messages == ()
        sheet = [*history, checked.row]  # as the Sheet returns it: the date is the text the form wrote (RAW)
        result = check_result(dashboard.build(validate(book(Bao_cao_thon=sheet), today)))  # what `python -m lib check --json` prints
        assert [i for i in result["issues"] if i["sheet"] == "Báo cáo thôn"] == []
        read = validate(book(Bao_cao_thon=sheet), today).village_reports
        assert read.loc[read["row"] == len(sheet), "week"].tolist() == [week]


@pytest.mark.parametrize(
    "typed",
    [dt.date(2026, 12, 10), dt.date(2026, 12, 31), dt.date(2027, 12, 3), "03/01/2027", "10/12/2026", dt.date(2026, 11, 30)],
)
def test_a_hand_typed_later_date_is_still_refused_as_future(typed):
    ds = check(Bao_cao_thon=[*REPORTS, [typed, "Thôn 1", 100]])
    assert [(c.code, c.severity) for c in ds.issues.itertuples()] == [("future_date", "error")]


def test_the_open_weeks_report_day_typed_by_hand_is_accepted_without_a_warning():
    ds = check(Bao_cao_thon=[*REPORTS, ["03/12/2026", "Thôn 1", 100]])
    assert ds.issues.empty and ds.village_reports["week"].iloc[-1] == THURSDAY


def test_timeliness_stays_exact_for_form_rows():
    """On time when first seen by the deadline (23:59 Thursday, Hà Tĩnh), late after it: the form changes nothing there."""
    rows = [FULL_REPORTS[0], ["26/11/2026", "Thôn 1", 95, "", "", "", "SG-1"], ["03/12/2026", "Thôn Trung Hòa", 80, "", "", "", "SG-2"]]
    ds = validate(book(Bao_cao_thon=rows), dt.date(2026, 11, 27))
    seen = pd.DataFrame(
        {
            "entity": ["village", "village"],
            "key": ["thôn 1", "thôn trung hòa"],
            "week": [dt.date(2026, 11, 26), dt.date(2026, 12, 3)],
            # Thôn 1 sent at 23:59:30 on the report day; Trung Hòa sent the Friday before its week.
            "first_seen": [at("2026-11-26", "23:59:30"), at("2026-11-27", "00:01")],
        }
    )
    history = History(seen, pd.DataFrame(), 2, at("2026-11-01"))
    vw = village_weekly(ds)
    status = timeliness(vw, ds.village_reports, history, at("2026-12-04"))
    judged = {(r.key, r.week): r.status for r in status.itertuples() if r.status in ("on_time", "late")}
    assert judged == {("thôn 1", dt.date(2026, 11, 26)): "late", ("thôn trung hòa", dt.date(2026, 12, 3)): "on_time"}
