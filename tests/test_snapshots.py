"""The snapshot store and the pipeline over it: dedup, history changes, timeliness, fallback."""

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import responses
from fake_google import KEY, FakeGoogle

from conftest import D1, D2, D3, REPORTS, TODAY, book
from lib import live, metrics, pipeline
from lib.config import TIMEZONE
from lib.history import History, history_issues, timeliness
from lib.sample import SampleSpec, build
from lib.snapshot_codec import content_hash
from lib.snapshots import SnapshotStore
from lib.sources import FetchError
from lib.validation.run import validate


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


def fetched(when: dt.datetime, **tabs):
    raw = book(**tabs)
    raw.fetched_at = when
    return raw, validate(raw, TODAY)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The same behaviour is asked of both stores: an embedded SQLite file and a shared PostgreSQL."""
    if request.param == "sqlite":
        return SnapshotStore(f"sqlite:///{tmp_path / 'snap.sqlite'}")
    return SnapshotStore(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sqlite_store(tmp_path):
    return SnapshotStore(f"sqlite:///{tmp_path / 'snap.sqlite'}")


def test_the_same_content_is_stored_once(store):
    first = store.record(*fetched(at(D1, 10)), "s")
    second = store.record(*fetched(at(D1, 11)), "s")
    assert first == (1, True) and second == (1, False)
    assert store.count("s") == 1
    assert store.latest("s").last_checked_at == at(D1, 11)


def test_a_snapshot_round_trips_every_cell_including_dates_and_hidden_tabs(store):
    raw, ds = fetched(at(D1, 10))
    raw.hidden_tabs = frozenset({"Đơn vị"})
    store.record(raw, ds, "s")
    back = store.latest("s").raw
    assert back.tabs == raw.tabs and content_hash(back) == content_hash(raw)
    assert back.hidden_tabs == frozenset({"Đơn vị"})


def test_a_past_week_rewritten_after_its_deadline_is_a_history_change(store):
    store.record(*fetched(at(D2, 20)), "s")
    changed = [row[:] for row in REPORTS]
    changed[1][2] = 25  # Thôn Trung Hòa, week D1: 30 -> 25, typed over a week later
    store.record(*fetched(at(D2 + dt.timedelta(days=3), 9), Bao_cao_thon=changed), "s")
    changes = store.changes("s")
    assert changes[["name", "week", "old", "new", "kind"]].values.tolist() == [["Thôn Trung Hòa", D1, 30, 25, "rewritten"]]
    issues = history_issues(History(store.first_seen("s"), changes, 2, None), validate(book(Bao_cao_thon=changed), TODAY))
    assert issues["code"].tolist() == ["history_changed"]
    assert "từ 30 thành 25" in issues.iloc[0]["message"]


def test_a_correction_before_the_deadline_is_not_a_history_change(store):
    early = [row[:] for row in REPORTS]
    early[3][2] = 70
    store.record(*fetched(at(D2, 9), Bao_cao_thon=early), "s")
    store.record(*fetched(at(D2, 15)), "s")  # 70 -> 75 on the report day itself
    changes = store.changes("s")
    assert len(changes) == 1
    assert history_issues(History(store.first_seen("s"), changes, 2, None), validate(book(), TODAY)).empty


def test_a_deleted_row_is_noticed(store):
    store.record(*fetched(at(D2, 20)), "s")
    store.record(*fetched(at(D3, 9), Bao_cao_thon=REPORTS[:2] + REPORTS[3:]), "s")  # Thôn 1's D1 row deleted
    changes = store.changes("s")
    assert changes[["name", "week", "old", "new", "kind"]].values.tolist() == [["Thôn 1", D1, 40, None, "removed"]]
    assert changes.iloc[0]["noticed_at"] == at(D3, 9)


def test_first_seen_times_give_real_timeliness(store):
    store.record(*fetched(at(D1, 8), Bao_cao_thon=REPORTS[:3]), "s")  # D1 reports seen Thursday morning
    store.record(*fetched(at(D2 + dt.timedelta(days=1), 8)), "s")  # D2 reports first seen on Friday: late
    history = History(store.first_seen("s"), store.changes("s"), 2, store.first_seen("s").attrs["history_start"])
    ds = validate(book(), TODAY)
    table = timeliness(metrics.village_weekly(ds), ds.village_reports, history, now=at(D3, 12))
    status = {(r.name, r.week): r.status for r in table.itertuples()}
    assert status[("Thôn Trung Hòa", D1)] == "on_time"
    assert status[("Thôn Trung Hòa", D2)] == "late"
    assert status[("Thôn Yên Thọ", D2)] == "missing"


def test_timeliness_of_one_village_is_its_rows_of_the_whole_table(store):
    store.record(*fetched(at(D1, 8), Bao_cao_thon=REPORTS[:3]), "s")
    store.record(*fetched(at(D2 + dt.timedelta(days=1), 8)), "s")
    history = History(store.first_seen("s"), store.changes("s"), 2, store.first_seen("s").attrs["history_start"])
    ds = validate(book(), TODAY)
    vw = metrics.village_weekly(ds)
    whole = timeliness(vw, ds.village_reports, history, now=at(D3, 12))
    for name in ("Thôn Trung Hòa", "Thôn 1", "Thôn Yên Thọ"):
        one = timeliness(vw[vw["name"] == name], ds.village_reports, history, now=at(D3, 12))
        expected = whole[whole["name"] == name]
        assert one[["week", "status", "basis"]].values.tolist() == expected[["week", "status", "basis"]].values.tolist()
        if name == "Thôn Trung Hòa":  # first seen Thursday morning, then on the Friday after its deadline
            assert one["status"].tolist() == ["on_time", "late"] and set(one["basis"]) == {"lần đầu thấy trên Sheet"}


def test_a_process_killed_mid_write_leaves_the_store_intact(sqlite_store, tmp_path):
    store = sqlite_store
    store.record(*fetched(at(D1, 10)), "s")
    script = f"""
