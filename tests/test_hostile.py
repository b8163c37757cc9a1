"""Anything typed into a cell is shown as text: no HTML, no markdown links or images, no math, no javascript: URLs,
and no live formula in the tables a viewer can download."""

import datetime as dt
import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import D1, D2, D3, REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES, save_workbook
from lib.fmt import md_escape
from lib.safe_text import FORMULA_START, neutralize
from views import SCREENS
from views.phone import COPY_JS, STYLE

HOSTILE = [
    "<script>alert(1)</script>",
    "[bấm vào đây](javascript:alert(1))",
    "![ảnh](http://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "**Thôn đậm** _nghiêng_",
    "$\\frac{1}{2}$ :red[đỏ]",
    "$$\\KaTeX$$",
    "<b>Thôn in đậm</b>",
    "javascript:alert(1)",
    "[liên kết](http://evil.example)",
]
# Typed in the sheet, shown in a table: Excel would run these from the table's own "Download as CSV".
FORMULAS = ['=HYPERLINK("http://evil.example","bấm")', "@SUM(A1:A9)", "-2+3", "=cmd|' /C calc'!A0", "+1+1"]
AUDIENCE = "![x](http://evil/p.png) $$\\KaTeX$$ :red[x] <b>đậm</b> [bấm](javascript:alert(1))"
PAGES = [s.script.removeprefix("views/").removesuffix(".py") for s in SCREENS]


