"""The baselines' web app: a bare Flask app on the same database, under the same gunicorn.

`/constant` returns a constant (PF3); `/insert` makes one durable insert (PF2) into the table
`bench_insert`, which the runner creates before the workers start. SQLite gets the same pragmas
as the app, so both sides pay the same price for a commit.
"""
import os

from flask import Flask
from sqlalchemy import create_engine, event, text


def create_app() -> Flask:
    url = os.environ["ETHICS_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def pragmas(connection, _record):
            cursor = connection.cursor()
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
    app = Flask(__name__)

    @app.get("/constant")
    def constant():
        return "ok"

    @app.post("/insert")
    def insert():
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO bench_insert (n, marked) VALUES (1, TRUE)"))
        return "ok"

    return app
