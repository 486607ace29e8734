"""Who may do what: the one place outside access/policy.py where a user's role is compared.

policy.py decides who may see or change a person's record. This module decides which acts a user's role
allows. Each act is one named function taking the user (and, where the answer depends on it, the object).

Services enforce these (a refusal is a ValidationError or PermissionDenied naming what the user may not do);
views and templates only ask them, through a context flag, so a page says what a user may not do before they
fill in a form.
"""

from __future__ import annotations

from collections.abc import Iterable

from casefile.accounts.models import MANAGER_ROLES, Role

# Who may make a threshold or referral decision: a qualified social worker or a manager.
QUALIFIED_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, *MANAGER_ROLES})


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _has_role(user, roles: Iterable[str]) -> bool:
    return _signed_in(user) and user.role in roles


# Decisions and authorisation -----------------------------------------------------------------------------

def may_decide(user) -> bool:
    """A threshold decision at the front door, or the decision on a referral: a qualified social worker, a
    senior practitioner or a manager."""
    return _has_role(user, QUALIFIED_ROLES)


def may_bulk_triage(user) -> bool:
    """Bulk triage records one decision per child, so it is for whoever may decide."""
    return may_decide(user)
