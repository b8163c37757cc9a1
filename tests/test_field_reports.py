import datetime as dt
import unicodedata

import pandas as pd
import pytest

from lib import sample as sample_workbook
from lib.field_report_rows import FRAME_COLUMNS, read_reports
from lib.field_report_sample import sample_field_reports
from lib.field_reports import (
    FIELD_REPORTS,
    NO_FIELD,
    UNASSIGNED,
    Status,
    add_working_days,
    annotate,
    by_field,
    classify_status,
    deadline,
    handling_summary,
    header_map,
    is_working_day,
    overdue_list,
    parse_rating,
    personal_columns,
    public_holidays,
    satisfied,
    village_in_text,
    week_ending,
    weekly,
)
from lib.normalize import header_key
from lib.validation.model import ISSUE_COLUMNS

D = dt.date

# --- the tab and personal data ----------------------------------------------------------------


@pytest.mark.parametrize("title", ["Phản ánh", "Danh sách phản ánh", "Phan anh hien truong", "PHẢN ÁNH"])
def test_the_tab_is_found_under_its_aliases(title):
    assert header_key(title).replace(" ", "") in FIELD_REPORTS.title_keys()


def test_only_the_id_and_the_sending_date_are_required():
    assert [c.field for c in FIELD_REPORTS.columns if c.required] == ["id", "sent"]
    assert not FIELD_REPORTS.required


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Mã phản ánh", "id"),
        ("Mã PA", "id"),
        ("Mã số", "id"),
        ("Số hiệu", "id"),
        ("Ngày gửi", "sent"),
        ("Thời gian gửi", "sent"),
        ("Ngày tiếp nhận", "sent"),
        ("Lĩnh vực", "field"),
        ("Thôn", "village"),
        ("Địa bàn", "village"),
        ("Địa điểm", "village"),
        ("Đơn vị xử lý", "unit"),
        ("Hạn xử lý", "due"),
        ("Ngày hoàn thành", "completed"),
        ("Thời gian xử lý xong", "completed"),
        ("Ngày xử lý xong", "completed"),
        ("TRẠNG THÁI", "status"),
        ("Đánh giá", "rating"),
    ],
)
def test_export_headers_map_to_their_column(header, field):
    assert header_map(["STT", header]) == {field: 1}


@pytest.mark.parametrize(
    "header",
    [
        "Họ tên",
        "Họ và tên",
        "Họ tên người gửi",
        "Người gửi",
        "Số điện thoại",
        "SĐT",
        "Email",
        "E-mail",
        "Số CCCD",
        "Số CCCD/CMND",
        "CMND",
        "Địa chỉ",
        "Địa chỉ cụ thể",
        "Địa chỉ người gửi",
        "dia chi",
    ],
)
def test_personal_headers_are_recognised(header):
    assert personal_columns(["Mã PA", header, "Địa điểm"]) == [1]


def test_a_location_is_read_but_an_address_is_dropped():
    header = ["STT", "Mã PA", "Thời gian gửi", "Họ tên", "Số điện thoại", "Địa chỉ", "Địa điểm", "Trạng thái"]
    assert personal_columns(header) == [3, 4, 5]
    assert header_map(header) == {"id": 1, "sent": 2, "village": 6, "status": 7}


def test_no_column_of_the_tab_answers_to_a_personal_header():
    headers = [h for c in FIELD_REPORTS.columns for h in (c.header, *c.aliases)]
    assert personal_columns(headers) == []


@pytest.mark.parametrize(
    ("text", "village"),
    [
        ("Đường liên thôn, Thôn Trung Hoà, xã Sơn Giang", "Thôn Trung Hòa"),
        ("Ngõ 3, thôn 01, xã Sơn Giang", "Thôn 1"),
        ("Số 1, Thôn 10", "Thôn 10"),
        ("Cạnh nhà văn hóa Trung Hòa", "Thôn Trung Hòa"),
        ("Xã Sơn Giang", None),
        ("", None),
    ],
)
def test_the_village_is_found_inside_a_free_text_location(text, village):
    assert village_in_text(text, ["Thôn 1", "Thôn 10", "Thôn Trung Hòa"]) == village


