"""The selection's rules, called directly: settings, nominations, eligibility, conflicts,
blind scoring, finalising with weights, tie-break and quotas, and the announcement."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.core.refusals import StaleEdit
from ethics.people.discipline import close_flag, open_flag
from ethics.recognition import counting, eligibility, nominations, rounds, scoring
from ethics.recognition.errors import RecognitionError, StageClosed
from ethics.recognition.models import ConflictKind, NominationStatus, RoundStatus, Score, TieBreak
from tests.recognition.conftest import CLOSES, OPENS, justified, open_round, submit_all


def score_all(nomination, account, value, criteria):
    scoring.declare(nomination, account, ConflictKind.NONE, "")
    scoring.save_scores(nomination, account, {c.id: (value, "") for c in criteria})


# --- settings ----------------------------------------------------------------------------

@pytest.mark.parametrize("change, field", [
    ({"nominations_close": date(2026, 1, 1)}, "nominations_close"),
    ({"criteria": []}, "criteria"),
    ({"criteria": [rounds.CriterionData("ครองตน", 1.0, 10, 10)]}, "criteria"),
    ({"criteria": [rounds.CriterionData("ครองตน", 0.0)]}, "criteria"),
    ({"rules": {"min_service_years": 0}}, "min_service_years"),
    ({"rules": {"personnel_types": ["astronaut"]}}, "personnel_types"),
])
def test_round_settings_are_checked(app, change, field):
    data = rounds.RoundData(2569, OPENS, CLOSES)
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(RecognitionError) as refused:
        rounds.create_round(2569, OPENS, CLOSES, data=data)
    assert refused.value.field == field


def test_one_round_per_year_and_settings_freeze_when_scoring_starts(app, scoring_round):
    with pytest.raises(RecognitionError, match="already has a round"):
        open_round(2569)
    award_round = scoring_round["round"]
    with pytest.raises(StageClosed):
        rounds.update_round(award_round, rounds.RoundData(2569, OPENS, CLOSES), award_round.version)


def test_editing_criteria_keeps_ids_and_a_stale_form_is_refused(app):
    award_round = open_round()
    first = award_round.criteria[0]
    data = rounds.RoundData(2569, OPENS, CLOSES, quota_per_unit=1, criteria=[
        rounds.CriterionData("ครองตน", 2.0, 1, 5, first.id), rounds.CriterionData("ผลงาน", 1.5)])
    version = award_round.version
    rounds.update_round(award_round, data, version)
    db.session.commit()
    assert [(c.name, c.weight, c.min_score, c.max_score) for c in award_round.criteria] == [
        ("ครองตน", 2.0, 1, 5), ("ผลงาน", 1.5, 0, 10)]
    assert award_round.criteria[0].id == first.id and award_round.quota_per_unit == 1
    with pytest.raises(StaleEdit):
        rounds.update_round(award_round, data, version)


def test_presented_on_civil_service_day_of_the_next_year(app):
    assert open_round(2569).presented_on == date(2027, 4, 1)


# --- nominations -------------------------------------------------------------------------

def test_withdraw_until_screening_starts(app, org):
    award_round = open_round()
    boss = org["accounts"]["supervisor"].id
    kept, dropped = submit_all(award_round, [org["people"]["inside"], org["people"]["me"]], boss)
    nominations.withdraw(dropped)
    rounds.start_screening(award_round)
    with pytest.raises(RecognitionError, match="until screening starts"):
        nominations.withdraw(kept)
    with pytest.raises(RecognitionError, match="does not take nominations"):
        nominations.nominate(award_round, org["people"]["outside"], boss, {})
    assert (kept.status, dropped.status) == (NominationStatus.ELIGIBLE, NominationStatus.WITHDRAWN)


def test_justification_keeps_only_the_rounds_criteria(app, org):
    award_round = open_round()
    sent = {**justified(award_round), "999": "injected", "status": "selected"}
    nomination = nominations.nominate(award_round, org["people"]["inside"], org["accounts"]["supervisor"].id, sent)
    assert set(nomination.justification) == {str(c.id) for c in award_round.criteria}
    assert nomination.status == NominationStatus.DRAFT


@pytest.mark.parametrize("name, content, message", [
    ("letter.pdf", b"%PDF-1.7 ok", None),
    ("photo.png", b"\x89PNG\r\n\x1a\n....", None),
    ("photo.JPG", b"\xff\xd8\xff\xe0....", None),
    ("script.pdf", b"<script>alert(1)</script>", "PDF, PNG or JPEG"),
    ("letter.exe", b"%PDF-1.7 disguised", "PDF, PNG or JPEG"),
    ("big.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024), "at most 5 MB"),
])
def test_evidence_type_and_size(app, org, name, content, message):
    award_round = open_round()
    nomination = nominations.nominate(award_round, org["people"]["inside"], org["accounts"]["supervisor"].id, {})
    if message is None:
        assert nominations.add_evidence(nomination, name, content).size == len(content)
    else:
        with pytest.raises(RecognitionError, match=message):
            nominations.add_evidence(nomination, name, content)
        assert nomination.evidence == []


def test_at_most_five_evidence_files_and_none_after_submitting(app, org):
    award_round = open_round()
    nomination = nominations.nominate(award_round, org["people"]["inside"], org["accounts"]["supervisor"].id,
                                      justified(award_round))
    for n in range(5):
        nominations.add_evidence(nomination, f"{n}.pdf", b"%PDF-1.7")
    with pytest.raises(RecognitionError, match="at most 5"):
        nominations.add_evidence(nomination, "6.pdf", b"%PDF-1.7")
    nominations.submit(nomination, OPENS)
    with pytest.raises(StageClosed):
        nominations.add_evidence(nomination, "late.pdf", b"%PDF-1.7")


# --- eligibility -------------------------------------------------------------------------

def test_each_eligibility_rule_gives_its_result_and_reason(app, org, make_person, make_session):
    from ethics.training import attendance, registrations, results

    unit = org["units"]["dev_team"]
    fit = make_person(unit, service_start_date=date(2010, 1, 1), position_level="ชำนาญการ")
    junior = make_person(unit, service_start_date=date(2024, 6, 1), position_level="ชำนาญการ")
    employee = make_person(unit, personnel_type="permanent_employee", service_start_date=date(2000, 1, 1),
                           position_level="ชำนาญการ")
    flagged = make_person(unit, service_start_date=date(2000, 1, 1), position_level="ชำนาญการ")
    open_flag(flagged, date(2025, 12, 1), "สอบข้อเท็จจริง")
    closed = make_person(unit, service_start_date=date(2000, 1, 1), position_level="ชำนาญการ")
    close_flag(open_flag(closed, date(2024, 1, 1), "ยุติแล้ว"), date(2024, 6, 1))
    winner = make_person(unit, service_start_date=date(2000, 1, 1), position_level="ชำนาญการ")
    boss = org["accounts"]["supervisor"].id
    # Last year's round, announced, with `winner` selected.
    old = open_round(2568, quota_total=1)
    submit_all(old, [winner], boss)
    chair = org["accounts"]["committee"]
    rounds.add_member(old, chair, is_chair=True)
    rounds.start_screening(old)
    rounds.start_scoring(old)
    score_all(old_nomination := db.session.scalars(nominations.visible_nominations(chair, old)).one(), chair, 8,
              old.criteria)
    scoring.finalise(old, chair)
    rounds.announce(old, CLOSES)
    assert old_nomination.status == NominationStatus.SELECTED
    # Only `fit` passed an ethics course in fiscal year 2569.
    session = make_session(first_day=date(2025, 11, 3))
    registration = registrations.register(session.id, fit, date(2025, 11, 1)).registration
    attendance.mark(session.id, fit.id, session.days[0].id, True)
    results.close(session, date(2025, 11, 3))
    assert registration.passed

    rules = {"min_service_years": 5, "personnel_types": ["civil_servant"], "position_levels": ["ชำนาญการ"],
             "not_awarded_years": 2, "no_disciplinary_flag": True, "ethics_course": True}
    award_round = open_round(2569, rules=rules)
    made = dict(zip(["fit", "junior", "employee", "flagged", "closed", "winner"],
                    submit_all(award_round, [fit, junior, employee, flagged, closed, winner], boss), strict=False))
    rounds.start_screening(award_round)
    failed = {name: sorted(r["rule"] for r in n.eligibility if not r["passed"]) for name, n in made.items()}
    assert failed == {"fit": [], "junior": ["ethics_course", "min_service_years"],
                      "employee": ["ethics_course", "personnel_types"],
                      "flagged": ["ethics_course", "no_disciplinary_flag"], "closed": ["ethics_course"],
                      "winner": ["ethics_course", "not_awarded_years"]}
    assert made["fit"].status == NominationStatus.ELIGIBLE and made["junior"].status == NominationStatus.INELIGIBLE
    with app.test_request_context(headers={"Cookie": "ethics_lang=en"}):  # an English reader
        reasons = {r["rule"]: eligibility.describe(r) for r in made["junior"].eligibility}
    assert reasons["min_service_years"] == "1 years of service; 5 needed."
    assert reasons["ethics_course"] == "No ethics course passed in fiscal year 2569."


def test_override_needs_a_reason_and_is_kept_with_the_result(app, org, make_person):
    award_round = open_round(rules={"min_service_years": 5})
    junior = make_person(org["units"]["dev_team"], service_start_date=date(2024, 1, 1))
    (nomination,) = submit_all(award_round, [junior], org["accounts"]["supervisor"].id)
    rounds.start_screening(award_round)
    assert nomination.status == NominationStatus.INELIGIBLE
    with pytest.raises(RecognitionError, match="reason"):
        eligibility.override(nomination, "min_service_years", True, "  ", "hr")
    with pytest.raises(RecognitionError, match="not part of the round"):
        eligibility.override(nomination, "ethics_course", True, "ok", "hr")
    eligibility.override(nomination, "min_service_years", True, "โอนย้ายมาจากส่วนราชการอื่น นับรวมได้ 6 ปี", "hr")
    assert nomination.status == NominationStatus.ELIGIBLE
    assert nomination.eligibility[0]["passed"] is False  # the computed result stays beside the override
    assert nomination.eligibility[0]["override"]["reason"].startswith("โอนย้าย")
    rounds.add_member(award_round, org["accounts"]["committee"], is_chair=True)
    rounds.start_scoring(award_round)
    with pytest.raises(StageClosed):
        eligibility.override(nomination, "min_service_years", False, "changed my mind", "hr")


def _screened_with_an_override(org, make_person, rules):
    """A screening round under `rules`: a flagged civil servant let through by an override on
    the flag rule, and a permanent employee with twenty years of service."""
    award_round = open_round(rules=rules)
    flagged = make_person(org["units"]["dev_team"], service_start_date=date(2000, 1, 1))
    employee = make_person(org["units"]["dev_team"], personnel_type="permanent_employee",
                           service_start_date=date(2000, 1, 1))
    open_flag(flagged, date(2025, 6, 1), "อยู่ระหว่างสอบสวน")
    kept, other = submit_all(award_round, [flagged, employee], org["accounts"]["supervisor"].id)
    rounds.start_screening(award_round)
    eligibility.override(kept, "no_disciplinary_flag", True, "ผลสอบสวนไม่มีมูล", "hr")
    return award_round, kept, other


def _resave(award_round, **changes):
    data = rounds.RoundData(award_round.year, award_round.nominations_open, award_round.nominations_close,
                            rules=dict(award_round.rules),
                            criteria=[rounds.CriterionData(c.name, c.weight, c.min_score, c.max_score, c.id)
                                      for c in award_round.criteria])
    for key, value in changes.items():
        setattr(data, key, value)
    return rounds.update_round(award_round, data, award_round.version)


def test_new_rules_during_screening_screen_every_nomination_again(app, org, make_person):
    award_round, kept, other = _screened_with_an_override(org, make_person, {"no_disciplinary_flag": True})
    assert (kept.status, other.status) == (NominationStatus.ELIGIBLE, NominationStatus.ELIGIBLE)
    update = _resave(award_round, rules={"no_disciplinary_flag": True, "personnel_types": ["civil_servant"],
                                         "min_service_years": 10})
    assert update.rescreened == 2 and update.kept_overrides == [(kept, "no_disciplinary_flag")]
    assert other.status == NominationStatus.INELIGIBLE  # a permanent employee, no longer let in
    assert {r["rule"] for r in other.eligibility} == {"no_disciplinary_flag", "personnel_types", "min_service_years"}
    assert kept.status == NominationStatus.ELIGIBLE  # the flag rule did not change, so its override stands
    assert next(r for r in kept.eligibility if r["rule"] == "no_disciplinary_flag")["override"]["reason"] == \
        "ผลสอบสวนไม่มีมูล"
    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "nomination.rescreen")
                                .order_by(AuditEntry.seq)).all()
    assert len(logged) == 2


@pytest.mark.parametrize("changes", [
    {"rules": {"no_disciplinary_flag": True, "not_awarded_years": 3}},  # another rule: the flag rule is unchanged
    {"nominations_close": date(2026, 1, 30)},  # only the date: the flag rule is unchanged
])
def test_an_override_survives_changes_that_leave_its_rule_alone(app, org, make_person, changes):
    award_round, kept, _other = _screened_with_an_override(org, make_person, {"no_disciplinary_flag": True})
    assert _resave(award_round, **changes).kept_overrides == [(kept, "no_disciplinary_flag")]
    assert kept.status == NominationStatus.ELIGIBLE


def test_an_override_on_a_changed_rule_is_dropped(app, org, make_person):
    award_round = open_round(rules={"min_service_years": 30})
    veteran = make_person(org["units"]["dev_team"], service_start_date=date(2000, 1, 1))
    (nomination,) = submit_all(award_round, [veteran], org["accounts"]["supervisor"].id)
    rounds.start_screening(award_round)
    eligibility.override(nomination, "min_service_years", True, "นับอายุราชการเดิมได้", "hr")
    update = _resave(award_round, rules={"min_service_years": 40})
    assert update.kept_overrides == [] and nomination.status == NominationStatus.INELIGIBLE
    assert "override" not in nomination.eligibility[0]


def test_moving_the_closing_date_drops_service_year_overrides(app, org, make_person):
    award_round = open_round(rules={"min_service_years": 26})
    veteran = make_person(org["units"]["dev_team"], service_start_date=date(2000, 1, 15))  # 26 years on 15 Jan 2026
    (nomination,) = submit_all(award_round, [veteran], org["accounts"]["supervisor"].id)
    rounds.start_screening(award_round)
    assert nomination.status == NominationStatus.ELIGIBLE
    eligibility.override(nomination, "min_service_years", False, "นับอายุราชการผิด", "hr")
    update = _resave(award_round, nominations_close=date(2026, 1, 10))
    assert update.kept_overrides == [] and nomination.status == NominationStatus.INELIGIBLE
    assert nomination.eligibility[0]["detail"]["years"] == 25  # counted up to the new closing date


def test_unchanged_settings_screen_nothing_again(app, org, make_person):
    award_round, kept, _other = _screened_with_an_override(org, make_person, {"no_disciplinary_flag": True})
    before = [dict(r) for r in kept.eligibility]
    update = _resave(award_round, quota_total=2)
    assert update.rescreened == 0 and kept.eligibility == before


# --- conflicts and blindness -------------------------------------------------------------

def test_conflict_nominator_and_nominee_cannot_score(app, org, scoring_round, make_account):
    award_round, (first, second, third) = scoring_round["round"], scoring_round["nominations"]
    member = scoring_round["member"]
    values = {c.id: (7, "") for c in award_round.criteria}
    with pytest.raises(RecognitionError, match="Declare any conflict"):
        scoring.save_scores(first, member, values)
    with pytest.raises(RecognitionError, match="note"):
        scoring.declare(first, member, ConflictKind.RELATIVE, "")
    scoring.declare(first, member, ConflictKind.RELATIVE, "ญาติ")
    with pytest.raises(RecognitionError, match="declared a conflict"):
        scoring.save_scores(first, member, values)
    with pytest.raises(RecognitionError, match="cannot be withdrawn"):
        scoring.declare(first, member, ConflictKind.NONE, "")
    # A conflict declared after scoring removes that member's scores.
    score_all(second, member, 9, award_round.criteria)
    scoring.declare(second, member, ConflictKind.OTHER, "เพิ่งทราบว่าเป็นเพื่อนบ้าน")
    assert scoring.own_scores(second, member.id) == {}
    # The nominator and the nominee, even on the committee, do not score.
    assert scoring.block_reason(third, org["accounts"]["supervisor"], None) == scoring.Block.NOMINATOR
    nominee_account = make_account("nominee", ("committee",), person=third.person)
    assert scoring.block_reason(third, nominee_account, None) == scoring.Block.NOMINEE


def test_scores_stay_blind_until_finalised(app, scoring_round):
    award_round, (first, *_rest) = scoring_round["round"], scoring_round["nominations"]
    chair, member = scoring_round["chair"], scoring_round["member"]
    score_all(first, member, 9, award_round.criteria)
    assert set(scoring.own_scores(first, chair.id)) == set()
    with pytest.raises(StageClosed):
        scoring.scores_of_round(award_round)
    assert scoring.progress(award_round) == {(first.id, member.id): scoring.Progress.SCORED}


def test_out_of_range_or_missing_scores_are_refused(app, scoring_round):
    award_round, (first, *_rest) = scoring_round["round"], scoring_round["nominations"]
    member = scoring_round["member"]
    scoring.declare(first, member, ConflictKind.NONE, "")
    criteria = award_round.criteria
    for values in ({c.id: (11, "") for c in criteria}, {criteria[0].id: (5, "")}, {c.id: (-1, "") for c in criteria}):
        with pytest.raises(RecognitionError, match="within its range"):
            scoring.save_scores(first, member, values)
    assert db.session.scalars(select(Score)).all() == []


# --- finalising ----------------------------------------------------------------------------

def test_finalise_weights_ranks_and_cuts_by_quota(app, scoring_round):
    award_round, (first, second, third) = scoring_round["round"], scoring_round["nominations"]
    chair, member = scoring_round["chair"], scoring_round["member"]
    award_round.criteria[0].weight = 3.0
    c = award_round.criteria
    for account, marks in ((chair, {first: [5, 9, 9, 9], second: [9, 5, 5, 5], third: [6, 6, 6, 6]}),
                           (member, {first: [7, 9, 9, 9], second: [9, 5, 5, 5], third: [6, 6, 6, 6]})):
        for nomination, values in marks.items():
            scoring.declare(nomination, account, ConflictKind.NONE, "")
            scoring.save_scores(nomination, account, {cr.id: (v, "") for cr, v in zip(c, values, strict=False)})
    with pytest.raises(RecognitionError, match="Only the chair"):
        scoring.finalise(award_round, member)
    ranked = scoring.finalise(award_round, chair)
    # first: 3*6 + 27 = 45; second: 3*9 + 15 = 42; third: 3*6 + 18 = 36
    assert [(r.nomination, r.total, r.rank, r.selected) for r in ranked] == [
        (first, 45.0, 1, True), (second, 42.0, 2, False), (third, 36.0, 3, False)]
    assert (first.status, second.status) == (NominationStatus.SELECTED, NominationStatus.NOT_SELECTED)
    assert award_round.status == RoundStatus.FINALISED
    with pytest.raises(StageClosed, match="finalised"):
        scoring.save_scores(first, member, {cr.id: (1, "") for cr in c})
    with pytest.raises(StageClosed):
        scoring.declare(third, member, ConflictKind.OTHER, "late")


def test_finalise_refuses_an_unscored_nomination(app, scoring_round):
    award_round, (first, second, third) = scoring_round["round"], scoring_round["nominations"]
    for nomination in (first, second):
        score_all(nomination, scoring_round["member"], 7, award_round.criteria)
    with pytest.raises(RecognitionError, match=third.person.full_name):
        scoring.finalise(award_round, scoring_round["chair"])
    assert award_round.status == RoundStatus.SCORING


def ranked_of(award_round, means, starts=None, units=None):
    """Nominations with given scores, ranked by the pure ranking function."""
    from types import SimpleNamespace

    from ethics.recognition.models import Nomination

    made, scores = [], []
    for n, criterion_values in enumerate(means):
        person = SimpleNamespace(service_start_date=(starts or [None] * len(means))[n])
        nomination = Nomination(id=n + 1, unit_id=(units or [1] * len(means))[n])
        nomination.person = person
        made.append(nomination)
        for criterion, value in zip(award_round.criteria, criterion_values, strict=False):
            scores.append(Score(nomination_id=n + 1, account_id=1, criterion_id=criterion.id, value=value))
    return scoring.rank(award_round, made, scores)


def test_tie_break_by_criterion_order_then_service_length(app):
    award_round = open_round()
    # Same totals (24); the second has the higher score on the first criterion.
    ranked = ranked_of(award_round, [[5, 7, 6, 6], [7, 5, 6, 6]])
    assert [r.nomination.id for r in ranked] == [2, 1]
    award_round.tie_break = TieBreak.SERVICE_LENGTH
    ranked = ranked_of(award_round, [[5, 7, 6, 6], [7, 5, 6, 6]], starts=[date(2001, 1, 1), date(2010, 1, 1)])
    assert [r.nomination.id for r in ranked] == [1, 2]
    # A full tie goes to the earlier nomination, so ranks are never shared.
    assert [r.rank for r in ranked_of(award_round, [[6] * 4, [6] * 4])] == [1, 2]


def test_quota_per_unit_passes_the_seat_to_the_next_unit(app):
    award_round = open_round(quota_total=2, quota_per_unit=1)
    ranked = ranked_of(award_round, [[9] * 4, [8] * 4, [7] * 4], units=[1, 1, 2])
    assert [(r.nomination.id, r.selected) for r in ranked] == [(1, True), (2, False), (3, True)]


# --- announcement, counting, audit -------------------------------------------------------------

def test_announce_gives_certificates_and_feeds_the_counting(app, scoring_round):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    for value, nomination in zip((9, 8, 7), made, strict=False):
        score_all(nomination, scoring_round["member"], value, award_round.criteria)
    scoring.finalise(award_round, scoring_round["chair"])
    assert counting.awardees(2569).total == 0
    with pytest.raises(StageClosed):
        rounds.start_scoring(award_round)
    winners = rounds.announce(award_round, date(2026, 3, 1))
    assert [w.certificate_serial for w in winners] == ["HON-2569-0001"] and winners[0] is made[0]
    assert rounds.honour_by_token(winners[0].certificate_token) is made[0]
    assert counting.awardees(2569).total == 1 and counting.nominees(2569).total == 3
    with pytest.raises(StageClosed):
        rounds.announce(award_round, date(2026, 3, 1))
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "Nomination")))
    assert {"nomination.create", "nomination.submit", "nomination.screen", "nomination.conflict",
            "nomination.score"} <= actions
    round_actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "AwardRound")))
    assert {"round.create", "committee.add", "round.screening", "round.scoring", "round.finalise",
            "round.announce"} <= round_actions


def test_the_nominee_learns_only_at_announcement_unless_the_round_says_otherwise(app, org, scoring_round,
                                                                                  make_account):
    award_round, first = scoring_round["round"], scoring_round["nominations"][0]
    nominee = make_account("nominee", ("employee",), person=first.person)
    assert db.session.scalars(nominations.visible_nominations(nominee, award_round)).all() == []
    award_round.tell_nominee_at_announcement = False
    assert db.session.scalars(nominations.visible_nominations(nominee, award_round)).all() == [first]


def test_nominable_people_are_the_supervisors_units(app, org):
    from ethics.auth.models import Account

    supervisor = db.session.get(Account, org["accounts"]["supervisor"].id)
    people = set(db.session.scalars(nominations.nominable_people(supervisor)))
    assert org["people"]["inside"] in people and org["people"]["outside"] not in people
    assert org["people"]["boss"] not in people  # not oneself
