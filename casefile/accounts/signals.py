"""Sign-ins, refused sign-ins and sign-outs go on the audit trail."""

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from casefile.accounts import lockout, services
from casefile.audit.models import Action
from casefile.audit.services import record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, actor=user, request=request)


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
