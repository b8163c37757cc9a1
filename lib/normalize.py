"""Vietnamese text keys, numbers and dates as village heads really type them.

Every parser returns a small result instead of raising, so validation can turn a bad
cell into one issue record (code + Vietnamese message) and carry on. The reasons given are
worded in `lib.validation.messages.PHRASES`, with every other sentence shown to people.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lib.validation.messages import phrase

SHEETS_EPOCH = dt.date(1899, 12, 30)  # day 0 of Google Sheets / Excel serial dates
# No figure of this campaign (i-HaTinh, the commune merged in 2025) can predate 2020; anything
# outside these years is a typo such as 0206 or 1926, and would stretch every weekly series.
FIRST_PLAUSIBLE_DATE = dt.date(2020, 1, 1)
LAST_PLAUSIBLE_DATE = dt.date(2099, 12, 31)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# Old-style placement puts the tone on the second vowel of a final oa/oe/uy ("hoà", "thuỷ");
# the key moves it to the first ("hòa", "thủy"). "qu" + y keeps it on y ("quý").
_OLD_TONE = re.compile(rf"(?<!q)(o)([ae])([{_TONES}])(?![\w\u0300-\u036f])|(?<!q)(u)(y)([{_TONES}])(?![\w\u0300-\u036f])")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
# Characters that real Vietnamese never uses but VNI / TCVN3 text shown as Unicode is full of.
_LEGACY_CHARS = frozenset("äåæçëîïðñöøûüþÿÄÅÆÇËÎÏÐÑÖØÛÜÞ¨©ª«¬®¯±²³´µ¶·¸¹º»¼½¾§¡¢¤¥¦")


def clean_text(value: object) -> str:
    """Return cell text as NFC with invisible characters dropped and whitespace collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_ZERO_WIDTH)
    return _SPACES.sub(" ", text).strip()


def _move_old_tones(nfd: str) -> str:
    def swap(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + m.group(3) + m.group(2)
        return m.group(4) + m.group(6) + m.group(5)

    return _OLD_TONE.sub(swap, nfd)


@lru_cache(maxsize=65536)
def name_key(value: object) -> str:
    """Canonical key of a village or unit name: case, Unicode form, tone placement, spaces, 01=1."""
    text = clean_text(value).casefold()
    text = unicodedata.normalize("NFC", _move_old_tones(unicodedata.normalize("NFD", text)))
    return _LEADING_ZEROS.sub("", text)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """What a typed name was read as: the known name (None when nothing is close), and whether it was spelled exactly."""

    typed: str
    name: str | None
    exact: bool


_NAME_PREFIXES = ("thon ", "xom ", "to dan pho ", "to ")
_DIGITS = re.compile(r"\d+")
_MARGIN = 0.1  # a typo is read as a name only when no other name is about as close ("Trung": Trung Hạ or Trung Hòa?)


def loose_key(value: object) -> str:
    """`ascii_key` without a leading 'Thôn' / 'Xóm' / 'Tổ dân phố' / 'Tổ': 'Kim Cuong' = 'Thôn Kim Cương'."""
    key = ascii_key(value)
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def match_names(known: Iterable[str], typed: Iterable[str], cutoff: float = 0.72) -> list[NameMatch]:
    """Read each typed name as a known one, as the reader reads a village name: the exact key, then without
    diacritics, then without the word 'Thôn', then a close typo (never a different number: 'Thôn 8' is not 'Thôn 1').

    An approximate spelling that fits two known names equally is not guessed. Each typed name gives one match, in order.
    """
    names = list(known)
    by_key = {name_key(n): n for n in names}
    indexes: list[tuple[dict[str, set[str]], object]] = []
    for fold in (ascii_key, loose_key):
        index: dict[str, set[str]] = {}
        for n in names:
            index.setdefault(fold(n), set()).add(n)
        indexes.append((index, fold))
    loose_index = indexes[1][0]
    found = []
    for text in typed:
        if name_key(text) in by_key:
            found.append(NameMatch(text, by_key[name_key(text)], True))
            continue
        hit = next((next(iter(ix[f(text)])) for ix, f in indexes if len(ix.get(f(text), ())) == 1), None)  # type: ignore[operator]
        if hit is None:
            probe = loose_key(text)
            digits = _DIGITS.findall(probe)
            keys = [k for k in loose_index if _DIGITS.findall(k) == digits]
            close = difflib.get_close_matches(probe, keys, n=2, cutoff=cutoff - _MARGIN)
            ratio = [difflib.SequenceMatcher(None, probe, k).ratio() for k in close]
            clear = len(close) == 1 or (len(close) == 2 and ratio[0] - ratio[1] >= _MARGIN)
            if close and ratio[0] >= cutoff and clear and len(loose_index[close[0]]) == 1:
                hit = next(iter(loose_index[close[0]]))
        found.append(NameMatch(text, hit, False))
    return found


def pick_names(known: Iterable[str], typed: Iterable[str]) -> list[str]:
    """The known names that `typed` spells (as `match_names` forgives), in the order typed, each once; the rest dropped."""
    return list(dict.fromkeys(m.name for m in match_names(known, typed) if m.name is not None))


@lru_cache(maxsize=65536)
def ascii_key(value: object) -> str:
    """Key with every diacritic dropped (đ→d): for 'did you mean' suggestions and headers."""
    nfd = unicodedata.normalize("NFD", name_key(value))
    bare = "".join(c for c in nfd if not unicodedata.combining(c))
    return bare.replace("đ", "d")


def header_key(value: object) -> str:
    """Key of a column header or tab title: no diacritics, case, trailing '(unit)', ':' or '*'."""
    text = clean_text(value)
    text = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]\s*$", "", text)
    text = text.rstrip(":*. ").strip()
    return ascii_key(text)


