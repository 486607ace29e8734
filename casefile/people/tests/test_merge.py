"""Merging duplicates keeps both histories, redirects the duplicate, and an administrator can undo it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.people import services
from casefile.people.models import Merge
from casefile.people.search import Criteria, search_people
from casefile.testing import allocate, make_adult, make_child


def record_url(person, name="people:record"):
    return reverse(name, kwargs={"person_id": person.pk})


@pytest.fixture
def duplicate(org):
    """Lilly Hartly: the same girl recorded twice, with her own allocation and address history."""
    lilly = make_child("Lilly", "Hartly", nhs_number="9434765919")
    services.add_address(actor=org.fran, person=lilly, line_1="4 Mill Lane", postcode="LS1 4AB",
                         start_date=datetime.date(2019, 1, 1))
    allocate(lilly, org.fran)
    return lilly


def test_merge_and_unmerge_round_trip_keeps_both_histories_and_redirects(client, org, child, duplicate):
    client.force_login(org.ada)  # the front door reads both records but changes neither: neither is at the door
    response = client.post(record_url(child, "people:merge"),
                           {"merged": duplicate.pk, "reason": "Same NHS number and birth date; typo in name"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == child
    merge = Merge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (child, duplicate, org.ada)
    assert set(AuditEvent.objects.filter(action=Action.MERGE).values_list("child_id", flat=True)) == {
        child.pk, duplicate.pk}

    # The duplicate's pages open the kept record; its own rows are untouched.
    assert client.get(record_url(duplicate)).url == record_url(child)
    assert client.get(record_url(duplicate, "people:chronology")).url == record_url(child, "people:chronology")
    assert duplicate.addresses.count() == 1 and duplicate.allocations.count() == 1
    page = client.get(record_url(child)).content.decode()
    assert "Also recorded as" in page and "Lilly Hartly" in page and duplicate.reference in page
    history = client.get(record_url(child, "people:merged_records")).content.decode()
    assert "Moved to a new address" in history and "Allocated to Fran Frontdoor" in history

    client.force_login(org.ada)
    response = client.post(record_url(child, "people:unmerge"),
                           {"merged": duplicate.pk, "reason": "Twins, not the same girl"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.merged_into is None
    assert (merge.reversed_by, merge.reversal_reason) == (org.ada, "Twins, not the same girl")
    assert merge.reversed_at is not None
    assert AuditEvent.objects.filter(action=Action.UNMERGE, child=duplicate).exists()
    assert client.get(record_url(duplicate)).status_code == 200
    assert "Also recorded as" not in client.get(record_url(child)).content.decode()
    # Both the merge and its reversal stay in the history of each record.
    assert [h.merged_into_id for h in duplicate.history.order_by("history_id")][-2:] == [child.pk, None]
    chronology = client.get(record_url(duplicate, "people:chronology")).content.decode()
    assert "Records merged" in chronology and "Merge reversed" in chronology


def test_search_hides_a_merged_record(org, child, duplicate):
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Duplicate")
    results = search_people(actor=org.fran, criteria=Criteria(nhs_number="9434765919")).results
    assert results == []
    assert [r.person for r in search_people(actor=org.fran, criteria=Criteria(name="Lily Hartley")).results] == [
        child]


def test_unmerge_is_refused_for_anyone_but_an_administrator(client, org, child, duplicate):
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Duplicate")
    # The front door may not change Lily's record at all (she is not at the door): 404, as for any such record.
    for user, refused in ((org.fran, 404), (org.sam, 403), (org.tess, 403)):
        client.force_login(user)
        assert client.get(record_url(child, "people:unmerge")).status_code == refused
        assert client.post(record_url(child, "people:unmerge"),
                           {"merged": duplicate.pk, "reason": "Not the same"}).status_code == refused
    with pytest.raises(PermissionDenied):
        services.unmerge_people(actor=org.fran, merged=duplicate, reason="Not the same")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == child


@pytest.mark.parametrize(("case", "message"), [
    ("itself", "a record cannot be merged into itself"),
    ("already_merged", "That record was already merged into another record"),
    ("into_merged", "This record was already merged into"),
    ("child_into_adult", "A child’s record cannot be merged into an adult’s record"),
])
def test_merge_refuses_impossible_merges(org, child, duplicate, case, message):
    adult = make_adult()
    other = make_child("Other", "Child")
    if case in ("already_merged", "into_merged"):
        services.merge_people(actor=org.ada, kept=other, merged=duplicate, reason="Duplicate")
    kept, merged = {
        "itself": (child, child),
        "already_merged": (child, duplicate),
        "into_merged": (duplicate, child),
        "child_into_adult": (adult, child),
    }[case]
    before = Merge.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.merge_people(actor=org.ada, kept=kept, merged=merged, reason="Duplicate")
    assert message in refusal.value.message_dict["merged"][0]
    assert Merge.objects.count() == before


def test_merge_needs_a_reason_and_edit_rights_on_both_records(org, child, duplicate):
    with pytest.raises(ValidationError) as refusal:
        services.merge_people(actor=org.sam, kept=child, merged=duplicate, reason="")
    messages = refusal.value.message_dict
    assert messages["reason"] == ["Enter why these records are the same person"]
    assert "only merge records you may change" in messages["merged"][0]
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_the_merge_page_only_offers_records_the_user_may_see(client, org, child, duplicate):
    client.force_login(org.sam)
    page = client.get(record_url(child, "people:merge"), {"q": "Lilly Hartly"}).content.decode()
    assert duplicate.reference not in page
    response = client.post(record_url(child, "people:merge"), {"merged": duplicate.pk, "reason": "Same girl"})
    assert "Choose the record to merge into this one" in response.content.decode()
    assert not Merge.objects.exists()


def test_the_merge_page_finds_the_duplicate_by_name(client, org, child, duplicate):
    client.force_login(org.ada)
    page = client.get(record_url(child, "people:merge"), {"q": "Lily Hartley"}).content.decode()
    assert duplicate.reference in page and f'value="{duplicate.pk}"' in page
