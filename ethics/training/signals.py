"""What trainings tell the domains above them, which they do not import: a session whose
dates, times or venue changed, or that was cancelled (sent with the names of what changed)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
session_changed = _signals.signal("session-changed")
