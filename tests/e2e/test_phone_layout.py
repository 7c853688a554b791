"""Every page fits a phone and no link leads to a refusal: each demo role's pages, found by
following links from the home page, answer without a 4xx or 5xx and without a console error, are
no wider than the screen at 360, 390 and 414 px and their touch targets are 44 px tall; the
navigation folds into a menu there, marks the current section, and keeps one row at 1366 px."""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ethics.core.extensions import db
from ethics.demo import DEMO_PASSWORD
from tests.conftest import PASSWORD
from tests.e2e.test_foundation_journeys import sign_in

ROLES = ("admin", "hr", "supervisor", "committee", "employee")
PHONE = {"width": 390, "height": 844}
OTHER_WIDTHS = (360, 414)  # measured on the same page by resizing: one load, three widths
MAX_PAGES = 150
SAME_SHAPE = 2  # pages of one shape (ids and query values aside) show one template: a few of each suffice
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".ics")
TOUCH = 44
WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"
# Visible links and buttons in tables and the menu button that are shorter than a fingertip.
SMALL_TARGETS = """min => [...document.querySelectorAll('td a, td button, td [role=button], nav.site summary')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().height < min)
  .map(el => `${el.textContent.trim().slice(0, 30)} (${Math.round(el.getBoundingClientRect().height)}px)`)"""


@pytest.fixture
def province(load_demo):
    """The demo province, committed so that the server's threads see it."""
    load_demo(people_count=60)


@pytest.fixture
def accounts(org):
    """An account of each role, for what does not need the demo's records."""
    db.session.commit()
    return org


def phone(browser, width=PHONE["width"]):
    context = browser.new_context(locale="th-TH", viewport={**PHONE, "width": width}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def shape(url: str) -> str:
    """The page's template, roughly: its path with numbers blanked and the names of its query."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def links(page, origin: str) -> list[str]:
    """Same-origin links to pages (not downloads or static files). Signing out and switching
    language are forms, so a crawl that only follows links never does them."""
    found = []
    for href in page.eval_on_selector_all("a[href]:not([download])", "anchors => anchors.map(a => a.href)"):
        url = urldefrag(href).url
        if url.startswith(origin + "/") and not url.startswith(origin + "/static/") \
                and not urlsplit(url).path.endswith(DOWNLOADS):
            found.append(url)
    return found


def crawl(page, origin: str) -> tuple[list[str], list[str], list[str], int]:
    """Visit the pages reachable from home, breadth first; return (too wide, small targets,
    refused or erring, pages visited)."""
    queue, seen, shapes = deque([origin + "/"]), {origin + "/"}, {}
    too_wide, small, refused, visited = [], [], [], 0
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        console.clear()
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # an attachment whose address did not say so
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        if response.status >= 400:
            refused.append(f"{response.status} {url}")
        small += [f"{url}: {target}" for target in page.evaluate(SMALL_TARGETS, TOUCH)]
        for width in (PHONE["width"], *OTHER_WIDTHS):
            page.set_viewport_size({**PHONE, "width": width})
            document, screen = page.evaluate(WIDTHS)
            if document > screen:
                too_wide.append(f"{url} at {screen} px is {document} px wide")
        page.set_viewport_size(PHONE)
        refused += [f"console error on {url}: {text}" for text in console]
        for link in links(page, origin):
            if link not in seen and shapes.get(shape(link), 0) < SAME_SHAPE:
                seen.add(link)
                shapes[shape(link)] = shapes.get(shape(link), 0) + 1
                queue.append(link)
    return too_wide, small, refused, visited


def test_no_link_of_any_role_leads_to_a_refusal_and_no_page_is_wider_than_a_phone(browser, live_server, province):
    too_wide, small, refused, pages = [], [], [], {}
    for role in ROLES:
        context, page = phone(browser)
        sign_in(page, live_server, role, DEMO_PASSWORD)
        expect(page.get_by_test_id("site-menu")).to_be_visible()
        wide, targets, answers, visited = crawl(page, live_server)
        context.close()
        assert visited > 10, f"{role}: the crawl found only {visited} pages"
        pages[role] = visited
        too_wide += [f"{role}: {line}" for line in wide]
        small += [f"{role}: {line}" for line in targets]
        refused += [f"{role}: {line}" for line in answers]
    print(f"pages visited: {pages}")
    assert not too_wide and not small and not refused, (
        "pages wider than the phone:\n" + "\n".join(too_wide)
        + f"\ntouch targets under {TOUCH} px:\n" + "\n".join(small)
        + "\nlinks that led to a refusal, or pages with a console error:\n" + "\n".join(refused))


@pytest.mark.parametrize("width", [360, 414])
def test_on_a_phone_the_menu_leads_to_check_in_whose_code_opens_the_number_pad(browser, live_server, accounts, width):
    context, page = phone(browser, width)
    sign_in(page, live_server, "employee")
    menu = page.get_by_test_id("site-menu")
    mine = menu.get_by_role("link", name="การอบรมของฉัน")
    expect(mine).to_be_hidden()
    menu.locator("summary").click()
    expect(mine).to_be_visible()
    heights = menu.locator("ul a, ul button").evaluate_all("items => items.map(item => item.getBoundingClientRect().height)")
    assert heights and min(heights) >= TOUCH
    page.keyboard.press("Escape")
    expect(mine).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    menu.locator("summary").click()
    mine.click()
    expect(page.locator("nav.site a[aria-current=page]")).to_have_text("การอบรมของฉัน")
    page.get_by_role("button", name="ลงชื่อเข้าอบรม").click()
    code = page.get_by_label("รหัสลงชื่อเข้าอบรม")
    expect(code).to_have_attribute("inputmode", "numeric")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("pattern", "[0-9]{6}")
    assert page.evaluate(WIDTHS)[0] <= width
    context.close()


@pytest.mark.parametrize("locale", ["th", "en"])
def test_at_1366_px_the_longest_navigation_keeps_one_row_no_label_wraps_and_admin_links_drop_down(
        browser, live_server, accounts, locale):
    context = browser.new_context(locale="th-TH", viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "ethics_lang", "value": locale, "url": live_server}])
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.goto(f"{live_server}/people")
    expect(page.get_by_test_id("site-menu").locator("summary").first).to_be_hidden()
    current = page.locator("nav.site a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_be_visible()
    row = page.evaluate("""() => {
      const lines = el => { const range = document.createRange(); range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; };
      const items = [...document.querySelectorAll('nav.site > ul > li, nav.site details.site-menu > ul > li')];
      const labels = [...document.querySelectorAll('nav.site a, nav.site button, nav.site details.admin-menu > summary')];
      const middles = items.map(li => li.getBoundingClientRect().top + li.getBoundingClientRect().height / 2);
      return {rows: Math.max(...middles) - Math.min(...middles) < 8 ? 1 : new Set(middles.map(Math.round)).size,
              wrapped: labels.filter(el => lines(el) > 1).map(el => el.textContent.trim()),
              overlap: items[1].getBoundingClientRect().left < items[0].getBoundingClientRect().right,
              right: Math.max(...items.map(li => li.getBoundingClientRect().right)), width: window.innerWidth}; }""")
    assert row["rows"] == 1 and row["wrapped"] == [] and not row["overlap"] and row["right"] <= row["width"], row
    audit_log = page.locator("details.admin-menu a[href='/audit']")
    expect(audit_log).to_be_hidden()
    page.locator("details.admin-menu > summary").click()
    expect(audit_log).to_be_visible()
    context.close()

