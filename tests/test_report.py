"""The Thursday report: .docx layout and content, .xlsx tables, Zalo message, command line, PDF pages."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from skips import skips_fail

from conftest import D1, D2, REPORTS, TODAY, VILLAGES, book
from lib import dashboard, messages, office
from lib.config import TIMEZONE
from lib.fmt import fmt_pct, fmt_signed
from lib.live import resolve
from lib.pipeline import load
from lib.report import FIXES_HEADER, build, latest_complete_week
from lib.report_docx import report_docx
from lib.report_xlsx import report_xlsx
from lib.safe_text import neutralize
from lib.validation.run import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample_board():
    return dashboard.build(load(resolve(str(ROOT / "data" / "sample_son_giang.xlsx")), TODAY).ds)


@pytest.fixture(scope="module")
def sample_report(sample_board):
    return build(sample_board, dt.date(2026, 11, 26))


def texts(document) -> list[str]:
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


def test_the_docx_has_the_administrative_header_title_and_signature(sample_report):
    document = Document(io.BytesIO(report_docx(sample_report)))
    header = document.tables[0].rows[0].cells
    assert [p.text for p in header[0].paragraphs] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN GIANG", "Số:      /BC-UBND"]
    motto = [p for p in header[1].paragraphs if p.text]
    assert [p.text for p in motto] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sơn Giang, ngày 26 tháng 11 năm 2026",
    ]
    assert motto[0].runs[0].bold and motto[1].runs[0].bold and motto[1].runs[0].underline and motto[2].runs[0].italic
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert any("tuần từ ngày 20/11/2026 đến ngày 26/11/2026" in t for t in body)
    assert [h for h in body if re.match(r"^\d\. ", h)] == [
        "1. Kết quả chung",
        "2. Cán bộ, công chức, viên chức, người lao động",
        "3. Kết quả cài đặt của hộ dân theo thôn",
        "4. Đánh giá",
        "5. Chất lượng số liệu",
        "6. Tiếp nhận, xử lý phản ánh hiện trường",  # the sample has a `Phản ánh` tab
        "7. Nhận xét, đề xuất",
    ]
    footer = document.tables[-1].rows[0].cells
    assert footer[0].paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in footer[1].paragraphs if p.text] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"]


def test_the_docx_page_is_a4_portrait_with_the_decree_margins_and_times_new_roman(sample_report):
    document = Document(io.BytesIO(report_docx(sample_report)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    assert round((section.page_width - section.left_margin - section.right_margin) / 36000) == 165  # EMU per mm
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size.pt for r in runs} <= {13.0, 14.0}


def test_the_docx_table_rows_and_total_equal_the_metrics(sample_board, sample_report):
    document = Document(io.BytesIO(report_docx(sample_report)))
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Thôn",
        "Số hộ",
        "Số hộ có ĐTTM",
        "Số hộ đã cài đặt",
        "Tỷ lệ (%)",
        "Tăng so với tuần trước",
        "Ghi chú",
    ]
    villages = sample_board.villages_at(dt.date(2026, 11, 26)).set_index("name")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(villages) + 1
    assert [r[0] for r in rows[:-1]] == [str(i) for i in range(1, len(villages) + 1)]
    for _, name, households, smart, installed, rate, change, _ in rows[:-1]:
        v = villages.loc[name]
        assert (households, smart, installed) == (str(v["households"]), str(v["smartphone_households"]), str(v["installed"]))
        assert change == fmt_signed(v["change"])
        assert rate == fmt_pct(v["rate"]).removesuffix(" %")  # rounded down, as every page writes it
    total = rows[-1]
    s = sample_board.summary
    assert total[1:6] == [
        "Tổng cộng",
        "4.545",
        f"{s.smartphone_households:,}".replace(",", "."),
        f"{s.installed_households:,}".replace(",", "."),
        "79,3",
    ]
    assert s.installed_households == 2631


def test_the_body_states_both_rates_the_change_and_the_villages_behind(sample_report):
    document = Document(io.BytesIO(report_docx(sample_report)))
    body = " ".join(p.text for p in document.paragraphs)
    assert "2.631 hộ đã cài đặt ứng dụng i-HaTinh, đạt 79,3 % số hộ có ĐTTM" in body
    assert "57,8 % tổng số hộ" in body and "tăng 22 hộ (+0,7 điểm phần trăm)" in body
    assert "Thôn Khe Tre (44,7 %, cần thêm 53 hộ)" in body
    assert "Thôn chưa báo cáo tuần này: Thôn Kim Cương" in body
    # The sample's four errors sit on rows of April to July: November's report is about November's rows.
    assert (
        "Các dòng báo cáo tuần 26/11/2026 và danh sách thôn, đơn vị không có lỗi; có 1 cảnh báo cần xem lại (bảng .xlsx kèm theo)." in body
    )
    assert "Đề nghị sửa số liệu" not in body and "bảng kèm theo" not in body


def test_the_preview_table_and_the_file_name_of_a_small_commune():
    report = build(dashboard.build(validate(book(), TODAY)), D2)
    assert report.table.columns.tolist() == [
        "STT",
        "Thôn",
        "Số hộ",
        "Số hộ có ĐTTM",
        "Số hộ đã cài đặt",
        "Tỷ lệ (%)",
        "Tăng so với tuần trước",
        "Ghi chú",
    ]
    assert report.table.values.tolist() == [
        ["1", "Thôn Trung Hòa", "200", "100", "75", "75,0", "+45", "Đạt"],
        ["2", "Thôn 1", "150", "120", "90", "75,0", "+50", "Đạt"],
        ["3", "Thôn Yên Thọ", "100", "80", "0", "0,0", "+0", "Chưa báo cáo"],
        ["", "Tổng cộng", "450", "300", "165", "55,0", "+95", ""],
    ]
    assert report.file_stem == "bao-cao-i-hatinh-sơn-giang-2026-04-23"


def test_staff_remarks_replace_the_generated_ones(sample_board):
    report = build(sample_board, dt.date(2026, 11, 26), remarks="Đề nghị khen thưởng Thôn 3.")
    document = Document(io.BytesIO(report_docx(report)))
    assert "Đề nghị khen thưởng Thôn 3." in [p.text for p in document.paragraphs]


def test_the_xlsx_has_the_same_tables_ready_to_print(sample_board, sample_report):
    wb = load_workbook(io.BytesIO(report_xlsx(sample_report)))
    assert wb.sheetnames == ["Thôn", "Đơn vị", "Phản ánh", "Vấn đề số liệu"]
    handled = [[c.value for c in row] for row in wb["Phản ánh"].iter_rows(min_row=5)]
    assert handled[0] == [1, "UBND xã", 6, 5, 4, 6]  # the week's received, resolved, on time; overdue at its end
    sheet = wb["Thôn"]
    assert [c.value for c in sheet[4]] == [
        "STT",
        "Thôn",
        "Số hộ",
        "Số hộ có ĐTTM",
        "Số hộ đã cài đặt",
        "Tỷ lệ (%)",
        "Tăng so với tuần trước",
        "Ghi chú",
    ]
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert data[-1][1:6] == ["Tổng cộng", 4545, sample_board.summary.smartphone_households, 2631, pytest.approx(2631 / 3317)]
    assert sum(r[4] for r in data[:-1]) == 2631
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == "$4:$4"
    issues = [[c.value for c in row] for row in wb["Vấn đề số liệu"].iter_rows(min_row=5)]
    assert [row[:4] for row in issues] == [["Cảnh báo", "Báo cáo thôn", "C456", "Thôn Quang Thủy"]]  # the week's only issue
    assert wb["Đơn vị"].max_row - 4 == len(sample_report.units)


def test_sheet_text_is_never_a_formula_in_the_exports():
    hostile = '=HYPERLINK("http://evil.example","bấm")'
    villages = VILLAGES + [[hostile, "", 100, 50], ["+cmd|' /C calc'!A0", "", 90, 40], ["@SUM(1+1)*cmd", "", 80, 30]]
    raw = book(Thon=villages, Bao_cao_thon=REPORTS + [[D2, hostile, 10], [D2, "-2+3", 5]])
    board = dashboard.build(validate(raw, TODAY))
    report = build(board, D2)
    wb = load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [c for sheet in wb for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c.value for c in wb["Thôn"]["B"]]
    assert "'" + hostile in names and "'+cmd|' /C calc'!A0" in names
    assert any(str(v).startswith("'-2+3") or "-2+3" in str(v) for v in (c.value for c in wb["Vấn đề số liệu"]["F"]))
    assert all(not str(c.value).startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize(("text", "safe"), [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("Thôn 1", "Thôn 1"), ("", "")])
def test_neutralize(text, safe):
    assert neutralize(text) == safe


def test_the_zalo_message_names_the_rate_the_three_lowest_and_the_silent(sample_board):
    text = messages.weekly_summary(sample_board, dt.date(2026, 11, 26))
    assert text.splitlines() == [
        "KẾT QUẢ CÀI ĐẶT i-HaTinh XÃ SƠN GIANG — TUẦN 26/11/2026",
        "- Toàn xã: 2.631/3.317 hộ có ĐTTM đã cài = 79,3 % (chỉ tiêu 70 %; +0,7 điểm % so với tuần trước).",
        "- Thôn đạt chỉ tiêu: 18/24.",
        "- Cán bộ: 334/334 = 100,0 %.",
        "- Thấp nhất: Thôn Khe Tre 44,7 % (cần thêm 53 hộ); Thôn Trung Hạ 55,0 % (cần thêm 18 hộ); Thôn Trung Hòa 57,1 % (cần thêm 10 hộ).",
        "- Chưa báo cáo: Thôn Kim Cương.",
        "- Phản ánh tuần: nhận 13, xử lý xong 8 (đúng hạn 7); đang quá hạn 10 (UBND xã 6; Công an xã 2; Trung tâm Dịch vụ tổng hợp 1).",
    ]


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (dt.datetime(2026, 11, 26, 20, 0), dt.date(2026, 11, 19)),
        (dt.datetime(2026, 11, 27, 0, 1), dt.date(2026, 11, 26)),
        (dt.datetime(2026, 11, 29, 9, 0), dt.date(2026, 11, 26)),
    ],
)
def test_the_default_week_is_the_latest_whose_deadline_has_passed(sample_board, now, week):
    assert latest_complete_week(sample_board.weeks, now.replace(tzinfo=TIMEZONE)) == week


NO_LIBREOFFICE = pytest.mark.skipif(
    office.unavailable() is not None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".txt", pytest.param(".pdf", marks=NO_LIBREOFFICE)])
def test_the_report_command_writes_each_format(tmp_path, suffix, capsys):
    from lib.__main__ import main

    out = tmp_path / f"bao-cao{suffix}"
    assert (
        main(
            [
                "report",
                str(ROOT / "data" / "sample_son_giang.xlsx"),
                "--week",
                "2026-11-26",
                "--out",
                str(out),
                "--today",
                TODAY.isoformat(),
            ]
        )
        == 0
    )
    assert out.stat().st_size > 0
    assert "26/11/2026" in capsys.readouterr().out
    if suffix == ".docx":
        assert "Tổng cộng" in texts(Document(str(out)))
    if suffix == ".pdf":
        assert out.read_bytes().startswith(b"%PDF-") and pdf_pages(out.read_bytes()) == 3


def test_the_report_command_refuses_a_week_without_figures(tmp_path, capsys):
    from lib.__main__ import main

    assert main(["report", str(ROOT / "data" / "sample_son_giang.xlsx"), "--week", "2026-11-27", "--out", str(tmp_path / "x.docx")]) == 2
    assert "không có số liệu tuần 2026-11-27" in capsys.readouterr().err


# --- the week's issues -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def mistakes_board():
    """April's error (D1), a roster error, and in the week of D2: a bad figure, two names not on the roster, an unreadable date."""
    villages = VILLAGES + [["Thôn Khe Tre", "", 100, 120]]  # more smartphone households than households
    reports = REPORTS + [
        [D1, "Thôn Yên Thọ", "abc"],
        [D2, "Thôn Mới", 12],
        [D2, "Thôn Khe Tree", 5],
        [D2, "Thôn Yên Thọ", "12,5"],
        ["4/30/2026", "Thôn 1", 95],  # typed below the rows of 23/04: it belongs to that week
    ]
    return dashboard.build(validate(book(Thon=villages, Bao_cao_thon=reports), TODAY))


