"""Ethics training and recognition system for Thai government offices."""
from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ethics.core.config import PROJECT_ROOT, load_config
from ethics.operations import logs


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI commands and error pages."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(instance_path))
    if test_config:
        app.config.update(test_config)
    if hops := app.config["ETHICS_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    logs.configure(app.config["ETHICS_LOG_FORMAT"])

    from ethics import core, web

    core.init_app(app)
    web.init_app(app)

    from ethics import (
        api,
        audit,
        auth,
        demo,
        importing,
        mail,
        organisation,
        people,
        plan,
        recognition,
        reminders,
        survey,
        training,
    )

    for domain in (organisation, auth, people, mail, training, survey, recognition, plan, importing, audit, reminders, api):
        domain.init_app(app)
    demo.init_app(app)
    from ethics import operations

    operations.init_app(app)  # backup, restore, health, logs, metrics
    core.data_versions.init_app(app)  # after the domains, so it knows every domain's tables
    if app.config["ETHICS_TUNE_COLLECTOR"] and not app.testing:
        _tune_collector()
    return app


COLLECTOR_THRESHOLDS = (20_000, 10, 10)


def _tune_collector() -> None:
    """Keep Python's cyclic collector out of the way of requests (docs/performance.md, "Collector
    pauses"), once per process. What the first app built (modules, routes, mappers, about 190,000
    objects) lives as long as the process, so it is frozen out of every later collection: each
    full one walked it again, 110-140 ms. And a young collection every 20,000 new objects rather
    than every 700: rendering a 500-person roster set off dozens of them. The older generations
    keep their default steps, so garbage in cycles still meets a full collection every few
    million objects."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    if not gc.get_freeze_count():  # a second app in one process would freeze the first one's garbage
        gc.freeze()
