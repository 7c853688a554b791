"""What the selection puts on the start page: an award won, a supervisor's drafts before the
deadline, a committee member's nominees to declare for and score, and HR's rounds by stage."""
from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.i18n import thai_date
from ethics.recognition import nominations, rounds, scoring
from ethics.recognition.models import ROUND_STATUS_LABELS, RoundStatus
from ethics.web.home import WaitingItem, register


def awards(account, _today: date) -> list[WaitingItem]:
    """Each announced round the person was chosen in, linking to their certificate of honour."""
    if account.person_id is None:
        return []
    return [WaitingItem(_("You were chosen: %(round)s", round=n.round.title),
                        url_for("recognition.honour_pdf", nomination_id=n.id), detail=_("Certificate of honour (PDF)"))
            for n in rounds.awards_of(account.person_id)]


def nominating(account, today: date) -> list[WaitingItem]:
    """For each round taking nominations: its deadline, and the account's drafts not yet submitted."""
    items = []
    for award_round in nominations.taking_nominations(today):
        link = url_for("recognition.round", round_id=award_round.id)
        items.append(WaitingItem(_("Nominations close on %(day)s", day=thai_date(award_round.nominations_close)),
                                 link, detail=award_round.title))
        drafts = db.session.scalar(select(func.count()).select_from(
            nominations.drafts_of(account, award_round).subquery())) or 0
        if drafts:
            items.append(WaitingItem(_("Nomination drafts not yet submitted"), link, drafts, detail=award_round.title))
    return items


def scoring_rounds(account, _today: date) -> list[WaitingItem]:
    """In each round the member sits on that is being scored: nominees to declare for, and to score."""
    items = []
    for standing in scoring.standing(account):
        link = url_for("recognition.round", round_id=standing.award_round.id)
        if standing.to_declare:
            items.append(WaitingItem(_("Nominees to declare a conflict of interest for"), link, standing.to_declare,
                                     detail=standing.award_round.title))
        if left := standing.to_score - standing.scored:
            items.append(WaitingItem(_("Nominees to score"), link, left, detail=_(
                "%(round)s: %(scored)d of %(total)d scored", round=standing.award_round.title,
                scored=standing.scored, total=standing.to_score)))
    return items


def rounds_by_stage(_account, _today: date) -> list[WaitingItem]:
    """How many rounds are at each stage before the announcement, on the rounds page."""
    stages = Counter(award_round.status for award_round in rounds.listed())
    return [WaitingItem(_("Award rounds: %(stage)s", stage=ROUND_STATUS_LABELS[status]), url_for("recognition.index"),
                        stages[status])
            for status in RoundStatus if status != RoundStatus.ANNOUNCED and stages[status]]


def provide(app: Flask) -> None:
    register(app, "employee", awards, _l("an award you won, once it is announced"))
    register(app, "supervisor", nominating, _l("the nomination deadline of an open round, and your drafts"))
    register(app, "committee", scoring_rounds,
             _l("nominees to declare a conflict of interest for and to score, in rounds being scored"))
    register(app, "hr", rounds_by_stage, _l("award rounds by stage, until they are announced"))
