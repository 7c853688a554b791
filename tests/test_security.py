from __future__ import annotations

import pytest

from ethics import create_app
from ethics.core.config import ConfigurationError


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert "Strict-Transport-Security" not in response.headers


def test_pages_use_no_inline_script_or_style(client, auth, org):
    auth.login("hr")
    for url in ("/", "/people", f"/people/{org['people']['inside'].id}", "/units", "/accounts", "/imports/roster"):
        page = client.get(url).text
        assert "<script>" not in page and " style=" not in page and "<style" not in page and " on" + "click=" not in page


def test_htmx_is_configured_for_the_strict_csp(client):
    page = client.get("/login").text
    for setting in ('"allowEval": false', '"includeIndicatorStyles": false', '"selfRequestsOnly": true',
                    '"historyCacheSize": 0'):
        assert setting in page


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("ETHICS_ENV", "production")
    monkeypatch.setenv("ETHICS_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")


def test_production_refuses_to_start_without_a_secret_key(production, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_refuses_a_short_secret_key(production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ConfigurationError):
        create_app()


@pytest.mark.parametrize("missing", ["ETHICS_AUDIT_KEY", "ETHICS_BASE_URL"])
def test_production_refuses_to_start_without_an_audit_key_or_a_base_url(production, monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("ETHICS_AUDIT_KEY", "a" * 48)
    monkeypatch.setenv("ETHICS_BASE_URL", "https://ethics.example.go.th")
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigurationError, match=missing):
        create_app()


def test_a_base_url_must_be_a_web_address(monkeypatch):
    monkeypatch.setenv("ETHICS_BASE_URL", "ethics.example.go.th")
    with pytest.raises(ConfigurationError, match="ETHICS_BASE_URL"):
        create_app()


def test_production_sets_secure_cookies_and_hsts(production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("ETHICS_AUDIT_KEY", "a" * 48)
    monkeypatch.setenv("ETHICS_BASE_URL", "https://ethics.example.go.th")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_errors_are_generic_pages_in_the_users_language(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "ไม่พบหน้านี้" in response.text
    client.set_cookie("ethics_lang", "en")
    assert "This page does not exist" in client.get("/no-such-page").text


def test_unexpected_errors_show_no_stack_trace(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals 1101700203451")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Traceback" not in response.text and "secret internals" not in response.text


def test_search_keeps_citizen_ids_out_of_urls(client, auth, org):
    """The list's address holds its search, except one with a digit (maybe a citizen ID): that one
    is posted (static/app.js, or the form's button without JavaScript) and answered, not redirected."""
    auth.login("hr")
    page = client.get("/people").text
    assert 'data-post-with-digits="q"' in page and 'formmethod="post"' in page
    person = org["people"]["outside"]
    response = client.post("/people", data={"q": person.citizen_id[:5], "status": "active"})
    assert response.status_code == 200 and "Location" not in response.headers
    assert "นอกสังกัด" in response.text


def test_user_input_is_escaped(client, auth, org, make_person):
    make_person(org["units"]["dev"], first_name="<script>alert(1)</script>")
    auth.login("hr")
    page = client.get("/people", query_string={"q": "script", "status": "active", "sort": "name"}).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_citizen_ids_stay_out_of_logs(client, auth, org, caplog):
    auth.login("hr")
    person = org["people"]["outside"]
    client.post("/people", data={"q": person.citizen_id, "status": "active", "sort": "name"})
    client.post(f"/people/{person.id}/citizen-id")
    client.get(f"/people/{person.id}")
    assert person.citizen_id not in caplog.text


def test_behind_a_trusted_proxy_the_client_address_counts(app, app_config):
    """With ETHICS_PROXY_HOPS=1, five failures from one client do not lock out another."""
    from ethics import create_app
    from ethics.core.extensions import db

    app = create_app({**app_config, "ETHICS_PROXY_HOPS": 1})
    with app.app_context():
        db.create_all()
        client = app.test_client()
        for n in range(5):
            client.post("/login", data={"username": f"u{n}", "password": "wrong-password"},
                        headers={"X-Forwarded-For": "203.0.113.7"})
        blocked = client.post("/login", data={"username": "x", "password": "wrong-password"},
                              headers={"X-Forwarded-For": "203.0.113.7"})
        other = client.post("/login", data={"username": "x", "password": "wrong-password"},
                            headers={"X-Forwarded-For": "203.0.113.8"})
        assert blocked.status_code == 429 and other.status_code == 401


def test_download_names_in_thai_survive_the_header():
    from ethics.web.render import attachment

    header = attachment("report-2570-รอบ 6 เดือน.pdf")["Content-Disposition"]
    header.encode("latin-1")  # what the HTTP server must be able to send
    assert "filename*=UTF-8''report-2570-%E0%B8%A3" in header and 'filename="report-2570-' in header
