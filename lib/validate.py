"""Raw tables -> clean tables + one issue record per problem, never an exception for bad data.

The rules come from `schema` (columns, kinds, aliases); cross-row rules (rosters, duplicates,
cumulative figures) are the functions below. Every read row ends up accepted or rejected, and
every rejected row has at least one `error` issue naming its cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from lib import schema
from lib.config import Campaign, Phase
from lib.fmt import fmt_int
from lib.normalize import (
    WEEKDAYS_VI,
    Parsed,
    ascii_key,
    clean_text,
    column_letter,
    header_key,
    looks_legacy_encoded,
    name_key,
    parse_count,
    parse_date,
    parse_percent,
    parse_weekday,
    report_week,
    upcoming_report_day,
)
from lib.workbook import Cell, RawWorkbook, Rows, SourceInfo

ISSUE_COLUMNS = ["sheet", "row", "column", "cell", "severity", "code", "message", "value"]  # the contract; frames add "subject", "week"
HEADER_SCAN_ROWS = 30
# Villages or units read from a roster: twice a province (1.500 villages). Every page crosses the
# roster with every week, so 200.000 roster rows would cost the server gigabytes.
ROSTER_ROWS = 3_000
_TOTAL_ROW_KEYS = frozenset({"tong", "tong cong", "cong", "tong so", "toan xa", "tong toan xa"})


@dataclass(frozen=True)
class Issue:
    """One problem found in one cell (or one tab/column when no cell applies)."""

    sheet: str
    row: int | None
    column: str
    cell: str
    severity: str  # error | warning
    code: str
    message: str
    value: str


@dataclass
class Dataset:
    """The validated workbook: clean tables, the campaign settings, issues and row accounting."""

    villages: pd.DataFrame
    village_reports: pd.DataFrame
    units: pd.DataFrame
    unit_reports: pd.DataFrame
    campaign: Campaign
    issues: pd.DataFrame
    rows: dict[str, dict[str, int]]
    source: SourceInfo  # where the figures came from; the cells themselves go only to the snapshot store
    today: dt.date
    tab_titles: dict[str, str] = field(default_factory=dict)  # canonical tab name -> title in workbook

    @property
    def error_count(self) -> int:
        """How many issues of severity error."""
        return int((self.issues["severity"] == "error").sum()) if len(self.issues) else 0


@dataclass(slots=True)
class _Row:
    number: int  # 1-based row in the sheet
    cells_in_sheet: list[Cell]  # the sheet's row as read (no copy)
    columns: dict[str, int]  # field -> column index, shared by every row of a tab
    letters: dict[str, str]  # field -> column letter, shared by every row of a tab
    values: dict[str, object] = field(default_factory=dict)
    rejected: bool = False
    duplicate: bool = False  # an identical copy of an earlier report: kept out of the figures, not an error

    @property
    def raw(self) -> dict[str, Cell]:
        """field -> the value as typed (built on demand: messages need it, most rows never do)."""
        width = len(self.cells_in_sheet)
        return {f: (self.cells_in_sheet[c] if c < width else None) for f, c in self.columns.items()}

    def typed(self, field_name: str) -> Cell:
        """One value as typed."""
        c = self.columns.get(field_name)
        return self.cells_in_sheet[c] if c is not None and c < len(self.cells_in_sheet) else None

    @property
    def cells(self) -> dict[str, str]:
        """field -> A1 address; built only when an issue needs it (most rows never do)."""
        return {f: f"{letter}{self.number}" for f, letter in self.letters.items()}


@dataclass
class _TabRead:
    tab: schema.Tab
    title: str
    headers: dict[str, str]  # field -> header as typed
    rows: list[_Row]


class _Issues:
    """Collects issues and marks rejected rows, so no rule can forget the other half."""

    def __init__(self) -> None:
        self.items: list[Issue] = []
        self.rows: list[_Row | None] = []

    def add(
        self,
        sheet: str,
        row: _Row | None,
        field_name: str | None,
        header: str,
        severity: str,
        code: str,
        message: str,
        value: object = None,
    ) -> None:
        cell = row.cells.get(field_name, "") if row is not None and field_name else ""
        if row is not None and severity == "error":
            row.rejected = True
        self.items.append(Issue(sheet, row.number if row else None, header, cell, severity, code, message, _show(value)))
        self.rows.append(row)

    def subjects(self) -> list[str]:
        """The village or unit each issue is about (as on the roster when resolved, else as typed)."""
        names = []
        for row in self.rows:
            values = row.values if row is not None else {}
            name = values.get("display") or values.get("name") or values.get("village") or values.get("unit") or ""
            names.append(str(name) if row is not None and row.cells.get("item") is None else "")
        return names

    def weeks(self) -> list[dt.date | None]:
        """The report week of each issue's row, when its date was read: the weekly report lists only its week's issues."""
        return [row.values.get("week") if row is not None else None for row in self.rows]


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


def _blank(value: Cell) -> bool:
    if value is None:
        return True
    return type(value) is str and _blank_text(value)


@lru_cache(maxsize=65536, typed=True)
def _blank_text(text: str) -> bool:
    return not clean_text(text)


def validate(raw: RawWorkbook, today: dt.date) -> Dataset:
    """Check every cell of a raw workbook and return the clean tables with all issues found."""
    issues = _Issues()
    reads = _read_tabs(raw, issues, today)
    campaign = _campaign(reads.get("config"), reads.get("phase"), issues)
    villages = _check_roster(reads.get("village"), "households", issues)
    units = _check_roster(reads.get("unit"), "staff", issues)
    village_reports = _check_reports(reads.get("village_report"), villages, "village", campaign, today, issues)
    unit_reports = _check_reports(reads.get("unit_report"), units, "unit", campaign, today, issues)
    rows = {
        r.tab.name: {"read": len(r.rows), "accepted": sum(not x.rejected for x in r.rows), "rejected": sum(x.rejected for x in r.rows)}
        for r in reads.values()
    }
    # Tuples, not dataclasses.asdict (which deep-copies every field): 20.000 issues cost 0,6 s that way.
    frame = pd.DataFrame(
        [(i.sheet, i.row, i.column, i.cell, i.severity, i.code, i.message, i.value) for i in issues.items], columns=ISSUE_COLUMNS
    )
    frame["row"] = frame["row"].astype("Int64")
    frame["subject"] = issues.subjects()
    frame["week"] = issues.weeks()
    return Dataset(
        villages=_roster_frame(villages, schema.VILLAGES),
        village_reports=_report_frame(village_reports, "village"),
        units=_roster_frame(units, schema.UNITS),
        unit_reports=_report_frame(unit_reports, "unit"),
        campaign=campaign,
        issues=frame,
        rows=rows,
        source=raw.describe(),
        today=today,
        tab_titles={r.tab.name: r.title for r in reads.values()},
    )


# --- reading tabs -------------------------------------------------------------------------


def _read_tabs(raw: RawWorkbook, issues: _Issues, today: dt.date) -> dict[str, _TabRead]:
    titles = {title: header_key(title).replace(" ", "") for title in raw.tabs}
    reads: dict[str, _TabRead] = {}
    for tab in schema.TABS:
        title = _choose_tab(tab, [t for t, key in titles.items() if key in tab.title_keys()], titles, raw.hidden_tabs, issues)
        if title is None:
            if tab.required:
                issues.add(
                    tab.name,
                    None,
                    None,
                    "",
                    "error",
                    "missing_tab",
                    f"Không tìm thấy tab '{tab.name}'. Hãy thêm tab này (có thể tải mẫu từ trang Nguồn dữ liệu) hoặc đổi tên tab cho đúng.",
                )
            continue
        read = _read_tab(tab, title, raw.tabs[title], issues, today)
        if read is not None:
            reads[tab.entity] = read
    return reads


def _choose_tab(tab: schema.Tab, matches: list[str], keys: dict[str, str], hidden: frozenset[str], issues: _Issues) -> str | None:
    """The tab to read among those whose title matches: visible before hidden, the canonical name before an alias.

    A hidden copy named by an alias must never replace the tab people see and fill; whenever two
    tabs match, the one not read is named in a warning.
    """
    if not matches:
        return None
    canonical = header_key(tab.name).replace(" ", "")
    order = {title: i for i, title in enumerate(matches)}
    chosen = min(matches, key=lambda t: (t in hidden, keys[t] != canonical, order[t]))
    for title in matches:
        if title == chosen:
            continue
        state = " (đang ẩn)" if title in hidden else ""
        issues.add(
            title,
            None,
            None,
            "",
            "warning",
            "ignored_tab",
            f"Có {len(matches)} tab cùng được hiểu là tab '{tab.name}': đang đọc tab '{chosen}', bỏ qua tab '{title}'{state}. "
            "Hãy xoá hoặc đổi tên tab thừa để khỏi nhầm.",
        )
    if chosen in hidden:
        issues.add(
            chosen,
            None,
            None,
            "",
            "warning",
            "hidden_tab",
            f"Tab '{chosen}' đang ẩn nhưng vẫn được đọc vì không có tab '{tab.name}' nào đang hiện. Nên cho hiện tab này để mọi người thấy số liệu.",
        )
    return chosen


def _find_header(tab: schema.Tab, rows: Rows) -> tuple[int, dict[int, schema.Column]]:
    best_row, best = -1, {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[int, schema.Column] = {}
        for c, value in enumerate(row):
            if _blank(value):
                continue
            key = header_key(value)
            column = next((col for col in tab.columns if key in col.header_keys()), None)
            if column is not None and column not in found.values():
                found[c] = column
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


def header_columns(tab: schema.Tab, rows: Rows) -> tuple[int, dict[str, int]]:
    """Where the reader finds a tab's header: its 0-based row (-1 if none) and field -> 0-based column."""
    header_row, mapping = _find_header(tab, rows)
    return header_row, {col.field: c for c, col in mapping.items()}


