"""Two-factor sign-in: staff must set up an authenticator app, and are asked for its code when they sign in."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings

from casefile.accounts.services import issue_enrolment_link
from casefile.accounts.tests.conftest import current_code
from casefile.audit.models import Action, AuditEvent
from casefile.testing import PASSWORD

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def sign_in(client, username="sam", password=PASSWORD):
    return client.post("/accounts/login/", {"login": username, "password": password})


@override_settings(CASEFILE_REQUIRE_TOTP=True)
@pytest.mark.parametrize("path", ["/", "/teams/1/", "/people/"])
def test_without_an_authenticator_app_every_page_leads_to_setting_one_up(org, client, path):
    client.force_login(org.sam)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def confirm_password(client, password=PASSWORD, next_url="/accounts/2fa/"):
    """allauth asks for the password again before any change to sign-in security."""
    return client.post("/accounts/reauthenticate/", {"password": password, "next": next_url})


@override_settings(CASEFILE_REQUIRE_TOTP=True)
def test_setting_up_the_app_confirms_the_password_shows_the_qr_code_and_key_then_lets_the_user_in(org, client):
    assert sign_in(client)["Location"] == "/"
    assert client.get("/")["Location"] == ACTIVATE
    # An administrator's one-time link opens the set-up page (test_enrolment_links.py).
    assert client.get(f"/accounts/2fa/enrol/{issue_enrolment_link(org.ada, org.sam)}/")["Location"] == ACTIVATE
    # Confirming the password is reachable without an app (no redirect loop) and returns to the setup page.
    confirm = client.get(ACTIVATE, follow=True)
    assert confirm.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert '<h1 class="govuk-heading-l">Confirm it is you</h1>' in confirm.content.decode()
    assert "Enter your current password correctly" in confirm_password(client, "wrong").content.decode()
    assert 'name="next" value="/accounts/2fa/totp/activate/"' in confirm.content.decode()
    assert confirm_password(client, next_url=ACTIVATE)["Location"] == ACTIVATE

    page = client.get(ACTIVATE).content.decode()
    secret = client.session["mfa.totp.secret"]
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code', page)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert '<label class="govuk-label govuk-label--s" for="id_code">' in page
    assert 'autocomplete="one-time-code"' in page

    wrong = client.post(ACTIVATE, {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert "Enter a correct code from your authenticator app" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=org.sam).exists()

    done = client.post(ACTIVATE, {"code": current_code(secret)}, follow=True)
    assert Authenticator.objects.filter(user=org.sam, type=Authenticator.Type.TOTP).exists()
    # The new recovery codes are shown straight away.
    assert done.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    assert "Your recovery codes" in done.content.decode()
    assert client.get("/").status_code == 200


def test_with_an_app_the_password_alone_does_not_sign_in(sam_with_totp, client):
    response = sign_in(client)
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_with_an_app_the_code_is_asked_for_at_sign_in(sam_with_totp, client):
    user, secret = sam_with_totp
    sign_in(client)

    page = client.get(AUTHENTICATE).content.decode()
    heading = r'<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="id_code">'
    assert re.search(heading, page)
    assert "Enter the code from your authenticator app" in page

    wrong = client.post(AUTHENTICATE, {"code": "12345x"})
    assert "<title>Error: Enter the code from your authenticator app – Casefile</title>" in wrong.content.decode()
    assert '<a href="#id_code">Enter a correct code from your authenticator app' in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(AUTHENTICATE, {"code": current_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor=user).count() == 1


def test_a_recovery_code_also_signs_in(sam_with_totp, client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, _ = sam_with_totp
    codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in(client)
    response = client.post(AUTHENTICATE, {"code": codes[0]})
    assert response["Location"] == "/"


def test_cancelling_at_the_code_step_returns_to_sign_in(sam_with_totp, client):
    sign_in(client)
    page = client.get(AUTHENTICATE).content.decode()
    assert "Cancel and sign in as someone else" in page
    response = client.post("/accounts/logout/", {"next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert client.get(AUTHENTICATE)["Location"].startswith("/accounts/login/")


def test_the_security_pages_render_in_govuk_style(sam_with_totp, client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, _ = sam_with_totp
    RecoveryCodes.activate(user)
    client.force_login(user)
    confirm_password(client)

    index = client.get("/accounts/2fa/").content.decode()
    assert "Sign-in security" in index and "Set up" in index and "10 of 10 unused" in index
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "You have 10 unused codes out of 10" in codes
    generate = client.get("/accounts/2fa/recovery-codes/generate/").content.decode()
    assert "Your 10 unused codes will stop working" in generate
    deactivate = client.get("/accounts/2fa/totp/deactivate/").content.decode()
    assert "Remove your authenticator app" in deactivate
    for page in (index, codes, generate, deactivate):
        assert len(re.findall(r"<h1[ >]", page)) == 1
        assert "govuk-template__body" in page


def test_removing_the_app_when_it_is_required_leads_back_to_setting_one_up(sam_with_totp, client):
    user, _ = sam_with_totp
    client.force_login(user)
    confirm_password(client)
    with override_settings(CASEFILE_REQUIRE_TOTP=True):
        page = client.get("/accounts/2fa/totp/deactivate/").content.decode()
        assert "You will need to set up an authenticator app again" in page
        client.post("/accounts/2fa/totp/deactivate/")
        assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert client.get("/")["Location"] == ACTIVATE
