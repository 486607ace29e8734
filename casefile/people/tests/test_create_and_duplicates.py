"""Creating a person: likely duplicates are shown with reasons, and the user's decision is kept."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.people.matching import candidates, facts_for_entry
from casefile.people.models import Address, MatchDecision, Person
from casefile.people.tests.helpers import add_address, date_fields
from casefile.testing import make_child

CREATE = reverse("people:create")


def new_child(**overrides) -> dict:
    data = {"kind": "child", "first_name": "Lily", "last_name": "Hartley", "sex": "F",
            **date_fields("date_of_birth", datetime.date(2016, 5, 14)), **date_fields("expected_date_of_birth", None)}
    return {**data, **overrides}


def test_creating_a_person_with_no_likely_match_opens_the_new_record(client, org):
    client.force_login(org.sam)
    response = client.post(CREATE, new_child(first_name="Maisie", last_name="Okafor", postcode="ls14ab",
                                             line_1="2 Park Road", disabilities=["MOB", "VIS"]))
    person = Person.objects.get(last_name="Okafor")
    assert response.status_code == 302 and response.url == reverse("people:record", kwargs={"person_id": person.pk})
    assert person.created_by == org.sam
    assert person.last_name_key == "OKFR"
    assert sorted(person.disabilities.values_list("code", flat=True)) == ["MOB", "VIS"]
    assert person.addresses.get().postcode == "LS1 4AB"
    assert AuditEvent.objects.filter(action=Action.CREATE, child=person, actor=org.sam).exists()
    assert person.history.get().history_user == org.sam
    assert not MatchDecision.objects.exists()


def test_the_form_says_before_it_is_sent_that_an_address_needs_its_first_line_and_postcode(client, org):
    client.force_login(org.sam)
    page = client.get(CREATE).content.decode()
    assert "Address line 1 (optional)" not in page and "Postcode (optional)" not in page
    assert "If you enter an address, enter at least the first line and the postcode" in page
    page = client.post(CREATE, new_child(first_name="Maisie", last_name="Okafor", postcode="LS1 4AB")).content.decode()
    assert "Enter the first line of the address" in page and not Person.objects.exists()
    client.post(CREATE, new_child(first_name="Maisie", last_name="Okafor"))
    assert Person.objects.get().addresses.count() == 0  # no address at all is still allowed


def test_creation_shows_likely_matches_with_reasons_in_plain_english(client, org, child):
    add_address(child, "LS1 4AB")
    client.force_login(org.sam)
    page = client.post(CREATE, new_child(first_name="Lilly", last_name="Hartly", postcode="LS1 4AB",
                                         line_1="1 High Street")).content.decode()
    assert "This person may already be recorded" in page
    for reason in ("Same date of birth", "Surname sounds alike (Hartly, Hartley)",
                   "First name sounds alike (Lilly, Lily)", "Same postcode (LS1 4AB)"):
        assert reason in page
    assert child.reference in page
    assert Person.objects.count() == 1


def test_a_known_variant_and_nhs_number_are_given_as_reasons(client, org):
    william = make_child("William", "Smith", date_of_birth=datetime.date(2012, 3, 4), sex="M",
                         nhs_number="9434765919")
    client.force_login(org.fran)
    page = client.post(CREATE, new_child(first_name="Bill", last_name="Smyth", sex="M", nhs_number="943 476 5919",
                                         **date_fields("date_of_birth", datetime.date(2012, 3, 4)))).content.decode()
    assert "Same NHS number" in page
    assert "First name is a known variant (Bill → William)" in page
    assert william.reference in page


def test_choosing_the_same_person_records_the_decision_and_opens_that_record(client, org, child):
    client.force_login(org.sam)
    response = client.post(CREATE, new_child(step="decide", decision=str(child.pk)))
    assert response.status_code == 302
    assert response.url == reverse("people:record", kwargs={"person_id": child.pk})
    assert Person.objects.count() == 1
    decision = MatchDecision.objects.get()
    assert decision.outcome == MatchDecision.Outcome.SAME_PERSON
    assert decision.chosen == child and decision.decided_by == org.sam
    assert decision.candidates[0]["id"] == child.pk and "same date of birth" in decision.candidates[0]["reasons"]
    assert decision.entered["first_name"] == "Lily" and decision.entered["date_of_birth"] == "2016-05-14"
    event = AuditEvent.objects.get(action=Action.MATCH_DECISION)
    assert event.details["outcome"] == "same" and event.child == child


def test_choosing_a_new_person_creates_it_and_records_the_decision(client, org, child):
    client.force_login(org.sam)
    response = client.post(CREATE, new_child(step="decide", decision="new"))
    created = Person.objects.exclude(pk=child.pk).get()
    assert response.url == reverse("people:record", kwargs={"person_id": created.pk})
    decision = MatchDecision.objects.get()
    assert decision.outcome == MatchDecision.Outcome.NEW_PERSON and decision.chosen == created
    assert [c["id"] for c in decision.candidates] == [child.pk]
    assert AuditEvent.objects.get(action=Action.MATCH_DECISION).details["outcome"] == "new"


def test_a_decision_must_be_made_before_going_on(client, org, child):
    client.force_login(org.sam)
    page = client.post(CREATE, new_child(step="decide")).content.decode()
    assert "There is a problem" in page
    assert "Select the person this is, or that this is a new person" in page
    assert Person.objects.count() == 1 and not MatchDecision.objects.exists()


def test_choosing_a_record_that_was_not_offered_is_refused(client, org, child):
    other = make_child("Tom", "Jones", date_of_birth=datetime.date(2001, 1, 1))
    client.force_login(org.fran)
    page = client.post(CREATE, new_child(step="decide", decision=str(other.pk))).content.decode()
    assert "Select one of the records shown, or that this is a new person" in page
    assert not MatchDecision.objects.exists()


def test_a_match_the_user_cannot_open_sends_them_to_someone_who_can_and_shows_nothing_of_it(client, org, child):
    child.nhs_number = "9434765919"
    child.save()
    client.force_login(org.ola)
    page = client.post(CREATE, new_child(line_1="1 High Street", postcode="LS1 4AB")).content.decode()
    assert "There may already be a record of this person that you cannot open" in page
    assert "ask someone who can see it, such as your manager" in page
    assert child.reference not in page and "943 476 5919" not in page and "possible match" not in page
    # No choice on the form names the hidden record (other inputs, such as a day of birth, may share its number).
    decision_inputs = re.findall(r'<input[^>]*name="decision"[^>]*>', page)
    assert not any(f'value="{child.pk}"' in tag for tag in decision_inputs)
    # A way back that creates nothing: change the details, or stop.
    assert 'name="step" value="change"' in page and "Change the details you entered" in page
    assert f'href="{reverse("people:search")}"' in page
    # Creating a new record is a deliberate choice, after checking, not the only way on.
    assert "someone who can see the other record has checked" in page
    changed = client.post(CREATE, new_child(line_1="1 High Street", postcode="LS1 4AB", step="change"))
    changed_page = changed.content.decode()
    assert "Record a new person" in changed_page and 'value="1 High Street"' in changed_page
    assert "There is a problem" not in changed_page
    assert Person.objects.count() == 1 and not MatchDecision.objects.exists()


def test_the_front_door_sees_the_match_that_others_cannot(client, org, child):
    client.force_login(org.fran)
    page = client.post(CREATE, new_child()).content.decode()
    assert child.reference in page and "that you cannot open" not in page


def test_candidates_come_from_indexed_blocks_only(org, child):
    unrelated = make_child("Tom", "Jones", date_of_birth=datetime.date(2001, 1, 1))
    same_postcode = make_child("Amir", "Khan", date_of_birth=datetime.date(2003, 2, 2))
    add_address(same_postcode, "LS1 4AB")
    facts = facts_for_entry({"first_name": "Lilly", "last_name": "Hartly", "date_of_birth": None,
                             "nhs_number": "9434765919", "address": {"postcode": "LS1 4AB"}})
    with CaptureQueriesContext(connection) as queries:
        found = {person.pk for person in candidates(facts)}
    assert found == {child.pk, same_postcode.pk}
    assert unrelated.pk not in found
    where = queries.captured_queries[0]["sql"].split("WHERE", 1)[1]
    for indexed in ('"last_name_key"', '"nhs_number"', '"postcode"'):
        assert indexed in where


def test_invalid_details_are_refused_before_any_match_is_shown(client, org, child):
    client.force_login(org.sam)
    page = client.post(CREATE, new_child(nhs_number="1234567890")).content.decode()
    assert "This is not a valid NHS number" in page
    assert "This person may already be recorded" not in page


@pytest.mark.parametrize("decision", ["new", "same"])
def test_a_failed_creation_saves_nothing(client, org, child, decision):
    client.force_login(org.sam)
    chosen = "new" if decision == "new" else str(child.pk)
    client.post(CREATE, new_child(step="decide", decision=chosen, postcode="not a postcode", line_1="1 Road"))
    assert Person.objects.count() == 1
    assert not Address.objects.exists() and not MatchDecision.objects.exists()


def test_a_decision_made_past_hidden_matches_keeps_them_for_review(client, org, child):
    client.force_login(org.ola)
    client.post(CREATE, new_child(step="decide", decision="new"))
    decision = MatchDecision.objects.get()
    assert decision.outcome == MatchDecision.Outcome.NEW_PERSON
    assert decision.candidates == [{"id": child.pk, "score": decision.candidates[0]["score"],
                                    "reasons": decision.candidates[0]["reasons"], "shown": False}]
