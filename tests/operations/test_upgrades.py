"""Upgrades keep data: the previous release's own code loads its demo into a database at its last
migration; then every migration of this release runs forward on that data, each can go back one
step to the schema before it and forward again, and at the head the schema matches the models,
no table lost rows and the audit chain verifies."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import func, inspect, select, table

from ethics.core.config import PROJECT_ROOT
from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.operations.restore import BOOKKEEPING  # a new domain brings its data-version row
from tests.test_worker import database_url

PREVIOUS_RELEASE = "f19c0a1b0001"  # the last migration of the release before this one: move it at each release


def this_release() -> list[str]:
    """The migrations after the previous release's last one, oldest first."""
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    newer = [revision.revision for revision in script.walk_revisions(base=PREVIOUS_RELEASE, head="heads")]
    return [revision for revision in reversed(newer) if revision != PREVIOUS_RELEASE]


def previous_release_tree(folder: Path) -> Path:
    """The code of the commit that added the previous release's last migration, from git."""
    git = shutil.which("git")
    if git is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("needs the project's git history for the previous release's code")
    commit = subprocess.run([git, "log", "-1", "--format=%H", "--", f"migrations/versions/{PREVIOUS_RELEASE}_*.py"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    if not commit:
        pytest.skip(f"the git history does not reach migration {PREVIOUS_RELEASE} (a shallow clone)")
    archive = subprocess.run([git, "archive", commit], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def schema() -> dict[str, tuple]:
    with read_only():
        inspector = inspect(db.engine)
        return {name: (sorted(column["name"] for column in inspector.get_columns(name)),
                       sorted(str(index["name"]) for index in inspector.get_indexes(name)))
                for name in inspector.get_table_names()}


def row_counts() -> dict[str, int]:
    with read_only():  # SQLite: a reading transaction, which the migrations' own connection does not wait for
        counts = {name: db.session.scalar(select(func.count()).select_from(table(name)))
                  for name in inspect(db.engine).get_table_names() if name not in BOOKKEEPING}
    db.session.rollback()
    return counts


def test_this_releases_migrations_keep_the_previous_releases_demo_and_go_back_one_step(empty_app, tmp_path):
    old_code = previous_release_tree(tmp_path / "previous")
    upgrade(revision=PREVIOUS_RELEASE)
    db.session.commit()
    environment = {**os.environ, "ETHICS_DATABASE_URL": database_url(empty_app), "ETHICS_TASKS_IMMEDIATE": "1",
                   "SECRET_KEY": empty_app.config["SECRET_KEY"], "ETHICS_AUDIT_KEY": empty_app.config["ETHICS_AUDIT_KEY"]}
    seeded = subprocess.run([sys.executable, "-m", "flask", "--app", "ethics", "seed-demo"], cwd=old_code,
                            env=environment, capture_output=True, text=True, timeout=240)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    before = row_counts()
    assert before["person"] == 200

    shapes = {PREVIOUS_RELEASE: schema()}
    previous = PREVIOUS_RELEASE
    for revision in this_release():
        upgrade(revision=revision)
        shapes[revision] = schema()
        downgrade(revision="-1")
        assert schema() == shapes[previous], f"{revision} downgraded to another schema than {previous}'s"
        upgrade(revision=revision)
        previous = revision

    check()  # the schema at the head is the models'
    after = row_counts()
    assert {name: after[name] for name in before} == before
    verified = empty_app.test_cli_runner().invoke(args=["audit-verify"])
    assert verified.exit_code == 0, verified.output