# --- status and rating ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Hoàn thành", Status.RESOLVED),
        ("HOÀN THÀNH", Status.RESOLVED),
        ("hoan thanh", Status.RESOLVED),
        ("  Đã  xử lý ", Status.RESOLVED),
        (unicodedata.normalize("NFD", "Đã hoàn thành"), Status.RESOLVED),
        ("Đã xử lý quá hạn", Status.RESOLVED),
        ("Đã xử lý (quá hạn)", Status.RESOLVED),
        ("Chờ tiếp nhận", Status.OPEN),
        ("Đã tiếp nhận", Status.OPEN),
        ("Đang xử lý", Status.OPEN),
        ("Quá hạn", Status.OPEN),
        ("Chưa hoàn thành", Status.OPEN),
        ("Từ chối", Status.REFUSED),
        ("Trả lại", Status.REFUSED),
        ("Không thuộc thẩm quyền", Status.REFUSED),
        ("Chuyển đơn vị khác", Status.REFUSED),
        ("Tạm dừng", Status.UNKNOWN),
        ("", Status.UNKNOWN),
        (None, Status.UNKNOWN),
    ],
)
def test_status_texts_are_classified_whatever_their_case_diacritics_or_spacing(text, status):
    assert classify_status(text) is status


@pytest.mark.parametrize(
    ("text", "status"),
    [("Đang xử lý", Status.RESOLVED), ("", Status.RESOLVED), ("Tạm dừng", Status.RESOLVED), ("Từ chối", Status.REFUSED)],
)
def test_a_completion_date_resolves_any_report_that_was_not_refused(text, status):
    assert classify_status(text, D(2026, 5, 4)) is status


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hài lòng", True),
        ("Rất hài lòng", True),
        ("KHÔNG HÀI LÒNG", False),
        ("Chưa hài lòng", False),
        ("5 sao", True),
        ("4 sao", True),
        ("3 sao", False),
        ("4/5", True),
        ("3/5", False),
        ("8/10", True),
        ("4,5", True),
        (4, True),
        (3, False),
        ("★★★★", True),
        ("★★", False),
        ("Chưa đánh giá", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_ratings_become_satisfied_or_not(value, expected):
    assert satisfied(value) is expected


@pytest.mark.parametrize("value", ["6", "0/5", "6 sao", "tuyệt", True])
def test_an_unreadable_rating_is_an_issue_not_a_guess(value):
    assert parse_rating(value).code == "bad_rating"
    assert satisfied(value) is None


# --- working days, deadlines and weeks --------------------------------------------------------


def test_the_package_gives_vietnams_2026_days_off_with_their_substitutes():
    assert list(public_holidays(2026)) == [
        D(2026, 1, 1),
        *[D(2026, 2, d) for d in range(16, 21)],  # Tết Bính Ngọ: 29 Tết (eve) to mùng 4
        D(2026, 4, 26),  # Giỗ Tổ Hùng Vương, a Sunday…
        D(2026, 4, 27),  # …so Monday is off instead
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # swapped with Saturday 22/8
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2026, 11, 24),  # Ngày Văn hóa Việt Nam
    ]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 4, 24), True),  # Friday
        (D(2026, 4, 25), False),  # Saturday
        (D(2026, 4, 27), False),  # Hùng Kings, observed
        (D(2026, 4, 30), False),
        (D(2026, 2, 17), False),  # Tết
        (D(2026, 8, 22), True),  # a Saturday worked in exchange for Monday 31/8
        (D(2026, 8, 31), False),
        (D(2026, 11, 24), False),
    ],
)
def test_working_days_follow_vietnams_calendar(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 4, 23), 1, D(2026, 4, 24)),  # Thursday → Friday
        (D(2026, 4, 24), 5, D(2026, 5, 6)),  # Friday: skips the weekend, 27/4, 30/4 and 1/5
        (D(2026, 4, 25), 5, D(2026, 5, 6)),  # sent on Saturday: counting starts on the next working day, like Friday's
        (D(2026, 4, 26), 5, D(2026, 5, 6)),  # sent on the Hùng Kings' day itself
        (D(2026, 4, 30), 1, D(2026, 5, 4)),  # sent on a holiday
        (D(2026, 2, 13), 5, D(2026, 2, 27)),  # the Friday before Tết: a week of Tết, then five days
        (D(2026, 2, 11), 3, D(2026, 2, 23)),  # Wednesday: Thursday, Friday, then after Tết
        (D(2026, 8, 21), 5, D(2026, 8, 27)),  # Saturday 22/8 is a working day
        (D(2026, 8, 28), 2, D(2026, 9, 4)),  # 31/8, 1/9 and 2/9 are off
        (D(2026, 11, 23), 1, D(2026, 11, 25)),  # 24/11 is off
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # across the new year: 1/1/2027 is a Friday off
        (D(2026, 4, 24), 0, D(2026, 4, 24)),
    ],
)
def test_add_working_days_skips_weekends_and_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


