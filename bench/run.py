"""Run the benchmark suite: generate the data, measure PF1-PF11 (against same-run baselines where
they have one), print a table and write JSON to $BENCH_OUT (default bench-results.json).

    python -m bench.run --scale quick|province|national [--seed N] [--repeat N] [--figures PF7,PF8]

SQLite always (except national); PostgreSQL too when ETHICS_TEST_DATABASE_URL points at a
server (a fresh database is created there and dropped afterwards).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, select, text

from bench import baselines
from bench.bare_app import make_table
from bench.database import engine
from bench.http_load import Client, gunicorn, throughput
from ethics.core.config import sqlalchemy_url

ROOT = Path(__file__).resolve().parents[1]
FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "ethics"]
GOALS = {"PF1": "ratio <= 3, queries <= 15", "PF2": "ratio >= 0.40", "PF3": "ratio >= 0.20",
         "PF4": "ratio <= 3", "PF5": "peak <= 300 MB, ratio <= 2",
         "PF6": "<= 0.3 s, slowest too", "PF9": "peak <= 300 MB (refused <= 10 s)",
         "PF7": "p95 <= 100 ms", "PF8": "ratio >= 0.30, every sheet once", "PF10": "<= 1 s", "PF11": "ratio >= 0.20"}


def timed(work, repeat: int, reset=None) -> float:
    """Median seconds of `repeat` runs of work(); reset() runs untimed before each."""
    times = []
    for _ in range(repeat):
        if reset:
            reset()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def databases(scale: str, only: str | None):
    """(name, SQLAlchemy URL) of each database to measure on, created empty for this run."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        if scale != "national" and only in (None, "sqlite"):
            found.append(("sqlite", f"sqlite:///{folder}/bench.db"))
        server = os.environ.get("ETHICS_TEST_DATABASE_URL")
        name = f"ethics_bench_{os.getpid()}"
        admin = None
        if server and only in (None, "postgresql"):
            admin = create_engine(sqlalchemy_url(server), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f"CREATE DATABASE {name}"))
            found.append(("postgresql", server.rsplit("/", 1)[0] + "/" + name))
        try:
            yield found
        finally:
            if admin is not None:
                with admin.connect() as connection:
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def flask(url: str, *args: str) -> str:
    """The flask command on `url`, with this checkout's package (not one the virtualenv installed)."""
    env = {**os.environ, "ETHICS_DATABASE_URL": url, "SECRET_KEY": "b" * 48, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def settle(url: str) -> None:
    """On PostgreSQL, write the freshly loaded data out (CHECKPOINT), as the server would on its
    own within minutes: otherwise the first figures compete with the checkpointer flushing
    gigabytes. Both sides of every ratio run after it."""
    if url.startswith("postgresql"):
        with engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("CHECKPOINT"))


def app_for(url: str):
    from ethics import create_app

    os.environ["ETHICS_DATABASE_URL"] = url
    # Work queued by the figures (a closed campaign's PDF) goes to a queue of the run's own, not the checkout's.
    os.environ.setdefault("ETHICS_TASKS_SQLITE", str(Path(tempfile.mkdtemp()) / "tasks.db"))
    return create_app()


def report_year(years: list[int]) -> int:
    """The last complete fiscal year (the current one when only one was generated)."""
    return years[-2] if len(years) > 1 else years[-1]


