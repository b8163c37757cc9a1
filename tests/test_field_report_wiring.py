"""The `Phản ánh` tab end to end: schema and settings, the reader's one path, `check --json`, the readable check,
personal data never validated, shown or stored, and the Thursday report's section."""

import datetime as dt
import io
import json
import sqlite3
from contextlib import redirect_stdout

import pytest

from conftest import REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES, book, save_workbook
from lib import dashboard, schema
from lib.__main__ import main
from lib.field_report_section import zalo_line
from lib.live import resolve
from lib.pipeline import load
from lib.report import build
from lib.snapshots import SnapshotStore
from lib.validation.field_reports import without_personal_data
from lib.validation.run import validate

D = dt.date
HEADER = ["STT", "Mã PA", "Thời gian gửi", "Họ và tên", "Số điện thoại", "Số CCCD", "Email", "Địa chỉ", "Lĩnh vực", "Địa điểm",
          "Đơn vị xử lý", "Hạn xử lý", "Thời gian xử lý xong", "Trạng thái", "Đánh giá", "Nội dung"]  # fmt: skip
PERSONAL = ("Nguyễn Thị Riêng Tư", "0912 345 678", "042199000123", "rieng.tu@example.vn", "Số 9 ngõ Kín")


def report(n, sent, field, place, unit, due, done, status, rating=""):
    return [n, f"PA{n:03d}", sent, *PERSONAL, field, place, unit, due, done, status, rating, "nội dung"]


# As of Friday 20/11/2026: five reports of Thursday 12/11 (deadline 19/11, five working days), one of 16/11 (due 23/11).
ROWS = [
    ["DANH SÁCH PHẢN ÁNH HIỆN TRƯỜNG"],
    ["Từ ngày 01/11/2026 đến ngày 20/11/2026"],
    [],
    HEADER,
    report(1, "12/11/2026 08:15", "Giao thông", "Đường liên thôn, Thôn Trung Hòa, xã Sơn Giang", "UBND xã", "", "18/11/2026", "Hoàn thành", "Hài lòng"),
    report(2, "12/11/2026 09:00", "Môi trường", "Thôn 1", "UBND xã", "", "20/11/2026", "Đã xử lý", "2/5"),
    report(3, "12/11/2026 10:00", "Điện", "Thôn 1", "Trạm Y tế xã", "", "", "Không thuộc thẩm quyền"),
    report(4, "12/11/2026 11:00", "An ninh trật tự", "Khu vực chợ", "Trạm Y tế xã", "", "", "Đang xử lý"),
    report(5, "12/11/2026 14:00", "Nước sạch", "Thon Trung Hoa", "UBND xã", "", "", "Tạm dừng"),
    report(6, "16/11/2026 07:30", "Giao thông", "Thôn Trung Hòa", "UBND xã", "23/11/2026", "", "Chờ tiếp nhận"),
]  # fmt: skip
AS_OF = D(2026, 11, 20)
CONFIG = [["Mục", "Giá trị"], ["Thời hạn xử lý (ngày làm việc)", 5], ["Chỉ tiêu xử lý đúng hạn (%)", 80]]


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "phan-anh.xlsx"
    tabs = {"Thôn": VILLAGES, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS, "Cấu hình": CONFIG}
    save_workbook(path, {**tabs, "Danh sách phản ánh": ROWS})
    return path


def check_json(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["check", *args, "--json", "--today", AS_OF.isoformat()])
    return status, json.loads(out.getvalue())


def test_the_contract_on_a_hand_made_sheet(workbook):
    status, result = check_json(str(workbook))
    assert status == 0
    assert result["rows"]["Phản ánh"] == {"read": 6, "accepted": 6, "rejected": 0}
    assert result["field_reports"] == {
        "received": 6,
        "resolved": 2,
        "resolved_on_time": 1,  # 18/11 ≤ 19/11; 20/11 is a day late
        "on_time_rate": 0.5,
        "open": 3,  # 4, 5 (an unknown status counts as open) and 6; 3 is refused
        "overdue_open": 2,  # 4 and 5, due 19/11; 6 is due 23/11
        "satisfied_rate": 0.5,
        "units": [
            {"name": "Trạm Y tế xã", "received": 2, "resolved": 0, "resolved_on_time": 0, "on_time_rate": None, "overdue_open": 1, "median_days": None},
            {"name": "UBND xã", "received": 4, "resolved": 2, "resolved_on_time": 1, "on_time_rate": 0.5, "overdue_open": 1, "median_days": 7.0},
        ],
        "villages": [
            {"name": "Thôn Trung Hòa", "received": 3, "per_100_households": 1.5},  # 200 households
            {"name": "Thôn 1", "received": 2, "per_100_households": 1.333333},  # 150
            {"name": "Thôn Yên Thọ", "received": 0, "per_100_households": 0.0},
        ],
    }  # fmt: skip
    by_code = {(i["code"], i["cell"]) for i in result["issues"] if i["sheet"] == "Danh sách phản ánh"}
    assert by_code == {("unknown_status", "N9"), ("approximate_name", "J9"), ("unknown_village", "J8")}
    unknown = next(i for i in result["issues"] if i["code"] == "unknown_status")
    assert "'Tạm dừng'" in unknown["message"] and unknown["severity"] == "warning"