def test_the_report_lists_the_issues_of_its_week_and_the_rosters_not_earlier_weeks(mistakes_board):
    april = build(mistakes_board, D1)
    assert dict(april.sections)["5. Chất lượng số liệu"] == (
        "Các dòng báo cáo tuần 16/04/2026 và danh sách thôn, đơn vị có 2 lỗi (các dòng có lỗi chưa được tính).",
        "Đề nghị sửa số liệu của: Thôn Yên Thọ (1 ô), Thôn Khe Tre (1 ô) (chi tiết ở bảng kèm theo).",
    )
    assert [(who, where) for who, where, _ in april.fixes] == [
        ("Thôn Yên Thọ", "Tab Báo cáo thôn, dòng 6, cột Số hộ đã cài đặt (ô C6)"),
        ("Thôn Khe Tre", "Tab Thôn, dòng 5, cột Số hộ có điện thoại thông minh (ô D5)"),
    ]
    week = build(mistakes_board, D2)
    assert [(r.cell, r.code) for r in week.issues.itertuples()] == [
        ("A10", "bad_date"),
        ("C9", "not_whole"),
        ("D5", "smartphone_exceeds_households"),  # Thôn Khe Tre stays on the roster (its figure left empty)
        ("B7", "unknown_village"),
        ("B8", "unknown_village"),
    ]
    assert "C6" not in set(week.issues["cell"])  # April's "abc" stays in April's report


