"""Buddhist Era and Thai fiscal-year arithmetic, and dates and times as a Thai or English reader
writes them.

The fiscal year runs 1 October to 30 September and is named by the BE year in which it ends:
FY2570 is 1 Oct 2026 to 30 Sep 2027.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
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
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)  # a fiscal year's months in its order


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year that contains the given day."""
    return to_be(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day (inclusive) of a BE fiscal year."""
    end_ce = to_ce(fiscal_year)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def era_year(year: int, locale: str = "th") -> int:
    """A Common Era year as the reader counts it: Buddhist Era in Thai, Common Era in English."""
    return to_be(year) if locale == "th" else year


def month_name(month: int, locale: str = "th") -> str:
    """`ต.ค.` in Thai, `Oct` in English."""
    return (THAI_MONTHS_SHORT if locale == "th" else ENGLISH_MONTHS_SHORT)[month - 1]


def format_date(day: date | None, locale: str = "th", thai_digits: bool = False) -> str:
    """`26 พ.ย. 2569` in Thai, `26 Nov 2026` in English."""
    if day is None:
        return ""
    text = f"{day.day} {month_name(day.month, locale)} {era_year(day.year, locale)}"
    return text.translate(THAI_DIGITS) if thai_digits else text


def format_date_long(day: date | None, thai_digits: bool = False) -> str:
    """`26 พฤศจิกายน 2569`: the form official Thai documents use."""
    if day is None:
        return ""
    text = f"{day.day} {THAI_MONTHS_LONG[day.month - 1]} {to_be(day.year)}"
    return text.translate(THAI_DIGITS) if thai_digits else text


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
BE_YEARS_FROM = 2400  # a DD/MM/YYYY year this high is Buddhist Era: no date here has such a CE year

DATE_MASKS = {"th": "วว/ดด/ปปปป", "en": "dd/mm/yyyy"}  # the placeholder of a date input


class EraMismatch(ValueError):
    """A DD/MM/YYYY date whose year is in the other era than the one expected."""

    def __init__(self, typed: int, meant: int) -> None:
        super().__init__(f"the year {typed} is in the wrong era: {meant}")
        self.typed, self.meant = typed, meant


def parse_date(text: str, locale: str = "th") -> date:
    """Accept YYYY-MM-DD (Common Era) or DD/MM/YYYY in the reader's era.

    In Thai (and in imports and the command line) the year is Buddhist Era, and a Common Era
    year is refused with EraMismatch, so the reader learns what to type. In English it is
    Common Era, or Buddhist Era when it is that high (which no Common Era year here is).
    Raises ValueError for any other shape or an impossible date.
    """
    text = text.strip().translate(ARABIC_DIGITS)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        if year > BE_YEARS_FROM:
            raise ValueError("a YYYY-MM-DD date takes a Common Era year")
        return date(year, month, day)
    if match := _SLASHED.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year >= BE_YEARS_FROM:
            return date(to_ce(year), month, day)
        if locale == "th":
            raise EraMismatch(year, to_be(year))
        return date(year, month, day)
    raise ValueError("expected YYYY-MM-DD or DD/MM/YYYY")


def format_input_date(day: date | None, locale: str = "th") -> str:
    """The DD/MM/YYYY form that date inputs show and accept, in the reader's era."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{era_year(day.year, locale)}"


_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)(?:\s*น\.?)?$")


def parse_time(text: str) -> time:
    """A 24-hour time of day as people type it: 09:00, 9.00 (the Thai way), 0900 (a phone's
    number pad has no colon), Thai digits, an optional trailing น.

    Raises ValueError for anything else, including 12-hour times (9:00 PM).
    """
    if match := _TIME.match(text.strip().translate(ARABIC_DIGITS)):
        return time(int(match.group(1)), int(match.group(2)))
    raise ValueError("expected HH:MM in 24 hours")


def format_time(moment: time | datetime | None, locale: str = "th", seconds: bool = False) -> str:
    """`09:00 น.` in Thai, `09:00` in English: always 24-hour."""
    if moment is None:
        return ""
    text = moment.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{text} น." if locale == "th" else text


def format_time_range(starts: time, ends: time, locale: str = "th") -> str:
    """`09:00–16:00 น.` in Thai (น. once, after the range), `09:00–16:00` in English."""
    return f"{starts:%H:%M}–{format_time(ends, locale)}"


def format_moment(moment: datetime, locale: str = "th") -> str:
    """A wall-clock moment as `30 พ.ย. 2569 09:00 น.` in Thai, `30 Nov 2026 09:00` in English."""
    return f"{format_date(moment.date(), locale)} {format_time(moment, locale)}"


def local_now() -> datetime:
    """Bangkok wall-clock time (naive): session days and times are kept in it."""
    return datetime.now(BANGKOK).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored UTC timestamp (naive) as Bangkok wall-clock time, for showing it."""
    return moment.replace(tzinfo=UTC).astimezone(BANGKOK).replace(tzinfo=None)


def utc_now() -> datetime:
    """UTC time (naive), as timestamps are stored."""
    return datetime.now(UTC).replace(tzinfo=None)