import sqlite3, os
db = sqlite3.connect({str(store.path)!r}, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO snapshots (source, content_hash, fetched_at, last_checked_at, payload) VALUES ('s', 'x', 'y', 'z', x'00')")
db.execute("DELETE FROM facts")
os._exit(9)  # killed before COMMIT
"""
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    reopened = SnapshotStore(f"sqlite:///{store.path}")
    assert reopened.count("s") == 1
    assert reopened.latest("s").raw.tabs == book().tabs
    assert not reopened.first_seen("s").empty
    assert reopened.record(*fetched(at(D2, 10), Bao_cao_thon=REPORTS[:3]), "s") == (2, True)


def test_store_urls():
    from lib.store_url import redact, store_kind, store_path

    assert store_path("sqlite:///data/x.sqlite") == Path("data/x.sqlite")
    assert store_path("sqlite:////tmp/x.sqlite") == Path("/tmp/x.sqlite")
    assert [
        store_kind(u) for u in ("data/x.sqlite", "sqlite:///x", "postgresql://h/db", "postgres://h/db", "postgresql+psycopg://h/db")
    ] == [
        "sqlite",
        "sqlite",
        "postgresql",
        "postgresql",
        "postgresql",
    ]
    with pytest.raises(ValueError, match="mysql://' chưa được hỗ trợ"):
        store_kind("mysql://h/db")
    with pytest.raises(ValueError):
        store_path("postgresql://host/db")
    assert redact("postgresql://u:p%40ss@db.example:5432/x") == "postgresql://db.example:5432/x"
    assert redact("postgresql://db.example/x") == "postgresql://db.example/x"
    assert redact("sqlite:///data/x.sqlite") == "sqlite:///data/x.sqlite"


# A password typed without %-encoding, in every place it can end up; the host and database to show.
PASSWORD_SHAPES = [
    ("postgresql://u:Pa55#word@db.internal:5433/songiang", "db.internal:5433", "songiang"),
    ("postgresql://u:Pa55/word@db.internal/songiang", None, None),  # libpq reads host 'u', port 'Pa55': nothing to show
    ("postgresql://u:Pa55?word@db.internal/songiang", "db.internal", "songiang"),
    ("postgresql://u@db.internal/songiang?password=Pa55word", "db.internal", "songiang"),
    ("postgresql://u:Pa55%ZZword@db.internal/songiang", "db.internal", "songiang"),
    ("postgres://u:[Pa55word]@db.internal/songiang", "db.internal", "songiang"),
    ("postgresql://db.internal/songiang?password=Pa55@word", None, None),  # an '@' in the query: 'word' is no host
    ("postgresql://u:Pa55@word@db.internal/songiang", None, None),
    ("postgresql+psycopg://u:Pa55word@[::1]:5432/songiang", "[::1]:5432", "songiang"),
]


def on_port(shape: str, port: int) -> str:
    """The same address shape, pointed at a loopback port where nothing listens."""
    for server in ("db.internal:5433", "[::1]:5432", "db.internal"):
        shape = shape.replace(server, f"127.0.0.1:{port}")
    return shape


def shows_no_password(text: str) -> bool:
    return "Pa55" not in text and "word" not in text.replace("password", "")


@pytest.mark.parametrize(("url", "server", "database"), PASSWORD_SHAPES)
def test_a_store_address_is_shown_as_its_host_and_database_only(url, server, database):
    from lib.store_url import redact, store_label

    shown, label = redact(url), store_label(url)  # never raises, whatever was typed
    assert shows_no_password(shown) and shows_no_password(label)
    if server is None:
        assert shown.endswith("://(địa chỉ không hiển thị được)") and label == "PostgreSQL, máy chủ không rõ"
    else:
        assert shown.split("://")[1] == f"{server}/{database}"
        assert label == f"PostgreSQL trên máy chủ {server}, cơ sở dữ liệu {database}"


def test_the_same_url_setting_switches_the_app_to_postgresql(postgres_url, monkeypatch):
    from lib.config import app_settings

    monkeypatch.setenv("SONGIANG_STORE", postgres_url)
    settings = app_settings(env={"SONGIANG_STORE": postgres_url})
    store = SnapshotStore(settings.store_url)
    assert store.kind == "postgresql"
    store.record(*fetched(at(D1, 10)), "s")
    assert SnapshotStore(settings.store_url).latest("s").raw.tabs == book().tabs  # another process sees it


def test_replicas_recording_at_once_store_each_version_once(postgres_url):
    """Four replicas record the same two fetches concurrently: the advisory lock keeps one row per version."""
    script = f"""
import sys, datetime as dt
sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
from conftest import book, REPORTS, TODAY
from lib.validation.run import validate
from lib.snapshots import SnapshotStore
store = SnapshotStore({postgres_url!r})
for tabs in ({{}}, {{"Bao_cao_thon": REPORTS[:3]}}) * 5:
    raw = book(**tabs)
    raw.fetched_at = dt.datetime.now(dt.UTC)
    store.record(raw, validate(raw, TODAY), "s")
"""
    writers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    store = SnapshotStore(postgres_url)
    import psycopg

    with psycopg.connect(postgres_url) as db:
        hashes = [h for (h,) in db.execute("SELECT content_hash FROM snapshots ORDER BY id")]
        open_facts = db.execute("SELECT COUNT(*) FROM facts WHERE last_snapshot = (SELECT MAX(id) FROM snapshots)").fetchone()[0]
    assert all(a != b for a, b in zip(hashes, hashes[1:], strict=False))  # never the same version twice in a row
    assert store.count("s") == len(hashes) >= 2
    assert open_facts == len(validate(store.latest("s").raw, TODAY).village_reports) + len(
        validate(store.latest("s").raw, TODAY).unit_reports
    )


def test_a_postgresql_writer_killed_mid_write_leaves_the_last_version(postgres_url):
    killed = kill_a_writer_mid_write(postgres_url)
    store = SnapshotStore(postgres_url)
    assert store.latest("s").raw.tabs["Thôn"][1][1] == killed.last_households
    first_seen, changes, versions = store.history("s")
    assert versions == killed.committed and not first_seen.empty
    assert store.record(*fetched(at(D3, 10)), "s")[1] is True


def test_an_unreachable_store_names_the_server_but_never_the_password():
    from harness import postgres
    from lib.snapshots import StoreError

    with socket_closed() as port:
        url = f"postgresql://songiang:{postgres.PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}/x"
        with pytest.raises(StoreError) as caught:
            SnapshotStore(url)
    message = str(caught.value)
    assert message == (
        f"Không mở được kho lưu trữ lịch sử (PostgreSQL trên máy chủ 127.0.0.1:{port}, cơ sở dữ liệu x): "
        "không kết nối được máy chủ (máy chủ tắt, sai tên máy chủ hoặc cổng, hoặc mạng chặn)."
    )


@pytest.mark.parametrize(("shape", "server", "database"), PASSWORD_SHAPES)
def test_a_store_error_never_carries_the_driver_s_text_or_the_password(shape, server, database):
    """libpq quotes an address it cannot parse back in its error, password included: none of it may survive."""
    import traceback

    from lib.snapshots import StoreError

    with socket_closed() as port, pytest.raises(StoreError) as caught:
        SnapshotStore(on_port(shape, port))
    message = str(caught.value)
    assert message.startswith("Không mở được kho lưu trữ lịch sử (PostgreSQL")
    assert (f"127.0.0.1:{port}, cơ sở dữ liệu songiang" in message) == (server is not None)
    assert shows_no_password("".join(traceback.format_exception(caught.value)))  # no driver error chained either


@pytest.mark.parametrize(("shape", "server", "database"), PASSWORD_SHAPES)
def test_the_snapshot_command_never_prints_the_store_password(shape, server, database, tmp_path, capsys, caplog):
    import logging

    from lib.__main__ import main
    from lib.sample import SampleSpec, write_xlsx

    caplog.set_level(logging.DEBUG)
    path = write_xlsx(SampleSpec(villages=3, units=2, weeks=2, seed=1), tmp_path / "book.xlsx")
    with socket_closed() as port:
        status = main(["snapshot", str(path), "--store", on_port(shape, port)])
    out = capsys.readouterr()
    assert status == 2 and out.err.startswith("Lỗi: Không mở được kho lưu trữ lịch sử (PostgreSQL")
    assert shows_no_password(out.out + out.err + caplog.text)


@pytest.mark.parametrize(("shape", "server", "database"), PASSWORD_SHAPES)
def test_the_store_problem_shown_with_fresh_figures_never_holds_the_password(shape, server, database, tmp_path, caplog):
    import logging

    from lib.sample import SampleSpec, write_xlsx

    caplog.set_level(logging.DEBUG)
    path = write_xlsx(SampleSpec(villages=3, units=2, weeks=2, seed=1), tmp_path / "book.xlsx")
    with socket_closed() as port:
        loaded = pipeline.load(live.resolve(str(path), None, on_port(shape, port)), TODAY)
    assert loaded.fresh and loaded.store_problem.startswith("Không mở được kho lưu trữ lịch sử")
    assert shows_no_password(loaded.store_problem + caplog.text)


def test_with_the_store_down_fresh_figures_are_still_shown_with_the_reason(tmp_path):
    from lib.sample import SampleSpec, write_xlsx

    path = tmp_path / "book.xlsx"
    write_xlsx(SampleSpec(villages=5, units=3, weeks=4, seed=2, mistakes=False), path)
    with socket_closed() as port:
        loaded = pipeline.load(live.resolve(str(path), None, f"postgresql://u:secret@127.0.0.1:{port}/x"), TODAY)
    assert loaded.fresh and loaded.history is None and len(loaded.ds.village_reports) == 20
    assert "không kết nối được máy chủ" in loaded.store_problem and "secret" not in loaded.store_problem
    unwritable = pipeline.load(live.resolve(str(path), None, "sqlite:////proc/no/such/dir/x.sqlite"), TODAY)
    assert unwritable.fresh and unwritable.store_problem and unwritable.history is None


import contextlib  # noqa: E402
import socket  # noqa: E402


@contextlib.contextmanager
def socket_closed():
    """A loopback port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock, build(SampleSpec(villages=6, units=4, weeks=5, seed=3)))


