"""Issue 19, the last survey item: an item may be optional. A blank is stored as nothing, one sheet
per participation; results count only those who answered an item and hide, with complementary
suppression, every figure from which a hidden one could be derived (docs/survey-anonymity.md)."""
from __future__ import annotations

import io
import re

import pytest
from flask_migrate import upgrade
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.survey import answering, campaigns, results
from ethics.survey.models import SurveyParticipation, SurveyPending, SurveyResponse

HTMX = {"HX-Request": "true"}
MIN = results.MIN_SCORES


# --- the column ------------------------------------------------------------------------------

def test_the_migration_keeps_existing_items_required_and_defaults_new_rows_to_required(empty_app):
    upgrade(revision="f19c0a1b0001")
    db.session.execute(text("INSERT INTO morale_campaign (id, fiscal_year, title, opens_on, closes_on, status, "
                            "allow_comment, audience, version) VALUES (1, 2570, 't', '2026-11-01', '2026-12-31', "
                            "'draft', true, '{}', 1)"))
    db.session.execute(text("INSERT INTO survey_dimension (id, campaign_id, position, name_th, name_en) "
                            "VALUES (1, 1, 0, 'ด้าน', '')"))
    db.session.execute(text("INSERT INTO survey_item (id, dimension_id, position, text_th, text_en, required) "
                            "VALUES (1, 1, 0, 'ข้อเดิม', '', true)"))
    db.session.commit()
    upgrade()
    db.session.execute(text("INSERT INTO survey_item (id, dimension_id, position, text_th, text_en) "
                            "VALUES (2, 1, 1, 'ข้อใหม่', '')"))
    db.session.commit()
    assert [bool(r) for r in db.session.scalars(text("SELECT required FROM survey_item ORDER BY id"))] == [True, True]


# --- the editor --------------------------------------------------------------------------------

def audited(action: str) -> list[dict]:
    return list(db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def checkbox(page: str, key) -> str:
    (found,) = re.findall(rf'<input type="checkbox" id="required-{key}"[^>]*>', page)
    return found


def test_hr_ticks_an_item_optional_and_back_and_each_change_is_audited(client, auth, org, make_campaign):
    campaign = make_campaign(open_it=False)
    dimension = campaign.dimensions[0]
    item = dimension.items[0]
    url = f"/survey/campaigns/{campaign.id}/items"
    auth.login("hr")
    page = client.get(f"/survey/campaigns/{campaign.id}").text
    assert "checked" in checkbox(page, item.id) and "checked" in checkbox(page, f"new-{dimension.id}")
    texts = {"item_id": item.id, "text_th": item.text_th, "text_en": item.text_en}
    unticked = client.post(url, data={"action": "save", **texts}, headers=HTMX)  # an unticked box posts nothing
    assert unticked.status_code == 200 and "checked" not in checkbox(unticked.text, item.id)
    assert item.required is False
    assert client.post(url, data={"action": "save", "required": "y", **texts}).status_code == 302  # without htmx
    assert item.required is True
    client.post(url, data={"action": "add", "dimension_id": dimension.id, "text_th": "ข้อที่ไม่บังคับ"}, headers=HTMX)
    assert dimension.items[-1].text_th == "ข้อที่ไม่บังคับ" and dimension.items[-1].required is False
    assert audited("survey.item_edit") == [
        {"item": item.id, "before": {"required": True}, "after": {"required": False}},
        {"item": item.id, "before": {"required": False}, "after": {"required": True}}]
    assert audited("survey.item_add")[0]["after"]["required"] is False


def test_a_copy_of_last_years_campaign_keeps_which_items_are_optional(org, make_campaign):
    last = make_campaign(fiscal_year=2569, open_it=False)
    last.items[1].required = False
    copy = campaigns.create(campaigns.CampaignData(2570, "ปีใหม่", last.opens_on, last.closes_on), copy_from=last)
    assert [item.required for item in copy.items] == [item.required for item in last.items]
    assert not copy.items[1].required and all(item.required for item in make_campaign(fiscal_year=2571).items)


# --- answering -----------------------------------------------------------------------------------

def optional_campaign(make_campaign, *positions, open_it=True):
    """A campaign whose items at `positions` (in survey order) are optional."""
    campaign = make_campaign(open_it=False)
    for position in positions:
        campaign.items[position].required = False
    db.session.commit()
    if open_it:
        campaigns.open_campaign(campaign)
        db.session.commit()
    return campaign


def form(campaign, value="4", skip=()):
    return {f"item-{item.id}": value for n, item in enumerate(campaign.items) if n not in skip}


def test_the_answer_page_and_preview_mark_required_and_optional_items(client, auth, org, make_campaign):
    campaign = optional_campaign(make_campaign, 1)
    client.set_cookie("ethics_lang", "en")
    optional, required = campaign.items[1], campaign.items[0]
    for user, url in (("employee", f"/survey/{campaign.id}"), ("hr", f"/survey/campaigns/{campaign.id}/preview")):
        auth.login(user)
        page = client.get(url).text
        assert re.search(rf'id="item-{optional.id}-label">{re.escape(optional.text_en)} <small class="optional">'
                         r'\(optional\)</small></legend>', page)
        assert f'id="item-{required.id}-label">{required.text_en} <span aria-hidden="true">*</span>' in page
        assert 'data-testid="optional-note"' in page


@pytest.mark.parametrize("lang, message", [("th", "กรุณาตอบทุกข้อที่มีเครื่องหมาย *"),
                                           ("en", "Please answer every item marked as required.")])
def test_a_blank_required_item_is_refused_and_leads_to_it_past_a_blank_optional_one(client, auth, org, make_campaign,
                                                                                  lang, message):
    campaign = optional_campaign(make_campaign, 0)
    client.set_cookie("ethics_lang", lang)
    auth.login("employee")
    refused = client.post(f"/survey/{campaign.id}", data=form(campaign, skip=(0, 3)))
    assert refused.status_code == 422 and message in refused.text
    summary = refused.text.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'href="#([\w-]+)"', summary) == [f"item-{campaign.items[3].id}-1"]  # not the optional one
    assert refused.text.count("autofocus") == 1
    assert re.search(rf'id="item-{campaign.items[3].id}-1"[^>]*autofocus', refused.text)
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 0
    sent = client.post(f"/survey/{campaign.id}", data=form(campaign, skip=(0,)))
    assert sent.status_code == 302
    (pending,) = db.session.scalars(select(SurveyPending))
    assert set(map(int, pending.values)) == {item.id for item in campaign.items[1:]}  # a blank is stored as nothing


