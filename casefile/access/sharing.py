"""Which records are shared, read-only, with a partner agency today: what a partner's home page lists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from casefile.access.models import AgencyShare
from casefile.accounts.models import Role


def current_shares(user) -> QuerySet[AgencyShare]:
    """The unexpired shares with the user's agency, soonest to expire first (none for anyone else)."""
    if user.role != Role.PARTNER_VIEWER or not user.agency:
        return AgencyShare.objects.none()
    return (AgencyShare.objects.filter(agency=user.agency, expires_on__gte=timezone.localdate(),
                                       child__merged_into__isnull=True)
            .select_related("child").order_by("expires_on", "child__last_name", "pk"))