@pytest.fixture
def config(tmp_path):
    from fake_google import service_account_info

    from lib.google_sheets import RetryPolicy

    live.forget_readers()
    conf = live.resolve(KEY, service_account_info(), f"sqlite:///{tmp_path / 'live.sqlite'}")
    live._reader(conf).policy = RetryPolicy(sleep=lambda s: None)
    yield conf
    live.forget_readers()


@pytest.mark.parametrize(
    ("endpoint", "fault", "reason"),
    [
        ("batchGet", 429, "quota"),
        ("batchGet", 500, "server"),
        ("batchGet", 503, "server"),
        ("batchGet", "timeout", "network"),
        ("batchGet", "reset", "network"),
        ("batchGet", "malformed", "malformed"),
        ("batchGet", 403, "permission"),
        ("batchGet", 404, "not_found"),
    ],
)
def test_a_failed_fetch_serves_the_last_good_snapshot_and_recovers(google, config, endpoint, fault, reason):
    good = pipeline.load(config, TODAY)
    assert good.fresh and good.history.versions == 1
    google.fail(endpoint, *[fault] * 3)
    fallback = pipeline.load(config, TODAY)
    assert not fallback.fresh and fallback.problem.reason == reason
    assert fallback.ds.village_reports.equals(good.ds.village_reports)
    google.faults.clear()  # the fault clears
    recovered = pipeline.load(config, TODAY)
    assert recovered.fresh and recovered.history.versions == 1