def _read_tab(tab: schema.Tab, title: str, rows: Rows, issues: _Issues, today: dt.date) -> _TabRead | None:
    header_row, mapping = _find_header(tab, rows)
    missing = [c for c in tab.columns if c.required and c not in mapping.values()]
    if missing:
        where = f"dòng tiêu đề (dòng {header_row + 1})" if header_row >= 0 else "tab"
        for col in missing:
            issues.add(
                title,
                None,
                None,
                col.header,
                "error",
                "missing_column",
                f"Tab '{title}' thiếu cột '{col.header}' ở {where}. Hãy thêm cột này với đúng tên tiêu đề; "
                "chưa đọc được dữ liệu của tab cho đến khi có đủ cột bắt buộc.",
            )
        return None
    headers = {col.field: clean_text(rows[header_row][c]) for c, col in mapping.items()}
    read = _TabRead(tab, title, headers, [])
    name_field = next((c.field for c in tab.columns if c.kind == schema.Kind.NAME), None)
    letters = {col.field: column_letter(c) for c, col in mapping.items()}
    columns = {col.field: c for c, col in mapping.items()}
    indexes = list(columns.values())
    name_index = columns.get(name_field) if name_field else None
    # Each distinct value of a column is judged once (a village's name repeats every week, a
    # week's date for every village): the loop below is then a dictionary lookup per cell.
    parsers = [(col, col.field, columns[col.field], {}) for col in tab.columns if col.field in letters]
    unmapped = [col.field for col in tab.columns if col.field not in letters]
    limit = ROSTER_ROWS if tab.entity in ("village", "unit") else None
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        if all(c >= width or _blank(row[c]) for c in indexes):
            continue
        if limit is not None and len(read.rows) >= limit:
            what = "thôn" if tab.entity == "village" else "đơn vị"
            issues.add(
                title,
                None,
                None,
                "",
                "error",
                "too_many_rows",
                f"Tab '{title}' có hơn {fmt_int(limit)} {what}: chỉ đọc {fmt_int(limit)} {what} đầu tiên, từ dòng {r + 1} trở đi không được đọc "
                "(giới hạn của bảng theo dõi). Hãy kiểm tra xem tab có bị chép lặp hay lẫn dữ liệu khác không.",
            )
            break
        record = _Row(r + 1, row, columns, letters)
        if name_index is not None and name_index < width and ascii_key(row[name_index]) in _TOTAL_ROW_KEYS:
            issues.add(
                title,
                record,
                name_field,
                headers[name_field],
                "warning",
                "total_row_skipped",
                f"Dòng {r + 1} là dòng tổng cộng nên không được tính (ứng dụng tự cộng). Có thể xoá dòng này.",
                row[name_index],
            )
            continue
        values = record.values
        for col, f, c, seen in parsers:
            v = row[c] if c < width else None
            key = (v.__class__, v)
            outcome = seen.get(key)
            if outcome is None:
                outcome = seen[key] = _outcome(col, v, today)
            values[f] = outcome[0]
            if outcome[1] is not None:
                _cell_issue(read, record, col, v, outcome, issues)
        for f in unmapped:
            values[f] = None
        read.rows.append(record)
    return read


