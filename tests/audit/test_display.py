"""The audit log reads as words: each action by its name in the reader's language, and what an
entry changed field by field, before beside after."""
from __future__ import annotations

import re
from pathlib import Path

from ethics.audit import display
from ethics.audit.services import record
from ethics.core.extensions import db

ETHICS = Path(__file__).resolve().parents[2] / "ethics"
WRITTEN = re.compile(r'record(?:_many)?\(\s*f?"([^"]+)"(?:\s+if\s[^"]+\selse\s+f?"([^"]+)")?')


def test_every_action_the_code_records_has_a_label():
    """Codes built at run time ({action}.create, unit.import_{status}) are listed in ACTION_LABELS by hand."""
    written = {code for path in ETHICS.rglob("*.py") for match in WRITTEN.finditer(path.read_text())
               for code in match.groups() if code and "{" not in code}
    assert len(written) > 60
    assert written - set(display.ACTION_LABELS) == set()
    for built in ("person.create", "person.update", "unit.create", "unit.update", "unit.import_new",
                  "unit.import_updated"):
        assert built in display.ACTION_LABELS


def test_an_action_without_a_label_shows_its_code(app):
    with app.test_request_context():
        assert display.action_label("something.new") == "something.new"


def test_details_read_field_by_field():
    changed = display.read({"before": {"first_name": "สมชาย", "email": None}, "after": {"first_name": "สมศักดิ์"},
                            "file": "roster.csv"})
    assert [(str(c.field), c.before, c.after) for c in changed.changes] == [
        ("First name", "สมชาย", "สมศักดิ์"), ("Email", "—", "—")]
    assert [(str(k), v) for k, v in changed.notes] == [("file", "roster.csv")]
    created = display.read({"after": {"code": "NEW", "active": True, "roles": ["hr", "employee"]}})
    assert [(str(c.field), c.before, c.after) for c in created.changes] == [
        ("Code", "—", "NEW"), ("Active", "—", "✓"), ("Roles", "—", '["hr", "employee"]')]
    status = display.read({"rule": "ethics_course", "before": "eligible", "after": "ineligible"})
    assert [(c.field, c.before, c.after) for c in status.changes] == [("", "eligible", "ineligible")]
    assert display.read({}) == display.Reading([], [])


def test_the_log_page_shows_names_and_changes_side_by_side(client, auth, org):
    person = org["people"]["inside"]
    entry = record("person.update", person, before={"first_name": "ในสังกัด"}, after={"first_name": "ย้ายแล้ว"})
    odd = record("custom.thing", note="kept")
    db.session.commit()
    auth.login("admin")
    client.set_cookie("ethics_lang", "en")
    page = client.get("/audit").text
    action = re.search(rf'data-testid="action-{entry.seq}">([^<]*)<', page)
    assert action and action.group(1) == "Person changed"
    details = page[page.index(f'data-testid="details-{entry.seq}"'):]
    details = details[:details.index("</td>\n      </tr>")]
    assert "<th scope=\"row\">First name</th><td>ในสังกัด</td><td>ย้ายแล้ว</td>" in details
    assert "{" not in details  # no raw JSON
    assert re.search(rf'data-testid="action-{odd.seq}">custom.thing<', page)
    assert "<dt>note</dt><dd>kept</dd>" in page
    client.set_cookie("ethics_lang", "th")
    thai = client.get("/audit").text
    assert "<th scope=\"row\">ชื่อ</th><td>ในสังกัด</td><td>ย้ายแล้ว</td>" in thai
    assert re.search(rf'data-testid="action-{entry.seq}">แก้ไขข้อมูลบุคคล<', thai)