def test_a_name_not_on_the_roster_goes_to_the_commune_office_never_asked_as_a_village(mistakes_board):
    quality = dict(build(mistakes_board, D2).sections)["5. Chất lượng số liệu"]
    assert quality == (
        "Các dòng báo cáo tuần 23/04/2026 và danh sách thôn, đơn vị có 5 lỗi (các dòng có lỗi chưa được tính).",
        "Đề nghị sửa số liệu của: Thôn 1 (1 ô), Thôn Yên Thọ (1 ô), Thôn Khe Tre (1 ô) (chi tiết ở bảng kèm theo).",
        "Có 2 dòng ghi tên không có trong danh sách thôn, đơn vị: “Thôn Mới” (dòng 7), “Thôn Khe Tree” (dòng 8). "
        "Đề nghị Phòng Văn hóa – Xã hội kiểm tra, sửa tên cho đúng hoặc bổ sung vào danh sách.",
    )


def test_the_docx_attaches_the_table_its_body_refers_to(mistakes_board, sample_report):
    report = build(mistakes_board, D2)
    document = Document(io.BytesIO(report_docx(report)))
    body = [p.text for p in document.paragraphs]
    assert "BẢNG KÈM THEO" in body
    assert "Các ô số liệu cần sửa tuần từ ngày 17/04/2026 đến ngày 23/04/2026" in body
    table = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == list(FIXES_HEADER)
    assert [r[:3] for r in rows[1:]] == [
        ["1", "Thôn 1", "Tab Báo cáo thôn, dòng 10, cột Ngày báo cáo (ô A10)"],
        ["2", "Thôn Yên Thọ", "Tab Báo cáo thôn, dòng 9, cột Số hộ đã cài đặt (ô C9)"],
        ["3", "Thôn Khe Tre", "Tab Thôn, dòng 5, cột Số hộ có điện thoại thông minh (ô D5)"],
        ["4", "Phòng Văn hóa – Xã hội (tên “Thôn Mới” không có trong danh sách)", "Tab Báo cáo thôn, dòng 7, cột Tên thôn (ô B7)"],
        ["5", "Phòng Văn hóa – Xã hội (tên “Thôn Khe Tree” không có trong danh sách)", "Tab Báo cáo thôn, dòng 8, cột Tên thôn (ô B8)"],
    ]
    assert rows[2][3].startswith("Số lượng phải là số nguyên")  # the place is in its own column, not repeated
    # A week without errors refers to no table and has none: the signature block is the last table.
    plain = Document(io.BytesIO(report_docx(sample_report)))
    assert "BẢNG KÈM THEO" not in [p.text for p in plain.paragraphs]
    assert plain.tables[-1].rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"


