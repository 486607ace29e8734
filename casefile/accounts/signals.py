"""Sign-ins, failed sign-ins and sign-outs go on the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

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
    record(
        Action.SIGN_IN_FAILED,
        request=request,
        allow_anonymous=True,
        details={"username": str(credentials.get("username", ""))[:150]},
    )
