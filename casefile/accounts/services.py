"""Writes about sign-in security: authenticator set-up links and lifting sign-in pauses (ADR 0019).

Each write checks the actor may do it, runs in a transaction and is audited.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from decimal import Decimal

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts import lockout
from casefile.accounts.models import EmploymentType, Post, Team, TwoFactorEnrolment, User, WorkerRecord
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.prepared import prepared
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history

# Long enough to pass a link on the same working day; short enough that an unused one soon stops working.
ENROLMENT_LINK_LIFETIME = datetime.timedelta(hours=24)
# The session remembers the link a person opened until their authenticator app is set up.
ENROLMENT_SESSION_KEY = "casefile_two_factor_enrolment"


def has_authenticator_app(user) -> bool:
    return bool(_authenticator_apps(user.pk))


@prepared
def _authenticator_apps(user_id: int):
    """The user's authenticator app, if any: asked on every request (the two-factor check), so built once."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).order_by().values_list(
        "pk", flat=True)[:1]


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


# The workforce ------------------------------------------------------------------------------------------------

def _require_workforce_keeper(actor, what: str) -> None:
    if not permissions.may_keep_workforce_records(actor):
        raise PermissionDenied(f"Only an administrator can {what}")


def _check_fte(errors: Errors, fte) -> None:
    if fte is None:
        errors.add("fte", "Enter the full-time equivalent, for example 1 or 0.6")
    elif not Decimal(0) < Decimal(str(fte)) <= Decimal(1):
        errors.add("fte", f"The full-time equivalent must be more than 0 and no more than 1 (1 is full time), "
                          f"not {fte}")


def record_employment(actor, worker: User, *, employment_type: str, fte, started_on: datetime.date | None,
                      left_on: datetime.date | None = None, request=None) -> WorkerRecord:
    """Record or change how `worker` is employed: type, full-time equivalent, start and leave dates."""
    _require_workforce_keeper(actor, "record a worker's employment")
    errors = Errors()
    if employment_type not in EmploymentType.values:
        errors.add("employment_type", "Select how they are employed: permanent, agency or other")
    _check_fte(errors, fte)
    if started_on is None:
        errors.add("started_on", "Enter the date they started")
    elif left_on is not None and left_on < started_on:
        errors.add("left_on", f"The leave date must be on or after the start date ({govuk_date(started_on)})")
    errors.raise_if_any()
    with transaction.atomic():
        found = WorkerRecord.objects.select_for_update().filter(user=worker).first()
        created = found is None
        employment = found or WorkerRecord(user=worker)
        employment.employment_type, employment.fte = employment_type, Decimal(str(fte))
        employment.started_on, employment.left_on = started_on, left_on
        save_with_history(employment, actor)
        record(Action.CREATE if created else Action.UPDATE, actor=actor, request=request, subject=employment,
               details={"employment_of": worker.username, "employment_type": employment_type,
                        "fte": str(employment.fte), "started_on": started_on, "left_on": left_on})
    return employment


def save_post(actor, post: Post | None = None, *, team: Team | None, title: str, fte, starts_on: datetime.date | None,
              ends_on: datetime.date | None = None, holder: User | None = None, request=None) -> Post:
    """Add a post to the establishment (`post` None) or change one."""
    _require_workforce_keeper(actor, "change the establishment's posts")
    errors = Errors()
    title = " ".join((title or "").split())
    if team is None:
        errors.add("team", "Select the team the post is in")
    if not title:
        errors.add("title", "Enter the post's title, for example Social worker")
    _check_fte(errors, fte)
    if starts_on is None:
        errors.add("starts_on", "Enter the date the post is funded from")
    elif ends_on is not None and ends_on < starts_on:
        errors.add("ends_on", f"The date the post ends must be on or after the date it starts "
                              f"({govuk_date(starts_on)})")
    errors.raise_if_any()
    with transaction.atomic():
        created = post is None
        post = post or Post()
        post.team, post.title, post.fte = team, title, Decimal(str(fte))
        post.starts_on, post.ends_on, post.holder = starts_on, ends_on, holder
        save_with_history(post, actor)
        record(Action.CREATE if created else Action.UPDATE, actor=actor, request=request, subject=post,
               details={"post": title, "team": team.name, "fte": str(post.fte), "starts_on": starts_on,
                        "ends_on": ends_on, "holder": holder.username if holder else None})
    return post