@pytest.fixture
def hostile_workbook(tmp_path, monkeypatch):
    names = HOSTILE + FORMULAS
    tabs = {
        "Thôn": VILLAGES + [[name, "<b>xã</b>", 100, 50] for name in names],
        "Báo cáo thôn": REPORTS
        + [[D2, name, 20] for name in names]
        + [[D1, HOSTILE[0], "<i>abc</i>"], [D3, "Thôn 1", FORMULAS[3]], [D3, "Thôn Yên Thọ", FORMULAS[1]]],
        "Đơn vị": UNITS + [["<script>unit()</script>", "[nhóm](javascript:x)", 10], [FORMULAS[0], FORMULAS[3], 10]],
        "Báo cáo đơn vị": UNIT_REPORTS + [[D2, "<script>unit()</script>", 5], [D2, FORMULAS[0], 5]],
        "Giai đoạn": [
            ["Giai đoạn", "Từ ngày", "Đến ngày", "Đối tượng"],
            ["[GĐ 1](http://evil.example)", D1 - dt.timedelta(days=1), D1 + dt.timedelta(days=3), AUDIENCE],
            ["<b>GĐ 2</b>", D1 + dt.timedelta(days=4), dt.date(2026, 12, 31), "Người dân :red[x] $$\\KaTeX$$"],
        ],
    }
    path = save_workbook(tmp_path / "hostile.xlsx", tabs)
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def elements(at: AppTest):
    found = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def open_page(page: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    if page == "villages":
        at.query_params["thon"] = HOSTILE[:3]
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    return at


PLAIN_TEXT = {"code", "text", "exception", "plotly_chart", "dataframe"}  # never parsed as markdown (charts: checked below)
MARKDOWN_FIELDS = {"body", "label", "help"}  # what Streamlit renders with markdown: bodies, labels, tooltips


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of every string a page hands Streamlit's markdown renderer: markdown, captions, titles,
    headers, alerts, metric labels and help, widget labels and help, expander labels."""
    found = []

    def collect(kind: str, message) -> None:
        for field, value in message.ListFields():
            if field.message_type is not None:
                for item in value if field.is_repeated else [value]:
                    collect(kind, item)
            elif field.name in MARKDOWN_FIELDS and isinstance(value, str):
                found.append((kind, value))

    for element in elements(at):
        if element.type not in PLAIN_TEXT:
            collect(element.type, element.proto)
    return [s for s in found if s != ("html", STYLE)]  # our own constant style sheet (views/phone.py): no cell text in it


def live_markdown(text: str) -> list[str]:
    """What in this markdown would still act: HTML, a link or image, math, a colour directive, a bare URL."""
    prose = re.sub(r"`[^`]*`", "", text)  # inline code (our own `[sheet]`) is shown literally
    bare = re.sub(r"\\.", "", prose)  # a backslash-escaped character is shown literally
    return [token for token in ("<", "[", "](", "$", "javascript:", "://", "www.") if token in bare]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_cells_render_as_text_on_every_page(hostile_workbook, page):
    at = open_page(page)
    for element in elements(at):
        kind = element.type
        if kind == "markdown":
            body = element.proto.body
            for raw in HOSTILE:
                assert raw not in body, (page, body)
            prose = re.sub(r"`[^`]*`", "", body)  # our own inline code (`[sheet]`) is literal anyway
            assert re.search(r"(?<!\\)[<\[]", prose) is None, (page, body)  # every < and [ escaped: no HTML, no links or images
        if kind == "plotly_chart":
            spec = json.loads(element.proto.spec)
            text = json.dumps(spec, ensure_ascii=False)
            for raw in [h for h in HOSTILE if "<" in h] + ["<b>xã</b>", "<i>abc</i>", "<script>unit()</script>"]:
                assert raw not in text, (page, raw)  # plotly renders a few HTML tags in labels; escaped text is inert
    if page == "villages":
        selected = at.multiselect(key="thon_select").value
        assert selected == HOSTILE[:3]


@pytest.mark.parametrize("page", PAGES)
def test_every_string_a_page_writes_as_markdown_is_inert(hostile_workbook, page):
    at = open_page(page)
    shown = markdown_strings(at)
    assert shown, page
    live = [(kind, text, tokens) for kind, text in shown if (tokens := live_markdown(text))]
    assert live == [], page
    if page == "phases":  # the phase names and audiences reach the page, escaped
        assert ("caption", md_escape(AUDIENCE)) in shown
        assert ("subheader", md_escape("<b>GĐ 2</b>")) in [(k, t.split(" (")[0]) for k, t in shown]


def table_text(at: AppTest) -> list[str]:
    return [v for frame in at.dataframe for column in frame.value.columns for v in frame.value[column] if isinstance(v, str)]


@pytest.mark.parametrize("page", PAGES)
def test_no_table_hands_a_spreadsheet_a_formula(hostile_workbook, page):
    at = open_page(page)
    live = [text for text in table_text(at) if text.startswith(FORMULA_START)]
    assert live == [], page
    shown = set(table_text(at))
    if page == "villages":
        assert {neutralize(f) for f in FORMULAS} <= shown  # the village names are there, each behind an apostrophe
    if page == "quality":
        assert neutralize(FORMULAS[3]) in shown  # what was typed in a count cell, quoted in its issue


EVIL_FILE = "[bấm](javascript:alert(1)) <b>x</b> $$\\KaTeX$$ :red[y].xlsx"  # a legal file name: no slash


@pytest.mark.parametrize("page", ["overview", "source"])
def test_a_file_name_quoted_in_an_error_stays_text(tmp_path, monkeypatch, page):
    monkeypatch.setenv("SONGIANG_SOURCE", str(tmp_path / EVIL_FILE))  # no such file: the message names it
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())
    st.cache_resource.clear()
    at = open_page(page)
    shown = markdown_strings(at)
    assert [text for kind, text in shown if kind == "error" and md_escape(EVIL_FILE) in text], shown
    assert [(kind, text) for kind, text in shown if live_markdown(text)] == []


@pytest.mark.parametrize("page", ["overview", "source"])
def test_an_uploaded_file_name_stays_text(hostile_workbook, page):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["uploaded_workbook"] = (EVIL_FILE, hostile_workbook.read_bytes())
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    shown = markdown_strings(at)
    assert [text for _, text in shown if md_escape(EVIL_FILE) in text], shown
    assert [(kind, text) for kind, text in shown if live_markdown(text)] == []


def test_the_zalo_copy_button_writes_its_sheet_derived_text_only_as_text():
    """The message reaches the component as data; its script puts it on the clipboard or in a textarea's value,
    never into markup, so a village named <img onerror=…> is copied as those characters."""
    assert re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", COPY_JS) is None
    assert "clipboard.writeText(data.text)" in COPY_JS and "area.value = data.text" in COPY_JS
