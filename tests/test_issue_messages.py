"""The message table (lib/validation/messages.py): every issue a rule can raise is worded there, as a sentence.

Which keys the rules use is read from the source (ast), not listed here: a rule that adds an issue
with a key the table lacks, or forgets a value its sentence needs, fails these tests before anyone
sees a KeyError or a half-filled message.
"""

from __future__ import annotations

import ast
import datetime as dt
import string
import unicodedata
from pathlib import Path

import pytest

from conftest import D3, REPORTS, VILLAGES, check
from lib import schema
from lib.check_text import issue_line
from lib.issue_text import what, where_and_what
from lib.messages import village_fixes, villages_with_issues
from lib.validation.messages import MESSAGES, PHRASES, Message, code_of, place
from lib.validation.model import ISSUE_COLUMNS

LIB = Path(__file__).resolve().parent.parent / "lib"
# One example value per placeholder; a new placeholder needs one here, so it is seen rendered once.
EXAMPLES: dict[str, object] = {
    "sheet": "Báo cáo thôn",
    "header": "Số hộ đã cài đặt",
    "cell": "C6",
    "row": 6,
    "tab": "Báo cáo thôn",
    "count": 2,
    "chosen": "Báo cáo thôn",
    "header_row": 3,
    "limit": "3.000",
    "label": "thôn",
    "Label": "Thôn",
    "first_unread": 3002,
    "hint": "số nguyên, ví dụ 215",
    "text": "Thoân 1",
    "reason": "không đọc được số",
    "item": "Màu nền",
    "known": "Tên xã, Chỉ tiêu hộ dân (%)",
    "setting": "Chỉ tiêu hộ dân (%)",
    "default": "70",
    "name": "Thôn Trung Hòa",
    "typed": "Thon Trung Hoa",
    "start": dt.date(2026, 6, 1),
    "end": dt.date(2026, 5, 15),
    "first_row": 2,
    "smartphone_households": "160",
    "households": "150",
    "installed": "151",
    "staff": "10",
    "roster": "Thôn",
    "roster_row": 2,
    "suggestion": "Thôn Trung Hòa",
    "day": dt.date(2026, 5, 1),
    "campaign_start": dt.date(2026, 4, 15),
    "today": dt.date(2026, 11, 29),
    "day_weekday": "Thứ Sáu",
    "weekday": "Thứ Năm",
    "week": dt.date(2026, 4, 30),
    "week_before": dt.date(2026, 4, 23),
    "before": "90",
    "now": "80",
    "rows": "5, 6, 7",
    "replaced_by": 9,
    "where": "Tab Báo cáo thôn, dòng 6, cột Số hộ đã cài đặt (ô C6)",
    "id": "PA5",
    "status": "Đã xong",
    "completed": dt.date(2026, 4, 20),
    "sent": dt.date(2026, 4, 24),
    "old": 90,
    "new": 80,
    "when": "08:15 01/05/2026",
    "word": "cái",
    "digits": "1,000",
    "whole": "1000",
    "example": "31/12/2026",
    "month": 23,
    "year": 1926,
    "first": 2020,
    "last": 2099,
    "shown": "2, 3, 4, 5, 6",
    "rest": "19.995",
}


