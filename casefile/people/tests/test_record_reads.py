"""The record page's reads (people/record.py) give what prefetch_related gave, in fewer built queries."""

import datetime

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from casefile import testing
from casefile.people.models import (
    Address,
    Alias,
    Disability,
    Household,
    HouseholdMember,
    Merge,
    Person,
    Relationship,
)
from casefile.people.record import load_record

PREFETCHES = (  # what the record page prefetched before
    "aliases", "addresses", "disabilities",
    Prefetch("relationships_from", queryset=Relationship.objects.select_related("relative").order_by("pk")),
    Prefetch("relationships_to", queryset=Relationship.objects.select_related("person").order_by("pk")),
    Prefetch("household_memberships", queryset=HouseholdMember.objects.select_related("household").order_by("pk")
             .prefetch_related(Prefetch("household__members",
                                        queryset=HouseholdMember.objects.select_related("person").order_by("pk")))),
    Prefetch("merges_kept", to_attr="open_merges",
             queryset=Merge.objects.filter(reversed_at__isnull=True).select_related("merged", "merged_by")),
)


def _everything(person: Person) -> dict:
    return {
        "aliases": [(a.pk, a.first_name, a.person_id) for a in person.aliases.all()],
        "addresses": [(a.pk, a.postcode, a.end_date) for a in person.addresses.all()],
        "disabilities": [(d.pk, d.code) for d in person.disabilities.all()],
        "from": [(r.pk, r.kind, r.relative.first_name) for r in person.relationships_from.all()],
        "to": [(r.pk, r.kind, r.person.first_name) for r in person.relationships_to.all()],
        "households": [(m.household.pk, [(o.person.first_name, o.person_id) for o in m.household.members.all()])
                       for m in person.household_memberships.all()],
        "merges": [(m.pk, m.merged.first_name, m.merged_by.username) for m in person.open_merges],
        "back": [a.person is person for a in person.aliases.all()],
    }


def test_the_record_reads_what_the_prefetches_read_with_no_query_after(org):
    child = testing.make_child("Lily", "Hart")
    mother, brother = testing.make_adult("Gemma", "Hart"), testing.make_child("Sam", "Hart")
    Alias.objects.create(person=child, kind="previous", first_name="Lilly", last_name="Harte")
    for start, end in ((datetime.date(2020, 1, 1), datetime.date(2022, 1, 1)), (datetime.date(2022, 1, 2), None)):
        Address.objects.create(person=child, line_1="1 High Street", town="Town", postcode="AB1 2CD",
                               start_date=start, end_date=end)
    Disability.objects.create(person=child, code="HAND")
    Relationship.objects.create(person=mother, relative=child, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=child, relative=brother, kind=Relationship.Kind.SIBLING)
    home = Household.objects.create()
    for someone in (child, mother, brother):
        HouseholdMember.objects.create(household=home, person=someone, start_date=datetime.date(2022, 1, 2))
    merged = testing.make_child("Lilly", "Hart")
    Merge.objects.create(kept=child, merged=merged, reason="The same child", merged_by=org.tess)

    expected = Person.objects.get(pk=child.pk)
    prefetch_related_objects([expected], *PREFETCHES)
    loaded = Person.objects.get(pk=child.pk)
    load_record(loaded)
    with CaptureQueriesContext(connection) as after:
        answer = _everything(loaded)
    assert answer == _everything(expected)
    assert answer["aliases"] and answer["households"][0][1] and answer["merges"] and all(answer["back"])
    assert len(after) == 0


def test_a_person_with_nothing_on_their_record_reads_seven_queries_and_nothing_after(org):
    child = testing.make_child("Ada", "Lone")
    with CaptureQueriesContext(connection) as reading:
        load_record(child)
    with CaptureQueriesContext(connection) as after:
        assert _everything(child)["households"] == []
    assert (len(reading), len(after)) == (7, 0)
