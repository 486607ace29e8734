"""What the listing reads from the record: the kinds a file is, its dates, merged records, and the authority's
schedule from settings."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from casefile import testing
from casefile.casework.models import CaseNote, EarlyHelpTransfer, Episode
from casefile.frontdoor.models import ContactChild
from casefile.frontdoor.testing import make_contact
from casefile.people.models import Person
from casefile.retention import schedule
from casefile.rules import codes

TODAY = datetime.date(2130, 1, 1)


def closed_episode(child, org, closed_on, reason="RC7"):
    return Episode.objects.create(child=child, referral_date=closed_on - datetime.timedelta(days=60),
                                  referral_source="2A", closure_date=closed_on, closure_reason=reason,
                                  recorded_by=org.sam)


def concluded_contact(child, org, on: datetime.date):
    contact = make_contact(child, by=org.fran)
    ContactChild.objects.filter(contact=contact).update(
        concluded_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=ZoneInfo("Europe/London")))


def verdict_of(person, today=TODAY):
    found = schedule.listing(today)
    return {f.person.pk: f for f in found.due + found.held}[person.pk]


def test_the_adopted_closure_code_is_the_censuss():
    assert codes.REASON_FOR_CLOSURE[schedule.ADOPTED] == "Adopted"


def test_a_file_closed_as_adopted_is_kept_100_years_from_the_closure(org):
    child = testing.make_child(date_of_birth=datetime.date(2008, 6, 1))
    closed_episode(child, org, datetime.date(2010, 5, 1), reason=schedule.ADOPTED)
    file = verdict_of(child)
    assert (file.verdict.kind, file.verdict.dispose_on) == ("adoption", datetime.date(2110, 5, 1))


def test_a_record_restricted_as_an_adoption_with_no_order_date_is_held(org):
    child = testing.make_child(restriction=Person.Restriction.ADOPTION)
    closed_episode(child, org, datetime.date(2019, 5, 1))
    assert verdict_of(child).verdict.held_because == "adoption: no adoption order date is recorded"


def test_a_child_known_only_from_contacts_is_due_6_years_after_the_last(org):
    child = testing.make_child(date_of_birth=datetime.date(2010, 1, 1))
    concluded_contact(child, org, datetime.date(2015, 3, 2))
    concluded_contact(child, org, datetime.date(2017, 8, 9))
    file = verdict_of(child)
    assert (file.verdict.kind, file.verdict.dispose_on) == ("contact_only", datetime.date(2023, 8, 9))
    assert file in schedule.listing(datetime.date(2023, 8, 9)).due
    assert file.person.pk not in [f.person.pk for f in schedule.listing(datetime.date(2023, 8, 8)).due]


def test_a_merged_records_work_counts_for_the_file_it_was_merged_into(org):
    kept = testing.make_child(date_of_birth=datetime.date(2000, 1, 1))
    closed_episode(kept, org, datetime.date(2005, 1, 1))
    merged = testing.make_child(date_of_birth=datetime.date(2000, 1, 1), merged_into=kept)
    Episode.objects.create(child=merged, referral_date=datetime.date(2006, 1, 1), referral_source="2A",
                           recorded_by=org.sam)
    file = verdict_of(kept)
    assert file.merged_ids == [merged.pk]
    assert file.verdict.held_because == "work on the file is still open"
    found = schedule.listing(TODAY)
    assert merged.pk not in [f.person.pk for f in found.due + found.held]


def test_a_note_or_step_to_early_help_after_closure_restarts_the_period(org):
    child = testing.make_child(date_of_birth=datetime.date(1990, 1, 1))
    closed_episode(child, org, datetime.date(2010, 1, 1))
    assert verdict_of(child).verdict.dispose_on == datetime.date(2013, 1, 1)
    EarlyHelpTransfer.objects.create(child=child, direction=EarlyHelpTransfer.Direction.STEP_DOWN,
                                     date=datetime.date(2011, 6, 1), reason="Goals met",
                                     early_help_provider="Family Hub North", recorded_by=org.sam)
    assert verdict_of(child).verdict.dispose_on == datetime.date(2014, 6, 1)
    CaseNote.objects.create(child=child, date=datetime.date(2012, 2, 3), subject="Letter", body="Records request",
                            recorded_by=org.sam)
    assert verdict_of(child).verdict.dispose_on == datetime.date(2015, 2, 3)


def test_an_adult_is_not_listed(org):
    adult = testing.make_adult()
    found = schedule.listing(TODAY)
    assert adult.pk not in [f.person.pk for f in found.due + found.held]


def test_the_listing_costs_the_same_queries_for_one_child_or_many(org):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            schedule.listing(TODAY)
        return len(captured)

    closed_episode(testing.make_child(), org, datetime.date(2010, 1, 1))
    one = queries()
    for n in range(5):
        closed_episode(testing.make_child(f"Child{n}"), org, datetime.date(2011, 1, 1))
    assert queries() == one


@override_settings(CASEFILE_RETENTION={"child_in_need": {"until_birthday": 25, "source": "Borough policy 4.2"}})
def test_the_authoritys_schedule_comes_from_settings(org):
    child = testing.make_child(date_of_birth=datetime.date(2000, 1, 1))
    closed_episode(child, org, datetime.date(2005, 1, 1))
    file = verdict_of(child)
    assert file.verdict.dispose_on == datetime.date(2025, 1, 2)
    assert file.verdict.rule.source == "Borough policy 4.2"


@override_settings(CASEFILE_RETENTION={"adoption": {"years_after": 75, "source": "Old policy"}})
def test_a_schedule_shorter_than_the_law_stops_the_service_with_the_reason():
    with pytest.raises(ImproperlyConfigured, match="CASEFILE_RETENTION: adoption.years_after: the law sets at least"):
        schedule.current_schedule()
