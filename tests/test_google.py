"""The Google sources against a fake Google at the HTTP edge, with the real gspread and google-auth."""

import json
import math
import time

import pytest
import responses
from fake_google import KEY, SHEET_URL, FakeGoogle, SlowGoogle, key_material, reply, service_account_info, xlsx_bytes

from conftest import TODAY
from lib import dashboard, live
from lib.google_sheets import FetchError, RetryPolicy, ServiceAccountReader, read_link
from lib.live import forget_tabs, resolve
from lib.pipeline import check_result, load
from lib.sample import SampleSpec, build
from lib.sources import sheet_key
from lib.validation.run import validate

TABS = build(SampleSpec(villages=6, units=4, weeks=5, seed=3))


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, TABS)


@pytest.fixture(autouse=True)
def history_in_a_throwaway_store(tmp_path, monkeypatch):
    """Commands on a Google Sheet keep its history where the app does (SONGIANG_STORE); here, a throw-away file."""
    monkeypatch.setenv("SONGIANG_STORE", f"sqlite:///{tmp_path / 'snapshots.sqlite'}")


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def reader(sleeps):
    return ServiceAccountReader(service_account_info(), policy=RetryPolicy(sleep=sleeps.append))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (SHEET_URL, KEY),
        (f"https://docs.google.com/spreadsheets/d/{KEY}", KEY),
        (KEY, KEY),
        ("data/x.xlsx", None),
        ("https://example.com/a", None),
    ],
)
def test_sheet_keys_come_from_urls_or_bare_keys(text, key):
    assert sheet_key(text) == key


def test_one_refresh_is_one_batch_get_and_metadata_is_fetched_once_per_process(google, reader):
    first = reader.read(KEY)
    second = reader.read(KEY)
    assert dict(google.calls) == {"token": 1, "metadata": 1, "batchGet": 2}
    assert first.tabs == second.tabs
    assert set(first.tabs) == set(TABS)


