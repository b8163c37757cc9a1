"""Judging history: report deadlines, timeliness from first-seen times or typed dates, past figures rewritten."""

import datetime as dt

import pandas as pd
import pytest

from conftest import D1, D2, D3, REPORTS, TODAY, book
from lib import metrics
from lib.config import TIMEZONE
from lib.history import History, all_issues, deadline, history_issues, timeliness
from lib.validation.run import validate


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


def history(first_seen: list[tuple], changes: list[tuple] = (), start: dt.datetime | None = None) -> History:
    """A History as the snapshot store would hand it over, from plain rows."""
    seen = pd.DataFrame(first_seen, columns=["entity", "key", "week", "first_seen"])
    changed = pd.DataFrame(list(changes), columns=["entity", "name", "week", "old", "new", "noticed_at", "kind"])
    return History(seen, changed, versions=2, start=start)


def test_a_week_is_due_at_23_59_on_its_report_day_in_ha_tinh():
    assert deadline(D1) == dt.datetime(2026, 4, 16, 23, 59, tzinfo=TIMEZONE)
    assert deadline(D1).astimezone(dt.UTC).hour == 16


def test_without_history_timeliness_comes_from_the_typed_dates():
    ds = validate(book(Bao_cao_thon=REPORTS + [[dt.date(2026, 5, 1), "Thôn 1", 100]]), TODAY)
    table = timeliness(metrics.village_weekly(ds), ds.village_reports, None, now=at(D3, 23, 0))
    status = {(r.name, r.week): r.status for r in table.itertuples()}
    assert status[("Thôn 1", D3)] == "late"
    assert status[("Thôn Trung Hòa", D3)] == "pending"
    assert status[("Thôn Trung Hòa", D1)] == "on_time"


@pytest.mark.parametrize(
    ("first_seen", "status", "basis"),
    [
        (at(D1, 8), "on_time", "lần đầu thấy trên Sheet"),
        (at(D1, 23, 59), "on_time", "lần đầu thấy trên Sheet"),
        (at(D1 + dt.timedelta(days=1), 8), "late", "lần đầu thấy trên Sheet"),
    ],
)
def test_a_report_first_seen_after_its_deadline_is_late_whatever_date_was_typed(first_seen, status, basis):
    ds = validate(book(), TODAY)
    key = ds.villages.loc[ds.villages["name"] == "Thôn 1", "key"].iloc[0]
    table = timeliness(
        metrics.village_weekly(ds), ds.village_reports, history([("village", key, D1, first_seen)], start=at(D1, 0)), at(D3, 12)
    )
    row = table[(table["name"] == "Thôn 1") & (table["week"] == D1)].iloc[0]
    assert (row["status"], row["basis"]) == (status, basis)


def test_history_that_started_after_the_deadline_falls_back_to_the_typed_date():
    ds = validate(book(), TODAY)
    key = ds.villages.loc[ds.villages["name"] == "Thôn 1", "key"].iloc[0]
    late_start = at(D2, 8)  # the store was set up a week after D1's deadline: its first-seen time says nothing
    table = timeliness(
        metrics.village_weekly(ds), ds.village_reports, history([("village", key, D1, late_start)], start=late_start), at(D3, 12)
    )
    row = table[(table["name"] == "Thôn 1") & (table["week"] == D1)].iloc[0]
    assert (row["status"], row["basis"]) == ("on_time", "theo ngày ghi trên Sheet")


def test_a_figure_rewritten_after_its_deadline_is_one_warning_and_one_before_it_is_none():
    ds = validate(book(), TODAY)
    changes = [
        ("village", "Thôn Trung Hòa", D1, 30, 25, at(D2, 9), "rewritten"),  # a week after D1's deadline
        ("village", "Thôn 1", D2, 90, 95, at(D2, 15), "rewritten"),  # on the report day itself: normal editing
        ("unit", "UBND xã", D1, 25, None, at(D3, 9), "removed"),
    ]
    issues = history_issues(history([], changes), ds)
    assert issues["code"].tolist() == ["history_changed", "history_changed"]
    assert issues["sheet"].tolist() == ["Báo cáo thôn", "Báo cáo đơn vị"]
    assert "từ 30 thành 25" in issues.iloc[0]["message"] and "đã bị xoá" in issues.iloc[1]["message"]
    assert (issues["severity"] == "warning").all()


def test_every_page_and_command_lists_the_cell_issues_then_the_history_changes():
    ds = validate(book(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "nhiều"]]), TODAY)
    changed = history([], [("village", "Thôn Trung Hòa", D1, 30, 25, at(D2, 9), "rewritten")])
    listed = all_issues(ds, changed)
    assert listed["code"].tolist() == [*ds.issues["code"], "history_changed"]
    assert all_issues(ds, None) is ds.issues


@pytest.mark.parametrize(
    ("first", "correction", "status"),
    [
        (D2, D2 + dt.timedelta(days=1), "on_time"),  # first row typed Thursday, corrected Friday: on time
        (D2 + dt.timedelta(days=1), D2, "late"),  # first row typed Friday: late, whatever the correction says
    ],
)
def test_without_history_a_week_entered_again_is_as_timely_as_its_first_row(first, correction, status):
    rows = [*REPORTS[:4], [first, "Thôn 1", 90], [correction, "Thôn 1", 95]]
    ds = validate(book(Bao_cao_thon=rows), TODAY)
    table = timeliness(metrics.village_weekly(ds), ds.village_reports, None, now=at(D3, 12))
    row = table[(table["name"] == "Thôn 1") & (table["week"] == D2)].iloc[0]
    assert (row["status"], row["basis"]) == (status, "theo ngày ghi trên Sheet")


def test_with_the_snapshot_store_a_correction_after_the_deadline_keeps_the_week_on_time(tmp_path):
    from lib.snapshots import SnapshotStore

    store = SnapshotStore(f"sqlite:///{tmp_path / 'history.sqlite'}")

    def fetched(rows, when):
        raw = book(Bao_cao_thon=rows)
        raw.fetched_at = when
        store.record(raw, validate(raw, TODAY), "so-lieu")

    fetched(REPORTS[:4], at(D1, 20))
    fetched(REPORTS, at(D2, 20))  # Thôn 1's 90 seen on time
    corrected = REPORTS + [[D2, "Thôn 1", 95]]
    fetched(corrected, at(D2 + dt.timedelta(days=2), 9))  # corrected on Saturday
    first_seen, changes, versions = store.history("so-lieu")
    ds = validate(book(Bao_cao_thon=corrected), TODAY)
    table = timeliness(
        metrics.village_weekly(ds),
        ds.village_reports,
        History(first_seen, changes, versions, first_seen.attrs["history_start"]),
        at(D3, 12),
    )
    row = table[(table["name"] == "Thôn 1") & (table["week"] == D2)].iloc[0]
    assert (row["status"], row["basis"]) == ("on_time", "lần đầu thấy trên Sheet")
    assert changes[["name", "old", "new", "kind"]].values.tolist() == [["Thôn 1", 90, 95, "rewritten"]]  # a rewrite, never "removed"
