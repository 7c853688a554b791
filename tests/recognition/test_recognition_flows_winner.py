"""The winner is told (issue 19): by mail, written in the transaction that announces, and on their
home page, both linking to the certificate of honour."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.mail.models import OutboxMessage
from ethics.recognition import rounds, scoring
from ethics.recognition.errors import StageClosed
from ethics.recognition.models import ConflictKind
from tests.recognition.test_views import signed_in


def scored_and_finalised(scoring_round) -> None:
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    for value, nomination in zip((9, 8, 7), made, strict=True):
        scoring.declare(nomination, member, ConflictKind.NONE, "")
        scoring.save_scores(nomination, member, {c.id: (value, "") for c in award_round.criteria})
    scoring.finalise(award_round, scoring_round["chair"])


def winner_mail():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "recognition.winner")).all()


def test_announcing_mails_each_winner_a_link_to_the_certificate(app, scoring_round):
    made = scoring_round["nominations"]
    made[0].person.email = "winner@example.go.th"
    made[1].person.email = "runner-up@example.go.th"
    scored_and_finalised(scoring_round)
    db.session.commit()
    assert winner_mail() == []
    signed_in(app, "hr").post(f"/recognition/rounds/{scoring_round['round'].id}/advance")
    (message,) = winner_mail()  # quota 1: only the winner
    assert message.recipient == "winner@example.go.th" and message.person_id == made[0].person_id
    assert message.language == "th" and scoring_round["round"].title in message.subject
    assert f"/recognition/nominations/{made[0].id}/certificate.pdf" in message.body_text
    assert "1 เม.ย. 2570" in message.body_text  # civil service day, in the reader's language


def test_no_mail_leaves_when_the_announcement_is_refused(app, scoring_round):
    scoring_round["nominations"][0].person.email = "winner@example.go.th"
    db.session.commit()
    with pytest.raises(StageClosed):  # still scoring: nothing to announce
        rounds.announce(scoring_round["round"], date(2026, 3, 1))
    db.session.rollback()
    assert winner_mail() == []


def test_the_winners_home_page_links_to_the_certificate(app, scoring_round, make_account):
    winner = scoring_round["nominations"][0]
    make_account("winner", ("employee",), person=winner.person)
    scored_and_finalised(scoring_round)
    rounds.announce(scoring_round["round"], date(2026, 3, 1))
    db.session.commit()
    client = signed_in(app, "winner")
    home = client.get("/").text
    link = f"/recognition/nominations/{winner.id}/certificate.pdf"
    assert f"You were chosen: {scoring_round['round'].title}" in home and f'href="{link}"' in home
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
