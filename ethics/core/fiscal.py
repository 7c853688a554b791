"""Buddhist Era and Thai fiscal-year arithmetic, and Thai date formatting and parsing.

The fiscal year runs 1 October to 30 September and is named by the BE year in which it ends:
FY2570 is 1 Oct 2026 to 30 Sep 2027.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BE_OFFSET = 543
BANGKOK = ZoneInfo("Asia/Bangkok")

THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                     "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
THAI_MONTHS_LONG = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def to_ce(be_year: int) -> int:
    return be_year - BE_OFFSET


YEARS = range(2500, 2701)  # the Buddhist Era years the application deals in (1957-2157)


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year that contains the given day."""
    return to_be(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day (inclusive) of a BE fiscal year."""
    end_ce = to_ce(fiscal_year)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def format_date(day: date | None, locale: str = "th", thai_digits: bool = False) -> str:
    """`26 พ.ย. 2569` in Thai, `26 Nov 2569` in English: the year is always Buddhist Era."""
    if day is None:
        return ""
    months = THAI_MONTHS_SHORT if locale == "th" else ENGLISH_MONTHS_SHORT
    text = f"{day.day} {months[day.month - 1]} {to_be(day.year)}"
    return text.translate(THAI_DIGITS) if thai_digits else text


def format_date_long(day: date | None, thai_digits: bool = False) -> str:
    """`26 พฤศจิกายน 2569`: the form official Thai documents use."""
    if day is None:
        return ""
    text = f"{day.day} {THAI_MONTHS_LONG[day.month - 1]} {to_be(day.year)}"
    return text.translate(THAI_DIGITS) if thai_digits else text


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THAI = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date:
    """Accept YYYY-MM-DD (Common Era) or DD/MM/YYYY with a Buddhist Era year.

    Raises ValueError for any other shape or an impossible date.
    """
    text = text.strip().translate(ARABIC_DIGITS)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        if year > 2400:
            raise ValueError("a YYYY-MM-DD date takes a Common Era year")
        return date(year, month, day)
    if match := _THAI.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year < 2400:
            raise ValueError("a DD/MM/YYYY date takes a Buddhist Era year")
        return date(to_ce(year), month, day)
    raise ValueError("expected YYYY-MM-DD or DD/MM/YYYY (B.E.)")


def format_input_date(day: date | None) -> str:
    """The DD/MM/YYYY (BE) form that date inputs show and accept."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{to_be(day.year)}"


def local_now() -> datetime:
    """Bangkok wall-clock time (naive): session days and times are kept in it."""
    return datetime.now(BANGKOK).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored UTC timestamp (naive) as Bangkok wall-clock time, for showing it."""
    return moment.replace(tzinfo=UTC).astimezone(BANGKOK).replace(tzinfo=None)


def utc_now() -> datetime:
    """UTC time (naive), as timestamps are stored."""
    return datetime.now(UTC).replace(tzinfo=None)
