"""What a person's record page reads about them: names, addresses, disabilities, relationships both ways, their
households with every member, and merges still open. Each read is a prepared query (core/prepared.py), its rows
installed where prefetch_related would put them, so `person.aliases.all()` and the rest need no query: the record
is the page read most, and building these querysets cost it more than running them."""

from __future__ import annotations

from collections import defaultdict

from casefile.core.prepared import install_prefetched, prepared
from casefile.people.models import Address, Alias, Disability, HouseholdMember, Merge, Person, Relationship


@prepared
def _aliases(person_id: int):
    return Alias.objects.filter(person_id=person_id).order_by("pk")


@prepared
def _addresses(person_id: int):
    return Address.objects.filter(person_id=person_id)  # newest first (the model's ordering)


@prepared
def _disabilities(person_id: int):
    return Disability.objects.filter(person_id=person_id).order_by("pk")


@prepared
def _relationships_from(person_id: int):
    return Relationship.objects.filter(person_id=person_id).select_related("relative").order_by("pk")


@prepared
def _relationships_to(person_id: int):
    return Relationship.objects.filter(relative_id=person_id).select_related("person").order_by("pk")


@prepared
def _memberships(person_id: int):
    return HouseholdMember.objects.filter(person_id=person_id).select_related("household").order_by("pk")


@prepared
def _members(household_ids: list[int]):
    return HouseholdMember.objects.filter(household_id__in=household_ids).select_related("person").order_by("pk")


@prepared
def _open_merges(person_id: int):
    return (Merge.objects.filter(kept_id=person_id, reversed_at__isnull=True).select_related("merged", "merged_by")
            .order_by("pk"))


def load_record(person: Person) -> None:
    """Read the record's related rows into `person` (see above): eight queries at most, seven without a
    household."""
    pk = person.pk
    for accessor, read in (("aliases", _aliases), ("addresses", _addresses), ("disabilities", _disabilities),
                           ("relationships_from", _relationships_from), ("relationships_to", _relationships_to)):
        install_prefetched(person, accessor, read(pk))
    memberships = _memberships(pk)
    install_prefetched(person, "household_memberships", memberships)
    members = defaultdict(list)
    for member in _members([membership.household_id for membership in memberships]):
        members[member.household_id].append(member)
    for membership in memberships:
        install_prefetched(membership.household, "members", members[membership.household_id])
    person.open_merges = _open_merges(pk)
