"""Writes about sign-in security: authenticator set-up links and lifting sign-in pauses (ADR 0019).

Each write checks the actor may do it, runs in a transaction and is audited.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts import lockout
from casefile.accounts.models import TwoFactorEnrolment, User
from casefile.audit.models import Action
from casefile.audit.services import record

# Long enough to pass a link on the same working day; short enough that an unused one soon stops working.
ENROLMENT_LINK_LIFETIME = datetime.timedelta(hours=24)
# The session remembers the link a person opened until their authenticator app is set up.
ENROLMENT_SESSION_KEY = "casefile_two_factor_enrolment"


def has_authenticator_app(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_administrator(actor, what: str) -> None:
    if not permissions.is_administrator(actor):
        raise PermissionDenied(f"Only an administrator can {what}")


def issue_enrolment_link(actor, user: User, *, request=None) -> str:
    """A new one-time link for `user` to set up an authenticator app; returns the token (shown once)."""
    _require_administrator(actor, "issue a link to set up an authenticator app")
    if not user.is_active:
        raise ValidationError({"user": f"{user} cannot sign in: their account is turned off"})
    if has_authenticator_app(user):
        raise ValidationError({"user": f"{user} already has an authenticator app"})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        enrolment = TwoFactorEnrolment.objects.create(
            user=user, token_hash=_hash(token), issued_by=actor, issued_at=now, expires_at=now + ENROLMENT_LINK_LIFETIME
        )
        record(Action.GRANT, actor=actor, request=request, subject=enrolment,
               details={"two_factor_link_for": user.username, "expires_at": enrolment.expires_at})
    return token


def usable_enrolment(token: str) -> TwoFactorEnrolment | None:
    """The unused, unexpired link with this token, if there is one."""
    return TwoFactorEnrolment.objects.filter(
        token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("user").first()


def session_enrolment(request) -> TwoFactorEnrolment | None:
    """The link this person opened in this session, while it can still be used and is theirs."""
    enrolment_id = request.session.get(ENROLMENT_SESSION_KEY)
    if enrolment_id is None:
        return None
    return TwoFactorEnrolment.objects.filter(
        pk=enrolment_id, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def use_enrolment(request) -> None:
    """The person has set up their app: the link they opened is used up, and that is audited."""
    enrolment = session_enrolment(request)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    if enrolment is None:
        return
    with transaction.atomic():
        updated = TwoFactorEnrolment.objects.filter(pk=enrolment.pk, used_at__isnull=True).update(
            used_at=timezone.now())
        if updated:
            record(Action.UPDATE, actor=request.user, request=request, subject=enrolment,
                   details={"two_factor_link_used": True})


def lift_pause(actor, *, address: str, username: str = "", request=None) -> int:
    """Lift a sign-in pause: of one username at an address, or (username "") of the whole address. Returns how
    many failure records were cleared."""
    _require_administrator(actor, "lift a sign-in pause")
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if username:
        attempts = attempts.filter(username=username)
    with transaction.atomic():
        cleared, _ = attempts.delete()
        record(Action.UPDATE, actor=actor, request=request, details={
            "sign_in_pause_lifted": {"address": address, "username": username}, "failures_cleared": cleared,
            "pause_minutes": lockout.pause().seconds // 60})
    return cleared
