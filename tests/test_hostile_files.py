"""No file can take the server down: hostile workbooks are refused in Vietnamese, read in a child process.

Each workbook here is built by hand as a zip of a few XML parts, so the test states exactly what
the file holds. The ones that would exhaust memory are only ever read through `read_xlsx`, whose
child process has a memory and time limit; the test process itself never parses them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import subprocess
import sys
import threading
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES
from lib.sources import LIMITS, SourceError, read_xlsx
from lib.validation.run import validate
from lib.xlsx_reader import MB, Limits

ROOT = Path(__file__).resolve().parent.parent
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STATE_HIDDEN = ' state="hidden"'


def _write(book: zipfile.ZipFile, name: str, text: str | bytes) -> None:
    book.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)


def xlsx(sheets: dict[str, str], shared: list[str] | None = None, hidden: frozenset[str] = frozenset()) -> bytes:
    """A minimal .xlsx: each tab's XML inside <worksheet>, optional shared strings, optional hidden tabs."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        _write(
            book,
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        _write(
            book,
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        tabs = "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"{STATE_HIDDEN if name in hidden else ""}/>'
            for i, name in enumerate(sheets, start=1)
        )
        _write(book, "xl/workbook.xml", f'<workbook {NS} xmlns:r="{REL}"><sheets>{tabs}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)
        )
        if shared is not None:
            rels += f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            items = "".join(f"<si><t>{text}</t></si>" for text in shared)
            _write(book, "xl/sharedStrings.xml", f"<sst {NS}>{items}</sst>")
        _write(
            book,
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, body in enumerate(sheets.values(), start=1):
            _write(book, f"xl/worksheets/sheet{i}.xml", f"<worksheet {NS}>{body}</worksheet>")
    return buf.getvalue()


def cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def rows(table: list[list[object]]) -> str:
    """<sheetData> for a small table of strings and numbers (dates as Sheets serials)."""
    from lib.normalize import SHEETS_EPOCH, column_letter

    out = []
    for r, values in enumerate(table, start=1):
        cells = []
        for c, value in enumerate(values):
            if isinstance(value, dt.date):
                value = (value - SHEETS_EPOCH).days
            if value is not None:
                cells.append(cell(f"{column_letter(c)}{r}", value))
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f"<sheetData>{''.join(out)}</sheetData>"


def refusal(data: bytes, limits: Limits | None = None) -> str:
    extra = {} if limits is None else {"limits": limits}
    with pytest.raises(SourceError) as caught:
        read_xlsx(data, source="hostile.xlsx", kind="upload", **extra)
    return str(caught.value)


# --- dimensions ---------------------------------------------------------------------------


def test_one_cell_at_xfd1048576_is_refused_naming_the_cell_and_the_server_lives():
    # calamine would allocate 16.384 × 1.048.576 cells for this 1 KB file and abort the process.
    data = xlsx({"Thôn": '<sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'})
    message = refusal(data)
    assert message.startswith("Không đọc được 'hostile.xlsx': tab 'Thôn' có dữ liệu ở ô XFD1048576")
    assert "1.048.576 dòng × 16.384 cột" in message
    # An empty formatted cell far away holds nothing to read: calamine skips it, and so does the check.
    styled = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="900000"><c r="XFD900000" s="1"/></row></sheetData>'
    assert read_xlsx(xlsx({"Thôn": styled})).tabs == {"Thôn": [["x"]]}


def test_a_declared_dimension_beyond_the_limits_is_refused_before_parsing():
    data = xlsx({"Thôn": f'<dimension ref="A1:XFD1048576"/>{rows([["Tên thôn"]])}'})
    assert "tab 'Thôn' khai báo vùng dữ liệu tới ô XFD1048576" in refusal(data)


def test_a_parser_abort_in_the_reader_is_a_vietnamese_message_not_a_dead_server():
    # Cells without an address are placed one after the other: 16.384 of them on row 5.000 get past
    # the address scan, and calamine's dense allocation (~2,6 GB) aborts the child process.
    data = xlsx({"Thôn": '<sheetData><row r="5000">' + "<c><v>1</v></c>" * 16_384 + "</row></sheetData>"})
    message = refusal(data)
    assert "đọc tệp cần hơn 1.024 MB bộ nhớ (giới hạn của bộ đọc) hoặc tệp bị hỏng" in message
    assert read_xlsx(xlsx({"Thôn": rows([["Tên thôn"], ["Thôn 1"]])})).tabs == {"Thôn": [["Tên thôn"], ["Thôn 1"]]}


def test_a_merge_over_every_column_is_clipped_to_the_data_and_read_at_once():
    data = xlsx(
        {
            "Thôn": rows([["BÁO CÁO", None], ["Tên thôn", "Tổng số hộ"], ["Thôn 1", 10]])
            + '<mergeCells count="1"><mergeCell ref="A1:XFD30"/></mergeCells>'
        }
    )
    started = time.perf_counter()
    raw = read_xlsx(data)
    assert raw.tabs["Thôn"] == [["BÁO CÁO", "BÁO CÁO"], ["BÁO CÁO", "BÁO CÁO"], ["BÁO CÁO", "BÁO CÁO"]]
    assert time.perf_counter() - started < 5


def test_merged_ranges_that_pile_up_past_the_cell_limit_are_refused():
    body = rows([["x"] * 10] * 100) + '<mergeCells count="50">' + '<mergeCell ref="A1:J100"/>' * 50 + "</mergeCells>"
    message = refusal(xlsx({"Thôn": body}), Limits(cells=10_000))
    assert "tab 'Thôn' có quá nhiều vùng gộp ô chồng lên nhau" in message


def test_tabs_that_together_hold_too_many_cells_are_refused_naming_where_it_stopped():
    table = rows([["x"] * 10] * 10)
    message = refusal(xlsx({"Thôn": table, "Nháp 1": table, "Nháp 2": table}), Limits(total_cells=250))
    assert message == (
        "Không đọc được 'hostile.xlsx': các tab của tệp có tổng cộng hơn 250 ô (tính đến tab 'Nháp 2'). "
        "Hãy xoá các tab không dùng cho bảng theo dõi, hoặc các dòng, cột thừa, rồi lưu lại."
    )


# --- text and zip sizes -------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_hundred_mb_string() -> bytes:
    """A 300 MB shared string in a file of a few hundred KB, written in 1 MB pieces (never held whole)."""
    buf = io.BytesIO()
    small = zipfile.ZipFile(
        io.BytesIO(xlsx({"Thôn": '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'}, shared=["x"]))
    )
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as book:
        for info in small.infolist():
            if info.filename != "xl/sharedStrings.xml":
                book.writestr(info.filename, small.read(info.filename))
        with book.open("xl/sharedStrings.xml", "w") as part:
            part.write(f"<sst {NS}><si><t>".encode())
            piece = b"x" * MB
            for _ in range(300):
                part.write(piece)
            part.write(b"</t></si></sst>")
    return buf.getvalue()


def test_a_300_mb_string_is_refused_before_it_is_inflated(three_hundred_mb_string):
    assert len(three_hundred_mb_string) < MB
    message = refusal(three_hundred_mb_string)
    assert "thành phần 'xl/sharedStrings.xml' nén" in message and "bom nén" in message


def test_shared_strings_beyond_their_cap_are_refused_even_at_a_plain_ratio():
    texts = [os.urandom(3000).hex() for _ in range(400)]  # 2,3 MB of text that compresses about 2×
    message = refusal(xlsx({"Thôn": rows([["Tên thôn"]])}, shared=texts), Limits(shared_strings_bytes=MB))
    assert "phần chữ của tệp giải nén ra 2,3 MB, quá giới hạn 1 MB" in message


def test_a_cell_longer_than_excel_allows_is_refused_naming_the_cell():
    data = xlsx({"Thôn": rows([["Tên thôn", "Ghi chú"], ["Thôn 1", "y" * 40_000]])})
    assert "ô B2 của tab 'Thôn' chứa 40.000 ký tự, quá giới hạn 32.767 ký tự" in refusal(data)


def test_a_zip_member_inflating_past_the_total_is_refused():
    body = rows([["Tên thôn"]] + [[f"Thôn {i}"] for i in range(20_000)])  # 1,5 MB of XML
    message = refusal(xlsx({"Thôn": body}), Limits(unzipped_bytes=MB // 2))
    assert message == "Không đọc được 'hostile.xlsx': tệp giải nén ra 1,5 MB, quá giới hạn 0,5 MB."


def test_a_file_over_twenty_mb_is_refused_before_anything_reads_it(tmp_path):
    big = b"PK" + os.urandom(20 * MB)
    assert refusal(big) == "Tệp 'hostile.xlsx' nặng 20,1 MB, quá giới hạn 20 MB. Hãy xoá các tab, ảnh và dòng không cần rồi lưu lại."
    path = tmp_path / "lon.xlsx"
    path.write_bytes(big)
    with pytest.raises(SourceError, match="nặng 20,1 MB, quá giới hạn 20 MB"):
        read_xlsx(path)


def test_streamlit_refuses_uploads_over_the_same_twenty_mb():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == LIMITS.file_bytes // MB == 20


def test_bytes_that_are_not_a_zip_get_a_vietnamese_explanation():
    assert "không phải là tệp Excel .xlsx (có thể là tệp .xls cũ, tệp có mật khẩu" in refusal(b"\xd0\xcf\x11\xe0" + b"\0" * 1000)


# --- the child process --------------------------------------------------------------------


def test_a_reader_that_runs_past_its_time_is_stopped_with_a_message(sample_path):
    message = refusal(sample_path.read_bytes(), Limits(seconds=0.001))
    assert "đọc tệp quá 0,001 giây nên đã dừng" in message


def test_the_child_answer_may_hold_cell_values_only():
    from lib.sources import _answer

    good = ("ok", {"Thôn": [["Thôn 1", 3.0, dt.date(2026, 4, 23), dt.datetime(2026, 4, 23, 9), None, True]]}, ["Ẩn"])
    assert _answer(pickle.dumps(good)) == good
    assert _answer(pickle.dumps(("ok", {"Thôn": [[os.system]]}, []))) is None
    assert _answer(b"not a pickle") is None


def test_the_child_sees_no_secret_from_the_environment():
    from lib.sources import child_env

    server = {
        "PATH": "/usr/bin",
        "LANG": "C.UTF-8",
        "SONGIANG_STORE": "postgresql://u:Pa55word@h/db",
        "GOOGLE_APPLICATION_CREDENTIALS": "/k.json",
    }
    assert child_env(server) == {"PATH": "/usr/bin", "LANG": "C.UTF-8", "RUST_BACKTRACE": "0"}


def test_hidden_tabs_are_reported_from_the_workbook(sample_path):
    data = xlsx({"Bao cao thon hang tuan": rows(REPORTS), "Báo cáo thôn": rows(REPORTS)}, hidden=frozenset({"Bao cao thon hang tuan"}))
    raw = read_xlsx(data)
    assert raw.hidden_tabs == frozenset({"Bao cao thon hang tuan"})
    assert list(raw.tabs) == ["Bao cao thon hang tuan", "Báo cáo thôn"]
    sample = read_xlsx(sample_path)
    assert sample.hidden_tabs == frozenset()
    assert {t: len(r) for t, r in sample.tabs.items()} == {
        "Thôn": 28,
        "Báo cáo thôn": 787,
        "Đơn vị": 19,
        "Báo cáo đơn vị": 596,
        "Cấu hình": 9,
        "Giai đoạn": 4,
        "Phản ánh": 303,
    }


def test_a_hidden_alias_tab_in_an_uploaded_file_does_not_replace_the_visible_figures():
    copy = [REPORTS[0]] + [[d, name, 1] for d, name, _ in REPORTS[1:]]
    data = xlsx(
        {
            "Thôn": rows(VILLAGES),
            "Bao cao thon hang tuan": rows(copy),
            "Báo cáo thôn": rows(REPORTS),
            "Đơn vị": rows(UNITS),
            "Báo cáo đơn vị": rows(UNIT_REPORTS),
        },
        hidden=frozenset({"Bao cao thon hang tuan"}),
    )
    ds = validate(read_xlsx(data), TODAY)
    assert ds.village_reports["installed"].tolist() == [30, 40, 75, 90]
    assert ds.issues[["sheet", "code"]].values.tolist() == [["Bao cao thon hang tuan", "ignored_tab"]]


# --- sources that are not files -----------------------------------------------------------


def _in_thread(fn, seconds: float = 10.0):
    """Run fn in a daemon thread; (finished, outcome). A reader stuck on a FIFO cannot hang the test run."""
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_catch(fn)), daemon=True)
    worker.start()
    worker.join(seconds)
    return (not worker.is_alive()), (outcome[0] if outcome else None)


def _catch(fn):
    try:
        return fn()
    except SourceError as exc:
        return exc


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "ong.xlsx"
    os.mkfifo(path)
    return path


def test_a_fifo_source_is_refused_at_once(fifo):
    from lib import live

    finished, outcome = _in_thread(lambda: live.fetch(live.resolve(str(fifo))))
    assert finished
    assert str(outcome) == f"'{fifo}' là một đường ống (FIFO), không phải tệp .xlsx. Hãy đưa đường dẫn tới một tệp .xlsx."


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.mkdir(), "là một thư mục"),
        (lambda p: p.symlink_to("/dev/null"), "là một thiết bị"),
    ],
    ids=["directory", "device"],
)
def test_a_directory_or_a_device_is_refused_at_once(tmp_path, make, what):
    path = tmp_path / "nguon.xlsx"
    make(path)
    finished, outcome = _in_thread(lambda: read_xlsx(path))
    assert finished and isinstance(outcome, SourceError)
    assert str(outcome) == f"'{path}' {what}, không phải tệp .xlsx. Hãy đưa đường dẫn tới một tệp .xlsx."