def test_a_renamed_tab_falls_back_with_the_tab_named(google, config):
    pipeline.load(config, TODAY)
    google.rename("Báo cáo thôn", "Bao cao T11")
    fallback = pipeline.load(config, TODAY)
    assert not fallback.fresh and fallback.problem.reason == "renamed"
    assert "'Báo cáo thôn'" in str(fallback.problem)


def test_with_no_snapshot_yet_a_failure_is_reported(google, config):
    google.fail("batchGet", 404)
    with pytest.raises(FetchError):
        pipeline.load(config, TODAY)


def test_an_empty_sheet_is_read_and_reported_as_missing_tabs(google, config):
    google.tabs = {"Trang tính1": []}
    google.gids = {"Trang tính1": 0}
    loaded = pipeline.load(config, TODAY)
    assert loaded.fresh
    assert set(loaded.ds.issues["code"]) == {"missing_tab"}


def test_credentials_revoked_mid_session_fall_back_with_an_auth_reason(google, config):
    good = pipeline.load(config, TODAY)
    google.fail("batchGet", 401)  # the cached token is refused ...
    google.fail("token", 400)  # ... and the key can no longer get a new one
    fallback = pipeline.load(config, TODAY)
    assert not fallback.fresh and fallback.problem.reason == "auth"
    assert fallback.ds.village_reports.equals(good.ds.village_reports)


