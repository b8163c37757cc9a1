"""The sheet template: it reads as it is written, its cells pass their own checks, and a village head can follow it on a phone."""

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from conftest import TODAY
from lib import schema
from lib.__main__ import main
from lib.live import resolve
from lib.office import convert
from lib.pipeline import load
from lib.template import DATE_FORMAT, GUIDE_TAB, GUIDE_WIDTH, MAX_ROWS, STEPS

DATA_TABS = (schema.VILLAGES, schema.VILLAGE_REPORTS, schema.UNITS, schema.UNIT_REPORTS)


def calc_installed() -> bool:
    """LibreOffice with its spreadsheet part (Debian splits it: libreoffice-calc-nogui)."""
    program = shutil.which("soffice")
    return program is not None and (Path(program).resolve().parent / "libsclo.so").exists()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("mau") / "mau.xlsx"
    assert main(["template", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def book(template):
    """The template as openpyxl reads it (read only by the tests)."""
    return load_workbook(template)


@pytest.fixture(scope="module")
def resaved(template, tmp_path_factory):
    """The template opened by LibreOffice headless and saved again as .xlsx: what a second office program leaves."""
    if not calc_installed():
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    done = convert(template.read_bytes(), ".xlsx", "xlsx")
    assert done.data is not None, done.reason
    path = tmp_path_factory.mktemp("libreoffice") / "mau.xlsx"
    path.write_bytes(done.data)
    return path


def reads_as_its_examples(path: Path) -> None:
    ds = load(resolve(str(path)), TODAY).ds
    assert ds.issues.to_dict(orient="records") == []
    assert {tab: n["accepted"] for tab, n in ds.rows.items()} == {
        "Thôn": 1,
        "Báo cáo thôn": 1,
        "Đơn vị": 1,
        "Báo cáo đơn vị": 1,
        "Cấu hình": len(schema.SETTINGS),
        "Giai đoạn": 3,
        "Phản ánh": 1,
    }
    assert ds.villages[["name", "households", "smartphone_households"]].values.tolist() == [["Thôn Trung Hòa", 215, 160]]
    assert ds.village_reports[["village", "date", "installed"]].values.tolist() == [["Thôn Trung Hòa", dt.date(2026, 4, 23), 96]]
    assert ds.unit_reports[["unit", "date", "installed"]].values.tolist() == [["UBND xã", dt.date(2026, 4, 23), 32]]
    assert (ds.campaign.household_target, ds.campaign.official_target, ds.campaign.report_weekday) == (0.7, 1.0, 3)
    assert (ds.campaign.report_working_days, ds.campaign.on_time_target) == (5, 1.0)
    assert ds.field_reports[["id", "village", "unit", "status"]].values.tolist() == [
        ["PA2604000001", "Thôn Trung Hòa", "UBND xã", "Hoàn thành"]
    ]
    assert [(p.name, p.start, p.end) for p in ds.campaign.phases] == [
        ("Giai đoạn 1", dt.date(2026, 4, 15), dt.date(2026, 4, 20)),
        ("Giai đoạn 2", dt.date(2026, 4, 20), dt.date(2026, 4, 30)),
        ("Duy trì", dt.date(2026, 5, 1), dt.date(2026, 12, 31)),
    ]


def test_the_template_filled_with_its_own_examples_reads_with_zero_issues(template):
    reads_as_its_examples(template)


def test_the_template_resaved_by_libreoffice_still_reads_with_zero_issues(resaved):
    reads_as_its_examples(resaved)
    book = load_workbook(resaved)
    assert book["Báo cáo thôn"]["A2"].number_format == DATE_FORMAT
    assert book["Báo cáo thôn"].protection.sheet and book["Báo cáo thôn"]["A1"].protection.locked
    assert book["Báo cáo thôn"]["C500"].protection.locked is False


def test_each_data_tab_has_one_example_row_marked_as_an_example(book):
    for tab in DATA_TABS:
        sheet = book[tab.name]
        filled = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=len(tab.columns)) if any(c.value for c in row)]
        assert len(filled) == 1, tab.name
        assert sheet["A2"].font.italic
        assert filled[0][[c.field for c in tab.columns].index("note")].startswith("Dòng ví dụ")


def _date(formula: str) -> dt.datetime:
    return dt.datetime(*map(int, re.fullmatch(r"DATE\((\d+),(\d+),(\d+)\)", formula).groups()))


def _passes(book, check, value) -> bool:
    """Whether a value satisfies a data validation of the kinds the template uses."""
    if value is None:
        return bool(check.allow_blank)
    if check.type == "whole":
        return type(value) is int and value >= int(check.formula1)
    if check.type == "decimal":
        return type(value) in (int, float) and float(check.formula1) <= value <= float(check.formula2)
    if check.type == "date":
        return isinstance(value, dt.datetime) and _date(check.formula1) <= value <= _date(check.formula2)
    if check.type == "list":
        if check.formula1.startswith('"'):
            return value in check.formula1.strip('"').split(",")
        tab, area = check.formula1.lstrip("=").split("!")
        sheet = book[tab.strip("'")]
        c0, r0, c1, r1 = range_boundaries(area.replace("$", ""))
        return value in {c.value for row in sheet.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1) for c in row}
    raise AssertionError(f"a check of a kind this test does not know: {check.type}")