def test_the_xlsx_issues_tab_lists_the_weeks_issues_and_who_fixes_them(mistakes_board):
    wb = load_workbook(io.BytesIO(report_xlsx(build(mistakes_board, D2))))
    sheet = wb["Vấn đề số liệu"]
    assert [c.value for c in sheet[4]] == ["Mức", "Tab", "Ô", "Ai sửa", "Vấn đề và cách sửa", "Đã nhập"]
    assert [[c.value for c in row][1:4] for row in sheet.iter_rows(min_row=5)] == [
        ["Báo cáo thôn", "A10", "Thôn 1"],
        ["Báo cáo thôn", "C9", "Thôn Yên Thọ"],
        ["Thôn", "D5", "Thôn Khe Tre"],
        ["Báo cáo thôn", "B7", "Phòng Văn hóa – Xã hội (tên “Thôn Mới” không có trong danh sách)"],
        ["Báo cáo thôn", "B8", "Phòng Văn hóa – Xã hội (tên “Thôn Khe Tree” không có trong danh sách)"],
    ]


# --- page numbers and the PDF ------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_page_numbers_are_a_page_field_top_centre_from_page_two(sample_report):
    section = Document(io.BytesIO(report_docx(sample_report))).sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.find(f"{W}titlePg") is not None
    header = section.header
    assert not header.is_linked_to_previous
    fields = header._element.findall(f".//{W}fldSimple")
    assert [f.get(f"{W}instr") for f in fields] == ["PAGE"]
    assert header.paragraphs[0].alignment == 1  # centre
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert first._element.findall(f".//{W}fldSimple") == [] and "".join(p.text for p in first.paragraphs) == ""


