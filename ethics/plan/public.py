"""The public transparency page's rules: which years are published, what of them shows to anyone,
and the validator (ETag) that lets browsers and proxies keep it.

A year is published while the administrator keeps the page open, its plan exists and its fiscal
year has begun (a plan copied ahead for next year is still being prepared). When the administrator
chose locked snapshots, a year shows once a snapshot of it is locked, with its latest one.
Nothing personal shows: the report's rows (counts, never people, and no breakdown by unit; the
morale index only where the survey's results show it, at its threshold of answer sheets), and the
names of an announced round's winners with their units.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ethics.core.config import PROJECT_ROOT
from ethics.core.data_versions import Domain, cached, versions_of
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of
from ethics.core.i18n import current_locale
from ethics.core.spreadsheets import XLSX_MIMETYPE
from ethics.organisation.services import organisation
from ethics.plan import exports, report
from ethics.plan.dashboard import progress
from ethics.plan.models import Plan, Snapshot
from ethics.recognition import counting as recognition
from ethics.recognition import rounds

# What the page and its downloads are made of: any commit to these changes them, and only that.
SHOWN = (Domain.ORGANISATION, Domain.PEOPLE, Domain.PLAN, Domain.RECOGNITION, Domain.SURVEY, Domain.TRAINING)
MAX_AGE = 300  # seconds a browser or proxy may show a kept copy without asking again
LIVE, SNAPSHOT = "live", "snapshot"


@dataclass(frozen=True)
class Settings:
    """The administrator's switches, on the organisation page."""

    open: bool
    values: str  # LIVE or SNAPSHOT

    @property
    def snapshots_only(self) -> bool:
        return self.values == SNAPSHOT


def settings() -> Settings:
    current = organisation()
    return Settings(bool(current.public_page), current.public_values or LIVE)


def is_open() -> bool:
    """For the sign-in page's link."""
    return settings().open


def published_years(chosen: Settings, today: date) -> list[int]:
    """The published fiscal years, the newest first."""
    query = select(Plan.fiscal_year).where(Plan.fiscal_year <= fiscal_year_of(today))
    if chosen.snapshots_only:
        query = query.where(select(Snapshot.id).where(Snapshot.plan_id == Plan.id).exists())
    return list(db.session.scalars(query.order_by(Plan.fiscal_year.desc())))


@dataclass(frozen=True)
class Winner:
    """An announced winner as the announcement names them: the name and the unit, nothing else."""

    name: str
    unit: str


@dataclass
class PublicYear:
    fiscal_year: int
    rows: list[dict]
    snapshot: Snapshot | None
    winners: list[Winner]

    @property
    def progress(self) -> dict[int, tuple[int, int]]:
        return progress(self.rows)


def latest_snapshot(plan: Plan) -> Snapshot | None:
    return db.session.scalar(select(Snapshot).where(Snapshot.plan_id == plan.id)
                             .order_by(Snapshot.locked_on.desc(), Snapshot.id.desc()).limit(1))


def public_year(fiscal_year: int, chosen: Settings) -> PublicYear:
    """What anyone may see of a published year (the caller checked that it is published)."""
    plan = db.session.scalar(select(Plan).where(Plan.fiscal_year == fiscal_year))
    assert plan is not None  # published years have a plan
    snapshot = latest_snapshot(plan) if chosen.snapshots_only else None
    rows = snapshot.rows if snapshot is not None else report.rows(plan)
    return PublicYear(fiscal_year, rows, snapshot, winners(fiscal_year))


def winners(fiscal_year: int) -> list[Winner]:
    """The year's announced winners in rank order; none before the announcement."""
    award_round = recognition.round_of(fiscal_year)
    if award_round is None or not award_round.announced:
        return []
    return [Winner(n.person.full_name, n.unit.name(current_locale())) for n in rounds.selected(award_round)]


def report_files(year: PublicYear, fmt: str) -> tuple[bytes, str]:
    """The year's report as the signed-in export makes it, from the same rows, unsigned."""
    if fmt == "xlsx":
        return exports.to_xlsx(year.rows, year.fiscal_year), XLSX_MIMETYPE
    return (exports.to_pdf(year.rows, year.fiscal_year, snapshot=year.snapshot, signed=False), "application/pdf")


# --- keeping ---------------------------------------------------------------------------------

@cache
def _release() -> str:
    """What a release changes in the page besides the data: every template (the page extends the
    common layout and its includes), the compiled translations and the code that fills them. A
    new release's page is a new page. (No Last-Modified: a day's change or a release changes the
    page without a newer date.)"""
    parts = ((Path(current_app.template_folder or "templates"), "*"), (PROJECT_ROOT / "translations", "*.mo"),
             (PROJECT_ROOT / "ethics", "*.py"))
    digest = hashlib.sha256()
    for folder, pattern in parts:
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def etag(what: tuple, today: date) -> str:
    """Changes exactly when what is shown may change: the data's versions, the day (live values are
    'as of today', and a new fiscal year publishes its plan), which page in which language, and the
    release."""
    return hashlib.sha256(repr((what, versions_of(SHOWN), today.isoformat(), _release())).encode()).hexdigest()[:32]


def kept(what: tuple, today: date, make) -> tuple[bytes, str]:
    """make() -> (body, mimetype), kept server-side for every visitor while the data is unchanged."""
    return cached(("transparency", what, today.isoformat()), SHOWN, make)
