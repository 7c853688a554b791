"""docs/survey-anonymity.md: the answer tables cannot be linked to the people who answered."""
from __future__ import annotations

import contextlib
import logging

import pytest
from sqlalchemy import DateTime, Integer, func, inspect, select, text

from ethics.core.extensions import db
from ethics.core.refusals import NotFound
from ethics.survey import answering, results
from ethics.survey.models import SurveyAnswer, SurveyParticipation, SurveyPending, SurveyResponse
from tests.survey.conftest import all_fives
from tests.training.test_registrations import run_in_threads

ANSWER_TABLES = (SurveyResponse, SurveyAnswer, SurveyPending)


@pytest.mark.parametrize("model", ANSWER_TABLES)
def test_answer_tables_hold_no_person_time_sequence_or_client_data(app, model):
    table = model.__table__
    foreign = {fk.column.table.name for fk in table.foreign_keys}
    assert foreign <= {"morale_campaign", "survey_response", "survey_item"}
    names = set(table.c.keys())
    assert not names & {"person_id", "account_id", "created_at", "submitted_at", "ip", "user_agent"}
    assert not any(isinstance(column.type, DateTime) for column in table.c)
    for column in table.primary_key.columns:
        assert not (isinstance(column.type, Integer) and column.autoincrement is True and len(table.primary_key.columns) == 1)
    inspected = {column["name"] for column in inspect(db.engine).get_columns(table.name)}
    assert inspected == names


def test_participation_and_answers_live_in_separate_tables(app, make_campaign, org):
    campaign = make_campaign()
    person = org["people"]["me"]
    answering.submit(campaign.id, person.id, all_fives(campaign), "ทุกอย่างดี")
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 1
    pending = db.session.scalar(select(SurveyPending))
    assert pending.unit_label == person.unit.name_th and len(pending.id) == 32
    assert set(map(int, pending.values)) == {item.id for item in campaign.items}


def test_second_answer_is_refused_and_stores_nothing(app, make_campaign, org):
    campaign = make_campaign()
    person = org["people"]["me"]
    answering.submit(campaign.id, person.id, all_fives(campaign), "")
    with pytest.raises(answering.AlreadyAnswered):
        answering.submit(campaign.id, person.id, all_fives(campaign, 1), "")
    assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 1


def test_an_answer_to_a_closed_campaign_or_from_outside_its_audience_is_refused(app, make_campaign, org):
    campaign = make_campaign(unit_ids=[org["units"]["dev"].id])
    with pytest.raises(NotFound):
        answering.submit(campaign.id, org["people"]["outside"].id, all_fives(campaign), "")
    answering.close_campaign(campaign)
    with pytest.raises(answering.CampaignClosed) as refused:
        answering.submit(campaign.id, org["people"]["me"].id, all_fives(campaign), "")
    assert refused.value.status == 409
    with pytest.raises(answering.CampaignClosed):
        answering.close_campaign(campaign)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 0


def test_fifty_parallel_submissions_by_one_person_store_one(app, make_campaign, org):
    campaign = make_campaign()
    campaign_id, person_id, values = campaign.id, org["people"]["me"].id, all_fives(campaign, 4)

    def attempt(_n):
        with contextlib.suppress(answering.AlreadyAnswered):
            answering.submit(campaign_id, person_id, values, "")

    assert run_in_threads(app, 50, attempt) == []
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 1
    stored = db.session.scalar(select(func.count()).select_from(SurveyPending)) + \
        db.session.scalar(select(func.count()).select_from(SurveyResponse))
    assert stored == 1


def make_people(make_person, unit, count):
    return [make_person(unit) for _ in range(count)]


def test_stored_order_is_unrelated_to_submission_order(app, make_campaign, make_person, make_unit):
    unit = make_unit("BIG")
    people = make_people(make_person, unit, 20)
    campaign = make_campaign()
    for n, person in enumerate(people):  # sheet n carries comment "n" so its position can be traced
        answering.submit(campaign.id, person.id, all_fives(campaign, 1 + n % 5), f"sheet-{n:02d}")
    assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 0  # two batches moved in
    order_column = "ctid" if db.engine.dialect.name == "postgresql" else "rowid"
    stored = [row[0] for row in db.session.execute(text(
        f"SELECT comment FROM survey_response ORDER BY {order_column}"))]
    submitted = [f"sheet-{n:02d}" for n in range(20)]
    assert sorted(stored) == submitted
    assert stored[:10] != submitted[:10] and stored[10:] != submitted[10:]
    answering.close_campaign(campaign)
    db.session.commit()
    after = [row[0] for row in db.session.execute(text(f"SELECT comment FROM survey_response ORDER BY {order_column}"))]
    assert sorted(after) == submitted and after != submitted


