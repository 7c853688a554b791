"""Ethics and internal-control trainings: sessions, registration, attendance, certificates."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.training import models  # noqa: F401 - the tables, for migrations and create_all
