"""Which children's records are due for disposal today: the facts the rules need, read in a fixed number of
queries whatever the size of the authority, and the verdict of rules/retention.py on each.

A child's file is the child's own record and every record merged into it. The kinds it is come from what was
recorded: any referral makes it child in need; a section 47 enquiry, a child protection conference or plan makes
it child protection; an episode closed as adopted (census code RC1) or a record restricted as an adoption makes it
adoption, counted from that closure (the adoption order's date). Casefile does not record who is looked after
yet, so no file is that kind (rules/retention.py).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from casefile.casework.models import CaseNote, Conference, EarlyHelpTransfer, Episode, Plan, Section47Enquiry
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Person
from casefile.retention.models import DisposedRecord
from casefile.rules import retention
from casefile.rules.retention import Facts, Rule, Verdict

ADOPTED = "RC1"  # census reason for closure: adopted (rules/codes.py REASON_FOR_CLOSURE)


def current_schedule() -> Mapping[str, Rule]:
    """The defaults with the authority's CASEFILE_RETENTION changes; a mistake there stops the service starting."""
    try:
        return retention.schedule_from(settings.CASEFILE_RETENTION)
    except ValueError as error:
        raise ImproperlyConfigured(f"CASEFILE_RETENTION: {error}") from None


@dataclass
class File:
    """One child's file: the record kept and the records merged into it."""

    person: Person
    merged_ids: list[int] = field(default_factory=list)
    facts: Facts | None = None
    verdict: Verdict | None = None

    @property
    def ids(self) -> list[int]:
        return [self.person.pk, *self.merged_ids]


@dataclass
class Listing:
    as_of: datetime.date
    due: list[File]
    held: list[File]

    @property
    def fingerprint(self) -> str:
        """Of exactly what is due, so an approval is of the list that was shown and nothing else."""
        lines = sorted(f"{f.person.pk}:{','.join(map(str, f.merged_ids))}:{f.verdict.kind}:{f.verdict.dispose_on}"
                       for f in self.due)
        return hashlib.sha256(f"{self.as_of}\n{chr(10).join(lines)}".encode()).hexdigest()


def listing(today: datetime.date | None = None, schedule: Mapping[str, Rule] | None = None) -> Listing:
    today = today or timezone.localdate()
    schedule = schedule or current_schedule()
    files = _files()
    for file in files.values():
        file.verdict = retention.assess(file.facts, schedule)
    due = [f for f in files.values() if f.verdict.is_due(today)]
    held = [f for f in files.values() if f.verdict.held_because]
    return Listing(today, sorted(due, key=lambda f: f.person.pk), sorted(held, key=lambda f: f.person.pk))


def _files() -> dict[int, File]:
    disposed = DisposedRecord.objects.values_list("record_id", flat=True)
    people = Person.objects.filter(kind=Person.Kind.CHILD).exclude(pk__in=disposed).only(
        "pk", "date_of_birth", "date_of_death", "restriction", "merged_into", "created_at")
    root = _roots({p.pk: p.merged_into_id for p in people})
    files = {p.pk: File(p) for p in people if p.merged_into_id is None}
    members: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        if root[person.pk] in files:
            members[root[person.pk]].append(person)
            if person.pk != root[person.pk]:
                files[root[person.pk]].merged_ids.append(person.pk)
    activity = _activity(root)
    for pk, file in files.items():
        file.merged_ids.sort()
        file.facts = _facts(file.person, members[pk], activity.get(pk, _Activity()))
    return files


def _roots(merged_into: dict[int, int | None]) -> dict[int, int]:
    """Each record's file: the record it was merged into, followed to the end of the chain."""
    def root(pk: int) -> int:
        seen = set()
        while merged_into.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = merged_into[pk]
        return pk
    return {pk: root(pk) for pk in merged_into}


@dataclass
class _Activity:
    open: bool = False
    dates: list[datetime.date] = field(default_factory=list)
    child_in_need: bool = False
    child_protection: bool = False
    adoption_orders: list[datetime.date] = field(default_factory=list)


def _activity(root: dict[int, int]) -> dict[int, _Activity]:
    found: dict[int, _Activity] = defaultdict(_Activity)

    def of(person_id: int) -> _Activity | None:
        return found[root[person_id]] if person_id in root else None

    for child_id, closed_on, reason in Episode.objects.values_list("child_id", "closure_date", "closure_reason"):
        if (record := of(child_id)) is not None:
            record.child_in_need = True
            record.open |= closed_on is None
            if closed_on is not None:
                record.dates.append(closed_on)
                if reason == ADOPTED:
                    record.adoption_orders.append(closed_on)
    for child_id in _child_protection_ids():
        if (record := of(child_id)) is not None:
            record.child_protection = True
    for child_id, concluded_at in ContactChild.objects.values_list("child_id", "concluded_at"):
        if (record := of(child_id)) is not None:
            record.open |= concluded_at is None
            if concluded_at is not None:
                record.dates.append(timezone.localdate(concluded_at))
    # A note or a step to early help after closure is involvement too: the period runs from the last thing done.
    for model in (CaseNote, EarlyHelpTransfer):
        for child_id, day in model.objects.values_list("child_id", "date"):
            if (record := of(child_id)) is not None:
                record.dates.append(day)
    return found


def _child_protection_ids() -> Iterable[int]:
    yield from Section47Enquiry.objects.values_list("episode__child_id", flat=True)
    yield from Conference.objects.values_list("child_id", flat=True)
    yield from Plan.objects.filter(kind=Plan.Kind.CHILD_PROTECTION).values_list("child_id", flat=True)


def _facts(person: Person, members: list[Person], activity: _Activity) -> Facts:
    created = [timezone.localdate(m.created_at) for m in members]
    return Facts(
        date_of_birth=person.date_of_birth,
        date_of_death=person.date_of_death,
        has_open_work=activity.open,
        last_involvement=max(activity.dates or created),
        adopted=bool(activity.adoption_orders) or any(m.restriction == Person.Restriction.ADOPTION for m in members),
        adoption_order_on=max(activity.adoption_orders, default=None),
        child_protection=activity.child_protection,
        child_in_need=activity.child_in_need,
    )
