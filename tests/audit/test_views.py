from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from ethics.audit.models import AuditEntry
from ethics.audit.services import record
from ethics.core.extensions import db


def test_admin_browses_and_filters_the_log(client, auth, org):
    for n in range(60):
        record("person.update", number=n)
    record("unit.create", code="ZZZ")
    db.session.commit()
    auth.login("admin")
    page = client.get("/audit")
    assert page.status_code == 200 and 'title="auth.login"' in page.text
    filtered = client.get("/audit?action=unit.")
    assert 'title="unit.create"' in filtered.text and 'title="person.update"' not in filtered.text
    second = client.get("/audit?action=person.&page=2")
    assert 'title="person.update"' in second.text and "หน้า 2 จาก 2" in second.text
    by_actor = client.get("/audit?actor=admin&action=auth.")
    assert 'title="auth.login"' in by_actor.text and 'title="person.update"' not in by_actor.text


def test_bad_date_filter_is_explained(client, auth, org):
    client.set_cookie("ethics_lang", "en")
    auth.login("admin")
    response = client.get("/audit?from=31/02/2569")
    assert response.status_code == 422 and "Enter a real date" in response.text


def test_date_filter_in_buddhist_era(client, auth, org):
    auth.login("admin")
    assert 'title="auth.login"' in client.get("/audit?from=01/01/2560&to=31/12/2600").text
    assert 'title="auth.login"' not in client.get("/audit?to=31/12/2560").text


def test_english_date_filter_takes_the_common_era_and_thai_refuses_it_saying_so(client, auth, org):
    auth.login("admin")
    thai = client.get("/audit?from=01/01/2026")
    assert thai.status_code == 422 and "2026" in thai.text and "2569" in thai.text  # "type 2569, not 2026"
    client.set_cookie("ethics_lang", "en")
    assert 'title="auth.login"' in client.get("/audit?from=01/01/2026&to=31/12/2100").text
    assert 'title="auth.login"' not in client.get("/audit?to=31/12/2017").text


def test_the_filter_names_actions_in_words_and_dates_have_the_picker(client, auth, org):
    auth.login("admin")
    page = client.get("/audit?action=auth.login").text
    assert '<option selected value="auth.login">เข้าสู่ระบบ</option>' in page
    assert page.count("data-datepicker=") == 2 and page.count('class="date-format"') == 2
    older_link = client.get("/audit?action=unit.").text  # a prefix from an older link stays chosen
    assert '<option selected value="unit.">' in older_link


def test_denied_access_is_logged(client, auth, org):
    auth.login("employee")
    assert client.get("/audit").status_code == 403
    auth.login("admin")
    log = client.get("/audit?action=access.denied").text
    assert "/audit" in log and "employee" in log


def test_times_are_stored_in_utc_and_shown_in_bangkok_time(client, auth, org):
    """20:30 UTC on 30 Nov 2026 is 03:30 on 1 Dec 2026 (2569) in Bangkok: the page shows the latter, says
    so, and filters by Bangkok days."""
    before = datetime.now(UTC).replace(tzinfo=None)
    entry = record("unit.create", code="NIGHT")
    assert before - timedelta(seconds=1) <= entry.created_at <= datetime.now(UTC).replace(tzinfo=None)  # stored in UTC
    db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(created_at=datetime(2026, 11, 30, 20, 30)))
    db.session.commit()
    auth.login("admin")
    page = client.get("/audit?action=unit.").text
    assert '<time datetime="2026-11-30T20:30:00Z">1 ธ.ค. 2569 03:30:00 น.</time>' in page
    assert "30 พ.ย. 2569" not in page
    client.set_cookie("ethics_lang", "en")
    page = client.get("/audit?action=unit.").text
    assert "When (Thai time, UTC+7)" in page and ">1 Dec 2026 03:30:00</time>" in page
    assert "NIGHT" in client.get("/audit?action=unit.&from=01/12/2569&to=01/12/2569").text
    assert "NIGHT" not in client.get("/audit?action=unit.&from=30/11/2569&to=30/11/2569").text
