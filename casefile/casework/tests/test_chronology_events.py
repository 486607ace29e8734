"""The chronology is built from every recorded event, with a default significance by type, in few queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.casework import models as cw
from casefile.casework.chronology import EVENT_TYPES, chronology, excerpt
from casefile.casework.chronology.registry import MERGE_DEPTH, scope_for
from casefile.casework.testing import make_journey
from casefile.people import services
from casefile.people.models import Household, HouseholdMember, Person, Relationship
from casefile.people.tests.helpers import add_address
from casefile.testing import make_adult, make_child


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)


def _by_key(person) -> dict:
    return {event.key: event for event in chronology(person)}


def test_every_kind_of_casework_record_appears_for_a_whole_journey(org, child, journey):
    events = _by_key(child)
    j = journey
    expected = {
        f"referral:{j.episode.pk}": ("Referral received", "referral"),
        f"referral-decision:{j.episode.pk}": ("Referral decision: further work with the child and family", "referral"),
        f"assessment:{j.assessment.pk}": ("Assessment started", "assessment"),
        f"assessment-seen:{j.assessment.pk}": ("Child seen for the assessment", "assessment"),
        f"assessment-authorised:{j.assessment.pk}": ("Assessment completed and authorised", "assessment"),
        f"strategy:{j.strategy_discussion.pk}": ("Strategy discussion", "strategy"),
        f"s47:{j.enquiry.pk}": ("Section 47 enquiry started", "section47"),
        f"s47-outcome:{j.enquiry.pk}": ("Section 47 enquiry outcome", "section47"),
        f"conference:{j.conference.pk}": ("Initial child protection conference", "conference"),
        f"conference:{j.review_conference.pk}": ("Review child protection conference", "conference"),
        f"plan:{j.plan.pk}": ("Child protection plan started", "plan"),
        f"plan-review:{j.review.pk}": ("Child protection plan reviewed", "plan"),
        f"core-group:{j.core_group.pk}": ("Core group meeting", "core_group"),
        f"visit:{j.visit.pk}": ("Child protection visit", "visit"),
        f"case-note:{j.case_note.pk}": ("Case note: Call from school", "case_note"),
        f"early-help:{j.early_help_transfer.pk}": ("Step down to early help", "early_help"),
        f"person:{child.pk}": ("Record created", "record"),
    }
    for key, (title, kind) in expected.items():
        assert key in events, key
        assert (events[key].title, events[key].type) == (title, kind), key
    allocation = child.allocations.get()
    assert events[f"allocation:{allocation.pk}"].type == "allocation"
    assert {event.type for event in events.values()} <= set(EVENT_TYPES)


def test_events_say_what_happened_and_who_recorded_it(org, child, journey):
    events = _by_key(child)
    j = journey
    visit = events[f"visit:{j.visit.pk}"]
    assert "The child was seen alone." in visit.description
    assert "In their words: “I had cereal for breakfast.”" in visit.description
    assert visit.by == "Sam Worker" and visit.date == j.visit.date
    assert events[f"referral-decision:{j.episode.pk}"].by == "Tess Manager"  # who decided, not who typed
    assert "Outcome: Strategy discussion" in events[f"assessment-authorised:{j.assessment.pk}"].description
    assert "Decision: Start section 47 enquiries" in events[f"strategy:{j.strategy_discussion.pk}"].description
    assert "Substantiated and at continuing risk" in events[f"s47-outcome:{j.enquiry.pk}"].description
    conference = events[f"conference:{j.conference.pk}"].description
    assert "Decision: Child protection plan" in conference and "Category: Neglect" in conference
    assert "Family Hub North" in events[f"early-help:{j.early_help_transfer.pk}"].description


def test_closure_icpc_not_needed_plan_end_and_step_up_are_in_the_chronology(org, child, journey):
    j = journey
    j.episode.closure_date = datetime.date(2024, 8, 1)
    j.episode.closure_reason = "RC9"
    j.episode.closure_signed_off_by = org.tess
    j.episode.save()
    j.plan.end_date = datetime.date(2024, 7, 20)
    j.plan.save()
    j.enquiry.icpc_not_required, j.enquiry.icpc_not_required_reason = True, "Risk managed by a CIN plan"
    j.enquiry.save()
    step_up = cw.EarlyHelpTransfer.objects.create(child=child, direction=cw.EarlyHelpTransfer.Direction.STEP_UP,
                                                  date=datetime.date(2025, 1, 3), reason="Concerns again",
                                                  recorded_by=org.sam)
    events = _by_key(child)
    closure = events[f"closure:{j.episode.pk}"]
    assert (closure.title, closure.type, closure.by) == ("Case closed", "closure", "Tess Manager")
    assert "Case closed after assessment, referred to early help" in closure.description
    assert events[f"plan-end:{j.plan.pk}"].title == "Child protection plan ended"
    assert "Risk managed by a CIN plan" in events[f"icpc-not-required:{j.enquiry.pk}"].description
    assert events[f"early-help:{step_up.pk}"].title == "Step up from early help"


def test_the_person_events_are_still_there(org, child):
    dawn = make_adult()
    services.add_relationship(actor=org.sam, person=dawn, relative=child, kind="parent",
                              start_date=datetime.date(2016, 5, 14))
    add_address(child, "LS1 4AB", start=datetime.date(2020, 2, 1), end=datetime.date(2021, 2, 1))
    titles = {event.title for event in chronology(child)}
    assert {"Record created", "Relationship recorded", "Moved to a new address", "Moved out of an address",
            "Allocated to Sam Worker (Assessment Team)"} <= titles


def test_the_person_record_events_keep_their_stable_keys(org, child):
    """Notes hang on these keys: moving the providers to casework must not change them."""
    address = add_address(child, "LS1 4AB", start=datetime.date(2020, 2, 1), end=datetime.date(2021, 2, 1))
    household = Household.objects.create(name="Hartley family")
    member = HouseholdMember.objects.create(household=household, person=child, start_date=datetime.date(2020, 2, 1),
                                            end_date=datetime.date(2022, 3, 1))
    events = _by_key(child)
    assert events[f"address:{address.pk}"].when == datetime.date(2020, 2, 1)
    assert events[f"address-end:{address.pk}"].title == "Moved out of an address"
    assert events[f"household:{member.pk}"].description == "Hartley family"
    assert events[f"household-end:{member.pk}"].title == "Left a household"
    assert events[f"person:{child.pk}"].type == "record"


def test_significance_defaults_by_type(org, child, journey):
    j = journey
    events = _by_key(child)
    significant = {key for key, event in events.items() if event.significant}
    for key in (f"referral:{j.episode.pk}", f"strategy:{j.strategy_discussion.pk}", f"s47-outcome:{j.enquiry.pk}",
                f"conference:{j.conference.pk}", f"plan:{j.plan.pk}", f"early-help:{j.early_help_transfer.pk}",
                f"assessment-authorised:{j.assessment.pk}"):
        assert key in significant, key
    for key in (f"visit:{j.visit.pk}", f"core-group:{j.core_group.pk}", f"case-note:{j.case_note.pk}",
                f"assessment:{j.assessment.pk}", f"plan-review:{j.review.pk}", f"person:{child.pk}",
                f"conference:{j.review_conference.pk}"):  # a review that continues the plan is routine
        assert key not in significant, key


def test_a_visit_keeps_the_childs_words_whole_and_what_was_seen_of_a_baby(org, child, journey):
    words = ("I don't like it when dad shouts at mum at night because I can't sleep and then I am tired at school "
             "and Miss Khan asks me why I am sad and I don't want to tell her because he will be cross.")
    assert len(words) > 160
    journey.visit.childs_words = words
    journey.visit.save()
    baby = make_child("Noah", "Hartley", date_of_birth=datetime.date(2023, 6, 1))
    episode = cw.Episode.objects.create(child=baby, referral_date=datetime.date(2024, 1, 2), referral_source="1A",
                                        recorded_by=org.sam)
    cw.Visit.objects.create(child=baby, episode=episode, kind=cw.Visit.Kind.CHILD_IN_NEED,
                            date=datetime.date(2024, 2, 1), child_seen=True, seen_alone=False,
                            observations="Noah smiled and reached for his mum",
                            worker=org.sam, recorded_by=org.sam)
    assert f"In their words: “{words}”" in _by_key(child)[f"visit:{journey.visit.pk}"].description
    baby_visit = next(event for event in chronology(baby) if event.type == "visit")
    assert "Seen: Noah smiled and reached for his mum." in baby_visit.description


def test_a_visit_where_the_child_was_not_seen_is_significant(org, child, journey):
    unseen = cw.Visit.objects.create(child=child, episode=journey.episode, kind=cw.Visit.Kind.CHILD_PROTECTION,
                                     date=datetime.date(2024, 3, 1), worker=org.sam, child_seen=False,
                                     not_seen_reason="No answer at the door", recorded_by=org.sam)
    event = _by_key(child)[f"visit:{unseen.pk}"]
    assert event.significant
    assert "The child was not seen: No answer at the door." in event.description


def test_a_case_note_its_writer_marked_significant_is_significant(org, child, journey):
    journey.case_note.significant = True
    journey.case_note.save()
    assert _by_key(child)[f"case-note:{journey.case_note.pk}"].significant


def test_events_on_the_same_day_read_in_the_order_they_happened(org, child, journey):
    keys = [event.key for event in chronology(child)]
    j = journey
    # Newest first: the decision above the referral it decided, the plan above the conference that made it.
    assert keys.index(f"referral-decision:{j.episode.pk}") < keys.index(f"referral:{j.episode.pk}")
    assert keys.index(f"plan:{j.plan.pk}") < keys.index(f"conference:{j.conference.pk}")
    assert keys.index(f"s47:{j.enquiry.pk}") < keys.index(f"strategy:{j.strategy_discussion.pk}")


def test_the_kept_record_shows_the_history_of_records_merged_into_it(org, child, journey):
    duplicate = make_child("Lilly", "Hartly")
    add_address(duplicate, "LS2 7UE", start=datetime.date(2019, 1, 1))
    visit = cw.Visit.objects.create(child=duplicate, episode=cw.Episode.objects.create(
        child=duplicate, referral_date=datetime.date(2019, 2, 1), referral_source="1B", recorded_by=org.fran),
        kind=cw.Visit.Kind.OTHER, date=datetime.date(2019, 2, 5), worker=org.fran, child_seen=True,
        recorded_by=org.fran)
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Same girl, name misspelt")
    events = _by_key(child)
    assert f"visit:{visit.pk}" in events and f"visit:{journey.visit.pk}" in events
    assert events[f"visit:{visit.pk}"].from_record == f"Lilly Hartly ({duplicate.reference})"
    assert events[f"visit:{journey.visit.pk}"].from_record == ""
    # A merged record's casework opens through its own record, so its events link to the merged history page.
    assert events[f"visit:{visit.pk}"].url == reverse("people:merged_records", kwargs={"person_id": child.pk})
    merge_events = [event for event in events.values() if event.title == "Records merged"]
    assert len(merge_events) == 1  # once, though it is in both records' histories


def test_a_record_merged_into_a_record_later_merged_itself_is_still_in_the_history(org, child):
    first, second = make_child("Lilly", "Hartly"), make_child("Lili", "Hartley")
    note = cw.CaseNote.objects.create(child=first, date=datetime.date(2018, 1, 1), subject="Old call", body="x",
                                      recorded_by=org.fran)
    services.merge_people(actor=org.ada, kept=second, merged=first, reason="Duplicate")
    services.merge_people(actor=org.ada, kept=child, merged=second, reason="Duplicate")
    event = _by_key(child)[f"case-note:{note.pk}"]
    assert event.from_record == f"Lilly Hartly ({first.reference})"


def test_records_merged_three_levels_deep_are_in_scope_and_a_fourth_is_not(org, child):
    # Set directly: each level merged into the one above, as merges made one after another leave them.
    chain = [make_child(f"Level{depth}", "Hartley") for depth in range(1, 5)]
    above = child
    for record in chain:
        Person.objects.filter(pk=record.pk).update(merged_into=above)
        above = record
    unrelated = make_child("Other", "Merged")
    Person.objects.filter(pk=unrelated.pk).update(merged_into=make_child("Someone", "Else"))
    scope = scope_for(child)
    assert [person.pk for person in scope.people] == [child.pk, *(record.pk for record in chain[:MERGE_DEPTH])]


def test_with_nothing_merged_the_scope_is_one_query_by_index(org, child):
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(child)
    assert [person.pk for person in scope.people] == [child.pk]
    assert len(queries.captured_queries) == 1
    # Not through the chain's joins (merged_into__merged_into), which made PostgreSQL read every person.
    assert " T2 " not in queries.captured_queries[0]["sql"]


def test_a_relationship_without_a_start_date_is_dated_when_it_was_recorded(org, child):
    dawn = make_adult()
    link = Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    event = _by_key(child)[f"relationship:{link.pk}"]
    assert isinstance(event.when, datetime.datetime)


def test_long_texts_are_cut_to_one_line_at_a_word():
    text = "word " * 100
    cut = excerpt(text, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and "  " not in cut
    assert excerpt("Short and\n\nsweet") == "Short and sweet"


def _give_history(org, child, visits: int) -> None:
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    for number in range(visits):
        cw.Visit.objects.create(child=child, episode=journey.episode, plan=journey.plan,
                                kind=cw.Visit.Kind.CHILD_PROTECTION,
                                date=datetime.date(2014, 1, 1) + datetime.timedelta(days=70 * number),
                                worker=org.sam, child_seen=number % 3 != 0, childs_words=f"Visit {number}",
                                recorded_by=org.sam)
        cw.CaseNote.objects.create(child=child, episode=journey.episode, date=datetime.date(2015, 1, 1),
                                   subject=f"Note {number}", body="Call", recorded_by=org.sam)
        cw.CoreGroup.objects.create(plan=journey.plan, date=datetime.date(2016, 1, 1), attendees="School",
                                    recorded_by=org.sam)
        cw.PlanReview.objects.create(plan=journey.plan, date=datetime.date(2017, 1, 1), recorded_by=org.sam)
        cw.ChronologyNote.objects.create(child=child, event_key=f"case-note:{number}", analysis="x",
                                         updated_by=org.sam)
    duplicate = make_child(f"Dup{visits}", "Hartley")
    make_journey(duplicate, worker=org.sam, manager=org.tess, chair=org.chris)
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Duplicate")


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["people:chronology", "people:chronology_print"])
def test_ten_years_of_history_take_the_same_number_of_queries_as_a_few_months(client, org, child, name):
    small = make_child("Small", "History")
    from casefile.testing import allocate

    allocate(small, org.sam)
    _give_history(org, small, visits=5)
    _give_history(org, child, visits=50)
    assert len(chronology(child)) > len(chronology(small)) + 150
    big = _queries(client, org.sam, reverse(name, kwargs={"person_id": child.pk}))
    assert big == _queries(client, org.sam, reverse(name, kwargs={"person_id": small.pk}))
    assert big < 40  # one query per provider, not one per event


def test_each_casework_event_links_to_the_page_of_its_record(client, org, child, journey):
    j = journey
    expected = {
        f"referral:{j.episode.pk}": ("casework:episode", {"episode_id": j.episode.pk}),
        f"assessment-authorised:{j.assessment.pk}": ("casework:assessment", {"assessment_id": j.assessment.pk}),
        f"strategy:{j.strategy_discussion.pk}": ("casework:strategy_discussion",
                                                {"strategy_discussion_id": j.strategy_discussion.pk}),
        f"s47-outcome:{j.enquiry.pk}": ("casework:enquiry", {"enquiry_id": j.enquiry.pk}),
        f"conference:{j.conference.pk}": ("casework:conference", {"conference_id": j.conference.pk}),
        f"plan:{j.plan.pk}": ("casework:plan", {"plan_id": j.plan.pk}),
        f"plan-review:{j.review.pk}": ("casework:review", {"plan_id": j.plan.pk, "review_id": j.review.pk}),
        f"core-group:{j.core_group.pk}": ("casework:core_group", {"plan_id": j.plan.pk,
                                                                  "core_group_id": j.core_group.pk}),
        f"visit:{j.visit.pk}": ("casework:visit", {"visit_id": j.visit.pk}),
        f"case-note:{j.case_note.pk}": ("casework:case_note", {"case_note_id": j.case_note.pk}),
        f"early-help:{j.early_help_transfer.pk}": ("casework:early_help_transfer",
                                                   {"early_help_transfer_id": j.early_help_transfer.pk}),
    }
    events = _by_key(child)
    client.force_login(org.sam)
    for key, (name, kwargs) in expected.items():
        url = reverse(name, kwargs={"person_id": child.pk, **kwargs})
        assert events[key].url == url, key
        assert client.get(url).status_code == 200, url
    assert events[f"allocation:{child.allocations.get().pk}"].url == ""  # its page is a form for managers
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk})).content.decode()
    assert f'href="{events[f"visit:{j.visit.pk}"].url}"' in page