def test_the_request_asks_for_unformatted_values_serial_dates_and_read_only_scope(google, reader):
    reader.read(KEY)
    assert google.last_params["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert google.last_params["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert google.token_requests == ["https://www.googleapis.com/auth/spreadsheets.readonly"]


def test_every_request_has_a_timeout_and_every_fetch_a_deadline(google, reader):
    reader.read(KEY)
    assert reader.http.timeout == (5, 30)
    assert reader.policy.deadline == 30.0


def test_a_sheet_read_through_the_api_validates_like_the_xlsx(google, reader, tmp_path):
    from lib.sample import write_xlsx

    api = validate(reader.read(KEY), TODAY)
    path = write_xlsx(SampleSpec(villages=6, units=4, weeks=5, seed=3), tmp_path / "same.xlsx")
    local = load(resolve(str(path)), TODAY).ds
    assert api.village_reports.drop(columns="row").equals(local.village_reports.drop(columns="row"))
    assert list(api.issues["code"]) == list(local.issues["code"])


def test_cell_links_open_the_exact_cell_in_the_sheet(google, reader):
    raw = reader.read(KEY)
    assert (
        raw.cell_link("Báo cáo thôn", "C17")
        == f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid={google.gids['Báo cáo thôn']}&range=C17"
    )


def test_429_then_success_is_retried_with_backoff(google, reader, sleeps):
    google.fail("batchGet", 429)
    raw = reader.read(KEY)
    assert raw.tabs and google.calls["batchGet"] == 2 and sleeps == [0.5]


@pytest.mark.parametrize(
    ("fault", "reason", "tries"),
    [
        (429, "quota", 3),
        (500, "server", 3),
        (503, "server", 3),
        ("timeout", "network", 3),
        ("reset", "network", 3),
        ("malformed", "malformed", 1),
        (403, "permission", 1),
        (404, "not_found", 1),
    ],
)
def test_each_failure_gives_up_after_bounded_tries_with_a_reason(google, reader, sleeps, fault, reason, tries):
    google.fail("batchGet", *[fault] * 5)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert caught.value.reason == reason
    assert google.calls["batchGet"] == tries
    assert len(sleeps) == tries - 1


def test_403_says_which_email_to_share_the_sheet_with(google, reader):
    google.fail("batchGet", 403)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert "dashboard@son-giang-test.iam.gserviceaccount.com" in str(caught.value) and "Người xem" in str(caught.value)


def test_a_deleted_sheet_is_not_found(google, sleeps):
    reader = ServiceAccountReader(service_account_info(), policy=RetryPolicy(sleep=sleeps.append))
    with pytest.raises(FetchError) as caught:
        reader.read("1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")
    assert caught.value.reason == "not_found"


def test_a_renamed_tab_refreshes_the_metadata_once(google, reader):
    reader.read(KEY)
    google.rename("Báo cáo thôn", "BC thôn tuần")
    raw = reader.read(KEY)
    assert "BC thôn tuần" in raw.tabs
    assert google.calls["metadata"] == 2
    assert [i.code for i in validate(raw, TODAY).issues.itertuples()].count("missing_tab") == 1


def test_revoked_credentials_are_an_auth_failure(google, reader):
    google.fail("token", 400)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert caught.value.reason == "auth"


def test_a_broken_key_is_refused_without_quoting_it():
    info = service_account_info() | {"private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}
    with pytest.raises(FetchError) as caught:
        ServiceAccountReader(info)
    assert caught.value.reason == "auth" and "AAAA" not in str(caught.value)


def test_a_link_shared_sheet_is_read_in_one_export_request(google):
    google.xlsx = xlsx_bytes(TABS)
    raw = read_link(KEY, policy=RetryPolicy(sleep=lambda s: None))
    assert google.calls["export"] == 1
    assert validate(raw, TODAY).rows["Báo cáo thôn"]["read"] > 0
    assert raw.kind == "link"


def test_a_link_shared_sheet_links_cells_of_the_tab_its_url_names(google):
    google.xlsx = xlsx_bytes(TABS)
    gid = google.gids["Báo cáo thôn"]
    config = resolve(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid={gid}")
    assert (config.kind, config.gid) == ("link", gid)
    forget_tabs(config.identity)
    policy = RetryPolicy(sleep=lambda s: None)
    raw = read_link(KEY, policy=policy, gid=config.gid)
    assert raw.cell_link("Báo cáo thôn", "C17") == f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid={gid}&range=C17"
    assert raw.cell_link("Thôn", "A2") is None  # the export names no other tab's id: the message says tab and row
    read_link(KEY, policy=policy, gid=gid)
    assert google.calls["export_gid"] == 1  # learnt once; forgotten on *Làm mới*
    forget_tabs(config.identity)
    read_link(KEY, policy=policy, gid=gid)
    assert google.calls["export_gid"] == 2


def test_a_link_without_a_gid_or_with_an_unknown_one_still_reads_without_links(google):
    google.xlsx = xlsx_bytes(TABS)
    policy = RetryPolicy(sleep=lambda s: None)
    assert resolve(f"https://docs.google.com/spreadsheets/d/{KEY}/edit").gid is None
    assert read_link(KEY, policy=policy).gids == {} and google.calls["export_gid"] == 0
    forget_tabs(f"link:{KEY}")
    raw = read_link(KEY, policy=policy, gid=999)
    assert raw.gids == {} and raw.cell_link("Báo cáo thôn", "C17") is None
    assert validate(raw, TODAY).rows["Báo cáo thôn"]["read"] > 0


def test_a_private_sheet_behind_a_link_says_how_to_share_it(google):
    with pytest.raises(FetchError) as caught:
        read_link(KEY, policy=RetryPolicy(sleep=lambda s: None))
    assert caught.value.reason == "permission" and "Bất kỳ ai có đường liên kết" in str(caught.value)


def test_check_with_a_sheet_url_prints_the_same_json_contract(google, tmp_path, capsys):
    from lib.__main__ import main

    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(service_account_info()))
    live.forget_readers()
    status = main(["check", SHEET_URL, "--json", "--credentials", str(key_file), "--today", TODAY.isoformat()])
    out = capsys.readouterr()
    result = json.loads(out.out)
    assert status in (0, 1)
    assert set(result) == {"source", "rows", "issues", "summary", "villages", "field_reports"}  # the sample has a `Phản ánh` tab
    assert result["source"] == f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
    expected = check_result(dashboard.build(validate(ServiceAccountReader(service_account_info()).read(KEY), TODAY)))
    assert result["summary"] == expected["summary"] and result["villages"] == expected["villages"]
    assert result["field_reports"] == expected["field_reports"]


def test_check_with_a_sheet_that_fails_exits_2_without_secrets(google, tmp_path, capsys):
    from lib.__main__ import main

    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(service_account_info()))
    live.forget_readers()
    google.fail("metadata", 403)
    status = main(["check", SHEET_URL, "--credentials", str(key_file)])
    out = capsys.readouterr()
    assert status == 2 and "Người xem" in out.err
    assert not any(secret in out.out + out.err for secret in key_material())


def test_the_snapshot_command_stores_only_changed_versions(google, tmp_path, capsys):
    from lib.__main__ import main
    from lib.snapshots import SnapshotStore

    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(service_account_info()))
    store = f"sqlite:///{tmp_path / 'cron.sqlite'}"
    live.forget_readers()
    assert main(["snapshot", SHEET_URL, "--credentials", str(key_file), "--store", store]) == 0
    assert main(["snapshot", SHEET_URL, "--credentials", str(key_file), "--store", store]) == 0
    google.tabs["Báo cáo thôn"].append(google.tabs["Báo cáo thôn"][-1][:2] + [1])
    assert main(["snapshot", SHEET_URL, "--credentials", str(key_file), "--store", store]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" #")[0] for line in lines] == ["Đã lưu phiên bản mới", "Không thay đổi so với phiên bản", "Đã lưu phiên bản mới"]
    assert SnapshotStore(store).count(f"google:{KEY}") == 2
    google.fail("batchGet", 404)
    assert main(["snapshot", SHEET_URL, "--credentials", str(key_file), "--store", store]) == 2


