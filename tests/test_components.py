"""The interface components of templates/_macros.html (docs/ui.md) and the frame of every page:
the agency's name and logo in the header (the application's name until they are set), its contact
line in the footer, in both languages."""
from __future__ import annotations

import re

import pytest
from flask import render_template_string
from markupsafe import Markup
from sqlalchemy import event

from ethics.core.extensions import db
from ethics.organisation.masthead import masthead
from ethics.organisation.services import ImageChange, OrganisationData, save_organisation
from ethics.web.components import tone
from tests.organisation.conftest import picture

MACROS = '{% from "_macros.html" import badge, status_badge, data_table, empty_state, page_header, card_list, card, toast %}'


def render(source: str, **context) -> str:
    return render_template_string(MACROS + source, **context)


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_a_badge_says_its_state_in_words_and_colours_it_by_tone(request_context):
    shown = render('{{ status_badge("cancelled", "ยกเลิก") }} {{ badge("ปีนี้", "info") }} {{ status_badge("draft", "ร่าง") }}')
    assert '<span class="badge danger">ยกเลิก</span>' in shown
    assert '<span class="badge info">ปีนี้</span>' in shown
    assert '<span class="badge neutral">ร่าง</span>' in shown  # a state with no tone of its own
    assert tone("held") == "success" and tone("waitlisted") == "warning" and tone("anything") == "neutral"


def test_a_status_badge_shows_its_words_in_a_tone(request_context):
    for state in ("held", "open", "failed", "waitlisted", "draft"):
        label = render('{{ status_badge(state, label) }}', state=state, label="คำ")
        assert re.fullmatch(r'<span class="badge \w+">คำ</span>', label.strip())


def test_a_data_table_aligns_numbers_right_and_offers_sorting(request_context):
    shown = render('{% call data_table([column("ชื่อ", sortable=True), column("ชั่วโมง", numeric=True)], testid="t") %}'
                   '<tr><td>ก</td><td class="num">6</td></tr>{% endcall %}')
    assert '<th scope="col" data-sortable>ชื่อ</th>' in shown
    assert '<th scope="col" class="num">ชั่วโมง</th>' in shown
    assert 'class="data-table striped" data-testid="t"' in shown and '<td class="num">6</td>' in shown
    assert shown.strip().startswith('<div class="overflow-auto">')  # scrolls in its own box, never the page


def test_an_empty_state_says_what_would_be_here_and_what_to_do(request_context):
    shown = render('{% call empty_state("ยังไม่มีแผน", "นำเข้าจาก Excel") %}<a href="/x">นำเข้า</a>{% endcall %}')
    assert 'class="empty-state" data-testid="empty-state"' in shown
    assert "<strong>ยังไม่มีแผน</strong>" in shown and "<p>นำเข้าจาก Excel</p>" in shown and 'href="/x"' in shown


def test_a_page_header_leads_here_by_breadcrumbs_and_carries_its_actions(request_context):
    shown = render('{% call page_header("รอบ", [("เชิดชูเกียรติ", "/recognition")], lead=lead) %}<a href="/new">เปิด</a>{% endcall %}',
                   lead="2570 · " + Markup('<span class="badge info">เปิด</span>'))
    assert '<li><a href="/recognition">เชิดชูเกียรติ</a></li>' in shown and '<span aria-current="page">รอบ</span>' in shown
    assert "<h1>รอบ</h1>" in shown and '<span class="badge info">เปิด</span>' in shown
    assert '<div class="actions"><a href="/new">เปิด</a></div>' in shown


def test_a_toast_names_its_kind_in_words_and_can_be_closed(request_context):
    """In the reader's language (Thai by default), beside the colour."""
    shown = render('{{ toast("บันทึกแล้ว", "success") }}')
    assert '<span class="toast-kind">สำเร็จ</span>' in shown and '<p class="flash success">บันทึกแล้ว</p>' in shown
    assert "data-dismiss" in shown


def test_cards_link_each_record(request_context):
    shown = render('{% call card_list("plans") %}{% call card("ปีงบประมาณ 2570", "/plan/2570", meta="m") %}'
                   '<progress value="1" max="2"></progress>{% endcall %}{% endcall %}')
    assert '<ul class="card-list" data-testid="plans">' in shown and '<h2><a href="/plan/2570">ปีงบประมาณ 2570</a></h2>' in shown