def test_on_postgresql_one_batch_shares_one_transaction_id(app, make_campaign, make_person, make_unit):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("transaction ids (xmin) exist on PostgreSQL only; this runs in the PostgreSQL pass")
    people = make_people(make_person, make_unit("X"), 10)
    campaign = make_campaign()
    for person in people:
        answering.submit(campaign.id, person.id, all_fives(campaign), "")
    xmins = {row[0] for row in db.session.execute(text("SELECT xmin::text FROM survey_response"))}
    answer_xmins = {row[0] for row in db.session.execute(text("SELECT xmin::text FROM survey_answer"))}
    participation = {row[0] for row in db.session.execute(text("SELECT xmin::text FROM survey_participation"))}
    assert len(xmins) == 1 and answer_xmins == xmins
    assert not xmins & participation


def test_required_items_and_values_are_checked(app, make_campaign):
    campaign = make_campaign()
    first = campaign.items[0]
    with pytest.raises(answering.AnswerProblems) as problem:
        answering.clean(campaign, {f"item-{first.id}": "5"})
    assert first.id not in problem.value.missing and len(problem.value.missing) == len(campaign.items) - 1
    form = {f"item-{item.id}": "9" for item in campaign.items}
    with pytest.raises(answering.AnswerProblems):
        answering.clean(campaign, form)


def test_no_answer_content_in_logs(client, auth, make_campaign, org, caplog):
    caplog.set_level(logging.DEBUG)
    campaign = make_campaign()
    auth.login("employee")
    form = {f"item-{item.id}": "3" for item in campaign.items}
    form["comment"] = "ความลับที่ไม่ควรอยู่ในบันทึก"
    assert client.post(f"/survey/{campaign.id}", data=form).status_code == 302
    assert "ความลับที่ไม่ควรอยู่ในบันทึก" not in caplog.text
    assert f"item-{campaign.items[0].id}" not in caplog.text


# --- suppression ---------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, hidden", [
    ({"A": 10, "B": 8, "C": 3}, {"C", "B"}),        # one hidden: the next smallest goes too
    ({"A": 10, "B": 3, "C": 4}, {"B", "C"}),        # two hidden already: enough
    ({"A": 10, "B": 8}, set()),
    ({"A": 4}, {"A"}),
    ({"A": 12, "B": 6, "C": 5, "D": 2}, {"D", "C"}),
])
def test_suppression_with_the_next_smallest_group(sizes, hidden):
    assert results.suppressed_labels(sizes) == hidden


def test_results_hide_small_groups_and_comments(app, make_campaign, make_person, make_unit):
    big, small, tiny = make_unit("BIG", "กลุ่มใหญ่"), make_unit("MID", "กลุ่มกลาง"), make_unit("TINY", "กลุ่มเล็ก")
    everyone = make_people(make_person, big, 12) + make_people(make_person, small, 6) + make_people(make_person, tiny, 3)
    campaign = make_campaign()
    for n, person in enumerate(everyone):
        answering.submit(campaign.id, person.id, all_fives(campaign, 1 + n % 5), f"ความเห็น {n}")
    with pytest.raises(PermissionError):
        results.campaign_results(campaign)
    answering.close_campaign(campaign)
    db.session.commit()
    outcome = results.campaign_results(campaign)
    groups = {group.label: group for group in outcome.groups}
    assert groups["กลุ่มเล็ก"].suppressed and groups["กลุ่มกลาง"].suppressed and not groups["กลุ่มใหญ่"].suppressed
    assert all(group.comments is None for group in outcome.groups)  # 21 overall - 12 would leave the small ones'
    assert len(outcome.overall.comments) == 21
    assert outcome.overall.overall.n == 21 * len(campaign.items)
    assert outcome.answered == 21 and outcome.eligible >= 21


@pytest.mark.parametrize("sizes, groups_show_comments", [((10, 10, 6), False), ((10, 10, 2), False),
                                                        ((10, 10, 10), True)])
