"""The contact page: history before decisions, time waiting, RAG and holder changes, and who may open it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.access.models import RestrictedAccessGrant
from casefile.casework.models import Episode
from casefile.frontdoor.models import AgencyCheck, Contact, ImportBatch, PoliceNotification
from casefile.frontdoor.testing import make_contact
from casefile.testing import make_adult, make_child


def page_url(contact: Contact) -> str:
    return reverse("frontdoor:contact", kwargs={"contact_id": contact.pk})


def test_the_history_panel_comes_before_the_decisions(client, org, child):
    Episode.objects.create(child=child, referral_date=timezone.localdate() - datetime.timedelta(days=100),
                           referral_source="2A", recorded_by=org.sam)
    contact = make_contact(child, by=org.fran)
    client.force_login(org.fran)
    page = client.get(page_url(contact)).content.decode()
    assert 'id="history-heading"' in page and 'id="decisions"' in page
    assert page.index('id="history-heading"') < page.index('id="decisions"')
    assert "it will be a re-referral" in page
    assert "Waiting for a threshold decision" in page


def test_the_page_shows_consent_adults_the_police_notification_and_checks(client, org, child):
    mother = make_adult()
    contact = make_contact(child, by=org.fran, adults=[(mother, "mother")], consent_to_share="overridden",
                           consent_to_share_reason="Telling her would put Lily at risk")
    batch = ImportBatch.objects.create(content_hash="1" * 64, filename="p.csv", uploaded_by=org.fran,
                                       status=ImportBatch.Status.CONFIRMED)
    PoliceNotification.objects.create(
        batch=batch, police_reference="DA/77", incident_at=timezone.now(), reported_at=timezone.now(),
        dash_risk="high", children_present="yes", household_address="1 High Street", postcode="AB1 2CD",
        officer_name="PC Reid", summary="Argument", first_row=2, contact=contact)
    AgencyCheck.objects.create(contact=contact, agency="health", asked_of="Health visitors", requested_by=org.fran)
    AgencyCheck.objects.create(contact=contact, agency="police", asked_of="PPU", requested_by=org.fran,
                               response="Nothing known", responded_at=timezone.now())
    client.force_login(org.mo)
    page = client.get(page_url(contact)).content.decode()
    assert "Overridden because of risk to the child: Telling her would put Lily at risk" in page
    assert "Dawn Hartley</a> (mother)" in page
    assert "DA/77" in page and "PC Reid" in page and "High" in page
    assert "1 waiting for an answer" in page and "Nothing known" in page


def test_time_waiting_is_in_working_hours_and_flags_a_missed_rag_timescale(client, org, child):
    received = timezone.now() - datetime.timedelta(days=14)
    contact = make_contact(child, by=org.fran, received_at=received, rag="red")
    client.force_login(org.fran)
    page = client.get(page_url(contact)).content.decode()
    assert "working days)" in page
    assert "Past the red timescale of 4 working hours" in page
    assert "Open for more than 5 working days" in page
    assert "Overdue" in page  # the 1-working-day decision clock


def test_changing_the_rag_rating_needs_a_reason(client, org, child):
    contact = make_contact(child, by=org.fran, rag="green")
    client.force_login(org.fran)
    url = reverse("frontdoor:contact_rag", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"rag": "red"})
    assert response.status_code == 400 and 'href="#id_reason"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.rag == "green"
    response = client.post(url, {"rag": "red", "reason": "Second incident reported"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.rag == "red"


def test_taking_and_assigning_the_contact(client, org, child):
    contact = make_contact(child, by=org.fran)
    url = reverse("frontdoor:contact_holder", kwargs={"contact_id": contact.pk})
    client.force_login(org.fran)
    assert client.post(url, {"take": "1"}).status_code == 302
    contact.refresh_from_db()
    assert contact.holder == org.fran
    assert client.post(url, {"holder": org.mo.pk}).status_code == 302
    contact.refresh_from_db()
    assert contact.holder == org.mo
    response = client.post(url, {"holder": org.sam.pk})  # not front-door staff: not offered, refused
    assert response.status_code == 400 and 'href="#id_holder"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.holder == org.mo
    assert client.post(url, {"holder": ""}).status_code == 302
    contact.refresh_from_db()
    assert contact.holder is None


def test_people_outside_the_front_door_get_404(client, org, child):
    contact = make_contact(child, by=org.fran)
    for user in (org.ola, org.sam):
        client.force_login(user)
        assert client.get(page_url(contact)).status_code == 404
        assert client.post(reverse("frontdoor:contact_rag", kwargs={"contact_id": contact.pk}),
                           {"rag": "red"}).status_code == 404
    contact.refresh_from_db()
    assert contact.rag == ""


def test_a_restricted_child_on_the_contact_is_refused_to_someone_not_named(client, org, child):
    hidden = make_child("Rosa", "Hartley", restriction="adoption")
    contact = make_contact(child, hidden, by=org.fran)
    client.force_login(org.mo)
    assert client.get(page_url(contact)).status_code == 404
    RestrictedAccessGrant.objects.create(child=hidden, user=org.mo, granted_by=org.mel)
    assert client.get(page_url(contact)).status_code == 200


def _queries(client, org, child, earlier: int) -> int:
    for day in range(earlier):
        make_contact(child, by=org.fran, received_at=timezone.now() - datetime.timedelta(days=30 + day))
    sibling = make_child("Jack", f"Sib{earlier}")
    contact = make_contact(child, sibling, by=org.fran, adults=[(make_adult("Dawn", f"Adult{earlier}"), "mother")])
    for number in range(earlier):
        AgencyCheck.objects.create(contact=contact, agency="health", asked_of=f"Team {number}", requested_by=org.fran)
    client.force_login(org.fran)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(contact)).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_number_of_queries_however_much_it_holds(client, org):
    few = _queries(client, org, make_child("Ann", "Few"), 2)
    many = _queries(client, org, make_child("Bea", "Many"), 10)
    assert few == many


def test_each_child_links_to_the_next_step_of_their_decision(client, org, child):
    from casefile.frontdoor.services import decisions
    from casefile.frontdoor.testing import decide

    brother = make_child("Jack", "Hartley")
    contact = make_contact(child, brother, by=org.fran)
    first, second = contact.children.order_by("pk")
    decision = decide(first, by=org.mo)
    client.force_login(org.mel)
    page = client.get(page_url(contact)).content.decode()
    assert reverse("frontdoor:authorise", kwargs={"decision_id": decision.pk}) in page
    assert reverse("frontdoor:decide", kwargs={"contact_id": contact.pk, "contact_child_id": second.pk}) in page
    decisions.authorise_decision(actor=org.mel, decision=decision)
    page = client.get(page_url(contact)).content.decode()
    assert reverse("frontdoor:handover", kwargs={"contact_id": contact.pk, "contact_child_id": first.pk}) in page
    assert reverse("frontdoor:decide", kwargs={"contact_id": contact.pk, "contact_child_id": first.pk}) not in page
    assert reverse("frontdoor:letter", kwargs={"contact_id": contact.pk}) in page
