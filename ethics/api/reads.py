"""What the API answers, built from the same services as the web pages and the exports, so every
number is theirs: the plan's report rows and values (ethics/plan), the training counting rules,
the survey's suppressed aggregates and the announced winners. Each function runs a fixed number
of queries whatever the data's size."""
from __future__ import annotations

from datetime import UTC

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds
from ethics.core.refusals import NotFound
from ethics.people.models import Unit
from ethics.plan import dashboard, report, services
from ethics.plan.models import Plan, Snapshot
from ethics.plan.sources import values_for
from ethics.recognition import rounds
from ethics.recognition.models import AwardRound, Nomination, NominationStatus, RoundStatus
from ethics.survey import campaigns, exports
from ethics.survey.models import CampaignStatus, MoraleCampaign
from ethics.survey.results import campaign_results
from ethics.training import counting
from ethics.training.catalogue import sessions_in_year
from ethics.training.models import TrainingSession
from ethics.web.pagination import paginate


def page_of(items: list, page: int, per_page: int) -> dict:
    """A page of a short list that is already in memory (one a year: plans, campaigns, rounds)."""
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "page": page, "per_page": per_page, "total": len(items)}


def _page_of_query(query: Select, page: int, per_page: int):
    found = paginate(query, page, per_page)
    return found, {"page": page, "per_page": per_page, "total": found.total}


def _plan(fiscal_year: int) -> Plan:
    plan = services.plan_for(fiscal_year)
    if plan is None:
        raise NotFound()
    return plan


def fiscal_years(page: int, per_page: int) -> dict:
    years = services.plan_years()
    items = [{"fiscal_year": year, "starts": fiscal_year_bounds(year)[0], "ends": fiscal_year_bounds(year)[1]}
             for year in years]
    return page_of(items, page, per_page)


def plan(fiscal_year: int) -> dict:
    """The plan of a year: its strategies and measures, and the report's row for each activity."""
    found = _plan(fiscal_year)
    populations = {a.code: list(a.personnel_types or []) for a in found.activities}
    return {
        "fiscal_year": fiscal_year,
        "strategies": [{"number": s.number, "name": s.name, "objective": s.objective,
                        "measures": [{"number": m.number, "name": m.name} for m in s.measures]}
                       for s in found.strategies],
        "activities": [_row(row, populations.get(row["code"], [])) for row in report.rows(found)],
    }


def _row(row: dict, population: list[str] | None = None) -> dict:
    return {"code": row.get("code", ""), "strategy": row.get("strategy", ""), "measure": row.get("measure", ""),
            "activity": row.get("activity", ""), "indicator": row.get("indicator", ""),
            "responsible": row.get("responsible", ""), "target": row.get("target", ""),
            "source": row.get("source", ""), "population": population or [], "value": row.get("value", ""),
            "result": row.get("result", "")}


def values(fiscal_year: int) -> dict:
    """Each activity's value with its breakdown by personnel type and by unit (unit codes)."""
    found = _plan(fiscal_year)
    activities = found.activities
    computed = values_for(activities, fiscal_year)
    unit_ids = {unit_id for value in computed.values() for unit_id in value.by_unit}
    units = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    return {"fiscal_year": fiscal_year, "items": [
        {"code": a.code, "source": a.source, "value": computed[a.id].value,
         "result": a.result_text or computed[a.id].summary,
         "by_personnel_type": dict(sorted(computed[a.id].by_personnel_type.items())),
         "by_unit": [{"unit": units.get(unit_id, ""), "count": n}
                     for unit_id, n in sorted(computed[a.id].by_unit.items(), key=lambda item: units.get(item[0], ""))]}
        for a in activities]}


RECORDS_PER_PAGE = 50  # the web's page of an activity's people (ethics/plan/dashboard.py)


def records(fiscal_year: int, code: str, page: int) -> dict:
    """The people (citizen IDs masked, as on the web) or sessions behind one activity's value."""
    found = _plan(fiscal_year)
    activity = next((a for a in found.activities if a.code == code), None)
    if activity is None:
        raise NotFound()
    drill = dashboard.drill_down(activity, fiscal_year, page)
    people = drill.people
    return {
        "code": code, "value": drill.value.value,
        "people": None if people is None else {
            "items": [{"name": p.full_name, "citizen_id": p.masked_citizen_id, "personnel_type": p.personnel_type,
                       "unit": p.unit.code} for p in people.items],
            "page": people.page, "per_page": RECORDS_PER_PAGE, "total": people.total},
        "sessions": None if drill.sessions is None else [
            {"code": s.code, "course": s.course.code, "first_day": s.first_day, "status": s.status}
            for s in drill.sessions],
    }


def snapshots(fiscal_year: int, page: int, per_page: int) -> dict:
    found = _plan(fiscal_year)
    listed = db.session.execute(select(Snapshot.id, Snapshot.name, Snapshot.locked_on)
                                .where(Snapshot.plan_id == found.id).order_by(Snapshot.locked_on, Snapshot.id)).all()
    return page_of([{"id": s.id, "name": s.name, "locked_on": s.locked_on} for s in listed], page, per_page)


