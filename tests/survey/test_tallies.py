"""Issue 19/21: a closed campaign's results read tallies written when it closed (ethics.survey.results.tally),
never the answers again; every count equals the answers counted afresh, and the upgrade tallies the
campaigns closed before it."""
from __future__ import annotations

import random
import statistics

import pytest
from sqlalchemy import case, delete, func, select

from ethics.core.extensions import db
from ethics.survey import answering
from ethics.survey.models import SurveyAnswer, SurveyResponse, SurveyTally
from ethics.survey.results import campaign_results, tally
from tests.conftest import POSTGRES


def counted_afresh(campaign_id: int) -> dict[tuple[str, int], list[int]]:
    rows = db.session.execute(
        select(SurveyResponse.unit_label, SurveyAnswer.item_id,
               *(func.sum(case((SurveyAnswer.value == point, 1), else_=0)) for point in range(1, 6)))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.campaign_id == campaign_id).group_by(SurveyResponse.unit_label, SurveyAnswer.item_id))
    return {(label, item): [int(n) for n in counts] for label, item, *counts in rows}


def tallied(campaign_id: int) -> dict[tuple[str, int], list[int]]:
    rows = db.session.execute(select(SurveyTally.unit_label, SurveyTally.item_id, *SurveyTally.points())
                              .where(SurveyTally.campaign_id == campaign_id))
    return {(label, item): list(counts) for label, item, *counts in rows}


def answered_at_random(org, make_campaign, make_person, seed: int):
    rng = random.Random(seed)
    people = [make_person(org["units"][rng.choice(["audit", "dev_team", "dev"])]) for _ in range(23)]
    campaign = make_campaign()
    for item in campaign.items[::3]:
        item.required = False  # some people leave these blank
    db.session.commit()
    for person in people:
        values = {item.id: rng.randint(1, 5) for item in campaign.items if item.required or rng.random() < 0.6}
        answering.submit(campaign.id, person.id, values, "")
    return campaign


def test_closing_tallies_exactly_what_the_answers_count(org, make_campaign, make_person):
    campaign = answered_at_random(org, make_campaign, make_person, seed=19)
    assert tallied(campaign.id) == {}  # nothing is counted while answers may still come
    answering.close_campaign(campaign)
    db.session.commit()
    assert tallied(campaign.id) == counted_afresh(campaign.id) != {}
    for group in campaign_results(campaign).groups:
        for item_id, stat in group.items.items():
            if not stat.hidden:
                assert stat.distribution == counted_afresh(campaign.id).get((group.label, item_id), [0] * 5)


def test_every_shown_figure_is_the_statistics_of_the_answers_it_covers(org, make_campaign, make_person):
    """Each group's items, dimensions and overall, and everyone's: answers, mean, standard deviation
    and distribution as the statistics module gives them from the raw answers."""
    campaign = answered_at_random(org, make_campaign, make_person, seed=23)
    answering.close_campaign(campaign)
    db.session.commit()
    answers = db.session.execute(select(SurveyResponse.unit_label, SurveyAnswer.item_id, SurveyAnswer.value)
                                 .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
                                 .where(SurveyResponse.campaign_id == campaign.id)).all()
    outcome = campaign_results(campaign)

    def expect(stat, labels, item_ids):
        values = [value for label, item_id, value in answers if label in labels and item_id in item_ids]
        assert stat.n == len(values) and stat.distribution == [values.count(point) for point in range(1, 6)]
        assert stat.mean == pytest.approx(statistics.mean(values))
        assert stat.sd == pytest.approx(statistics.stdev(values) if len(values) > 1 else 0.0)

    shown = 0
    every_label = {label for label, _, _ in answers}
    for group, labels in [(outcome.overall, every_label)] + [(g, {g.label}) for g in outcome.groups]:
        figures = [(stat, {item_id}) for item_id, stat in group.items.items()]
        figures += [(group.dimensions[d.id], {item.id for item in d.items}) for d in campaign.dimensions]
        figures += [(group.overall, {item.id for item in campaign.items})]
        for stat, item_ids in figures:
            if not stat.hidden:
                expect(stat, labels, item_ids)
                shown += 1
    assert shown > len(campaign.items)


def test_results_come_from_the_tallies_not_the_answers(org, make_campaign, make_person):
    campaign = answered_at_random(org, make_campaign, make_person, seed=21)
    answering.close_campaign(campaign)
    db.session.commit()
    before = campaign_results(campaign).overall.overall
    db.session.execute(delete(SurveyTally).where(SurveyTally.campaign_id == campaign.id))
    assert campaign_results(campaign).overall.overall.mean is None  # proof of where they are read
    tally(campaign.id)
    assert campaign_results(campaign).overall.overall == before


def test_the_upgrade_tallies_the_campaigns_closed_before_it(empty_app):
    from flask_migrate import downgrade, upgrade

    from ethics.demo import seed
    from ethics.survey.models import CampaignStatus, MoraleCampaign

    upgrade()
    seed()
    db.session.commit()
    closed = db.session.scalars(select(MoraleCampaign).where(MoraleCampaign.status == CampaignStatus.CLOSED)).all()
    assert closed and all(tallied(c.id) for c in closed)
    expected = {c.id: tallied(c.id) for c in closed}
    db.session.remove()
    downgrade(revision="f20a0b0c0005")  # as the database was before this release: no tallies
    upgrade()
    assert {c.id: tallied(c.id) for c in closed} == expected == {c.id: counted_afresh(c.id) for c in closed}


@pytest.mark.skipif(not POSTGRES, reason="on SQLite a writing transaction holds the write lock from its first "
                                          "statement, so no other close can commit while this one has the campaign open")
def test_closing_a_campaign_someone_has_just_closed_is_refused_kindly(org, make_campaign, make_person):
    from sqlalchemy import update

    from ethics.survey.answering import CampaignClosed
    from ethics.survey.models import CampaignStatus, MoraleCampaign

    campaign = answered_at_random(org, make_campaign, make_person, seed=5)
    assert campaign.closable  # what the second HR's page loaded
    with db.engine.begin() as other:  # the first HR's close, committed meanwhile
        other.execute(update(MoraleCampaign).where(MoraleCampaign.id == campaign.id)
                      .values(status=CampaignStatus.CLOSED))
    try:
        answering.close_campaign(campaign)
    except CampaignClosed:
        pass
    else:
        raise AssertionError("a closed campaign was closed again")
    assert tallied(campaign.id) == {}
