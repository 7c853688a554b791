"""A committee member's scoring sheet (issue 19): every nominee in rows, the criteria in columns,
the member's own progress, one action for "no conflict with the rest", an irreversible conflict
declared only after a confirmation step; blind scoring exactly as on a nominee's page."""
from __future__ import annotations

import re

from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.recognition import scoring, sheet
from ethics.recognition.models import AwardRound, ConflictDeclaration, ConflictKind, Nomination, Score
from tests.recognition.test_views import signed_in
from tests.training.test_registrations import run_in_threads


def url(award_round, *rest) -> str:
    return "/".join([f"/recognition/rounds/{award_round.id}/sheet", *map(str, rest)])


def boxes(award_round, nomination, value) -> dict[str, str]:
    return {sheet.field_name(nomination.id, c.id): str(value) for c in award_round.criteria}


def declare_none(member, made) -> None:
    for nomination in made:
        scoring.declare(nomination, member, ConflictKind.NONE, "")
    db.session.commit()


def own_values(member) -> dict[int, set[int]]:
    values: dict[int, set[int]] = {}
    for score in db.session.scalars(select(Score).where(Score.account_id == member.id)):
        values.setdefault(score.nomination_id, set()).add(score.value)
    return values


def test_no_conflict_with_the_rest_declares_only_the_undeclared(app, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    client = signed_in(app, "member")
    scoring.declare(made[0], member, ConflictKind.RELATIVE, "ญาติ")
    db.session.commit()
    page = client.get(url(award_round)).text
    assert "Scored 0 of 2" in page and "2 waiting for your conflict-of-interest declaration" in page
    done = client.post(url(award_round, "no-conflict"), follow_redirects=True)
    assert "You declared no conflict of interest with 2 nominees." in done.text
    db.session.expire_all()
    kinds = {d.nomination_id: d.kind for d in db.session.scalars(
        select(ConflictDeclaration).where(ConflictDeclaration.account_id == member.id))}
    assert kinds == {made[0].id: "relative", made[1].id: "none", made[2].id: "none"}
    audited = db.session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == "nomination.conflict",
                                                                    AuditEntry.actor_label == "member")).all()
    assert sorted(audited) == [str(made[1].id), str(made[2].id)]  # one entry per declaration, by the member
    page = client.get(url(award_round)).text
    assert 'data-testid="declare-rest"' not in page and "Scored 0 of 2" in page
    assert re.search(rf'data-testid="sheet-row-{made[0].id}".*?You declared a conflict of interest', page, re.S)


def test_a_double_click_on_no_conflict_with_the_rest_declares_each_once(app, scoring_round):
    """Two requests at once (a double click): both find the same nominees undeclared; the second
    leaves the first's rows alone instead of failing, and each declaration is audited once."""
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    round_id, member_id = award_round.id, member.id
    written = []

    def declare(_n):
        written.append(scoring.declare_no_conflict_with_the_rest(db.session.get(AwardRound, round_id),
                                                                  db.session.get(Account, member_id)))

    assert run_in_threads(app, 2, declare) == []
    assert sum(written) == 3  # between them, each nominee once
    declared = db.session.scalars(select(ConflictDeclaration.nomination_id)
                                  .where(ConflictDeclaration.account_id == member_id)).all()
    assert sorted(declared) == sorted(n.id for n in made)
    audited = db.session.scalars(select(AuditEntry.target_id).where(AuditEntry.action == "nomination.conflict")
                                 .order_by(AuditEntry.seq)).all()
    assert sorted(audited) == sorted(str(n.id) for n in made)


