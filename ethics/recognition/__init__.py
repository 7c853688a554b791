"""The yearly outstanding civil servant selection (ข้าราชการพลเรือนดีเด่น)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.recognition import cli, views, waiting
    from ethics.recognition.models import NominationStatus, RoundStatus
    from ethics.recognition.scoring import Block, Progress

    app.jinja_env.globals.update(RoundStatus=RoundStatus, NominationStatus=NominationStatus, Block=Block,
                                 Progress=Progress)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.honour_bp)
    waiting.provide(app)
    app.cli.add_command(cli.export_nominations)