def test_comments_never_come_back_by_subtraction(app, make_campaign, make_person, make_unit, sizes,
                                                 groups_show_comments):
    units = [make_unit(f"G{n}", f"กลุ่ม {n}") for n in range(len(sizes))]
    people = [(unit, make_people(make_person, unit, size)) for unit, size in zip(units, sizes, strict=True)]
    campaign = make_campaign()
    for unit, members in people:
        for n, person in enumerate(members):
            answering.submit(campaign.id, person.id, all_fives(campaign), f"{unit.code}-{n}")
    answering.close_campaign(campaign)
    db.session.commit()
    outcome = results.campaign_results(campaign)
    assert sorted(outcome.overall.comments) == sorted(f"G{g}-{n}" for g, size in enumerate(sizes) for n in range(size))
    shown = [comment for group in outcome.groups for comment in group.comments or []]
    hidden_behind = set(outcome.overall.comments) - set(shown)
    if groups_show_comments:
        assert not hidden_behind
    else:
        assert shown == []  # what the overall list minus the groups' lists leaves is everyone's, not one group's


def test_morale_index_and_level_bands(app, make_campaign, make_person, make_unit):
    people = make_people(make_person, make_unit("U"), 5)
    campaign = make_campaign()
    for value, person in zip([4, 4, 5, 3, 4], people, strict=True):
        answering.submit(campaign.id, person.id, all_fives(campaign, value), "")
    assert results.morale_index(2570) is None  # not before close
    answering.close_campaign(campaign)
    db.session.commit()
    assert results.morale_index(2570) == (4.0, "มาก")


@pytest.mark.parametrize("mean, band", [(1.0, 0), (1.80, 0), (1.81, 1), (2.60, 1), (2.61, 2), (3.40, 2), (3.41, 3),
                                        (4.20, 3), (4.21, 4), (5.0, 4), (1.804, 0), (1.806, 1)])
def test_level_band_boundaries(mean, band):
    assert results.level_index(mean) == band


@pytest.mark.parametrize("last_year_sheets, compared", [(results.MIN_SCORES - 1, False), (results.MIN_SCORES, True)])
def test_last_year_is_compared_only_when_its_results_could_be_shown(app, make_campaign, make_person, make_unit,
                                                                    last_year_sheets, compared):
    """Last year's means beside this year's (table and chart) follow the same threshold as last
    year's own results: a campaign answered by four people shows no figure, this year or next."""
    people = make_people(make_person, make_unit("U"), 5)
    last_year, this_year = make_campaign(fiscal_year=2569), make_campaign(fiscal_year=2570)
    for person in people[:last_year_sheets]:
        answering.submit(last_year.id, person.id, all_fives(last_year, 2), "")
    for person in people:
        answering.submit(this_year.id, person.id, all_fives(this_year, 4), "")
    for campaign in (last_year, this_year):  # each closing in its own transaction, as HR's clicks are
        answering.close_campaign(campaign)
        db.session.commit()
    previous = results.campaign_results(this_year).previous
    assert previous == ({d.name_th: 2.0 for d in last_year.dimensions} if compared else {})


def test_two_answers_moving_the_batch_at_once_neither_fails_nor_doubles(app, make_campaign, make_person, make_unit,
                                                                        monkeypatch):
    """Found by PF8 on PostgreSQL: two answers that each counted a full batch took the pending
    table whole while each still held the share lock of its count, and one failed (deadlock)
    after its sheet was stored. Here both reach the move together, every time."""
    import threading

    people = make_people(make_person, make_unit("PAIR"), answering.BATCH + 1)
    campaign = make_campaign()
    for person in people[:answering.BATCH - 1]:
        answering.submit(campaign.id, person.id, all_fives(campaign), "")
    campaign_id, values, last_two = campaign.id, all_fives(campaign, 3), [p.id for p in people[-2:]]
    together, move = threading.Barrier(2, timeout=30), answering.shuffle_in

    def meeting_first(*args, **kwargs):
        together.wait()  # both have counted a full batch (BATCH - 1 before them, one each)
        return move(*args, **kwargs)

    monkeypatch.setattr(answering, "shuffle_in", meeting_first)
    assert run_in_threads(app, 2, lambda n: answering.submit(campaign_id, last_two[n], values, "")) == []
    assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == answering.BATCH + 1
