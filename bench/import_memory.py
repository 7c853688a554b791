"""PF9 (the worst upload) in a fresh process: `python -m bench.import_memory URL FILE`; checks FILE as a roster
upload's job is checked (`check_job`: read, check every row, store the problems on the job) and
prints JSON with seconds, peak_rss_mb, start_rss_mb (the process before the check), status,
errors (stored on the job) and more_errors. With `--cli` first, runs `import-roster FILE` instead
(status: the command's exit code and first line).

`write_files(folder)` writes the worst files: a full roster header over one-cell rows, every
row a problem (the cell is not a citizen ID; the required names, type and unit are missing).
`web_upload(url, file)` uploads one through gunicorn to the worker and measures both.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

# name -> (data rows, format): the reported attack files, and the same cells at the default
# ETHICS_MAX_IMPORT_ROWS (100,000), the most rows a file may have and still be checked.
FILES = {"xlsx 1,000,000 one-cell rows": (1_000_000, "xlsx"), "csv 200,000 one-cell rows": (200_000, "csv"),
         "xlsx 100,000 one-cell rows": (100_000, "xlsx"), "csv 100,000 one-cell rows": (100_000, "csv"),
         "csv 10,000,000 one-cell rows": (10_000_000, "csv")}
HOSTILE = ("xlsx 1,000,000 one-cell rows", "csv 10,000,000 one-cell rows")  # the reported files' shapes, 154 KB and 20 MB


PACKAGE = "http://schemas.openxmlformats.org/package/2006"
RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (f'<Types xmlns="{PACKAGE}/content-types">'
                 f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 f'<Override PartName="/xl/workbook.xml" ContentType="{MIME}.sheet.main+xml"/>'
                 f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{MIME}.worksheet+xml"/></Types>')
ROOT_RELS = (f'<Relationships xmlns="{PACKAGE}/relationships">'
             f'<Relationship Id="rId1" Type="{RELATION}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{RELATION}"><sheets><sheet name="roster" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<Relationships xmlns="{PACKAGE}/relationships">'
                 f'<Relationship Id="rId1" Type="{RELATION}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _xlsx(header: list[str], rows: int) -> bytes:
    """A minimal workbook written as an attacker would: rows without their (optional) numbers,
    so that a million identical rows deflate to a few hundred kilobytes."""
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData><row>{cells}</row>' + "<row><c><v>1</v></c></row>" * rows + "</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
    return buffer.getvalue()


def write_files(folder: Path) -> dict[str, Path]:
    from ethics.people.imports import ROSTER_HEADER

    paths = {}
    for name, (rows, fmt) in FILES.items():
        path = folder / f"{fmt}-{rows}.{fmt}"
        if fmt == "csv":
            path.write_bytes((",".join(ROSTER_HEADER) + "\n" + "1\n" * rows).encode())
        else:
            path.write_bytes(_xlsx(ROSTER_HEADER, rows))
        paths[name] = path
    return paths


def _status_mb(field: str) -> float:
    """A figure of this process from /proc/self/status, in MB. VmHWM is its own high-water mark:
    getrusage's ru_maxrss would include the memory of the parent it was forked from, before exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def _peak_mb(pid: int) -> float:
    """VmHWM of a running process, in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _upload(port: int, client, path: Path) -> tuple[int, str]:
    """POST the file to the roster upload as a browser's form does: (status, Location)."""
    import http.client
    import secrets

    boundary = secrets.token_hex(16)
    body = b"".join([
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{client.token}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode(), path.read_bytes(), f"\r\n--{boundary}--\r\n".encode()])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/imports/roster", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.headers.get("Location", "")


def web_upload(url: str, path: Path) -> dict:
    """Upload `path` as HR to gunicorn (2 workers), with `flask worker` checking it: the seconds
    until the job is refused or checked, and the peak memory of each server process."""
    import subprocess
    import tempfile

    from sqlalchemy import text

    from bench.database import engine
    from bench.generate_data import BENCH_PASSWORD
    from bench.http_load import ROOT, Client, gunicorn

    tasks = {"ETHICS_TASKS_SQLITE": str(Path(tempfile.mkdtemp()) / "tasks.db")}
    env = {**os.environ, "ETHICS_DATABASE_URL": url, "SECRET_KEY": "b" * 48, **tasks}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "ethics", "worker"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    masters: list[int] = []
    try:
        with gunicorn("ethics:create_app()", url, masters, **tasks) as port:
            client = Client(port)
            client.sign_in("bench-hr", BENCH_PASSWORD)
            start = time.perf_counter()
            status, location = _upload(port, client, path)
            job_id, outcome = location.rsplit("/", 1)[-1], f"upload refused ({status})"
            while status == 302 and time.perf_counter() - start < 120:
                with engine(url).connect() as connection:
                    row = connection.execute(text("SELECT status, errors FROM import_job WHERE id = :id"),
                                             {"id": job_id}).one()
                if row[0] not in ("queued", "checking"):
                    errors = json.loads(row[1]) if isinstance(row[1], str) else row[1]
                    outcome = " ".join([row[0], *map(str, errors[0] if errors else [])])
                    break
                time.sleep(0.05)
            seconds = time.perf_counter() - start
            with open(f"/proc/{masters[0]}/task/{masters[0]}/children", encoding="ascii") as children:
                web = [_peak_mb(int(pid)) for pid in children.read().split()]
            worker_mb = _peak_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {"seconds": seconds, "peak_rss_mb": max([*web, worker_mb]), "web_worker_mb": max(web),
            "task_worker_mb": worker_mb, "status": outcome}


def main() -> None:
    cli = sys.argv[1] == "--cli"
    url, file = sys.argv[2:] if sys.argv[1].startswith("--") else sys.argv[1:]
    os.environ["ETHICS_DATABASE_URL"] = url
    from ethics import create_app
    from ethics.core.extensions import db
    from ethics.importing import services
    from ethics.importing.models import ImportJob

    path = Path(file)
    if cli:
        app = create_app()
        with app.app_context():
            start_rss, start = _status_mb("VmRSS"), time.perf_counter()
            result = app.test_cli_runner().invoke(args=["import-roster", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        print(json.dumps({"seconds": time.perf_counter() - start, "peak_rss_mb": _status_mb("VmHWM"),
                          "start_rss_mb": start_rss, "status": f"exit {result.exit_code}",
                          "first_line": (result.output.strip().splitlines() or [""])[0]}))
        return
    if sys.argv[1] == "--store":  # the web process's part, in a process of its own
        with create_app().app_context():
            job = services.create_job(services.REGISTRY["roster"], path.name, path.read_bytes(), {}, 0, "en")
            db.session.commit()
            print(job.id)
        return
    # The worker's part: a fresh process that has never held the upload checks the stored job.
    job_id = subprocess.run([sys.executable, "-m", "bench.import_memory", "--store", url, file], check=True,
                            capture_output=True, text=True).stdout.split()[-1]
    with create_app().app_context():
        start_rss = _status_mb("VmRSS")
        start = time.perf_counter()
        services.check_job(job_id)
        seconds = time.perf_counter() - start
        peak = _status_mb("VmHWM")
        job = db.session.get_one(ImportJob, job_id)
        result = {"seconds": seconds, "peak_rss_mb": peak, "start_rss_mb": start_rss, "status": job.status,
                  "errors": len(job.errors), "more_errors": job.more_errors,
                  "first_error": " ".join(map(str, job.errors[0])) if job.errors else ""}
        db.session.delete(job)
        db.session.commit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
