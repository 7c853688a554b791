"""The baselines' web app: a bare Flask app on the same database, under the same gunicorn.

`/constant` returns a constant (PF3); `/insert` makes one durable insert (PF2) into the table
`bench_insert`, made by `make_table` before the workers start. SQLite gets the same pragmas
as the app, so both sides pay the same price for a commit.
"""
import os

from flask import Flask
from sqlalchemy import text

from bench.database import engine


def make_table(url: str) -> None:
    """The baseline's table, made before the workers start: two workers racing to make it would clash."""
    with engine(url).begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bench_insert (n INTEGER, marked BOOLEAN)"))


def create_app() -> Flask:
    database = engine(os.environ["ETHICS_DATABASE_URL"])
    app = Flask(__name__)

    @app.get("/constant")
    def constant():
        return "ok"

    @app.post("/insert")
    def insert():
        with database.begin() as connection:
            connection.execute(text("INSERT INTO bench_insert (n, marked) VALUES (1, TRUE)"))
        return "ok"

    return app
