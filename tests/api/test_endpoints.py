"""The API's numbers are the web's and the exports' (one service each), its lists are paginated
and filtered by year, it answers "changed since?" with 304, shows the people behind a value only
to HR and administrators with citizen IDs masked, and runs a bounded number of queries."""
from __future__ import annotations

import csv
from datetime import date

import pytest

from ethics.core.extensions import db
from ethics.plan.services import add_entry, plan_for
from tests.api.conftest import bearer
from tests.conftest import count_queries


@pytest.fixture
def demo(load_demo):
    load_demo()


def _cell(text: str) -> str:
    """A CSV cell as typed: the export guards a leading = + - @ with a quote (SECURITY.md 10)."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def test_every_number_equals_the_webs_and_the_exports(demo, runner, tmp_path, client):
    from ethics.api import tokens
    from ethics.auth.models import Account

    admin = db.session.query(Account).filter_by(username="admin").one()
    headers = bearer(tokens.issue(admin, "check", list(tokens.SCOPES)).secret)
    db.session.commit()
    get = lambda path: client.get(path, headers=headers)  # noqa: E731

    years = get("/api/v1/fiscal-years").json
    assert [y["fiscal_year"] for y in years["items"]][-2:] == [2552, 2551] and years["total"] == len(years["items"])

    report = tmp_path / "r.csv"
    exported = runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "csv", "--output", str(report)])
    assert exported.exit_code == 0
    exported = {row["code"]: row for row in csv.DictReader(report.read_text(encoding="utf-8-sig").splitlines())}
    plan = get("/api/v1/plans/2551").json
    assert len(plan["activities"]) == len(exported) == 19 and len(plan["strategies"]) >= 2
    for row in plan["activities"]:
        assert {k: row[k] for k in ("activity", "indicator", "target", "value", "result")} == {
            k: _cell(exported[row["code"]][k]) for k in ("activity", "indicator", "target", "value", "result")}
    values = {v["code"]: v for v in get("/api/v1/plans/2551/values").json["items"]}
    counted = [v for v in values.values() if v["source"].startswith("training_") and v["value"]]
    assert counted and all(v["value"] == exported[v["code"]]["value"] for v in values.values())
    assert all(sum(v["by_personnel_type"].values()) == int(v["value"]) == sum(u["count"] for u in v["by_unit"])
               for v in counted if v["source"] != "training_sessions")

    survey = get("/api/v1/survey/campaigns?fiscal_year=2551").json["items"]
    assert len(survey) == 1 and survey[0]["answered"] > 0
    assert runner.invoke(args=["export-survey-results", "--fiscal-year", "2551", "--output",
                               str(tmp_path / "s.csv")]).exit_code == 0
    rows = list(csv.DictReader((tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()))
    results = get(f"/api/v1/survey/campaigns/{survey[0]['id']}/results").json["rows"]
    assert len(results) == len(rows)
    for mine, theirs in zip(results, rows, strict=True):
        assert (mine["group"], mine["item"], "suppressed" if mine["suppressed"] else str(mine["n"]),
                "" if mine["mean"] is None else f"{mine['mean']:.2f}") == (
            theirs["group"], theirs["item"], theirs["n"], theirs["mean"])

    sessions = get("/api/v1/training/sessions?fiscal_year=2551&per_page=2").json
    assert sessions["total"] >= 5 and len(sessions["items"]) == 2
    every = get(f"/api/v1/training/sessions?fiscal_year=2551&per_page={sessions['total']}").json["items"]
    linked = [s for s in every if s["plan_activity"] == "1.1.2" and s["status"] != "cancelled"]
    assert linked and sum(s["participants"]["total"] for s in linked) >= int(values["1.1.2"]["value"]) > 0

    rounds = get("/api/v1/recognition/rounds?fiscal_year=2551").json["items"]
    assert len(rounds) == 1 and len(rounds[0]["winners"]) == int(values["1.2.2"]["value"]) == 3
    from ethics.recognition import counting
    from ethics.recognition import rounds as award_rounds

    announced = award_rounds.selected(counting.round_of(2551))  # what the announcement page lists
    assert [w["name"] for w in rounds[0]["winners"]] == [n.person.full_name for n in announced]


@pytest.fixture
def plan_data(app, org, make_person, make_session):
    """The seed's plans and one session of FY2551 linked to 1.1.2, `grow(n)` adding n attendees."""
    from ethics.demo.plan import seed
    from ethics.training.attendance import mark
    from ethics.training.registrations import register

    seed()
    db.session.commit()
    session = make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2")

    def grow(n: int) -> None:
        for _ in range(n):
            person = make_person()
            register(session.id, person, session.first_day)
            mark(session.id, person.id, session.days[0].id, True)
        db.session.commit()

    grow(1)
    return grow


