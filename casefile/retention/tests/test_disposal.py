"""The disposal run: a child's whole record goes, history tables included, in one transaction; a tombstone and
audit events stay; what others share (a sibling's contact, a parent) stays; nothing goes without an
administrator's approval of the exact list shown."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from casefile import testing
from casefile.access.models import AgencyShare, RestrictedAccessGrant
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record
from casefile.audit.verify import first_broken_link
from casefile.casework.models import CaseNote, ChronologyNote, Conference, ConferenceParticipant, Episode
from casefile.casework.testing import make_journey
from casefile.frontdoor.models import Contact, ContactChild
from casefile.frontdoor.testing import front_door_ids
from casefile.people.models import Address, Alias, Household, HouseholdMember, Person, Relationship
from casefile.quality.models import CaseSample
from casefile.quality.services import add_audit_action
from casefile.quality.testing import make_audit
from casefile.retention import schedule
from casefile.retention.models import DisposalRun, DisposedRecord
from casefile.retention.services import LIST_CHANGED, dispose_due_records

# Child protection records go 35 years after closure: the journey closes in 2024, so they are due in 2059.
LATER = datetime.datetime(2060, 6, 2, 12, tzinfo=ZoneInfo("Europe/London"))
NAME, SURNAME = "Ottoline", "Zephyrine"  # in no other record, so any row still holding them is found


@pytest.fixture
def family(org):
    """Ottoline, with one of every record about her; her mother; her brother, whose case is still open."""
    child = testing.make_child(NAME, SURNAME, date_of_birth=datetime.date(2012, 3, 4), nhs_number="9434765919")
    testing.allocate(child, org.sam, allocated_by=org.tess)
    make_journey(child, org.sam, org.tess, org.chris)
    ids = front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    Episode.objects.filter(child=child).update(closure_date=datetime.date(2024, 9, 1), closure_reason="RC7")
    contact = Contact.objects.get(pk=ids["contact_id"])
    brother = testing.make_child("Tobias", SURNAME[::-1], date_of_birth=datetime.date(2014, 1, 1))
    Episode.objects.create(child=brother, referral_date=datetime.date(2024, 1, 8), referral_source="2A",
                           recorded_by=org.sam)
    ContactChild.objects.create(contact=contact, child=brother)
    his_conference = Conference.objects.create(
        child=brother, kind=Conference.Kind.INITIAL, date=datetime.date(2024, 3, 1), chair=org.chris,
        decision=Conference.Decision.NO_PLAN, recorded_by=org.chris)
    ConferenceParticipant.objects.create(conference=his_conference, person=child, name=f"{NAME} {SURNAME}",
                                         role="sister", attended=True)
    ContactChild.objects.filter(child=child).update(
        concluded_at=datetime.datetime(2024, 2, 1, 12, tzinfo=ZoneInfo("Europe/London")))
    mother = testing.make_adult("Dawn", "Mother")
    Relationship.objects.create(person=mother, relative=child, kind=Relationship.Kind.PARENT)
    household = Household.objects.create(name=f"{SURNAME} family")
    HouseholdMember.objects.create(household=household, person=child)
    Address.objects.create(person=child, line_1="1 Zephyrine Close", postcode="AB1 2CD")
    Alias.objects.create(person=child, first_name="Otti", last_name=SURNAME)
    RestrictedAccessGrant.objects.create(child=child, user=org.sam, granted_by=org.ada)
    AgencyShare.objects.create(child=child, agency="police", purpose="Joint enquiry", shared_by=org.tess,
                               expires_on=datetime.date(2025, 1, 1))
    CaseSample.objects.create(child=child, officer=org.quinn)
    audit = make_audit(child, org.quinn, completed=True)  # a case file audit (through that sample), with an action
    add_audit_action(actor=org.quinn, audit=audit, assignee=org.sam, description="Update the chronology")
    ChronologyNote.objects.create(child=child, event_key="visit:1", analysis=f"{NAME} was settled", updated_by=org.sam)
    child.first_name = NAME  # a change, so her history holds two versions
    child.save()
    viewed = record(Action.VIEW, actor=org.sam, subject=child, child=child)
    return {"child": child, "brother": brother, "mother": mother, "contact": contact, "viewed": viewed}


def rows_mentioning(*words: str) -> list[str]:
    """Every model (but the audit trail) and text column where any of the words still appears."""
    found = set()
    for model in apps.get_models():
        if model is AuditEvent:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("CharField", "TextField", "JSONField"):
                for word in words:
                    lookup = {f"{field.attname}__icontains": word}
                    if model._base_manager.filter(**lookup).exists():
                        found.add(f"{model._meta.label}.{field.name}")
    return sorted(found)


def approve(actor, today=None):
    listing = schedule.listing(today)
    return dispose_due_records(actor=actor, fingerprint=listing.fingerprint, today=today)


def test_the_whole_record_goes_with_its_history_and_a_tombstone_stays(org, family):
    child, brother, contact = family["child"], family["brother"], family["contact"]
    assert rows_mentioning(NAME, SURNAME, "9434765919")  # the check would see them
    with time_machine.travel(LATER, tick=False):
        run = approve(org.ada)

    # She is still named where her brother's record names her (his conference, the police notification on the
    # contact kept for him): those rows are his record's, kept under his retention, no longer linked to her.
    assert rows_mentioning(NAME, SURNAME, "9434765919") == [
        "casework.ConferenceParticipant.name", "frontdoor.NotificationPerson.first_name",
        "frontdoor.NotificationPerson.last_name"]
    assert ConferenceParticipant.objects.get().person is None
    emptied = Person.objects.get(pk=child.pk)
    assert (emptied.first_name, emptied.last_name, emptied.date_of_birth, emptied.nhs_number) == ("", "", None, "")
    assert not Person.history.filter(id=child.pk).exists()
    for model in (m for m in apps.get_models() if m is not AuditEvent):
        links = [f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is Person]
        for attname in links:
            assert not model._base_manager.filter(**{attname: child.pk}).exists(), f"{model._meta.label}.{attname}"
    # What her brother and mother share stays: his link to the contact (so the contact), his record, her record.
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert list(ContactChild.objects.filter(contact=contact).values_list("child", flat=True)) == [brother.pk]
    assert Person.objects.get(pk=family["mother"].pk).first_name == "Dawn"
    assert not Relationship.objects.exists()

    tombstone = DisposedRecord.objects.get()
    assert (tombstone.run, tombstone.record_type, tombstone.record_id, tombstone.reference) == (
        run, "people.person", child.pk, child.reference)
    assert (tombstone.retention_kind, tombstone.retention_ended_on) == ("child_protection", datetime.date(2059, 9, 1))
    assert "[2015] EWHC 2134 (Admin)" in tombstone.source
    assert tombstone.deleted_rows["casework.Visit"] == 1 and tombstone.deleted_rows["history rows"] > 20
    assert run.approved_by == org.ada


def test_the_audit_trail_keeps_its_events_about_the_child_and_verifies(org, family):
    child = family["child"]
    with time_machine.travel(LATER, tick=False):
        run = approve(org.ada)
    assert AuditEvent.objects.filter(pk=family["viewed"].pk, child_id=child.pk).exists()
    disposal = AuditEvent.objects.get(action=Action.DISPOSE, child_id=child.pk)
    assert disposal.subject_type == "retention.disposedrecord"
    assert disposal.details["reference"] == child.reference and NAME not in str(disposal.details)
    assert AuditEvent.objects.filter(action=Action.DISPOSE, subject_type="retention.disposalrun",
                                     subject_id=str(run.pk)).exists()
    assert first_broken_link()[1] is None


def test_work_still_open_holds_a_record(org, family):
    with time_machine.travel(LATER, tick=False):
        listing = schedule.listing()
    assert [f.person for f in listing.due] == [family["child"]]
    assert (family["brother"], "work on the file is still open") in [
        (f.person, f.verdict.held_because) for f in listing.held]


def test_a_list_that_changed_after_it_was_shown_is_refused_and_nothing_goes(org, family):
    with time_machine.travel(LATER, tick=False):
        shown = schedule.listing().fingerprint
        # A note written on her file since the list was shown: her period now runs from it, so she is not due.
        CaseNote.objects.create(child=family["child"], date=datetime.date(2030, 1, 1), subject="Records request",
                                body="Asked for a copy", recorded_by=org.sam)
        with pytest.raises(ValidationError) as refused:
            dispose_due_records(actor=org.ada, fingerprint=shown)
    assert refused.value.message_dict == {"fingerprint": [LIST_CHANGED]}
    assert not DisposalRun.objects.exists()
    assert Person.objects.get(pk=family["child"].pk).first_name == NAME


def test_only_an_administrator_may_approve(org, family):
    with time_machine.travel(LATER, tick=False), pytest.raises(PermissionDenied):
        approve(org.tess)
    assert Person.objects.get(pk=family["child"].pk).last_name == SURNAME


def test_nothing_is_due_before_its_date(org, family):
    with time_machine.travel(datetime.datetime(2059, 8, 31, 12, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert schedule.listing().due == []
        with pytest.raises(ValidationError, match="No record is due"):
            approve(org.ada)


def test_a_disposed_record_opens_for_no_one_and_is_in_no_list(client, org, family):
    from casefile.access import policy

    with time_machine.travel(LATER, tick=False):
        approve(org.ada)
    emptied = Person.objects.get(pk=family["child"].pk)
    for user in (org.ada, org.simon, org.fran, org.sam):
        assert not policy.can_view(user, emptied), user
        assert not policy.viewable_people(user).filter(pk=emptied.pk).exists(), user
    client.force_login(org.simon)
    assert client.get(f"/people/{emptied.pk}/").status_code == 404


def test_a_disposed_record_is_not_listed_again(org, family):
    with time_machine.travel(LATER, tick=False):
        approve(org.ada)
        assert family["child"].pk not in [f.person.pk for f in schedule.listing().due + schedule.listing().held]


def test_the_command_lists_by_default_and_disposes_only_with_approval(org, family):
    out = StringIO()
    with time_machine.travel(LATER, tick=False):
        call_command("dispose_records", stdout=out)
        listed = out.getvalue()
        fingerprint = schedule.listing().fingerprint
    assert f"{family['child'].reference}: child protection, until 35 years after the last involvement" in listed
    assert f"--approve {fingerprint}" in listed and "Nothing was deleted" in listed
    assert NAME not in listed
    assert Person.objects.get(pk=family["child"].pk).first_name == NAME

    done = StringIO()
    with time_machine.travel(LATER, tick=False):
        call_command("dispose_records", approve=fingerprint, approved_by="ada", stdout=done)
    assert "1 record disposed of, approved by ada" in done.getvalue()
    assert DisposedRecord.objects.filter(record_id=family["child"].pk).exists()


def test_no_link_is_left_dangling_after_a_run(org, family):
    """Every foreign key in the database still points at a row, on this engine, after the run commits its work."""
    with time_machine.travel(LATER, tick=False):
        approve(org.ada)
    connection.check_constraints()
