"""The history panel: what was known about each child and the household before this contact."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefile.casework.models import Assessment, Episode, Plan
from casefile.frontdoor.history import history_for
from casefile.frontdoor.models import ImportBatch, NotificationPerson, PoliceNotification
from casefile.frontdoor.testing import make_contact
from casefile.people.models import Household, HouseholdMember
from casefile.testing import make_adult, make_child

TODAY = datetime.date(2025, 6, 15)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def episode(child, referral_date, by, **fields) -> Episode:
    return Episode.objects.create(child=child, referral_date=referral_date, referral_source="2A", recorded_by=by,
                                  **fields)


def notification(*people, by, incident_on: datetime.date, reference="DA/1", contact=None) -> PoliceNotification:
    batch = ImportBatch.objects.create(content_hash=f"{reference:0>64}"[-64:], filename=f"{reference}.csv",
                                       uploaded_by=by, status=ImportBatch.Status.CONFIRMED)
    row = PoliceNotification.objects.create(
        batch=batch, police_reference=reference, incident_at=at(incident_on, 22), reported_at=at(incident_on, 23),
        dash_risk="medium", children_present="yes", household_address="1 High Street", postcode="AB1 2CD",
        officer_name="PC Reid", summary="Shouting heard", first_row=2, contact=contact)
    for number, person in enumerate(people, start=2):
        NotificationPerson.objects.create(notification=row, row=number, role="child", first_name=person.first_name,
                                          last_name=person.last_name, sex="F", person=person,
                                          match=NotificationPerson.Match.MATCHED)
    return row


def counts(subject, key):
    tally = subject.tally(key)
    return tally.last_12, tally.last_24


def test_contacts_are_counted_in_calendar_months_up_to_today_and_this_one_is_not(org, child):
    for day in (datetime.date(2024, 6, 15), datetime.date(2024, 6, 14), datetime.date(2023, 6, 15),
                datetime.date(2023, 6, 14)):
        make_contact(child, by=org.fran, received_at=at(day))
    current = make_contact(child, by=org.fran, received_at=at(TODAY - datetime.timedelta(days=1)))
    history = history_for(current, today=TODAY)
    lily = history.children[0]
    assert counts(lily, "contacts") == (1, 3)  # 15 June 2024 is within 12 months; 14 June 2023 is not within 24
    assert lily.tally("contacts").ever == 4


def test_referrals_assessments_plans_and_closures_are_counted(org, child):
    old = episode(child, datetime.date(2023, 3, 3), org.sam, closure_date=datetime.date(2023, 6, 12),
                  closure_reason="RC8")
    recent = episode(child, datetime.date(2025, 3, 3), org.sam)
    Assessment.objects.create(episode=old, start_date=datetime.date(2023, 3, 10), recorded_by=org.sam)
    Assessment.objects.create(episode=recent, start_date=datetime.date(2025, 3, 10), recorded_by=org.sam)
    Plan.objects.create(child=child, episode=recent, kind=Plan.Kind.CHILD_PROTECTION,
                        start_date=datetime.date(2025, 4, 1), contingency="Court", recorded_by=org.sam)
    Plan.objects.create(child=child, episode=old, kind=Plan.Kind.CHILD_IN_NEED, start_date=datetime.date(2023, 5, 1),
                        end_date=datetime.date(2023, 6, 1), contingency="Review", recorded_by=org.sam)
    history = history_for(make_contact(child, by=org.fran, received_at=at(TODAY)), today=TODAY)
    lily = history.children[0]
    assert counts(lily, "referrals") == (1, 1)
    assert lily.tally("referrals").ever == 2
    assert counts(lily, "assessments") == (1, 1)
    assert counts(lily, "cp_plans") == (1, 1)
    assert counts(lily, "cin_plans") == (0, 0)
    assert lily.tally("closures").ever == 1 and counts(lily, "closures") == (0, 0)
    described = [event.describe() for event in lily.events]
    assert "Referral 3 March 2023 — closed 12 June 2023 (RC8)" in described
    assert "Referral 3 March 2025 — still open" in described
    assert described[0].startswith("Child protection plan 1 April 2025")  # newest first


def test_re_referrals_count_referrals_within_12_months_of_the_one_before(org, child):
    for day in (datetime.date(2022, 1, 10), datetime.date(2023, 1, 10), datetime.date(2024, 3, 1)):
        episode(child, day, org.sam, closure_date=day + datetime.timedelta(days=30), closure_reason="RC8")
    history = history_for(make_contact(child, by=org.fran, received_at=at(datetime.date(2025, 3, 1))), today=TODAY)
    lily = history.children[0]
    assert lily.re_referrals == 1  # 10 Jan 2023 is exactly 12 months after 10 Jan 2022; 1 Mar 2024 is not
    assert lily.would_be_re_referral is True  # 1 Mar 2024 is 12 months before the contact


def test_a_referral_more_than_12_months_before_the_contact_does_not_make_it_a_re_referral(org, child):
    episode(child, datetime.date(2024, 2, 29), org.sam, closure_date=datetime.date(2024, 4, 1))
    history = history_for(make_contact(child, by=org.fran, received_at=at(datetime.date(2025, 3, 1))), today=TODAY)
    assert history.children[0].would_be_re_referral is False
    assert history.children[0].re_referrals == 0


def test_repeat_incidents_per_child_and_per_household(org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    mother = make_adult()
    household = Household.objects.create(name="Hartley family")
    for person in (child, brother, mother):
        HouseholdMember.objects.create(household=household, person=person)
    notification(child, by=org.fran, incident_on=datetime.date(2025, 1, 5), reference="DA/1")
    notification(mother, by=org.fran, incident_on=datetime.date(2024, 9, 5), reference="DA/2")
    notification(child, by=org.fran, incident_on=datetime.date(2024, 6, 14), reference="DA/3")  # outside 12 months
    # Jack's earlier contact came from a police notification: it counts for him through the contact.
    earlier = make_contact(brother, by=org.fran, received_at=at(datetime.date(2025, 2, 1)))
    notification(by=org.fran, incident_on=datetime.date(2025, 2, 1), reference="DA/4", contact=earlier)
    current = make_contact(child, by=org.fran, received_at=at(datetime.date(2025, 6, 1)))
    notification(child, by=org.fran, incident_on=datetime.date(2025, 6, 1), reference="DA/5", contact=current)

    history = history_for(current, today=TODAY)
    assert [subject.name for subject in history.children] == ["Lily Hartley"]
    assert history.children[0].repeat_incidents == 1  # DA/1; DA/3 is too old and DA/5 is this contact
    assert history.household.repeat_incidents == 3  # DA/1, DA/2 (mother) and DA/4 (Jack's contact)
    assert {person.pk for person in history.household_people} == {child.pk, brother.pk, mother.pk}
    assert counts(history.household, "contacts") == (1, 1)


def test_a_contact_about_two_siblings_counts_once_for_the_household_and_names_both(org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    make_contact(child, brother, by=org.fran, received_at=at(datetime.date(2025, 1, 10)))
    current = make_contact(child, brother, by=org.fran, received_at=at(datetime.date(2025, 6, 1)))
    history = history_for(current, today=TODAY)
    assert [counts(subject, "contacts") for subject in history.children] == [(1, 1), (1, 1)]
    assert counts(history.household, "contacts") == (1, 1)
    assert [event.who for event in history.events] == ["Lily Hartley, Jack Hartley"]


def test_the_contacts_household_and_named_adults_are_part_of_the_household(org, child):
    cousin = make_child("Mia", "Hartley", date_of_birth=datetime.date(2015, 2, 1))
    left = make_child("Old", "Member", date_of_birth=datetime.date(2012, 2, 1))
    father = make_adult("Dave", "Hartley")
    household = Household.objects.create(name="Hartley family")
    HouseholdMember.objects.create(household=household, person=cousin)
    HouseholdMember.objects.create(household=household, person=left, end_date=datetime.date(2024, 1, 1))
    episode(cousin, datetime.date(2025, 1, 1), org.sam)
    current = make_contact(child, by=org.fran, received_at=at(datetime.date(2025, 6, 1)), household=household,
                           adults=[(father, "father")])
    history = history_for(current, today=TODAY)
    assert {person.pk for person in history.household_people} == {child.pk, cousin.pk, father.pk}
    assert counts(history.household, "referrals") == (1, 1)
    assert counts(history.children[0], "referrals") == (0, 0)


def _earlier_history(child, by, how_many: int) -> None:
    for number in range(how_many):
        day = datetime.date(2016, 1, 1) + datetime.timedelta(days=200 * number)
        earlier = episode(child, day, by, closure_date=day + datetime.timedelta(days=60), closure_reason="RC8")
        Assessment.objects.create(episode=earlier, start_date=day, recorded_by=by)
        Plan.objects.create(child=child, episode=earlier, kind=Plan.Kind.CHILD_IN_NEED, start_date=day,
                            contingency="Review", recorded_by=by)
        contact = make_contact(child, by=by, received_at=at(day))
        notification(child, by=by, incident_on=TODAY - datetime.timedelta(days=number + 1),
                     reference=f"DA/{how_many}/{number}", contact=contact if number % 2 else None)


def _queries_for(org, child, how_many: int) -> int:
    _earlier_history(child, org.fran, how_many)
    current = make_contact(child, by=org.fran, received_at=at(TODAY))
    with CaptureQueriesContext(connection) as queries:
        history = history_for(current, today=TODAY)
    assert history.children[0].tally("referrals").ever == how_many
    assert history.children[0].repeat_incidents == how_many
    return len(queries)


def test_the_panel_takes_the_same_number_of_queries_however_long_the_history(org):
    few = _queries_for(org, make_child("Ann", "Few"), 2)
    many = _queries_for(org, make_child("Bea", "Many"), 10)
    assert few == many
    assert many <= 12


def test_the_partial_shows_the_counts_the_re_referral_and_the_events(org, child):
    from django.template.loader import render_to_string

    episode(child, datetime.date(2025, 3, 3), org.sam, closure_date=datetime.date(2025, 6, 12), closure_reason="RC8")
    html = render_to_string("frontdoor/_history.html",
                            {"history": history_for(make_contact(child, by=org.fran, received_at=at(TODAY)),
                                                    today=TODAY)})
    assert 'id="history-heading"' in html
    assert "Referral" in html and "closed 12 June 2025 (RC8)" in html
    assert "it will be a re-referral" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-measure="referrals" data-months="12">1</td>' \
        in html
