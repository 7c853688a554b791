"""An HR officer makes an API token on their own page, sees it once, reads the API with it, opens
the API reference (Swagger UI from static/vendor under the app's CSP) and revokes the token."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.dialogs import confirm
from tests.e2e.test_foundation_journeys import sign_in, world  # noqa: F401  # fixture


def test_a_token_is_made_used_and_revoked(page, live_server, world):  # noqa: F811
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/me")
    page.locator("a[href='/me/tokens']").click()
    page.locator("#name").fill("แดชบอร์ดกระทรวง")
    page.locator("input[value='indicators:read']").check()
    page.get_by_test_id("create-token").click()
    secret = page.get_by_test_id("token-secret").inner_text()
    assert secret.startswith("eth_")
    answer = page.request.get(f"{live_server}/api/v1/fiscal-years", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["total"] == 0
    page.reload()
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    expect(page.get_by_test_id("tokens")).to_contain_text("แดชบอร์ดกระทรวง")

    page.goto(f"{live_server}/api/v1/docs")
    expect(page.get_by_text("/api/v1/plans/{fiscal_year}", exact=True)).to_be_visible()

    page.goto(f"{live_server}/me/tokens")
    page.get_by_test_id("revoke").click()
    confirm(page)
    expect(page.get_by_test_id("revoke")).to_have_count(0)
    refused = page.request.get(f"{live_server}/api/v1/fiscal-years", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401
