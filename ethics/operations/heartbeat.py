"""How the worker says it is alive: each minute (and when it starts) it writes the time into the
task queue's own storage, which the web processes read for /healthz. The queue's storage is
what web and worker already share (SQLite's tasks.db, or Redis), so this needs no table, and a
beat written there proves the worker both runs and reaches the queue."""
from __future__ import annotations

import time

from ethics.core.tasks import crontab, periodic, queue

KEY = "ethics.operations.worker-seen"
SILENCE_S = 90  # a beat each minute, plus time for a busy worker to get to it


def beat() -> None:
    queue.put(KEY, time.time())


@periodic(crontab())  # every minute
def heartbeat() -> None:
    beat()


@queue.on_startup()
def beat_at_start() -> None:
    """Healthy from the worker's first seconds, not from its first full minute."""
    beat()


def last_seen() -> float | None:
    """When a worker last beat (a Unix time), None when never; raises when the storage is unreachable."""
    return queue.get(KEY, peek=True)
