"""Fairness under parallel requests (README, "Fairness under load"): two members scoring at once both count; scores racing
the chair's finalising are either in the totals or refused as finalised, never lost."""
from __future__ import annotations

from sqlalchemy import func, select

from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.recognition import scoring
from ethics.recognition.errors import StageClosed
from ethics.recognition.models import AwardRound, ConflictKind, Nomination, RoundStatus, Score
from tests.training.test_registrations import run_in_threads


def _declare_all(scoring_round, accounts):
    for nomination in scoring_round["nominations"]:
        for account in accounts:
            scoring.declare(nomination, account, ConflictKind.NONE, "")
    db.session.commit()


def test_two_members_scoring_the_same_nomination_at_once_both_count(app, scoring_round):
    chair, member = scoring_round["chair"], scoring_round["member"]
    _declare_all(scoring_round, (chair, member))
    nomination_id = scoring_round["nominations"][0].id
    account_ids = [chair.id, member.id]
    criteria = [c.id for c in scoring_round["round"].criteria]

    def work(n):
        nomination = db.session.get(Nomination, nomination_id)
        scoring.save_scores(nomination, db.session.get(Account, account_ids[n % 2]),
                            {c: (5 + n % 2, "") for c in criteria})

    assert run_in_threads(app, 10, work) == []
    by_member = dict(db.session.execute(select(Score.account_id, func.count()).where(
        Score.nomination_id == nomination_id).group_by(Score.account_id)).all())
    assert by_member == {chair.id: len(criteria), member.id: len(criteria)}


def test_scores_racing_the_finalise_are_counted_or_refused_never_lost(app, scoring_round):
    chair, member = scoring_round["chair"], scoring_round["member"]
    award_round = scoring_round["round"]
    _declare_all(scoring_round, (chair, member))
    criteria = [c.id for c in award_round.criteria]
    for nomination in scoring_round["nominations"]:
        scoring.save_scores(nomination, chair, {c: (5, "") for c in criteria})
    db.session.commit()
    # Plain ids: the workers must not touch the test's own (expired) objects.
    ids = [n.id for n in scoring_round["nominations"]]
    round_id, chair_id, member_id = award_round.id, chair.id, member.id
    saved, refused = [], []

    def work(n):
        if n == 0:
            scoring.finalise(db.session.get(AwardRound, round_id), db.session.get(Account, chair_id))
            return
        nomination_id = ids[n % len(ids)]
        try:
            scoring.save_scores(db.session.get(Nomination, nomination_id), db.session.get(Account, member_id),
                                {c: (9, "") for c in criteria})
            db.session.commit()
            saved.append(nomination_id)
        except StageClosed:
            refused.append(nomination_id)
            raise

    errors = run_in_threads(app, 12, work)
    assert all(isinstance(error, StageClosed) for error in errors), errors
    assert len(errors) == len(refused)
    assert len(saved) + len(refused) == 11
    db.session.expire_all()
    assert db.session.get(AwardRound, round_id).status == RoundStatus.FINALISED
    for nomination in db.session.scalars(select(Nomination).where(Nomination.id.in_(ids))):
        member_scored = nomination.id in saved
        # Four criteria of weight 1: the chair's 5s alone, or with the member's 9s averaged in.
        assert nomination.total_score == (28.0 if member_scored else 20.0), (nomination.id, saved, refused)
