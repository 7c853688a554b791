"""The audit log's scheduled work, run by the worker."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ethics.audit.services import latest_checkpoint
from ethics.core.database import read_only
from ethics.core.tasks import crontab, periodic


@periodic(crontab(hour="17", minute="5"))  # 00:05 in Bangkok
def write_checkpoint() -> str | None:
    """Append today's `checkpoint SEQ HASH` line to ETHICS_AUDIT_CHECKPOINT_FILE, when it is set
    (a file on another machine's share, or one a backup job carries away)."""
    target = current_app.config.get("ETHICS_AUDIT_CHECKPOINT_FILE")
    if not target:
        return None
    with read_only():
        line = str(latest_checkpoint())
    with Path(target).open("a", encoding="utf-8") as file:
        file.write(line + "\n")
    return line
