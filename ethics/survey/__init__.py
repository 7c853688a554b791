"""The yearly morale survey: answered once, never linkable to the person."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.survey import cli, views, waiting

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.cli.add_command(cli.export_survey_results)
