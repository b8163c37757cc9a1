"""Names as people type them in a link, and names in Vietnamese dictionary order."""

import pandas as pd
import pytest

from lib.normalize import NameMatch, match_names, pick_names
from lib.sample import VILLAGE_NAMES
from lib.vi_sort import by_name, vi_sort_key, vi_sorted

KNOWN = [n for names in VILLAGE_NAMES.values() for n in names]


@pytest.mark.parametrize(
    ("typed", "name", "exact"),
    [
        ("khe tre", "Thôn Khe Tre", False),  # no "Thôn", no capitals
        ("Thon Dong Tien", "Thôn Đông Tiến", False),  # no diacritics, đ typed as d
        ("Kim Cuong", "Thôn Kim Cương", False),
        ("Thôn Khế Tre", "Thôn Khe Tre", False),  # a wrong tone
        ("  thôn   KHE  tre ", "Thôn Khe Tre", True),  # spacing and case only
        ("Thôn Khe Tree", "Thôn Khe Tre", False),  # a close typo
        ("Tan Diem", "Thôn Tân Diệm", False),
        ("thôn 02", "Thôn 2", True),
        ("Thôn Trung Hoà", "Thôn Trung Hòa", True),  # old tone placement
    ],
)
def test_a_typed_village_name_is_read_as_the_reader_reads_it(typed, name, exact):
    assert match_names(KNOWN, [typed]) == [NameMatch(typed, name, exact)]


@pytest.mark.parametrize(
    "typed",
    [
        "Thôn 8",  # one digit off "Thôn 1" but a different village number is never a typo
        "Trung",  # Trung Hòa, Trung Hạ or Trung Thượng: not guessed
        "Thôn Mới",
        "Không có",
        "",
    ],
)
def test_a_name_that_is_no_village_or_could_be_several_is_not_guessed(typed):
    assert match_names(KNOWN, [typed])[0].name is None


def test_pick_names_keeps_the_order_typed_and_each_village_once():
    typed = ["Kim Cuong", "thôn 02", "Không có", "Thôn Kim Cương", "khe tre"]
    assert pick_names(KNOWN, typed) == ["Thôn Kim Cương", "Thôn 2", "Thôn Khe Tre"]


def test_two_villages_that_differ_only_by_diacritics_are_not_guessed_without_them():
    known = ["Thôn Hà", "Thôn Hạ"]
    assert [m.name for m in match_names(known, ["Thôn Hạ", "thon ha"])] == ["Thôn Hạ", None]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Thôn Dương", "Thôn Đông"),  # Đ after D …
        ("Thôn Đông", "Thôn Em"),  # … and before E, not after Y
        ("Thôn An", "Thôn Ăn"),
        ("Thôn Ăn", "Thôn Ân"),
        ("Thôn Ân", "Thôn Ba"),
        ("Thôn Em", "Thôn Êm"),
        ("Thôn Êm", "Thôn Gia"),
        ("Thôn On", "Thôn Ôn"),
        ("Thôn Ôn", "Thôn Ơn"),
        ("Thôn Ơn", "Thôn Phú"),
        ("Thôn Ung", "Thôn Ưng"),
        ("Thôn Ưng", "Thôn Vân"),
        ("Thôn Ca", "Thôn Cà"),  # tones: ngang, huyền, hỏi, ngã, sắc, nặng
        ("Thôn Cà", "Thôn Cả"),
        ("Thôn Cả", "Thôn Cã"),
        ("Thôn Cã", "Thôn Cá"),
        ("Thôn Cá", "Thôn Cạ"),
        ("Thôn Cạ", "Thôn Cam"),  # letters before tones
        ("Thôn 2", "Thôn 10"),  # numbers as numbers
        ("Thôn Hà Trai", "Thôn Hàm"),  # a shorter word first
        ("thôn an", "Thôn Bình"),  # case does not matter
    ],
)
def test_names_sort_as_a_vietnamese_dictionary_does(before, after):
    assert vi_sort_key(before) < vi_sort_key(after)
    assert vi_sorted([after, before]) == [before, after]


def test_the_sample_villages_end_with_y_not_with_d_stroke():
    ordered = vi_sorted(KNOWN)
    assert ordered[-1] == "Thôn Yên Thọ"
    assert ordered.index("Thôn Đông Tiến") == ordered.index("Thôn Hà Trai") - 1


def test_the_same_name_in_nfd_or_old_tone_marks_sorts_in_the_same_place():
    assert vi_sort_key("Thôn Trung Hoà")[:2] == vi_sort_key("Thôn Trung Hòa")[:2]


def test_a_pandas_sort_by_name_uses_vietnamese_order_and_leaves_numbers_alone():
    frame = pd.DataFrame({"name": ["Thôn Yên", "Thôn Đông", "Thôn Dương", "Thôn Ân"], "rate": [0.5, 0.5, 0.1, 0.5]})
    assert list(frame.sort_values(["rate", "name"], key=by_name)["name"]) == ["Thôn Dương", "Thôn Ân", "Thôn Đông", "Thôn Yên"]
