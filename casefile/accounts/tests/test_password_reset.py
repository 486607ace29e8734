"""Resetting a forgotten password, end to end through the mail outbox; mail is configured by settings."""

import re

from django.core import mail

from casefile.accounts.tests.test_session_security import production_settings
from casefile.audit.models import Action, AuditEvent
from casefile.testing import PASSWORD

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a brand new long passphrase"  # noqa: S105 (test-only)


def test_a_forgotten_password_is_reset_through_an_emailed_link(org, client):
    org.sam.email = "sam.worker@example.gov.uk"
    org.sam.save()
    assert "Reset your password" in client.get("/accounts/login/").content.decode()
    page = client.get(RESET).content.decode()
    assert '<h1 class="govuk-heading-l">Reset your password</h1>' in page
    assert '<label class="govuk-label" for="id_email">' in page

    done = client.post(RESET, {"email": "Sam.Worker@example.gov.uk"}, follow=True)
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in done.content.decode()
    [message] = mail.outbox
    assert message.to == ["sam.worker@example.gov.uk"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert '<h1 class="govuk-heading-l">Choose a new password</h1>' in form.content.decode()
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    short = client.post(action, {"password1": "short", "password2": "short"}).content.decode()
    assert "There is a problem" in short
    changed = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert '<h1 class="govuk-heading-l">Your password has been changed</h1>' in changed.content.decode()

    assert client.post("/accounts/login/", {"login": "sam", "password": PASSWORD}).status_code == 200
    assert client.post("/accounts/login/", {"login": "sam", "password": NEW_PASSWORD})["Location"] == "/"
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor=org.sam).exists()
    # The link worked once.
    assert "This link cannot be used" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer(org, client):
    done = client.post(RESET, {"email": "nobody@example.gov.uk"}, follow=True)
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in done.content.decode()
    assert "nobody@example.gov.uk" not in done.content.decode()


def test_an_empty_or_malformed_address_says_what_to_enter(db, client):
    assert '<a href="#id_email">Enter your email address</a>' in client.post(RESET, {"email": ""}).content.decode()
    assert "Enter an email address in the correct format" in client.post(RESET, {"email": "sam"}).content.decode()


def test_the_demo_prints_mail_in_the_terminal(monkeypatch, tmp_path):
    demo = production_settings(monkeypatch, CASEFILE_DEMO="1", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert demo.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_production_sends_mail_through_the_smtp_relay_in_the_environment(monkeypatch):
    production = production_settings(monkeypatch, EMAIL_HOST="smtp.council.example", EMAIL_PORT="2525",
                                     EMAIL_HOST_USER="casefile", EMAIL_HOST_PASSWORD="from-the-vault",
                                     DEFAULT_FROM_EMAIL="casefile@council.example")
    assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (production.EMAIL_HOST, production.EMAIL_PORT, production.EMAIL_HOST_USER) == (
        "smtp.council.example", 2525, "casefile")
    assert production.EMAIL_HOST_PASSWORD == "from-the-vault"
    assert production.EMAIL_USE_TLS is True
    assert production.DEFAULT_FROM_EMAIL == "casefile@council.example"