def placeholders(template: str) -> set[str]:
    """The {named} fields of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def vietnamese(text: str) -> bool:
    """True when the text has a letter only Vietnamese spelling uses here (a diacritic, or đ)."""
    return any(c in "đĐ" or unicodedata.normalize("NFD", c) != c for c in text)


# --- what the rules use, read from the source ----------------------------------------------------


def _parser_codes() -> dict[str, set[str]]:
    """Each parser in lib.normalize -> the issue codes it can return, following calls to its helpers."""
    tree = ast.parse((LIB / "normalize.py").read_text())
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}

    def codes(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        found: set[str] = set()
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "Parsed":
                    found |= {k.value.value for k in node.keywords if k.arg == "code" and isinstance(k.value, ast.Constant)}
                elif node.func.id in functions and node.func.id not in seen:
                    found |= codes(node.func.id, seen | {name})
        return found

    return {name: codes(name) for name in functions if name.startswith("parse_")}


PARSER_CODES = _parser_codes()


class Uses(ast.NodeVisitor):
    """The message keys and phrase keys one module uses, with the names each call gives."""

    def __init__(self, tree: ast.Module) -> None:
        imported = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "lib.normalize" for a in n.names}
        # A key the source cannot spell out comes from a parser's result: it stands for that parser's codes.
        self.unknown = set().union(*(PARSER_CODES[n] for n in imported if n in PARSER_CODES))
        self.scopes: list[tuple[str, dict[str, list[ast.expr | None]]]] = [("", {})]
        self.added: list[tuple[int, set[str], set[str] | None]] = []  # issues.add(key, …): (line, keys, names or None for **)
        self.phrased: list[tuple[int, set[str], set[str] | None]] = []  # phrase(key, …)
        self.looked_up: set[str] = set()  # MESSAGES["key"]
        self.given: set[str] = set()  # names this module's own Issues.add gives every message it words
        self.visit(tree)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        scope: dict[str, list[ast.expr | None]] = {}
        for n in ast.walk(node):
            if isinstance(n, ast.Assign):
                for target in n.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            scope.setdefault(name.id, []).append(n.value if target is name else None)
        self.scopes.append((node.name, scope))
        self.generic_visit(node)
        self.scopes.pop()

    def keys(self, node: ast.expr) -> set[str]:
        """Every string the expression can be: constants, both sides of `a if c else b`, f-strings, a local name's values."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.keys(node.body) | self.keys(node.orelse)
        if isinstance(node, ast.JoinedStr):
            out = {""}
            for part in node.values:
                options = self.keys(part.value) if isinstance(part, ast.FormattedValue) else self.keys(part)
                out = {a + b for a in out for b in options}
            return out
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
            return self.keys(node.args[0])
        if isinstance(node, ast.Name):
            values = self.scopes[-1][1].get(node.id, [None])
            if all(v is not None for v in values):
                return set().union(*(self.keys(v) for v in values if v is not None))
        assert self.unknown, f"line {node.lineno}: cannot tell which key {ast.unparse(node)!r} is; spell it out"
        return set(self.unknown)

    def visit_Call(self, node: ast.Call) -> None:
        named = {k.arg for k in node.keywords if k.arg}
        names = None if any(k.arg is None for k in node.keywords) else named
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "add" and isinstance(func.value, ast.Name) and func.value.id == "issues":
            self.added.append((node.lineno, self.keys(node.args[0]), names))
        elif isinstance(func, ast.Name) and func.id == "phrase":
            self.phrased.append((node.lineno, self.keys(node.args[0]), names))
        elif isinstance(func, ast.Attribute) and func.attr in ("render", "update") and self.scopes[-1][0] == "add":
            self.given |= named  # render(where=…, **params), or params.update(sheet=…) before formatting
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "MESSAGES" and self.scopes[-1][0] != "add":
            self.looked_up |= self.keys(node.slice)
        self.generic_visit(node)


USES = {path.relative_to(LIB.parent).as_posix(): Uses(ast.parse(path.read_text())) for path in sorted(LIB.rglob("*.py"))}
GIVEN = USES["lib/validation/rows.py"].given  # what Issues.add gives every message of lib/validation
ADDED = [(path, line, key, names) for path, uses in USES.items() for line, keys, names in uses.added for key in sorted(keys)]
PHRASED = [(path, line, key, names) for path, uses in USES.items() for line, keys, names in uses.phrased for key in sorted(keys)]


def test_the_source_scan_finds_the_rules_it_should():
    files = {path for path, *_ in ADDED}
    assert {"lib/validation/cells.py", "lib/validation/rosters.py", "lib/validation/reports.py", "lib/validation/settings.py"} <= files
    assert "lib/field_report_rows.py" in files
    assert {"not_a_number:optional", "bad_date", "unknown_unit:suggestion", "duplicate_id:identical"} <= {k for _, _, k, _ in ADDED}
    assert {"sheet", "header", "cell", "row", "where"} == GIVEN
    assert {"where"} == USES["lib/field_report_rows.py"].given


@pytest.mark.parametrize(("path", "line", "key"), [(p, n, k) for p, n, k, _ in ADDED])
def test_every_issue_a_rule_can_raise_has_a_message(path, line, key):
    assert key in MESSAGES, f"{path}:{line} adds an issue with key {key!r}, which lib/validation/messages.py does not word"


def test_rules_name_every_value_they_give_a_message():
    splats = [(path, line) for path, line, _, names in ADDED + PHRASED if names is None]
    assert splats == [], "pass a message's values by name, not **dict, so these tests can check them"


@pytest.mark.parametrize(("path", "line", "key", "names"), ADDED)
def test_every_rule_gives_each_value_its_message_names(path, line, key, names):
    message = MESSAGES[key]
    missing = placeholders(message.text + message.fix) - (names or set()) - (USES[path].given or GIVEN)
    assert not missing, f"{path}:{line} adds {key!r} without {sorted(missing)}"