@pytest.fixture(scope="module")
def sample_pdf(sample_report):
    if office.unavailable():
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    done = office.docx_to_pdf(report_docx(sample_report))
    assert done.data is not None, done.reason
    return done


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_docx_renders_to_three_a4_pages(sample_report, sample_pdf):
    assert len(sample_report.villages) == 24
    pdf = sample_pdf.data
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf))
    # Two pages of installs; the field-report section (the sample has a `Phản ánh` tab) moves the signature to a third.
    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) == 3
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4 in points
    # The page images are for a person to look at; only CI insists on them (tests/skips.py).
    assert shutil.which("pdftoppm") or not skips_fail(os.environ), "pdftoppm is not installed (apt-get install poppler-utils)"
    if shutil.which("pdftoppm"):
        out = ROOT / "artifacts" / "report"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bao-cao.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(out / "bao-cao.pdf"), str(out / "trang")], check=True, timeout=120)


def words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, x centre, top) of one page, in points, as poppler lays them out."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)
    return [(w, (float(x0) + float(x1)) / 2, float(y0)) for x0, y0, x1, w in found]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (apt-get install poppler-utils)")
def test_the_pdf_numbers_page_two_at_the_top_centre_and_not_page_one(sample_pdf, tmp_path):
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(sample_pdf.data)
    layout = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert [line.strip() for line in layout.stdout.splitlines() if line.strip()][0] == "2"
    word, x, top = words(pdf, 2)[0]
    text_centre = (30 + (210 - 15)) / 2 * 72 / 25.4  # mm → points: the middle between the 30 mm and 15 mm margins
    assert word == "2" and abs(x - text_centre) < 6 and top < 20 * 72 / 25.4  # above the 20 mm top margin
    first_word, _, _ = words(pdf, 1)[0]
    assert first_word == "ỦY"  # the issuing body, no number above it
    assert not [w for w, _, top in words(pdf, 1) if w.isdigit() and top < 20 * 72 / 25.4]


def test_the_pdf_is_made_in_seconds(sample_pdf):
    assert sample_pdf.reason == "" and 0 < sample_pdf.seconds < office.TIMEOUT


def test_without_libreoffice_the_pdf_says_why_in_vietnamese(monkeypatch, tmp_path, capsys):
    from lib.__main__ import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    assert office.unavailable() == office.NOT_INSTALLED
    assert office.docx_to_pdf(b"PK") == office.Converted(None, office.NOT_INSTALLED)
    out = tmp_path / "bao-cao.pdf"
    args = ["report", str(ROOT / "data" / "sample_son_giang.xlsx"), "--week", "2026-11-26", "--out", str(out), "--today", TODAY.isoformat()]
    assert main(args) == 2
    assert capsys.readouterr().err == f"Lỗi: {office.NOT_INSTALLED}\n"
    assert not out.exists()


def test_a_conversion_that_hangs_is_stopped_with_everything_it_started(monkeypatch, tmp_path):
    # A stand-in soffice that starts a child and waits: the timeout must end both, not only the launcher.
    child = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {child}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    done = office.docx_to_pdf(b"PK", timeout=1)
    assert done.data is None
    assert done.reason == "LibreOffice chưa chuyển xong sau 1 giây nên chưa tạo được tệp. Hãy thử lại sau ít phút."
    pid = int(child.read_text())
    until = time.monotonic() + 10
    while not ended(pid) and time.monotonic() < until:
        time.sleep(0.05)  # the kill is sent; the process table may take a moment to let it go
    assert ended(pid)


