"""Plain-text messages for the commune's Zalo group (no markdown: Zalo shows text as typed)."""

from __future__ import annotations

import datetime as dt

from lib.dashboard import Dashboard
from lib.field_report_section import zalo_line
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp


def missing_reports(board: Dashboard, week: dt.date | None) -> str:
    """A reminder listing the villages with no report for the week."""
    names = board.not_reported(week)
    day = fmt_date(week)
    if not names:
        return f"Tuần {day}: tất cả {board.summary.villages} thôn đã báo cáo kết quả cài đặt i-HaTinh. Cảm ơn các đồng chí trưởng thôn!"
    lines = [f"Đề nghị các thôn sau báo cáo kết quả cài đặt ứng dụng i-HaTinh tuần {day} (hạn: Thứ Năm hằng tuần):"]
    lines += [f"- {name}" for name in names]
    lines.append("Số liệu nhập vào Google Sheet chung của xã, tab 'Báo cáo thôn'. Xin cảm ơn!")
    return "\n".join(lines)


def weekly_summary(board: Dashboard, week: dt.date | None) -> str:
    """The Thursday message: commune rate, the three lowest villages with households needed, who has not reported."""
    campaign = board.ds.campaign
    row = board.commune_at(week)
    table = board.villages_at(week)
    if row is None:
        return f"Xã {campaign.commune}: chưa có số liệu tuần {fmt_date(week)}."
    lines = [
        f"KẾT QUẢ CÀI ĐẶT i-HaTinh XÃ {campaign.commune.upper()} — TUẦN {fmt_date(week)}",
        f"- Toàn xã: {fmt_int(row['installed'])}/{fmt_int(row['smartphone_households'])} hộ có ĐTTM đã cài = {fmt_pct(row['rate'])} "
        f"(chỉ tiêu {fmt_pct(campaign.household_target, 0)}; {fmt_pp(row['change_pp'])} so với tuần trước).",
        f"- Thôn đạt chỉ tiêu: {int(row['meeting_target'])}/{int(row['villages'])}.",
    ]
    officials = (
        board.official_weeks[board.official_weeks["week"] <= week]
        if week is not None and not board.official_weeks.empty
        else board.official_weeks.iloc[0:0]
    )
    if len(officials):
        last = officials.iloc[-1]
        lines.append(f"- Cán bộ: {fmt_int(last['installed'])}/{fmt_int(last['staff'])} = {fmt_pct(last['rate'])}.")
    lowest = table.sort_values(["rate", "name"], na_position="last").head(3)
    lowest = lowest[lowest["needed"] > 0]
    if len(lowest):
        lines.append(
            "- Thấp nhất: "
            + "; ".join(
                f"{n} {fmt_pct(r)} (cần thêm {fmt_int(k)} hộ)"
                for n, r, k in zip(lowest["name"], lowest["rate"], lowest["needed"], strict=True)
            )
            + "."
        )
    missing = board.not_reported(week)
    lines.append("- Chưa báo cáo: " + (", ".join(missing) + "." if missing else "không có."))
    lines += filter(None, [zalo_line(board, week)])  # field reports, with a `Phản ánh` tab
    return "\n".join(lines)
