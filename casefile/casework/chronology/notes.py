"""What workers add to the chronology (whether an event is significant, and their analysis), and the filters."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from casefile.access import policy
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework import models as cw
from casefile.casework.chronology.registry import EVENT_TYPES, ChronologyEvent, chronology
from casefile.core import presenters
from casefile.core.prepared import prepared
from casefile.people.models import Person

ANALYSIS_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class Entry:
    """One row of the chronology: the event, and the worker's note on it if there is one."""

    event: ChronologyEvent
    note: cw.ChronologyNote | None = None

    @property
    def significant(self) -> bool:
        if self.note is not None and self.note.significant is not None:
            return self.note.significant
        return self.event.significant

    @property
    def significance_changed(self) -> bool:
        """A worker changed whether this event is significant from its type's default."""
        return self.significant != self.event.significant

    @property
    def analysis(self) -> str:
        return self.note.analysis if self.note is not None else ""

    @property
    def analysis_paragraphs(self) -> list[str]:
        return [part.strip() for part in re.split(r"\n\s*\n", self.analysis) if part.strip()]


@prepared
def _notes(child_id: int):
    return cw.ChronologyNote.objects.filter(child_id=child_id).select_related("updated_by")


def entries(person: Person) -> list[Entry]:
    """The chronology with each event's note: one query per provider, and one for the notes."""
    notes = {note.event_key: note for note in _notes(person.pk)}
    return [Entry(event, notes.get(event.key)) for event in chronology(person)]


def entries_shown_to(user, person: Person) -> list[Entry]:
    """The entries the user is shown (the page, the print view and the PDF): all of them, but to a partner agency
    only the event types its share names (access/policy.py), a decision only when it may be shared with the family
    and in the family's words, and no link to a page not shared with it. No more queries than entries()."""
    rows = entries(person)
    share = policy.chronology_share(user, person)
    if share is None:
        return rows
    return [Entry(_as_shared(entry.event, share), entry.note) for entry in rows
            if entry.event.type in share.types and entry.event.shareable]


def _as_shared(event: ChronologyEvent, share: policy.ChronologyShare) -> ChronologyEvent:
    url = event.url
    if url:
        try:
            page = resolve(urlsplit(url).path).view_name
        except Resolver404:  # served under a prefix the resolver does not know: no link rather than a wrong one
            page = ""
        url = url if share.may_follow(page) else ""
    description = event.description if event.shared_description is None else event.shared_description
    return dataclasses.replace(event, url=url, description=description)


def find_entry(person: Person, event_key: str) -> Entry | None:
    if not event_key:
        return None
    return next((entry for entry in entries(person) if entry.event.key == event_key), None)


@dataclass(frozen=True)
class Filters:
    """Which events to show. Empty types means every type."""

    types: frozenset[str] = field(default_factory=frozenset)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    significant_only: bool = False

    @property
    def active(self) -> bool:
        return bool(self.types or self.date_from or self.date_to or self.significant_only)

    def keep(self, entry: Entry) -> bool:
        day = entry.event.date
        return ((not self.types or entry.event.type in self.types)
                and (self.date_from is None or day >= self.date_from)
                and (self.date_to is None or day <= self.date_to)
                and (not self.significant_only or entry.significant))

    def apply(self, rows: Iterable[Entry]) -> list[Entry]:
        return [entry for entry in rows if self.keep(entry)]

    def describe(self) -> list[str]:
        """The filters in words, for the page and the exported file."""
        words = []
        if self.types:
            words.append("Types: " + ", ".join(label for key, label in EVENT_TYPES.items() if key in self.types))
        if self.date_from:
            words.append(f"From {presenters.govuk_date(self.date_from)}")
        if self.date_to:
            words.append(f"Up to {presenters.govuk_date(self.date_to)}")
        if self.significant_only:
            words.append("Significant events only")
        return words

    def as_details(self) -> dict:
        """The filters for an audit event."""
        return {"types": sorted(self.types), "date_from": self.date_from, "date_to": self.date_to,
                "significant_only": self.significant_only}


def save_note(*, actor, request=None, child: Person, event_key: str, significant: bool,
              analysis: str) -> cw.ChronologyNote:
    """Record whether an event is significant, and the worker's analysis of it.

    `significant` is the worker's answer. It is kept as an override only when it differs from the event
    type's default, so an event that follows the default keeps following it if the record changes.
    """
    if not policy.can_edit(actor, child):
        raise PermissionDenied("Only people who may change this record can add analysis to its chronology")
    entry = find_entry(child, event_key)
    analysis = (analysis or "").strip()
    errors: dict[str, list[str]] = {}
    if entry is None:
        errors["event_key"] = ["Choose an event from this chronology"]
    if significant not in (True, False):
        errors["significant"] = ["Select yes if this is a significant event"]
    if len(analysis) > ANALYSIS_MAX_LENGTH:
        errors["analysis"] = [f"Analysis must be {ANALYSIS_MAX_LENGTH:,} characters or fewer"]
    if errors:
        raise ValidationError(errors)
    override = None if significant == entry.event.significant else significant
    note = entry.note
    if note is not None and (note.significant, note.analysis) == (override, analysis):
        return note  # nothing changed: nothing to write
    with transaction.atomic():
        created = note is None
        if created:
            note = cw.ChronologyNote(child=child, event_key=event_key)
        analysis_changed = note.analysis != analysis
        note.significant, note.analysis = override, analysis
        note.updated_by, note.updated_at = actor, timezone.now()
        note._history_user = actor
        note.save()
        record(Action.CREATE if created else Action.UPDATE, actor=actor, request=request, subject=note,
               child=child, details={"event_key": event_key, "significant": significant,
                                     "significance_changed": override is not None,
                                     "analysis_changed": analysis_changed})
    return note
