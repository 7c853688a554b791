"""`flask --app ethics worker`: the process that runs queued and scheduled tasks."""
from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from ethics.core.tasks import queue


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="tasks run at once (threads)")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the task queue: imports, mail, reminders and scheduled work. SIGTERM (or Ctrl-C) stops
    it cleanly: running tasks finish, queued ones stay queued for the next worker."""
    if queue.immediate:
        raise click.ClickException("ETHICS_TASKS_IMMEDIATE is set: tasks run in the web process, not here")
    logging.getLogger("huey").setLevel(logging.INFO)
    queue.create_consumer(workers=workers, worker_type="thread", periodic=True, graceful_signal="TERM",
                          check_worker_health=True).run()
