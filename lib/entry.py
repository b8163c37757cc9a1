"""The report form's rules, taken from the reader itself rather than copied.

A draft is checked by running `lib.validation.run.validate` on a small workbook made of what the reader
would see once the row is appended: the village's (or unit's) roster row, its earlier reports (and
the form's own rows not yet on the Sheet), then the draft. The issues the draft adds become short
messages beside the fields; the reader's warnings that a person may overrule (above the smartphone
households, below last week) ask for the tick "Tôi xác nhận số này đúng", its errors must be fixed.

The row carries the report day of its week, as text dd/mm/yyyy: the reader reads that text as the
same day whatever the sheet's locale, and accepts the open week's report day although it may be up
to 6 days ahead (see `lib.validation.reports`' future_date rule). Pure: plain data in, plain data out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib import history, metrics, schema
from lib.fmt import fmt_date, fmt_int
from lib.normalize import column_letter, name_key, upcoming_report_day
from lib.validation.cells import header_columns
from lib.validation.model import Dataset, Issue
from lib.validation.run import validate
from lib.workbook import Cell, RawWorkbook

KINDS = ("village", "unit")
_TABS = {"village": (schema.VILLAGES, schema.VILLAGE_REPORTS), "unit": (schema.UNITS, schema.UNIT_REPORTS)}
FIGURES = {"village": ("installed", "accounts", "reports_sent"), "unit": ("installed",)}
CONFIRM_LABEL = "Tôi xác nhận số này đúng"
NOTE_LIMIT = 500


def label(kind: str, field_name: str) -> str:
    """A form field's label: the column's own header in the template (Số hộ đã cài đặt, Số cán bộ đã cài đặt, …)."""
    return _TABS[kind][1].column(field_name).header


def noun(kind: str) -> str:
    """'thôn' or 'đơn vị'."""
    return "thôn" if kind == "village" else "đơn vị"


# --- which weeks are open -----------------------------------------------------------------


def open_weeks(now: dt.datetime, report_weekday: int) -> list[dt.date]:
    """The report weeks a form may write at this moment (Hà Tĩnh time), newest first.

    The week still open today: its report day is the first one on or after today (on the report day
    itself, that day until midnight, even past the 23:59 deadline: such a report is late, not next
    week's). An earlier week stays offered only while its own deadline has not passed.
    """
    current = upcoming_report_day(now.date(), report_weekday)
    earlier = current - dt.timedelta(days=7)
    return [current] + ([earlier] if now <= history.deadline(earlier) else [])


# --- the village or unit behind a link ----------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """The village or unit a link is for, as the reader accepted it on its roster."""

    kind: str
    key: str
    name: str  # as written on the roster
    size: int | None  # smartphone households of a village, staff of a unit: the rate's denominator (None: its cell has an error)
    households: int | None  # all households of a village
    roster_row: int  # 1-based row on the roster tab


def find_subject(ds: Dataset, kind: str, name: str) -> Subject | None:
    """The roster entry a link names (spelling forgiven as the reader forgives it), or None if it is not accepted there."""
    roster = ds.villages if kind == "village" else ds.units
    found = roster[roster["key"] == name_key(name)]
    if found.empty:
        return None
    row = found.iloc[0]
    if kind == "village":
        return Subject(
            kind, str(row["key"]), str(row["name"]), _count(row["smartphone_households"]), _count(row["households"]), int(row["row"])
        )
    return Subject(kind, str(row["key"]), str(row["name"]), _count(row["staff"]), None, int(row["row"]))


def _count(value: object) -> int | None:
    """A roster figure, or None where its cell had an error (the village or unit stays on the roster)."""
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


# --- where the row goes -------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where a report row goes on the reports tab, as the reader finds that tab's header."""

    title: str  # the tab's title in the workbook
    header_row: int  # 0-based
    columns: dict[str, int]  # field -> 0-based column
    first_column: int  # where the header's table starts: an append writes from here
    id_column: int
    id_header_missing: bool  # the tab has no Mã gửi column yet: the first delivery writes its header

    @property
    def width(self) -> int:
        """How many cells a row spans, from column A."""
        return max([*self.columns.values(), self.id_column]) + 1

    @property
    def id_header_cell(self) -> str:
        """A1 address of the Mã gửi header cell."""
        return f"{column_letter(self.id_column)}{self.header_row + 1}"


def layout(ds: Dataset, raw: RawWorkbook, kind: str) -> Layout | None:
    """The reports tab's layout in the cells `ds` was validated from, or None when the tab or its required columns are missing."""
    tab = _TABS[kind][1]
    title = ds.tab_titles.get(tab.name)
    if not title or not (rows := raw.tabs.get(title)):
        return None
    header_row, columns = header_columns(tab, rows)
    if header_row < 0 or any(c.required and c.field not in columns for c in tab.columns):
        return None
    header = rows[header_row]
    filled = [c for c, v in enumerate(header) if v not in (None, "") and str(v).strip()]
    first = min(filled) if filled else 0
    if "submission" in columns:
        return Layout(title, header_row, columns, first, columns["submission"], False)
    return Layout(title, header_row, columns, first, max(filled) + 1 if filled else len(header), True)


def sheet_row(where: Layout, subject: Subject, draft: Draft, submission_id: str) -> list[Cell]:
    """The row the form appends, from column A, in the tab's own column order (cells it does not fill are blank)."""
    row: list[Cell] = [""] * where.width
    values: dict[str, Cell] = {
        "date": fmt_date(draft.week),  # text dd/mm/yyyy: the same day in a Việt Nam and a United States sheet
        subject.kind: subject.name,
        "installed": draft.installed,
        "accounts": draft.accounts,
        "reports_sent": draft.reports_sent,
        "note": draft.note,
    }
    for field_name, column in where.columns.items():
        value = values.get(field_name)
        row[column] = "" if value is None else value
    row[where.id_column] = submission_id
    return row


def ids_on_sheet(raw: RawWorkbook, where: Layout) -> set[str]:
    """Submission ids already in the reports tab (the form's rows the last read saw)."""
    rows = raw.tabs.get(where.title) or []
    c = where.id_column
    return {str(r[c]).strip() for r in rows[where.header_row + 1 :] if c < len(r) and r[c] not in (None, "")}


# --- checking a draft with the reader's own rules -----------------------------------------


@dataclass(frozen=True)
class Draft:
    """What the person typed: the week and the figures (None = left blank), and a note."""

    week: dt.date
    installed: int | None
    accounts: int | None = None
    reports_sent: int | None = None
    note: str = ""


@dataclass(frozen=True)
class FieldMessage:
    """A message beside one field (installed, accounts, reports_sent, note, week or subject)."""

    field: str
    text: str
    confirm: bool  # True: accepted once the person ticks CONFIRM_LABEL; False: must be changed


@dataclass(frozen=True)
class Checked:
    """A draft checked: messages by field, the row to append, and the rate once it counts."""

    messages: tuple[FieldMessage, ...]
    row: list[Cell]
    rate: float | None  # the subject's rate at the draft's week once the row counts (None if it would not count)

    @property
    def blocked(self) -> bool:
        """True when something must be changed before sending."""
        return any(not m.confirm for m in self.messages)

    @property
    def needs_confirmation(self) -> bool:
        """True when the reader would warn: sending needs the tick."""
        return any(m.confirm for m in self.messages)

    def sendable(self, confirmed: bool) -> bool:
        """Whether the row may be sent now."""
        return not self.blocked and (confirmed or not self.needs_confirmation)

    def for_field(self, field_name: str) -> list[FieldMessage]:
        """The messages to show beside one field."""
        return [m for m in self.messages if m.field == field_name]


@dataclass(frozen=True)
class Form:
    """Everything a form needs about its village or unit: checked once per loaded workbook, then per draft."""

    kind: str
    subject: Subject
    where: Layout
    before: Dataset  # the small workbook validated without the draft
    base: RawWorkbook
    today: dt.date

    def reports(self) -> pd.DataFrame:
        """The subject's accepted reports, oldest first (the Sheet's and the form's not yet delivered)."""
        frame = self.before.village_reports if self.kind == "village" else self.before.unit_reports
        return frame[frame["key"] == self.subject.key].sort_values("week", kind="stable")

    def last_report(self) -> pd.Series | None:
        """The subject's latest accepted report, or None."""
        reports = self.reports()
        return reports.iloc[-1] if len(reports) else None


def prepare(ds: Dataset, raw: RawWorkbook, subject: Subject, today: dt.date, undelivered: list[list[Cell]] | None = None) -> Form | None:
    """A form for this subject over the loaded workbook (`ds` validated from `raw`) and the form's rows not yet on the Sheet.

    None without a readable reports tab.
    """
    where = layout(ds, raw, subject.kind)
    if where is None:
        return None
    base = _workbook(ds, raw, subject, where, undelivered or [])
    return Form(subject.kind, subject, where, validate(base, today), base, today)


def check(form: Form, draft: Draft, submission_id: str) -> Checked:
    """Run the reader on the workbook with the draft appended; every issue the draft adds becomes a field message."""
    row = sheet_row(form.where, form.subject, draft, submission_id)
    rows = form.base.tabs[form.where.title]
    after_raw = RawWorkbook(
        {**form.base.tabs, form.where.title: [*rows, row]}, form.base.source, form.base.kind, hidden_tabs=form.base.hidden_tabs
    )
    after = validate(after_raw, form.today)
    seen = {_identity(i) for i in _issues(form.before)}
    added = [i for i in _issues(after) if _identity(i) not in seen and i.sheet == form.where.title]
    number = len(rows) + 1
    messages = tuple(dict.fromkeys(_message(form, draft, i, i.row == number) for i in added))
    if len(draft.note) > NOTE_LIMIT:
        messages += (FieldMessage("note", f"Ghi chú dài quá {fmt_int(NOTE_LIMIT)} ký tự; hãy viết ngắn lại.", False),)
    return Checked(messages, row, _rate(after, form, draft.week, number))


def _workbook(ds: Dataset, raw: RawWorkbook, subject: Subject, where: Layout, undelivered: list[list[Cell]]) -> RawWorkbook:
    """What the reader would see of this subject: the tabs' headers, its roster row, its reports, settings and phases whole."""
    roster_tab, report_tab = _TABS[subject.kind]
    reports = ds.village_reports if subject.kind == "village" else ds.unit_reports
    own_rows = sorted(int(r) for r in reports.loc[reports["key"] == subject.key, "row"])
    tabs: dict[str, list[list[Cell]]] = {}
    for tab in schema.TABS:
        title = ds.tab_titles.get(tab.name)
        if not title or (rows := raw.tabs.get(title)) is None:
            continue
        if tab.entity in ("config", "phase"):
            tabs[title] = rows
            continue
        head = rows[: header_columns(tab, rows)[0] + 1]
        if tab is roster_tab:
            tabs[title] = [*head, rows[subject.roster_row - 1]]
        elif tab is report_tab:
            tabs[title] = [*head, *(rows[r - 1] for r in own_rows), *undelivered]
        else:
            tabs[title] = head
    return RawWorkbook(tabs, raw.source, raw.kind, hidden_tabs=raw.hidden_tabs & set(tabs))


def _issues(ds: Dataset) -> list[Issue]:
    columns = ["sheet", "row", "column", "cell", "severity", "code", "message", "value"]
    return [Issue(*map(_none_for_na, rec)) for rec in ds.issues[columns].itertuples(index=False, name=None)]


def _none_for_na(value: Any) -> Any:  # Any: a cell of the issues frame, as pandas gives it
    return None if value is pd.NA else value


def _identity(issue: Issue) -> tuple[object, ...]:
    return issue.sheet, issue.row, issue.column, issue.code, issue.severity


_DATE_CODES = frozenset({"future_date", "bad_date", "not_report_day", "early_date"})


def _field_at(form: Form, cell: str) -> str:
    letters = "".join(ch for ch in cell if ch.isalpha())
    return next((f for f, c in form.where.columns.items() if column_letter(c) == letters), "")


def _message(form: Form, draft: Draft, issue: Issue, on_draft: bool) -> FieldMessage:
    """The form's words for one issue the reader raised (the rule is the reader's; the wording is for a village head)."""
    field_name = _field_at(form, issue.cell) if issue.cell else ""
    s = form.subject
    value = getattr(draft, field_name, None) if field_name in FIGURES[form.kind] else None
    code = issue.code
    if field_name == "date" or code in _DATE_CODES:
        return FieldMessage("week", "Tuần báo cáo này không còn nhận báo cáo. Hãy tải lại trang để chọn tuần đang mở.", False)
    if code.startswith("unknown_"):
        return FieldMessage(
            "subject", f"{s.name} chưa có trong danh sách của xã trên bảng tính. Xin liên hệ Phòng Văn hóa – Xã hội.", False
        )
    if code == "duplicate_report":
        return FieldMessage(
            "week",
            f"Tuần {fmt_date(draft.week)}, {s.name} đã có báo cáo. Mỗi tuần chỉ gửi một lần; nếu cần sửa số, xin báo Phòng Văn hóa – Xã hội.",
            False,
        )
    if code == "missing_value":
        return FieldMessage(field_name, f"Hãy nhập {label(form.kind, field_name).lower()}. Ô trống không được tính là 0.", False)
    if code in ("not_a_number", "negative", "not_whole", "comma_in_count"):
        return FieldMessage(field_name, "Hãy nhập một số nguyên từ 0 trở lên, chỉ gồm chữ số.", False)
    if code == "exceeds_households":
        return FieldMessage(
            field_name,
            f"{fmt_int(value)} lớn hơn tổng số hộ của thôn ({fmt_int(s.households)}). Hãy kiểm tra lại; "
            "nếu tổng số hộ của thôn đã thay đổi, xin báo Phòng Văn hóa – Xã hội sửa danh sách thôn.",
            False,
        )
    if code == "exceeds_staff":
        return FieldMessage(
            field_name,
            f"{fmt_int(value)} lớn hơn tổng số cán bộ của đơn vị ({fmt_int(s.size)}). Hãy kiểm tra lại; "
            "nếu số cán bộ đã thay đổi, xin báo Phòng Văn hóa – Xã hội sửa danh sách đơn vị.",
            False,
        )
    if code == "exceeds_smartphone_households":
        return FieldMessage(
            field_name,
            f"{fmt_int(value)} lớn hơn số hộ có điện thoại thông minh của thôn ({fmt_int(s.size)}). "
            f"Nếu đúng là vậy, hãy đánh dấu ô «{CONFIRM_LABEL}».",
            True,
        )
    if code == "cumulative_decrease":
        if not on_draft:
            return FieldMessage(
                field_name,
                f"Số này lớn hơn số đã báo cho tuần sau. Số cộng dồn thường không giảm; nếu đúng là vậy, hãy đánh dấu ô «{CONFIRM_LABEL}».",
                True,
            )
        week, before = _before(form, draft.week, field_name)
        return FieldMessage(
            field_name,
            f"{fmt_int(value)} nhỏ hơn số đã báo tuần {fmt_date(week)} ({fmt_int(before)}). Số cộng dồn thường không giảm; "
            f"nếu đúng là vậy, hãy đánh dấu ô «{CONFIRM_LABEL}».",
            True,
        )
    # A rule this form has no words for yet: the reader's own message, and its severity decides.
    return FieldMessage(field_name or "subject", f"Bảng tính báo: {issue.message}", issue.severity != "error")


def _before(form: Form, week: dt.date, field_name: str) -> tuple[dt.date | None, int | None]:
    reports = form.reports()
    earlier = reports[(reports["week"] < week) & reports[field_name].notna()]
    if earlier.empty:
        return None, None
    last = earlier.iloc[-1]
    return last["week"], int(last[field_name])


def _rate(after: Dataset, form: Form, week: dt.date, number: int) -> float | None:
    reports = after.village_reports if form.kind == "village" else after.unit_reports
    if not (reports["row"] == number).any():
        return None  # the draft would be rejected: no rate to promise
    weekly = metrics.village_weekly(after) if form.kind == "village" else metrics.unit_weekly(after)
    found = weekly[(weekly["key"] == form.subject.key) & (weekly["week"] == week)]
    if found.empty:
        return None
    rate = found.iloc[0]["rate"]
    return None if rate != rate else float(rate)