def test_a_negative_number_of_working_days_is_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 4, 24), -1)


@pytest.mark.parametrize(
    ("sent", "due", "days", "expected"),
    [
        (D(2026, 4, 24), D(2026, 4, 28), 5, D(2026, 4, 28)),  # the row's own deadline wins
        (D(2026, 4, 24), D(2026, 5, 2), 5, D(2026, 5, 2)),  # even when it falls on a Saturday
        (D(2026, 4, 24), None, 5, D(2026, 5, 6)),
        (D(2026, 4, 24), None, 10, D(2026, 5, 13)),  # N from the settings
    ],
)
def test_the_deadline_is_the_rows_own_or_n_working_days_after_sending(sent, due, days, expected):
    assert deadline(sent, due, days) == expected


@pytest.mark.parametrize(
    ("day", "weekday", "week"),
    [
        (D(2026, 4, 17), 3, D(2026, 4, 23)),  # Friday belongs to the next Thursday
        (D(2026, 4, 18), 3, D(2026, 4, 23)),
        (D(2026, 4, 22), 3, D(2026, 4, 23)),
        (D(2026, 4, 23), 3, D(2026, 4, 23)),  # Thursday closes its own week
        (D(2026, 4, 24), 3, D(2026, 4, 30)),
        (D(2026, 4, 20), 0, D(2026, 4, 20)),  # with Monday as the report day
        (D(2026, 4, 21), 0, D(2026, 4, 27)),
    ],
)
def test_a_report_belongs_to_the_week_ending_on_the_next_report_day(day, weekday, week):
    assert week_ending(day, weekday) == week


# --- figures ------------------------------------------------------------------------------------

AS_OF = D(2026, 5, 20)  # a Wednesday
HOUSEHOLDS = {"Thôn 1": 200, "Thôn Trung Hòa": 150, "Thôn Yên Thọ": 100}
COLUMNS = ["id", "sent", "field", "village", "unit", "due", "completed", "status", "rating"]
# fmt: off
REPORTS = [
    # Friday 24/4 + 5 working days = 6/5: done 5/5, on time, 11 days, satisfied
    ["PA1", dt.datetime(2026, 4, 24, 8, 15), "Giao thông", "Thôn 1", "UBND xã", None, D(2026, 5, 5), "Hoàn thành", "Hài lòng"],
    # same deadline, done 8/5: late, 14 days, not satisfied
    ["PA2", dt.datetime(2026, 4, 24, 16, 0), "Môi trường", "Thôn 1", "UBND xã", None, D(2026, 5, 8), "Đã xử lý", "2/5"],
    # its own deadline 15/5, done that very day: on time, 11 days, unrated
    ["PA3", dt.datetime(2026, 5, 4, 9, 0), "An ninh trật tự", "Thôn Trung Hòa", "Công an xã", D(2026, 5, 15), D(2026, 5, 15), "Hoàn thành", None],
    # Monday 11/5 + 5 = Monday 18/5, still open on 20/5: 2 days overdue
    ["PA4", dt.datetime(2026, 5, 11, 7, 30), "An ninh trật tự", "thôn trung hoà", "Công an xã", None, None, "Đang xử lý", None],
    # refused (its closing date does not make it resolved)
    ["PA5", dt.datetime(2026, 5, 12, 10, 0), "Điện", "Thôn 1", "UBND xã", None, D(2026, 5, 13), "Không thuộc thẩm quyền", None],
    # 18/5 + 5 = 25/5: open, not overdue, not yet assigned, a village not on the roster
    ["PA6", dt.datetime(2026, 5, 18, 20, 0), "Giao thông", "Thôn Mới", "", None, None, "Chờ tiếp nhận", None],
    # done by status, no completion date: resolved but not shown on time; satisfied
    ["PA7", dt.datetime(2026, 5, 19, 11, 0), "Giao thông", "Thôn 1", "UBND xã", None, None, "Hoàn thành", "5 sao"],
    # sent after the as-of date: not counted
    ["PA8", dt.datetime(2026, 5, 21, 9, 0), "Giao thông", "Thôn 1", "UBND xã", None, None, "Đang xử lý", None],
]
# fmt: on


