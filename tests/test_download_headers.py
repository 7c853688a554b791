"""Calendar files and CSV downloads say their character set once: `charset=utf-8; charset=utf-8` is not a header."""
from __future__ import annotations

import pytest

from ethics.core.extensions import db


@pytest.fixture
def seed_plan(app):
    from ethics.demo.plan import seed

    seed()
    db.session.commit()


@pytest.mark.parametrize("url, content_type", [
    ("/people/export.csv", "text/csv; charset=utf-8"),
    ("/training/attendance-export.csv", "text/csv; charset=utf-8"),
    ("/plan/2551/report.csv", "text/csv; charset=utf-8"),
    ("/training/sessions/{session}.ics", "text/calendar; charset=utf-8"),
])
def test_text_downloads_name_utf_8_once(client, auth, org, make_session, seed_plan, url, content_type):
    session = make_session()
    auth.login("hr")
    response = client.get(url.format(session=session.id))
    assert response.status_code == 200
    assert response.headers.get_all("Content-Type") == [content_type]
    assert response.headers["Content-Disposition"].startswith("attachment")