@pytest.mark.parametrize(
    ("endpoint", "fault"),
    [
        ("metadata", reply(200, {"properties": {"title": "Báo cáo"}})),  # no "sheets"
        ("metadata", reply(200, {"sheets": [{"properties": {"sheetId": "abc", "title": "Thôn"}}]})),
        ("metadata", reply(200, [{"sheets": []}])),  # a list, not an object
        ("metadata", reply(200, {"sheets": [{"properties": {"sheetId": 1}}]})),  # a tab without a title
        ("metadata", reply(200, {"sheets": {"Thôn": 1}})),
        ("metadata", reply(200, "[" * 100_000)),  # nesting deep enough to exhaust the JSON parser's recursion
        ("batchGet", reply(200, {"valueRanges": [{"values": "Thôn 1"}] * len(TABS)})),  # rows that are text, not lists
        ("batchGet", reply(200, {"valueRanges": [{"values": [[{"formula": "=1"}]]}] * len(TABS)})),  # a cell that is not a value
    ],
)
def test_an_answer_that_is_not_what_the_api_documents_is_a_malformed_fetch(google, reader, endpoint, fault):
    google.fail(endpoint, fault)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert caught.value.reason == "malformed"
    assert str(caught.value) == "Google trả về dữ liệu không đọc được. Bảng sẽ tự đọc lại sau ít phút."
    assert google.calls[endpoint] == 1  # a malformed answer is not retried


def test_a_body_cut_short_is_retried_and_then_a_network_failure(google, reader, sleeps):
    google.fail("batchGet", "truncated")
    assert reader.read(KEY).tabs["Thôn"]  # the second try gets the whole body
    assert google.calls["batchGet"] == 2 and sleeps == [0.5]
    google.fail("batchGet", *["truncated"] * 3)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert caught.value.reason == "network" and "ngắt giữa chừng" in str(caught.value)
    assert google.calls["batchGet"] == 5