def frame(rows=REPORTS):
    return pd.DataFrame(rows, columns=COLUMNS)


def test_the_contract_on_a_hand_made_list():
    assert handling_summary(frame(), AS_OF, HOUSEHOLDS) == {
        "received": 7,
        "resolved": 4,  # PA1, PA2, PA3, PA7; the refused PA5 is neither resolved nor open
        "resolved_on_time": 2,
        "on_time_rate": 0.5,
        "open": 2,
        "overdue_open": 1,
        "satisfied_rate": 2 / 3,
        "units": [
            {
                "name": "Công an xã",
                "received": 2,
                "resolved": 1,
                "resolved_on_time": 1,
                "on_time_rate": 1.0,
                "overdue_open": 1,
                "median_days": 11.0,
            },
            {
                "name": "UBND xã",
                "received": 4,
                "resolved": 3,
                "resolved_on_time": 1,
                "on_time_rate": 1 / 3,
                "overdue_open": 0,
                "median_days": 12.5,  # PA1 11 days, PA2 14; PA7 has no completion date
            },
            {
                "name": UNASSIGNED,
                "received": 1,
                "resolved": 0,
                "resolved_on_time": 0,
                "on_time_rate": None,
                "overdue_open": 0,
                "median_days": None,
            },
        ],
        "villages": [
            {"name": "Thôn 1", "received": 4, "per_100_households": 2.0},
            {"name": "Thôn Trung Hòa", "received": 2, "per_100_households": 200 / 150},
            {"name": "Thôn Yên Thọ", "received": 0, "per_100_households": 0.0},
            {"name": "Thôn Mới", "received": 1, "per_100_households": None},
        ],
    }


def test_a_report_completed_after_the_as_of_date_was_still_open_then():
    figures = handling_summary(frame(), D(2026, 5, 7), HOUSEHOLDS)
    # PA1 (done 5/5) is resolved on time; PA2 (done 8/5) was open and one day past its 6/5 deadline
    assert {k: figures[k] for k in ("received", "resolved", "resolved_on_time", "open", "overdue_open")} == {
        "received": 3,
        "resolved": 1,
        "resolved_on_time": 1,
        "open": 2,
        "overdue_open": 1,
    }


def test_rates_are_null_when_their_denominator_is_zero():
    empty = frame([])
    assert handling_summary(empty, AS_OF, {"Thôn 1": 200, "Thôn không hộ": 0}) == {
        "received": 0,
        "resolved": 0,
        "resolved_on_time": 0,
        "on_time_rate": None,
        "open": 0,
        "overdue_open": 0,
        "satisfied_rate": None,
        "units": [],
        "villages": [
            {"name": "Thôn 1", "received": 0, "per_100_households": 0.0},
            {"name": "Thôn không hộ", "received": 0, "per_100_households": None},
        ],
    }


def test_refused_reports_are_received_but_never_resolved_open_or_overdue():
    refused = [["PA9", dt.datetime(2026, 4, 1), "Điện", "Thôn 1", "UBND xã", None, None, "Từ chối", None]]
    figures = handling_summary(frame(refused), AS_OF, HOUSEHOLDS)
    picked = {k: figures[k] for k in ("received", "resolved", "open", "overdue_open", "on_time_rate")}
    assert picked == {"received": 1, "resolved": 0, "open": 0, "overdue_open": 0, "on_time_rate": None}


def test_an_unknown_status_counts_as_open_so_it_can_be_overdue():
    row = [["PA9", dt.datetime(2026, 4, 1), "Điện", "Thôn 1", "UBND xã", None, None, "Tạm dừng", None]]
    assert overdue_list(frame(row), AS_OF)[0]["id"] == "PA9"


