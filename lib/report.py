"""The Thursday report: the figures of one week as the commune writes them (content, not layout).

`build` gathers every number and sentence once; `report_docx` and `report_xlsx` lay them out, and
the Zalo message comes from `messages.weekly_summary`, so the three never disagree.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib import field_report_section, metrics, schema
from lib.config import TIMEZONE
from lib.dashboard import Dashboard
from lib.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp, fmt_signed
from lib.history import deadline, history_issues
from lib.issue_text import where_and_what
from lib.normalize import name_key

CAMPAIGN = "tuyên truyền, hướng dẫn người dân cài đặt và sử dụng ứng dụng i-HaTinh (Hệ thống thông tin phản ánh hiện trường tỉnh Hà Tĩnh)"
RECIPIENTS = (
    "- TT Đảng ủy, HĐND xã (để b/c);",
    "- Chủ tịch, các PCT UBND xã;",
    "- MTTQ và các tổ chức đoàn thể xã;",
    "- Các thôn, Tổ công nghệ số cộng đồng;",
    "- Lưu: VT, VHXH.",
)
TABLE_HEADER = ("STT", "Thôn", "Số hộ", "Số hộ có ĐTTM", "Số hộ đã cài đặt", "Tỷ lệ (%)", "Tăng so với tuần trước", "Ghi chú")
FIXES_HEADER = ("STT", "Thôn, đơn vị", "Ô cần sửa", "Vấn đề và cách sửa")
OFFICE = "Phòng Văn hóa – Xã hội"
NO_DENOMINATOR = "Thiếu số hộ có ĐTTM (chưa tính vào tỷ lệ)"
NOT_APPLICABLE = "Không áp dụng (0 hộ có ĐTTM)"


@dataclass(frozen=True)
class VillageLine:
    """One row of the results table."""

    number: int
    name: str
    households: int | None  # None: the roster's cell had an error
    smartphone_households: int | None
    installed: int
    rate: float | None
    change: int
    note: str


@dataclass(frozen=True)
class WeeklyReport:
    """Everything the weekly report says, already in Vietnamese."""

    commune: str
    week: dt.date
    week_start: dt.date
    place_date: str
    subtitle: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs) before and after the table
    table_at: int  # index of the section the village table follows
    villages: tuple[VillageLine, ...]
    total: VillageLine
    units: pd.DataFrame
    issues: pd.DataFrame  # the week's issues (see `week_issues`), with "who" fixes each
    fixes: tuple[tuple[str, str, str], ...]  # the attached table: (who, where, problem and fix) of the week's errors
    signer: str
    signer_title: str
    recipients: tuple[str, ...] = RECIPIENTS
    field_units: pd.DataFrame | None = None  # the field-report section's table (lib.field_report_section), None without the tab

    @property
    def table_rows(self) -> list[tuple[str, ...]]:
        """The results table as text cells, total row last, numbers in Vietnamese format."""
        rows = [_cells(v) for v in self.villages]
        rows.append(_cells(self.total, number=""))
        return rows

    @property
    def table(self) -> pd.DataFrame:
        """The results table as the preview shows it: `TABLE_HEADER` over `table_rows`."""
        return pd.DataFrame(self.table_rows, columns=list(TABLE_HEADER))

    @property
    def file_stem(self) -> str:
        """The downloads' file name without its suffix: bao-cao-i-hatinh-<commune>-<yyyy-mm-dd>."""
        return f"bao-cao-i-hatinh-{self.commune.lower().replace(' ', '-')}-{self.week:%Y-%m-%d}"


def _cells(line: VillageLine, number: str | None = None) -> tuple[str, ...]:
    rate = fmt_pct(line.rate).replace(" %", "") if line.rate is not None else "–"
    return (
        str(line.number) if number is None else number,
        line.name,
        fmt_int(line.households),
        fmt_int(line.smartphone_households),
        fmt_int(line.installed),
        rate,
        fmt_signed(line.change),
        line.note,
    )