def _outcome(col: schema.Column, value: Cell, today: dt.date) -> tuple[object, str | None, str]:
    """(clean value, issue code or None, reason) for one cell value of a column."""
    if _blank(value):
        return None, ("missing_value" if col.required else None), ""
    kind = col.kind
    if kind is schema.Kind.TEXT or kind is schema.Kind.PERCENT:
        return (value if isinstance(value, (int, float)) and not isinstance(value, bool) else clean_text(value)), None, ""
    if kind is schema.Kind.NAME:
        text = clean_text(value)
        return text, ("legacy_encoding" if looks_legacy_encoded(text) else None), ""
    parsed: Parsed = parse_count(value) if kind is schema.Kind.COUNT else parse_date(value, today)
    return parsed.value, parsed.code, parsed.reason


def _cell_issue(
    read: _TabRead, row: _Row, col: schema.Column, value: Cell, outcome: tuple[object, str | None, str], issues: _Issues
) -> None:
    clean, code, reason = outcome
    header = read.headers[col.field]
    cell = row.cells[col.field]
    severity = "error"
    if code == "missing_value":
        message = f"Ô {cell} ({header}) đang trống. Hãy nhập {col.hint or 'giá trị'}. Ô trống không được tính là 0."
    elif code == "legacy_encoding":
        message = f"Ô {cell} có chữ bị lỗi mã (kiểu gõ VNI/TCVN3: '{clean}'). Hãy gõ lại bằng bảng mã Unicode (Unikey: chọn Unicode, kiểu gõ Telex)."
    else:
        # A bad optional figure is dropped with a warning; the row's required figures still count.
        severity = "error" if col.required else "warning"
        tail = "" if col.required else " Giá trị này bị bỏ qua; các số khác của dòng vẫn được tính."
        how = f"Hãy nhập {col.hint}." if col.hint else ""
        message = f"Ô {cell} ({header}): {reason}. {how}{tail}".replace(". .", ".")
    issues.add(read.title, row, col.field, header, severity, str(code), message, value)


