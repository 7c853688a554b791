"""What the selection puts on the start page: an award won, a supervisor's drafts and deadline,
a committee member's nominees to declare for and score, HR's rounds by stage."""
from __future__ import annotations

from datetime import date

import pytest

from ethics.core.extensions import db
from ethics.core.fiscal import format_date
from ethics.recognition import nominations, rounds, scoring, waiting
from ethics.recognition.models import ConflictKind
from tests.home import in_english, shown  # noqa: F401  # fixture
from tests.recognition.conftest import CLOSES, OPENS, justified, open_round

pytestmark = pytest.mark.usefixtures("in_english")

DECLARE, SCORE = "Nominees to declare a conflict of interest for", "Nominees to score"
DEADLINE = f"Nominations close on {format_date(CLOSES, 'en')}"


def score(nomination, account, value=8):
    scoring.declare(nomination, account, ConflictKind.NONE, "")
    scoring.save_scores(nomination, account, {c.id: (value, "") for c in nomination.round.criteria})
    db.session.commit()


def test_an_award_shows_once_the_round_is_announced(org, scoring_round, make_account):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    winner = make_account("winner", ("employee",), person=made[0].person)
    other = make_account("other", ("employee",), person=made[1].person)
    for value, nomination in zip((9, 8, 7), made, strict=True):
        score(nomination, scoring_round["member"], value)
    scoring.finalise(award_round, scoring_round["chair"])
    db.session.commit()
    assert waiting.awards(winner, CLOSES) == []  # finalised, not yet announced
    rounds.announce(award_round, date(2026, 3, 1))
    db.session.commit()
    assert shown(waiting.awards(winner, CLOSES)) == {
        f"You were chosen: {award_round.title}": (None, "Certificate of honour (PDF)",
                                                  f"/recognition/nominations/{made[0].id}/certificate.pdf")}
    assert waiting.awards(other, CLOSES) == []  # nominated, not selected (quota 1)


def test_the_supervisor_sees_the_deadline_and_their_drafts_until_it_passes(org, make_person):
    supervisor = org["accounts"]["supervisor"]
    assert waiting.nominating(supervisor, OPENS) == []
    award_round = open_round()
    db.session.commit()
    link = f"/recognition/rounds/{award_round.id}"
    assert shown(waiting.nominating(supervisor, OPENS)) == {
        DEADLINE: (None, award_round.title, link)}
    draft = nominations.nominate(award_round, org["people"]["inside"], supervisor.id, justified(award_round))
    nominations.nominate(award_round, make_person(org["units"]["dev"]), org["accounts"]["hr"].id,
                         justified(award_round))  # HR's draft is not the supervisor's to submit
    db.session.commit()
    assert shown(waiting.nominating(supervisor, OPENS))["Nomination drafts not yet submitted"] == (
        1, award_round.title, link)
    nominations.submit(draft, OPENS)
    db.session.commit()
    assert list(shown(waiting.nominating(supervisor, OPENS))) == [DEADLINE]
    assert waiting.nominating(supervisor, date(2026, 2, 1)) == []  # the deadline has passed


def test_a_member_sees_nominees_to_declare_for_and_to_score_with_progress(org, scoring_round):
    member, made = scoring_round["member"], scoring_round["nominations"]
    title, link = scoring_round["round"].title, f"/recognition/rounds/{scoring_round['round'].id}"
    assert shown(waiting.scoring_rounds(member, CLOSES)) == {
        DECLARE: (3, title, link), SCORE: (3, f"{title}: 0 of 3 scored", link)}
    score(made[0], member)
    scoring.declare(made[1], member, ConflictKind.NONE, "")
    scoring.declare(made[2], member, ConflictKind.RELATIVE, "พี่น้อง")  # no longer theirs to score
    db.session.commit()
    assert shown(waiting.scoring_rounds(member, CLOSES)) == {SCORE: (1, f"{title}: 1 of 2 scored", link)}
    score(made[1], member)
    assert waiting.scoring_rounds(member, CLOSES) == []


def test_nothing_waits_for_a_member_outside_scoring(org, scoring_round, make_account):
    outsider = make_account("outsider", ("committee",))
    assert waiting.scoring_rounds(outsider, CLOSES) == []  # not on this round's committee
    for nomination in scoring_round["nominations"]:
        score(nomination, scoring_round["member"])
    scoring.finalise(scoring_round["round"], scoring_round["chair"])
    db.session.commit()
    assert waiting.scoring_rounds(scoring_round["chair"], CLOSES) == []  # finalised: nothing left to score


def test_hr_counts_rounds_by_stage_until_announced(org, scoring_round):
    hr = org["accounts"]["hr"]
    open_round(year=2570)
    db.session.commit()
    assert shown(waiting.rounds_by_stage(hr, CLOSES)) == {
        "Award rounds: Taking nominations": (1, "", "/recognition/"),
        "Award rounds: Committee scoring": (1, "", "/recognition/")}
    for nomination in scoring_round["nominations"]:
        score(nomination, scoring_round["member"])
    scoring.finalise(scoring_round["round"], scoring_round["chair"])
    rounds.announce(scoring_round["round"], CLOSES)
    db.session.commit()
    assert list(shown(waiting.rounds_by_stage(hr, CLOSES))) == ["Award rounds: Taking nominations"]
