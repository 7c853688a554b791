"""Ethics and internal-control trainings: sessions, registration, attendance, certificates."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.importing.services import register
    from ethics.people.signals import people_moved
    from ethics.training import cli, summary, views, waiting
    from ethics.training.imports import TrainingRecordImporter
    from ethics.training.models import RegistrationStatus

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.register_blueprint(views.verify_bp)
    app.jinja_env.globals["RegistrationStatus"] = RegistrationStatus
    register(TrainingRecordImporter())
    people_moved.connect(summary.on_people_moved, weak=False)
    for command in (cli.import_training_records, cli.export_attendance, cli.rebuild_summaries):
        app.cli.add_command(command)
