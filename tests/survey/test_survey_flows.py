"""Issue 19, the morale survey: the per-item editor, HR's preview, a campaign scheduled ahead of its
dates, and the answer page's labelled scale and way back to the first missing item."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.survey import campaigns, waiting
from ethics.survey.models import MoraleCampaign, SurveyItem

HTMX = {"HX-Request": "true"}


def audited(action: str) -> list[dict]:
    return list(db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def item_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyItem))


# --- the item editor's rules ---------------------------------------------------------------

def test_items_are_added_edited_moved_and_removed_in_a_draft(org, make_campaign):
    campaign = make_campaign(open_it=False)
    dimension = campaign.dimensions[0]
    first, second, third = dimension.items
    added = campaigns.add_item(campaign, dimension, campaigns.ItemData(" ข้อใหม่ ", "New item"))
    assert dimension.items[-1] is added and (added.text_th, added.position, added.required) == ("ข้อใหม่", 3, True)
    campaigns.edit_item(campaign, first, campaigns.ItemData("แก้แล้ว", "Edited"))
    assert (first.text_th, first.text_en, first.required) == ("แก้แล้ว", "Edited", True)  # every item is required
    campaigns.edit_item(campaign, first, campaigns.ItemData("แก้แล้ว", "Edited"))  # unchanged: nothing to audit
    campaigns.move_item(campaign, dimension, third, -1)
    assert dimension.items == [first, third, second, added]
    campaigns.move_item(campaign, dimension, first, -1)  # already first: stays
    campaigns.remove_item(campaign, dimension, second)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(select(SurveyItem).where(SurveyItem.dimension_id == dimension.id)
                                .order_by(SurveyItem.position)).all()
    assert [(item.text_th, item.position) for item in stored] == [
        ("แก้แล้ว", 0), (third.text_th, 1), ("ข้อใหม่", 2)]
    assert audited("survey.item_edit") == [{"item": first.id, "before": {
        "text_th": "ค่าตอบแทนที่ได้รับเหมาะสมกับภาระงาน", "text_en": "My pay fits my workload"},
        "after": {"text_th": "แก้แล้ว", "text_en": "Edited"}}]
    assert len(audited("survey.item_add")) == len(audited("survey.item_remove")) == 1
    assert audited("survey.item_move") == [{"item": third.id, "position": 2}]  # the stay is not recorded


def test_item_rules_refuse(org, make_campaign):
    draft = make_campaign(fiscal_year=2569, open_it=False)
    dimension = draft.dimensions[4]  # two items
    with pytest.raises(campaigns.CampaignError) as blank:
        campaigns.add_item(draft, dimension, campaigns.ItemData("  ", "Only English"))
    assert blank.value.field == "text_th"
    campaigns.remove_item(draft, dimension, dimension.items[0])
    with pytest.raises(campaigns.CampaignError, match="at least one item"):
        campaigns.remove_item(draft, dimension, dimension.items[0])
    opened = make_campaign(fiscal_year=2570)
    item = opened.dimensions[0].items[0]
    for change in (lambda: campaigns.add_item(opened, opened.dimensions[0], campaigns.ItemData("ข้อ")),
                   lambda: campaigns.edit_item(opened, item, campaigns.ItemData("ข้อ")),
                   lambda: campaigns.move_item(opened, opened.dimensions[0], item, 1),
                   lambda: campaigns.remove_item(opened, opened.dimensions[0], item)):
        with pytest.raises(campaigns.CampaignError, match="Only a draft"):
            change()


# --- the item editor's page --------------------------------------------------------------

def test_the_editor_swaps_the_dimensions_list_with_htmx_and_reloads_without(client, auth, org, make_campaign):
    campaign = make_campaign(open_it=False)
    dimension = campaign.dimensions[1]
    url = f"/survey/campaigns/{campaign.id}/items"
    auth.login("hr")
    page = client.get(f"/survey/campaigns/{campaign.id}").text
    assert f'id="dimension-{dimension.id}"' in page and "<textarea" not in page.split('id="dimension-')[1]
    fragment = client.post(url, data={"action": "add", "dimension_id": dimension.id, "text_th": "ข้อเพิ่ม",
                                      "text_en": "Added"}, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith(f'<section id="dimension-{dimension.id}"') and "ข้อเพิ่ม" in fragment.text
    moved = dimension.items[-1]
    plain = client.post(url, data={"action": "up", "item_id": moved.id})
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(f"/survey/campaigns/{campaign.id}#dimension-{dimension.id}")
    assert dimension.items[-2] is moved and moved.text_th == "ข้อเพิ่ม" and moved.position == len(dimension.items) - 2


def test_a_refused_item_is_shown_back_with_its_message_and_nothing_changes(client, auth, org, make_campaign):
    campaign = make_campaign(open_it=False)
    item = campaign.dimensions[0].items[0]
    original, before = item.text_th, item_count()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    url = f"/survey/campaigns/{campaign.id}/items"
    campaign.allow_comment, campaign.audience = True, {"unit_ids": [org["units"]["audit"].id], "personnel_types": []}
    db.session.commit()
    for headers in ({}, HTMX):
        refused = client.post(url, data={"action": "save", "item_id": item.id, "text_th": "", "text_en": "Kept typed"},
                              headers=headers)
        assert refused.status_code == 422 and 'value="Kept typed"' in refused.text
        assert re.search(rf'id="text_th-{item.id}"[^>]*aria-invalid="true"', refused.text)
        assert f'id="text_th-{item.id}-error">This field is required.' in refused.text
    # Without JS the whole page comes back: its campaign form still shows the campaign, not the item's post.
    refused_page = client.post(url, data={"action": "save", "item_id": item.id, "text_th": ""}).text
    (allow_comment,) = re.findall(r'<input[^>]*name="allow_comment"[^>]*>', refused_page)
    assert "checked" in allow_comment
    assert f'value="{org["units"]["audit"].id}" checked' in refused_page
    lonely = campaign.dimensions[4]
    client.post(url, data={"action": "remove", "item_id": lonely.items[0].id})
    last = client.post(url, data={"action": "remove", "item_id": lonely.items[0].id}, headers=HTMX)
    assert last.status_code == 422 and "Every dimension needs at least one item." in last.text
    db.session.expire_all()
    assert item.text_th == original and item_count() == before - 1


def test_the_editor_is_refused_outside_a_draft_and_for_another_campaigns_item(client, auth, org, make_campaign):
    draft = make_campaign(fiscal_year=2569, open_it=False)
    opened = make_campaign(fiscal_year=2570)
    before = item_count()
    auth.login("hr")
    refused = client.post(f"/survey/campaigns/{opened.id}/items",
                          data={"action": "remove", "item_id": opened.items[0].id})
    assert refused.status_code == 422
    assert client.post(f"/survey/campaigns/{opened.id}/items",
                       data={"action": "remove", "item_id": draft.items[0].id}).status_code == 404
    assert 'id="dimension-' not in client.get(f"/survey/campaigns/{opened.id}").text
    for action in ("up", "remove", "save"):  # a change of an item that names none
        assert client.post(f"/survey/campaigns/{draft.id}/items", data={
            "action": action, "dimension_id": draft.dimensions[0].id, "text_th": "x"}).status_code == 404
    auth.login("supervisor")
    assert client.post(f"/survey/campaigns/{draft.id}/items",
                       data={"action": "remove", "item_id": draft.items[0].id}).status_code == 403
    db.session.expire_all()
    assert item_count() == before


# --- preview and scheduling --------------------------------------------------------------

def test_hr_previews_the_survey_as_staff_will_see_it(client, auth, org, make_campaign):
    campaign = make_campaign(open_it=False)
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    assert f'href="/survey/campaigns/{campaign.id}/preview"' in client.get(f"/survey/campaigns/{campaign.id}").text
    preview = client.get(f"/survey/campaigns/{campaign.id}/preview")
    assert preview.status_code == 200 and 'data-testid="preview-banner"' in preview.text
    assert all(item.text_en in preview.text for item in campaign.items)
    assert "Strongly agree" in preview.text and 'name="item-' in preview.text
    assert "Send my answers" not in preview.text and 'method="post" novalidate data-survey' not in preview.text
    auth.login("employee")
    assert client.get(f"/survey/campaigns/{campaign.id}/preview").status_code == 403


def test_a_campaign_opened_before_its_dates_is_scheduled_and_unseen_until_then(app, client, auth, org, make_campaign):
    today = local_now().date()
    campaign = make_campaign(open_it=False)
    campaign.opens_on, campaign.closes_on = today + timedelta(days=3), today + timedelta(days=30)
    campaigns.open_campaign(campaign)
    db.session.commit()
    assert campaign.scheduled and str(campaign.status_label) == "Scheduled"
    with app.test_request_context():
        assert waiting.open_campaigns(org["accounts"]["hr"], today) == []  # not taking answers yet
        assert len(waiting.open_campaigns(org["accounts"]["hr"], campaign.opens_on)) == 1
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    listing = client.get("/survey/campaigns").text
    states = re.findall(r'<td><span class="badge [a-z]+">([^<]+)</span></td>', listing)
    assert states == ["Scheduled"]
    assert 'data-testid="scheduled-note"' in client.get(f"/survey/campaigns/{campaign.id}").text
    auth.login("employee")
    assert campaign.title not in client.get("/survey/").text
    assert client.get(f"/survey/{campaign.id}").status_code == 404
    campaign.opens_on = today
    db.session.commit()
    assert not campaign.scheduled and str(campaign.status_label) == "Open"
    assert client.get(f"/survey/{campaign.id}").status_code == 200


# --- answering ---------------------------------------------------------------------------

def test_each_scale_point_has_its_words_in_a_labelled_fieldset(client, auth, org, make_campaign):
    campaign = make_campaign()
    client.set_cookie("ethics_lang", "en")
    auth.login("employee")
    page = client.get(f"/survey/{campaign.id}").text
    item = campaign.items[0]
    opening = f'<fieldset class="likert" id="item-{item.id}" role="radiogroup" aria-labelledby="item-{item.id}-label">'
    block = page.split(opening)[1].split("</fieldset>")[0]
    assert f'<legend id="item-{item.id}-label">{item.text_en}' in block
    words = ["Strongly disagree", "Disagree", "Not sure", "Agree", "Strongly agree"]
    for value, text in enumerate(words, start=1):
        assert re.search(rf'<label><input type="radio" id="item-{item.id}-{value}" name="item-{item.id}" value="{value}"[^>]*>\s*'
                         rf'<span class="point">{value}</span> <span class="point-words">{text}</span></label>', block)
    assert "autofocus" not in page and 'data-testid="error-summary"' not in page


def test_a_refused_answer_leads_to_the_first_missing_item(client, auth, org, make_campaign):
    campaign = make_campaign()
    items = campaign.items
    answered = {f"item-{item.id}": "3" for item in items if item not in (items[2], items[5])}
    auth.login("employee")
    refused = client.post(f"/survey/{campaign.id}", data=answered)
    assert refused.status_code == 422
    summary = refused.text.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'href="#([\w-]+)"', summary) == [f"item-{items[2].id}-1", f"item-{items[5].id}-1"]
    assert refused.text.count("autofocus") == 1
    assert re.search(rf'id="item-{items[2].id}-1"[^>]*autofocus', refused.text)
    assert f'aria-labelledby="item-{items[5].id}-label" aria-describedby="item-{items[5].id}-error"' in refused.text


def test_a_refused_comment_alone_takes_the_focus(client, auth, org, make_campaign):
    campaign = make_campaign()
    auth.login("employee")
    form = {**{f"item-{item.id}": "4" for item in campaign.items}, "comment": "ก" * 2001}
    refused = client.post(f"/survey/{campaign.id}", data=form)
    assert refused.status_code == 422 and refused.text.count("autofocus") == 1
    assert re.search(r'<textarea id="comment"[^>]*autofocus', refused.text)
    assert db.session.scalar(select(func.count()).select_from(MoraleCampaign)) == 1


# --- the unit picker ---------------------------------------------------------------------

def test_the_campaigns_units_are_ticked_in_a_checkbox_list_not_a_ctrl_click_select(client, auth, org, make_campaign):
    audit, dev = org["units"]["audit"], org["units"]["dev"]
    auth.login("hr")
    data = {"fiscal_year": "2570", "title": "ขวัญกำลังใจ", "opens_on": "01/11/2569", "closes_on": "31/12/2569",
            "start_from": "template", "unit_ids": [str(audit.id), str(dev.id)]}
    assert client.post("/survey/campaigns/new", data=data).status_code == 302
    campaign = db.session.scalar(select(MoraleCampaign))
    assert campaign.audience["unit_ids"] == sorted([audit.id, dev.id])
    page = client.get(f"/survey/campaigns/{campaign.id}").text
    picker = page.split('data-testid="unit-picker-unit_ids"')[1].split("</fieldset>")[0]
    assert "<select" not in page.split("<article>")[1].split("</form>")[0]
    ticked = re.findall(r'<input type="checkbox" name="unit_ids" value="(\d+)" checked>', picker)
    assert sorted(map(int, ticked)) == sorted([audit.id, dev.id])
    assert picker.count('name="unit_ids"') == len(org["units"])  # every unit offered
    assert re.search(r'<input type="search" data-unit-filter hidden', picker)  # shown only by the script
    refused = client.post(f"/survey/campaigns/{campaign.id}", data={**data, "unit_ids": ["999999"],
                                                                    "version": campaign.version})
    assert refused.status_code == 422 and 'class="field-error" id="unit_ids-error"' in refused.text
