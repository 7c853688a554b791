"""The baselines: the same work done the shortest way the stack allows, on the same data."""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
from datetime import UTC, datetime

from sqlalchemy import bindparam, text

from bench.database import engine
from ethics.core.fiscal import fiscal_year_bounds
from ethics.demo import make_citizen_id
from ethics.people.citizen_id import mask

# Counted sessions: not cancelled, first day in the year, linked to one of the year's plan activities.
COUNTED = ("s.status <> 'cancelled' AND s.first_day BETWEEN :first AND :last AND s.plan_activity_code IN "
           "(SELECT a.code FROM plan_activity a JOIN plan_measure m ON m.id = a.measure_id JOIN plan_strategy st "
           "ON st.id = m.strategy_id JOIN plan pl ON pl.id = st.plan_id WHERE pl.fiscal_year = :year)")
PEOPLE = ("SELECT x.code, p.personnel_type, p.unit_id, count(*) FROM ({pairs}) x JOIN person p ON p.id = x.person_id "
          "GROUP BY x.code, p.personnel_type, p.unit_id")
REPORT_QUERIES = {
    "activities": "SELECT a.id, a.code, a.source, st.name, m.name, a.name, a.indicator, a.responsible, a.target, "
                  "a.result_text FROM plan_activity a JOIN plan_measure m ON m.id = a.measure_id "
                  "JOIN plan_strategy st ON st.id = m.strategy_id JOIN plan pl ON pl.id = st.plan_id "
                  "WHERE pl.fiscal_year = :year ORDER BY st.number, m.number, a.number",
    "participants": PEOPLE.format(pairs="SELECT DISTINCT s.plan_activity_code AS code, a.person_id FROM attendance a "
                                        f"JOIN training_session s ON s.id = a.session_id WHERE a.present AND {COUNTED}"),
    "passed": PEOPLE.format(pairs="SELECT DISTINCT s.plan_activity_code AS code, r.person_id FROM registration r "
                                  f"JOIN training_session s ON s.id = r.session_id WHERE r.passed AND {COUNTED}"),
    "held": f"SELECT s.plan_activity_code, count(*) FROM training_session s WHERE {COUNTED} AND EXISTS "
            "(SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.present) GROUP BY s.plan_activity_code",
    "nominees": PEOPLE.format(pairs="SELECT DISTINCT '' AS code, n.person_id FROM nomination n JOIN award_round r "
                                    "ON r.id = n.round_id WHERE r.year = :year AND n.status IN "
                                    "('submitted', 'eligible', 'ineligible', 'selected', 'not_selected')"),
    "awardees": PEOPLE.format(pairs="SELECT DISTINCT '' AS code, n.person_id FROM nomination n JOIN award_round r "
                                    "ON r.id = n.round_id WHERE r.year = :year AND r.status = 'announced' "
                                    "AND n.status = 'selected'"),
    "morale": "SELECT avg(a.value) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
              "JOIN morale_campaign c ON c.id = r.campaign_id WHERE c.fiscal_year = :year AND c.status = 'closed'",
    "manual": "SELECT e.activity_id, e.value FROM plan_manual_entry e JOIN plan_activity a ON a.id = e.activity_id "
              "ORDER BY e.entry_date, e.id",
}


def report_sql(url: str, year: int) -> str:
    """Every number of the year's report, straight from SQL, written as CSV."""
    first, last = fiscal_year_bounds(year)
    params = {"year": year, "first": first, "last": last}
    with engine(url).connect() as connection:
        got = {name: connection.execute(text(query), params).all() for name, query in REPORT_QUERIES.items()}
    totals: dict[str, dict] = {}
    for name in ("participants", "passed", "nominees", "awardees"):
        totals[name] = {}
        for code, _kind, _unit, number in got[name]:
            totals[name][code] = totals[name].get(code, 0) + number
    held = dict(got["held"])
    latest = dict(got["manual"])
    morale = got["morale"][0][0]
    value = {"training_participants": lambda code, _id: totals["participants"].get(code, 0),
             "training_passed": lambda code, _id: totals["passed"].get(code, 0),
             "training_sessions": lambda code, _id: held.get(code, 0),
             "nominees": lambda code, _id: totals["nominees"].get("", 0),
             "awardees": lambda code, _id: totals["awardees"].get("", 0),
             "morale_index": lambda code, _id: "" if morale is None else f"{float(morale):.2f}",
             "manual": lambda code, activity_id: latest.get(activity_id, "")}
    stream = io.StringIO()
    writer = csv.writer(stream)
    for activity_id, code, source, *texts in got["activities"]:
        writer.writerow([code, *texts, value[source](code, activity_id)])
    return stream.getvalue()