def test_a_process_killed_during_a_real_write_leaves_a_consistent_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'kill.sqlite'}"
    killed = kill_a_writer_mid_write(url)
    import sqlite3

    with sqlite3.connect(tmp_path / "kill.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = SnapshotStore(url)
    assert store.latest("s").raw.tabs["Thôn"][1][1] == killed.last_households
    assert store.count("s") == killed.committed
    assert store.record(*fetched(at(D3, 10)), "s")[1] is True


@dataclasses.dataclass
class Killed:
    committed: int  # versions in the store when the writer died: the first one and those the writer committed
    last_households: int  # the first village's households in the last committed version


def kill_a_writer_mid_write(url: str) -> Killed:
    """Store one version; a writer commits two more, then, inside the real write of a third (its snapshot and facts
    written, COMMIT not yet sent), says so and waits: it is SIGKILLed right then."""
    import signal

    households = (100, 101, 102)  # one version each; the writer dies inside the last one's transaction
    SnapshotStore(url).record(*fetched(at(D1, 10)), "s")
    writer = f"""
import sys, datetime as dt
sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
from conftest import book, TODAY
from lib.validation.run import validate
from lib.snapshots import SnapshotStore
record_facts = SnapshotStore._record_facts

def record_facts_then_wait(self, db, source, ds, previous, new_id):
    record_facts(self, db, source, ds, previous, new_id)  # record() sends COMMIT once this returns
    if n == {households[-1]}:
        open_ = db.raw.in_transaction if hasattr(db.raw, "in_transaction") else db.raw.info.transaction_status.name == "INTRANS"
        print("writing" if open_ else "not-in-a-transaction", new_id, flush=True)
        sys.stdin.readline()  # the parent never answers: it kills

SnapshotStore._record_facts = record_facts_then_wait
store = SnapshotStore({url!r})
for n in {households!r}:
    raw = book(Thon=[["Tên thôn", "Tổng số hộ", "Số hộ có điện thoại thông minh"]] + [[f"Thôn {{j}}", n, 50] for j in range(300)])
    raw.fetched_at = dt.datetime.now(dt.UTC)
    print("committed", *store.record(raw, validate(raw, TODAY), "s"), flush=True)
"""
    process = subprocess.Popen([sys.executable, "-c", writer], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().split() for _ in households]
        assert [line[:1] for line in lines] == [["committed"]] * (len(households) - 1) + [["writing"]], lines
        process.send_signal(signal.SIGKILL)  # inside the open transaction, after its rows, before its COMMIT
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        process.kill()
        process.wait()
    assert all(line[2] == "True" for line in lines[:-1])  # each committed version was a new one
    return Killed(committed=len(households), last_households=households[-2])


def test_settings_never_print_the_key_or_the_store_password():
    from fake_google import key_material, service_account_info

    from lib.config import app_settings

    url = "postgresql://u:pg-secret-4715@db.internal/songiang"
    settings = app_settings(env={"SONGIANG_STORE": url, "SONGIANG_SOURCE": KEY}, secrets={"gcp_service_account": service_account_info()})
    config = live.resolve(settings.source, settings.credentials, settings.store_url)
    printed = repr(settings) + str(config) + repr(config)
    assert config.store_url == url and "pg-secret-4715" not in printed
    assert not [s for s in key_material() if s in printed]


# --- a store that can only be read, or is damaged: use what can still be read --------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def google_config(google, store_url):
    from fake_google import service_account_info

    from lib.google_sheets import RetryPolicy

    live.forget_readers()
    conf = live.resolve(KEY, service_account_info(), store_url)
    live._reader(conf).policy = RetryPolicy(sleep=lambda s: None)
    yield conf
    live.forget_readers()


def execute(url: str, query: str, params: tuple = ()) -> None:
    """Change the store behind its back, as a disk fault or a stray tool would."""
    if url.startswith("sqlite:///"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)) as db:
            db.execute(query, params)
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute(query.replace("?", "%s"), params)


