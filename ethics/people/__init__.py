"""Org units and people: the roster every other capability builds on."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.importing.services import register
    from ethics.people import cli, views
    from ethics.people.imports import RosterImporter, UnitImporter

    app.register_blueprint(views.bp)
    register(UnitImporter())
    register(RosterImporter())
    for command in (cli.import_units, cli.import_roster, cli.export_roster):
        app.cli.add_command(command)
