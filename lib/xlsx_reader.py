"""Reading untrusted .xlsx bytes within limits: what the reader's child process runs.

`lib.sources.read_xlsx` starts `python -c "...main()"` with this module, writes the file's bytes to
its stdin and reads one pickled answer back. The module is kept light (no pandas, no dataclasses):
its import time is paid on every read. Every check here runs before calamine parses a cell, so a
refusal names the problem; the child's memory and time limits catch whatever the checks miss
(calamine aborts the whole process when an allocation fails, which Python cannot catch).
"""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import re
import sys
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:  # only for the checker: this module imports nothing of lib, to start fast
    from lib.workbook import Cell, Rows

MB = 1024 * 1024


class Limits(NamedTuple):
    """What one workbook may cost the reader; README's security table quotes these numbers."""

    file_bytes: int = 20 * MB  # the upload cap (Streamlit's server.maxUploadSize says the same)
    unzipped_bytes: int = 300 * MB  # every zip member together, as declared and as inflated
    shared_strings_bytes: int = 64 * MB  # xl/sharedStrings.xml: every distinct text of the workbook
    ratio: int = 100  # inflated / compressed, for members over 1 MB (real sheets: about 10)
    members: int = 2_000
    rows: int = 200_000  # per tab (a province: 1.500 villages × 33 weeks ≈ 50.000)
    columns: int = 1_000  # per tab
    cells: int = 2_000_000  # rows × columns of a tab's used area: calamine allocates all of it (a province: 350.000)
    total_cells: int = 4_000_000  # every tab together: what the server receives (a province: 460.000)
    text_chars: int = 32_767  # one cell's text: Excel's own limit
    memory_bytes: int = 1_024 * MB  # the child's address space (RLIMIT_AS); a province-size read peaks near 60 MB
    seconds: float = 30.0  # the child's wall-clock limit


class Refused(Exception):
    """The workbook breaks a limit; `str(error)` says which, in Vietnamese, without the file's name."""


def vn_int(number: int) -> str:
    """1234567 → '1.234.567' (the Vietnamese thousands mark)."""
    return f"{number:,}".replace(",", ".")


