"""The transparency plan: strategies, measures, activities and their indicators, fed live."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.importing.services import register
    from ethics.plan import cli, public, public_views, services, tasks, views, waiting  # noqa: F401  # tasks: the worker's schedule
    from ethics.plan.imports import PlanImporter
    from ethics.training import plan_link

    plan_link.provide(app, services.activity_exists, services.activities_of)
    app.register_blueprint(views.bp)
    app.register_blueprint(public_views.bp)
    app.jinja_env.globals["transparency_open"] = public.is_open  # the sign-in page links to it when open
    waiting.provide(app)
    register(PlanImporter())
    for command in (cli.import_plan, cli.copy_plan_command, cli.export_report):
        app.cli.add_command(command)
