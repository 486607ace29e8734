"""Finding people by name variants, sound, aliases, date of birth, NHS number and postcode."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.people import search
from casefile.people.search import Criteria, search_people
from casefile.people.tests.helpers import add_address, add_alias
from casefile.testing import make_adult, make_child


def found(user, **criteria) -> list[str]:
    return [result.person.full_name for result in search_people(actor=user, criteria=Criteria(**criteria)).results]


def reasons(user, **criteria) -> dict[str, list[str]]:
    results = search_people(actor=user, criteria=Criteria(**criteria)).results
    return {result.person.full_name: result.reasons for result in results}


@pytest.mark.parametrize(("typed", "recorded"), [
    ("Bill Carter", "William"), ("Will Carter", "William"), ("Billy Carter", "William"),
    ("Katie Carter", "Catherine"), ("Kathryn Carter", "Katie"),
    ("Mohammed Carter", "Muhammad"), ("Mohamed Carter", "Mohammed"),
])
def test_search_finds_a_first_name_by_its_known_variants(org, typed, recorded):
    make_child(recorded, "Carter")
    assert found(org.fran, name=typed) == [f"{recorded} Carter"]


def test_search_finds_a_surname_that_sounds_alike(org):
    make_child("William", "Smith")
    make_child("William", "Jones")
    assert reasons(org.fran, name="Bill Smyth") == {
        "William Smith": ["surname sounds alike (Smyth, Smith)", "first name is a known variant (Bill → William)"],
    }


def test_search_does_not_return_someone_whose_first_name_is_unrelated(org):
    make_child("William", "Smith")
    assert found(org.fran, name="Thomas Smith") == []


def test_one_word_finds_surnames_and_first_names(org):
    make_child("Lily", "Hartley")
    make_child("Katie", "Brown")
    assert found(org.fran, name="Hartly") == ["Lily Hartley"]
    assert found(org.fran, name="Catherine") == ["Katie Brown"]


def test_one_word_finds_first_known_as_and_alias_first_names_whatever_their_case(org):
    make_child("KATIE", "Brown")
    make_child("Susan", "Green", known_as="kate")
    cathy = make_child("Jane", "White")
    add_alias(cathy, first="Cathy", last="White", kind="nickname")
    make_child("Karen", "Black")
    assert sorted(found(org.fran, name="catherine")) == ["Jane White", "KATIE Brown", "Susan Green"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_a_name_search_reads_people_by_the_indexes_not_every_row(org):
    """One condition with the aliases' subqueries among its alternatives made the database read every person on
    every search (17 ms on SQLite, 12 to 30 ms on PostgreSQL, on medium), whatever this small database's timings."""
    make_child("Lily", "Hartley")
    for name in ("Hartley", "Lily Hartley", "Catherine"):
        with CaptureQueriesContext(connection) as captured:
            search_people(actor=org.fran, criteria=Criteria(name=name))
        with connection.cursor() as cursor:
            plans = []
            for query in captured.captured_queries:
                if query["sql"].startswith("SELECT"):
                    cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}", query.get("params") or ())
                    plans += [row[-1] for row in cursor.fetchall()]
        # Each read of a person or alias goes by a name index, the primary key or the person's id; the sign-in's
        # and the audit trail's own reads are not this test's business.
        reads = [step for step in plans if step.startswith(("SCAN", "SEARCH"))
                 and not any(table in step for table in ("accounts_user", "audit_auditevent", "django_session"))]
        by_index = ("last_name_key", "_lower", "INTEGER PRIMARY KEY", "(person_id=?)", "restrictedaccessgrant")
        assert [step for step in reads if not any(index in step for index in by_index)] == [], (name, plans)


def test_search_finds_people_by_their_aliases_and_previous_names(org):
    lily = make_child("Lily", "Hartley")
    add_alias(lily, last="Brown", kind="previous")
    add_alias(lily, first="Lulu", last="Hartley", kind="nickname")
    assert reasons(org.fran, name="Lily Brown") == {"Lily Hartley": ["same surname (previous name)",
                                                                     "same first name (previous name)"]}
    assert found(org.fran, name="Lulu Hartley") == ["Lily Hartley"]


def test_search_by_date_of_birth_finds_only_that_birthday(org):
    make_child("Lily", "Hartley", date_of_birth=datetime.date(2016, 5, 14))
    make_child("Tom", "Hartley", date_of_birth=datetime.date(2018, 1, 2))
    assert reasons(org.fran, date_of_birth=datetime.date(2016, 5, 14)) == {"Lily Hartley": ["same date of birth"]}


def test_search_by_nhs_number(org):
    make_child("Lily", "Hartley", nhs_number="9434765919")
    make_child("Tom", "Hartley")
    assert found(org.fran, nhs_number="9434765919") == ["Lily Hartley"]


def test_search_by_postcode_finds_current_and_past_addresses(org):
    lily = make_child("Lily", "Hartley")
    tom = make_child("Tom", "Hartley")
    add_address(lily, "LS1 4AB")
    add_address(tom, "LS1 4AB", start=datetime.date(2019, 1, 1), end=datetime.date(2020, 1, 1))
    add_address(tom, "M1 1AE", start=datetime.date(2020, 1, 1))
    assert reasons(org.fran, postcode="LS1 4AB") == {
        "Lily Hartley": ["current address in LS1 4AB"],
        "Tom Hartley": ["previous address in LS1 4AB"],
    }