@pytest.mark.parametrize("name", ["ong.xlsx", "ong"])
def test_check_on_a_fifo_exits_2_with_one_vietnamese_line(tmp_path, name):
    path = tmp_path / name
    os.mkfifo(path)
    done = subprocess.run(
        [sys.executable, "-m", "lib", "check", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 2
    assert done.stderr == f"Lỗi: '{path}' là một đường ống (FIFO), không phải tệp .xlsx. Hãy đưa đường dẫn tới một tệp .xlsx.\n"


def test_a_hostile_file_in_place_of_the_source_keeps_the_last_good_figures_on_screen(tmp_path, sample_path):
    from lib import live, pipeline

    path = tmp_path / "so_lieu.xlsx"
    path.write_bytes(sample_path.read_bytes())
    config = live.resolve(str(path), store_url=f"sqlite:///{tmp_path / 'snap.sqlite'}")
    good = pipeline.load(config, TODAY)
    path.write_bytes(xlsx({"Thôn": '<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'}))
    shown = pipeline.load(config, TODAY)
    assert not shown.fresh
    assert str(shown.problem).startswith(f"Không đọc được '{path}': tab 'Thôn' có dữ liệu ở ô XFD1048576")
    assert shown.ds.village_reports.equals(good.ds.village_reports)
