"""The summary rows the report counts from, kept current by every write in its own transaction.

`Participation` holds, per fiscal year, plan activity and person, whether the person attended
(was present on a day of) and passed a counted session of the activity in that year (the rules
of ethics/training/counting.py), with the personnel type and unit the person is counted under;
`Tally` holds those rows counted per (year, activity, personnel type, unit). The report then
reads a few thousand cells, whatever the number of attendance rows. Besides the activities' codes
(digits and dots), two kinds of key count every session that is not cancelled, linked to an
activity or not: `EVERY_SESSION` for the year, and `month_key(m)` for the sessions whose first
day is in month m: the plan dashboard's participation by unit and by month.

A write that may change who attended or passed (a mark and its undo, a check-in, an import,
closing, cancelling, moving a session's first day or changing its activity, a person's unit or
personnel type) calls `refresh` once, last, with the people it touched. It locks their person
rows (PostgreSQL; SQLite writers are serialised already), recomputes each person's standing
from their raw rows, and applies only the difference to both tables. A change that stays within
one session and cannot move it to another year or activity (its marks, its results, its state)
names the session, and only the keys that session counts for in its year (its activity, the year,
its month) are recomputed. Two writers touching one person take turns, and the second
recomputes after the first has committed, so under undo and under concurrent writes every
count equals what the raw rows give. Cells are changed in key order, and every writer takes
these locks before the audit chain's (a person's save and the roster import too, which also
update people in id order), so writers cannot deadlock on them.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    true,
    union_all,
)

from ethics.core.bulk import upsert
from ethics.core.extensions import db
from ethics.core.fiscal import BE_OFFSET, fiscal_year_of
from ethics.people.counting import Count
from ethics.people.models import Person
from ethics.training.models import Attendance, Participation, Registration, SessionStatus, Tally, TrainingSession

CHUNK = 2_000  # people per statement: far below either database's limit of parameters
Key = tuple[int, str, int]  # fiscal year, activity code (or a key below), person id
EVERY_SESSION = "*"  # a year's sessions, linked to an activity or not; no activity code has a star


def month_key(month: int) -> str:
    """The key of the sessions whose first day is in this month (1-12)."""
    return f"{EVERY_SESSION}{month}"


def _keys(code: str, day) -> tuple[str, ...]:
    """The keys a counted session's attendance and passes count for (without a day, no month's)."""
    keys = (EVERY_SESSION, month_key(day.month)) if day else (EVERY_SESSION,)
    return (code, *keys) if code else keys


def people_of(session_ids: Iterable[int]) -> set[int]:
    """Everyone registered for or marked in these sessions: whom a change to a session concerns."""
    ids = list(session_ids)
    if not ids:
        return set()
    registered = select(Registration.person_id).where(Registration.session_id.in_(ids))
    marked = select(Attendance.person_id).where(Attendance.session_id.in_(ids))
    return set(db.session.scalars(union_all(registered, marked)))


def on_people_moved(_sender, ids: list[int]) -> None:
    """The people domain's signal: these people now count under another unit or personnel type."""
    refresh(ids)


def refresh(person_ids: Iterable[int], session_id: int | None = None) -> None:
    """Bring these people's summary rows, and the cells they are counted in, up to date. With
    `session_id`, only the rows of the keys that session counts for in its fiscal year: a change
    to one session's marks, results or state (not to its first day or activity) concerns no
    other."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    db.session.flush()
    connection = db.session.connection()
    chunks = [ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)]
    cells: dict[int, tuple[str, int]] = {}
    many = len(ids) > 1  # one person (a mark) by a plain parameter: an expanding IN costs more to send
    for chunk in chunks:  # every person locked, in id order, before anything is read
        cells.update((row.id, (row.personnel_type, row.unit_id))
                     for row in connection.execute(_lock(many), _people(chunk, many)))
    fresh: dict[Key, list[bool]] = {}
    stored: dict[Key, tuple] = {}
    if session_id is None:
        statement, within = _standing(many, connection.dialect.name), {}
    else:
        statement, within = _session_standing(many, connection.dialect.name), {"session": session_id}
    for chunk in chunks:
        for tag, person_id, code, day, year, attended, passed, kind, unit_id in connection.execute(
                statement, _people(chunk, many) | within):
            if tag == "s":
                stored[year, code, person_id] = (bool(attended), bool(passed), kind, unit_id)
            else:
                year, flag = year or fiscal_year_of(day), 1 if tag == "p" else 0
                for key in _keys(code, day):
                    fresh.setdefault((year, key, person_id), [False, False])[flag] = True
    _apply(connection, fresh, stored, cells)


def _apply(connection: Connection, fresh: dict[Key, list[bool]], stored: dict[Key, tuple], cells: dict) -> None:
    """Write what changed: the participation rows, and each cell's difference."""
    upserts: list[dict] = []
    deletes: list[dict] = []
    deltas: dict[tuple[int, str, str, int], list[int]] = {}
    for key in fresh.keys() | stored.keys():
        year, code, person_id = key
        new = (*fresh[key], *cells[person_id]) if key in fresh else None
        old = stored.get(key)
        if new == old:
            continue
        for standing, sign in ((old, -1), (new, 1)):
            if standing is not None:
                attended, passed, kind, unit_id = standing
                delta = deltas.setdefault((year, code, kind, unit_id), [0, 0])
                delta[0] += sign * attended
                delta[1] += sign * passed
        if new is None:
            deletes.append({"y": year, "c": code, "p": person_id})
        else:
            upserts.append({"fiscal_year": year, "activity_code": code, "person_id": person_id, "attended": new[0],
                            "passed": new[1], "personnel_type": new[2], "unit_id": new[3]})
    dialect = connection.dialect.name
    if deletes:
        connection.execute(_delete(), deletes)
    if upserts:
        connection.execute(_upsert_participation(dialect), upserts)
    changed = [{"fiscal_year": year, "activity_code": code, "personnel_type": kind, "unit_id": unit_id,
                "participants": delta[0], "passed": delta[1]}
               for (year, code, kind, unit_id), delta in sorted(deltas.items()) if delta != [0, 0]]
    if changed:
        connection.execute(_add_to_cells(dialect), changed)


