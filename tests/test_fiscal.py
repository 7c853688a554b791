from datetime import date, datetime, time

import pytest

from ethics.core import fiscal


@pytest.mark.parametrize("day, expected", [
    (date(2026, 9, 30), 2569),
    (date(2026, 10, 1), 2570),
    (date(2027, 9, 30), 2570),
    (date(2027, 10, 1), 2571),
    (date(2008, 10, 1), 2552),
    (date(2008, 9, 30), 2551),
    (date(2026, 12, 31), 2570),
    (date(2027, 1, 1), 2570),
])
def test_fiscal_year_boundaries(day, expected):
    assert fiscal.fiscal_year_of(day) == expected


def test_fiscal_year_bounds_fy2570():
    assert fiscal.fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    assert fiscal.fiscal_year_bounds(2551) == (date(2007, 10, 1), date(2008, 9, 30))


def test_buddhist_era_conversion():
    assert fiscal.to_be(2026) == 2569
    assert fiscal.to_ce(2569) == 2026


@pytest.mark.parametrize("locale, thai_digits, expected", [
    ("th", False, "26 พ.ย. 2569"),
    ("en", False, "26 Nov 2026"),
    ("th", True, "๒๖ พ.ย. ๒๕๖๙"),
])
def test_format_date(locale, thai_digits, expected):
    assert fiscal.format_date(date(2026, 11, 26), locale, thai_digits) == expected


def test_format_missing_date_is_empty():
    assert fiscal.format_date(None) == ""


@pytest.mark.parametrize("text, expected", [
    ("2026-11-26", date(2026, 11, 26)),
    ("26/11/2569", date(2026, 11, 26)),
    ("1/10/2569", date(2026, 10, 1)),
    ("๒๖/๑๑/๒๕๖๙", date(2026, 11, 26)),
    ("29/02/2567", date(2024, 2, 29)),
])
def test_parse_date_accepts_ce_iso_and_be_slashes(text, expected):
    assert fiscal.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2569", "2026-13-01", "26/11/2026", "2569-11-26", "yesterday", "", "29/02/2568"])
def test_parse_date_refuses_impossible_or_ambiguous(text):
    with pytest.raises(ValueError):
        fiscal.parse_date(text)


def test_input_date_round_trips():
    day = date(2027, 9, 30)
    assert fiscal.parse_date(fiscal.format_input_date(day)) == day


def test_long_thai_date_for_official_documents():
    assert fiscal.format_date_long(date(2026, 11, 26)) == "26 พฤศจิกายน 2569"
    assert fiscal.format_date_long(date(2026, 11, 26), thai_digits=True) == "๒๖ พฤศจิกายน ๒๕๖๙"


def test_a_stored_utc_time_is_shown_in_bangkok_time_across_midnight():
    assert fiscal.to_local(datetime(2026, 11, 26, 18, 30)) == datetime(2026, 11, 27, 1, 30)


def test_english_dates_are_in_the_common_era():
    assert fiscal.format_date(date(2026, 11, 30), "en") == "30 Nov 2026"
    assert fiscal.format_input_date(date(2026, 11, 30), "en") == "30/11/2026"
    assert fiscal.format_input_date(date(2026, 11, 30)) == "30/11/2569"  # Thai, imports and the CLI keep BE


@pytest.mark.parametrize("text, expected", [
    ("30/11/2026", date(2026, 11, 30)),
    ("30/11/2569", date(2026, 11, 30)),  # a Buddhist Era year is unmistakable, so it is taken too
    ("2026-11-30", date(2026, 11, 30)),
])
def test_english_parsing_takes_the_common_era(text, expected):
    assert fiscal.parse_date(text, "en") == expected


@pytest.mark.parametrize("text", ["31/02/2026", "30/11/26", "2569-11-30"])
def test_english_parsing_refuses_impossible_dates(text):
    with pytest.raises(ValueError):
        fiscal.parse_date(text, "en")


def test_a_common_era_year_in_thai_is_refused_with_the_year_to_type():
    with pytest.raises(fiscal.EraMismatch) as refused:
        fiscal.parse_date("30/11/2026", "th")
    assert (refused.value.typed, refused.value.meant) == (2026, 2569)
    with pytest.raises(fiscal.EraMismatch):
        fiscal.parse_date("30/11/2026")  # imports and the command line read dates as Thai


@pytest.mark.parametrize("text, expected", [
    ("09:00", time(9, 0)), ("9:00", time(9, 0)), ("09.30", time(9, 30)), ("0930", time(9, 30)),
    ("๑๓:๓๐", time(13, 30)), ("16:00 น.", time(16, 0)), ("23:59", time(23, 59)), ("00:00", time(0, 0)),
])
def test_times_are_typed_in_24_hours(text, expected):
    assert fiscal.parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9:60", "9 AM", "9:00 PM", "9", "", "12:3"])
def test_other_times_are_refused(text):
    with pytest.raises(ValueError):
        fiscal.parse_time(text)


def test_times_show_in_24_hours_with_thai_na():
    assert fiscal.format_time(time(9, 0), "th") == "09:00 น."
    assert fiscal.format_time(time(16, 0), "en") == "16:00"
    assert fiscal.format_time(datetime(2026, 11, 30, 21, 5, 7), "th", seconds=True) == "21:05:07 น."
    assert fiscal.format_time_range(time(9, 0), time(16, 0), "th") == "09:00–16:00 น."
    assert fiscal.format_time_range(time(9, 0), time(16, 0), "en") == "09:00–16:00"
