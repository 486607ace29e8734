"""Setting up an authenticator app on an account that has none needs a one-time, expiring link issued by an
administrator: a stolen password alone cannot enrol the thief's own app (ADR 0019)."""

import datetime
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from casefile.accounts.models import TwoFactorEnrolment
from casefile.accounts.services import issue_enrolment_link
from casefile.accounts.tests.conftest import current_code
from casefile.audit.models import Action, AuditEvent
from casefile.testing import PASSWORD

ACTIVATE = "/accounts/2fa/totp/activate/"
GENERATE_CODES = "/accounts/2fa/recovery-codes/generate/"


def signed_in_with_password(client, username="sam"):
    """Signed in with the password alone, as someone who has learned it would be, and past the password check
    allauth asks for before changing sign-in security."""
    assert client.post("/accounts/login/", {"login": username, "password": PASSWORD})["Location"] == "/"
    client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": ACTIVATE})
    return client


def set_up_app(client) -> bool:
    client.get(ACTIVATE)
    secret = client.session.get("mfa.totp.secret")
    if secret is None:
        return False
    client.post(ACTIVATE, {"code": current_code(secret)})
    return Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()


@pytest.mark.parametrize("require_totp", [True, False])
def test_the_password_alone_cannot_set_up_an_app(org, client, require_totp):
    with override_settings(CASEFILE_REQUIRE_TOTP=require_totp):
        signed_in_with_password(client)
        for path in (ACTIVATE, GENERATE_CODES):
            page = client.get(path)
            assert page.status_code == 403
            assert "You need a link to set up an authenticator app" in page.content.decode()
        assert client.post(ACTIVATE, {"code": "123456"}).status_code == 403
        assert not set_up_app(client)
    assert not Authenticator.objects.exists()


def test_an_administrators_link_sets_up_the_app_once_and_is_audited(org, client, django_capture_on_commit_callbacks):
    admin = type(client)()
    admin.force_login(org.ada)
    form = admin.get("/authenticator-links/").content.decode()
    assert "Sam Worker (sam)" in form
    issued = admin.post("/authenticator-links/", {"user": org.sam.pk}).content.decode()
    link = re.search(r'id="enrolment-link">(http://testserver(/accounts/2fa/enrol/[^/]+/))<', issued)
    assert link, "the page shows the link once"
    grant = AuditEvent.objects.get(action=Action.GRANT, actor=org.ada)
    assert grant.details["two_factor_link_for"] == "sam"
    enrolment = TwoFactorEnrolment.objects.get()
    assert link.group(2).split("/")[-2] not in enrolment.token_hash  # only a hash is kept

    signed_in_with_password(client)
    assert client.get(link.group(2))["Location"] == ACTIVATE
    with django_capture_on_commit_callbacks(execute=True):  # allauth announces a new app once it is saved
        assert set_up_app(client)
    enrolment.refresh_from_db()
    assert enrolment.used_at is not None
    assert AuditEvent.objects.filter(action=Action.UPDATE, actor=org.sam, subject_id=str(enrolment.pk)).exists()
    assert "Used" in admin.get("/authenticator-links/").content.decode()

    # Used once: the link no longer opens anything.
    assert client.get(link.group(2)).status_code == 404


def test_a_link_works_only_for_its_own_person_and_only_for_a_day(org, client):
    token = issue_enrolment_link(org.ada, org.sam)
    signed_in_with_password(client, "ola")
    refused = client.get(f"/accounts/2fa/enrol/{token}/")
    assert refused.status_code == 404
    assert "This link was issued for someone else" in refused.content.decode()
    assert client.get(ACTIVATE).status_code == 403

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, seconds=1)):
        expired = signed_in_with_password(type(client)()).get(f"/accounts/2fa/enrol/{token}/")
    assert expired.status_code == 404
    assert "The link has been used already, has expired" in expired.content.decode()


def test_only_administrators_issue_links(org, client):
    with pytest.raises(PermissionDenied):
        issue_enrolment_link(org.tess, org.sam)
    client.force_login(org.tess)
    assert client.get("/authenticator-links/").status_code == 403
    assert client.post("/authenticator-links/", {"user": org.sam.pk}).status_code == 403
    assert not TwoFactorEnrolment.objects.exists()


def test_no_link_is_issued_for_someone_who_already_has_an_app(sam_with_totp, org, client):
    client.force_login(org.ada)
    page = client.post("/authenticator-links/", {"user": org.sam.pk}).content.decode()
    assert "Select who the link is for" in page
    assert not TwoFactorEnrolment.objects.exists()
