"""What a person's page shows, one tab at a time: their details, their trainings, their
nominations and awards, and (to HR alone) their disciplinary flags. Each tab reads only its own
records, through the services the other pages use, so the page runs the same few queries
whatever the person's history; each record is shown only to whom its own page would show it."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, union_all

from ethics.core.extensions import db
from ethics.people import discipline
from ethics.people.models import Person
from ethics.people.services import can_manage_people
from ethics.recognition import nominations, rounds
from ethics.recognition.models import AwardRound, Nomination
from ethics.training import history
from ethics.training.results import may_open_certificates_of

TAB_LABELS = {"details": _l("Details"), "trainings": _l("Trainings"),
              "recognition": _l("Nominations and awards"), "flags": _l("Disciplinary flags")}


def tabs_for(account) -> list[str]:
    """The tabs the account may open: disciplinary flags are HR's alone."""
    return [tab for tab in TAB_LABELS if tab != "flags" or can_manage_people(account)]


def chosen_tab(account, asked: str | None) -> str:
    """The tab asked for, or the details when it is unknown or not the account's to see."""
    return asked if asked in tabs_for(account) else "details"


@dataclass
class Recognition:
    """The person's nominations the reader may see, and their announced awards. The rounds are
    kept here so that the nominations' and awards' rounds come from memory, not the database."""

    rounds: list[AwardRound]
    nominations: list[Nomination]
    awards: list[Nomination]

    @property
    def seen_ids(self) -> set[int]:
        """Nominations whose page and certificate of honour the reader may open."""
        return {nomination.id for nomination in self.nominations}


def recognition_of(account, person: Person) -> Recognition:
    award_rounds = rounds.listed()
    return Recognition(award_rounds, nominations_seen(account, person, award_rounds), rounds.awards_of(person.id))


def nominations_seen(account, person: Person, award_rounds: list[AwardRound]) -> list[Nomination]:
    """The person's nominations in every round, as each round's own rule lets the account see
    them, the newest round first, in one query."""
    if not award_rounds:
        return []
    seen = union_all(*(nominations.visible_nominations(account, award_round)
                       .where(Nomination.person_id == person.id).with_only_columns(Nomination.id)
                       for award_round in award_rounds))
    return list(db.session.scalars(
        select(Nomination).join(AwardRound, Nomination.round_id == AwardRound.id)
        .where(Nomination.id.in_(select(seen.subquery().c[0]))).order_by(AwardRound.year.desc())))


def tab_context(account, person: Person, tab: str) -> dict:
    """The records the chosen tab shows, read only for that tab."""
    if tab == "trainings":
        return {"registrations": history.registrations_of(person.id), "present": history.days_present(person.id),
                "certificates": history.certificates_of(person.id),
                "certificates_open": may_open_certificates_of(account, person.id)}
    if tab == "recognition":
        return {"recognition": recognition_of(account, person)}
    if tab == "flags":
        return {"flags": discipline.flags_of(person)}
    return {}