def test_a_sheet_with_every_item_left_blank_is_still_one_sheet_after_closing(org, make_campaign):
    campaign = make_campaign(open_it=False)
    for item in campaign.items:
        item.required = False
    db.session.commit()
    campaigns.open_campaign(campaign)
    db.session.commit()
    values, comment = answering.clean(campaign, {"comment": "ไม่ตอบข้อใดเลย"})
    assert values == {}
    answering.submit(campaign.id, org["people"]["me"].id, values, comment)
    answering.submit(campaign.id, org["people"]["inside"].id, {campaign.items[0].id: 3}, "")
    answering.close_campaign(campaign)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 2 == \
        db.session.scalar(select(func.count()).select_from(SurveyParticipation))


# --- results ---------------------------------------------------------------------------------------

def closed(campaign, answers) -> results.CampaignResults:
    """Submit (person, value, skipped positions) sheets, close, and read the results."""
    for person, value, skip in answers:
        values = {item.id: value for n, item in enumerate(campaign.items) if n not in skip}
        answering.submit(campaign.id, person.id, values, "")
    answering.close_campaign(campaign)
    db.session.commit()
    return results.campaign_results(campaign)


def assert_nothing_hidden_can_be_derived(outcome: results.CampaignResults) -> None:
    """What subtraction of shown figures gives is either nothing or a pool of at least MIN answers,
    and no shown figure is made of a hidden one."""
    every = [outcome.overall, *outcome.groups]
    for item in outcome.campaign.items:
        shown = [group.items[item.id] for group in outcome.groups if not group.items[item.id].hidden]
        if not outcome.overall.items[item.id].hidden and len(shown) < len(outcome.groups):
            assert outcome.overall.items[item.id].n - sum(stat.n for stat in shown) >= MIN
    shown_sheets = sum(group.sheets for group in outcome.groups if not group.suppressed)
    assert outcome.overall.sheets - shown_sheets in {0, *range(MIN, outcome.overall.sheets + 1)}
    for group in every:
        for dimension in outcome.campaign.dimensions:
            if not group.dimensions[dimension.id].hidden:
                assert not any(group.items[item.id].hidden for item in dimension.items)
        if not group.overall.hidden:
            assert not any(stat.hidden for stat in group.dimensions.values())
        for stat in [*group.items.values(), *group.dimensions.values(), group.overall]:
            assert not stat.hidden or (stat.mean, stat.sd, stat.n, sum(stat.distribution)) == (None, None, 0, 0)