def vn_mb(size: int) -> str:
    """A size in MB as Vietnamese write it, rounded up ('20,1 MB', never '20 MB' for a size over 20 MB)."""
    if size % MB == 0:
        return f"{vn_int(size // MB)} MB"
    tenths = -(-size * 10 // MB)
    return f"{vn_int(tenths // 10)},{tenths % 10} MB"


def column_letter(index: int) -> str:
    """0-based column index to A1 letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A1 letters to a 0-based column index (A → 0, XFD → 16383)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


# --- the zip container --------------------------------------------------------------------


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The workbook's zip, refused if its members would inflate beyond the limits (zip bombs)."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise Refused(
            "tệp không phải là tệp Excel .xlsx (có thể là tệp .xls cũ, tệp có mật khẩu, hoặc tệp bị hỏng). "
            "Hãy mở tệp bằng Excel hoặc Google Sheets và lưu lại dưới dạng .xlsx."
        ) from None
    if len(members) > limits.members:
        raise Refused(f"tệp chứa {vn_int(len(members))} thành phần, nhiều hơn mức một sổ số liệu cần ({vn_int(limits.members)}).")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MB and member.file_size > limits.ratio * max(member.compress_size, 1):
            raise Refused(
                f"thành phần '{member.filename[:80]}' nén {vn_int(member.file_size // max(member.compress_size, 1))} lần "
                f"(giới hạn {limits.ratio} lần): đây không giống một sổ số liệu thật (có thể là 'bom nén')."
            )
        if member.filename.lower().endswith("sharedstrings.xml") and member.file_size > limits.shared_strings_bytes:
            raise Refused(
                f"phần chữ của tệp giải nén ra {vn_mb(member.file_size)}, quá giới hạn {vn_mb(limits.shared_strings_bytes)}. "
                "Có thể có ô chứa đoạn chữ rất dài: hãy xoá ô đó rồi lưu lại."
            )
    if total > limits.unzipped_bytes:
        raise Refused(f"tệp giải nén ra {vn_mb(total)}, quá giới hạn {vn_mb(limits.unzipped_bytes)}.")
    return book


# --- where each tab's cells are -----------------------------------------------------------

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


def _attrs(text: bytes) -> dict[str, str]:
    from html import unescape

    return {k.decode().split(":")[-1]: unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(text)}


def sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """Tab name → its worksheet member in the zip (best effort: an odd file falls back to member names)."""
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        workbook, rels = b"", b""
    targets = {}
    for m in _REL.finditer(rels):
        a = _attrs(m.group(1))
        target = a.get("Target", "").lstrip("/")
        targets[a.get("Id", "")] = target if target.startswith("xl/") else "xl/" + target
    found = {}
    for m in _SHEET.finditer(workbook):
        a = _attrs(m.group(1))
        member = targets.get(a.get("id", ""))
        if member:
            found[member] = a.get("name", member)
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml") and "/_rels/" not in n]
    return {found.get(n, n): n for n in sheets}


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')
# A cell past column Z or row 99.999, written the usual way (r first). Real sheets have none, so
# this pass costs a scan in C; only when it finds one does the exact pass (_extent) run.
# No "<" or namespace prefix in the pattern: a literal start lets `re` skip ahead in C (10× faster).
_FAR_CELL = re.compile(rb'c r="(?:[A-Z]{2,3}[0-9]{1,7}|[A-Z][0-9]{6,7})"')
_CELL = re.compile(rb'c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_CHUNK = 1 << 20
_OVERLAP = 256
_LONGEST_ROW = 8 * _CHUNK  # a "row" longer than this is looked at in pieces


def _chunks(book: zipfile.ZipFile, member: str, limits: Limits, overlap: int = _OVERLAP) -> Iterator[bytes]:
    """The member inflated 1 MB at a time, each chunk starting with the previous one's tail (a match may straddle)."""
    tail = b""
    inflated = 0
    with book.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            inflated += len(chunk)
            if inflated > limits.unzipped_bytes:
                raise Refused(f"tệp giải nén ra hơn {vn_mb(limits.unzipped_bytes)}.")
            yield tail + chunk
            tail = chunk[-overlap:] if overlap else b""


def _last_full_cell(row: bytes) -> tuple[int, int] | None:
    """(row, column) of the last cell of a row's XML that holds something (cells are in column order)."""
    end = len(row)
    while (i := row.rfind(b'c r="', 0, end)) >= 0:
        m = _CELL.match(row, i)
        if m and not m.group(3):
            return int(m.group(2)), column_index(m.group(1).decode())
        end = i
    return None


def _extent(book: zipfile.ZipFile, member: str, limits: Limits) -> tuple[int, int]:
    """Rows and columns from A1 to the farthest cell that holds something: what calamine will allocate.

    One look per row, at its last cell, instead of a regex over every cell: 10× faster at 200.000 rows.
    """
    rows = columns = 0
    carry = b""
    for chunk in _chunks(book, member, limits, overlap=0):
        pieces = (carry + chunk).split(b"row>")  # ends "</row>" and "</x:row>" alike
        carry = pieces.pop()
        if len(carry) > _LONGEST_ROW:
            pieces.append(carry)
            carry = b""
        for piece in pieces:
            if (found := _last_full_cell(piece)) is not None:
                rows, columns = max(rows, found[0]), max(columns, found[1] + 1)
    if (found := _last_full_cell(carry)) is not None:
        rows, columns = max(rows, found[0]), max(columns, found[1] + 1)
    return rows, columns


def check_extent(tab: str, rows: int, columns: int, limits: Limits, declared: bool) -> None:
    """Refuse a tab whose used area (rows × columns from A1) is beyond the limits."""
    if rows <= limits.rows and columns <= limits.columns and rows * columns <= limits.cells:
        return
    corner = f"{column_letter(columns - 1)}{rows}"
    what = f"khai báo vùng dữ liệu tới ô {corner}" if declared else f"có dữ liệu ở ô {corner}"
    raise Refused(
        f"tab '{tab}' {what} ({vn_int(rows)} dòng × {vn_int(columns)} cột), vượt giới hạn một tab "
        f"({vn_int(limits.rows)} dòng, {vn_int(limits.columns)} cột, {vn_int(limits.cells)} ô). "
        "Hãy xoá các ô, dòng và cột thừa ở cuối tab (kể cả ô có dấu cách) rồi lưu lại."
    )


def scan_sheet(book: zipfile.ZipFile, tab: str, member: str, limits: Limits) -> None:
    """Check a tab's declared dimension and its farthest non-empty cell before calamine allocates the area."""
    far = False
    first = True
    for chunk in _chunks(book, member, limits):
        if first:
            first = False
            if m := _DIMENSION.search(chunk):
                last_col, last_row = m.group(3) or m.group(1), m.group(4) or m.group(2)
                if last_col and last_row:
                    check_extent(tab, int(last_row), column_index(last_col.decode()) + 1, limits, declared=True)
        if _FAR_CELL.search(chunk):
            far = True
            break
    if not far:
        return  # every cell within Z99999: at most 2.599.974 cells
    check_extent(tab, *_extent(book, member, limits), limits, declared=False)


# --- cells --------------------------------------------------------------------------------


def read_tabs(data: bytes, limits: Limits) -> tuple[dict[str, Rows], list[str]]:
    """Every tab as rows of cell values (merged ranges filled), and the names of the hidden tabs."""
    if len(data) > limits.file_bytes:
        raise Refused(f"tệp nặng {vn_mb(len(data))}, quá giới hạn {vn_mb(limits.file_bytes)}.")
    book = open_zip(data, limits)
    for tab, member in sheet_members(book).items():
        scan_sheet(book, tab, member, limits)
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise Refused(
            f"tệp không đọc được như một tệp Excel (.xlsx) ({type(exc).__name__}). "
            "Hãy mở tệp bằng Excel hoặc Google Sheets và lưu lại dưới dạng .xlsx."
        ) from None
    visible = python_calamine.SheetVisibleEnum.Visible
    hidden = [m.name for m in metadata if m.visible != visible]
    tabs: dict[str, Rows] = {}
    # One object per distinct text and date: a village's name and a week's date repeat in every
    # weekly row, and the answer pickles each distinct object once (measured: 4× faster to load).
    seen: dict[Cell, Cell] = {}
    total = 0
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = cast("Rows", sheet.to_python(skip_empty_area=False))  # ours to change in place: blanks become None
            merged = sheet.merged_cell_ranges or []
        except Exception as exc:
            raise Refused(f"không đọc được tab '{name}' ({type(exc).__name__}).") from None
        total += len(rows) * (len(rows[0]) if rows else 0)
        if total > limits.total_cells:
            raise Refused(
                f"các tab của tệp có tổng cộng hơn {vn_int(limits.total_cells)} ô (tính đến tab '{name}'). "
                "Hãy xoá các tab không dùng cho bảng theo dõi, hoặc các dòng, cột thừa, rồi lưu lại."
            )
        for r, row in enumerate(rows):  # in place: a second copy of a province-size sheet would cost ~20 MB more
            for i, v in enumerate(row):
                if type(v) is str:
                    if len(v) > limits.text_chars:
                        raise Refused(
                            f"ô {column_letter(i)}{r + 1} của tab '{name}' chứa {vn_int(len(v))} ký tự, "
                            f"quá giới hạn {vn_int(limits.text_chars)} ký tự của một ô. Hãy xoá hoặc rút ngắn ô đó."
                        )
                    row[i] = seen.setdefault(v, v) if v else None
                elif v is not None and (kind := type(v)) is not float and kind is not int and kind is not bool:
                    row[i] = seen.setdefault(v, v)  # a date never equals a text or a datetime
        fill_merged(rows, merged, name, limits)
        tabs[name] = rows
    return tabs, hidden


def fill_merged(rows: Rows, ranges: list[tuple[tuple[int, int], tuple[int, int]]], tab: str, limits: Limits) -> None:
    """Copy a merged range's value into every cell it covers (what the person sees), within the data area.

    A merge past the last row or column with data adds nothing to read, so it is clipped there:
    `A1:XFD30` over a sheet four columns wide fills four columns, not 16.384.
    """
    height = len(rows)
    width = len(rows[0]) if rows else 0
    budget = limits.cells
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= height or c0 >= width:
            continue
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        budget -= (r1 - r0 + 1) * (c1 - c0 + 1)
        if budget < 0:
            raise Refused(
                f"tab '{tab}' có quá nhiều vùng gộp ô chồng lên nhau (hơn {vn_int(limits.cells)} ô). Hãy bỏ gộp ô (Unmerge) rồi lưu lại."
            )
        value = rows[r0][c0]
        for r in range(r0, r1 + 1):
            rows[r][c0 : c1 + 1] = [value] * (c1 - c0 + 1)


# --- the child process --------------------------------------------------------------------


def _confine(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the parent's wall-clock limit still holds
        return
    cpu = int(limits.seconds) + 1
    for which, value in (
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_CORE, 0),  # an abort must not write a core file the size of the limit
        (resource.RLIMIT_FSIZE, 0),  # the child writes no file
    ):
        with contextlib.suppress(ValueError, OSError):  # e.g. a hard limit already lower
            resource.setrlimit(which, (value, value))


def main() -> None:
    """Child entry: limits as JSON in argv[1], the file on stdin, one pickled answer on stdout."""
    limits = Limits(**json.loads(sys.argv[1]))
    _confine(limits)
    data = sys.stdin.buffer.read(limits.file_bytes + 1)
    try:
        tabs, hidden = read_tabs(data, limits)
        answer: tuple[object, ...] = ("ok", tabs, hidden)
    except Refused as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("memory", "")
    except BaseException as exc:  # calamine's panics derive from BaseException
        answer = ("broken", type(exc).__name__)
    del data
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.flush()
