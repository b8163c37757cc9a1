"""Vietnamese alphabetical order for names: a ă â b c d đ e ê g … o ô ơ … u ư v x y, tones after letters.

Python's own order puts "Đ" after "Z" (U+0110) and "Ă" after every plain letter, so a list of villages
sorted with `sorted()` ends with "Thôn Đông Tiến". Dictionaries compare the letters first (ă, â, đ, ê,
ô, ơ, ư are letters of their own) and only then the tones, in the order ngang, huyền, hỏi, ngã, sắc,
nặng; numbers compare as numbers (Thôn 2 before Thôn 10).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from lib.normalize import name_key

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
# Marks that make a letter of its own (breve, circumflex, horn) and the five tones, in dictionary order.
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WITH_MARK = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}
_CHUNK = re.compile(r"\d+|\D")


@lru_cache(maxsize=65536)
def vi_sort_key(name: object) -> tuple:
    """The key that orders names as a Vietnamese dictionary does: Đ after D, Ă after A, tones last, 2 before 10."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for chunk in _CHUNK.findall(unicodedata.normalize("NFD", name_key(name))):
        if chunk.isdigit():
            letters.append((0, int(chunk)))
            continue
        if unicodedata.combining(chunk):
            if chunk in _TONE_RANK and tones:
                tones[-1] = _TONE_RANK[chunk]
            elif chunk in _LETTER_MARKS and letters and letters[-1][0] == 2:
                base = _ALPHABET[letters[-1][1]]
                marked = _WITH_MARK.get((base, "ă" if chunk == "\u0306" else _LETTER_MARKS[chunk]))
                if marked:
                    letters[-1] = (2, _RANK[marked])
            continue
        if chunk.isspace():
            letters.append((-1, 0))  # a shorter word first: "Hà Trai" before "Hàm"
        elif chunk in _RANK:
            letters.append((2, _RANK[chunk]))
        else:
            letters.append((1, ord(chunk)))
        tones.append(0)
    return (tuple(letters), tuple(tones), str(name))


def vi_sorted(names: Iterable[object], reverse: bool = False) -> list:
    """Names in Vietnamese alphabetical order."""
    return sorted(names, key=vi_sort_key, reverse=reverse)


def by_name(column: pd.Series) -> pd.Series:
    """A `sort_values(key=…)` for name columns: each name's rank in Vietnamese order (other columns pass through)."""
    values = column.dropna()
    if not all(isinstance(v, str) for v in values):
        return column
    ranks = {name: i for i, name in enumerate(vi_sorted(set(values)))}
    return column.map(ranks)
