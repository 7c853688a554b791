"""The 13-digit Thai citizen ID: check digit and the masked form shown on screen."""
from __future__ import annotations


def check_digit(first_twelve: str) -> int:
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(first_twelve))
    return (11 - total % 11) % 10


def is_valid(citizen_id: str) -> bool:
    return (
        len(citizen_id) == 13
        and citizen_id.isascii()
        and citizen_id.isdigit()
        and check_digit(citizen_id[:12]) == int(citizen_id[12])
    )


def normalise(text: str) -> str:
    """Drop the dashes and spaces people type between digit groups."""
    return str(text).replace(" ", "").replace("-", "")


def mask(citizen_id: str) -> str:
    """`x-xxxx-xxxxx-63-5`: only the last three digits stay visible."""
    return f"x-xxxx-xxxxx-{citizen_id[10:12]}-{citizen_id[12]}" if len(citizen_id) == 13 else "x"


def formatted(citizen_id: str) -> str:
    """The full ID in its usual grouping, for the explicit, logged reveal."""
    c = citizen_id
    return f"{c[0]}-{c[1:5]}-{c[5:10]}-{c[10:12]}-{c[12]}"
