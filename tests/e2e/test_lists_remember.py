"""Lists keep their search in the address: Back, reload and a shared link give the same list."""
from __future__ import annotations

import re
from urllib.parse import unquote

from playwright.sync_api import expect

from tests.e2e.test_foundation_journeys import sign_in, world  # noqa: F401  (a fixture)


def test_the_people_search_survives_reload_back_and_a_shared_link(page, live_server, world):  # noqa: F811
    sign_in(page, live_server)
    page.goto(f"{live_server}/people")
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text("พบ 4 คน")
    page.get_by_label("ค้นหา").fill("นอกสังกัด")
    expect(count).to_have_text("พบ 1 คน")
    assert "q=นอกสังกัด" in unquote(page.url)  # htmx pushed the search into the address
    page.get_by_label("สถานะ").select_option("all")
    expect(page).to_have_url(re.compile("status=all"))
    expect(count).to_have_text("พบ 1 คน")
    shared = page.url

    page.reload()
    expect(count).to_have_text("พบ 1 คน")
    expect(page.get_by_label("ค้นหา")).to_have_value("นอกสังกัด")
    expect(page.get_by_label("สถานะ")).to_have_value("all")

    # Going back may load the page again or restore it from htmx's history: give either time.
    page.go_back(wait_until="commit")
    expect(page.get_by_label("สถานะ")).to_have_value("active", timeout=15_000)
    expect(page.get_by_label("ค้นหา")).to_have_value("นอกสังกัด")
    # A page loaded again answers the next Back only once its scripts run (htmx's history handler);
    # on a slow machine the select showed its value before that, and the next Back changed only the address.
    page.wait_for_load_state("load")
    page.go_back(wait_until="commit")
    expect(count).to_have_text("พบ 4 คน", timeout=15_000)
    expect(page.get_by_label("ค้นหา")).to_have_value("")

    other = page.context.new_page()
    other.goto(shared)
    expect(other.get_by_test_id("result-count")).to_have_text("พบ 1 คน")
    expect(other.get_by_label("ค้นหา")).to_have_value("นอกสังกัด")


def test_a_search_with_digits_is_posted_and_never_in_the_address(page, live_server, world):  # noqa: F811
    sign_in(page, live_server)
    page.goto(f"{live_server}/people")
    outside = world["people"]["outside"]
    with page.expect_request(lambda request: request.method == "POST" and "/people" in request.url) as posted:
        page.get_by_label("ค้นหา").fill(outside.citizen_id[:12])
    assert outside.citizen_id[:12] in (posted.value.post_data or "")
    expect(page.get_by_test_id("result-count")).to_have_text("พบ 1 คน")
    assert outside.citizen_id[:12] not in page.url