def test_the_whole_sheet_posts_without_javascript_all_or_nothing(app, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    declare_none(member, made)
    client = signed_in(app, "member")
    bad = client.post(url(award_round), data={**boxes(award_round, made[0], 7), **boxes(award_round, made[1], 11)})
    assert bad.status_code == 422 and "Number must be between 0 and 10" in bad.text
    assert own_values(member) == {}
    partial = {**boxes(award_round, made[0], 7), sheet.field_name(made[1].id, award_round.criteria[0].id): "5"}
    refused = client.post(url(award_round), data=partial)
    assert refused.status_code == 422 and "Score every criterion within its range" in refused.text
    assert own_values(member) == {}
    done = client.post(url(award_round), data=boxes(award_round, made[0], 7), follow_redirects=True)
    assert "Your scores are saved." in done.text and "Scored 1 of 3" in done.text
    assert own_values(member) == {made[0].id: {7}}  # the blank rows stay unscored


def test_htmx_saves_one_row_and_swaps_it_with_the_progress(app, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    declare_none(member, made)
    client = signed_in(app, "member")
    whole_form = {**boxes(award_round, made[0], 6), **boxes(award_round, made[1], 99)}  # htmx sends the whole form
    row = client.post(url(award_round, made[0].id), data=whole_form, headers={"HX-Request": "true"})
    assert row.status_code == 200 and row.text.lstrip().startswith(f'<tr id="sheet-row-{made[0].id}"')
    assert "Saved" in row.text and 'hx-swap-oob="true"' in row.text and "Scored 1 of 3" in row.text
    assert own_values(member) == {made[0].id: {6}}
    bad = client.post(url(award_round, made[1].id), data=whole_form, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "Number must be between" in bad.text and "<html" not in bad.text
    assert own_values(member) == {made[0].id: {6}}


def test_the_sheet_keeps_comments_and_blindness(app, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    declare_none(member, made)
    scoring.save_scores(made[0], member, {c.id: (4, "SECRET-COMMENT") for c in award_round.criteria})
    db.session.commit()
    client = signed_in(app, "member")
    page = client.get(url(award_round)).text
    assert f'name="{sheet.field_name(made[0].id, award_round.criteria[0].id)}"' in page and 'value="4"' in page
    client.post(url(award_round, made[0].id), data=boxes(award_round, made[0], 9), headers={"HX-Request": "true"})
    db.session.expire_all()
    assert {(s.value, s.comment) for s in db.session.scalars(select(Score).where(Score.account_id == member.id))} == {
        (9, "SECRET-COMMENT")}
    chair = signed_in(app, "committee")
    chair_sheet = chair.get(url(award_round)).text
    assert 'value="9"' not in chair_sheet and "Scored 0 of 3" in chair_sheet


def test_a_nominator_on_the_committee_sees_why_a_row_is_not_theirs(app, org, scoring_round, make_person):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    page = signed_in(app, "member").get(url(award_round)).text
    assert len(re.findall(r'data-testid="sheet-row-', page)) == len(made)
    assert sheet.sheet_for(award_round, scoring_round["member"]).to_score == 3
    supervisor = org["accounts"]["supervisor"]
    supervisor_sheet = sheet.sheet_for(award_round, supervisor)  # not a member, but the rule is block_reason's
    assert {row.block for row in supervisor_sheet.rows} == {scoring.Block.NOMINATOR}
    assert supervisor_sheet.to_score == 0


def test_a_conflict_is_declared_only_after_the_confirmation_step(app, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    client = signed_in(app, "member")
    step = client.get(url(award_round, made[1].id, "conflict"))
    assert step.status_code == 200 and "This cannot be undone." in step.text and "data-confirm=" in step.text
    assert 'value="none"' not in step.text  # this step declares a conflict; "none" is the sheet's action
    unconfirmed = client.post(url(award_round, made[1].id, "conflict"), data={"kind": "relative", "note": "ญาติ"})
    assert unconfirmed.status_code == 422 and "Confirm that you understand" in unconfirmed.text
    no_note = client.post(url(award_round, made[1].id, "conflict"), data={"kind": "relative", "understood": "y"})
    assert no_note.status_code == 422 and "Describe the conflict in a note." in no_note.text
    assert db.session.get(ConflictDeclaration, (made[1].id, member.id)) is None
    done = client.post(url(award_round, made[1].id, "conflict"),
                       data={"kind": "relative", "note": "ญาติ", "understood": "y"}, follow_redirects=True)
    assert "Your declaration is recorded." in done.text and "Scored 0 of 2" in done.text
    assert db.session.get(ConflictDeclaration, (made[1].id, member.id)).kind == "relative"
    again = client.get(url(award_round, made[1].id, "conflict")).text
    assert 'data-testid="blocked"' in again and "declare-conflict" not in again


def test_the_nominees_page_asks_for_the_same_confirmation(app, scoring_round):
    first, member = scoring_round["nominations"][0], scoring_round["member"]
    client = signed_in(app, "member")
    refused = client.post(f"/recognition/nominations/{first.id}/conflict", data={"kind": "other", "note": "เพื่อนบ้าน"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "Confirm that you understand" in refused.text
    assert refused.text.lstrip().startswith('<section id="scoring"')
    assert db.session.get(ConflictDeclaration, (first.id, member.id)) is None
    assert client.post(f"/recognition/nominations/{first.id}/conflict",
                       data={"kind": "none", "note": ""}).status_code == 302  # "no conflict" needs no confirmation


def test_only_members_open_the_sheet_and_it_closes_with_the_round(app, org, scoring_round):
    award_round, made, member = scoring_round["round"], scoring_round["nominations"], scoring_round["member"]
    assert signed_in(app, "hr").get(url(award_round)).status_code == 403
    signed_in(app, "member")  # the fixture's second member may open it; an outsider of the committee may not
    chair = signed_in(app, "committee")
    assert 'data-testid="my-sheet"' in chair.get(f"/recognition/rounds/{award_round.id}").text
    for nomination in made:
        scoring.declare(nomination, member, ConflictKind.NONE, "")
        scoring.save_scores(nomination, member, {c.id: (8, "") for c in award_round.criteria})
    scoring.finalise(award_round, scoring_round["chair"])
    db.session.commit()
    client = signed_in(app, "member")
    assert 'data-testid="sheet-closed"' in client.get(url(award_round)).text
    assert client.post(url(award_round), data=boxes(award_round, made[0], 1)).status_code == 409
    assert client.post(url(award_round, "no-conflict")).status_code == 409


def test_a_committee_account_off_this_committee_gets_404(app, scoring_round, make_account):
    make_account("stranger", ("committee",))
    db.session.commit()
    assert signed_in(app, "stranger").get(url(scoring_round["round"])).status_code == 404


def test_the_sheet_asks_a_bounded_number_of_queries(app, org, scoring_round, make_person):
    from tests.conftest import count_queries

    award_round, member = scoring_round["round"], scoring_round["member"]
    client = signed_in(app, "member")
    client.get("/")
    counts = []
    for _ in range(2):
        with count_queries() as statements:
            assert client.get(url(award_round)).status_code == 200
        counts.append(len(statements))
        for _n in range(10):  # more eligible nominations, each declared and scored
            person = make_person(org["units"]["dev_team"])
            nomination = Nomination(round_id=award_round.id, person_id=person.id, unit_id=person.unit_id,
                                    nominated_by=org["accounts"]["supervisor"].id, status="eligible")
            db.session.add(nomination)
            db.session.flush()
            db.session.add(ConflictDeclaration(nomination_id=nomination.id, account_id=member.id, kind="none"))
            db.session.add_all(Score(nomination_id=nomination.id, account_id=member.id, criterion_id=c.id, value=5)
                               for c in award_round.criteria)
        db.session.commit()
    assert counts[0] == counts[1]
    with count_queries() as statements:
        assert client.post(url(award_round, "no-conflict")).status_code == 302
    assert len(statements) < 25