def test_search_combines_criteria(org):
    make_child("Lily", "Hartley", date_of_birth=datetime.date(2016, 5, 14))
    make_child("Lily", "Hartley", date_of_birth=datetime.date(2017, 6, 1))
    assert len(found(org.fran, name="Lily Hartley", date_of_birth=datetime.date(2016, 5, 14))) == 1


def test_search_never_returns_people_the_user_cannot_view(org, child):
    assert found(org.ola, name="Lily Hartley") == []
    assert found(org.ola, date_of_birth=child.date_of_birth) == []
    assert found(org.fran, name="Lily Hartley") == ["Lily Hartley"]
    assert found(org.sam, name="Lily Hartley") == ["Lily Hartley"]


def test_search_page_shows_nothing_of_a_child_the_user_cannot_view(client, org, child):
    child.nhs_number = "9434765919"
    child.save()
    client.force_login(org.ola)
    page = client.get(reverse("people:search"), {"date_of_birth_day": "14", "date_of_birth_month": "5",
                                                 "date_of_birth_year": "2016"}).content.decode()
    assert "No one found" in page
    assert "Hartley" not in page and child.reference not in page


def test_search_hides_merged_records(org, child):
    duplicate = make_child("Lilly", "Hartley", merged_into=child)
    results = search_people(actor=org.fran, criteria=Criteria(name="Hartley")).results
    assert [r.person.pk for r in results] == [child.pk]
    assert duplicate.pk not in [r.person.pk for r in results]


def test_every_search_writes_an_audit_event_with_the_criteria_and_only_the_ids_shown(client, org, child):
    client.force_login(org.sam)
    client.get(reverse("people:search"), {"name": "Lily Hartley", "postcode": "ls14ab"})
    event = AuditEvent.objects.get(action=Action.SEARCH, actor=org.sam)
    assert event.details == {"criteria": {"name": "Lily Hartley", "postcode": "LS1 4AB"}, "shown": []}
    assert event.child is None
    assert event.subject_id == ""


def test_the_results_table_shows_identity_and_why_each_matched(client, org):
    lily = make_child("Lily", "Hartley", nhs_number="9434765919")
    add_address(lily, "LS1 4AB")
    client.force_login(org.fran)
    page = client.get(reverse("people:search"), {"name": "Lilly Hartly"}).content.decode()
    for text in ("Lily Hartley", "14 May 2016", "943 476 5919", "LS1 4AB", "F",
                 "Surname sounds alike (Hartly, Hartley)", "First name sounds alike (Lilly, Lily)"):
        assert text in page
    assert reverse("people:record", kwargs={"person_id": lily.pk}) in page


def test_the_search_form_refuses_an_invalid_nhs_number_and_postcode(client, org):
    client.force_login(org.fran)
    page = client.get(reverse("people:search"), {"nhs_number": "1234567890", "postcode": "nowhere"}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_nhs_number"' in page and "This is not a valid NHS number" in page
    assert 'href="#id_postcode"' in page and "Enter a real UK postcode, like LS1 4AB" in page
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


def test_an_empty_search_asks_what_to_search_for(client, org):
    client.force_login(org.fran)
    page = client.get(reverse("people:search"), {"name": ""}).content.decode()
    assert "Enter a name, date of birth, NHS number or postcode to search for" in page


def test_adults_are_found_through_the_child_they_are_related_to(org, child):
    from casefile.people.models import Relationship

    dawn = make_adult("Dawn", "Hartley")
    make_adult("Dawn", "Hartley", date_of_birth=datetime.date(1970, 1, 1))
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    assert [r.person.pk for r in search_people(actor=org.sam, criteria=Criteria(name="Dawn Hartley")).results] == [
        dawn.pk]


@pytest.mark.parametrize("candidates_limit", [0, search.MAX_CANDIDATES])
def test_the_access_filter_answers_alike_on_the_candidates_ids_or_in_the_search_query(org, child, monkeypatch,
                                                                                      candidates_limit):
    """Up to MAX_CANDIDATES people answering the criteria, access is asked about their ids; past it, in the query."""
    from casefile.people.models import Person, Relationship

    monkeypatch.setattr(search, "MAX_CANDIDATES", candidates_limit)
    dawn = make_adult("Dawn", "Hartley")
    # Recorded from the child's side: the adult is the relative, not the person.
    Relationship.objects.create(person=child, relative=dawn, kind=Relationship.Kind.HOUSEHOLD_MEMBER)
    make_adult("Stan", "Hartley")
    make_child("Ruby", "Hartley", restriction=Person.Restriction.ADOPTION)
    assert sorted(found(org.sam, name="Hartley")) == ["Dawn Hartley", "Lily Hartley"]
    assert sorted(found(org.tess, name="Hartley")) == ["Dawn Hartley", "Lily Hartley"]
    assert found(org.ola, name="Hartley") == []
    assert sorted(found(org.fran, name="Hartley")) == ["Dawn Hartley", "Lily Hartley", "Stan Hartley"]