def test_units_and_fields_spelled_differently_are_counted_together():
    rows = [
        ["PA1", dt.datetime(2026, 5, 4), "Giao thông", "Thôn 1", "UBND xã", None, None, "Đang xử lý", None],
        ["PA2", dt.datetime(2026, 5, 4), "giao  thông", "Thôn 1", "UBND Xã ", None, None, "Đang xử lý", None],
    ]
    assert [(u["name"], u["received"]) for u in handling_summary(frame(rows), AS_OF, {})["units"]] == [("UBND xã", 2)]
    assert [(f["field"], f["received"]) for f in by_field(frame(rows), AS_OF)] == [("Giao thông", 2)]


def test_each_report_is_annotated_with_its_deadline_and_state():
    rows = annotate(frame(), AS_OF).set_index("id")
    assert rows.loc["PA1", "deadline"] == D(2026, 5, 6)
    assert rows.loc["PA3", "deadline"] == D(2026, 5, 15)
    assert list(rows["state"]) == ["resolved", "resolved", "resolved", "open", "refused", "open", "resolved"]
    assert list(rows["on_time"]) == [True, False, True, False, False, False, False]
    assert rows.loc["PA6", "unit"] == UNASSIGNED


def test_weekly_counts_go_by_the_week_ending_thursday():
    table = weekly(frame(), AS_OF)
    assert table.to_dict("list") == {
        "week": [D(2026, 4, 30), D(2026, 5, 7), D(2026, 5, 14), D(2026, 5, 21)],
        "received": [2, 1, 2, 2],  # sent PA1 PA2 | PA3 | PA4 PA5 | PA6 PA7
        "resolved": [0, 1, 1, 1],  # completed PA1 5/5 | PA2 8/5 | PA3 15/5
        "resolved_on_time": [0, 1, 0, 1],
    }


def test_weekly_counts_of_nothing_are_an_empty_table():
    assert list(weekly(frame([]), AS_OF).columns) == ["week", "received", "resolved", "resolved_on_time"]


def test_the_overdue_list_is_worst_first_and_holds_no_personal_data():
    late = [
        ["PA20", dt.datetime(2026, 4, 1), "Điện", "Thôn 1", "UBND xã", None, None, "Đang xử lý", None],
        ["PA21", dt.datetime(2026, 3, 2), "", "Thôn 1", "", None, None, "Quá hạn", None],
    ]
    # fmt: off
    assert overdue_list(frame(REPORTS + late), AS_OF) == [
        # Monday 2/3 + 5 working days = 9/3; Wednesday 1/4 + 5 = 8/4
        {"id": "PA21", "field": NO_FIELD, "unit": UNASSIGNED, "village": "Thôn 1", "deadline": D(2026, 3, 9), "days_overdue": 72},
        {"id": "PA20", "field": "Điện", "unit": "UBND xã", "village": "Thôn 1", "deadline": D(2026, 4, 8), "days_overdue": 42},
        {"id": "PA4", "field": "An ninh trật tự", "unit": "Công an xã", "village": "thôn trung hoà", "deadline": D(2026, 5, 18), "days_overdue": 2},
    ]
    # fmt: on


def test_counts_by_field_most_received_first():
    # fmt: off
    assert by_field(frame(), AS_OF) == [
        {"field": "Giao thông", "received": 3, "resolved": 2, "resolved_on_time": 1, "on_time_rate": 0.5, "open": 1, "overdue_open": 0},
        {"field": "An ninh trật tự", "received": 2, "resolved": 1, "resolved_on_time": 1, "on_time_rate": 1.0, "open": 1, "overdue_open": 1},
        {"field": "Điện", "received": 1, "resolved": 0, "resolved_on_time": 0, "on_time_rate": None, "open": 0, "overdue_open": 0},
        {"field": "Môi trường", "received": 1, "resolved": 1, "resolved_on_time": 0, "on_time_rate": 0.0, "open": 0, "overdue_open": 0},
    ]
    # fmt: on


def test_the_contract_is_plain_json():
    import json

    assert json.loads(json.dumps(handling_summary(frame(), AS_OF, HOUSEHOLDS)))["units"][0]["name"] == "Công an xã"


# --- row checks -------------------------------------------------------------------------------

TODAY = D(2026, 5, 20)
LETTERS = {"id": "B", "sent": "C", "field": "D", "village": "E", "unit": "F", "due": "G", "completed": "H", "status": "I", "rating": "J"}


