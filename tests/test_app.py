"""AppTest: every page renders without an exception and shows the figures lib computes."""

import contextlib
import datetime as dt
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import D1, D2, REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES, save_workbook
from lib import dashboard, field_report_figures, messages, metrics, phases
from lib.fmt import fmt_int, fmt_pct
from lib.live import resolve
from lib.pipeline import load
from lib.sample import SampleSpec, write_xlsx
from views import SCREENS

TIMEOUT = 60  # AppTest's default of 3 s is tight on 2 cores
PAGES = [s.script.removeprefix("views/").removesuffix(".py") for s in SCREENS]


pytestmark = pytest.mark.usefixtures("fresh_caches")  # conftest: Streamlit's caches emptied around each test


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    path = write_xlsx(SampleSpec(villages=8, units=5, weeks=6, seed=7), tmp_path / "fixture.xlsx")
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    return path


@pytest.fixture
def board(workbook):
    return dashboard.build(load(resolve(str(workbook)), TODAY).ds)


def table(at: AppTest, column: str):
    """The first dataframe shown with this column (non-widget dataframes have no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def open_page(page: str = "overview", **query: list[str]) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    for name, values in query.items():
        at.query_params[name] = values
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_exception(workbook, page):
    at = open_page(page)
    assert not at.exception
    assert not at.error
    assert any("Dữ liệu từ tệp Excel lúc" in c.value for c in at.caption) or page == "source"


def test_overview_shows_the_figures_lib_computes(board):
    s = board.summary
    at = open_page()
    now = board.commune_at(s.as_of)
    shown = {m.label: m.value for m in at.metric}
    assert shown == {
        "Hộ dân đã cài": fmt_pct(s.household_rate),
        "Cán bộ đã cài": fmt_pct(s.official_rate),
        "Thôn đạt chỉ tiêu": f"{s.villages_meeting_target}/{s.villages}",
        "Báo cáo tuần này": f"{s.villages_reported_latest}/{s.villages}",
        "Trên tổng số hộ": fmt_pct(now["rate_all"]),
        "Tiến độ": shown["Tiến độ"],
        "Xử lý đúng hạn": fmt_pct(field_report_figures.summary(board.ds)["on_time_rate"]),  # the fixture has a `Phản ánh` tab
        "Phản ánh quá hạn": fmt_int(field_report_figures.summary(board.ds)["overdue_open"]),
    }
    p = metrics.pace(board.commune_weeks, 0.7, metrics.default_deadline(board.ds.campaign.phases, s.as_of))
    assert shown["Tiến độ"] == ("Đã đạt" if p.reached else "Kịp" if p.on_pace else "Chậm")
    villages = board.villages_at(s.as_of)
    lagging = table(at, "needed")
    assert list(lagging["name"]) == list(
        villages[~villages["meets_target"]].sort_values(["needed", "name"], ascending=[False, True])["name"].head(5)
    )
    assert any(f"cần thêm {fmt_int(int(villages['needed'].sum()))} hộ" in h.value for h in at.subheader)
    assert any(f"{len(board.not_reported(s.as_of))} thôn" in h.value for h in at.subheader)
    assert not any("dữ liệu mẫu" in i.value for i in at.info)


def test_choosing_a_deadline_changes_the_pace_needed(board):
    import datetime as dt

    deadline = dt.date(2026, 5, 28)  # one week after the fixture's last report
    p = metrics.pace(board.commune_weeks, 0.7, deadline)
    assert not p.on_pace and p.remaining > 0  # the fixture is behind: 57 % at 21/05
    at = open_page()
    at.date_input(key="deadline").set_value(deadline).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Tiến độ"] == "Chậm"
    assert any(f"Để đạt trước 28/05/2026 cần khoảng **{fmt_int(p.remaining)} hộ/tuần**" in m.value for m in at.markdown)


def test_overview_on_the_bundled_sample_says_it_is_sample_data(monkeypatch):
    monkeypatch.delenv("SONGIANG_SOURCE", raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page()
    assert not at.exception
    assert any("dữ liệu mẫu" in i.value for i in at.info)
    assert [m.value for m in at.metric][:3] == ["79,3 %", "100,0 %", "18/24"]


def test_a_shared_link_selects_its_villages_forgiving_spelling(board):
    at = open_page("villages", thon=["thôn 02", "Thôn Nam Sơn", "Không có"])
    assert not at.exception
    assert at.multiselect(key="thon_select").value == ["Thôn 2", "Thôn Nam Sơn"]
    villages = board.villages_at(board.summary.as_of).set_index("name")
    needed = [m.value for m in at.metric if m.label == "Cần thêm"]
    assert needed == [f"{fmt_int(villages.loc['Thôn 2', 'needed'])} hộ", f"{fmt_int(villages.loc['Thôn Nam Sơn', 'needed'])} hộ"]


def test_picking_a_village_puts_it_in_the_url(board):
    at = open_page("villages")
    at.multiselect(key="thon_select").set_value(["Thôn 5"]).run()
    assert not at.exception
    assert at.query_params["thon"] in ("Thôn 5", ["Thôn 5"])
    assert [m.value for m in at.metric if m.label == "Đã cài / hộ có ĐTTM"] == [
        "{}/{}".format(
            *board.villages_at(board.summary.as_of).set_index("name").loc["Thôn 5", ["installed", "smartphone_households"]].map(fmt_int)
        )
    ]


def test_the_village_table_lists_every_village_worst_first(board):
    at = open_page("villages")
    shown = table(at, "need_text")
    expected = board.villages_at(board.summary.as_of)
    assert list(shown["name"]) == list(expected["name"])
    assert list(shown["need_text"]) == [f"cần thêm {n} hộ" if n else "đạt" for n in expected["needed"]]
    assert list(shown["rate"]) == [fmt_pct(r) for r in expected["rate"]]  # "57,9 %" as in the charts, never "57 %"


def test_units_page_shows_units_below_target_first(board):
    at = open_page("units")
    s = board.summary
    assert {m.label: m.value for m in at.metric}["Đơn vị đạt"] == f"{s.units_meeting_target}/{s.units}"
    for frame in (t.value for t in at.dataframe if "rate" in t.value.columns):  # the field-report table has its own test
        rates = [float(r.removesuffix(" %").replace(",", ".")) for r in frame["rate"]]
        assert rates == sorted(rates) or min(rates) >= 100


def test_phases_page_shows_each_phase_result(board):
    at = open_page("phases")
    results = phases.phase_results(board.ds, board.commune_weeks, board.official_weeks)
    shown = [m.value for m in at.metric if m.label == "Hộ dân cuối giai đoạn"]
    assert shown == [fmt_pct(r.rate_end) for r in results if r.end_week is not None]


def test_quality_page_filters_issues_and_writes_the_reminder(board):
    at = open_page("quality")
    errors = int((board.issues["severity"] == "error").sum())
    assert {m.label: m.value for m in at.metric}["Lỗi"] == str(errors)
    assert len(table(at, "what")) == len(board.issues)
    at.multiselect(key="f_severity").set_value(["error"]).run()
    assert len(table(at, "what")) == errors
    accounting = table(at, "Đã đọc")
    assert list(accounting["Đã đọc"])[:-1] == [n["read"] for n in board.ds.rows.values()]
    assert at.code[-1].value == messages.missing_reports(board, board.summary.as_of)


def test_the_rejected_rows_card_is_the_total_of_the_row_table_when_a_row_has_two_errors(tmp_path, monkeypatch):
    # Row 7 has no date and "abc" households: two errors, one rejected row (the card said 2, the table 1).
    reports = REPORTS + [[D2, "Thôn 1", "abc"], [None, "Thôn Yên Thọ", "abc"]]
    path = save_workbook(
        tmp_path / "two.xlsx", {"Thôn": VILLAGES, "Báo cáo thôn": reports, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS}
    )
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page("quality")
    cards = {m.label: m.value for m in at.metric}
    accounting = table(at, "Bị loại")
    assert accounting.iloc[-1]["Tab"] == "Tổng cộng"
    assert cards["Dòng bị loại"] == str(accounting.iloc[-1]["Bị loại"]) == "2"
    assert cards["Lỗi"] == "3"
    assert any("3 lỗi trên 2 dòng bị loại" in c.value for c in at.caption)


def test_the_quality_page_writes_each_villages_fixes_with_its_page_link(board, monkeypatch):
    monkeypatch.setenv("SONGIANG_BASE_URL", "https://bang.example.vn")
    at = open_page("quality")
    first = messages.villages_with_issues(board.issues, list(board.ds.villages["name"]))[0]
    assert at.selectbox(key="fix_village").value == first
    assert at.code[0].value == messages.village_fixes(board.issues, first, "https://bang.example.vn")
    assert "https://bang.example.vn/theo-thon?thon=" in at.code[0].value


def test_source_page_offers_the_template(workbook):
    at = open_page("source")
    assert not at.exception
    assert str(workbook) in at.code[0].value
    assert any("tài khoản dịch vụ" in m.value for m in at.markdown)


def test_an_unreadable_source_shows_a_vietnamese_message_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"this is not a workbook")
    monkeypatch.setenv("SONGIANG_SOURCE", str(broken))
    at = open_page()
    assert not at.exception
    assert len(at.error) == 1 and "Không đọc được" in at.error[0].value


def test_a_rerun_reads_and_validates_nothing_again(workbook, monkeypatch):
    import lib.live

    calls = []
    real = lib.live.fetch
    monkeypatch.setattr(lib.live, "fetch", lambda config: calls.append(config.location) or real(config))
    at = open_page()
    at.run()
    at.run()
    assert not at.exception
    assert calls == [str(workbook)]


def test_report_page_offers_the_week_the_downloads_and_the_zalo_message(board):
    from lib.report import latest_complete_week, now_local

    at = open_page("report")
    assert not at.exception
    week = latest_complete_week(board.weeks, now_local())
    assert at.selectbox(key="report_week").value == week
    assert at.code[0].value == messages.weekly_summary(board, week)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải báo cáo .docx", "Tải bản PDF", "Tải bảng số liệu .xlsx"]
    earlier = board.weeks[-2]
    at.selectbox(key="report_week").set_value(earlier).run()
    assert at.code[0].value == messages.weekly_summary(board, earlier)
    assert any(f"{earlier:%d/%m/%Y}" in m.value for m in at.markdown)


def test_without_libreoffice_the_pdf_button_says_why(workbook, monkeypatch):
    from lib import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    at = open_page("report")
    assert not at.exception
    pdf = next(b for b in at.get("download_button") if b.proto.label == "Tải bản PDF")
    assert pdf.proto.disabled and pdf.proto.help == office.NOT_INSTALLED
    assert office.NOT_INSTALLED in [c.value for c in at.caption]


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "cookie-secret-do-not-show",
    "client_id": "id",
    "client_secret": "client-secret-do-not-show",
    "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
}


def signed_in_app(user: dict) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.secrets["access"] = {"allowed_emails": ["chutich@gmail.com"], "allowed_domains": ["hatinh.gov.vn"]}
    at.user = user
    return at.run()


def test_with_sign_in_configured_a_visitor_must_sign_in_first(workbook):
    at = signed_in_app({"is_logged_in": False})
    assert not at.exception
    assert at.button(key="login")
    assert not at.metric


@pytest.mark.parametrize("email", ["chutich@gmail.com", "pct.vhxh@hatinh.gov.vn"])
def test_listed_users_see_the_dashboard(workbook, email):
    at = signed_in_app({"is_logged_in": True, "email": email})
    assert not at.exception
    assert len(at.metric) == 8  # six cards, and two on field reports (the fixture has a `Phản ánh` tab)


def test_others_get_a_polite_vietnamese_refusal_and_no_figures(workbook):
    at = signed_in_app({"is_logged_in": True, "email": "nguoila@gmail.com"})
    assert not at.exception
    assert "chưa được cấp quyền" in at.error[0].value
    assert not at.metric


def test_without_auth_the_setup_page_says_the_app_is_open(workbook):
    at = open_page("source")
    assert any("mở cho mọi người" in w.value for w in at.warning)


def test_an_uploaded_workbook_replaces_the_source_for_this_session_only(workbook, tmp_path):
    other = write_xlsx(SampleSpec(villages=5, units=3, weeks=4, seed=11), tmp_path / "tai-len.xlsx")
    at = open_page("source")
    at.session_state["uploaded_workbook"] = ("tai-len.xlsx", other.read_bytes())
    at.switch_page("views/overview.py").run()
    assert not at.exception
    assert any("Dữ liệu từ tệp tải lên" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Thôn đạt chỉ tiêu"].endswith("/5")
    fresh = open_page()
    assert {m.label: m.value for m in fresh.metric}["Thôn đạt chỉ tiêu"].endswith("/8")


def test_a_province_size_sheet_ranks_only_the_forty_lowest_villages(tmp_path, monkeypatch):
    import json

    path = write_xlsx(SampleSpec(villages=120, units=5, weeks=4, seed=5, mistakes=False), tmp_path / "lon.xlsx")
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page()
    assert not at.exception
    trend, ranking = at.get("plotly_chart")
    bars = json.loads(ranking.proto.spec)["data"][0]["y"]
    assert len(bars) == 40
    assert any("40 thôn có tỷ lệ thấp nhất trong 120 thôn" in c.value for c in at.caption)


def test_a_phase_for_officials_is_judged_against_the_officials_target(board):
    at = open_page("phases")
    labels = [m.label for m in at.metric if m.label.startswith("Chỉ tiêu")]
    assert labels[0] == "Chỉ tiêu cán bộ 100 %"
    assert all(label == "Chỉ tiêu hộ 70 %" for label in labels[1:])


def shows_no_data(at: AppTest) -> bool:
    """Nothing from the workbook on the page: no figures, tables, charts or downloads."""
    return not (at.metric or at.dataframe or at.get("plotly_chart") or at.get("download_button") or at.code)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.url_path)
def test_a_screen_run_without_the_gate_refuses_and_shows_no_data(workbook, screen):
    at = AppTest.from_file(f"../{screen.script}", default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Trang này chỉ mở được qua bảng theo dõi, sau khi đăng nhập và được cấp quyền xem."]
    assert shows_no_data(at) and not at.title


def switch_or_stay(at: AppTest, script: str) -> AppTest:
    """Ask for a screen the way a browser would; a gate that registered no such screen leaves nothing to switch to."""
    with contextlib.suppress(ValueError):
        at.switch_page(script)
    return at.run()


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.url_path)
def test_a_signed_out_visitor_asking_for_a_screen_gets_only_the_sign_in(workbook, screen):
    fresh = switch_or_stay(signed_in_app({"is_logged_in": False}), screen.script)
    assert not fresh.exception and fresh.button(key="login") and shows_no_data(fresh)
    at = signed_in_app({"is_logged_in": True, "email": "chutich@gmail.com"})  # every screen registered, then signed out
    at.user = {"is_logged_in": False}
    at.switch_page(screen.script).run()
    assert not at.exception
    assert at.button(key="login") and [t.value for t in at.title] == ["Bảng theo dõi i-HaTinh — xã Sơn Giang"]
    assert shows_no_data(at)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.url_path)
def test_a_user_not_on_the_list_asking_for_a_screen_gets_only_the_refusal(workbook, screen):
    at = switch_or_stay(signed_in_app({"is_logged_in": True, "email": "nguoila@gmail.com"}), screen.script)
    assert not at.exception
    assert "chưa được cấp quyền" in at.error[0].value and shows_no_data(at)


def test_a_secrets_file_that_does_not_parse_closes_the_app(workbook, tmp_path, monkeypatch):
    from streamlit.runtime.secrets import Secrets
    from streamlit.testing.v1.util import patch_config_options

    path = tmp_path / "secrets.toml"
    path.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback\ncookie_secret = "x"\n')  # an unclosed quote
    monkeypatch.setattr(st, "secrets", Secrets())  # a fresh reader: nothing cached from another test
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    with patch_config_options({"secrets.files": [str(path)]}):
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            "Không đọc được tệp cấu hình bí mật secrets.toml (lỗi ở dòng 2). "
            "Để an toàn, bảng tạm khóa và không hiển thị số liệu cho đến khi tệp được sửa. Hãy báo người quản trị."
        ]
        assert shows_no_data(at) and not at.button
        path.unlink()  # no secrets file at all is the sample set-up: open, no sign-in
        at.run()
        assert not at.exception and len(at.metric) == 8


def test_the_overview_opens_for_a_campaign_run_in_2025(tmp_path, monkeypatch):
    import datetime as dt

    year = dt.timedelta(days=364)  # 52 weeks: Thursdays stay Thursdays
    path = save_workbook(
        tmp_path / "2025.xlsx",
        {
            "Thôn": VILLAGES,
            "Báo cáo thôn": REPORTS[:1] + [[d - year, *rest] for d, *rest in REPORTS[1:]],
            "Đơn vị": UNITS,
            "Báo cáo đơn vị": UNIT_REPORTS[:1] + [[d - year, *rest] for d, *rest in UNIT_REPORTS[1:]],
            "Giai đoạn": [
                ["Giai đoạn", "Từ ngày", "Đến ngày", "Đối tượng"],
                ["Giai đoạn 1", dt.date(2025, 4, 15), dt.date(2025, 4, 20), "Cán bộ"],
                ["Giai đoạn 2", dt.date(2025, 4, 21), dt.date(2025, 12, 31), "Người dân"],
            ],
        },
    )
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    at = open_page()
    assert not at.exception
    deadline = at.date_input(key="deadline")
    assert deadline.value == dt.date(2025, 12, 31)  # the 2025 phase the last report (24/04/2025) falls in
    assert deadline.min == dt.date(2025, 4, 15)  # the first phase's start
    assert {m.label: m.value for m in at.metric}["Báo cáo tuần này"] == "2/3"
    assert (D1 - year, D2 - year) == (dt.date(2025, 4, 17), dt.date(2025, 4, 24))


@pytest.fixture
def survivable_workbook(tmp_path, monkeypatch):
    """The fixture workbook with a village's smartphone households typed '77%', a village with 0, and a week entered again."""
    from lib.sample import build

    tabs = build(SampleSpec(villages=8, units=5, weeks=6, seed=7))
    villages = tabs["Thôn"]
    first = next(i for i, row in enumerate(villages) if row and row[0] == 1)  # the first village row (STT 1)
    villages[first][4] = "77%"
    villages[first + 1][4] = 0
    reports = tabs["Báo cáo thôn"]
    last = max(r[0] for r in reports if r and isinstance(r[0], dt.date))
    again = next(r for r in reports if r and r[0] == last and r[1] == villages[first + 2][1])
    reports.append([again[0], again[1], again[2] + 1, "", "", "sửa lại"])
    path = save_workbook(tmp_path / "survivable.xlsx", tabs)
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    return path, villages[first][1], villages[first + 1][1], again[1]


