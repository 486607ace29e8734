"""Session and page hardening: idle sign-out, CSP nonces, password hashing, cookie flags, CSRF."""

import importlib.util
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings

from casefile.testing import PASSWORD

SETTINGS_FILE = Path(settings.BASE_DIR) / "config" / "settings.py"


def production_settings(monkeypatch, **environ):
    """config/settings.py as a fresh module, read with this environment (not the fast test settings)."""
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("casefile_settings_probe", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Idle time-out


def test_a_session_used_within_the_idle_limit_stays_signed_in(org, client):
    with time_machine.travel("2025-01-06 09:00 +0000", tick=False) as traveller:
        client.force_login(org.sam)
        assert client.get("/").status_code == 200
        traveller.shift(settings.CASEFILE_IDLE_TIMEOUT_SECONDS - 60)
        assert client.get("/").status_code == 200
        traveller.shift(settings.CASEFILE_IDLE_TIMEOUT_SECONDS - 60)  # each request restarts the clock
        assert client.get("/").status_code == 200


def test_an_idle_session_is_signed_out(org, client):
    with time_machine.travel("2025-01-06 09:00 +0000", tick=False) as traveller:
        client.force_login(org.sam)
        client.get("/")
        traveller.shift(settings.CASEFILE_IDLE_TIMEOUT_SECONDS + 1)
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@override_settings(CASEFILE_IDLE_TIMEOUT_SECONDS=60)
def test_the_idle_sign_out_says_why_on_the_sign_in_page(org, client):
    with time_machine.travel("2025-01-06 09:00 +0000", tick=False) as traveller:
        client.force_login(org.sam)
        client.get("/")
        traveller.shift(61)
        response = client.get("/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "govuk-notification-banner" in page
    assert "You were signed out because you had not used Casefile for a while." in page


# Content Security Policy


def nonce_of(response) -> str:
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    [nonce] = [s[len("'nonce-") : -1] for s in script_src if s.startswith("'nonce-")]
    return nonce


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_a_strict_csp_whose_nonce_is_on_the_only_inline_script(org, client, signed_in):
    if signed_in:
        client.force_login(org.sam)
    response = client.get("/" if signed_in else "/accounts/login/")
    nonce = nonce_of(response)
    page = response.content.decode()

    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline_scripts == [f' nonce="{nonce}"']
    assert re.search(r'<script type="module" src="/static/dist/casefile.js"></script>', page)
    assert " style=" not in page
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_each_response_gets_a_new_nonce(db, client):
    assert nonce_of(client.get("/accounts/login/")) != nonce_of(client.get("/accounts/login/"))


# Passwords and cookies


def test_production_hashes_passwords_with_argon2(monkeypatch):
    module = production_settings(monkeypatch)
    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The test settings swap in MD5 for speed only.
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_argon2_is_installed_and_used_by_the_production_hasher(monkeypatch, db):
    from django.contrib.auth.hashers import make_password

    module = production_settings(monkeypatch)
    with override_settings(PASSWORD_HASHERS=module.PASSWORD_HASHERS):
        assert make_password(PASSWORD).startswith("argon2$argon2id$")


def test_production_cookies_are_secure_and_http_only(monkeypatch):
    module = production_settings(monkeypatch, SECURE_COOKIES="1")
    assert module.SESSION_COOKIE_SECURE is True
    assert module.CSRF_COOKIE_SECURE is True
    assert module.SESSION_COOKIE_HTTPONLY is True
    assert module.CSRF_COOKIE_HTTPONLY is True
    assert module.SECURE_HSTS_SECONDS >= 31536000


def test_cookies_default_to_secure_outside_debug_and_demo(monkeypatch):
    for name in ("SECURE_COOKIES", "DEBUG", "CASEFILE_DEMO"):
        monkeypatch.delenv(name, raising=False)
    assert production_settings(monkeypatch).SESSION_COOKIE_SECURE is True


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_the_cookies_sent_at_sign_in_are_secure_and_http_only(org):
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post("/accounts/login/", {"login": "sam", "password": PASSWORD}, secure=True)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


# CSRF


def test_signing_in_without_a_csrf_token_is_refused(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "sam", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_signed_in_post_without_a_csrf_token_is_refused(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.sam)
    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_a_post_with_the_pages_csrf_token_is_accepted(org):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/accounts/login/", {"login": "sam", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