def _people(ids: list[int], many: bool) -> dict:
    return {"ids": ids} if many else {"id": ids[0]}


def _of_people(column, many: bool):
    return column.in_(bindparam("ids", expanding=True)) if many else column == bindparam("id")


@cache
def _lock(many: bool):
    return (select(Person.id, Person.personnel_type, Person.unit_id)
            .where(_of_people(Person.id, many)).order_by(Person.id)
            .with_for_update(key_share=True))


def _counted_sessions(rows, by_key: bool = False):
    """`rows` (Attendance or Registration) joined with their sessions that count (not cancelled):
    the FROM clause, and the session's columns.

    `by_key` looks each row's session up by its key, in a LATERAL subquery the planner keeps apart
    (OFFSET 0): for one person's few dozen rows PostgreSQL would otherwise hash every session of
    every year, 2 of a mark's 7 ms at province scale."""
    counted = (TrainingSession.status != SessionStatus.CANCELLED,)
    if by_key:
        session = (select(TrainingSession.plan_activity_code, TrainingSession.first_day)
                   .where(TrainingSession.id == rows.session_id, *counted).offset(0).lateral())
        return rows.__table__.join(session, true()), session.c
    sessions = TrainingSession.__table__
    return rows.__table__.join(sessions, and_(sessions.c.id == rows.session_id, *counted)), sessions.c


_NO_BOOL, _NO_INT, _NO_TEXT = cast(null(), Boolean), cast(null(), Integer), cast(null(), String)


def _kept(many: bool, *where):
    """The people's stored participation rows ("s"), in the shape of `_standing`'s rows."""
    return select(literal("s"), Participation.person_id, Participation.activity_code, cast(null(), Date),
                  Participation.fiscal_year, Participation.attended, Participation.passed,
                  Participation.personnel_type, Participation.unit_id).where(
        _of_people(Participation.person_id, many), *where)


@cache
def _standing(many: bool, dialect: str):
    """One statement: each person's counted attendance ("a") and passes ("p") with the session's
    activity and first day, and their stored participation rows ("s"), in every year."""
    by_key = not many and dialect == "postgresql"  # SQLite has no LATERAL, and looks sessions up by key already

    def counted(tag: str, rows, *where):
        source, session = _counted_sessions(rows, by_key)
        return select(literal(tag), rows.person_id, session.plan_activity_code, session.first_day, _NO_INT,
                      _NO_BOOL, _NO_BOOL, _NO_TEXT, _NO_INT).select_from(source).where(
            _of_people(rows.person_id, many), *where)

    return union_all(counted("a", Attendance, Attendance.present),
                     counted("p", Registration, Registration.passed.is_(True)), _kept(many))


@cache
def _session_standing(many: bool, dialect: str):
    """Like `_standing`, for a change within the session bound as "session": only the keys it
    counts for (its activity, the year, its month) can change, so each person gets one row per
    kind ("a", "p") saying which of them they still count for in the session's fiscal year (the
    activity's code or "", the session's first day for its month or NULL), and their stored rows
    of those keys. A mark then reads a few rows instead of its holder's year."""
    by_key = not many and dialect == "postgresql"
    that = (select(TrainingSession.plan_activity_code.label("code"), TrainingSession.first_day.label("day"),
                   fiscal_year_column(TrainingSession.first_day).label("year"), _month(TrainingSession.first_day)
                   .label("month")).where(TrainingSession.id == bindparam("session")).cte("that"))

    def counted(tag: str, rows, *where):
        source, session = _counted_sessions(rows, by_key)
        same_code = func.max(case((session.plan_activity_code == that.c.code, 1), else_=0)) == 1
        same_month = func.max(case((_month(session.first_day) == that.c.month, 1), else_=0)) == 1
        return (select(literal(tag), rows.person_id, case((same_code, that.c.code), else_=""),
                       case((same_month, that.c.day), else_=null()), that.c.year,
                       _NO_BOOL, _NO_BOOL, _NO_TEXT, _NO_INT)
                .select_from(source.join(that, fiscal_year_column(session.first_day) == that.c.year))
                .where(_of_people(rows.person_id, many), *where)
                .group_by(rows.person_id, that.c.code, that.c.day, that.c.year))

    def of_that(column):  # a value, not a join, so that the stored rows are found by their key
        return select(column).scalar_subquery()

    keys = (of_that(that.c.code), literal(EVERY_SESSION), literal(EVERY_SESSION) + of_that(cast(that.c.month, String)))
    kept = _kept(many, Participation.fiscal_year == of_that(that.c.year), Participation.activity_code.in_(keys))
    return union_all(counted("a", Attendance, Attendance.present),
                     counted("p", Registration, Registration.passed.is_(True)), kept)