ENDPOINTS = ["/api/v1/fiscal-years", "/api/v1/plans/2551", "/api/v1/plans/2551/values",
             "/api/v1/plans/2551/activities/1.1.2/records", "/api/v1/plans/2551/snapshots",
             "/api/v1/training/sessions?fiscal_year=2551", "/api/v1/survey/campaigns",
             "/api/v1/recognition/rounds?fiscal_year=2551"]


def test_each_endpoint_runs_as_many_queries_whatever_the_data(app, plan_data, make_token, client):
    from ethics.core.data_versions import ValueCache

    headers = bearer(make_token("admin"))

    def counted() -> dict[str, int]:
        found = {}
        for path in ENDPOINTS:
            app.extensions["ethics_cache"] = ValueCache()  # computed afresh, not kept from before
            with count_queries() as statements:
                assert client.get(path, headers=headers).status_code == 200, path
            found[path] = len(statements)
        return found

    client.get("/api/v1/fiscal-years", headers=headers)  # the token's first use also notes when it was used
    before = counted()
    plan_data(40)
    assert counted() == before


def test_the_records_behind_a_value_are_for_hr_and_masked(plan_data, make_token, client, org):
    plan_data(54)
    secret = make_token("hr", ["indicators:read"])
    first = client.get("/api/v1/plans/2551/activities/1.1.2/records", headers=bearer(secret))
    people = first.json["people"]
    assert people["total"] == 55 and len(people["items"]) == 50 and first.headers["Cache-Control"] == "no-store"
    assert all(p["citizen_id"].startswith("x-xxxx-xxxxx-") for p in people["items"])
    second = client.get("/api/v1/plans/2551/activities/1.1.2/records?page=2", headers=bearer(secret)).json
    assert len(second["people"]["items"]) == 5
    from ethics.people.models import Person

    full_ids = [p.citizen_id for p in db.session.query(Person)]
    assert not any(full in first.text for full in full_ids)
    assert client.get("/api/v1/plans/2551/activities/9.9.9/records", headers=bearer(secret)).status_code == 404


def test_a_token_of_an_account_without_the_records_roles_is_refused_them(plan_data, make_token, client, org):
    from ethics.api import tokens

    secret = make_token("hr", ["indicators:read"])
    tokens.RECORD_ROLES, saved = ("admin",), tokens.RECORD_ROLES  # as if HR could not open records on the web
    try:
        response = client.get("/api/v1/plans/2551/activities/1.1.2/records", headers=bearer(secret))
    finally:
        tokens.RECORD_ROLES = saved
    assert response.status_code == 403 and response.is_json


def test_a_poller_is_told_304_until_the_data_changes(plan_data, make_token, client):
    headers = bearer(make_token("admin"))
    first = client.get("/api/v1/plans/2551", headers=headers)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    unchanged = client.get("/api/v1/plans/2551", headers={**headers, "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b"" and unchanged.headers["ETag"] == etag
    assert client.get("/api/v1/plans/2551", headers={**headers, "If-Modified-Since": modified}).status_code == 304
    other = client.get("/api/v1/plans/2552", headers={**headers, "If-None-Match": etag})
    assert other.status_code == 200
    activity = next(a for a in plan_for(2551).activities if a.fed_by_hand)
    add_entry(activity, date(2008, 1, 5), "7", "", None)
    db.session.commit()
    changed = client.get("/api/v1/plans/2551", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert next(a for a in changed.json["activities"] if a["code"] == activity.code)["value"] == "7"


def test_lists_are_paginated_and_filtered_by_year(plan_data, make_token, client):
    headers = bearer(make_token("admin"))
    years = client.get("/api/v1/fiscal-years?per_page=1&page=2", headers=headers).json
    assert years == {"items": [{"fiscal_year": 2551, "starts": "2007-10-01", "ends": "2008-09-30"}],
                     "page": 2, "per_page": 1, "total": 2}
    assert client.get("/api/v1/training/sessions?fiscal_year=2552", headers=headers).json["total"] == 0
    assert client.get("/api/v1/training/sessions?fiscal_year=2551", headers=headers).json["total"] == 1
    assert client.get("/api/v1/training/sessions", headers=headers).status_code == 422
    assert client.get("/api/v1/fiscal-years?per_page=500", headers=headers).status_code == 422
