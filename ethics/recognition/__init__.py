"""The yearly outstanding civil servant selection (ข้าราชการพลเรือนดีเด่น)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.recognition import cli, views
    from ethics.recognition.errors import StageClosed

    app.register_blueprint(views.bp)
    app.register_blueprint(views.honour_bp)
    app.register_error_handler(StageClosed, views.handle_stage_closed)
    app.cli.add_command(cli.export_nominations)
