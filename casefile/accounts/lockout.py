"""Failed sign-ins: who is paused, why a sign-in was refused, and the audit of refusals (ADR 0019).

django-axes counts failures per username and address (its AccessAttempt rows, in the database so every process
sees them) and pauses that pair after SIGN_IN_FAILURES_PER_USER failures. This module adds the per-address limit
over the same rows, the reason each refusal is audited with, and a burst event when one address is refused many
times. Nothing here makes a pause longer than SIGN_IN_PAUSE_MINUTES after the last counted failure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from casefile.accounts.models import User
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record

# Why a sign-in was refused, as the audit trail says it.
WRONG_PASSWORD = "wrong password"  # noqa: S105 (a reason, not a password)
UNKNOWN_USERNAME = "unknown username"
ACCOUNT_DISABLED = "account disabled"
USERNAME_PAUSED = "too many failures for this username from this address"
ADDRESS_PAUSED = "too many failures from this address"
WRONG_CODE = "wrong authenticator code"
BURST = "burst of refused sign-ins from this address"


def pause() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGN_IN_PAUSE_MINUTES)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - pause())


def address_failures(address: str | None) -> int:
    """Failed sign-ins from this address, any username, counted since the pause began."""
    if not address:
        return 0
    return _recent_attempts().filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_is_paused(address: str | None) -> bool:
    return address_failures(address) >= settings.SIGN_IN_FAILURES_PER_ADDRESS


def refusal_reason(request, username: str) -> str:
    """Why django.contrib.auth refused these credentials. axes' handler has run first: it marks a request it
    refused while paused (axes_locked_out without a new count), and counts the failure otherwise."""
    if getattr(request, "axes_locked_out", False) and getattr(request, "axes_failures_since_start", None) is None:
        return USERNAME_PAUSED
    user = User.objects.filter(username=username).only("is_active").first()
    if user is None:
        return UNKNOWN_USERNAME
    if not user.is_active:
        return ACCOUNT_DISABLED
    return WRONG_PASSWORD


def audit_refusal(request, username: str, reason: str) -> None:
    """One audit event per refused sign-in (the username tried, never the password; the address is the event's
    own), and one more, a burst, each time refusals from one address reach another multiple of SIGN_IN_BURST
    within the pause."""
    details = {"username": str(username or "")[:150], "reason": reason}
    if getattr(request, "axes_locked_out", False) and reason != USERNAME_PAUSED:
        details["paused"] = True  # this failure paused the username at this address
    record(Action.SIGN_IN_FAILED, request=request, allow_anonymous=True, details=details)
    address = client_address(request)
    if address is None:
        return
    refused = AuditEvent.objects.filter(
        action=Action.SIGN_IN_FAILED, ip_address=address, occurred_at__gte=timezone.now() - pause()
    ).exclude(details__reason=BURST).count()
    if refused % settings.SIGN_IN_BURST == 0:
        record(Action.SIGN_IN_FAILED, request=request, allow_anonymous=True, details={
            "reason": BURST, "refused": refused, "minutes": settings.SIGN_IN_PAUSE_MINUTES})


@dataclass(frozen=True)
class Pause:
    """A username at an address, or a whole address, that may not sign in until `until`."""

    address: str
    username: str  # "" when the whole address is paused
    failures: int
    until: datetime.datetime


def current_pauses() -> list[Pause]:
    """Every pause in force now, addresses first, for the administrators' page."""
    pauses = []
    failures: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], datetime.datetime] = {}
    for attempt in _recent_attempts():  # one row per username, address and browser
        key = (attempt.ip_address, attempt.username or "")
        failures[key] = failures.get(key, 0) + attempt.failures_since_start
        last[key] = max(last.get(key, attempt.attempt_time), attempt.attempt_time)
    for address in sorted({address for address, _ in failures}):
        keys = [key for key in failures if key[0] == address]
        total = sum(failures[key] for key in keys)
        if total >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
            pauses.append(Pause(address, "", total, max(last[key] for key in keys) + pause()))
    for key in sorted(failures):
        if failures[key] >= settings.SIGN_IN_FAILURES_PER_USER:
            pauses.append(Pause(key[0], key[1], failures[key], last[key] + pause()))
    return pauses
