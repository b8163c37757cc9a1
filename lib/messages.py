"""Plain-text messages for the commune's Zalo group (no markdown: Zalo shows text as typed)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pandas as pd

from lib.dashboard import Dashboard
from lib.field_report_section import zalo_line
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp, missing
from lib.normalize import name_key
from lib.tables import need_text
from lib.vi_sort import by_name


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
    if no_rate := _without_rate(table):
        lines.append(f"- Chưa tính tỷ lệ: {no_rate}.")
    officials = (
        board.official_weeks[board.official_weeks["week"] <= week]
        if week is not None and not board.official_weeks.empty
        else board.official_weeks.iloc[0:0]
    )
    if len(officials):
        last = officials.iloc[-1]
        lines.append(f"- Cán bộ: {fmt_int(last['installed'])}/{fmt_int(last['staff'])} = {fmt_pct(last['rate'])}.")
    lowest = table.sort_values(["rate", "name"], key=by_name, na_position="last", kind="stable").head(3)
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


def _without_rate(table: pd.DataFrame) -> str:
    """'Thôn Khe Tre (thiếu số hộ có ĐTTM); Thôn 1 (không áp dụng)': the villages left out of the rate, and why."""
    if "smartphone_households" not in table:
        return ""
    smart = table["smartphone_households"]
    left_out = table[[missing(v) or v == 0 for v in smart]]
    left_out = left_out.sort_values("name", key=by_name, kind="stable")
    return "; ".join(f"{n} ({need_text(0, v)})" for n, v in zip(left_out["name"], left_out["smartphone_households"], strict=True))


VILLAGE_PAGE = "theo-thon"  # the village screen's url_path (views.SCREENS), opened with ?thon=<name>


def village_link(base_url: str, name: str) -> str:
    """The village's own page on the dashboard, or "" without a configured public address."""
    return f"{base_url.rstrip('/')}/{VILLAGE_PAGE}?thon={quote(name, safe='')}" if base_url else ""


def villages_with_issues(issues: pd.DataFrame, roster: list[str]) -> list[str]:
    """The roster's villages that have something to fix, those with errors first, each once (a name not on the roster is the office's)."""
    keys = {name_key(n): n for n in roster}
    named = issues[[name_key(s) in keys if s else False for s in issues["subject"].fillna("")]]
    ordered = [*named.loc[named["severity"] == "error", "subject"], *named["subject"]]
    return list(dict.fromkeys(keys[name_key(s)] for s in ordered))


def village_fixes(issues: pd.DataFrame, name: str, base_url: str = "") -> str:
    """A reminder for one village head: every cell of theirs to fix (where in words, what to type), then their page's link.

    `issues` is the dashboard's issue table; the message of each issue already opens with its place
    ("Tab Báo cáo thôn, dòng 77, cột Số hộ đã cài đặt (ô C77)") and ends with what to type.
    """
    own = issues[[name_key(s) == name_key(name) if s else False for s in issues["subject"].fillna("")]]
    errors, warnings = own[own["severity"] == "error"], own[own["severity"] != "error"]
    link = village_link(base_url, name)
    if not len(own):
        lines = [f"{name}: số liệu i-HaTinh trên Google Sheet chung của xã không có ô nào cần sửa. Cảm ơn đồng chí!"]
    else:
        lines = [f"{name}: số liệu i-HaTinh trên Google Sheet chung của xã có chỗ cần sửa."]
        if len(errors):
            lines.append(f"Cần sửa ({len(errors)} ô, số ở các ô này đang chưa được tính):")
            lines += [_fix_line(i, m, v) for i, (m, v) in enumerate(zip(errors["message"], errors["value"], strict=True), start=1)]
        if len(warnings):
            lines.append(f"Nên xem lại ({len(warnings)}, số liệu vẫn được tính):")
            lines += [_fix_line(i, m, v) for i, (m, v) in enumerate(zip(warnings["message"], warnings["value"], strict=True), start=1)]
        lines.append("Sửa xong, số liệu được tính lại sau vài phút. Xin cảm ơn!")
    if link:
        lines.append(f"Xem số liệu của {name}: {link}")
    return "\n".join(lines)


def _fix_line(number: int, message: object, value: object) -> str:
    typed = "" if missing(value) or str(value) == "" else f" Trong ô đang ghi: “{value}”."
    return f"{number}. {message}{typed}"