def record(row, **cells):
    base = {"id": f"PA{row}", "sent": "24/04/2026 08:15", "status": "Đang xử lý", "unit": "UBND xã", "village": "Thôn 1"}
    return {**base, **cells, "row": row}


def read(*records, today=TODAY):
    return read_reports(list(records), today, letters=LETTERS)


def found(issues):
    return [(i["code"], i["cell"], i["severity"]) for i in issues]


def test_issue_records_have_the_keys_of_every_other_tab():
    _, issues = read(record(5, id=""))
    assert list(issues[0]) == [*ISSUE_COLUMNS, "field"]
    assert issues[0] | {"message": ""} == {
        "sheet": "Phản ánh",
        "row": 5,
        "column": "Mã phản ánh",
        "cell": "B5",
        "severity": "error",
        "code": "missing_value",
        "message": "",
        "value": "",
        "field": "id",
    }
    assert issues[0]["message"].startswith("Tab Phản ánh, dòng 5, cột Mã phản ánh (ô B5): ")


def test_clean_rows_become_the_frame_with_their_sending_time():
    rows, issues = read(record(5, completed="05/05/2026", status="Hoàn thành", rating="4/5"))
    assert issues == []
    assert rows.to_dict("records") == [
        {
            "id": "PA5",
            "sent": pd.Timestamp(2026, 4, 24, 8, 15),
            "field": None,
            "village": "Thôn 1",
            "unit": "UBND xã",
            "due": None,
            "completed": D(2026, 5, 5),
            "status": "Hoàn thành",
            "rating": "4/5",
            "row": 5,
        }
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"id": " "}, [("missing_value", "B5", "error")]),
        ({"sent": None}, [("missing_value", "C5", "error")]),
        ({"sent": "32/4/2026"}, [("bad_date", "C5", "error")]),
        ({"sent": "4/23/2026"}, [("bad_date", "C5", "error")]),  # US order: an error, not a guess
        ({"completed": "hôm qua"}, [("bad_date", "H5", "error")]),
        ({"sent": "21/05/2026"}, [("future_date", "C5", "error")]),
        ({"completed": "25/05/2026", "status": "Hoàn thành"}, [("future_date", "H5", "error")]),
        ({"completed": "23/04/2026", "status": "Hoàn thành"}, [("completed_before_sent", "H5", "error")]),
        ({"due": "sớm"}, [("bad_date", "G5", "warning")]),  # the deadline is computed instead
        ({"status": "Tạm dừng"}, [("unknown_status", "I5", "warning")]),
        ({"status": "Hoàn thành"}, [("missing_completion_date", "H5", "warning")]),
        ({"rating": "tuyệt vời"}, [("bad_rating", "J5", "warning")]),
        ({"due": "30/05/2026", "status": ""}, []),  # a deadline may lie ahead; a blank status is just open
    ],
)
def test_bad_cells_become_issues_and_errors_reject_the_row(cells, expected):
    rows, issues = read(record(5, **cells))
    assert found(issues) == expected
    assert len(rows) == (0 if any(s == "error" for *_, s in expected) else 1)


def test_an_unknown_status_warning_names_the_value_and_says_what_to_use():
    _, issues = read(record(5, status="Tạm dừng"))
    assert "'Tạm dừng'" in issues[0]["message"] and "Hoàn thành" in issues[0]["message"]
    assert issues[0]["value"] == "Tạm dừng"


def test_a_status_or_rating_of_ten_thousand_characters_is_quoted_short():
    _, issues = read(record(5, status="Đ" * 10_000, rating="<b>5</b>" + "y" * 10_000))
    assert [i["code"] for i in issues] == ["unknown_status", "bad_rating"]
    assert all(len(i["message"]) < 400 and "…'" in i["message"] for i in issues)


def test_an_unknown_status_is_named_even_when_a_completion_date_resolves_the_report():
    _, issues = read(record(5, status="Tạm dừng", completed="05/05/2026"))
    assert found(issues) == [("unknown_status", "I5", "warning")]


def test_an_unreadable_deadline_is_dropped_and_the_row_kept():
    rows, _ = read(record(5, due="sớm"))
    assert rows["due"].tolist() == [None]


