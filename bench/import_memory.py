"""PF9 (the worst upload) in a fresh process: `python -m bench.import_memory URL FILE`; checks FILE as a roster
upload's job is checked (`check_job`: read, check every row, store the problems on the job) and
prints JSON with seconds, peak_rss_mb, start_rss_mb (the process before the check), status,
errors (stored on the job) and more_errors.

`write_files(folder)` writes the worst files: a full roster header over one-cell rows, every
row a problem (the cell is not a citizen ID; the required names, type and unit are missing).
"""
from __future__ import annotations

import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

# name -> (data rows, format): the reported attack files, and the same cells at the default
# ETHICS_MAX_IMPORT_ROWS (100,000), the most rows a file may have and still be checked.
FILES = {"xlsx 1,000,000 one-cell rows": (1_000_000, "xlsx"), "csv 200,000 one-cell rows": (200_000, "csv"),
         "xlsx 100,000 one-cell rows": (100_000, "xlsx"), "csv 100,000 one-cell rows": (100_000, "csv")}


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


def main() -> None:
    url, file = sys.argv[1:]
    os.environ["ETHICS_DATABASE_URL"] = url
    from ethics import create_app
    from ethics.core.extensions import db
    from ethics.importing import services
    from ethics.importing.models import ImportJob

    path = Path(file)
    with create_app().app_context():
        job = services.create_job(services.REGISTRY["roster"], path.name, path.read_bytes(), {}, 0, "en")
        db.session.commit()
        job_id = job.id
        db.session.expunge_all()
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