# --- the frame: header, footer ---------------------------------------------------------------

def brand_and_footer(client) -> tuple[str, str]:
    page = client.get("/login").text
    brand = re.search(r'<a href="/" class="brand" data-testid="brand">(.*?)</a>', page, re.S).group(1)
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S).group(1)
    return brand, footer


def test_a_page_reads_the_agency_once_for_its_header_and_footer(client, app):
    statements: list[str] = []
    listener = lambda _c, _cur, statement, *_: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        brand_and_footer(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert sum("AS has_logo" in statement for statement in statements) == 1  # the masthead's; the sign-in page asks
    # the organisation once more, for its link to the transparency page


@pytest.mark.parametrize(("language", "app_name"), [("th", "ระบบคุณธรรมและจริยธรรม"), ("en", "Ethics and Integrity")])
def test_without_an_agency_the_header_names_the_application(client, app, language, app_name):
    client.set_cookie("ethics_lang", language)
    brand, footer = brand_and_footer(client)
    assert app_name in brand and 'data-testid="brand-logo"' not in brand and "/static/favicon.svg" in brand
    assert app_name in footer and "agency-contact" not in footer


@pytest.mark.parametrize(("language", "name"), [("th", "สำนักงานจังหวัดระยอง"), ("en", "Rayong Provincial Office")])
def test_the_header_carries_the_agencys_logo_and_name_and_the_footer_its_contact(client, app, language, name):
    save_organisation(OrganisationData("สำนักงานจังหวัดระยอง", "Rayong Provincial Office", "ศาลากลาง",
                                       "โทรศัพท์ 0 3800 0000", None, None), ImageChange(upload=picture()), None)
    db.session.commit()
    client.set_cookie("ethics_lang", language)
    brand, footer = brand_and_footer(client)
    assert f"<strong>{name}</strong>" in brand and 'data-testid="brand-logo"' in brand
    assert "โทรศัพท์ 0 3800 0000" in footer
    logo = re.search(r'src="(/organisation/logo.png\?v=\w+)"', brand).group(1)
    answer = client.get(logo)  # before signing in, like the login page that shows it
    assert answer.status_code == 200 and answer.mimetype == "image/png" and answer.data.startswith(b"\x89PNG")
    assert answer.headers["Cache-Control"].startswith("public")


def test_a_new_name_shows_at_once_and_a_missing_logo_is_not_found(client, app):
    assert client.get("/organisation/logo.png").status_code == 404
    save_organisation(OrganisationData("สำนักงาน ก", "", "", "", None, None), ImageChange(), None)
    db.session.commit()
    with app.test_request_context():
        assert masthead().name("en") == "สำนักงาน ก"  # no English name: the Thai one
    save_organisation(OrganisationData("สำนักงาน ข", "", "", "", None, None), ImageChange(), 1)
    db.session.commit()
    assert "<strong>สำนักงาน ข</strong>" in brand_and_footer(client)[0]


def test_a_kept_page_shows_the_agencys_new_name(client, auth, org):
    auth.login("hr")
    save_organisation(OrganisationData("สำนักงาน ก", "", "", "", None, None), ImageChange(), None)
    db.session.commit()
    assert "<strong>สำนักงาน ก</strong>" in client.get("/people").text  # kept while the people are unchanged
    save_organisation(OrganisationData("สำนักงาน ข", "", "", "", None, None), ImageChange(), 1)
    db.session.commit()
    assert "<strong>สำนักงาน ข</strong>" in client.get("/people").text


def test_the_plan_index_shows_each_years_plan_as_a_card_with_its_progress(client, auth, org):
    from ethics.demo.plan import seed as seed_plan
    from ethics.plan import dashboard, report
    from ethics.plan.services import plan_for

    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    assert 'data-testid="empty-state"' in client.get("/plan/").text  # no plan yet: what to do, not a bare list
    seed_plan()
    db.session.commit()
    rows = report.rows(plan_for(2551))
    done = sum(1 for row in rows if row["value"] or row["result"])
    cards = [(c.fiscal_year, c.done, c.total) for c in dashboard.year_cards()]
    assert (2551, done, len(rows)) in cards
    page = client.get("/plan/").text
    assert 'data-testid="plan-2551"' in page and 'href="/plan/2551"' in page
    assert f'<progress value="{done}" max="{len(rows)}"' in page
    assert f"{done} of {len(rows)} activities with a value or result" in page
