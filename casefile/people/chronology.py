"""A person's chronology: what has been recorded about them, newest first.

Each provider reads one kind of event from the record. Later work adds providers (contacts, assessments,
visits, plans) with `@provider`, without touching the page. A provider runs a fixed number of queries
however long the history is, so the page stays quick.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from casefile.casework.models import Allocation, Conference
from casefile.core import presenters
from casefile.people.models import Address, HouseholdMember, Merge, Person, Relationship


@dataclass(frozen=True)
class ChronologyEvent:
    when: datetime.date | datetime.datetime
    title: str
    description: str = ""
    by: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.min)

    @property
    def when_text(self) -> str:
        if isinstance(self.when, datetime.datetime):
            return presenters.govuk_datetime(self.when)
        return presenters.govuk_date(self.when)

    @property
    def when_iso(self) -> str:
        return self.when.isoformat()


Provider = Callable[[Person], Iterable[ChronologyEvent]]
PROVIDERS: list[Provider] = []


def provider(function: Provider) -> Provider:
    PROVIDERS.append(function)
    return function


def chronology(person: Person) -> list[ChronologyEvent]:
    events = [event for source in PROVIDERS for event in source(person)]
    return sorted(events, key=lambda event: event.sort_key, reverse=True)


def _name(user) -> str:
    return str(user) if user else ""


@provider
def person_created(person: Person) -> Iterable[ChronologyEvent]:
    yield ChronologyEvent(person.created_at, "Record created", by=_name(person.created_by))


@provider
def addresses(person: Person) -> Iterable[ChronologyEvent]:
    for address in Address.objects.filter(person=person):
        if address.start_date:
            yield ChronologyEvent(address.start_date, "Moved to a new address", str(address))
        if address.end_date:
            yield ChronologyEvent(address.end_date, "Moved out of an address", str(address))


def _recorded_on(model, ids: list[int]) -> dict[int, datetime.datetime]:
    """When each row was first saved, from its history, for rows with no date of their own."""
    rows = model.history.filter(id__in=ids, history_type="+").values_list("id", "history_date")
    return dict(rows)


@provider
def relationships(person: Person) -> Iterable[ChronologyEvent]:
    links = list(
        Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative")
    )
    recorded = _recorded_on(Relationship, [link.pk for link in links if not link.start_date])
    for link in links:
        when = link.start_date or recorded.get(link.pk)
        if when is not None:
            yield ChronologyEvent(when, "Relationship recorded", str(link))
        if link.end_date:
            yield ChronologyEvent(link.end_date, "Relationship ended", str(link))


@provider
def households(person: Person) -> Iterable[ChronologyEvent]:
    for membership in HouseholdMember.objects.filter(person=person).select_related("household"):
        if membership.start_date:
            yield ChronologyEvent(membership.start_date, "Joined a household", membership.household.name)
        if membership.end_date:
            yield ChronologyEvent(membership.end_date, "Left a household", membership.household.name)


@provider
def allocations(person: Person) -> Iterable[ChronologyEvent]:
    for allocation in Allocation.objects.filter(child=person).select_related("worker", "team", "allocated_by"):
        yield ChronologyEvent(allocation.start_date, f"Allocated to {allocation.worker} ({allocation.team})",
                              allocation.reason, by=_name(allocation.allocated_by))
        if allocation.end_date:
            yield ChronologyEvent(allocation.end_date, f"Allocation to {allocation.worker} ended")


@provider
def conferences(person: Person) -> Iterable[ChronologyEvent]:
    for conference in Conference.objects.filter(child=person).select_related("chair"):
        yield ChronologyEvent(conference.date, conference.get_kind_display(), f"Chaired by {conference.chair}")


@provider
def merges(person: Person) -> Iterable[ChronologyEvent]:
    rows = Merge.objects.filter(Q(kept=person) | Q(merged=person)).select_related(
        "kept", "merged", "merged_by", "reversed_by"
    )
    for merge in rows:
        yield ChronologyEvent(merge.merged_at, "Records merged",
                              f"{merge.merged} was merged into {merge.kept}: {merge.reason}", by=_name(merge.merged_by))
        if merge.reversed_at:
            yield ChronologyEvent(merge.reversed_at, "Merge reversed",
                                  f"{merge.merged} was separated from {merge.kept}: {merge.reversal_reason}",
                                  by=_name(merge.reversed_by))
