"""The person's record page: identity bar, sections, chronology, audit and a constant number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Allocation, Conference
from casefile.people import services
from casefile.people.models import Household, Relationship
from casefile.people.tests.helpers import add_address, add_alias
from casefile.testing import make_adult, make_child


def record_url(person, name="people:record"):
    return reverse(name, kwargs={"person_id": person.pk})


def test_opening_the_record_writes_a_view_audit_event(client, org, child):
    client.force_login(org.sam)
    assert client.get(record_url(child)).status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW, child=child)
    assert event.actor == org.sam and event.details == {"page": "people:record", "method": "GET"}


def test_someone_with_no_link_to_the_child_gets_not_found(client, org, child):
    client.force_login(org.ola)
    assert client.get(record_url(child)).status_code == 404
    assert client.get(record_url(child, "people:chronology")).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_the_identity_bar_shows_who_the_child_is_and_their_alerts(client, org, child):
    child.known_as = "Lil"
    child.ethnicity = "WBRI"
    child.nhs_number = "9434765919"
    child.interpreter_needed = True
    child.save()
    client.force_login(org.sam)
    page = client.get(record_url(child)).content.decode()
    bar = page.split('class="moj-identity-bar"', 1)[1].split("</div>\n</div>", 1)[0]
    for text in ("Lily Hartley (known as Lil)", "14 May 2016", "years)", "Female", "White British", "943 476 5919",
                 "Sam Worker (Assessment Team)", "Interpreter needed"):
        assert text in bar, text
    assert "Deceased" not in bar and "Restricted record" not in bar


def test_missing_identity_details_show_as_not_recorded(client, org):
    adult = make_adult(date_of_birth=None)
    client.force_login(org.fran)
    child = make_child()
    Relationship.objects.create(person=adult, relative=child, kind=Relationship.Kind.PARENT)
    page = client.get(record_url(adult)).content.decode()
    assert page.count("Not recorded") >= 8
    assert "Not allocated" in page


def test_the_record_shows_addresses_relationships_households_and_aliases(client, org, child):
    dawn = make_adult()
    services.add_relationship(actor=org.sam, person=dawn, relative=child, kind="parent", parental_responsibility=True)
    household = services.create_household(actor=org.sam, name="Hartley household")
    services.add_household_member(actor=org.sam, household=household, person=child)
    services.add_household_member(actor=org.sam, household=household, person=dawn)
    add_address(child, "LS1 4AB", start=datetime.date(2020, 2, 1))
    add_alias(child, last="Brown", kind="previous")
    client.force_login(org.sam)
    page = client.get(record_url(child)).content.decode()
    for text in ("1 High Street, LS1 4AB", "1 February 2020", "Dawn Hartley", "Parent",
                 "Dawn has parental responsibility", "Household: Hartley household", "Brown (previous name)",
                 reverse("people:chronology", kwargs={"person_id": child.pk})):
        assert text in page, text
    assert record_url(dawn) in page  # Sam may open Dawn's record through Lily


def test_the_viewers_link_is_only_for_managers_and_administrators(client, org, child):
    viewers = reverse("audit:viewers", kwargs={"person_id": child.pk})
    for user, shown in ((org.sam, False), (org.fran, False), (org.tess, True), (org.hana, True), (org.ada, True)):
        client.force_login(user)
        assert (viewers in client.get(record_url(child)).content.decode()) is shown, user.username


def test_the_chronology_lists_what_was_recorded_newest_first(client, org, child):
    dawn = make_adult()
    services.add_relationship(actor=org.sam, person=dawn, relative=child, kind="parent",
                              start_date=datetime.date(2016, 5, 14))
    add_address(child, "LS1 4AB", start=datetime.date(2020, 2, 1))
    Conference.objects.create(child=child, kind=Conference.Kind.INITIAL, date=datetime.date(2024, 3, 1),
                              chair=org.chris, recorded_by=org.chris)
    client.force_login(org.sam)
    page = client.get(record_url(child, "people:chronology")).content.decode()
    assert '<table class="govuk-table">' in page  # a table, with an Analysis column
    titles = ["Allocated to Sam Worker (Assessment Team)", "Initial child protection conference",
              "Moved to a new address", "Relationship recorded"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Record created" in page


def _queries_for_record_page(client, user, person) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(record_url(person)).status_code == 200
    return len(queries)


def _give_history(org, child, size: int) -> None:
    household = Household.objects.create(name="Hartley household")
    for number in range(size):
        relative = make_adult(f"Relative{number}", "Hartley")
        Relationship.objects.create(person=relative, relative=child, kind=Relationship.Kind.CARER)
        household.members.create(person=relative)
        add_address(child, "LS1 4AB", line_1=f"{number} High Street",
                    start=datetime.date(2000 + number, 1, 1), end=datetime.date(2000 + number, 6, 1))
        add_alias(child, first=f"Alias{number}", last="Hartley")
        Conference.objects.create(child=child, kind=Conference.Kind.REVIEW, date=datetime.date(2020, 1, 1),
                                  chair=org.chris, recorded_by=org.chris)
        Allocation.objects.create(child=child, worker=org.tess, team=org.assessment, reason="Cover",
                                  allocated_by=org.tess, start_date=datetime.date(2010, 1, 1),
                                  end_date=datetime.date(2010, 2, 1))
        services.merge_people(actor=org.ada, kept=child, merged=make_child(f"Dup{number}", "Hartley"),
                              reason="Duplicate")
    household.members.create(person=child)


def test_the_record_page_runs_the_same_number_of_queries_whatever_the_history(client, org, child):
    small = make_child("Small", "History")
    from casefile.testing import allocate

    allocate(small, org.sam)
    _give_history(org, small, 1)
    _give_history(org, child, 12)
    assert _queries_for_record_page(client, org.sam, child) == _queries_for_record_page(client, org.sam, small)


def test_the_chronology_runs_the_same_number_of_queries_whatever_the_history(client, org, child):
    small = make_child("Small", "History")
    from casefile.testing import allocate

    allocate(small, org.sam)
    _give_history(org, small, 1)
    _give_history(org, child, 12)

    def count(person):
        client.force_login(org.sam)
        with CaptureQueriesContext(connection) as queries:
            client.get(record_url(person, "people:chronology"))
        return len(queries)

    assert count(child) == count(small)