def test_an_optional_items_figures_count_only_those_who_answered_it(org, make_campaign, make_person, make_unit):
    unit = make_unit("U")
    people = [make_person(unit) for _ in range(8)]
    campaign = optional_campaign(make_campaign, 0)
    outcome = closed(campaign, [(person, 2 if n < 6 else 4, (0,) if n >= 6 else ()) for n, person in enumerate(people)])
    optional, other = campaign.items[0], campaign.items[1]
    assert (outcome.overall.items[optional.id].n, outcome.overall.items[optional.id].mean) == (6, 2.0)  # two skipped
    assert (outcome.overall.items[other.id].n, outcome.overall.items[other.id].mean) == (8, 2.5)
    first = outcome.overall.dimensions[campaign.dimensions[0].id]  # 3 items: 6 + 8 + 8 answers
    assert first.n == 22 and first.mean == pytest.approx((6 * 2 + 2 * (6 * 2 + 2 * 4)) / 22)
    answers = 8 * len(campaign.items) - 2
    index = (2 * 6 * len(campaign.items) + 4 * 2 * (len(campaign.items) - 1)) / answers
    assert outcome.overall.overall.mean == pytest.approx(index)
    assert results.morale_index(2570) == (round(index, 2), results.LEVELS_TH[results.level_index(index)])
    assert results.dimension_means(campaign) == {d: s.mean for d, s in outcome.overall.dimensions.items()}
    assert_nothing_hidden_can_be_derived(outcome)


def test_an_item_answered_by_too_few_is_hidden_with_every_figure_holding_it(client, auth, org, make_campaign,
                                                                           make_person, make_unit):
    unit = make_unit("U")
    people = [make_person(unit) for _ in range(8)]
    campaign = optional_campaign(make_campaign, 0)
    outcome = closed(campaign, [(person, 4, () if n < MIN - 1 else (0,)) for n, person in enumerate(people)])
    optional, dimension = campaign.items[0], campaign.dimensions[0]
    assert outcome.overall.items[optional.id].hidden and outcome.overall.items[optional.id].mean is None
    # else the dimension's pool minus its two shown items would give the four answers
    assert outcome.overall.dimensions[dimension.id].hidden and outcome.overall.overall.hidden
    assert not outcome.overall.items[campaign.items[1].id].hidden
    assert not outcome.overall.dimensions[campaign.dimensions[1].id].hidden
    assert dimension.id not in results.dimension_means(campaign) and len(results.dimension_means(campaign)) == 5
    assert results.morale_index(2570) is None  # the plan's index is the one the results page shows
    assert_nothing_hidden_can_be_derived(outcome)
    auth.login("hr")
    page = client.get(f"/survey/campaigns/{campaign.id}/results").text
    assert f'id="chart-i{optional.id}-title"' not in page and f'id="chart-d{dimension.id}-title"' not in page
    assert f'id="chart-i{campaign.items[1].id}-title"' in page
    assert 'data-testid="morale-index">—' in page


def test_no_morale_index_from_fewer_sheets_than_results_may_show(org, make_campaign, make_person, make_unit):
    """It was shown from any number of sheets before; now it is the results page's, or none."""
    unit = make_unit("U")
    people = [make_person(unit) for _ in range(MIN - 1)]
    campaign = make_campaign(open_it=False)
    campaigns.open_campaign(campaign)
    closed(campaign, [(person, 4, ()) for person in people])
    assert results.morale_index(2570) is None and results.dimension_means(campaign) == {}


@pytest.fixture
def two_units(make_person, make_unit):
    """Ten people in one unit, eight in another."""
    a, b = make_unit("A", "กลุ่มเอ"), make_unit("B", "กลุ่มบี")
    return a, b, [make_person(a) for _ in range(10)], [make_person(b) for _ in range(8)]