@pytest.mark.parametrize(("path", "line", "key", "names"), PHRASED)
def test_every_phrase_used_exists_and_gets_its_values(path, line, key, names):
    assert key in PHRASES, f"{path}:{line} uses phrase {key!r}, which lib/validation/messages.py does not word"
    assert placeholders(PHRASES[key]) <= (names or set()), f"{path}:{line}"


def test_every_message_and_phrase_in_the_table_is_used():
    used = {key for *_, key, _ in ADDED}.union(*(uses.looked_up for uses in USES.values()))
    assert set(MESSAGES) - used == set()
    assert set(PHRASES) - {key for *_, key, _ in PHRASED} == set()


# --- how the table reads ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_reads_as_a_sentence(key):
    message = MESSAGES[key]
    assert message.severity in ("error", "warning")
    assert set(placeholders(message.text + message.fix)) <= set(EXAMPLES), "add an example value for the new placeholder"
    rendered = message.render(**EXAMPLES)
    assert rendered[0].isupper(), rendered
    assert message.text.endswith("."), message.text
    # A fix may end with "…" when it lists examples ("Chờ tiếp nhận, Đang xử lý, …").
    assert not message.fix or (message.fix[0].isupper() and message.fix.endswith((".", "…"))), message.fix
    assert "{" not in rendered and "}" not in rendered, rendered
    assert "  " not in rendered and " ." not in rendered and ".." not in rendered, rendered
    own_words = "".join(literal for literal, *_ in string.Formatter().parse(message.text + message.fix))
    assert vietnamese(own_words) or not any(c.isalpha() for c in own_words), f"{key}: no Vietnamese diacritics in {own_words!r}"


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_phrase_is_a_clause_in_vietnamese(key):
    text = PHRASES[key]
    assert set(placeholders(text)) <= set(EXAMPLES), "add an example value for the new placeholder"
    rendered = text.format_map(EXAMPLES)
    assert "{" not in rendered and "}" not in rendered
    assert not rendered.endswith("."), "the message around a phrase ends the sentence"
    own_words = "".join(literal for literal, *_ in string.Formatter().parse(text))
    assert vietnamese(own_words) or own_words.strip() == "Tab", text  # "Tab {sheet}": Vietnamese without a diacritic


def test_an_issue_code_is_the_key_before_its_variant_and_each_code_has_a_plain_wording():
    assert code_of("bad_date:optional") == "bad_date"
    assert code_of("missing_tab") == "missing_tab"
    assert {code_of(k) for k in MESSAGES} <= {k for k in MESSAGES if ":" not in k}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_date_in_a_message_is_shown_day_first(key):
    message = MESSAGES[key]
    for _, name, spec, _ in string.Formatter().parse(message.text + message.fix):
        if name and isinstance(EXAMPLES[name], dt.date):
            assert spec == "%d/%m/%Y", f"{key}: write {{{name}:%d/%m/%Y}}"
    assert "30/04/2026" in Message("warning", "Tuần {week:%d/%m/%Y}.").render(week=dt.datetime(2026, 4, 30, 8, 15))


def test_every_column_a_parser_can_refuse_says_how_to_fill_it():
    # A refused cell's message ends "Hãy nhập {hint}."; without a hint it would read "Hãy nhập ."
    silent = [(t.name, c.header) for t in schema.TABS for c in t.columns if c.kind in (schema.Kind.COUNT, schema.Kind.DATE) and not c.hint]
    assert silent == []


def test_each_roster_and_its_reports_name_a_row_the_same_way():
    assert schema.VILLAGES.label == schema.VILLAGE_REPORTS.label == "thôn"
    assert schema.UNITS.label == schema.UNIT_REPORTS.label == "đơn vị"


# --- the messages a village head reads (issue #13 §6) -----------------------------------------------


def _issue(ds, code):
    return ds.issues[ds.issues["code"] == code].iloc[0]


def test_a_message_says_where_in_words_first_and_the_cell_after():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"]])
    assert _issue(ds, "not_a_number")["message"].startswith("Tab Báo cáo thôn, dòng 6, cột Số hộ đã cài đặt (ô C6): không đọc được số.")
    assert place("Thôn", None, "Tổng số hộ") == "Tab Thôn, cột Tổng số hộ"
    assert place("Báo cáo thôn", 9) == "Tab Báo cáo thôn, dòng 9"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_a_message_about_a_cell_opens_with_its_place_in_words(key):
    # "Ô H268 (Địa điểm): …" on the Phản ánh tab said the A1 address alone; every cell's message opens with {where}.
    text = MESSAGES[key].text
    assert text.startswith("{where}") or not {"cell", "row"} & set(placeholders(text)), text


