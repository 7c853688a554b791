"""Inviting in a real browser: nothing chosen is refused, a choice is previewed by name, and only
the confirmation invites; the invitee then shows on the session page with their answer."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training.models import SessionInvitation
from tests.e2e.test_foundation_journeys import sign_in


def test_hr_previews_then_confirms_an_invitation(page, live_server, org, make_session):
    session = make_session(open_to_all=False)
    unit, invitee = org["units"]["audit"], org["people"]["outside"]
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/training/sessions/{session.id}")
    page.get_by_text("เชิญผู้เข้าอบรม").click()  # the details' summary
    page.get_by_test_id("preview-invite").click()
    expect(page.locator(".field-error").first).to_have_text("กรุณาเลือกหน่วยงาน ประเภทบุคลากร หรือระบุชื่อที่จะเชิญ")

    page.locator("select[name=unit_id]").select_option(str(unit.id))
    page.get_by_test_id("preview-invite").click()
    preview = page.get_by_test_id("invite-preview")
    expect(preview).to_contain_text(invitee.full_name)
    assert db.session.scalars(select(SessionInvitation)).all() == []  # a preview invites nobody
    db.session.rollback()

    page.get_by_test_id("confirm-invite").click()
    expect(page.get_by_test_id("invitees")).to_contain_text(invitee.full_name)
    db.session.rollback()  # end the test's read, to see what the server committed
    assert db.session.scalars(select(SessionInvitation.person_id)).all() == [invitee.id]
