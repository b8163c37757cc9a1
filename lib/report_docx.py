"""The weekly report as .docx in the administrative format of Nghị định 30/2020/NĐ-CP.

A4 portrait, Times New Roman 13, margins 20/20/30/15 mm, the header block (issuing body left,
national motto right), the italic place-and-date line, the title, the body with the results
table and its total row, then "Nơi nhận:" and the signature block; page numbers from page 2,
top centre; the week's cells to fix in an attached table ("bảng kèm theo") on a page of its own.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from lib.fmt import fmt_date
from lib.report import FIXES_HEADER, TABLE_HEADER, WeeklyReport

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
WIDTHS_CM = (1.2, 3.8, 1.5, 1.8, 1.8, 1.5, 1.9, 2.5)  # 16,0 cm: the A4 width less 30 + 15 mm margins
FIXES_WIDTHS_CM = (1.2, 3.5, 4.0, 7.3)


def _font(run, size: float = BODY_PT, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container,
    text: str = "",
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    after: float = 6,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(after), 1.1
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _font(paragraph.add_run(text), size, bold, italic, underline)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _set_widths(table, widths_cm: tuple[float, ...]) -> None:
    """Column widths in the table grid too: LibreOffice and Word's fixed layout read the grid, not the cells."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _cell_text(
    cell,
    text: str,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = BODY_PT,
    align=WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    paragraph = (
        cell.paragraphs[0]
        if not cell.paragraphs[0].text and len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs
        else cell.add_paragraph()
    )
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(text), size, bold, italic, underline)


def report_docx(report: WeeklyReport) -> bytes:
    """The report as .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _page_numbers(section)

    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    _set_widths(header, (6.0, 10.0))
    left, right = header.rows[0].cells
    _cell_text(left, "ỦY BAN NHÂN DÂN", bold=True, size=13)
    _cell_text(left, f"XÃ {report.commune.upper()}", bold=True, underline=True, size=13)
    _cell_text(left, "Số:      /BC-UBND", size=13)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _cell_text(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13)
    _cell_text(right, "")
    _cell_text(right, report.place_date, italic=True, size=13)

    _para(document, "", after=6)
    _para(document, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(document, report.subtitle, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(document, "_______________", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)

    for i, (heading, paragraphs) in enumerate(report.sections):
        if heading:
            _para(document, heading, bold=True, indent=True, after=3)
        for text in paragraphs:
            _para(document, text, indent=True)
        if i == report.table_at:
            _results_table(document, report)

    footer = document.add_table(rows=1, cols=2)
    _no_borders(footer)
    _set_widths(footer, (8.0, 8.0))
    keep = OxmlElement("w:cantSplit")  # the signature block never breaks across pages
    footer.rows[0]._tr.get_or_add_trPr().append(keep)
    left, right = footer.rows[0].cells
    _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in report.recipients:
        _cell_text(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", report.signer_title.upper()):
        _cell_text(right, line, bold=True, size=13)
    for _ in range(3):
        _cell_text(right, "")
    _cell_text(right, report.signer, bold=True, size=13)
    if report.fixes:
        _fixes_table(document, report)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_numbers(section) -> None:
    """Page numbers from page 2, top centre (Nghị định 30/2020): a PAGE field in the header, none on the first page."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    section.first_page_header.paragraphs[0].text = ""  # defined and empty, so no application falls back to the other header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("2")  # what shows until the field is updated; Word and LibreOffice update it on opening
    _font(run, BODY_PT)
    field.append(run._r)
    paragraph._p.append(field)


def _fixes_table(document, report: WeeklyReport) -> None:
    """The attached table the body refers to: the week's errors, village by village, with where and how to fix."""
    _para(document).add_run().add_break(WD_BREAK.PAGE)
    _para(document, "BẢNG KÈM THEO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        document,
        f"Các ô số liệu cần sửa tuần từ ngày {fmt_date(report.week_start)} đến ngày {fmt_date(report.week)}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    _para(
        document,
        f"(Kèm theo Báo cáo số      /BC-UBND ngày {fmt_date(report.week)} của UBND xã {report.commune})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
    )
    table = document.add_table(rows=1 + len(report.fixes), cols=len(FIXES_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, title in enumerate(FIXES_HEADER):
        _cell_text(table.rows[0].cells[c], title, bold=True, size=TABLE_PT)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, (who, where, message) in enumerate(report.fixes, start=1):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for c, text in enumerate((str(r), who, where, message)):
            _cell_text(table.rows[r].cells[c], text, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER if c == 0 else WD_ALIGN_PARAGRAPH.LEFT)
    _set_widths(table, FIXES_WIDTHS_CM)


def _results_table(document, report: WeeklyReport) -> None:
    rows = report.table_rows
    table = document.add_table(rows=1 + len(rows), cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, title in enumerate(TABLE_HEADER):
        _cell_text(table.rows[0].cells[c], title, bold=True, size=TABLE_PT)
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row if the table breaks across pages
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for r, cells in enumerate(rows, start=1):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a village's row stays on one page
        total = r == len(rows)
        for c, text in enumerate(cells):
            align = WD_ALIGN_PARAGRAPH.LEFT if c in (1, 7) else (WD_ALIGN_PARAGRAPH.CENTER if c == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
            _cell_text(table.rows[r].cells[c], text, bold=total, size=TABLE_PT if c != 7 else TABLE_PT - 1, align=align)
    _set_widths(table, WIDTHS_CM)
    _para(document, "", after=3)