def _issue_weeks(board: Dashboard, issues: pd.DataFrame, tabs: dict[str, str]) -> list[dt.date | None]:
    """The report week of each issue's row; a row whose date could not be read takes the week of the nearest dated row above it.

    Village heads append rows at the bottom, so an unreadable date sits among the rows of the week it was typed in
    (the first rows of a tab, with nothing dated above, take the week of the nearest dated row below).
    """
    ds = board.ds
    known: dict[str, dict[int, dt.date]] = {title: {} for title in tabs.values()}
    for entity, frame in (("village_report", ds.village_reports), ("unit_report", ds.unit_reports)):
        known[tabs[entity]].update(zip(frame["row"].astype(int), frame["week"], strict=True))
    weeks = issues["week"] if "week" in issues else pd.Series([None] * len(issues), index=issues.index)
    for sheet, row, week in zip(issues["sheet"], issues["row"], weeks, strict=True):
        if sheet in known and not pd.isna(row) and isinstance(week, dt.date):
            known[sheet][int(row)] = week
    rows = {sheet: sorted(by_row) for sheet, by_row in known.items()}
    found: list[dt.date | None] = []
    for sheet, row, week in zip(issues["sheet"], issues["row"], weeks, strict=True):
        if isinstance(week, dt.date) or sheet not in known or pd.isna(row) or not rows[sheet]:
            found.append(week if isinstance(week, dt.date) else None)
            continue
        at = bisect.bisect_left(rows[sheet], int(row))
        found.append(known[sheet][rows[sheet][at - 1 if at else 0]])
    return found


def week_issues(board: Dashboard, week: dt.date) -> pd.DataFrame:
    """The issues a week's report lists: those on that week's report rows, and what is wrong now in the rosters and settings.

    An error typed in April stays in the workbook, but November's report is about November's rows. Each issue
    says who fixes it ("who"): the village or unit on the roster, or the commune office for a name that is not
    on the roster ("Thôn Mới") and for the workbook itself (a missing column, a setting).
    """
    ds = board.ds
    dated = (schema.VILLAGE_REPORTS, schema.UNIT_REPORTS, schema.FIELD_REPORTS)  # a field report's issue: the week it was sent
    tabs = {tab.entity: ds.tab_titles.get(tab.name, tab.name) for tab in dated}
    issues = ds.issues
    weeks = _issue_weeks(board, issues, tabs)
    on_report_rows = issues["sheet"].isin(tabs.values()) & issues["row"].notna()
    keep = pd.Series([not on_row or w == week for on_row, w in zip(on_report_rows, weeks, strict=True)], index=issues.index, dtype=bool)
    chosen = issues[keep]
    if board.history is not None and not board.history.changes.empty:
        # A past figure rewritten after its deadline belongs to the report of the week in which it was noticed.
        changes = board.history.changes
        noticed = changes["noticed_at"].map(lambda t: deadline(week - dt.timedelta(days=7)) < t <= deadline(week))
        history = dataclasses.replace(board.history, changes=changes[noticed.astype(bool)])
        extra = history_issues(history, ds)
        chosen = pd.concat([chosen, extra], ignore_index=True) if len(extra) else chosen
    roster_tabs = {ds.tab_titles.get(tab.name, tab.name) for tab in (schema.VILLAGES, schema.UNITS)}
    on_roster = {name_key(n) for n in pd.concat([ds.villages["name"], ds.units["name"]])}
    on_roster |= {name_key(n) for n in issues.loc[issues["sheet"].isin(roster_tabs), "subject"] if n}  # a roster row with an error
    order = {name_key(n): i for i, n in enumerate(pd.concat([ds.villages["name"], ds.units["name"]]))}

    def who(subject: object) -> str:
        if subject and name_key(subject) in on_roster:
            return str(subject)
        return f"{OFFICE} (tên “{subject}” không có trong danh sách)" if subject else OFFICE

    chosen = chosen.assign(
        who=[who(s) for s in chosen["subject"]],
        _order=[order.get(name_key(s), len(order)) if s else len(order) + 1 for s in chosen["subject"]],
    )
    chosen = chosen.sort_values(["_order", "sheet", "row"], kind="stable", na_position="last").drop(columns="_order")
    return chosen.reset_index(drop=True)


