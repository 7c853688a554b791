"""The yearly outstanding civil servant selection (ข้าราชการพลเรือนดีเด่น)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.people.picker import register_source
    from ethics.recognition import cli, views, waiting
    from ethics.recognition.exports import member_name
    from ethics.recognition.models import NominationStatus, RoundStatus
    from ethics.recognition.nominations import nominable_people
    from ethics.recognition.scoring import Block, Progress
    from ethics.recognition.sheet import field_name

    app.jinja_env.globals.update(RoundStatus=RoundStatus, NominationStatus=NominationStatus, Block=Block,
                                 Progress=Progress, account_name=member_name,
                                 sheet_field=field_name)
    app.register_blueprint(views.bp)
    register_source(app, "nominable", nominable_people)
    app.register_blueprint(views.honour_bp)
    waiting.provide(app)
    app.cli.add_command(cli.export_nominations)