def roster_rows(url: str, count: int) -> list[dict]:
    """`count` new people in the roster import's columns, spread over the existing units."""
    with engine(url).connect() as connection:
        units = [row[0] for row in connection.execute(text("SELECT code FROM unit ORDER BY code"))]
        taken = {row[0] for row in connection.execute(text("SELECT citizen_id FROM person"))}
    rng, rows = random.Random(20_000), []
    while len(rows) < count:
        cid = make_citizen_id(rng)
        if cid in taken:
            continue
        taken.add(cid)
        n = len(rows)
        rows.append({"citizen_id": cid, "title": "นาย", "first_name": f"ใหม่{n}", "last_name": f"นำเข้า{n}",
                     "personnel_type": "civil_servant", "unit_code": units[n % len(units)], "position": "นักวิชาการ",
                     "position_level": "ปฏิบัติการ", "email": "", "supervisor_citizen_id": "",
                     "service_start_date": "2020-01-01"})
    return rows


def _chained(rows: list[tuple], last: tuple | None, key: bytes) -> list[tuple]:
    """Audit rows for (target id, details) pairs, chained after `last` (seq, hash) as the log
    chains them: an HMAC-SHA256 of the canonical JSON, the previous hash included."""
    seq, previous = last or (0, "0" * 64)
    created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    chained = []
    for target_id, details in rows:
        seq += 1
        content = [seq, created.isoformat(), None, "system", "person.import", "Person", target_id, details, "",
                   previous]
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        digest = hmac.new(key, b"hmac-sha256\n" + canonical, hashlib.sha256).hexdigest()
        chained.append((seq, created, None, "system", "person.import", "Person", target_id,
                        json.dumps(details, ensure_ascii=False), "", previous, digest, "hmac-sha256"))
        previous = digest
    return chained


def insert_people(url: str, rows: list[dict], audit_key: bytes) -> None:
    """What the import writes, by raw executemany: unit codes to ids, the people in one INSERT,
    their ids read back, and one hash-chained audit entry per new person after the log's last."""
    raw = engine(url).raw_connection()
    postgresql = engine(url).dialect.name == "postgresql"
    mark = "%s" if postgresql else "?"
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT code, id FROM unit")
        units = dict(cursor.fetchall())
        cursor.execute("SELECT coalesce(max(id), 0) FROM person")
        (before,) = cursor.fetchone()
        cursor.executemany(
            "INSERT INTO person (citizen_id, title, first_name, last_name, personnel_type, unit_id, position, "
            f"position_level, email, service_start_date, active, version) VALUES ({', '.join([mark] * 12)})",
            [(r["citizen_id"], r["title"], r["first_name"], r["last_name"], r["personnel_type"], units[r["unit_code"]],
              r["position"], r["position_level"], r["email"], r["service_start_date"], True, 1) for r in rows])
        cursor.execute(f"SELECT citizen_id, id FROM person WHERE id > {mark}", (before,))
        ids = dict(cursor.fetchall())
        if postgresql:
            cursor.execute("SELECT pg_advisory_xact_lock(7240001)")  # the chain's writers queue, as the app's do
        cursor.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
        entries = _chained([(str(ids[r["citizen_id"]]), {"status": "new", "citizen_id": mask(r["citizen_id"])})
                            for r in rows], cursor.fetchone(), audit_key)
        cursor.executemany(
            "INSERT INTO audit_entry (seq, created_at, actor_id, actor_label, action, target_type, target_id, details, "
            f"ip, prev_hash, hash, scheme) VALUES ({', '.join([mark] * 12)})", entries)
        raw.commit()
    finally:
        raw.close()


DELETE_PEOPLE = text("DELETE FROM person WHERE citizen_id IN :ids").bindparams(bindparam("ids", expanding=True))


def delete_people(url: str, citizen_ids: list[str]) -> None:
    with engine(url).begin() as connection:
        for start in range(0, len(citizen_ids), 1000):
            connection.execute(DELETE_PEOPLE, {"ids": citizen_ids[start:start + 1000]})