def test_complementary_suppression_of_an_item_and_of_the_figures_holding_it(org, make_campaign, two_units):
    """Nine in A and three in B answer the optional item. Hiding only B's item would leak it:
    everyone's 12 answers minus A's 9 are B's 3; and B's dimension minus B's other items too."""
    _a, _b, in_a, in_b = two_units
    campaign = optional_campaign(make_campaign, 0)
    sheets = [(p, 5, (0,) if n == 9 else ()) for n, p in enumerate(in_a)]
    sheets += [(p, 1, () if n < 3 else (0,)) for n, p in enumerate(in_b)]
    outcome = closed(campaign, sheets)
    groups = {group.label: group for group in outcome.groups}
    a, b = groups["กลุ่มเอ"], groups["กลุ่มบี"]
    item, dimension = campaign.items[0], campaign.dimensions[0]
    assert not a.suppressed and not b.suppressed
    assert outcome.overall.items[item.id].n == 12 and outcome.overall.items[item.id].mean == pytest.approx(4.0)
    assert b.items[item.id].hidden and a.items[item.id].hidden  # A's too: 12 - 9 would be B's
    assert b.dimensions[dimension.id].hidden and a.dimensions[dimension.id].hidden
    assert b.overall.hidden and a.overall.hidden
    assert not b.items[campaign.items[1].id].hidden and b.items[campaign.items[1].id].n == 8
    assert not b.dimensions[campaign.dimensions[1].id].hidden
    assert_nothing_hidden_can_be_derived(outcome)


@pytest.mark.parametrize("sizes, hidden", [
    ({"A": 10, "B": 1, "C": 2}, {"A", "B", "C"}),  # B and C together are 3: their pool would be shown
    ({"A": 10, "B": 8, "C": 3}, {"B", "C"}),
    ({"A": 10, "B": 0}, {"A", "B"}),  # an item nobody in B answered: 0 is a figure too
    ({"A": 10, "B": 9}, set()),
])
def test_hidden_groups_always_pool_at_least_the_threshold(sizes, hidden):
    assert results.suppressed_labels(sizes) == hidden


def page_rows(page: str) -> list[tuple]:
    """The first results table's dimension and item rows, as (n, mean, sd) or ("suppressed",)."""
    table = page.split('data-testid="results-table"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r'<tr class="(?:dimension|item)-row">(.*?)</tr>', table, re.S):
        rows.append(("suppressed",) if 'class="suppressed"' in row
                    else tuple(re.findall(r'<td class="number">([^<]*)</td>', row)[:3]))
    return rows


def test_the_export_holds_exactly_what_the_page_shows(client, auth, org, make_campaign, two_units):
    _a, b, in_a, in_b = two_units
    campaign = optional_campaign(make_campaign, 0, 4)
    sheets = [(p, 2 + n % 3, (0, 4) if n == 9 else (4,) if n else ()) for n, p in enumerate(in_a)]
    sheets += [(p, 1 + n % 5, () if n < 3 else (0, 4)) for n, p in enumerate(in_b)]
    closed(campaign, sheets)  # item 0: 9 + 3 answers, shown for everyone only; item 4: 1 + 3, hidden everywhere
    auth.login("hr")
    page = client.get(f"/survey/campaigns/{campaign.id}/results").text
    workbook = load_workbook(io.BytesIO(client.get(f"/survey/campaigns/{campaign.id}/results.xlsx").data))
    everyone = [row for row in workbook.active.iter_rows(min_row=2, values_only=True) if row[0] == "all"][1:]
    exported = [("suppressed",) if row[3] == "suppressed" else (str(row[3]), f"{row[4]:.2f}", f"{row[5]:.2f}")
                for row in everyone]
    assert exported == page_rows(page)
    assert exported[1][0] == "12" and exported[4] == exported[6] == ("suppressed",)  # item 4 and its dimension
    b_rows = [row for row in workbook.active.iter_rows(min_row=2, values_only=True) if row[0] == b.name_th]
    assert [row[3] for row in b_rows[:3]] == ["suppressed", "suppressed", "suppressed"]  # overall, dimension 1, item 0
    assert b_rows[3][3] == 8  # the next item, answered by all eight
    client.set_cookie("ethics_lang", "en")
    unit_row = client.get(f"/survey/campaigns/{campaign.id}/results").text.split(f'data-group="{b.name_th}"')[1]
    assert unit_row.split("</tr>")[0].count(">hidden</span>") == 3  # overall and the two dimensions with an item hidden