@pytest.mark.parametrize("header", ["-1", "nan", "-inf"])
def test_a_retry_after_that_is_not_a_wait_falls_back_to_the_backoff(google, header):
    slept = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)  # the real one: it refuses a negative or NaN wait

    reader = ServiceAccountReader(service_account_info(), policy=RetryPolicy(base_delay=0.01, max_delay=0.05, sleep=sleep))
    google.fail("batchGet", reply(429, {"error": {"code": 429}}, Retry_After=header), reply(503, {}, Retry_After=header))
    assert reader.read(KEY).tabs["Thôn"]
    assert google.calls["batchGet"] == 3
    assert all(math.isfinite(s) and 0 <= s <= 0.05 for s in slept) and len(slept) == 2


def test_the_first_tab_s_id_may_be_left_out_as_zero(google, reader):
    google.gids["Thôn"] = 0
    google.fail(
        "metadata", reply(200, {"sheets": [{"properties": {"title": t} | ({"sheetId": g} if g else {})} for t, g in google.gids.items()]})
    )
    raw = reader.read(KEY)
    assert raw.gids["Thôn"] == 0 and raw.cell_link("Thôn", "A2").endswith("#gid=0&range=A2")


def test_hidden_tabs_are_named_from_the_metadata(google, reader):
    google.hidden = {"Đơn vị"}
    raw = reader.read(KEY)
    assert raw.hidden_tabs == frozenset({"Đơn vị"})
    assert "sheets.properties(sheetId,title,hidden)" in google.last_metadata_fields


def test_a_tab_added_after_start_up_is_read_once_the_tab_list_is_forgotten(google, reader):
    reader.read(KEY)
    google.add_tab("Ghi chú", [["Thôn", "Ghi chú"], ["Thôn 1", "mới"]])
    assert "Ghi chú" not in reader.read(KEY).tabs  # the tab list is kept between reads: one call fewer per refresh
    reader.forget(KEY)
    assert reader.read(KEY).tabs["Ghi chú"] == [["Thôn", "Ghi chú"], ["Thôn 1", "mới"]]
    assert google.calls["metadata"] == 2


def test_a_body_that_trickles_in_is_cut_off_at_the_fetch_deadline():
    """One byte every 0,25 s never trips a 5 s read timeout; the 1,5 s deadline for the whole fetch does."""
    with SlowGoogle(every=0.25) as slow:
        policy = RetryPolicy(deadline=1.5, sleep=lambda s: None)
        reader = ServiceAccountReader(slow.info(), timeout=(5, 5), policy=policy, api_root=slow.api)
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            reader.read(KEY)
        elapsed = time.monotonic() - started
    assert caught.value.reason == "network" and "Google trả lời quá chậm: sau 1,5 giây" in str(caught.value)
    assert 1.5 <= elapsed < 3.5  # the old code read on for 105 s (420 bytes at 4 a second)
    assert slow.batch_gets == 1  # no retry once the deadline has passed


def test_retries_stop_before_the_deadline_instead_of_sleeping_past_it(google, sleeps):
    clock = [0.0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    policy = RetryPolicy(attempts=5, base_delay=4, max_delay=30, deadline=10, sleep=sleep, clock=lambda: clock[0])
    reader = ServiceAccountReader(service_account_info(), policy=policy)
    google.fail("batchGet", *[503] * 5)
    with pytest.raises(FetchError) as caught:
        reader.read(KEY)
    assert caught.value.reason == "server"
    assert sleeps == [4] and google.calls["batchGet"] == 2  # a second wait of 8 s would end after the 10 s deadline


@pytest.mark.parametrize(
    "fault",
    [reply(200, [1, 2]), reply(200, {"sheets": [{"properties": {"sheetId": "abc", "title": "Thôn"}}]}), "truncated"],
)
def test_check_exits_2_with_a_message_whatever_google_sends(google, tmp_path, capsys, fault):
    from lib.__main__ import main

    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(service_account_info()))
    live.forget_readers()
    live._reader(live.resolve(KEY, service_account_info())).policy = RetryPolicy(sleep=lambda s: None)
    google.fail("metadata", *[fault] * 3)
    status = main(["check", SHEET_URL, "--credentials", str(key_file)])
    out = capsys.readouterr()
    assert status == 2
    assert out.err.startswith("Lỗi: ") and ("Google trả về dữ liệu không đọc được" in out.err or "ngắt giữa chừng" in out.err)
    assert "Traceback" not in out.err
