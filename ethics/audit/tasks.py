"""The audit log's scheduled work, run by the worker."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from ethics.audit.services import Checkpoint, keep_verification, latest_checkpoint, verify
from ethics.core.database import read_only
from ethics.core.extensions import db
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


@periodic(crontab(hour="17", minute="15"))  # 00:15 in Bangkok, after the checkpoint
def verify_nightly() -> bool:
    """Walk the whole chain and keep the outcome, so a broken log shows on the administrator's
    start page the next morning instead of whenever somebody thinks of running audit-verify."""
    with read_only():
        result = verify()
    keep_verification(result, by="worker")
    db.session.commit()
    return result.problem is None


def last_written_checkpoint() -> tuple[Checkpoint, datetime] | None:
    """The last line `write_checkpoint` appended and when the file last changed (UTC, naive); None
    when no file is set, or it cannot be read or ends in no checkpoint line. Reads only the file's end."""
    target = current_app.config.get("ETHICS_AUDIT_CHECKPOINT_FILE")
    if not target:
        return None
    try:
        with Path(target).open("rb") as file:
            file.seek(max(0, file.seek(0, 2) - 512))
            lines = file.read().decode("ascii", "replace").splitlines()
            written = datetime.fromtimestamp(Path(target).stat().st_mtime, UTC).replace(tzinfo=None)
        return Checkpoint.parse(lines[-1]), written
    except (OSError, IndexError, ValueError):
        return None
