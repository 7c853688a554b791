"""Text as people type and paste it, checked in one place for every form, import and export.

Refused everywhere: C0 and C1 control characters (a vertical tab pasted from Word breaks every
spreadsheet export; a NUL byte cannot be stored by PostgreSQL) and the bidirectional overrides
and isolates (U+202A-U+202E, U+2066-U+2069) that make a name print in another order than it is
stored. Tab and line breaks are ordinary in multi-line text only.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

_HIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_IN_LINES = re.compile(f"[{_HIDDEN}]")
_IN_ONE_LINE = re.compile(f"[{_HIDDEN}\t\n\r]")

HIDDEN_CHARACTERS = _l("Remove the invisible control or text-direction characters (often pasted from another program).")


def has_hidden_characters(value: str, multiline: bool = False) -> bool:
    return bool((_IN_LINES if multiline else _IN_ONE_LINE).search(value))


def unix_lines(text: str) -> str:
    """A textarea's text with its lines ending in LF: browsers send CRLF, and a record saved
    unchanged must store the same text it was shown with."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def printable(value: str) -> str:
    """What an export writes: hidden characters stored before they were refused are left out."""
    return _IN_LINES.sub("", value)


def like_pattern(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, its % and _ taken literally (escape character \\)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
