"""Finding people by name, date of birth, NHS number or postcode, among the records the user may see.

The database narrows by indexed columns (surname sound key, date of birth, NHS number, postcode) and the
access policy; casefile.rules.matching then decides whether each record answers the name and says why.
Every search is audited with what was searched for, never with what was found, and counts against the user's
limit of lookups a minute (access/throttle.py).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import In

from casefile.access import policy
from casefile.access.throttle import count_lookup
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.people.matching import facts_for_person, with_matching_details
from casefile.people.models import Address, Alias, Person
from casefile.rules import matching, names

RESULTS_LIMIT = 50
# The database filter on first names is loose (any name with the same initial); the rules then decide.
FETCH_LIMIT = RESULTS_LIMIT * 4
# Past this many people answering the criteria, the access filter runs in the search's own query instead.
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Criteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    postcode: str = ""

    def __bool__(self) -> bool:
        return bool(self.name.strip() or self.date_of_birth or self.nhs_number or self.postcode)

    def for_audit(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value}


@dataclass
class Result:
    person: Person
    reasons: list[str] = field(default_factory=list)

    @property
    def current_postcode(self) -> str:
        current = [address for address in self.person.addresses.all() if address.end_date is None]
        return current[0].postcode if current else ""


@dataclass
class Found:
    results: list[Result]
    more: bool  # there were more answers than are shown


def _variant_of(word: str, *fields: str) -> Q:
    """Any of the fields holds a known variant of the word (Bill finds William, Will and Billy)."""
    condition = Q(pk__in=[])
    for variant in names.variants(word):
        for name in fields:
            condition |= Q(**{f"{name}__iexact": variant})
    return condition


def _first_name_filter(first: str, among: set[int]) -> Q:
    """A first name, known-as name or alias first name that is a variant of `first` or has its initial, among the
    people `among` (the aliases are read by person, not all of them)."""
    initial = names.normalise(first)[:1]
    on_person = _variant_of(first, "first_name", "known_as") | Q(first_name__istartswith=initial) | Q(
        known_as__istartswith=initial
    )
    on_alias = _variant_of(first, "first_name") | Q(first_name__istartswith=initial)
    return on_person | Q(pk__in=Alias.objects.filter(on_alias, person_id__in=among).values("person_id"))


def _named(text: str) -> set[int]:
    """Ids of the people the name may be: surname (theirs or an alias's) by its sound key and, for one word, a first
    or known-as name (theirs or an alias's) that is a variant of it. Two queries, each by an index: as one condition
    with the aliases' subqueries among its alternatives, the database read every person on every search."""
    first, last = names.split_full_name(text)
    if not names.normalise(last):
        return set()
    key = names.phonetic_key(last)
    on_person, on_alias = Q(last_name_key=key), Q(last_name_key=key)
    if not first:
        variants = sorted(names.variants(last))
        on_person |= Q(In(Lower("first_name"), variants)) | Q(In(Lower("known_as"), variants))
        on_alias |= Q(In(Lower("first_name"), variants))
    return (set(Person.objects.filter(on_person).values_list("pk", flat=True))
            | set(Alias.objects.filter(on_alias).values_list("person_id", flat=True)))


def _name_filter(text: str) -> Q:
    """People the name may be: the rules then decide (see _reasons)."""
    first, _ = names.split_full_name(text)
    named = _named(text)
    return Q(pk__in=named) & _first_name_filter(first, named) if first else Q(pk__in=named)


def _reasons(person: Person, criteria: Criteria, facts: matching.PersonFacts) -> list[str]:
    reasons: list[str] = []
    if criteria.name:
        first, last = names.split_full_name(criteria.name)
        name_reasons = matching.name_search_reasons(first, last, facts)
        if not name_reasons:
            return []
        reasons += name_reasons
    if criteria.date_of_birth:
        reasons.append("same date of birth" if person.date_of_birth == criteria.date_of_birth
                       else "same expected date of birth")
    if criteria.nhs_number:
        reasons.append("same NHS number")
    if criteria.postcode:
        at_postcode = [address for address in person.addresses.all() if address.postcode == criteria.postcode]
        current = any(address.end_date is None for address in at_postcode)
        reasons.append(f"{'current' if current else 'previous'} address in {criteria.postcode}")
    return reasons


def search_people(*, actor, request=None, criteria: Criteria, limit: int = RESULTS_LIMIT) -> Found:
    """People this user may see who answer every criterion given, with why each answered. The audit event
    names the criteria and the people shown."""
    count_lookup(actor, request)
    found = _search(actor, criteria, limit)
    record(Action.SEARCH, actor=actor, request=request, details={
        "criteria": criteria.for_audit(), "shown": [result.person.pk for result in found.results]})
    return found


def _search(actor, criteria: Criteria, limit: int) -> Found:
    if not criteria:
        return Found(results=[], more=False)
    queryset = Person.objects.filter(merged_into__isnull=True)
    if criteria.name.strip():
        queryset = queryset.filter(_name_filter(criteria.name))
    if criteria.date_of_birth:
        queryset = queryset.filter(Q(date_of_birth=criteria.date_of_birth)
                                   | Q(expected_date_of_birth=criteria.date_of_birth))
    if criteria.nhs_number:
        queryset = queryset.filter(nhs_number=criteria.nhs_number)
    if criteria.postcode:
        queryset = queryset.filter(pk__in=Address.objects.filter(postcode=criteria.postcode).values("person_id"))
    # The access filter asked about the candidates' ids (policy.viewable_ids), unless they are very many.
    candidates = list(queryset.values_list("pk", flat=True)[:MAX_CANDIDATES + 1])
    if len(candidates) > MAX_CANDIDATES:
        queryset = policy.viewable_people(actor, queryset)
    else:
        queryset = Person.objects.filter(pk__in=policy.viewable_ids(actor, candidates))
    queryset = with_matching_details(queryset).order_by("last_name", "first_name", "date_of_birth", "pk")
    fetched = list(queryset[:FETCH_LIMIT])
    results = []
    for person in fetched:
        reasons = _reasons(person, criteria, facts_for_person(person))
        if reasons:
            results.append(Result(person=person, reasons=reasons))
    return Found(results=results[:limit], more=len(results) > limit or len(fetched) == FETCH_LIMIT)
