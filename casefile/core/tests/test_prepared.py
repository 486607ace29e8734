"""A prepared query answers what its queryset would, builds the queryset once per shape, and counts as one query."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, F

from casefile import testing
from casefile.casework.models import Allocation
from casefile.core import prepared as prepared_module
from casefile.core.prepared import driver_rows, id_list, prepared, prepared_rows
from casefile.people.models import Person

pytestmark = pytest.mark.django_db

built: list[tuple] = []


def _allocations_query(ids):
    built.append(tuple(ids))
    return (Allocation.objects.order_by("pk").filter(child_id__in=ids).select_related("worker__team", "team")
            .annotate(worker_name=F("worker__username")))


allocations = prepared(_allocations_query)


@prepared
def _names(person_id):
    return Person.objects.filter(pk=person_id).values_list("first_name", "last_name")


@prepared
def _ids(ids):
    return Person.objects.filter(pk__in=ids).order_by("-pk").values_list("pk", flat=True)


@prepared
def _with_prefetch(ids):
    return Person.objects.filter(pk__in=ids).prefetch_related("addresses")


@prepared
def _counted(ids):
    return Person.objects.filter(pk__in=ids).annotate(allocated=Count("allocations")).order_by("pk")


@prepared
def _started_since(ids, since):
    return Allocation.objects.filter(child_id__in=ids, start_date__gte=since).values_list("child_id", named=True)


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_rows_are_what_the_queryset_gives_related_objects_and_annotations_included(org, child):
    other = testing.make_child(first_name="Ada")
    testing.allocate(other, org.ola, allocated_by=org.tess)
    ids = [child.pk, other.pk]
    expected = list(_allocations_query(ids))
    found = allocations(ids)
    assert [_fields(row) for row in found] == [_fields(row) for row in expected]
    again = allocations(ids)  # with the converters worked out by the first call, dates are still dates
    assert [_fields(row) for row in again] == [_fields(row) for row in expected]
    assert isinstance(again[0].start_date, datetime.date)
    assert [(row.worker.username, row.worker.team.name, row.team.name, row.worker_name) for row in found] == [
        (row.worker.username, row.worker.team.name, row.team.name, row.worker_name) for row in expected]
    assert _names(child.pk) == [(child.first_name, child.last_name)]
    assert _ids(ids) == sorted(ids, reverse=True)
    assert [(p.pk, p.allocated) for p in _counted(ids)] == [(child.pk, 1), (other.pk, 1)]


def test_the_queryset_is_built_once_per_shape_and_each_call_is_one_query(org, child, django_assert_num_queries):
    other = testing.make_child(first_name="Ada")
    built.clear()
    allocations.kept.clear()
    allocations([child.pk])
    with django_assert_num_queries(1):
        assert [row.child_id for row in allocations([other.pk])] == []
    with django_assert_num_queries(1):
        assert [row.child_id for row in allocations([child.pk, child.pk])] == [child.pk]  # repeated ids: once
    assert len(built) == 1  # stand-in ids, once: the calls after ran the kept SQL
    allocations([child.pk, other.pk])
    assert len(built) == 2  # a list of another length is another shape
    assert all(kept is not None for kept in allocations.kept.values())


def test_a_queryset_it_cannot_keep_is_built_each_time(org, child):
    assert [person.pk for person in _with_prefetch([child.pk])] == [child.pk]
    assert list(_with_prefetch.kept.values()) == [None]
    assert allocations([]) == []


def test_a_date_is_a_parameter_too(org, child):
    start = Allocation.objects.get(child=child).start_date
    assert [row.child_id for row in _started_since([child.pk], start)] == [child.pk]
    assert _started_since([child.pk], start + datetime.timedelta(days=1)) == []
    assert list(_started_since.kept.values())[0] is not None


def test_an_id_no_column_can_hold_finds_nothing_as_the_queryset_does(org, child):
    assert _names(2**70) == []


def _dates_of_birth_query(ids):
    built.append(("dates", None if ids is None else tuple(ids)))
    people = Person.objects.order_by("pk")
    return (people if ids is None else people.filter(pk__in=ids)).values_list("pk", "date_of_birth")


dates_of_birth = prepared_rows(_dates_of_birth_query)


def test_driver_rows_are_the_querysets_rows_built_once_per_shape_and_none_is_run_in_full(org, child):
    other = testing.make_child("Ben", "Hart")
    built.clear()
    assert dates_of_birth([child.pk]) == driver_rows(_dates_of_birth_query([child.pk]))
    assert dates_of_birth([other.pk]) == [(other.pk, driver_rows(_dates_of_birth_query([other.pk]))[0][1])]
    assert [shape for shape in built if shape[0] == "dates"].count(("dates", (prepared_module.STAND_IN,))) == 1
    everyone = dates_of_birth(None)  # everyone: not a shape it keeps
    assert {row[0] for row in everyone} >= {child.pk, other.pk}
    assert ("dates", None) in built


def _long_list_query(ids):
    built.append(("long", len(ids)))
    return Person.objects.filter(pk__in=id_list(ids)).order_by("pk").values_list("pk", "date_of_birth")


long_list = prepared(_long_list_query)


@prepared
def _long_list_without_id_list(ids):
    return Person.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)


def test_a_long_list_given_to_id_list_is_one_shape_whatever_its_length(org, child, django_assert_num_queries):
    other = testing.make_child("Ben", "Hart")
    built.clear()
    # Ids that exist among ids that do not: more than MAX_IDS of them, of two lengths.
    for missing in (prepared_module.MAX_IDS + 50, prepared_module.MAX_IDS + 99):
        ids = [child.pk, *range(10**9, 10**9 + missing), other.pk]
        expected = list(_long_list_query(ids))
        with django_assert_num_queries(1):
            assert long_list(ids) == expected == [(child.pk, child.date_of_birth), (other.pk, other.date_of_birth)]
    assert long_list([child.pk]) == [(child.pk, child.date_of_birth)]
    # Stand-ins once for every long list (MAX_IDS + 1 of them) and once for one id; the rest are the tests' own.
    assert [entry for entry in built if entry[0] == "long"] == [
        ("long", prepared_module.MAX_IDS + 52), ("long", prepared_module.MAX_IDS + 1),
        ("long", prepared_module.MAX_IDS + 101), ("long", 1)]
    assert all(kept is not None for kept in long_list.kept.values())
    # Not given to id_list, a long list is a parameter per id: run in full, as the queryset would.
    assert _long_list_without_id_list(ids) == sorted([child.pk, other.pk])
    assert list(_long_list_without_id_list.kept.values()) == [None]
