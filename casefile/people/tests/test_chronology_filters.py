"""Filtering the chronology by type, dates and significance, with the filters kept in the export and print links."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from casefile.casework import models as cw
from casefile.casework.chronology import save_note
from casefile.casework.testing import make_journey
from casefile.people.tests.helpers import date_fields


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)


def shown_keys(page: str) -> list[str]:
    """The events in the table, by key: each row's id is "event-" and its key with ":" as "-"."""
    return re.findall(r'<tr class="govuk-table__row" id="event-([\w-]+)">', page)


def chronology(client, child, query: dict):
    response = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}), query)
    assert response.status_code == 200
    page = response.content.decode()
    return shown_keys(page), page


def test_filter_by_type_shows_only_those_events(client, org, child, journey):
    client.force_login(org.sam)
    shown, page = chronology(client, child, {"type": ["visit", "case_note"]})
    assert shown == [f"case-note-{journey.case_note.pk}", f"visit-{journey.visit.pk}"]
    assert "Showing 2 of" in page and "Types: Visits, Case notes" in page


def test_filter_by_dates_includes_both_ends(client, org, child, journey):
    client.force_login(org.sam)
    query = {**date_fields("date_from", journey.conference.date), **date_fields("date_to", journey.visit.date)}
    shown, _ = chronology(client, child, query)
    j = journey
    # From the initial conference (and the plan it started) to the visit, newest first.
    assert shown == [f"visit-{j.visit.pk}", f"core-group-{j.core_group.pk}", f"plan-{j.plan.pk}",
                     f"conference-{j.conference.pk}"]


def test_significant_only_follows_the_workers_choices(client, org, child, journey):
    save_note(actor=org.sam, child=child, event_key=f"visit:{journey.visit.pk}", significant=True, analysis="")
    save_note(actor=org.sam, child=child, event_key=f"referral:{journey.episode.pk}", significant=False,
              analysis="")
    client.force_login(org.sam)
    keys, page = chronology(client, child, {"significant": "true"})
    assert f"visit-{journey.visit.pk}" in keys and f"strategy-{journey.strategy_discussion.pk}" in keys
    assert f"referral-{journey.episode.pk}" not in keys and f"core-group-{journey.core_group.pk}" not in keys
    assert page.count(">Yes</strong>") == len(keys)


def test_date_to_before_date_from_is_refused_with_a_message(client, org, child, journey):
    client.force_login(org.sam)
    query = {**date_fields("date_from", datetime.date(2024, 3, 1)), **date_fields("date_to", datetime.date(2024, 2, 1))}
    response = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}), query)
    page = response.content.decode()
    assert "There is a problem" in page and "Date to must be the same as or after date from" in page
    assert 'href="#id_date_to_day"' in page
    assert "<title>Error:" in page
    assert "Correct the filters" in page and "Export as PDF" not in page


def test_an_impossible_date_is_refused_with_a_message(client, org, child, journey):
    client.force_login(org.sam)
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}),
                      {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2024"}).content.decode()
    assert "Date from must be a real date" in page


def test_the_export_and_print_links_keep_the_filters(client, org, child, journey):
    client.force_login(org.sam)
    _, page = chronology(client, child, {"type": "visit", "significant": "true", "q": "ignored"})
    for name in ("people:chronology_export", "people:chronology_print"):
        url = reverse(name, kwargs={"person_id": child.pk})
        assert f'{url}?type=visit&amp;significant=true"' in page, name


def test_the_print_view_and_export_use_the_filters(client, org, child, journey):
    cw.Visit.objects.create(child=child, episode=journey.episode, kind=cw.Visit.Kind.CHILD_PROTECTION,
                            date=datetime.date(2024, 3, 1), worker=org.sam, child_seen=False, recorded_by=org.sam)
    client.force_login(org.sam)
    page = client.get(reverse("people:chronology_print", kwargs={"person_id": child.pk}),
                      {"type": "visit"}).content.decode()
    assert len(shown_keys(page)) == 2 and "Child protection visit" in page and "Core group" not in page
    assert ">2 of " in page and "Types: Visits" in page
    page = client.get(reverse("people:chronology_export", kwargs={"person_id": child.pk}),
                      {"type": "visit", "significant": "true"}).content.decode()
    assert "You will get a PDF of 1 of " in page


def test_wrong_filters_on_print_or_export_go_back_to_the_chronology(client, org, child, journey):
    client.force_login(org.sam)
    query = {"date_from_day": "99", "date_from_month": "1", "date_from_year": "2024"}
    for name in ("people:chronology_export", "people:chronology_print"):
        response = client.get(reverse(name, kwargs={"person_id": child.pk}), query)
        assert response.status_code == 302
        assert response.url.startswith(reverse("people:chronology", kwargs={"person_id": child.pk}) + "?")
        assert "date_from_day=99" in response.url


def test_no_events_match(client, org, child, journey):
    client.force_login(org.sam)
    shown, page = chronology(client, child, date_fields("date_from", datetime.date(2030, 1, 1)))
    assert shown == [] and "No events match these filters." in page


def test_the_unbound_filter_fields_laid_out_once_read_as_the_bound_ones_do(client, org, child, journey):
    """The unfiltered page shows the filter fields laid out once (people/views.py): the same fields, as HTML."""
    client.force_login(org.sam)
    _, unbound = chronology(client, child, {})
    _, bound = chronology(client, child, {"significant": ""})  # bound, nothing chosen: laid out afresh
    assert "&lt;" not in unbound

    def fields(page: str) -> list[str]:
        form = re.search(r'<form method="get".*?</form>', page, re.DOTALL).group(0)
        return re.findall(r'<(?:input|label|legend)[^>]*>', form)

    assert fields(unbound) == fields(bound)
    assert 'name="type" type="checkbox" value="visit"' in unbound
