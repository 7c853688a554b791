"""Ethics training and recognition system for Thai government offices."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ethics.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("ethics").setLevel(logging.INFO)

    from ethics import extensions, i18n, web, errors, database

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.htmx.init_app(app)
    i18n.init_app(app)
    database.init_database(app, extensions.db)
    web.init_app(app)
    errors.init_app(app)

    from ethics import audit, auth, cache, demo, generate_data, home, importing, people, plan, recognition, survey, training

    for module in (auth, people, training, survey, recognition, plan, importing, audit, home):
        module.init_app(app)
    demo.init_app(app)
    generate_data.init_app(app)
    cache.init_app(app)  # after the domains, so it knows every domain's tables
    return app