# --- settings and phases ------------------------------------------------------------------


def _campaign(config: _TabRead | None, phases: _TabRead | None, issues: _Issues) -> Campaign:
    values: dict[str, object] = {}
    by_key = {header_key(s.label): s for s in schema.SETTINGS}
    for row in config.rows if config else []:
        item = row.values.get("item")
        setting = by_key.get(header_key(item))
        if setting is None:
            issues.add(
                config.title,
                row,
                "item",
                config.headers["item"],
                "warning",
                "unknown_setting",
                f"Không biết mục cấu hình '{item}'; dòng này được bỏ qua. Các mục dùng được: "
                + ", ".join(s.label for s in schema.SETTINGS)
                + ".",
                item,
            )
            continue
        raw = row.typed("value")
        if _blank(raw):
            continue  # nothing typed: the default stands
        parsed = {"percent": parse_percent, "weekday": parse_weekday}.get(setting.kind, lambda v: Parsed(value=clean_text(v)))(raw)
        if parsed.code or parsed.value in (None, ""):
            issues.add(
                config.title,
                row,
                "value",
                config.headers["value"],
                "error",
                "bad_setting",
                f"Ô {row.cells['value']} ({setting.label}): {parsed.reason or 'đang trống'}. Đang dùng giá trị mặc định {setting.default}.",
                raw,
            )
            continue
        values[setting.field] = parsed.value
    accepted: list[Phase] = []
    for row in phases.rows if phases else []:
        start, end = row.values.get("start"), row.values.get("end")
        if row.rejected:
            continue
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            issues.add(
                phases.title,
                row,
                "end",
                phases.headers["end"],
                "error",
                "bad_phase",
                f"Giai đoạn '{row.values.get('name')}' kết thúc ({_show(end)}) trước khi bắt đầu ({_show(start)}). Hãy sửa lại ngày.",
                row.typed("end"),
            )
            continue
        accepted.append(Phase(str(row.values["name"]), start, end, str(row.values.get("audience") or "")))  # type: ignore[arg-type]
    if accepted:
        values["phases"] = tuple(sorted(accepted, key=lambda p: p.start))
    return Campaign(**values)  # type: ignore[arg-type]