def ended(pid: int) -> bool:
    """Whether a process is gone (or a zombie waiting to be reaped)."""
    try:
        state = Path("/proc", str(pid), "stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


# --- a week entered again; villages without a denominator (#13 §1–§2) ---------------------------


@pytest.fixture(scope="module")
def corrected_board():
    """Thôn 1 entered 23/04 again (a correction); Thôn Khe Tre's smartphone households typed 77 %; Thôn Không has none."""
    villages = VILLAGES + [["Thôn Khe Tre", "", 100, "77%"], ["Thôn Không", "", 40, 0]]
    reports = REPORTS + [[D2, "Thôn Yên Thọ", 50], [D2, "Thôn Khe Tre", 30], [D2, "Thôn Không", 0], [D2, "Thôn 1", 95]]
    return dashboard.build(validate(book(Thon=villages, Bao_cao_thon=reports), TODAY))


def test_a_village_that_entered_its_week_again_is_reported_in_the_zalo_message_and_the_report(corrected_board):
    assert corrected_board.not_reported(D2) == []
    assert "Chưa báo cáo: không có." in messages.weekly_summary(corrected_board, D2)
    assert "Thôn 1" not in messages.missing_reports(corrected_board, D2)
    report = build(corrected_board, D2)
    body = [p for _, paragraphs in report.sections for p in paragraphs]
    assert "Tất cả các thôn đã báo cáo đúng tuần." in body
    line = next(v for v in report.villages if v.name == "Thôn 1")
    assert (line.installed, "Chưa báo cáo" in line.note) == (95, False)


def test_the_report_leaves_a_village_without_a_denominator_out_of_both_sides_and_says_so(corrected_board):
    report = build(corrected_board, D2)
    lines = {v.name: v for v in report.villages}
    assert (lines["Thôn Khe Tre"].smartphone_households, lines["Thôn Khe Tre"].rate) == (None, None)
    assert lines["Thôn Khe Tre"].note == "Thiếu số hộ có ĐTTM (chưa tính vào tỷ lệ)"
    assert lines["Thôn Không"].note == "Không áp dụng (0 hộ có ĐTTM)"
    assert (report.total.smartphone_households, report.total.installed) == (300, 75 + 95 + 50)  # Khe Tre's 30 left out
    assert report.total.note == "Không tính 1 thôn thiếu số hộ có ĐTTM"
    body = " ".join(p for _, paragraphs in report.sections for p in paragraphs)
    assert "Chưa tính Thôn Khe Tre vì số hộ có ĐTTM ở tab Thôn có lỗi" in body
    assert "Chưa đánh giá chỉ tiêu của Thôn Khe Tre, Thôn Không" in body
    assert "Có 1 thôn chưa đạt: Thôn Yên Thọ (62,5 %, cần thêm 6 hộ)." in body  # never in a "needs N households" list
    assert "nhất là Thôn Yên Thọ (cần thêm 6 hộ), phối hợp" in body and "cần thêm 0 hộ" not in body
    assert "so với tuần trước tăng 150 hộ" in body  # 70 → 220, Khe Tre's 30 left out here too
    cells = [cell for row in report.table_rows for cell in row]
    assert not any(c in ("nan", "<NA>", "NaN") or "nan %" in c for c in cells)
    text = "\n".join(p.text for p in Document(io.BytesIO(report_docx(report))).paragraphs)
    assert "nan" not in text.replace("nhanh", "") and "<NA>" not in text
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Thôn"]
    khe_tre = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Thôn Khe Tre")
    assert (khe_tre[3], khe_tre[5]) == (None, None)


def test_the_zalo_summary_names_the_villages_left_out_of_the_rate_and_why(corrected_board):
    # Its "Toàn xã: …/300" left Khe Tre out silently; a reader of the group could not tell the commune rate was partial.
    text = messages.weekly_summary(corrected_board, D2)
    assert "- Chưa tính tỷ lệ: Thôn Khe Tre (thiếu số hộ có ĐTTM); Thôn Không (không áp dụng)." in text
    assert not any(w in text for w in ("nan", "<NA>", "None", "inf"))
