"""The Thursday report's field-report section and the Zalo message's line: the week's reports by unit, and what is overdue.

Content only (sentences and a table); `report` places the section, `report_docx` and `report_xlsx` lay it out.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import field_report_figures as figures
from lib.dashboard import Dashboard
from lib.fmt import fmt_date, fmt_int, fmt_pct

HEADING = "Tiếp nhận, xử lý phản ánh hiện trường"
UNIT_HEADER = ("STT", "Đơn vị xử lý", "Nhận trong tuần", "Xử lý xong trong tuần", "Trong đó đúng hạn", "Đang quá hạn")


def unit_table(board: Dashboard, week: dt.date) -> pd.DataFrame | None:
    """Per unit, the report week's received, resolved, resolved on time and overdue at its end; None without the tab."""
    return figures.week_by_unit(board.ds, week) if figures.has_tab(board.ds) else None


def paragraphs(board: Dashboard, week: dt.date, table: pd.DataFrame) -> tuple[str, ...]:
    """The section's sentences: the week, the year to date against the target, each unit, and who must act on overdue reports."""
    ds = board.ds
    as_of = min(week, ds.today)
    total = figures.figures_of(figures.chosen(ds), ds, as_of)
    received, resolved, on_time = (int(table[c].sum()) for c in ("received", "resolved", "resolved_on_time"))
    overdue = int(table["overdue_open"].sum())
    lines = [
        f"Trong tuần, xã tiếp nhận {fmt_int(received)} phản ánh của người dân qua ứng dụng i-HaTinh; xử lý xong {fmt_int(resolved)} "
        f"phản ánh, trong đó {fmt_int(on_time)} phản ánh đúng hạn. Đến ngày {fmt_date(as_of)} còn {fmt_int(overdue)} phản ánh quá hạn chưa xử lý xong.",
        f"Lũy kế đến ngày {fmt_date(as_of)}: tiếp nhận {fmt_int(total['received'])} phản ánh, xử lý xong {fmt_int(total['resolved'])}, "
        f"đúng hạn {fmt_int(total['resolved_on_time'])}/{fmt_int(total['resolved'])} = {fmt_pct(total['on_time_rate'])} "
        f"(chỉ tiêu {fmt_pct(ds.campaign.on_time_target, 0)}; không tính phản ánh bị từ chối, trả lại, không thuộc thẩm quyền).",
    ]
    if len(table):
        lines.append(
            "Theo đơn vị xử lý: "
            + "; ".join(
                f"{unit} nhận {fmt_int(n)}, xử lý xong {fmt_int(done)} (đúng hạn {fmt_int(in_time)})"
                + (f", quá hạn {fmt_int(late)}" if late else "")
                for unit, n, done, in_time, late in zip(
                    table["unit"], table["received"], table["resolved"], table["resolved_on_time"], table["overdue_open"], strict=True
                )
            )
            + "."
        )
    late = table[table["overdue_open"] > 0]
    if len(late):
        named = ", ".join(f"{u} ({fmt_int(n)})" for u, n in zip(late["unit"], late["overdue_open"], strict=True))
        lines.append(f"Đề nghị các đơn vị có phản ánh quá hạn khẩn trương xử lý, trả lời người dân: {named}.")
    return tuple(lines)


def zalo_line(board: Dashboard, week: dt.date | None) -> str | None:
    """The Zalo message's one line on field reports, or None without the tab."""
    if week is None or not figures.has_tab(board.ds):
        return None
    table = figures.week_by_unit(board.ds, week)
    received, resolved, on_time = (int(table[c].sum()) for c in ("received", "resolved", "resolved_on_time"))
    late = table[table["overdue_open"] > 0]
    worst = "; ".join(f"{u} {fmt_int(n)}" for u, n in zip(late["unit"].head(3), late["overdue_open"].head(3), strict=True))
    overdue = f"đang quá hạn {fmt_int(int(table['overdue_open'].sum()))}" + (f" ({worst})" if worst else "")
    return f"- Phản ánh tuần: nhận {fmt_int(received)}, xử lý xong {fmt_int(resolved)} (đúng hạn {fmt_int(on_time)}); {overdue}."