# --- rosters ------------------------------------------------------------------------------


def _check_roster(read: _TabRead | None, size_field: str, issues: _Issues) -> _TabRead | None:
    if read is None:
        return None
    entity = "thôn" if read.tab.entity == "village" else "đơn vị"
    code = "duplicate_village" if read.tab.entity == "village" else "duplicate_unit"
    first_seen: dict[str, _Row] = {}
    for row in read.rows:
        name = row.values.get("name")
        if name:
            key = name_key(name)
            row.values["key"] = key
            if key in first_seen:
                issues.add(
                    read.title,
                    row,
                    "name",
                    read.headers["name"],
                    "error",
                    code,
                    f"Tên {entity} '{name}' trùng với dòng {first_seen[key].number} (sau khi bỏ qua hoa/thường, dấu cách, kiểu bỏ dấu). "
                    f"Mỗi {entity} chỉ ghi một dòng: xoá dòng trùng hoặc sửa tên.",
                    name,
                )
            else:
                first_seen[key] = row
        if size_field == "households":
            total, smart = row.values.get("households"), row.values.get("smartphone_households")
            if isinstance(total, int) and isinstance(smart, int) and smart > total:
                issues.add(
                    read.title,
                    row,
                    "smartphone_households",
                    read.headers["smartphone_households"],
                    "error",
                    "smartphone_exceeds_households",
                    f"Ô {row.cells['smartphone_households']}: số hộ có điện thoại thông minh ({fmt_int(smart)}) lớn hơn tổng số hộ ({fmt_int(total)}). "
                    "Hãy kiểm tra lại hai số này.",
                    smart,
                )
    return read


SUGGESTIONS_MAX = 50  # distinct unknown names that get a "Có phải …?" (each costs 20–80 ms against 1.500 villages)


