"""PF5 in a fresh process: `python -m bench.export_xlsx ours|baseline URL YEAR...`; prints JSON
with seconds, peak_rss_mb and rows. Ours is the app's attendance export; the baseline feeds the
same query's rows from a raw cursor into openpyxl's write-only mode."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from itertools import chain


def ours(url: str, years: list[int], path: str) -> int:
    from ethics import create_app
    from ethics.core.spreadsheets import write_xlsx
    from ethics.training.exports import ATTENDANCE_HEADER, attendance_rows

    os.environ["ETHICS_DATABASE_URL"] = url
    rows = [0]

    def counted(items):
        for item in items:
            rows[0] += 1
            yield item

    with create_app().app_context():
        write_xlsx(path, ATTENDANCE_HEADER, counted(chain.from_iterable(attendance_rows(y) for y in years)),
                   title="attendance")
    return rows[0]


BASELINE = """
SELECT s.code, c.code, c.category, s.first_day, d.last_day, p.citizen_id, p.title || p.first_name || ' ' || p.last_name,
       u.code, p.personnel_type, coalesce(a.days, 0), r.completed, r.passed
FROM registration r
JOIN training_session s ON s.id = r.session_id
JOIN course c ON c.id = s.course_id
JOIN (SELECT session_id, max(day) AS last_day FROM session_day GROUP BY session_id) d ON d.session_id = s.id
JOIN person p ON p.id = r.person_id
JOIN unit u ON u.id = p.unit_id
LEFT JOIN (SELECT session_id, person_id, sum(CASE WHEN present THEN 1 ELSE 0 END) AS days FROM attendance
           GROUP BY session_id, person_id) a ON a.session_id = r.session_id AND a.person_id = r.person_id
WHERE r.status = 'confirmed' AND s.status <> 'cancelled' AND s.first_day BETWEEN '{first}' AND '{last}'
ORDER BY s.first_day, s.code, p.citizen_id
"""


def baseline(url: str, years: list[int], path: str) -> int:
    from openpyxl import Workbook

    from bench.database import engine
    from ethics.core.fiscal import fiscal_year_bounds

    raw = engine(url).raw_connection()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("attendance")
    rows = 0
    for year in years:
        first, last = fiscal_year_bounds(year)
        cursor = raw.cursor()
        cursor.execute(BASELINE.format(first=first, last=last))
        while batch := cursor.fetchmany(2000):
            for row in batch:
                sheet.append(row)
                rows += 1
    workbook.save(path)
    raw.close()
    return rows


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM): getrusage's ru_maxrss would include the memory
    of the parent this process was forked from, before exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main() -> None:
    side, url, *years = sys.argv[1:]
    path = os.path.join(tempfile.mkdtemp(), "attendance.xlsx")
    start = time.perf_counter()
    rows = (ours if side == "ours" else baseline)(url, [int(y) for y in years], path)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "rows": rows}))


if __name__ == "__main__":
    main()
