"""The chronology's registry: the event type, whose records a chronology covers, and the providers that apps
register. See casework/chronology/__init__.py for the whole picture."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casefile.core import presenters
from casefile.core.prepared import prepared
from casefile.people.models import Person

# Event types: what the filter offers, in the order apps register them (casework, then the front door).
EVENT_TYPES: dict[str, str] = {}
OTHER = "other"
EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class ChronologyEvent:
    when: datetime.date | datetime.datetime
    title: str
    description: str = ""
    by: str = ""
    key: str = ""  # stable across rebuilds: "visit:42". Workers' notes hang on it.
    type: str = OTHER  # a key of EVENT_TYPES
    url: str = ""  # the record the event comes from
    significant: bool = False  # the default for this kind of event; a worker's note may override it
    from_record: str = ""  # set for events of a record merged into this one
    step: int = 0  # orders events on the same day: a decision (1) comes after the referral it decides (0)
    # For a partner agency whose share names this event's type (access/policy.py PARTNER_CHRONOLOGY_TYPES): whether
    # this one may be shown to them at all, and the words they are shown instead of the description, if any.
    shareable: bool = True
    shared_description: str | None = None

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.min)

    @property
    def date(self) -> datetime.date:
        return self.sort_key.date()

    @property
    def when_text(self) -> str:
        if isinstance(self.when, datetime.datetime):
            return presenters.govuk_datetime(self.when)
        return presenters.govuk_date(self.when)

    @property
    def when_iso(self) -> str:
        return self.when.isoformat()

    @property
    def type_label(self) -> str:
        return EVENT_TYPES.get(self.type, "Other")

    @property
    def anchor(self) -> str:
        """An HTML id for the event's row, so a page can return to it."""
        return "event-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.key) if self.key else ""


# Whose records a chronology covers ---------------------------------------------------------------------

# Records merged into a record that was itself later merged: followed this many steps, in one query.
MERGE_DEPTH = 3


@dataclass
class Scope:
    """The person whose chronology it is, and the records merged into them (with their own histories)."""

    person: Person
    people: list[Person]

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.people]

    def from_record(self, child_id: int) -> str:
        if child_id == self.person.pk:
            return ""
        other = next(p for p in self.people if p.pk == child_id)
        return f"{other.full_name} ({other.reference})"

    def link(self, child_id: int, *targets: tuple[str, dict]) -> str:
        """The first of `targets` (URL name, arguments); a merged record's events link to its history page
        instead, because casework pages open records through the child they belong to."""
        if child_id != self.person.pk:
            return reverse("people:merged_records", kwargs={"person_id": self.person.pk})
        if not targets:
            return ""
        name, kwargs = targets[0]
        return reverse(name, kwargs={"person_id": child_id, **kwargs})


@prepared
def _person_and_merged_into(person_id: int):
    return Person.objects.filter(Q(pk=person_id) | Q(merged_into=person_id)).select_related("created_by")


@prepared
def _merged_into_any(person_ids: list[int]):
    return Person.objects.filter(merged_into__in=person_ids).select_related("created_by")


def _merged_chain(person_id: int) -> list[Person]:
    """The person and the records merged into theirs, to MERGE_DEPTH levels, by id. A level at a time, each by the
    index on merged_into: one condition over the chain's joins (merged_into__merged_into = x) made PostgreSQL read
    the people table three times on every chronology (18 ms on medium). One query when nothing is merged."""
    people = _person_and_merged_into(person_id)
    level = [person.pk for person in people if person.pk != person_id]
    for _ in range(MERGE_DEPTH - 1):
        if not level:
            break
        deeper = _merged_into_any(level)
        people += deeper
        level = [person.pk for person in deeper]
    return sorted(people, key=lambda person: person.pk)


def scope_for(person: Person) -> Scope:
    people = _merged_chain(person.pk)
    people.sort(key=lambda p: p.pk != person.pk)  # the person first
    if not people or people[0].pk != person.pk:
        people.insert(0, person)
    return Scope(person, people)


# Providers ---------------------------------------------------------------------------------------------

Provider = Callable[[Scope], Iterable[ChronologyEvent]]
# Every registered provider, by its dotted name, so registering one twice (a second ready()) adds it once.
PROVIDERS: dict[str, Provider] = {}


def register(*providers: Provider, types: dict[str, str] | None = None) -> None:
    """Add providers to every chronology, with the event types they yield (key: the label the filter shows).

    Each app calls this from its AppConfig.ready() for its own records, so a new app adds its events without
    editing a central list. A provider runs one query (or a fixed few) however long the history is."""
    for key, label in (types or {}).items():
        if EVENT_TYPES.setdefault(key, label) != label:
            raise ValueError(f"Chronology event type {key!r} is already registered as {EVENT_TYPES[key]!r}")
    for function in providers:
        PROVIDERS[f"{function.__module__}.{function.__qualname__}"] = function


def chronology(person: Person) -> list[ChronologyEvent]:
    """Every event recorded about the person and the records merged into them, newest first."""
    scope = scope_for(person)
    events = [event for source in list(PROVIDERS.values()) for event in source(scope)]
    return sorted(events, key=lambda event: (event.sort_key, event.step), reverse=True)


# What providers share ------------------------------------------------------------------------------------


def name(user) -> str:
    return str(user) if user else ""


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of a long text on one line, cut at a word."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def sentences(*parts: str) -> str:
    """Parts joined into sentences, each ending with a full stop (or the mark it already has)."""
    return " ".join(part if part.endswith((".", "!", "?", "…", "”")) else f"{part}." for part in parts if part)


def event(scope: Scope, child_id: int, **values) -> ChronologyEvent:
    """An event of one of the scope's records (marked as from a merged record when it is one)."""
    return ChronologyEvent(from_record=scope.from_record(child_id), **values)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def time_of_day(moment: datetime.datetime) -> str:
    return presenters.govuk_datetime(moment).rsplit(" at ", 1)[-1]
