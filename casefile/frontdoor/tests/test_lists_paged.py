"""Long lists are paged with a count, never cut off silently."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.frontdoor.models import ImportBatch

BATCHES = reverse("frontdoor:police_batches")


def _files(org, how_many: int) -> None:
    start = timezone.now() - datetime.timedelta(days=how_many)
    ImportBatch.objects.bulk_create(
        ImportBatch(content_hash=f"{number:064d}", filename=f"police-{number:03d}.csv", uploaded_by=org.fran,
                    uploaded_at=start + datetime.timedelta(days=number), incident_count=2, person_count=5)
        for number in range(how_many))


def test_the_police_file_list_says_how_many_and_pages_through_all_of_them(client, org):
    _files(org, 172)
    client.force_login(org.fran)
    first = client.get(BATCHES).content.decode()
    assert "Showing 1 to 50 of 172 files" in first
    assert first.count('.csv</a>') == 50
    assert "police-171.csv" in first and "police-121.csv" not in first  # latest first
    assert 'class="govuk-pagination' in first and 'href="?page=4"' in first and 'href="?page=2"' in first
    last = client.get(BATCHES, {"page": 4}).content.decode()
    assert "Showing 151 to 172 of 172 files" in last and "police-000.csv" in last
    assert 'aria-current="page"' in last


def test_one_page_of_files_has_a_count_and_no_page_links(client, org):
    _files(org, 3)
    client.force_login(org.fran)
    page = client.get(BATCHES).content.decode()
    assert "Showing 3 files" in page and 'class="govuk-pagination' not in page


def test_the_file_list_takes_the_same_queries_for_one_page_or_four(client, org):
    client.force_login(org.fran)
    _files(org, 10)
    with CaptureQueriesContext(connection) as few:
        client.get(BATCHES)
    ImportBatch.objects.all().delete()
    _files(org, 190)
    with CaptureQueriesContext(connection) as many:
        client.get(BATCHES)
    assert len(few) == len(many)