def report_export(app, year: int):
    """`export-report --format csv` for the year, as a callable that fails loudly."""
    output = Path(tempfile.mkdtemp()) / "report.csv"
    runner = app.test_cli_runner()

    def export():
        result = runner.invoke(args=["export-report", "--fiscal-year", str(year), "--format", "csv",
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output

    return export


def pf1(app, url, years, repeat) -> dict:
    """The fiscal-year report as export-report writes it, against hand-written SQL."""
    year = report_year(years)
    statements = []
    with app.app_context():
        from ethics.core.extensions import db

        app_engine = db.engine
        ours = report_export(app, year)

        def count(*args):
            statements.append(args[2])

        ours()  # warm the caches both sides share (imports, templates, the database's pages)
        event.listen(app_engine, "before_cursor_execute", count)
        ours()
        event.remove(app_engine, "before_cursor_execute", count)
        ours_s = timed(ours, repeat)
    baseline_s = timed(lambda: baselines.report_sql(url, year), repeat)
    return {"ours_s": ours_s, "baseline_s": baseline_s, "ratio": ours_s / baseline_s, "queries": len(statements),
            "fiscal_year": year, "met": ours_s / baseline_s <= 3 and len(statements) <= 15}


def roster_session(url, year) -> dict:
    with engine(url).connect() as connection:
        session_id, day_id = connection.execute(text(
            "SELECT s.id, d.id FROM training_session s JOIN session_day d ON d.session_id = s.id "
            "WHERE s.code = :code"), {"code": f"S{year}-00000"}).one()
        people = [row[0] for row in connection.execute(text(
            "SELECT person_id FROM registration WHERE session_id = :s ORDER BY person_id"), {"s": session_id})]
    return {"session_id": session_id, "day_id": day_id, "people": people}


def pf2_pf3(url, years, seconds) -> list[dict]:
    """Pages and attendance marking under gunicorn, against the bare app under the same gunicorn; and
    the signed-in floor (bench/signed_in_floor.py), what PF2 could reach at most on this machine."""
    from bench.generate_data import BENCH_PASSWORD

    roster = roster_session(url, years[-1])
    make_table(url)
    with gunicorn("bench.bare_app:create_app()", url) as port:
        bare = Client(port)
        constant = throughput(lambda n: bare.request("GET", "/constant")[0], seconds)
        inserts = throughput(lambda n: bare.request("POST", "/insert")[0], seconds)
    results = []
    with gunicorn("ethics:create_app()", url) as port:
        hr = Client(port)
        hr.sign_in("bench-hr", BENCH_PASSWORD)
        session, day, people = roster["session_id"], roster["day_id"], roster["people"]
        pages = {"dashboard": ("GET", f"/plan/{years[-1]}", None),
                 "roster": ("GET", f"/training/sessions/{session}", None),
                 "people search": ("POST", "/people", {"q": "สกุล12", "status": "active"})}
        for name, (method, path, form) in pages.items():
            got = throughput(lambda n, m=method, p=path, f=form: hr.request(m, p, f)[0], seconds)
            results.append({"id": "PF3", "page": name, "ours_rps": got, "baseline_rps": constant,
                            "ratio": got / constant, "met": got / constant >= 0.20})
        marked = throughput(lambda n: hr.request(
            "POST", f"/training/sessions/{session}/attendance/{people[n % len(people)]}/{day}",
            {"present": str(n // len(people) % 2)})[0], seconds)
        results.insert(0, {"id": "PF2", "ours_rps": marked, "baseline_rps": inserts, "ratio": marked / inserts,
                           "met": marked / inserts >= 0.40})
        api = Client(port, flask(url, "create-token", "bench-hr", "--name", "PF11", "--scope", "indicators:read").strip())
        read = throughput(lambda n: api.request("GET", f"/api/v1/plans/{years[-1]}")[0], seconds)
        results.append({"id": "PF11", "page": "GET /api/v1/plans", "ours_rps": read, "baseline_rps": constant,
                        "ratio": read / constant, "met": read / constant >= 0.20})
    with gunicorn("bench.signed_in_floor:create_app()", url) as port:
        hr = Client(port)
        hr.sign_in("bench-hr", BENCH_PASSWORD)
        floor = throughput(lambda n: hr.request("POST", "/bench/floor", {"present": "1"})[0], seconds)
    results[0] |= {"floor_rps": floor, "floor_ratio": floor / inserts}
    return results


def pf4(app, url, repeat) -> dict:
    """Importing 20,000 new roster rows, against raw executemany statements writing what it
    writes: the people and one hash-chained audit entry each."""
    rows = baselines.roster_rows(url, 20_000)
    folder = Path(tempfile.mkdtemp())
    path = folder / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(rows[0].keys())
        writer.writerows(row.values() for row in rows)
    citizen_ids = [row["citizen_id"] for row in rows]
    with app.app_context():
        runner = app.test_cli_runner()

        def ours():
            result = runner.invoke(args=["import-roster", str(path)])
            assert result.exit_code == 0 and result.output.startswith("new 20000"), result.output

        ours_s = timed(ours, repeat, reset=lambda: baselines.delete_people(url, citizen_ids))
    key = app.config["ETHICS_AUDIT_KEY"].encode()
    baseline_s = timed(lambda: baselines.insert_people(url, rows, key), repeat,
                       reset=lambda: baselines.delete_people(url, citizen_ids))
    baselines.delete_people(url, citizen_ids)
    return {"ours_s": ours_s, "baseline_s": baseline_s, "ratio": ours_s / baseline_s, "rows": len(rows),
            "met": ours_s / baseline_s <= 3}


def pf5(url, years, repeat) -> dict:
    """All years' attendance to XLSX in a fresh process: peak memory, and time against a raw cursor."""
    def run(side):
        out = subprocess.run([sys.executable, "-m", "bench.export_xlsx", side, url, *map(str, years)], cwd=ROOT,
                             env={**os.environ, "SECRET_KEY": "b" * 48}, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    ours = [run("ours") for _ in range(repeat)]
    base = [run("baseline") for _ in range(repeat)]
    ours_s, base_s = statistics.median(o["seconds"] for o in ours), statistics.median(b["seconds"] for b in base)
    peak = max(o["peak_rss_mb"] for o in ours)
    return {"ours_s": ours_s, "baseline_s": base_s, "ratio": ours_s / base_s, "peak_rss_mb": peak,
            "baseline_peak_rss_mb": max(b["peak_rss_mb"] for b in base), "rows": ours[0]["rows"],
            "met": peak <= 300 and ours_s / base_s <= 2}


def pf9(url) -> list[dict]:
    """Checking the worst roster uploads (a full header over one-cell rows, every row a problem),
    each in a fresh process as an upload's job checks it, at the default row limit: peak memory."""
    from bench.import_memory import write_files

    results = []
    paths = write_files(Path(tempfile.mkdtemp()))
    for name, path in paths.items():
        out = subprocess.run([sys.executable, "-m", "bench.import_memory", url, str(path)], cwd=ROOT, check=True,
                             env={**os.environ, "SECRET_KEY": "b" * 48, "ETHICS_MAX_IMPORT_ROWS": "100000"},
                             capture_output=True, text=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        results.append({"file": name, "bytes": path.stat().st_size, "ours_s": got["seconds"],
                        "peak_rss_mb": got["peak_rss_mb"], "start_rss_mb": got["start_rss_mb"],
                        "status": got["status"], "errors": got["errors"], "more_errors": got["more_errors"],
                        "met": got["peak_rss_mb"] <= 300})
    return results + pf9_cli_and_web(url, paths)


def pf9_cli_and_web(url, paths: dict[str, Path]) -> list[dict]:
    """The reported hostile files through `import-roster` (a fresh process) and through a web
    upload to gunicorn and the worker: peak memory, and the seconds until the refusal."""
    from bench.import_memory import HOSTILE, web_upload

    results = []
    for name in HOSTILE:
        path = paths[name]
        out = subprocess.run([sys.executable, "-m", "bench.import_memory", "--cli", url, str(path)], cwd=ROOT,
                             check=True, env={**os.environ, "SECRET_KEY": "b" * 48}, capture_output=True, text=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        web = web_upload(url, path)
        results += [{"file": f"{name} (CLI)", "bytes": path.stat().st_size, "ours_s": got["seconds"],
                     "peak_rss_mb": got["peak_rss_mb"], "start_rss_mb": got["start_rss_mb"],
                     "status": f"{got['status']}: {got['first_line']}",
                     "met": got["peak_rss_mb"] <= 300 and got["seconds"] <= 10},
                    {"file": f"{name} (web)", "bytes": path.stat().st_size, "ours_s": web["seconds"], **web,
                     "met": web["peak_rss_mb"] <= 300 and web["seconds"] <= 10}]
    return results


def pf10(app, years, repeat) -> dict:
    """The morale survey's results PDF of the last complete year (every answer sheet of the
    province), downloaded by HR through the application, in process."""
    from bench.generate_data import BENCH_PASSWORD
    from ethics.core.extensions import db
    from ethics.survey.models import MoraleCampaign

    year = report_year(years)
    client = app.test_client()
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    signed_in = client.post("/login", data={"username": "bench-hr", "password": BENCH_PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302, signed_in.status_code
    with app.app_context():
        campaign = db.session.scalar(select(MoraleCampaign.id).where(MoraleCampaign.fiscal_year == year))

    def download():
        response = client.get(f"/survey/campaigns/{campaign}/results.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code

    download()  # the first document loads the fonts and compiles the templates
    ours_s = timed(download, repeat)
    return {"ours_s": ours_s, "fiscal_year": year, "met": ours_s <= 1.0}


def pf6(app, years, repeat) -> dict:
    """The report at national scale: its median and its slowest run must both be within the goal
    (after one run that warms what a server process keeps, as PF1). Also each statement's time and
    rows, and the sizes they depend on, from which a larger country's figure is worked out."""
    year = report_year(years)
    export, times = report_export(app, year), []

    def run():
        start = time.perf_counter()
        export()
        times.append(time.perf_counter() - start)

    with app.app_context():
        export()
        ours_s = timed(run, repeat)
        statements = statement_costs(export)
        sizes = data_sizes(year)
    return {"ours_s": ours_s, "slowest_s": max(times), "fiscal_year": year, "statements": statements, "sizes": sizes,
            "met": max(times) <= 0.3}


def statement_costs(work) -> list[dict]:
    """Each statement `work` runs: its milliseconds, the rows it returned and its first words."""
    from ethics.core.extensions import db

    found, started = [], {}

    def before(connection, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(connection, cursor, statement, parameters, context, executemany):
        found.append({"ms": round((time.perf_counter() - started.pop(id(cursor))) * 1000, 1),
                      "rows": cursor.rowcount, "sql": " ".join(statement.split())[:120]})

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return found


def data_sizes(year: int) -> dict:
    """Rows of what the report reads and of what it no longer reads."""
    from sqlalchemy import func

    from ethics.core.extensions import db
    from ethics.people.models import Person, Unit
    from ethics.training.models import Attendance, Participation, Tally, TrainingSession

    def rows(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return {"people": rows(Person), "units": rows(Unit), "sessions": rows(TrainingSession),
            "attendance": rows(Attendance), "participation": rows(Participation),
            "tally_cells_of_year": rows(Tally, Tally.fiscal_year == year)}


FIGURES = ("PF1", "PF2", "PF4", "PF5", "PF7", "PF8", "PF9", "PF10")  # below national scale, in this order


def measure(key: str, app, url: str, years: list[int], repeat: int, seconds: float) -> list[dict]:
    """The figures of one key of FIGURES, each with its id (PF2 also gives PF3 and PF11, which
    share its gunicorn)."""
    from bench.first_view import first_views
    from bench.survey_morning import survey_morning

    found = {"PF1": lambda: [pf1(app, url, years, repeat)], "PF2": lambda: pf2_pf3(url, years, seconds),
             "PF4": lambda: [pf4(app, url, repeat)], "PF5": lambda: [pf5(url, years, 3)],
             "PF7": lambda: first_views(app, years, report_year(years)),
             "PF8": lambda: survey_morning(app, url, years[-1] + 1), "PF9": lambda: pf9(url),
             "PF10": lambda: [pf10(app, years, repeat)]}[key]()
    found = [{"id": key, **item} if "id" not in item else item for item in found]
    print(f"{key}: {json.dumps(found)}", file=sys.stderr, flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("quick", "province", "national"), default="quick")
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure on one database only")
    parser.add_argument("--figures", type=lambda text: set(text.upper().split(",")), default=set(),
                        help=f"measure only these (comma-separated; PF2 includes PF3 and PF11): {','.join(FIGURES)}")
    args = parser.parse_args()
    if args.figures - set(FIGURES):
        parser.error(f"--figures takes {','.join(FIGURES)}")
    from bench.generate_data import SCALES
    from ethics.core.fiscal import fiscal_year_of, local_now

    current = fiscal_year_of(local_now().date())
    years = list(range(current - SCALES[args.scale].years + 1, current + 1))
    seconds = 3.0 if args.scale == "quick" else 8.0
    results = []
    with databases(args.scale, args.only) as found:
        for name, url in found:
            start = time.perf_counter()
            flask(url, "db", "upgrade")
            flask(url, "generate-data", "--scale", args.scale, "--seed", str(args.seed))
            settle(url)
            print(f"{name}: {args.scale} data generated in {time.perf_counter() - start:.0f} s", file=sys.stderr)
            app = app_for(url)
            measured = ([{"id": "PF6", **pf6(app, years, args.repeat)}] if args.scale == "national" else
                        [item for key in FIGURES if key in (args.figures or FIGURES)
                         for item in measure(key, app, url, years, args.repeat, seconds)])
            results += [{**item, "database": name, "scale": args.scale, "goal": GOALS[item["id"]]} for item in measured]
            with app.app_context():
                from ethics.core.extensions import db

                db.engine.dispose()
            # Written after each database, so a failure on the next one keeps what was measured.
            Path(os.environ.get("BENCH_OUT", "bench-results.json")).write_text(json.dumps(results, indent=2),
                                                                                encoding="utf-8")
            print(table(results), flush=True)


def table(results: list[dict]) -> str:
    lines = ["| id | database | scale | measured | baseline | ratio / peak | goal | met |", "|---" * 8 + "|"]
    for r in results:
        measured = f"{r['ours_s']:.3f} s" if "ours_s" in r else f"{r['ours_rps']:.0f} req/s"
        baseline = (f"{r['baseline_s']:.3f} s" if "baseline_s" in r else
                    f"{r['baseline_rps']:.0f} req/s" if "baseline_rps" in r else "")
        extra = " ".join(filter(None, [r.get("page", ""), r.get("file", ""),
                                       f"{r['queries']} queries" if "queries" in r else "",
                                       f"(floor {r['floor_ratio']:.2f})" if "floor_ratio" in r else ""]))
        ratio = ", ".join(filter(None, [f"{r['ratio']:.2f}" if "ratio" in r else "",
                                        f"{r['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in r else "",
                                        f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms" if "p95_ms" in r else ""]))
        lines.append(f"| {r['id']} {extra} | {r['database']} | {r['scale']} | {measured} | {baseline} | {ratio} | "
                     f"{r['goal']} | {'yes' if r['met'] else 'NO'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
