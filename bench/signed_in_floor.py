"""The application with one more route, `POST /bench/floor`: a signed-in HR request that passes
every check a mark passes (session cookie, account and data versions, CSRF, role; on SQLite the
write lock a POST takes) and answers a small fragment without touching data. Its throughput
against the bare app's durable insert is the highest ratio PF2 could reach on the machine
measured: what is left between it and PF2 is the mark itself (its statement, the training
summaries' upkeep, the version raise and commit, the fragment)."""
from flask import Flask

from ethics import create_app as create_application
from ethics.web.access import roles_required


def create_app() -> Flask:
    app = create_application()

    @app.post("/bench/floor")
    @roles_required("admin", "hr")
    def floor():
        return '<td><button type="button" class="toggle present" aria-pressed="true">ok</button></td>'

    return app