def test_a_village_not_found_says_where_in_words_like_every_other_issue(workbook):
    _, result = check_json(str(workbook))
    unknown = next(i for i in result["issues"] if i["code"] == "unknown_village")
    assert unknown["message"].startswith("Tab Danh sách phản ánh, dòng 8, cột Địa điểm (ô J8): không tìm thấy thôn nào")


def test_without_the_tab_the_contract_has_no_field_reports(tmp_path):
    path = tmp_path / "plain.xlsx"
    save_workbook(path, {"Thôn": VILLAGES, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS})
    _, result = check_json(str(path))
    assert "field_reports" not in result and "Phản ánh" not in result["rows"]


def test_the_readable_check_says_the_same_in_vietnamese(workbook, capsys):
    main(["check", str(workbook), "--today", AS_OF.isoformat()])
    out = capsys.readouterr().out
    assert "Phản ánh: đã nhận 6, đã xử lý 2 (đúng hạn 1 = 50,0 %), đang xử lý 3, quá hạn 2; người dân hài lòng 50,0 %" in out
    assert "  UBND xã: nhận 4, xử lý 2, đúng hạn 50,0 %, quá hạn 1, thời gian xử lý (trung vị) 7 ngày" in out
    villages = out.split("  Phản ánh theo thôn (số phản ánh; trên 100 hộ):\n")[1].splitlines()[:3]
    assert villages == ["    Thôn Trung Hòa: 3; 1,5", "    Thôn 1: 2; 1,3", "    Thôn Yên Thọ: 0; 0,0"]  # as in `villages` of --json
    assert not any(p in out for p in PERSONAL)


def test_personal_columns_are_never_validated_shown_or_stored(workbook, tmp_path):
    store = f"sqlite:///{tmp_path / 'snap.sqlite'}"
    loaded = load(resolve(str(workbook), store_url=store), AS_OF)
    assert loaded.recorded is not None
    stored = SnapshotStore(store).latest(resolve(str(workbook), store_url=store).identity).raw
    for raw in (loaded.raw, stored):
        cells = [str(v) for rows in raw.tabs.values() for row in rows for v in row if v is not None]
        assert not any(p in c for p in PERSONAL for c in cells)
        assert raw.tabs["Danh sách phản ánh"][3] == HEADER  # the header stays, so every cell keeps its address
    # Only the columns the reader uses are kept below the header: free text such as Nội dung may name people.
    assert stored.tabs["Danh sách phản ánh"][4][HEADER.index("Nội dung")] is None
    assert stored.tabs["Danh sách phản ánh"][4][HEADER.index("Mã PA")] == "PA001"
    shown = json.dumps(check_json(str(workbook))[1], ensure_ascii=False)
    assert not any(p in shown for p in PERSONAL)
    dump = "\n".join(sqlite3.connect(tmp_path / "snap.sqlite").iterdump())
    assert not any(p in dump for p in PERSONAL)


def test_a_column_the_reader_does_not_use_is_blanked_whatever_its_header_says():
    # "Người liên hệ" is on no list of personal headers; below a header of ours it is dropped all the same.
    rows = [["Mã phản ánh", "Ngày gửi", "Người liên hệ", "Trạng thái"], ["PA9", "12/11/2026", "Trần Văn Lạ", "Đang xử lý"]]
    kept = without_personal_data(book(**{"Phản ánh": rows})).tabs["Phản ánh"]
    assert kept == [rows[0], ["PA9", "12/11/2026", None, "Đang xử lý"]]


def test_a_header_of_personal_columns_alone_is_still_dropped():
    raw = book(**{"Phản ánh": [["Họ tên", "Số điện thoại", "Ghi chú"], ["Lê Văn A", "0988 111 222", "x"]]})
    kept = without_personal_data(raw).tabs["Phản ánh"]
    assert kept == [["Họ tên", "Số điện thoại", "Ghi chú"], [None, None, "x"]]


def test_without_an_id_column_the_tab_says_which_column_is_missing():
    ds = validate(book(**{"Phản ánh": [["Ngày gửi", "Lĩnh vực"], [D(2026, 11, 2), "Điện"]]}), TODAY)
    missing = ds.issues[ds.issues["code"] == "missing_column"]
    assert list(missing["column"]) == ["Mã phản ánh"] and ds.field_reports is not None and ds.field_reports.empty


@pytest.mark.parametrize(
    ("typed", "expected", "code"),
    [
        (7, 7, None),
        ("", 5, None),
        (0, 5, "bad_setting"),
        ("năm", 5, "bad_setting"),
    ],
)
def test_the_working_days_setting_is_read_with_its_default(typed, expected, code):
    ds = validate(book(**{"Cấu hình": [["Mục", "Giá trị"], ["Thời hạn xử lý (ngày làm việc)", typed]]}), TODAY)
    assert ds.campaign.report_working_days == expected
    assert list(ds.issues["code"]) == ([code] if code else [])