def snapshot(fiscal_year: int, snapshot_id: int) -> dict:
    found = _plan(fiscal_year)
    locked = db.session.get(Snapshot, snapshot_id)
    if locked is None or locked.plan_id != found.id:
        raise NotFound()
    return {"id": locked.id, "name": locked.name, "locked_on": locked.locked_on, "fiscal_year": fiscal_year,
            "activities": [_row(row) for row in locked.rows]}


def sessions(fiscal_year: int, page: int, per_page: int) -> dict:
    """The year's sessions by first day, each with its seats taken, participants and passes
    (the counting rules of ethics/training/counting.py, per session)."""
    found, meta = _page_of_query(sessions_in_year(fiscal_year).order_by(TrainingSession.first_day, TrainingSession.id),
                                 page, per_page)
    ids = [s.id for s in found.items]
    by_session = select(TrainingSession.id, TrainingSession.id.label("key")).where(TrainingSession.id.in_(ids))
    present = counting.participants_by(by_session) if ids else {}
    passed = counting.passed_by(by_session) if ids else {}
    empty = counting.Count(0)
    return {**meta, "items": [
        {"code": s.code, "course": s.course.code, "title": s.course.title_th, "category": s.course.category,
         "first_day": s.first_day, "status": s.status, "plan_activity": s.plan_activity_code,
         "capacity": s.capacity, "confirmed": s.taken,
         "participants": _count(present.get(s.id, empty)), "passed": _count(passed.get(s.id, empty))}
        for s in found.items]}


def _count(count) -> dict:
    return {"total": count.total, "by_personnel_type": dict(sorted(count.by_personnel_type.items()))}


def _published_campaigns(fiscal_year: int | None) -> list[MoraleCampaign]:
    return [c for c in campaigns.listed() if c.status == CampaignStatus.CLOSED
            and (fiscal_year is None or c.fiscal_year == fiscal_year)]


def survey_campaigns(fiscal_year: int | None, page: int, per_page: int) -> dict:
    listed = _published_campaigns(fiscal_year)
    counts = campaigns.turnout([c.id for c in listed]) if listed else {}
    return page_of([{"id": c.id, "fiscal_year": c.fiscal_year, "title": c.title, "opens_on": c.opens_on,
                     "closes_on": c.closes_on, "eligible": counts[c.id].eligible, "answered": counts[c.id].answered}
                    for c in listed], page, per_page)


def survey_results(campaign_id: int) -> dict:
    """The export's rows (group, dimension, item, n, mean, sd, level), suppressed groups as such."""
    campaign = next((c for c in _published_campaigns(None) if c.id == campaign_id), None)
    if campaign is None:
        raise NotFound()
    outcome = campaign_results(campaign)
    rows = [dict(zip(exports.HEADER, row, strict=True)) for row in exports.rows(outcome)]
    return {"id": campaign.id, "fiscal_year": campaign.fiscal_year, "eligible": outcome.eligible,
            "answered": outcome.answered, "rows": [_survey_row(row) for row in rows]}


def _survey_row(row: dict) -> dict:
    suppressed = row["n"] == exports.SUPPRESSED
    return {"group": row["group"], "dimension": row["dimension"], "item": row["item"], "suppressed": suppressed,
            "n": None if suppressed else row["n"], "mean": _number(row["mean"]), "sd": _number(row["sd"]),
            "level": row["level"]}


def _number(value):
    return None if value == "" else float(value)


def winners(fiscal_year: int | None, page: int, per_page: int) -> dict:
    """Announced rounds with their winners as the announcement names them, in rank order."""
    listed = [r for r in rounds.listed() if r.status == RoundStatus.ANNOUNCED
              and (fiscal_year is None or r.year == fiscal_year)]
    shown = page_of(listed, page, per_page)
    chosen = _selected([r.id for r in shown["items"]])
    shown["items"] = [
        {"fiscal_year": r.year, "title": r.title, "announced_at": r.announced_at and r.announced_at.replace(tzinfo=UTC),
         "winners": [
            {"rank": n.rank, "name": n.person.full_name, "position": f"{n.person.position} {n.person.position_level}".strip(),
             "unit": n.unit.name_th} for n in chosen.get(r.id, [])]}
        for r in shown["items"]]
    return shown


def _selected(round_ids: list[int]) -> dict[int, list[Nomination]]:
    """rounds.selected() for several rounds in one query."""
    if not round_ids:
        return {}
    found: dict[int, list[Nomination]] = {}
    for nomination in db.session.scalars(
            select(Nomination).join(AwardRound, AwardRound.id == Nomination.round_id)
            .where(Nomination.round_id.in_(round_ids), Nomination.status == NominationStatus.SELECTED)
            .options(joinedload(Nomination.person), joinedload(Nomination.unit)).order_by(Nomination.rank)):
        found.setdefault(nomination.round_id, []).append(nomination)
    return found

