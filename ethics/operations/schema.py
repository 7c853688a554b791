"""Whether the database's schema is the one this code was written for (migrations at head)."""
from __future__ import annotations

from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ethics.core.config import PROJECT_ROOT
from ethics.core.extensions import db


@cache
def head() -> str | None:
    """The newest migration this code ships (read once per process: the files do not change under it)."""
    return ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


def revision_state() -> tuple[str | None, bool]:
    """The database's revision (None when it was never migrated) and whether it is the head."""
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    revision = current[0] if len(current) == 1 else None
    return revision, revision is not None and revision == head()