class _Roster:
    """Name lookup for a roster: exact key, then without diacritics, then a suggestion."""

    def __init__(self, read: _TabRead | None) -> None:
        # Suggestions are memoised and capped: 20.000 distinct unknown names against a province's
        # roster would otherwise cost the server 7 minutes of difflib.
        self.suggestions: dict[str, str | None] = {}
        self.by_key: dict[str, _Row] = {}
        self.by_ascii: dict[str, set[str]] = defaultdict(set)
        self.by_loose: dict[str, set[str]] = defaultdict(set)
        for row in read.rows if read else []:
            key = row.values.get("key")
            if isinstance(key, str) and key not in self.by_key:
                self.by_key[key] = row
                self.by_ascii[ascii_key(key)].add(key)
                self.by_loose[_loose(key)].add(key)

    def find(self, name: str) -> tuple[_Row | None, bool, str | None]:
        """(roster row, matched only approximately, suggestion if not found)."""
        key = name_key(name)
        if key in self.by_key:
            return self.by_key[key], False, None
        for index, probe in ((self.by_ascii, ascii_key(name)), (self.by_loose, _loose(name))):
            keys = index.get(probe, set())
            if len(keys) == 1:
                return self.by_key[next(iter(keys))], True, None
        return None, False, self._suggest(ascii_key(name))

    def _suggest(self, probe: str) -> str | None:
        if probe in self.suggestions:
            return self.suggestions[probe]
        if len(self.suggestions) >= SUGGESTIONS_MAX:
            return None
        close = difflib.get_close_matches(probe, list(self.by_ascii), n=1, cutoff=0.72)
        suggestion = str(self.by_key[sorted(self.by_ascii[close[0]])[0]].values["name"]) if close else None
        self.suggestions[probe] = suggestion
        return suggestion


