"""AppTest: the overview's data-health line, the `?loc=` list on Chất lượng dữ liệu, and forgiving `?thon=` links."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import TODAY
from lib import dashboard, data_health
from lib.config import SAMPLE_PATH
from lib.live import resolve
from lib.pipeline import load
from lib.vi_sort import vi_sorted

TIMEOUT = 60


@pytest.fixture(autouse=True)
def sample(monkeypatch, fresh_caches):
    """The bundled sample (24 villages, a few planted mistakes), read as of TODAY; caches cleared around each test."""
    monkeypatch.delenv("SONGIANG_SOURCE", raising=False)
    monkeypatch.setenv("SONGIANG_TODAY", TODAY.isoformat())


@pytest.fixture
def board():
    return dashboard.build(load(resolve(str(SAMPLE_PATH)), TODAY).ds)


def open_page(page: str = "overview", **query: list[str]) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    for name, values in query.items():
        at.query_params[name] = values
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    return at


def test_the_overview_links_each_thing_that_is_off_to_the_quality_screen_filtered_to_it(board):
    at = open_page()
    links = [(p.proto.label, p.proto.page, p.proto.query_string) for p in at.get("page_link") if p.proto.query_string]
    expected = [(i.text, "chat-luong", f"loc={i.code}") for i in data_health.health(board)]
    assert links == expected
    assert [code for _, _, code in links] == ["loc=loai", "loc=so-cu", "loc=khong-tang", "loc=vuot-100"]
    assert links[0][0] == f"{sum(n['rejected'] for n in board.ds.rows.values())} dòng bị loại" == "5 dòng bị loại"


def test_the_overview_says_nothing_about_data_health_when_all_is_well(tmp_path, monkeypatch):
    from lib.sample import SampleSpec, write_xlsx

    path = write_xlsx(SampleSpec(villages=6, units=3, weeks=3, seed=1, mistakes=False), tmp_path / "clean.xlsx")
    monkeypatch.setenv("SONGIANG_SOURCE", str(path))
    ds = load(resolve(str(path)), TODAY).ds
    assert data_health.health(dashboard.build(ds)) == []
    at = open_page()
    assert not [p for p in at.get("page_link") if p.proto.query_string]
    assert not any("Số liệu cần xem lại" in m.value for m in at.markdown)


@pytest.mark.parametrize("code", data_health.CODES)
def test_each_filter_lists_what_it_names_with_a_heading_and_a_way_back(board, code):
    at = open_page("quality", loc=[code])
    item = data_health.item(board, code)
    assert item.heading in [h.value for h in at.subheader]
    if item.count:
        shown = next(d.value for d in at.dataframe if "why" in d.value.columns)
        assert list(shown["why"]) == list(item.rows["why"])
    else:
        assert any("Không có gì cần xem lại" in s.value for s in at.success)
    at.button(key="health_clear").click().run()
    assert "loc" not in at.query_params
    assert item.heading not in [h.value for h in at.subheader]


def test_the_carried_village_is_listed_with_its_figure_and_why(board):
    at = open_page("quality", loc=["so-cu"])
    shown = next(d.value for d in at.dataframe if "why" in d.value.columns)
    assert shown.to_dict("list") == {
        "name": ["Thôn Kim Cương"],
        "figure": ["65,1 % (86/132 hộ)"],
        "why": ["Chưa báo cáo tuần 26/11/2026; dùng số của báo cáo 19/11/2026"],
    }


def test_an_unknown_filter_says_so_in_vietnamese():
    at = open_page("quality", loc=["sai-roi"])
    assert any("Không có bộ lọc “sai\\-roi”" in w.value for w in at.warning)


def test_a_link_with_names_typed_every_which_way_selects_the_right_villages_and_says_how_it_read_them():
    typed = ["khe tre", "Thon Dong Tien", "Kim Cuong", "Thôn Khế Tre", "Không có"]
    at = open_page("villages", thon=typed)
    assert at.multiselect(key="thon_select").value == ["Thôn Khe Tre", "Thôn Đông Tiến", "Thôn Kim Cương"]
    captions = [c.value for c in at.caption]
    for said, name in (("khe tre", "Thôn Khe Tre"), ("Thon Dong Tien", "Thôn Đông Tiến"), ("Kim Cuong", "Thôn Kim Cương")):
        assert f"Đã hiểu “{said}” là “{name}”." in captions
    assert "Đã hiểu “Thôn Khế Tre” là “Thôn Khe Tre”." in captions
    assert [w.value for w in at.warning if "Không tìm thấy" in w.value] == ["Không tìm thấy “Không có” trong danh sách thôn."]
    assert at.query_params["thon"] == ["Thôn Khe Tre", "Thôn Đông Tiến", "Thôn Kim Cương"]  # the link now names them exactly


def test_typing_a_name_without_diacritics_in_the_search_box_adds_the_village():
    at = open_page("villages")
    at.text_input(key="thon_search").input("dong tien").run()
    assert at.multiselect(key="thon_select").value == ["Thôn Đông Tiến"]
    at.text_input(key="thon_search").input("thon trung").run()  # Trung Hòa, Trung Thượng, Trung Hạ: all three
    assert at.multiselect(key="thon_select").value == ["Thôn Đông Tiến", "Thôn Trung Hạ", "Thôn Trung Hòa", "Thôn Trung Thượng"]
    at.text_input(key="thon_search").input("xyz").run()
    assert any("Không tìm thấy “xyz”" in w.value for w in at.warning)


def test_the_village_picker_lists_names_in_vietnamese_order():
    at = open_page("villages")
    options = at.multiselect(key="thon_select").options
    assert options.index("Thôn Đông Tiến") == options.index("Thôn Hà Trai") - 1 and options[-1] == "Thôn Yên Thọ"


def test_the_lagging_list_says_how_many_more_villages_lag(board):
    at = open_page()
    behind = board.villages_at(board.summary.as_of)
    behind = behind[~behind["meets_target"]]
    shown = next(d.value for d in at.dataframe if "needed" in d.value.columns)
    assert len(shown) == 5
    assert len(behind) == 6  # the sample: 18 of 24 villages meet the target
    assert any("và 1 thôn khác chưa đạt" in c.value for c in at.caption)
    assert all(r.endswith(" %") and "," in r for r in shown["rate"])


def test_the_quality_screens_filters_list_tabs_and_names_in_vietnamese_order():
    # Python's sorted() put "Báo cáo thôn" before "Báo cáo đơn vị" (Đ is U+0110, after every plain letter).
    at = open_page("quality")
    assert at.multiselect(key="f_tab").options == ["Báo cáo đơn vị", "Báo cáo thôn", "Phản ánh"]
    subjects = at.multiselect(key="f_subject").options
    assert subjects == vi_sorted(subjects) and len(subjects) > 1


@pytest.mark.parametrize("typed", ["x" * 10_000, "<script>alert(1)</script> **b** [x](javascript:alert(1))"])
@pytest.mark.parametrize(("page", "param"), [("villages", "thon"), ("quality", "loc")])
def test_a_very_long_or_marked_up_link_parameter_is_echoed_short_and_inert(page, param, typed):
    # A 10.000-character ?thon= was echoed whole in the "Không tìm thấy" warning.
    at = open_page(page, **{param: [typed]})
    said = [w.value for w in at.warning]
    assert len(said) == 1 and len(said[0]) < 250, [len(w) for w in said]
    if typed.startswith("x"):
        assert "x" * 59 + "…" in said[0]
    else:
        assert "\\<script\\>" in said[0] and "\\*\\*b\\*\\*" in said[0] and "\\[x\\]\\(javascript" in said[0]
