"""Anything typed into a cell is shown as text: no HTML, no markdown links or images, no javascript: URLs."""

import json
import re

import pytest
import streamlit as st
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from conftest import D1, D2, REPORTS, TODAY, UNIT_REPORTS, UNITS, VILLAGES
from lib.safe_text import write_text

HOSTILE = [
    "<script>alert(1)</script>",
    "[bấm vào đây](javascript:alert(1))",
    "![ảnh](http://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "**Thôn đậm** _nghiêng_",
    "$\\frac{1}{2}$ :red[đỏ]",
]
PAGES = ["overview", "villages", "units", "phases", "report", "quality", "source"]


@pytest.fixture
def hostile_workbook(tmp_path, monkeypatch):
    villages = VILLAGES + [[name, "<b>xã</b>", 100, 50] for name in HOSTILE]
    reports = REPORTS + [[D2, name, 20] for name in HOSTILE] + [[D1, HOSTILE[0], "<i>abc</i>"]]
    units = UNITS + [["<script>unit()</script>", "[nhóm](javascript:x)", 10]]
    tabs = {
        "Thôn": villages,
        "Báo cáo thôn": reports,
        "Đơn vị": units,
        "Báo cáo đơn vị": UNIT_REPORTS + [[D2, "<script>unit()</script>", 5]],
    }
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    write_text(sheet.cell(row=r, column=c), value)
                else:
                    sheet.cell(row=r, column=c, value=value)
    path = tmp_path / "hostile.xlsx"
    book.save(path)
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


@pytest.mark.parametrize("page", PAGES)
def test_hostile_cells_render_as_text_on_every_page(hostile_workbook, page):
    at = AppTest.from_file("../app.py", default_timeout=60)
    if page == "villages":
        at.query_params["thon"] = HOSTILE[:3]
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
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