def test_the_readable_check_output_prints_the_message_with_its_place_once():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"]])
    lines = [issue_line(i) for i in ds.issues[ISSUE_COLUMNS].to_dict("records")]
    assert lines == ["  [LỖI] " + _issue(ds, "not_a_number")["message"] + " (not_a_number)"]
    assert lines[0].count("C6") == 1


def test_a_date_typed_in_us_order_gives_its_example_once():
    ds = check(Bao_cao_thon=REPORTS + [["4/23/2026", "Thôn 1", 3]])
    message = _issue(ds, "bad_date")["message"]
    assert message.count("23/04/2026") == 1 and message.count("Hãy nhập") + message.count("hãy nhập") == 1, message


def test_a_blank_name_asks_to_pick_the_name_and_says_nothing_about_zero():
    ds = check(Bao_cao_thon=REPORTS + [[D3, None, 3]])
    message = _issue(ds, "missing_value")["message"]
    assert message == (
        "Tab Báo cáo thôn, dòng 6, cột Tên thôn (ô B6): chưa có tên thôn. Hãy bấm vào ô và chọn tên thôn trong danh sách "
        "thả xuống (hoặc gõ đúng tên như ở tab 'Thôn')."
    )
    roster = check(Thon=VILLAGES + [[None, "Sơn Lâm", 90, 60]])
    assert _issue(roster, "missing_value")["message"].startswith(
        "Tab Thôn, dòng 5, cột Tên thôn (ô A5): chưa có tên thôn. Hãy nhập tên thôn"
    )


def test_a_blank_number_says_a_blank_is_not_zero_and_how_to_write_zero():
    message = _issue(check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", None]]), "missing_value")["message"]
    assert message.startswith("Tab Báo cáo thôn, dòng 6, cột Số hộ đã cài đặt (ô C6): chưa có số. Hãy nhập số hộ")
    assert "hãy nhập số 0: ô để trống không được hiểu là 0." in message
    blank_date = _issue(check(Bao_cao_thon=REPORTS + [[None, "Thôn 1", 3]]), "missing_value")["message"]
    assert (
        blank_date.startswith("Tab Báo cáo thôn, dòng 6, cột Ngày báo cáo (ô A6): chưa có ngày. Hãy nhập ngày/tháng/năm")
        and "là 0" not in blank_date
    )


def test_a_table_with_a_place_column_shows_the_rest_of_the_message():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"]])
    wheres, whats = where_and_what(ds.issues)
    assert wheres == ["Tab Báo cáo thôn, dòng 6, cột Số hộ đã cài đặt (ô C6)"]
    assert whats[0].startswith("Không đọc được số. Hãy nhập")
    assert what("Không tìm thấy tab 'Thôn'.", "Thôn", None, "", "") == "Không tìm thấy tab 'Thôn'."


def test_a_village_reminder_lists_its_own_cells_with_what_to_type_and_its_page_link():
    ds = check(Bao_cao_thon=REPORTS + [[D3, "Thôn 1", "abc"], [D3, "Thôn Mới", 4], [D3, "Thôn Trung Hòa", None]])
    roster = list(ds.villages["name"])
    assert villages_with_issues(ds.issues, roster) == ["Thôn 1", "Thôn Trung Hòa"]  # "Thôn Mới" is the office's to check
    text = village_fixes(ds.issues, "Thôn 1", "https://bang.songiang.vn/")
    assert text.splitlines() == [
        "Thôn 1: số liệu i-HaTinh trên Google Sheet chung của xã có chỗ cần sửa.",
        "Cần sửa (1 ô, số ở các ô này đang chưa được tính):",
        "1. " + _issue(ds, "not_a_number")["message"] + " Trong ô đang ghi: “abc”.",
        "Sửa xong, số liệu được tính lại sau vài phút. Xin cảm ơn!",
        "Xem số liệu của Thôn 1: https://bang.songiang.vn/theo-thon?thon=Th%C3%B4n%201",
    ]
    assert "Thôn Trung Hòa" not in text and "http" not in village_fixes(ds.issues, "Thôn 1", "")
    assert village_fixes(ds.issues, "Thôn Yên Thọ").startswith(
        "Thôn Yên Thọ: số liệu i-HaTinh trên Google Sheet chung của xã không có ô nào"
    )