def test_an_exact_copy_of_a_row_is_a_warning_and_counted_once():
    rows, issues = read(record(5, id="PA-1"), record(6, id="PA-1"), record(7, id="pa-1 "))
    assert found(issues) == [("duplicate_id", "B6", "warning"), ("duplicate_id", "B7", "warning")]
    assert "dòng 5, 7" in issues[0]["message"]
    assert rows["row"].tolist() == [5]


def test_an_id_used_for_different_reports_rejects_them_all_listing_at_most_three_others():
    copies = [record(r, id="PA-1", status="Quá hạn" if r == 6 else "Đang xử lý") for r in range(5, 10)]
    rows, issues = read(*copies)
    assert found(issues) == [("duplicate_id", f"B{r}", "error") for r in range(5, 10)]
    assert "trùng với dòng 6, 7, 8 và 1 dòng khác" in issues[0]["message"]
    assert "trùng với dòng 5, 6, 7 và 1 dòng khác" in issues[4]["message"]
    assert rows.empty


def test_without_cell_letters_messages_name_the_row():
    _, issues = read_reports([record(9, sent="abc")], TODAY)
    assert issues[0]["cell"] == "" and issues[0]["message"].startswith("Tab Phản ánh, dòng 9, cột Ngày gửi: ")


def test_an_empty_list_gives_an_empty_frame_with_every_column():
    rows, issues = read_reports([], TODAY)
    assert list(rows.columns) == FRAME_COLUMNS and issues == []


# --- sample ---------------------------------------------------------------------------------------

SAMPLE_VILLAGES = [name for names in sample_workbook.VILLAGE_NAMES.values() for name in names]  # the commune's 24
SAMPLE_UNITS = [name for name, *_ in sample_workbook.UNITS]
SAMPLE_END = D(2026, 11, 26)


def sample(seed=2026, mistakes=True):
    return sample_field_reports(SAMPLE_VILLAGES, SAMPLE_UNITS, D(2026, 3, 17), SAMPLE_END, seed, mistakes)


def sample_records(rows):
    """The sample as the reader will see it: header found below the title block, personal columns never copied."""
    at = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    columns = header_map(rows[at])
    records = [{**{f: r[c] for f, c in columns.items()}, "row": at + 2 + i} for i, r in enumerate(rows[at + 1 :])]
    for r in records:
        r["village"] = village_in_text(r["village"], SAMPLE_VILLAGES)
    return rows[at], records


def test_the_sample_is_the_same_for_the_same_seed():
    assert sample() == sample() and sample() != sample(seed=7)


def test_the_sample_looks_like_a_platform_export_with_personal_columns_to_drop():
    rows = sample()
    assert rows[1] == ["DANH SÁCH PHẢN ÁNH HIỆN TRƯỜNG (DỮ LIỆU MẪU)"]
    header, records = sample_records(rows)
    assert [header[i] for i in personal_columns(header)] == ["Họ tên người gửi", "Số điện thoại", "Địa chỉ"]
    assert set(records[0]) == {"id", "sent", "field", "village", "unit", "due", "completed", "status", "rating", "row"}
    assert all(r["village"] in SAMPLE_VILLAGES for r in records)  # every location names a roster village


def test_the_sample_reads_with_only_its_planted_mistakes_and_shows_every_case():
    _, records = sample_records(sample())
    rows, issues = read_reports(records, SAMPLE_END)
    assert sorted({(i["code"], i["severity"]) for i in issues}) == [("duplicate_id", "warning"), ("unknown_status", "warning")]
    figures = handling_summary(rows, SAMPLE_END, dict.fromkeys(SAMPLE_VILLAGES, 150))
    assert 150 < figures["received"] < 400
    assert figures["received"] > figures["resolved"] + figures["open"]  # some refused
    assert 0 < figures["overdue_open"] < 15
    assert 0.6 < figures["on_time_rate"] < 0.95 and 0.3 < figures["satisfied_rate"] < 0.9
    assert {u["name"] for u in figures["units"]} >= {"UBND xã", "Công an xã", UNASSIGNED}
    assert {f["field"] for f in by_field(rows, SAMPLE_END)} >= {
        "Giao thông",
        "Môi trường",
        "Đất đai",
        "An ninh trật tự",
        "Điện",
        "Nước sạch",
    }


def test_the_sample_without_mistakes_reads_clean():
    _, records = sample_records(sample(mistakes=False))
    assert read_reports(records, SAMPLE_END)[1] == []
