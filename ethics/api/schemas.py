"""The API's parameters and answers, from which the OpenAPI document is generated."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ethics.core.fiscal import YEARS

Year = validate.Range(min=YEARS.start, max=YEARS.stop - 1)


class Error(Schema):
    error = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class YearPageArgs(PageArgs):
    fiscal_year = fields.Integer(validate=Year, metadata={"description": "Buddhist Era fiscal year", "example": 2551})


class RecordArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class SessionArgs(PageArgs):
    fiscal_year = fields.Integer(required=True, validate=Year, metadata={"description": "Buddhist Era fiscal year",
                                                                         "example": 2551})


class Paged(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class FiscalYear(Schema):
    fiscal_year = fields.Integer(required=True)
    starts = fields.Date(required=True)
    ends = fields.Date(required=True)


class FiscalYears(Paged):
    items = fields.List(fields.Nested(FiscalYear), required=True)


class Measure(Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True)


class Strategy(Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True)
    objective = fields.String(required=True)
    measures = fields.List(fields.Nested(Measure), required=True)


class ActivityRow(Schema):
    code = fields.String(required=True, metadata={"example": "1.1.2"})
    strategy = fields.String(required=True)
    measure = fields.String(required=True)
    activity = fields.String(required=True)
    indicator = fields.String(required=True)
    responsible = fields.String(required=True)
    target = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "where the value comes from: manual, "
                                                                    "training_participants, awardees ..."})
    population = fields.List(fields.String(), required=True,
                             metadata={"description": "personnel types counted; empty: everyone"})
    value = fields.String(required=True)
    result = fields.String(required=True)


class PlanOut(Schema):
    fiscal_year = fields.Integer(required=True)
    strategies = fields.List(fields.Nested(Strategy), required=True)
    activities = fields.List(fields.Nested(ActivityRow), required=True)


class UnitCount(Schema):
    unit = fields.String(required=True, metadata={"description": "unit code"})
    count = fields.Integer(required=True)


class ActivityValue(Schema):
    code = fields.String(required=True)
    source = fields.String(required=True)
    value = fields.String(required=True)
    result = fields.String(required=True)
    by_personnel_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_unit = fields.List(fields.Nested(UnitCount), required=True)


class Values(Schema):
    fiscal_year = fields.Integer(required=True)
    items = fields.List(fields.Nested(ActivityValue), required=True)


class RecordPerson(Schema):
    name = fields.String(required=True)
    citizen_id = fields.String(required=True, metadata={"description": "masked as on the web: x-xxxx-xxxxx-63-5"})
    personnel_type = fields.String(required=True)
    unit = fields.String(required=True)


class RecordPeople(Paged):
    items = fields.List(fields.Nested(RecordPerson), required=True)


class RecordSession(Schema):
    code = fields.String(required=True)
    course = fields.String(required=True)
    first_day = fields.Date(required=True)
    status = fields.String(required=True)


class Records(Schema):
    code = fields.String(required=True)
    value = fields.String(required=True)
    people = fields.Nested(RecordPeople, allow_none=True, required=True)
    sessions = fields.List(fields.Nested(RecordSession), allow_none=True, required=True)


class SnapshotSummary(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    locked_on = fields.Date(required=True)


class Snapshots(Paged):
    items = fields.List(fields.Nested(SnapshotSummary), required=True)


class SnapshotOut(SnapshotSummary):
    fiscal_year = fields.Integer(required=True)
    activities = fields.List(fields.Nested(ActivityRow), required=True)


class PeopleCount(Schema):
    total = fields.Integer(required=True)
    by_personnel_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class Session(Schema):
    code = fields.String(required=True)
    course = fields.String(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True)
    first_day = fields.Date(required=True)
    status = fields.String(required=True)
    plan_activity = fields.String(required=True)
    capacity = fields.Integer(allow_none=True, required=True)
    confirmed = fields.Integer(required=True)
    participants = fields.Nested(PeopleCount, required=True)
    passed = fields.Nested(PeopleCount, required=True)


class Sessions(Paged):
    items = fields.List(fields.Nested(Session), required=True)


class Campaign(Schema):
    id = fields.Integer(required=True)
    fiscal_year = fields.Integer(required=True)
    title = fields.String(required=True)
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    eligible = fields.Integer(required=True)
    answered = fields.Integer(required=True)


class Campaigns(Paged):
    items = fields.List(fields.Nested(Campaign), required=True)


class ResultRow(Schema):
    group = fields.String(required=True, metadata={"description": '"all", or a unit label'})
    dimension = fields.String(required=True)
    item = fields.String(required=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "too few answer sheets to show"})
    n = fields.Integer(allow_none=True, required=True)
    mean = fields.Float(allow_none=True, required=True)
    sd = fields.Float(allow_none=True, required=True)
    level = fields.String(required=True)


class Results(Schema):
    id = fields.Integer(required=True)
    fiscal_year = fields.Integer(required=True)
    eligible = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    rows = fields.List(fields.Nested(ResultRow), required=True)


class Winner(Schema):
    rank = fields.Integer(allow_none=True, required=True)
    name = fields.String(required=True)
    position = fields.String(required=True)
    unit = fields.String(required=True)


class Round(Schema):
    fiscal_year = fields.Integer(required=True)
    title = fields.String(required=True)
    announced_at = fields.DateTime(allow_none=True, required=True)
    winners = fields.List(fields.Nested(Winner), required=True)


class Rounds(Paged):
    items = fields.List(fields.Nested(Round), required=True)
