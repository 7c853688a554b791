"""The yearly morale survey: answered once, never linkable to the person."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.survey import charts, cli, views, waiting

    app.register_blueprint(views.bp)
    app.jinja_env.filters["mean_figure"] = charts.mean_figure
    waiting.provide(app)
    app.cli.add_command(cli.export_survey_results)
