"""The issuing agency: its name, address and logo at the top of every document, and the people who
sign them (a signatory's name, position and signature image)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.organisation import masthead, views, waiting

    app.register_blueprint(views.bp)
    waiting.provide(app)
    masthead.provide(app)