def test_every_cell_the_template_writes_passes_its_own_checks(book):
    checked = 0
    for sheet in book:
        for check in sheet.data_validations.dataValidation:
            for area in str(check.sqref).split():
                c0, r0, c1, r1 = range_boundaries(area)
                for row in sheet.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1):
                    for cell in row:
                        if cell.value is not None:
                            checked += 1
                            assert _passes(book, check, cell.value), f"{sheet.title}!{cell.coordinate} = {cell.value!r} fails {check.type}"
    # Thôn: two counts; Báo cáo thôn: date, name, three counts; Đơn vị: one count; Báo cáo đơn vị: date, name, count;
    # Giai đoạn: two dates of three phases; Cấu hình: three targets, the weekday and the working days; Phản ánh: three dates
    assert checked == 2 + 5 + 1 + 3 + 3 * 2 + 5 + 3


def test_dates_and_targets_are_real_values_and_date_columns_show_dd_mm_yyyy(book):
    for tab in schema.TABS:
        sheet = book[tab.name]
        for i, col in enumerate(tab.columns, start=1):
            if col.kind == schema.Kind.DATE:
                formats = {sheet.cell(row=r, column=i).number_format for r in range(2, MAX_ROWS + 1)}
                assert formats == {DATE_FORMAT}, (tab.name, col.header)
    assert book["Báo cáo thôn"]["A2"].value == dt.datetime(2026, 4, 23)
    assert [book["Giai đoạn"].cell(row=r, column=2).value for r in (2, 3, 4)] == [
        dt.datetime(2026, 4, 15),
        dt.datetime(2026, 4, 20),
        dt.datetime(2026, 5, 1),
    ]
    settings = {row[0].value: row[1].value for row in book["Cấu hình"].iter_rows(min_row=2)}
    assert settings["Chỉ tiêu hộ dân (%)"] == 70 and settings["Chỉ tiêu cán bộ (%)"] == 100
    assert settings["Ngày báo cáo trong tuần"] == "Thứ Năm"


def test_headers_are_locked_and_data_rows_open_without_a_password(book):
    assert all(c.protection.locked for row in book[GUIDE_TAB].iter_rows() for c in row)
    for tab in schema.TABS:
        sheet = book[tab.name]
        assert sheet.protection.sheet is True and not sheet.protection.password, tab.name
        width = len(tab.columns)
        assert all(c.protection.locked for c in sheet[1][:width]), tab.name
        data = [sheet.cell(row=r, column=c).protection.locked for r in range(2, MAX_ROWS + 1) for c in range(1, width + 1)]
        assert not any(data), tab.name
    assert book[GUIDE_TAB].protection.sheet is True


def test_the_guide_begins_with_setting_the_locale_to_viet_nam(book):
    assert book.sheetnames[0] == GUIDE_TAB
    guide = book[GUIDE_TAB]
    steps = [c.value for c in guide["A"] if c.value and re.match(r"\d+\. ", c.value)]
    assert steps[0].startswith("1. Trước khi nhập, đặt ngôn ngữ của Sheet là Việt Nam")
    assert "Tệp → Cài đặt → Ngôn ngữ và khu vực → Việt Nam" in steps[0]
    assert [int(s.split(".")[0]) for s in steps] == list(range(1, len(STEPS) + 1))


def test_the_guide_states_the_correction_rule_and_nothing_against_it(book):
    text = " ".join(c.value for c in book[GUIDE_TAB]["A"] if c.value)
    assert "Khi một thôn có nhiều dòng cho cùng một tuần báo cáo, dòng nằm dưới cùng trong sổ được dùng" in text
    assert "thêm một dòng mới với số đúng" in text
    assert "không sửa số của các tuần trước" not in text.lower() and "không xoá dòng" not in text.lower()


def test_the_guide_wraps_in_a_column_a_phone_shows_whole(book):
    guide = book[GUIDE_TAB]
    assert guide.column_dimensions["A"].width == GUIDE_WIDTH <= 50
    lines = [c for c in guide["A"] if c.value]
    assert all(c.alignment.wrap_text for c in lines)
    assert max(len(step) for step in STEPS) <= 260  # short steps: a few lines each on a phone
    for cell in lines:  # each row is tall enough for its wrapped lines (Excel would not grow it)
        needed = -(-len(cell.value) // (GUIDE_WIDTH - 6))
        assert guide.row_dimensions[cell.row].height >= 16 * needed, cell.value


def test_the_village_dropdown_offers_the_example_village_from_the_start(book):
    reports = book["Báo cáo thôn"]
    assert reports.freeze_panes == "A2"
    checks = {dv.type: dv for dv in reports.data_validations.dataValidation}
    assert checks["list"].formula1 == f"='Thôn'!$A$2:$A${MAX_ROWS}"
    assert checks["whole"].operator == "greaterThanOrEqual" and checks["whole"].formula1 == "0"
    assert (checks["date"].formula1, checks["date"].formula2) == ("DATE(2026,1,1)", "DATE(2030,12,31)")
    assert [c.value for c in book["Thôn"]["A"][1:] if c.value] == ["Thôn Trung Hòa"]
