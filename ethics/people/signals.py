"""What the people domain tells the domains above it, which it does not import: the ids of
people whose unit or personnel type changed, in the change's own transaction, so that counts
kept per person (the training summaries) follow them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
people_moved = _signals.signal("people-moved")
