"""Work that outlives the request, on a Huey queue run by `flask --app ethics worker`.

The queue is stored in SQLite (ETHICS_TASKS_SQLITE, `tasks.db` in the instance folder), or in
Redis when ETHICS_REDIS_URL is set (the choice for several machines). Tests run every task in process,
right away (`ETHICS_TASKS_IMMEDIATE`, Huey's immediate mode).

A task runs in an app context of its own, so with a database session of its own. Work is
queued by `after_commit`: only once the change that asks for it is committed (a rolled-back
change queues nothing, and the task sees what the request wrote).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

queue = Huey("ethics", results=False, storage_class=MemoryStorage, utc=True)
_app: Flask | None = None
_AFTER_COMMIT = "ethics_tasks_after_commit"

__all__ = ["after_commit", "configure", "crontab", "periodic", "queue", "task"]


def configure(app: Flask) -> None:
    """Point the queue at this installation's storage; tasks run in this app's contexts."""
    global _app
    _app = app
    if app.config["ETHICS_TASKS_IMMEDIATE"]:
        queue.immediate = True
        return
    queue.immediate = False
    if redis_url := app.config.get("ETHICS_REDIS_URL"):
        queue.storage_class, queue.storage_kwargs = RedisStorage, {"url": redis_url}
    else:
        queue.storage_class, queue.storage_kwargs = SqliteStorage, {"filename": app.config["ETHICS_TASKS_SQLITE"]}
    queue.storage = queue.create_storage()


def _in_app_context(function: Callable) -> Callable:
    @wraps(function)
    def run(*args, **kwargs):
        if _app is None:
            raise RuntimeError("the task queue is not configured: create the app first")
        from ethics.core.extensions import db

        with _app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def task(**options: Any) -> Callable:
    """A function the worker runs; `options` are Huey's (retries, retry_delay ...)."""
    def decorate(function: Callable):
        return queue.task(name=f"{function.__module__}.{function.__name__}", **options)(_in_app_context(function))

    return decorate


def periodic(schedule, **options: Any) -> Callable:
    """A function the worker runs on a schedule (`crontab(...)`, in UTC)."""
    def decorate(function: Callable):
        return queue.periodic_task(schedule, name=f"{function.__module__}.{function.__name__}",
                                   **options)(_in_app_context(function))

    return decorate


def after_commit(session: Session | Any, work: Callable, *args: Any) -> None:
    """Queue `work(*args)` (a task) once the session's transaction commits; never if it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append((work, args))


@event.listens_for(Session, "after_commit")
def _queue_after_commit(session: Session) -> None:
    for work, args in session.info.pop(_AFTER_COMMIT, []):
        work(*args)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
