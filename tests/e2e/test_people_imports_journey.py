"""In a real browser: a person's tabs swap in place and keep their address; a snapshot is locked
only once its name is given and the confirmation accepted."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.plan.models import Snapshot
from tests.e2e.dialogs import confirm
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org, make_session):
    from ethics.training import attendance, results
    from ethics.training.registrations import register

    session = make_session(first_day=date(2026, 12, 1))
    register(session.id, org["people"]["inside"], date(2026, 12, 1))
    attendance.mark(session.id, org["people"]["inside"].id, session.days[0].id, True)
    results.close(session, date(2026, 12, 1))
    from ethics.demo.plan import seed

    seed()
    db.session.commit()
    return org


def test_person_tabs_swap_in_place_and_keep_their_address(page, live_server, world):
    person = world["people"]["inside"]
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/people/{person.id}")
    trainings = page.get_by_test_id("tab-trainings")
    expect(page.get_by_test_id("tab-details")).to_have_attribute("aria-selected", "true")
    trainings.click()
    expect(page).to_have_url(f"{live_server}/people/{person.id}?tab=trainings")
    expect(page.get_by_test_id("tab-trainings")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("certificate-link")).to_be_visible()
    page.get_by_test_id("tab-flags").click()
    expect(page.get_by_test_id("panel-flags")).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("panel-trainings")).to_be_visible()


def snapshots() -> int:
    """Counted afresh: a new transaction sees what the server committed."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Snapshot))


def test_a_snapshot_needs_a_name_and_a_confirmation(page, live_server, world):
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/plan/2551")
    page.get_by_test_id("lock-snapshot").click()  # no name: the browser stops it before asking
    expect(page.locator("#confirm-dialog")).to_be_hidden()
    assert snapshots() == 0
    page.get_by_label("ชื่อฉบับบันทึก").fill("รอบ 6 เดือน")
    page.get_by_test_id("lock-snapshot").click()
    assert "ไม่เปลี่ยนแปลงอีก" in confirm(page, "no")
    expect(page.get_by_test_id("lock-snapshot-form")).to_be_visible()
    assert snapshots() == 0  # answered no: nothing locked
    page.get_by_test_id("lock-snapshot").click()
    confirm(page)
    expect(page).to_have_url(re.compile(r"/plan/2551/snapshots/\d+$"))
    assert snapshots() == 1
