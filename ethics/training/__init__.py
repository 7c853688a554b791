"""Ethics and internal-control trainings: sessions, registration, attendance, certificates."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.importing.services import register
    from ethics.training import cli, views, waiting
    from ethics.training.imports import TrainingRecordImporter
    from ethics.training.models import RegistrationStatus

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.register_blueprint(views.verify_bp)
    app.jinja_env.globals["RegistrationStatus"] = RegistrationStatus
    register(TrainingRecordImporter())
    for command in (cli.import_training_records, cli.export_attendance):
        app.cli.add_command(command)
