"""The triage queue of police notifications: each child on an open police contact with no decision yet.

Read-only; the queue page, its CSV and bulk triage all read it, so each shows the same rows and history. A fixed
number of queries however long the queue: the children, the notifications' people, the household history (see
imports.household_incidents) and the working calendar. The page is paged in the database: only the rows shown get
their household history and working time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Value, When
from django.utils import timezone

from casefile.casework.calendar import working_calendar
from casefile.frontdoor.access import visible_child
from casefile.frontdoor.models import ContactChild, ImportBatch, PoliceNotification
from casefile.frontdoor.services.imports import household_incidents
from casefile.frontdoor.standards import front_door_settings
from casefile.rules.front_door import Rag, Waiting, waiting

RAG_ORDER = {Rag.RED.value: 0, Rag.AMBER.value: 1, Rag.GREEN.value: 2, "": 3}


@dataclass(frozen=True)
class QueueRow:
    link: ContactChild
    notification: PoliceNotification
    incidents: int  # in the household in the repeat window, this one included
    children_named: int
    waiting: Waiting

    @property
    def contact(self):
        return self.link.contact

    @property
    def child(self):
        return self.link.child

    @property
    def may_bulk_triage(self) -> bool:
        return self.notification.dash_risk == "standard"

    def history(self, months: int) -> str:
        """What the queue showed about the household, kept on the decision as the history considered."""
        word = "incident" if self.incidents == 1 else "incidents"
        return (f"{self.incidents} police domestic-abuse {word} in the household in the last {months} months "
                f"(this one included); DASH risk {self.notification.get_dash_risk_display().lower()}; children "
                f"present: {self.notification.get_children_present_display().lower()}; "
                f"{self.children_named} {'child' if self.children_named == 1 else 'children'} named")


def queue_links(user, *, dash: str = "", rag: str = "", ids: Iterable[int] | None = None):
    """The children this user may see on open police contacts with no decision yet, red first, longest waiting
    first within each rating, as a query to page. `ids` keeps only those ContactChild rows (for bulk triage)."""
    links = (ContactChild.objects
             .filter(contact__concluded_at__isnull=True, contact__police_notification__isnull=False,
                     decision__isnull=True, concluded_at__isnull=True,
                     # A file still being imported is not there yet: it may still be taken back whole.
                     contact__police_notification__batch__status=ImportBatch.Status.CONFIRMED)
             .filter(visible_child(user))
             .select_related("child", "contact__holder", "contact__police_notification")
             .prefetch_related("contact__police_notification__people"))
    if dash:
        links = links.filter(contact__police_notification__dash_risk=dash)
    if rag:
        links = links.filter(contact__rag=rag)
    if ids is not None:
        links = links.filter(pk__in=list(ids))
    # Working time only grows with age, so the oldest receipt has waited longest: the order is the database's.
    rating = Case(*(When(contact__rag=value, then=Value(place)) for value, place in RAG_ORDER.items()),
                  default=Value(len(RAG_ORDER)))
    return links.order_by(rating, "contact__received_at", "pk")


def rows_for(links: Iterable[ContactChild], request=None) -> list[QueueRow]:
    """The queue's rows for these links, in their order, with the household history and working time: the queue
    page passes one page of links, so the work is bounded by the page, not the queue."""
    links = list(links)
    notifications = {link.contact.police_notification.pk: link.contact.police_notification for link in links}
    counts = household_incidents(list(notifications.values()), today=timezone.localdate())
    calendar, settings, now = working_calendar(request), front_door_settings(), timezone.now()
    return [QueueRow(link=link, notification=link.contact.police_notification,
                     incidents=counts.get(link.contact.police_notification.pk, 1),
                     children_named=sum(1 for entry in link.contact.police_notification.people.all()
                                        if entry.role == "child"),
                     waiting=waiting(link.contact.received_at, now,
                                     Rag(link.contact.rag) if link.contact.rag else None, calendar, settings))
            for link in links]


def queue(user, request=None, *, dash: str = "", rag: str = "", ids: Iterable[int] | None = None) -> list[QueueRow]:
    """The whole queue's rows (the CSV and bulk triage); the queue page pages queue_links instead."""
    return rows_for(queue_links(user, dash=dash, rag=rag, ids=ids), request)