def _loose(name: object) -> str:
    key = ascii_key(name)
    for prefix in ("thon ", "xom ", "to dan pho ", "to "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


# --- weekly reports -----------------------------------------------------------------------


def _check_reports(
    read: _TabRead | None, roster_read: _TabRead | None, entity: str, campaign: Campaign, today: dt.date, issues: _Issues
) -> _TabRead | None:
    if read is None:
        return None
    roster = _Roster(roster_read)
    label = "thôn" if entity == "village" else "đơn vị"
    roster_tab = roster_read.title if roster_read else ("Thôn" if entity == "village" else "Đơn vị")
    header = read.headers[entity]
    for row in read.rows:
        _check_report_date(read, row, campaign, today, issues)
        name = row.values.get(entity)
        if not name:
            continue
        found, approximate, suggestion = roster.find(str(name))
        if found is None:
            hint = f" Có phải '{suggestion}'?" if suggestion else ""
            issues.add(
                read.title,
                row,
                entity,
                header,
                "error",
                f"unknown_{entity}",
                f"Ô {row.cells[entity]}: {label} '{name}' không có trong tab '{roster_tab}'.{hint} "
                f"Hãy chọn tên {label} đúng như trong danh sách.",
                name,
            )
            continue
        display = str(found.values["name"])
        if found.rejected:
            issues.add(
                read.title,
                row,
                entity,
                header,
                "error",
                f"unknown_{entity}",
                f"Ô {row.cells[entity]}: {label} '{display}' đang có lỗi ở tab '{roster_tab}' (dòng {found.number}) nên chưa tính được báo cáo này. "
                f"Hãy sửa dòng {found.number} của tab '{roster_tab}' trước.",
                name,
            )
            continue
        if approximate:
            issues.add(
                read.title,
                row,
                entity,
                header,
                "warning",
                "approximate_name",
                f"Ô {row.cells[entity]}: '{name}' được hiểu là '{display}'. Nên sửa lại đúng tên trong danh sách để tránh nhầm.",
                name,
            )
        row.values["key"] = found.values["key"]
        row.values["display"] = display
        _check_bounds(read, row, found, entity, issues)
    _check_duplicates(read, entity, issues)
    _check_cumulative(read, entity, issues)
    return read


def _check_report_date(read: _TabRead, row: _Row, campaign: Campaign, today: dt.date, issues: _Issues) -> None:
    day = row.values.get("date")
    if not isinstance(day, dt.date):
        return
    header = read.headers["date"]
    earliest = campaign.phases[0].start - dt.timedelta(days=365)
    if day < earliest:
        issues.add(
            read.title,
            row,
            "date",
            header,
            "error",
            "early_date",
            f"Ô {row.cells['date']}: ngày {_show(day)} sớm hơn một năm trước khi chiến dịch bắt đầu ({_show(campaign.phases[0].start)}). "
            "Hãy kiểm tra lại ngày, tháng, năm.",
            row.typed("date"),
        )
        return
    # The report day of the week still open today (at most 6 days ahead) is not "in the future": the report form
    # writes that day, and so may a person; any other later date (a typo of month or year) still is.
    if day > today and day != upcoming_report_day(today, campaign.report_weekday):
        issues.add(
            read.title,
            row,
            "date",
            header,
            "error",
            "future_date",
            f"Ô {row.cells['date']}: ngày {_show(day)} chưa tới (hôm nay là {_show(today)}). Hãy kiểm tra lại ngày, tháng, năm.",
            row.typed("date"),
        )
        return
    row.values["week"] = report_week(day, campaign.report_weekday)
    if day.weekday() != campaign.report_weekday:
        weekday = WEEKDAYS_VI[campaign.report_weekday]
        issues.add(
            read.title,
            row,
            "date",
            header,
            "warning",
            "not_report_day",
            f"Ô {row.cells['date']}: {_show(day)} là {WEEKDAYS_VI[day.weekday()]}, không phải {weekday}. "
            f"Báo cáo được tính vào tuần {weekday} {_show(row.values['week'])}.",
            row.typed("date"),
        )


def _check_bounds(read: _TabRead, row: _Row, found: _Row, entity: str, issues: _Issues) -> None:
    installed = row.values.get("installed")
    if not isinstance(installed, int):
        return
    header = read.headers["installed"]
    cell = row.letters["installed"] + str(row.number)
    if entity == "unit":
        staff = found.values["staff"]
        if installed > staff:  # type: ignore[operator]
            issues.add(
                read.title,
                row,
                "installed",
                header,
                "error",
                "exceeds_staff",
                f"Ô {cell}: số cán bộ đã cài đặt ({fmt_int(installed)}) lớn hơn tổng số cán bộ của đơn vị ({fmt_int(staff)}). "
                "Hãy sửa số đã cài đặt, hoặc cập nhật tổng số cán bộ ở tab Đơn vị.",
                installed,
            )
        return
    total, smart = found.values["households"], found.values["smartphone_households"]
    if installed > total:  # type: ignore[operator]
        issues.add(
            read.title,
            row,
            "installed",
            header,
            "error",
            "exceeds_households",
            f"Ô {cell}: số hộ đã cài đặt ({fmt_int(installed)}) lớn hơn tổng số hộ của thôn ({fmt_int(total)}). "
            "Hãy kiểm tra lại số đã cài đặt (cộng dồn), hoặc cập nhật tổng số hộ ở tab Thôn.",
            installed,
        )
    elif installed > smart:  # type: ignore[operator]
        issues.add(
            read.title,
            row,
            "installed",
            header,
            "warning",
            "exceeds_smartphone_households",
            f"Ô {cell}: số hộ đã cài đặt ({fmt_int(installed)}) lớn hơn số hộ có điện thoại thông minh ({fmt_int(smart)}); tỷ lệ sẽ vượt 100 %. "
            "Nên cập nhật số hộ có điện thoại thông minh ở tab Thôn.",
            installed,
        )


_FIGURES = ("installed", "accounts", "reports_sent")


def _check_duplicates(read: _TabRead, entity: str, issues: _Issues) -> None:
    # Sorted runs instead of a dict of lists: at province scale the dict would hold 80.000 lists.
    ordered = sorted(
        (r for r in read.rows if not r.rejected and r.values.get("key") and r.values.get("week")),
        key=lambda r: (r.values["key"], r.values["week"], r.number),
    )
    label = "thôn" if entity == "village" else "đơn vị"
    header = read.headers[entity]
    for (_, week), run in itertools.groupby(ordered, key=lambda r: (r.values["key"], r.values["week"])):
        rows = list(run)
        if len(rows) < 2:
            continue
        figures = {tuple(r.values.get(f) for f in _FIGURES) for r in rows}
        numbers = row_numbers([r.number for r in rows])
        name = rows[0].values["display"]
        if len(figures) == 1:
            for dup in rows[1:]:
                dup.duplicate = True
                issues.add(
                    read.title,
                    dup,
                    entity,
                    header,
                    "warning",
                    "duplicate_report",
                    f"Dòng {dup.number} lặp lại y hệt báo cáo của {label} '{name}' tuần {_show(week)} (các dòng {numbers}); chỉ tính một lần. Có thể xoá dòng thừa.",
                    name,
                )
            continue
        for dup in rows:
            issues.add(
                read.title,
                dup,
                entity,
                header,
                "error",
                "duplicate_report",
                f"{label.capitalize()} '{name}' có {len(rows)} báo cáo khác nhau cho tuần {_show(week)} (các dòng {numbers}). "
                "Chưa biết số nào đúng nên chưa tính tuần này: hãy giữ lại một dòng đúng và xoá các dòng kia.",
                dup.typed("installed"),
            )


ROWS_LISTED = 5


def row_numbers(numbers: list[int], limit: int = ROWS_LISTED) -> str:
    """'2, 3, 4, 5, 6 và 19.995 dòng khác': each of N duplicates names the others, so the list must stay short."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    rest = len(numbers) - limit
    return f"{shown} và {fmt_int(rest)} dòng khác" if rest > 0 else shown


def _check_cumulative(read: _TabRead, entity: str, issues: _Issues) -> None:
    label = "thôn" if entity == "village" else "đơn vị"
    ordered = sorted(
        (r for r in read.rows if not r.rejected and not r.duplicate and r.values.get("week")),
        key=lambda r: (r.values["key"], r.values["week"], r.number),
    )
    previous: _Row | None = None
    for row in ordered:
        if previous is not None and previous.values["key"] == row.values["key"]:
            for f in _FIGURES:
                before, now = previous.values.get(f), row.values.get(f)
                if isinstance(before, int) and isinstance(now, int) and now < before:
                    issues.add(
                        read.title,
                        row,
                        f,
                        read.headers.get(f, f),
                        "warning",
                        "cumulative_decrease",
                        f"Ô {row.cells[f]}: số cộng dồn của {label} '{row.values['display']}' giảm từ {fmt_int(before)} (tuần {_show(previous.values['week'])}) "
                        f"xuống {fmt_int(now)} (tuần {_show(row.values['week'])}). Số liệu cộng dồn không giảm: hãy kiểm tra lại.",
                        now,
                    )
        previous = row


# --- clean frames -------------------------------------------------------------------------


def _roster_frame(read: _TabRead | None, tab: schema.Tab) -> pd.DataFrame:
    fields = ["key"] + [c.field for c in tab.columns] + ["row"]
    records = [{**{f: r.values.get(f) for f in fields}, "row": r.number} for r in (read.rows if read else []) if not r.rejected]
    frame = pd.DataFrame(records, columns=fields)
    for col in tab.columns:
        if col.kind == schema.Kind.COUNT:
            frame[col.field] = frame[col.field].astype("int64")
    return frame


def _report_frame(read: _TabRead | None, entity: str) -> pd.DataFrame:
    kept = [r for r in (read.rows if read else []) if not r.rejected and not r.duplicate]
    # Column by column, not a dict per row: at province scale the dicts alone would cost ~20 MB.
    frame = pd.DataFrame(
        {
            "key": [r.values["key"] for r in kept],
            entity: [r.values["display"] for r in kept],
            "date": [r.values["date"] for r in kept],
            "week": [r.values["week"] for r in kept],
            "installed": pd.array([r.values["installed"] for r in kept], dtype="int64"),
            "accounts": pd.array([r.values.get("accounts") for r in kept], dtype="Int64"),
            "reports_sent": pd.array([r.values.get("reports_sent") for r in kept], dtype="Int64"),
            "note": [r.values.get("note") for r in kept],
            "row": [r.number for r in kept],
        }
    )
    return frame