def _quality(issues: pd.DataFrame, week: dt.date) -> list[str]:
    """'Chất lượng số liệu': the week's errors and warnings, who is asked to fix what, and what the office checks."""
    errors = issues[issues["severity"] == "error"]
    warnings = int((issues["severity"] == "warning").sum())
    if not len(issues):
        return [f"Các dòng báo cáo tuần {fmt_date(week)} và danh sách thôn, đơn vị không có lỗi."]
    where = f"Các dòng báo cáo tuần {fmt_date(week)} và danh sách thôn, đơn vị"
    if not len(errors):
        lines = [f"{where} không có lỗi; có {warnings} cảnh báo cần xem lại (bảng .xlsx kèm theo)."]
    else:
        lines = [f"{where} có {len(errors)} lỗi (các dòng có lỗi chưa được tính)" + (f" và {warnings} cảnh báo." if warnings else ".")]
    asked = errors[~errors["who"].str.startswith(OFFICE)]["who"].value_counts(sort=False)
    if len(asked):
        lines.append("Đề nghị sửa số liệu của: " + ", ".join(f"{n} ({c} ô)" for n, c in asked.items()) + " (chi tiết ở bảng kèm theo).")
    strangers = errors[errors["who"].str.startswith(OFFICE) & (errors["subject"].fillna("") != "")]
    if len(strangers):
        names = ", ".join(f"“{s}” (dòng {int(r)})" for s, r in zip(strangers["subject"], strangers["row"], strict=True) if not pd.isna(r))
        lines.append(
            f"Có {len(strangers)} dòng ghi tên không có trong danh sách thôn, đơn vị: {names}. "
            f"Đề nghị {OFFICE} kiểm tra, sửa tên cho đúng hoặc bổ sung vào danh sách."
        )
    general = errors[errors["subject"].fillna("") == ""]
    if len(general):
        lines.append(f"Có {len(general)} lỗi chung của sổ số liệu (tab, cột, cấu hình): {OFFICE} sửa (chi tiết ở bảng kèm theo).")
    return lines


def latest_complete_week(weeks: list[dt.date], now: dt.datetime) -> dt.date | None:
    """The latest report week whose deadline has passed (this Thursday's only after 23:59)."""
    done = [w for w in weeks if deadline(w) <= now]
    return done[-1] if done else (weeks[-1] if weeks else None)


def _note(row: pd.Series, target: float) -> str:
    notes = []
    if not row["reported"]:
        notes.append("Chưa báo cáo (lấy số tuần trước)" if row["ever_reported"] else "Chưa báo cáo")
    smart = row["smartphone_households"]
    if pd.isna(smart):
        notes.append(NO_DENOMINATOR)
    elif smart == 0:
        notes.append(NOT_APPLICABLE)
    if row["rate"] == row["rate"] and row["rate"] > 1:
        notes.append("Vượt số hộ có ĐTTM")
    if not pd.isna(row["meets_target"]) and bool(row["meets_target"]):
        notes.append("Đạt")
    return "; ".join(notes)


def default_remarks(board: Dashboard, week: dt.date) -> str:
    """'Nhận xét, đề xuất' written from the figures: the pace and the villages that lag (staff may edit it)."""
    campaign = board.ds.campaign
    cw = board.commune_weeks[board.commune_weeks["week"] <= week]
    p = metrics.pace(cw, campaign.household_target, metrics.default_deadline(campaign.phases, week))
    table = board.villages_at(week)
    lagging = metrics.most_needed(table)
    parts = []
    if p.reached:
        parts.append(
            f"Toàn xã đã đạt chỉ tiêu {fmt_pct(campaign.household_target, 0)} số hộ có điện thoại thông minh cài đặt ứng dụng; "
            f"tốc độ 4 tuần gần đây khoảng {fmt_int(round(p.run_rate))} hộ/tuần."
        )
    elif p.eta:
        parts.append(
            f"Với tốc độ 4 tuần gần đây (khoảng {fmt_int(round(p.run_rate))} hộ/tuần), toàn xã dự kiến đạt chỉ tiêu vào khoảng {fmt_date(p.eta)}; "
            f"để đạt trước {fmt_date(p.deadline)} cần khoảng {fmt_int(p.per_week_to_ask)} hộ/tuần."
        )
    else:
        parts.append("Số hộ cài đặt không tăng trong các tuần gần đây; cần đẩy mạnh hướng dẫn tại các thôn.")
    if len(lagging):
        names = ", ".join(
            f"{n} (cần thêm {fmt_int(k)} hộ)" for n, k in zip(lagging["name"].head(3), lagging["needed"].head(3), strict=True)
        )
        parts.append(
            f"Đề nghị các thôn chưa đạt, nhất là {names}, phối hợp Tổ công nghệ số cộng đồng, Đoàn Thanh niên tổ chức hướng dẫn "
            "cài đặt tại nhà văn hóa và đến từng hộ; trưởng thôn báo cáo đúng hạn vào Thứ Năm hằng tuần."
        )
    else:
        parts.append("Đề nghị các thôn tiếp tục duy trì, hướng dẫn người dân sử dụng ứng dụng để gửi phản ánh hiện trường.")
    return " ".join(parts)


