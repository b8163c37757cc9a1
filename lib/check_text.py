"""The readable form of `python -m lib check`: the same figures as `check --json`, in Vietnamese lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lib.fmt import fmt_date, fmt_int, fmt_pct


def readable(result: dict[str, Any], household_target: float, official_target: float) -> str:
    """The check result (`pipeline.check_result`) as the lines `check` prints without --json."""
    s = result["summary"]
    out = [
        f"Nguồn: {result['source']}",
        f"Số liệu đến tuần: {fmt_date(dt.date.fromisoformat(s['as_of'])) if s['as_of'] else 'chưa có báo cáo'}",
        f"Hộ đã cài đặt: {fmt_int(s['installed_households'])} / {fmt_int(s['smartphone_households'])} hộ có ĐTTM "
        f"= {fmt_pct(s['household_rate'])} (chỉ tiêu {fmt_pct(household_target, 0)})",
        f"Thôn đạt chỉ tiêu: {s['villages_meeting_target']}/{s['villages']}; thôn đã báo cáo tuần này: {s['villages_reported_latest']}/{s['villages']}",
    ]
    if missing := s.get("villages_without_denominator"):
        out.append(
            f"  Không tính {missing} thôn thiếu số hộ có ĐTTM (ô ở tab Thôn có lỗi) vào tỷ lệ hộ và số thôn đạt chỉ tiêu, "
            "ở cả tử số và mẫu số; hãy sửa ô đó để thôn được tính lại."
        )
    out += [
        f"Cán bộ đã cài đặt: {fmt_int(s['officials_installed'])} / {fmt_int(s['officials'])} = {fmt_pct(s['official_rate'])} "
        f"(chỉ tiêu {fmt_pct(official_target, 0)})",
        *field_report_lines(result.get("field_reports")),
        "",
        "Số dòng theo tab (đọc / nhận / loại):",
    ]
    out += [f"  {tab}: {n['read']} / {n['accepted']} / {n['rejected']}" for tab, n in result["rows"].items()]
    errors = [i for i in result["issues"] if i["severity"] == "error"]
    warnings = [i for i in result["issues"] if i["severity"] != "error"]
    out += ["", f"Lỗi: {len(errors)} · Cảnh báo: {len(warnings)}"]
    out += [issue_line(issue) for issue in errors + warnings]
    return "\n".join(out)


def issue_line(issue: dict[str, Any]) -> str:
    """One issue as `check` prints it: the message opens with its place in words, then the cell ("Tab Báo cáo thôn, dòng 77, … (ô C77)")."""
    tag = "LỖI" if issue["severity"] == "error" else "Cảnh báo"
    return f"  [{tag}] {issue['message']} ({issue['code']})"


def field_report_lines(found: dict[str, Any] | None) -> list[str]:
    """The `field_reports` block in Vietnamese: totals, then each unit (worst overdue first); nothing without the tab."""
    if found is None:
        return []
    out = [
        f"Phản ánh: đã nhận {fmt_int(found['received'])}, đã xử lý {fmt_int(found['resolved'])} "
        f"(đúng hạn {fmt_int(found['resolved_on_time'])} = {fmt_pct(found['on_time_rate'])}), "
        f"đang xử lý {fmt_int(found['open'])}, quá hạn {fmt_int(found['overdue_open'])}; "
        f"người dân hài lòng {fmt_pct(found['satisfied_rate'])}",
    ]
    units = sorted(found["units"], key=lambda u: -u["overdue_open"])
    for u in units:
        days = u["median_days"]
        median = "–" if days is None else f"{fmt_int(days) if float(days).is_integer() else str(days).replace('.', ',')} ngày"
        out.append(
            f"  {u['name']}: nhận {fmt_int(u['received'])}, xử lý {fmt_int(u['resolved'])}, đúng hạn {fmt_pct(u['on_time_rate'])}, "
            f"quá hạn {fmt_int(u['overdue_open'])}, thời gian xử lý (trung vị) {median}"
        )
    if found["villages"]:
        out.append("  Phản ánh theo thôn (số phản ánh; trên 100 hộ):")
    for v in found["villages"]:
        per_100 = v["per_100_households"]
        shown = "–" if per_100 is None else f"{per_100:.1f}".replace(".", ",")
        out.append(f"    {v['name']}: {fmt_int(v['received'])}; {shown}")
    return out