def _month(day):
    return cast(func.extract("month", day), Integer)


@cache
def _delete():
    return delete(Participation).where(Participation.fiscal_year == bindparam("y"),
                                       Participation.activity_code == bindparam("c"),
                                       Participation.person_id == bindparam("p"))


@cache
def _upsert_participation(dialect: str):
    statement = upsert(dialect)(Participation)
    return statement.on_conflict_do_update(
        index_elements=["fiscal_year", "activity_code", "person_id"],
        set_={name: statement.excluded[name] for name in ("attended", "passed", "personnel_type", "unit_id")})


@cache
def _add_to_cells(dialect: str):
    statement = upsert(dialect)(Tally)
    table = Tally.__table__
    return statement.on_conflict_do_update(
        index_elements=["fiscal_year", "activity_code", "personnel_type", "unit_id"],
        set_={"participants": table.c.participants + statement.excluded.participants,
              "passed": table.c.passed + statement.excluded.passed})


def counts(fiscal_year: int, codes: list[str], passed: bool = False) -> dict[str, Count]:
    """Per activity code, the distinct people who attended (or passed) it in the year, by
    personnel type and unit: one query over the year's cells of these activities."""
    column = Tally.passed if passed else Tally.participants
    rows = db.session.execute(select(Tally.activity_code, Tally.personnel_type, Tally.unit_id, column).where(
        Tally.fiscal_year == fiscal_year, Tally.activity_code.in_(codes), column > 0))
    found: dict[str, Count] = {}
    for code, kind, unit_id, number in rows:
        found.setdefault(code, Count(0)).add(kind, unit_id, number)
    return found


def fiscal_year_column(day):
    """SQL for `fiscal_year_of(day)`: the Buddhist Era year in which the fiscal year ends."""
    return (cast(func.extract("year", day), Integer) + BE_OFFSET
            + case((cast(func.extract("month", day), Integer) >= 10, 1), else_=0))


def rebuild(connection: Connection) -> None:
    """Recompute every summary row from the raw rows, set-based (the migration's backfill, the
    benchmark generator, `flask rebuild-summaries` after a repair by hand)."""
    connection.execute(delete(Tally))
    connection.execute(delete(Participation))
    arms = []
    for rows, counted, attended, passed in ((Attendance, Attendance.present, 1, 0),
                                            (Registration, Registration.passed.is_(True), 0, 1)):
        source, session = _counted_sessions(rows)
        month = cast(_month(session.first_day), String)
        for key, linked in ((session.plan_activity_code, session.plan_activity_code != ""),
                            (literal(EVERY_SESSION), true()), (literal(EVERY_SESSION) + month, true())):
            arms.append(select(fiscal_year_column(session.first_day).label("y"), key.label("c"),
                               rows.person_id.label("p"), literal(attended).label("a"),
                               literal(passed).label("s")).select_from(source).where(counted, linked))
    both = union_all(*arms).subquery()
    standing = select(both.c.y, both.c.c, both.c.p, func.max(both.c.a).label("a"), func.max(both.c.s).label("s")) \
        .group_by(both.c.y, both.c.c, both.c.p).subquery()
    connection.execute(insert(Participation).from_select(
        ["fiscal_year", "activity_code", "person_id", "personnel_type", "unit_id", "attended", "passed"],
        select(standing.c.y, standing.c.c, standing.c.p, Person.personnel_type, Person.unit_id,
               standing.c.a == 1, standing.c.s == 1).join(Person, Person.id == standing.c.p)))
    connection.execute(insert(Tally).from_select(
        ["fiscal_year", "activity_code", "personnel_type", "unit_id", "participants", "passed"],
        select(Participation.fiscal_year, Participation.activity_code, Participation.personnel_type,
               Participation.unit_id, func.sum(case((Participation.attended, 1), else_=0)),
               func.sum(case((Participation.passed, 1), else_=0)))
        .group_by(Participation.fiscal_year, Participation.activity_code, Participation.personnel_type,
                  Participation.unit_id)))
