"""Sign-ins, refused sign-ins and sign-outs go on the audit trail; signing in starts the idle clock."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from casefile.accounts import lockout, services
from casefile.accounts.middleware import InactivityTimeoutMiddleware
from casefile.audit.models import Action
from casefile.audit.services import record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, actor=user, request=request)


@receiver(user_logged_in)
def start_the_idle_clock(sender, request, user, **kwargs):
    """Signing in is activity: stamped now, with the sign-in's own session write, so the first page after it
    need not write the session again (the stamp is kept at most once a minute: accounts/middleware.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[InactivityTimeoutMiddleware.SESSION_KEY] = time.time()


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.SIGN_OUT, actor=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the username tried is kept: never the password.
    username = str(credentials.get("username", ""))
    lockout.audit_refusal(request, username, lockout.refusal_reason(request, username))


@receiver(authenticator_added)
def use_up_enrolment_link(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        services.use_enrolment(request)
