import datetime as dt
import unicodedata

import pytest

from lib.fmt import fmt_int, fmt_pct, fmt_pp
from lib.normalize import (
    ascii_key,
    column_letter,
    header_key,
    looks_legacy_encoded,
    name_key,
    parse_count,
    parse_date,
    parse_percent,
    parse_weekday,
    pick_names,
    report_week,
)

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Thôn Trung Hoà", "Thôn Trung Hòa"),
        ("Thôn Phú Thuỷ", "Thôn Phú Thủy"),
        ("Trạm y tế khoẻ", "Trạm Y tế khỏe"),
        (unicodedata.normalize("NFD", "Thôn Trung Hòa"), "Thôn Trung Hòa"),
        ("thôn 01", "Thôn 1"),
        ("Thôn  1 ", "Thôn 1"),
        ("Thôn\u00a01", "Thôn 1"),
        ("Thôn\u200b 1", "Thôn 1"),
        ("THÔN YÊN THỌ", "Thôn Yên Thọ"),
    ],
)
def test_spellings_of_one_village_share_one_key(typed, canonical):
    assert name_key(typed) == name_key(canonical)


@pytest.mark.parametrize(("a", "b"), [("Thôn 1", "Thôn 10"), ("Thôn Hòa", "Thôn Hoa"), ("Quý", "Qúy"), ("Thôn 101", "Thôn 11")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_qu_plus_y_keeps_its_tone_on_y():
    assert name_key("Quý") == "quý"


def test_ascii_key_drops_every_diacritic_and_d_stroke():
    assert ascii_key("Đông Tiến") == "dong tien"


@pytest.mark.parametrize(
    ("typed", "key"), [("Tong so ho (hộ)", "tong so ho"), ("Tổng  số hộ:", "tong so ho"), ("SỐ HỘ CÓ ĐTTM*", "so ho co dttm")]
)
def test_headers_match_ignoring_case_diacritics_and_a_trailing_unit(typed, key):
    assert header_key(typed) == key


@pytest.mark.parametrize("text", ["Xin chaøo", "Thoân 1", "Th«n Trung Hßa", "Thoân Trung Hoøa"])
def test_legacy_vni_and_tcvn3_text_is_recognised(text):
    assert looks_legacy_encoded(text)


@pytest.mark.parametrize("text", ["Thôn Trung Hòa", "Thôn Quang Thủy", "Trường THCS Sơn Giang", "Tuần 1", "Thôn Khe Tre"])
def test_real_vietnamese_is_not_mistaken_for_legacy_text(text):
    assert not looks_legacy_encoded(text)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("45 hộ", 45),
        ("30 người", 30),
        ("1 200", 1200),
        (12, 12),
        (12.0, 12),
        ("12.0", 12),
        ("+7", 7),
        (" 08 ", 8),
        ("1.200 hộ", 1200),
    ],
)
def test_counts_are_read_as_vietnamese_type_them(typed, value):
    assert parse_count(typed).value == value


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc", "not_a_number"),
        ("12,5", "not_whole"),
        (12.5, "not_whole"),
        ("12.5", "not_whole"),
        ("-3", "negative"),
        (-1, "negative"),
        ("70%", "not_a_number"),
        ("45 con gà", "not_a_number"),
        ("3-4", "not_a_number"),
        (True, "not_a_number"),
        (float("nan"), "not_a_number"),
        ("1e5", "not_a_number"),
    ],
)
def test_bad_counts_get_an_issue_code(typed, code):
    assert parse_count(typed).code == code


@pytest.mark.parametrize(("typed", "whole"), [("1,000", "1000"), ("2,500 hộ", "2500"), ("1,234,567", "1234567"), ("+1,000", "1000")])
def test_a_comma_thousands_separator_is_refused_with_the_number_to_type(typed, whole):
    parsed = parse_count(typed)
    assert (parsed.value, parsed.code) == (None, "comma_in_count")
    assert f"nhập {whole} (không dùng dấu phẩy)" in parsed.reason


