"""The restyled pages as a person sees them (docs/ui.md): each role's home, a session, the scoring
sheet, the survey and the plan dashboard at 1366 and 390 px pass axe-core's WCAG 2.1 A and AA rules,
fit the phone without sideways scrolling, keep Thai marks clear of the line above, and print without
navigation. Each view is saved as a PNG in $ETHICS_SCREENSHOTS (`make screenshots` sets it to
docs/screenshots), else under test-artifacts/screenshots."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, local_now
from ethics.demo import DEMO_PASSWORD
from ethics.recognition import rounds
from ethics.recognition.models import AwardRound
from ethics.survey.models import CampaignStatus, MoraleCampaign
from ethics.training.models import SessionStatus, TrainingSession
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_foundation_journeys import sign_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1366, "phone": 390}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def screenshots_dir() -> Path:
    chosen = os.environ.get("ETHICS_SCREENSHOTS")
    folder = (ROOT / chosen) if chosen else ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo(load_demo):
    """The demo province, committed so that the server's threads see it, and the pages to look at."""
    load_demo(people_count=60)
    session = db.session.scalars(select(TrainingSession).where(TrainingSession.status == SessionStatus.OPEN)
                                 .order_by(TrainingSession.id)).first()
    scored = db.session.scalars(select(AwardRound).order_by(AwardRound.year.desc())).first()
    rounds.start_screening(scored)  # this year's round, as HR moves it on: the sheet has rows to score
    rounds.start_scoring(scored)
    db.session.commit()
    campaign = db.session.scalars(select(MoraleCampaign).where(MoraleCampaign.status == CampaignStatus.OPEN)).first()
    year = fiscal_year_of(local_now().date())
    return [
        *[(f"home-{role}", role, "/") for role in ("admin", "hr", "supervisor", "committee", "employee")],
        ("session", "hr", f"/training/sessions/{session.id}"),
        ("scoring-sheet", "committee", f"/recognition/rounds/{scored.id}/sheet"),
        ("survey", "employee", f"/survey/{campaign.id}"),
        ("plan-dashboard", "hr", f"/plan/{year}"),
    ]


def wcag_violations(page) -> list[str]:
    """axe-core (from npm, a devDependency) run in the page: every WCAG 2.1 A/AA rule it breaks."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    assert result["passes"], "axe checked nothing"
    found = result["violations"]
    return [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})" for v in found]


def test_the_main_pages_pass_wcag_fit_a_phone_and_are_photographed(browser, live_server, demo):
    folder, problems = screenshots_dir(), []
    for role in dict.fromkeys(role for _name, role, _path in demo):
        context = browser.new_context(locale="th-TH", viewport={"width": WIDTHS["desktop"], "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, role, DEMO_PASSWORD)
        expect(page.get_by_test_id("logout")).to_be_attached()
        for name, _role, path in (view for view in demo if view[1] == role):
            for size, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(live_server + path)
                assert response is not None and response.status == 200, f"{name}: {response and response.status}"
                page.evaluate("document.fonts.ready")
                document, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if document > screen:
                    problems.append(f"{name} at {width} px is {document} px wide")
                problems += [f"{name} at {width} px: {v}" for v in wcag_violations(page)]
                page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        context.close()
    assert not problems, "\n".join(problems)


def test_pages_are_set_in_sarabun_with_room_for_thai_marks(page, live_server, demo):
    sign_in(page, live_server, "employee", DEMO_PASSWORD)
    # the page's own text makes the browser fetch the face: wait for it (a busy machine takes a while)
    # (polled here: wait_for_function evaluates a string, which the Content-Security-Policy forbids)
    assert page.evaluate("""async () => {
      for (let tries = 0; tries < 100; tries++) {
        if ([...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')) return true;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return false; }""")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภาษาไทย')")
    assert "Sarabun" in page.evaluate("getComputedStyle(document.body).fontFamily")
    body, heading = page.evaluate("""() => [document.body, document.querySelector('h1, h2')].map(el => {
      const style = getComputedStyle(el); return parseFloat(style.lineHeight) / parseFloat(style.fontSize); })""")
    assert body >= 1.6 and heading >= 1.35, (body, heading)


def test_printing_leaves_out_the_navigation_buttons_messages_and_link_targets(page, live_server, demo):
    sign_in(page, live_server, "hr", DEMO_PASSWORD)
    page.goto(f"{live_server}/training/sessions")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('afterbegin', "
                  "'<div class=\"toasts\"><div class=\"toast success\">x</div></div>')")  # as a flash shows
    expect(page.locator("main .actions a[role=button]").first).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ("header.site-header", "nav.site", "footer.site-footer", "main .actions", ".toasts"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('main a[href]'), '::after').content")
    assert after in ("none", "normal"), after
    assert page.evaluate("getComputedStyle(document.querySelector('main tr')).breakInside") == "avoid"
    page.emulate_media(media="screen")
    expect(page.locator("nav.site")).to_be_visible()