@contextlib.contextmanager
def read_only(url: str):
    """The store as a read-only mount or a PostgreSQL standby would be: reads work, writes are refused."""
    if url.startswith("sqlite:///"):
        import os

        path = Path(url[len("sqlite:///") :])
        root = os.geteuid() == 0  # root writes through file modes: only the immutable flag stops it
        flag = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if root else None
        if root and flag.returncode != 0:
            pytest.skip("chattr +i is not available here: cannot make a file read-only for root")
        if not root:
            path.chmod(0o444)
        try:
            yield
        finally:
            if root:
                subprocess.run(["chattr", "-i", str(path)], check=True)
            else:
                path.chmod(0o644)
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            name = db.execute("SELECT current_database()").fetchone()[0]
            db.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        try:
            yield
        finally:
            with psycopg.connect(url, autocommit=True, options="-c default_transaction_read_only=off") as db:
                db.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')


def test_a_read_only_store_still_gives_the_last_good_version_and_the_history(google, google_config, store_url):
    good = pipeline.load(google_config, TODAY)
    with read_only(store_url):
        google.fail("batchGet", 503, 503, 503)
        fallback = pipeline.load(google_config, TODAY)
        assert not fallback.fresh and fallback.problem.reason == "server"
        assert fallback.ds.village_reports.equals(good.ds.village_reports) and fallback.history.versions == 1
        google.tabs["Báo cáo thôn"][4][2] = 2  # a new version that cannot be recorded
        fresh = pipeline.load(google_config, TODAY)
    assert fresh.fresh and fresh.history.versions == 1
    assert fresh.store_problem.startswith("Không ghi vào được kho lưu trữ lịch sử (") and "kho chỉ cho đọc" in fresh.store_problem
    assert pipeline.load(google_config, TODAY).history.versions == 2  # writable again: recorded at the next read


