"""The Thursday report: .docx layout and content, .xlsx tables, Zalo message, command line, PDF pages."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from skips import skips_fail

from conftest import D1, D2, REPORTS, TODAY, VILLAGES, book
from lib import dashboard, messages
from lib.config import TIMEZONE
from lib.fmt import fmt_signed
from lib.pipeline import load
from lib.report import build, latest_complete_week
from lib.report_docx import report_docx
from lib.report_xlsx import report_xlsx
from lib.safe_text import neutralize
from lib.validation.workbook import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample_board():
    return dashboard.build(load(str(ROOT / "data" / "sample_son_giang.xlsx"), TODAY))


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
        "6. Nhận xét, đề xuất",
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
        assert rate == f"{v['rate'] * 100:.1f}".replace(".", ",")
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
    assert "57,9 % tổng số hộ" in body and "tăng 22 hộ (+0,7 điểm phần trăm)" in body
    assert "Thôn Khe Tre (44,7 %, cần thêm 53 hộ)" in body
    assert "Thôn chưa báo cáo tuần này: Thôn Kim Cương" in body
    assert "Sổ số liệu có 5 lỗi" in body


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
    assert wb.sheetnames == ["Thôn", "Đơn vị", "Vấn đề số liệu"]
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
    assert wb["Vấn đề số liệu"].max_row - 4 == len(sample_report.issues)
    assert wb["Đơn vị"].max_row - 4 == len(sample_report.units)


def test_sheet_text_is_never_a_formula_in_the_exports():
    hostile = '=HYPERLINK("http://evil.example","bấm")'
    villages = VILLAGES + [[hostile, "", 100, 50], ["+cmd|' /C calc'!A0", "", 90, 40], ["@SUM(1+1)*cmd", "", 80, 30]]
    raw = book(Thon=villages, Bao_cao_thon=REPORTS + [[D2, hostile, 10], [D1, "-2+3", 5]])
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
        "- Thấp nhất: Thôn Khe Tre 44,7 % (cần thêm 53 hộ); Thôn Trung Hạ 55,1 % (cần thêm 18 hộ); Thôn Trung Hòa 57,1 % (cần thêm 10 hộ).",
        "- Chưa báo cáo: Thôn Kim Cương.",
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


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".txt"])
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


def test_the_report_command_refuses_a_week_without_figures(tmp_path, capsys):
    from lib.__main__ import main

    assert main(["report", str(ROOT / "data" / "sample_son_giang.xlsx"), "--week", "2026-11-27", "--out", str(tmp_path / "x.docx")]) == 2
    assert "không có số liệu tuần 2026-11-27" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_the_docx_renders_to_one_or_two_a4_pages(sample_report, tmp_path):
    assert len(sample_report.villages) == 24
    docx = tmp_path / "bao-cao.docx"
    docx.write_bytes(report_docx(sample_report))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180
    )
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf))
    assert 1 <= len(pages) <= 2
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4 in points
    # The page images are for a person to look at; only CI insists on them (tests/skips.py).
    assert shutil.which("pdftoppm") or not skips_fail(os.environ), "pdftoppm is not installed (apt-get install poppler-utils)"
    if shutil.which("pdftoppm"):
        out = ROOT / "artifacts" / "report"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bao-cao.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(out / "bao-cao.pdf"), str(out / "trang")], check=True, timeout=120)