def test_the_settings_and_the_tab_are_in_the_schema():
    assert schema.FIELD_REPORTS in schema.TABS and not schema.FIELD_REPORTS.required
    labels = {s.label: s.default for s in schema.SETTINGS}
    assert labels["Thời hạn xử lý (ngày làm việc)"] == "5" and labels["Chỉ tiêu xử lý đúng hạn (%)"] == "100"


def test_the_thursday_report_has_the_section_per_unit_and_the_zalo_line(workbook):
    board = dashboard.build(load(resolve(str(workbook)), AS_OF).ds)
    sections = dict(build(board, D(2026, 11, 19)).sections)  # the week 13–19/11: the reports of Thursday 12/11 are last week's
    text = sections["6. Tiếp nhận, xử lý phản ánh hiện trường"]
    assert text[0] == (
        "Trong tuần, xã tiếp nhận 1 phản ánh của người dân qua ứng dụng i-HaTinh; xử lý xong 1 phản ánh, trong đó 1 phản ánh đúng hạn. "
        "Đến ngày 19/11/2026 còn 0 phản ánh quá hạn chưa xử lý xong."
    )
    assert "đúng hạn 1/1 = 100,0 % (chỉ tiêu 80 %" in text[1]  # as of 19/11 the report done on 20/11 was still open
    assert "7. Nhận xét, đề xuất" in sections
    # The week 20–26/11 as of today (20/11): one done a day late, and the two due 19/11 overdue.
    assert (
        zalo_line(board, D(2026, 11, 26))
        == "- Phản ánh tuần: nhận 0, xử lý xong 1 (đúng hạn 0); đang quá hạn 2 (Trạm Y tế xã 1; UBND xã 1)."
    )


def test_the_screens_filters_and_unit_tables_list_names_in_vietnamese_order():
    # ascii_key folded Đ into D, so "Đường" sorted among the D's; a dictionary puts every Đ after every D.
    from lib import field_report_figures

    rows = [
        *ROWS[:4],
        report(1, "12/11/2026 08:15", "Đất đai", "Thôn 1", "Đoàn Thanh niên", "", "18/11/2026", "Hoàn thành"),
        report(2, "12/11/2026 09:00", "Dịch vụ", "Thôn 1", "Dân quân", "", "18/11/2026", "Hoàn thành"),
        report(3, "12/11/2026 10:00", "Điện", "Thôn 1", "Ê-kíp", "", "18/11/2026", "Hoàn thành"),
    ]
    ds = validate(book(**{"Phản ánh": rows}), AS_OF)
    offered = field_report_figures.choices(ds)
    assert offered["field"] == ["Dịch vụ", "Đất đai", "Điện"]
    assert offered["unit"] == ["Dân quân", "Đoàn Thanh niên", "Ê-kíp"]
    assert list(field_report_figures.units(ds)["name"]) == ["Dân quân", "Đoàn Thanh niên", "Ê-kíp"]


def test_a_two_row_header_with_a_merged_sender_block_is_read_once_and_its_personal_columns_never_stored(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in {"Thôn": VILLAGES, "Báo cáo thôn": REPORTS, "Đơn vị": UNITS, "Báo cáo đơn vị": UNIT_REPORTS}.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    sheet = workbook.create_sheet("Phản ánh")  # as the platform exports it: the sender's block merged over its sub-headers
    sheet.append(["Mã PA", "Thông tin người phản ánh", None, None, "Thời gian gửi", "Đơn vị xử lý", "Trạng thái"])
    sheet.append([None, "Họ tên", "Số ĐT", "Số CCCD", None, None, None])
    sheet.append(["PA001", *PERSONAL[:3], "12/11/2026 08:15", "UBND xã", "Đang xử lý"])
    sheet.merge_cells("B1:D1")
    for column in "AEFG":
        sheet.merge_cells(f"{column}1:{column}2")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    store = f"sqlite:///{tmp_path / 'snap.sqlite'}"
    loaded = load(resolve(str(path), store_url=store), AS_OF)
    assert loaded.recorded is not None
    assert [i.code for i in loaded.ds.issues.itertuples() if i.sheet == "Phản ánh"] == []  # row 2 is the header's, not a report
    assert loaded.ds.field_reports is not None and list(loaded.ds.field_reports["id"]) == ["PA001"]
    dump = "\n".join(sqlite3.connect(tmp_path / "snap.sqlite").iterdump())
    stored = SnapshotStore(store).latest(resolve(str(path), store_url=store).identity).raw
    cells = [str(v) for row in stored.tabs["Phản ánh"] for v in row if v is not None]
    assert not any(p in c for p in PERSONAL for c in cells) and "PA001" in cells
    assert not any(p in dump for p in PERSONAL)
