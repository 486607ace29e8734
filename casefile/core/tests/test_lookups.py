"""`pk__among`: a filter on any number of ids in one parameter (core/lookups.py), on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefile.people.models import Person
from casefile.testing import make_child

pytestmark = pytest.mark.django_db


def test_among_finds_exactly_the_ids_given_in_one_query_however_many():
    lily, tom, _ = make_child(first_name="Lily"), make_child(first_name="Tom"), make_child(first_name="Ann")
    # More ids than SQLite allows parameters in one query (32,766): sent as one, so no batches are needed.
    ids = [lily.pk, tom.pk, *range(10**9, 10**9 + 40_000)]
    with CaptureQueriesContext(connection) as queries:
        found = set(Person.objects.filter(pk__among=ids).values_list("first_name", flat=True))
    assert found == {"Lily", "Tom"} and len(queries) == 1
    assert not Person.objects.filter(pk__among=[]).exists()


def test_among_takes_whole_numbers_only():
    with pytest.raises(ValueError):
        list(Person.objects.filter(pk__among=["1) OR (1=1"]))