@pytest.mark.parametrize("typed", [None, "", "   ", "\u00a0"])
def test_blank_is_never_zero(typed):
    parsed = parse_count(typed)
    assert parsed.blank and parsed.value is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        (dt.date(2026, 4, 23), dt.date(2026, 4, 23)),
        (dt.datetime(2026, 4, 23, 9, 30), dt.date(2026, 4, 23)),
        (46135, dt.date(2026, 4, 23)),
        (46135.4, dt.date(2026, 4, 23)),
        ("23/04/2026", dt.date(2026, 4, 23)),
        ("23/4/2026", dt.date(2026, 4, 23)),
        ("23-04-2026", dt.date(2026, 4, 23)),
        ("23.04.2026", dt.date(2026, 4, 23)),
        ("23/4/26", dt.date(2026, 4, 23)),
        ("2026-04-23", dt.date(2026, 4, 23)),
        ("ngày 23/04/2026", dt.date(2026, 4, 23)),
    ],
)
def test_dates_in_every_usual_shape_are_read(typed, day):
    assert parse_date(typed, TODAY).value == day


def test_serial_46135_is_thursday_23_april_2026():
    day = parse_date(46135, TODAY).value
    assert day == dt.date(2026, 4, 23) and day.weekday() == 3


@pytest.mark.parametrize("typed", ["4/23/2026", "31/02/2026", "hôm qua", "23/13/2026", 5, True])
def test_bad_and_us_order_dates_are_errors_not_guesses(typed):
    assert parse_date(typed, TODAY).code == "bad_date"


@pytest.mark.parametrize("today", [dt.date(2026, 11, 29), dt.date(2027, 1, 2), dt.date(2025, 6, 1)])
@pytest.mark.parametrize("typed", ["31/12", "23/4", "ngày 1/5"])
def test_a_date_without_a_year_is_refused_whatever_the_day_it_is_read(typed, today):
    parsed = parse_date(typed, today)
    assert (parsed.value, parsed.code) == (None, "bad_date")
    assert "không ghi năm" in parsed.reason and "không tự đoán năm" in parsed.reason


@pytest.mark.parametrize(
    "typed",
    [
        "0206-04-23",
        "23/04/1926",
        "0001-01-01",
        dt.date(1, 1, 1),
        dt.datetime(1926, 4, 23, 8, 0),
        dt.date(9999, 12, 31),
        "31/12/2150",
        20000,
    ],
)
def test_a_date_outside_the_plausible_years_is_refused_naming_the_year(typed):
    parsed = parse_date(typed, TODAY)
    assert (parsed.value, parsed.code) == (None, "bad_date")
    assert "không hợp lý" in parsed.reason
    assert [parse_date(day, TODAY).value for day in ("01/01/2020", "31/12/2099")] == [dt.date(2020, 1, 1), dt.date(2099, 12, 31)]


def test_us_order_date_message_explains_the_fix():
    assert "kiểu Mỹ" in parse_date("4/23/2026", TODAY).reason


@pytest.mark.parametrize(("typed", "fraction"), [(70, 0.7), ("70 %", 0.7), ("70,5%", 0.705), (0.7, 0.7), ("100", 1.0)])
def test_targets_read_as_percent_or_fraction(typed, fraction):
    assert parse_percent(typed).value == pytest.approx(fraction)


@pytest.mark.parametrize(("typed", "weekday"), [("Thứ Năm", 3), ("thứ 5", 3), ("T5", 3), ("Thursday", 3), ("Chủ nhật", 6), ("Thứ Hai", 0)])
def test_weekday_names(typed, weekday):
    assert parse_weekday(typed).value == weekday


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (dt.date(2026, 4, 23), dt.date(2026, 4, 23)),
        (dt.date(2026, 4, 24), dt.date(2026, 4, 23)),
        (dt.date(2026, 4, 26), dt.date(2026, 4, 23)),
        (dt.date(2026, 4, 27), dt.date(2026, 4, 30)),
        (dt.date(2026, 4, 20), dt.date(2026, 4, 23)),
    ],
)
def test_a_report_belongs_to_the_nearest_thursday(day, week):
    assert report_week(day, 3) == week


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_vietnamese_number_format():
    assert (fmt_int(1234567), fmt_pct(0.705), fmt_pct(1.0, 0), fmt_pp(-0.031), fmt_int(None)) == (
        "1.234.567",
        "70,5 %",
        "100 %",
        "−3,1 điểm %",
        "–",
    )


def test_names_typed_in_a_link_pick_the_known_villages_forgiving_spelling():
    known = ["Thôn 1", "Thôn 2", "Thôn Nam Sơn", "Thôn Trung Hòa"]
    typed = ["thôn 02", "THÔN NAM SƠN", "Không có", "Thôn 2", "Thôn Trung Hoà"]  # old tone placement on the last
    assert pick_names(known, typed) == ["Thôn 2", "Thôn Nam Sơn", "Thôn Trung Hòa"]
