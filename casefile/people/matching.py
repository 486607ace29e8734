"""Finding possible duplicates in the database; the scoring and the reasons are in casefile.rules.matching.

Candidates come from indexed blocks only (same date of birth, same NHS number, same surname sound, same
postcode), never from reading every record. A restricted record is never a candidate unless the user is named
on it (policy.matchable_people), so nothing reveals that one exists. Of the rest, only the records the user may
open are shown; that others exist is said without saying how many or anything about them, with whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from casefile.access import policy
from casefile.access.throttle import count_lookup
from casefile.people.models import Address, Alias, Person
from casefile.rules import matching, names

# Enough to cover a busy date of birth in a large authority, while keeping the check quick.
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class PossibleDuplicate:
    person: Person
    match: matching.Match

    def as_record(self, *, shown: bool) -> dict:
        """What a MatchDecision keeps about this candidate."""
        return {"id": self.person.pk, "score": self.match.score, "reasons": self.match.reasons, "shown": shown}


@dataclass(frozen=True)
class Duplicates:
    """Likely matches: `shown` the user may open; `hidden` they may not, and must never see anything of."""

    shown: list[PossibleDuplicate]
    hidden: list[PossibleDuplicate]

    @property
    def hidden_count(self) -> int:
        return len(self.hidden)

    def __bool__(self) -> bool:
        return bool(self.shown or self.hidden)

    def all_records(self) -> list[dict]:
        """Every candidate, for the decision record; which were hidden from the user is kept too."""
        return [d.as_record(shown=True) for d in self.shown] + [d.as_record(shown=False) for d in self.hidden]


def with_matching_details(queryset: QuerySet) -> QuerySet:
    """The rows facts_for_person reads, loaded in two extra queries whatever the number of people."""
    return queryset.prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("pk")),
        Prefetch("addresses", queryset=Address.objects.order_by("pk")),
    )


def facts_for_person(person: Person) -> matching.PersonFacts:
    """What matching compares, from a saved record (with its aliases and addresses prefetched)."""
    person_names = [matching.Name(person.first_name, person.last_name)]
    if person.known_as:
        person_names.append(matching.Name(person.known_as, person.last_name, "known as"))
    for alias in person.aliases.all():
        # A previous surname alone still goes with their first name, and a nickname with their surname.
        person_names.append(matching.Name(alias.first_name or person.first_name, alias.last_name or person.last_name,
                                          alias.get_kind_display().lower()))
    return matching.PersonFacts(
        names=tuple(person_names),
        date_of_birth=person.date_of_birth,
        expected_date_of_birth=person.expected_date_of_birth,
        nhs_number=person.nhs_number,
        postcodes=frozenset(address.postcode for address in person.addresses.all()),
        sex=person.sex,
    )


def facts_for_entry(values: dict) -> matching.PersonFacts:
    """What matching compares, from the cleaned values of a new person (see services.validate_new_person)."""
    entered_names = [matching.Name(values["first_name"], values["last_name"])]
    if values.get("known_as"):
        entered_names.append(matching.Name(values["known_as"], values["last_name"], "known as"))
    address = values.get("address") or {}
    return matching.PersonFacts(
        names=tuple(entered_names),
        date_of_birth=values.get("date_of_birth"),
        expected_date_of_birth=values.get("expected_date_of_birth"),
        nhs_number=values.get("nhs_number") or "",
        postcodes=frozenset([address["postcode"]]) if address.get("postcode") else frozenset(),
        sex=values.get("sex") or "",
    )


def blocking_filter(facts: matching.PersonFacts) -> Q:
    """Records sharing at least one indexed detail with these facts."""
    blocks = Q(pk__in=[])
    if facts.date_of_birth:
        blocks |= Q(date_of_birth=facts.date_of_birth)
    if facts.expected_date_of_birth:
        blocks |= Q(expected_date_of_birth=facts.expected_date_of_birth)
    if facts.nhs_number:
        blocks |= Q(nhs_number=facts.nhs_number)
    keys = {names.phonetic_key(name.last) for name in facts.names if names.normalise(name.last)}
    if keys:
        blocks |= Q(last_name_key__in=keys)
        blocks |= Q(pk__in=Alias.objects.filter(last_name_key__in=keys).values("person_id"))
    if facts.postcodes:
        blocks |= Q(pk__in=Address.objects.filter(postcode__in=facts.postcodes).values("person_id"))
    return blocks


def candidates(facts: matching.PersonFacts) -> QuerySet:
    """Unmerged records in the same blocks as these facts, ready for scoring."""
    queryset = Person.objects.filter(blocking_filter(facts), merged_into__isnull=True).order_by("pk")
    return with_matching_details(queryset)


def possible_duplicates(user, facts: matching.PersonFacts, request=None) -> Duplicates:
    """Likely matches for a new person: the ones this user may open, and the rest they must not see. Each check
    counts against the user's limit of lookups a minute (access/throttle.py)."""
    count_lookup(user, request)
    found = list(policy.matchable_people(user, candidates(facts))[:MAX_CANDIDATES])
    likely = matching.likely_matches(facts, ((person, facts_for_person(person)) for person in found))
    if not likely:
        return Duplicates(shown=[], hidden=[])
    viewable_ids = set(
        policy.viewable_people(user, Person.objects.filter(pk__in=[person.pk for person, _ in likely]))
        .values_list("pk", flat=True)
    )
    duplicates = [PossibleDuplicate(person, match) for person, match in likely]
    return Duplicates(shown=[d for d in duplicates if d.person.pk in viewable_ids],
                      hidden=[d for d in duplicates if d.person.pk not in viewable_ids])