def shown_text(at: AppTest) -> str:
    """Every text a page shows: markdown, captions, metrics, alerts and every cell of every table."""
    parts = [
        e.value for kind in ("markdown", "caption", "subheader", "title", "header", "info", "warning", "success") for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    for frame in at.dataframe:  # a missing number is an empty cell in the browser; text cells are shown as they are
        parts += [str(v) for v in frame.value.to_numpy().ravel() if isinstance(v, str)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_a_77_percent_roster_figure_a_zero_village_and_a_week_entered_again(survivable_workbook, page):
    _, unknown, zero, _ = survivable_workbook
    at = open_page(page)
    assert not at.exception
    text = shown_text(at)
    assert not re.search(r"\bnan\b|<NA>|\bNaN\b|None %", text), page
    if page == "villages":
        rows = table(at, "need_text").set_index("name")
        assert rows.loc[unknown, "need_text"] == "thiếu số hộ có ĐTTM"
        assert rows.loc[zero, "need_text"] == "không áp dụng"


def test_the_village_page_says_why_a_village_has_no_rate(survivable_workbook):
    _, unknown, zero, _ = survivable_workbook
    at = open_page("villages", thon=[unknown, zero])
    assert not at.exception
    cards = {(m.label, m.help) for m in at.metric if m.label == "Tỷ lệ / hộ có ĐTTM"}
    assert {help for _, help in cards} == {"Thiếu số hộ có ĐTTM", "Không áp dụng"}
    assert [m.value for m in at.metric if m.label == "Cần thêm"] == ["thiếu số hộ có ĐTTM", "không áp dụng"]


def test_a_week_entered_again_is_not_chased_in_the_reminder(survivable_workbook):
    path, _, _, corrected = survivable_workbook
    board = dashboard.build(load(resolve(str(path)), TODAY).ds)
    assert corrected not in board.not_reported(board.summary.as_of)
    assert "duplicate_report" in set(board.issues["code"])
