"""Signing in: the right password gets in and is audited; wrong ones are refused, audited, and lock the account."""

import re

import pytest
from django.test import override_settings

from casefile.audit.models import Action, AuditEvent
from casefile.testing import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"login": username, "password": password}, **extra)


def test_signing_out_people_are_sent_to_sign_in(db, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_right_password_reaches_my_work_and_is_audited(org, client):
    response = sign_in(client, "sam", PASSWORD, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert '<h1 class="govuk-heading-l">My work</h1>' in response.content.decode()
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor == org.sam


def test_the_sign_in_page_keeps_where_the_person_was_going(org, client):
    page = client.get(LOGIN + "?next=/teams/1/").content.decode()
    assert '<input type="hidden" name="next" value="/teams/1/">' in page

    response = client.post(LOGIN, {"login": "sam", "password": PASSWORD, "next": f"/teams/{org.assessment.pk}/"})
    assert response["Location"] == f"/teams/{org.assessment.pk}/"


def test_a_wrong_password_shows_a_govuk_error_and_is_audited(org, client):
    response = sign_in(client, "sam", "not the password")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – Casefile</title>" in page
    assert "There is a problem" in page
    assert '<a href="#id_login">Enter a correct username and password</a>' in page
    assert 'value="sam"' in page  # the username is kept, the password is not
    assert "not the password" not in page
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert failed.actor is None
    assert failed.details == {"username": "sam", "reason": "wrong password"}
    assert failed.ip_address == "127.0.0.1"
    assert "not the password" not in str(failed.details)


def test_empty_boxes_say_what_to_enter(db, client):
    page = sign_in(client, "", "").content.decode()
    assert '<a href="#id_login">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page


def test_the_sign_in_page_is_govuk_styled_and_accessible(db, client):
    page = client.get(LOGIN).content.decode()

    assert "<title>Sign in – Casefile</title>" in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert '<label class="govuk-label" for="id_login">' in page
    assert 'autocomplete="username"' in page
    assert '<label class="govuk-label" for="id_password">' in page
    assert 'autocomplete="current-password"' in page
    assert "placeholder" not in page
    assert 'href="#main-content" class="govuk-skip-link"' in page
    assert "govuk-generic-header" in page
    assert "There is a problem" not in page
    assert "demo sign-ins" not in page


@override_settings(DEMO_MODE=True)
def test_the_demo_sign_in_page_says_where_the_demo_sign_ins_are(db, client):
    page = client.get(LOGIN).content.decode()
    assert "The demo sign-ins, one for each role, are printed in the terminal" in page
    assert "govuk-inset-text" in page


def test_signing_out_is_a_post_and_is_audited(org, client):
    client.force_login(org.sam)
    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200
    assert "Are you sure you want to sign out" in confirm.content.decode()
    assert "_auth_user_id" in client.session

    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT, actor=org.sam).exists()


@pytest.mark.parametrize("path", ["/accounts/password/reset/"])
def test_allauth_pages_casefile_does_not_restyle_still_work(db, client, path):
    assert client.get(path).status_code == 200


def test_signing_in_shows_no_banner_but_signing_out_says_so(org, client):
    page = sign_in(client, "sam", PASSWORD, follow=True).content.decode()
    assert "govuk-notification-banner" not in page
    page = client.post("/accounts/logout/", follow=True).content.decode()
    assert "You have signed out." in page


OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "council",
                "name": "Council sign-in",
                "client_id": "casefile",
                "secret": "not-a-real-secret",
                "settings": {"server_url": "https://login.example.gov.uk"},
            }
        ]
    }
}


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_with_single_sign_on_configured_the_sign_in_page_offers_it_as_a_post(db, client):
    page = client.get(LOGIN).content.decode()
    form = r'<form method="post" action="/accounts/oidc/council/login/\?process=login">\s*<input type="hidden"'
    assert re.search(form + r' name="csrfmiddlewaretoken"', page)
    assert "Sign in with Council sign-in" in page


@pytest.mark.parametrize("path", ["/accounts/oidc/council/login/", "/accounts/oidc/council/login/callback/"])
def test_single_sign_on_can_start_and_return_before_anyone_is_signed_in(db, path):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from casefile.accounts.middleware import RequireSignInMiddleware

    request = RequestFactory().post(path)
    request.user = AnonymousUser()
    assert RequireSignInMiddleware(lambda request: HttpResponse("reached"))(request).content == b"reached"


def test_the_single_sign_on_failure_page_is_reachable_when_signed_out(db, client):
    assert client.get("/accounts/3rdparty/login/cancelled/").status_code == 200
