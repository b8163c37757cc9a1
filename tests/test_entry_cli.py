"""`python -m lib links`, and `lib snapshot` / `lib check` around the report form's rows (issues 14, 17)."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from fake_google import API, KEY, SHEET_URL, FakeGoogle, service_account_info
from test_cli import run

from lib import entry, live
from lib.__main__ import main
from lib.config import TIMEZONE
from lib.entry_links import entry_settings, requested, verify
from lib.google_sheets import RetryPolicy, ServiceAccountReader
from lib.outbox import Outbox, submit
from lib.sample import SampleSpec, build
from lib.sheets_append import SheetWriter
from lib.validation.run import validate

SECRET = "cli-test-secret-0123456789abcdef"


def test_links_json_lists_every_village_then_every_unit_with_a_working_link(sample_path, monkeypatch):
    monkeypatch.setenv("SONGIANG_ENTRY_SECRET", SECRET)
    done = run("links", str(sample_path), "--base-url", "https://bang.songiang.vn/", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert [set(link) for link in found] == [{"kind", "name", "url"}] * len(found)
    kinds = [link["kind"] for link in found]
    assert kinds == ["village"] * 24 + ["unit"] * 18
    settings = entry_settings(env={"SONGIANG_ENTRY_SECRET": SECRET}, secrets={})
    for link in found:
        assert link["url"].startswith("https://bang.songiang.vn/?")
        query = {k: v[0] for k, v in parse_qs(urlparse(link["url"]).query).items()}
        request = requested(query)
        assert (request.kind, request.name) == (link["kind"], link["name"]) and verify(settings, request) is None


def test_links_as_text_names_each_place_once(sample_path, monkeypatch):
    monkeypatch.setenv("SONGIANG_ENTRY_SECRET", SECRET)
    done = run("links", str(sample_path), "--base-url", "https://bang.songiang.vn")
    assert done.returncode == 0 and done.stdout.startswith("Đường dẫn báo cáo riêng")
    assert "Thôn (24):" in done.stdout and "Đơn vị (18):" in done.stdout
    assert done.stdout.count("&ma=") == 42


@pytest.mark.parametrize(
    ("env", "args", "words"),
    [
        ({}, ["--base-url", "https://x.vn"], "chưa có khóa bí mật"),
        ({"SONGIANG_ENTRY_SECRET": "ngắn"}, ["--base-url", "https://x.vn"], "quá ngắn"),
        ({"SONGIANG_ENTRY_SECRET": SECRET}, [], "--base-url"),
        ({"SONGIANG_ENTRY_SECRET": SECRET}, ["--base-url", "bang.songiang.vn"], "--base-url"),
    ],
)
def test_links_without_a_secret_or_an_address_exits_2_with_one_vietnamese_line(sample_path, monkeypatch, env, args, words):
    monkeypatch.delenv("SONGIANG_ENTRY_SECRET", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    done = run("links", str(sample_path), *args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("Lỗi: ") and words in done.stderr and done.stderr.count("\n") == 1


# --- in-process, against the fake Google ---------------------------------------------------


@pytest.fixture
def google(monkeypatch):
    monkeypatch.setattr("lib.google_sheets.RetryPolicy.sleep", staticmethod(lambda seconds: None))
    live.forget_readers()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, build(SampleSpec(villages=5, units=3, weeks=4, seed=5, mistakes=False)))
    live.forget_readers()


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(service_account_info()))
    return str(path)


def saved_while_google_was_down(google: FakeGoogle, store: str, today: dt.date) -> tuple[str, entry.Form]:
    raw = ServiceAccountReader(service_account_info(), api_root=API).read(KEY)
    ds = validate(raw, today)
    subject = entry.find_subject(ds, "village", str(ds.villages["name"].iloc[0]))
    form = entry.prepare(ds, raw, subject, today)
    [week] = entry.open_weeks(dt.datetime.combine(today, dt.time(9), tzinfo=TIMEZONE), ds.campaign.report_weekday)
    draft = entry.Draft(week, int(form.last_report()["installed"]) + 3)
    checked = entry.check(form, draft, "SG-CLI-1")
    google.fail("append", 503, 503, 503)
    outcome = submit(
        Outbox(store),
        lambda: SheetWriter(service_account_info(), policy=RetryPolicy(), api_root=API),
        f"google:{KEY}",
        KEY,
        form,
        draft,
        checked,
        "SG-CLI-1",
    )
    assert outcome.status == "saved"
    return subject.name, form


def test_the_snapshot_command_first_sends_the_forms_pending_rows_once(google, tmp_path, key_file, capsys):
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    saved_while_google_was_down(google, store, dt.date(2026, 11, 29))
    assert main(["snapshot", SHEET_URL, "--store", store, "--credentials", key_file]) == 0
    out = capsys.readouterr().out
    assert "Đã gửi lên Sheet 1 báo cáo của biểu mẫu đang chờ." in out
    assert sum("SG-CLI-1" in r for r in google.rows("Báo cáo thôn")) == 1
    assert main(["snapshot", SHEET_URL, "--store", store, "--credentials", key_file]) == 0
    assert "báo cáo của biểu mẫu" not in capsys.readouterr().out and google.calls["append"] == 4
    assert Outbox(store).pending() == []


@pytest.mark.parametrize("today", [dt.date(2026, 11, 23), dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 29)])
def test_lib_check_reads_a_form_row_back_with_no_error_and_no_warning(google, tmp_path, key_file, capsys, today):
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    name, form = saved_while_google_was_down(google, store, today)
    assert main(["snapshot", SHEET_URL, "--store", store, "--credentials", key_file]) == 0
    capsys.readouterr()
    status = main(["check", SHEET_URL, "--json", "--credentials", key_file, "--today", today.isoformat()])
    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["issues"] == []
    mine = next(v for v in result["villages"] if v["name"] == name)
    assert mine["installed_households"] == int(form.last_report()["installed"]) + 3