def test_a_stored_version_that_no_longer_decodes_is_passed_over_for_the_one_before(google, google_config, store_url):
    first = pipeline.load(google_config, TODAY)
    google.tabs["Báo cáo thôn"][4][2] = 2
    assert pipeline.load(google_config, TODAY).history.versions == 2
    execute(store_url, "UPDATE snapshots SET payload = ? WHERE id = (SELECT MAX(id) FROM snapshots)", (b"\x78\x9c not zlib",))
    google.fail("batchGet", 503, 503, 503)
    fallback = pipeline.load(google_config, TODAY)
    assert not fallback.fresh and fallback.problem.reason == "server"
    assert fallback.ds.village_reports.equals(first.ds.village_reports)  # the version before the damaged one
    assert fallback.store_problem.startswith(
        "1 phiên bản lưu gần nhất bị hỏng, không đọc được; bảng dùng phiên bản đọc được gần nhất (lúc "
    )


def test_when_every_stored_version_is_damaged_the_fetch_failure_is_reported(google, google_config, store_url):
    pipeline.load(google_config, TODAY)
    execute(store_url, "UPDATE snapshots SET payload = ?", (b"{}",))
    google.fail("batchGet", 404)
    with pytest.raises(FetchError) as caught:
        pipeline.load(google_config, TODAY)
    assert caught.value.reason == "not_found"


def test_a_damaged_history_leaves_fresh_figures_with_a_banner(google, google_config, store_url):
    pipeline.load(google_config, TODAY)
    execute(store_url, "UPDATE facts SET week = 'tuần 1'")
    loaded = pipeline.load(google_config, TODAY)
    assert loaded.fresh and loaded.history is None and len(loaded.ds.village_reports) > 0
    assert loaded.store_problem.endswith("): dữ liệu trong kho bị hỏng, không đọc được.")


def test_a_file_that_is_not_a_database_leaves_fresh_figures_with_a_banner(google, tmp_path):
    from fake_google import service_account_info

    path = tmp_path / "live.sqlite"
    path.write_bytes(b"not a database, " * 512)
    live.forget_readers()
    loaded = pipeline.load(live.resolve(KEY, service_account_info(), f"sqlite:///{path}"), TODAY)
    assert loaded.fresh and loaded.history is None and len(loaded.ds.village_reports) > 0
    assert loaded.store_problem == (
        f"Không mở được kho lưu trữ lịch sử (tệp SQLite {path}): tệp không phải cơ sở dữ liệu SQLite (có thể đã bị ghi đè hoặc hỏng)."
    )