def build(board: Dashboard, week: dt.date, remarks: str | None = None, now: dt.datetime | None = None) -> WeeklyReport:
    """The report of one week, from the dashboard's figures."""
    ds, campaign = board.ds, board.ds.campaign
    target = campaign.household_target
    order = dict(zip(ds.villages["key"], ds.villages["row"], strict=True))  # the roster's order, as the office lists villages
    table = board.villages_at(week)
    table = table.assign(order=table["key"].map(order)).sort_values("order", kind="stable").reset_index(drop=True)
    row = board.commune_at(week)
    lines = tuple(
        VillageLine(
            i + 1,
            str(r["name"]),
            None if pd.isna(r["households"]) else int(r["households"]),
            None if pd.isna(r["smartphone_households"]) else int(r["smartphone_households"]),
            int(r["installed"]),
            None if r["rate"] != r["rate"] else float(r["rate"]),
            int(r["change"]),
            _note(r, target),
        )
        for i, (_, r) in enumerate(table.iterrows())
    )
    # Each rate leaves out, on both sides, the villages whose denominator is unknown.
    smart = sum(v.smartphone_households for v in lines if v.smartphone_households is not None)
    installed = sum(v.installed for v in lines if v.smartphone_households is not None)
    households = sum(v.households for v in lines if v.households is not None)
    installed_all = sum(v.installed for v in lines if v.households is not None)
    unknown = [v.name for v in lines if v.smartphone_households is None]
    total = VillageLine(
        0,
        "Tổng cộng",
        households,
        smart,
        installed,
        installed / smart if smart else None,
        sum(v.change for v in lines if v.smartphone_households is not None),
        f"Không tính {len(unknown)} thôn thiếu số hộ có ĐTTM" if unknown else "",
    )
    meeting = table[metrics.meeting_target(table)]["name"].tolist()
    not_applicable = table[metrics.without_target(table)]["name"].tolist()
    lagging = metrics.behind_target(table)
    missing = board.not_reported(week)

    units_week = max((w for w in board.unit_weeks["week"].unique() if w <= week), default=None) if not board.unit_weeks.empty else None
    units = metrics.at_week(board.unit_weeks, units_week)
    staff, officials = (
        int(units["staff"].sum()) if len(units) else int(ds.units["staff"].sum()),
        int(units["installed"].where(units["staff"].notna(), 0).sum()) if len(units) else 0,
    )
    below = metrics.behind_target(units)

    change_pp = float(row["change_pp"]) if row is not None else 0.0
    overall = (
        f"Toàn xã có {fmt_int(households)} hộ, trong đó {fmt_int(smart)} hộ có điện thoại thông minh (ĐTTM). "
        f"Tính đến ngày {fmt_date(week)}, có {fmt_int(installed)} hộ đã cài đặt ứng dụng i-HaTinh, đạt {fmt_pct(total.rate)} số hộ có ĐTTM "
        f"(chỉ tiêu ≥ {fmt_pct(target, 0)}) và {fmt_pct(installed_all / households if households else None)} tổng số hộ; "
        f"so với tuần trước tăng {fmt_int(total.change)} hộ ({fmt_pp(change_pp).replace('điểm %', 'điểm phần trăm')})."
    )
    if unknown:
        overall += (
            f" Chưa tính {', '.join(unknown)} vì số hộ có ĐTTM ở tab Thôn có lỗi (không tính ở cả số hộ đã cài đặt và số hộ có ĐTTM)."
        )
    if len(units):
        officials_text = (
            f"Có {fmt_int(officials)}/{fmt_int(staff)} cán bộ, công chức, viên chức, người lao động đã cài đặt, đạt {fmt_pct(officials / staff if staff else None)} "
            f"(chỉ tiêu {fmt_pct(campaign.official_target, 0)}); {int(units['meets_target'].sum())}/{len(units)} đơn vị đạt chỉ tiêu."
        )
        officials_more = (
            "Các đơn vị chưa đạt: "
            + "; ".join(
                f"{n} ({fmt_int(i)}/{fmt_int(s)}, còn {fmt_int(k)} người)"
                for n, i, s, k in zip(below["name"], below["installed"], below["staff"], below["needed"], strict=True)
            )
            + "."
            if len(below)
            else "Tất cả các đơn vị đã hoàn thành chỉ tiêu."
        )
    else:
        officials_text, officials_more = "Chưa có báo cáo của các đơn vị.", ""
    assessment = [f"Có {len(meeting)}/{len(table)} thôn đạt chỉ tiêu (ghi “Đạt” trong bảng trên)."]
    if not_applicable:
        assessment.append(f"Chưa đánh giá chỉ tiêu của {', '.join(not_applicable)} (thiếu số hộ có ĐTTM hoặc không có hộ có ĐTTM).")
    if len(lagging):
        assessment.append(
            f"Có {len(lagging)} thôn chưa đạt: "
            + "; ".join(
                f"{n} ({fmt_pct(r)}, cần thêm {fmt_int(k)} hộ)"
                for n, r, k in zip(lagging["name"], lagging["rate"], lagging["needed"], strict=True)
            )
            + "."
        )
    assessment.append(
        f"Thôn chưa báo cáo tuần này: {', '.join(missing)} (tạm lấy số liệu tuần trước)."
        if missing
        else "Tất cả các thôn đã báo cáo đúng tuần."
    )
    issues = week_issues(board, week)
    quality = _quality(issues, week)
    errors = issues[issues["severity"] == "error"]
    fixes = tuple(
        zip((str(w) for w in errors["who"]), *where_and_what(errors), strict=True)
    )  # who, where, what (the message past its place)
    week_start = week - dt.timedelta(days=6)
    field_units = field_report_section.unit_table(board, week)
    field = (
        () if field_units is None else ((f"6. {field_report_section.HEADING}", field_report_section.paragraphs(board, week, field_units)),)
    )
    sections = (
        (
            "",
            (
                f"Thực hiện Kế hoạch của UBND xã về mở đợt cao điểm {CAMPAIGN}, UBND xã {campaign.commune} báo cáo kết quả thực hiện từ ngày {fmt_date(week_start)} đến ngày {fmt_date(week)} như sau:",
            ),
        ),
        ("1. Kết quả chung", (overall,)),
        ("2. Cán bộ, công chức, viên chức, người lao động", tuple(t for t in (officials_text, officials_more) if t)),
        ("3. Kết quả cài đặt của hộ dân theo thôn", ()),
        ("4. Đánh giá", tuple(assessment)),
        ("5. Chất lượng số liệu", tuple(quality)),
        *field,
        (f"{6 + len(field)}. Nhận xét, đề xuất", ((remarks or default_remarks(board, week)).strip(),)),
        (
            "",
            (
                f"Trên đây là báo cáo kết quả {CAMPAIGN} tuần từ ngày {fmt_date(week_start)} đến ngày {fmt_date(week)} của UBND xã {campaign.commune}./.",
            ),
        ),
    )
    return WeeklyReport(
        commune=campaign.commune,
        week=week,
        week_start=week_start,
        place_date=f"{campaign.commune}, ngày {week.day:02d} tháng {week.month:02d} năm {week.year}",
        subtitle=f"Kết quả {CAMPAIGN} tuần từ ngày {fmt_date(week_start)} đến ngày {fmt_date(week)}",
        sections=sections,
        table_at=3,
        villages=lines,
        total=total,
        units=units,
        issues=issues,
        fixes=fixes,
        signer=campaign.signer,
        signer_title=campaign.signer_title or "PHÓ CHỦ TỊCH",
        field_units=field_units,
    )


def now_local() -> dt.datetime:
    """Now in Hà Tĩnh."""
    return dt.datetime.now(TIMEZONE)