_VNI_PAIRS = re.compile(r"[aeoAEO][âÂêÊ]")


def looks_legacy_encoded(text: str) -> bool:
    """True for text typed in VNI/TCVN3 and read as Unicode ("Xin chaøo", "Thoân", "Th«n")."""
    return any(c in _LEGACY_CHARS for c in text) or bool(_VNI_PAIRS.search(text))


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed cell: value on success, else an issue code and a Vietnamese reason."""

    value: object = None
    code: str | None = None
    reason: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None and self.code is None


BLANK = Parsed()
_THOUSANDS = re.compile(r"^[+]?\d{1,3}(?:\.\d{3})+$")
_PLAIN = re.compile(r"^[+-]?\d+$")
_COMMA_THOUSANDS = re.compile(r"^[+]?\d{1,3}(?:,\d{3})+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_UNIT_WORDS = frozenset(
    header_key(w)
    for w in (
        "hộ",
        "hộ dân",
        "hộ gia đình",
        "người",
        "người dân",
        "cán bộ",
        "cb",
        "cbccvc",
        "ccvc",
        "đồng chí",
        "đ/c",
        "tài khoản",
        "tk",
        "phản ánh",
        "pa",
        "lượt",
        "máy",
        "điện thoại",
    )
)
_UNIT_SUFFIX = re.compile(r"^([+-]?[\d.,\s]*\d)\s*([^\d\s%.,+-][^\d%]*)?$")


def parse_count(value: object) -> Parsed:
    """Parse a whole number ≥ 0 as typed in Vietnam: 1.234 = 1234, '45 hộ' = 45, blank ≠ 0."""
    if value is None or isinstance(value, bool):
        return BLANK if value is None else Parsed(code="not_a_number", reason=phrase("count.true_false"))
    if isinstance(value, (int, float)):
        return _check_count(float(value))
    text = clean_text(value)
    if not text:
        return BLANK
    if "%" in text:
        return Parsed(code="not_a_number", reason=phrase("count.percent"))
    m = _UNIT_SUFFIX.match(text)
    if not m:
        return Parsed(code="not_a_number", reason=phrase("count.unreadable"))
    digits = m.group(1).replace(" ", "")
    if m.group(2) and header_key(m.group(2)) not in _UNIT_WORDS:
        return Parsed(code="not_a_number", reason=phrase("count.word_after", word=m.group(2).strip()))
    if _THOUSANDS.match(digits):
        return _check_count(float(digits.replace(".", "")))
    if _PLAIN.match(digits):
        return _check_count(float(digits))
    if _COMMA_THOUSANDS.match(digits):
        # 1,000 is one thousand in English but 1 in Vietnamese (the comma marks decimals): never guess.
        whole = digits.lstrip("+").replace(",", "")
        return Parsed(code="comma_in_count", reason=phrase("count.comma", digits=digits, whole=whole))
    if _DECIMAL.match(digits):
        return _check_count(float(digits.replace(",", ".")), typed=text)
    return Parsed(code="not_a_number", reason=phrase("count.unreadable"))


def _check_count(number: float, typed: str | None = None) -> Parsed:
    if math.isnan(number) or math.isinf(number):
        return Parsed(code="not_a_number", reason=phrase("count.unreadable"))
    if number < 0:
        return Parsed(code="negative", reason=phrase("count.negative"))
    if number != int(number):
        return Parsed(code="not_whole", reason=phrase("count.not_whole_comma" if typed and "," in typed else "count.not_whole"))
    if number > 100_000_000:
        return Parsed(code="not_a_number", reason=phrase("count.too_large"))
    return Parsed(value=int(number))


_DATE_TEXT = re.compile(r"^(?:ngày\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(value: object, today: dt.date) -> Parsed:
    """Parse a report date: date cells, Sheets serial numbers, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd.

    A date without a year (31/12) is refused rather than given today's year, and a year outside
    FIRST_PLAUSIBLE_DATE..LAST_PLAUSIBLE_DATE is refused: either would stretch the weekly series.
    `today` only fills the example in a message, never a value.
    """
    if value is None:
        return BLANK
    if isinstance(value, dt.datetime):
        return _plausible(value.date())
    if isinstance(value, dt.date):
        return _plausible(value)
    if isinstance(value, bool):
        return Parsed(code="bad_date", reason=phrase("date.true_false"))
    if isinstance(value, (int, float)):
        if math.isnan(value) or not 20000 <= value <= 80000:
            return Parsed(code="bad_date", reason=phrase("date.bad_serial"))
        return _plausible(SHEETS_EPOCH + dt.timedelta(days=int(value)))
    text = clean_text(value).casefold()
    if not text:
        return BLANK
    if m := _ISO_DATE.match(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _DATE_TEXT.match(text)
    if not m:
        return Parsed(code="bad_date", reason=phrase("date.unreadable"))
    day, month = int(m.group(1)), int(m.group(2))
    if m.group(3) is None:
        # Guessing the year from today would move the report a year once the calendar turns.
        return Parsed(code="bad_date", reason=phrase("date.no_year", text=text, example=f"{day:02d}/{month:02d}/{today.year}"))
    year = int(m.group(3))
    year += 2000 if year < 100 else 0
    if month > 12 and day <= 12:
        return Parsed(code="bad_date", reason=phrase("date.us_order", month=month, example=f"{month:02d}/{day:02d}/{year}"))
    return _make_date(year, month, day, text)


def _make_date(year: int, month: int, day: int, text: str) -> Parsed:
    try:
        return _plausible(dt.date(year, month, day))
    except ValueError:
        return Parsed(code="bad_date", reason=phrase("date.not_in_calendar", text=text))


def _plausible(day: dt.date) -> Parsed:
    if FIRST_PLAUSIBLE_DATE <= day <= LAST_PLAUSIBLE_DATE:
        return Parsed(value=day)
    reason = phrase("date.implausible_year", year=day.year, first=FIRST_PLAUSIBLE_DATE.year, last=LAST_PLAUSIBLE_DATE.year)
    return Parsed(code="bad_date", reason=reason)


def parse_percent(value: object) -> Parsed:
    """Parse a target such as 70, '70 %', '70,5%' or a percent-formatted 0.7 into a fraction."""
    if value is None or isinstance(value, bool):
        return BLANK if value is None else Parsed(code="bad_setting", reason=phrase("percent.true_false"))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = clean_text(value).replace("%", "").replace(" ", "")
        if not text:
            return BLANK
        if not _DECIMAL.match(text):
            return Parsed(code="bad_setting", reason=phrase("percent.unreadable"))
        number = float(text.replace(",", "."))
    if number <= 1:
        number *= 100
    if not 0 < number <= 100:
        return Parsed(code="bad_setting", reason=phrase("percent.out_of_range"))
    return Parsed(value=round(number / 100, 6))


WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_WEEKDAY_WORDS = {
    **{header_key(name): i for i, name in enumerate(WEEKDAYS_VI)},
    **{f"thu {n}": n - 2 for n in range(2, 8)},
    **{f"t{n}": n - 2 for n in range(2, 8)},
    "chu nhat": 6,
    "cn": 6,
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
}


def parse_weekday(value: object) -> Parsed:
    """Parse 'Thứ Năm', 'thứ 5', 'T5' or 'Thursday' into Python's weekday number (Thursday = 3)."""
    key = header_key(value)
    if not key:
        return BLANK
    if key in _WEEKDAY_WORDS:
        return Parsed(value=_WEEKDAY_WORDS[key])
    return Parsed(code="bad_setting", reason=phrase("weekday.unknown"))


def report_week(day: dt.date, weekday: int) -> dt.date:
    """The report day (e.g. Thursday) nearest to a date: the week a report belongs to."""
    delta = (weekday - day.weekday()) % 7
    if delta > 3:
        delta -= 7
    return day + dt.timedelta(days=delta)


def upcoming_report_day(day: dt.date, weekday: int) -> dt.date:
    """The first report day on or after a date: the report week still open that day (Monday → this Thursday, Friday → next)."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def column_letter(index: int) -> str:
    """0-based column index to A1 letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
