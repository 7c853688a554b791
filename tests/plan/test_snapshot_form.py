"""Locking a snapshot asks for its name and a confirmation; the server refuses a missing or taken name."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.plan.models import Snapshot
from ethics.plan.services import plan_for


@pytest.fixture
def seed_plan(app):
    from ethics.demo.plan import seed

    seed()
    db.session.commit()
    return plan_for(2551)


def snapshot_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Snapshot))


def lock_form(page: str) -> str:
    return re.search(r'<form[^>]*id="lock-snapshot".*?</form>', page, re.S).group(0)


def test_the_form_asks_for_a_name_and_a_confirmation(client, auth, org, seed_plan):
    auth.login("hr")
    form = lock_form(client.get("/plan/2551").text)
    assert 'data-confirm="' in form
    assert re.search(r'<input[^>]*name="name"[^>]*required', form)
    assert '<label for="name">' in form


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused_next_to_the_field(client, auth, org, seed_plan, name):
    auth.login("hr")
    response = client.post("/plan/2551/snapshots", data={"name": name})
    assert response.status_code == 422
    assert re.search(r'<small class="field-error" id="name-error">กรุณาตั้งชื่อฉบับบันทึก</small>',
                     lock_form(response.text))
    assert snapshot_count() == 0


def test_a_taken_name_is_refused_next_to_the_field(client, auth, org, seed_plan):
    auth.login("hr")
    assert client.post("/plan/2551/snapshots", data={"name": "annual"}).status_code == 302
    response = client.post("/plan/2551/snapshots", data={"name": "annual"})
    assert response.status_code == 422
    assert "มีฉบับบันทึกชื่อนี้แล้ว" in lock_form(response.text)
    assert 'value="annual"' in lock_form(response.text)
    assert snapshot_count() == 1


def test_a_named_snapshot_is_locked_and_shown(client, auth, org, seed_plan):
    auth.login("hr")
    response = client.post("/plan/2551/snapshots", data={"name": "six-month"})
    locked = db.session.scalar(select(Snapshot))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plan/2551/snapshots/{locked.id}")
    assert locked.name == "six-month"
