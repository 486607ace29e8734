"""The police notification pages: upload and preview, confirm, the triage queue, its CSV and bulk triage."""

from __future__ import annotations

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.core.models import Job
from casefile.frontdoor.models import (
    BulkTriage,
    Contact,
    ContactChild,
    ImportBatch,
    NotificationPerson,
    ThresholdDecision,
)
from casefile.frontdoor.services import imports
from casefile.frontdoor.tests.test_police_files import csv_bytes, example_bytes, household
from casefile.people.models import Person
from casefile.testing import make_child


def upload(client, data: bytes, name: str = "police.csv"):
    return client.post(reverse("frontdoor:police_upload"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def imported(org, *incidents, name: str = "police.csv") -> ImportBatch:
    batch = imports.stage_file(actor=org.fran, data=csv_bytes(*incidents), filename=name)
    possible = NotificationPerson.objects.filter(notification__batch=batch, match="possible")
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry.pk: None for entry in possible})
    return batch


def test_uploading_a_good_file_shows_its_preview(client, org):
    client.force_login(org.fran)
    response = upload(client, example_bytes())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("frontdoor:police_batch",
                                                                           args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    for expected in ("WYP/26/004512", "DASH risk is high", "14 Elm Grove, Leeds", "Jodie Marsh", "New record",
                     "Confirm and create 3 contacts", "Discard this file"):
        assert expected in page


def test_a_refused_file_shows_each_problem_by_row_and_column_and_saves_nothing(client, org):
    client.force_login(org.fran)
    bad = example_bytes().replace(b",high,", b",severe,", 1).replace(b"LS6 2AB", b"LS99", 1)
    page = upload(client, bad, "bad.csv").content.decode()
    assert "The file was not imported" in page and "govuk-error-summary" in page
    assert "<th scope=\"col\" class=\"govuk-table__header\">Column</th>" in page
    assert "<td class=\"govuk-table__cell\">dash_risk</td>" in page and "found &#39;severe&#39;" in page
    assert "<td class=\"govuk-table__cell\">postcode</td>" in page
    assert ImportBatch.objects.count() == 0


def test_uploading_the_same_file_again_says_so_and_links_to_it(client, org):
    client.force_login(org.fran)
    upload(client, example_bytes())
    page = upload(client, example_bytes(), "again.csv").content.decode()
    batch = ImportBatch.objects.get()
    assert "This file was already imported on" in page
    assert reverse("frontdoor:police_batch", args=[batch.pk]) in page


def test_a_possible_match_is_chosen_on_the_preview_and_confirmed(client, org):
    lily = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    client.force_login(org.fran)
    upload(client, example_bytes())
    batch = ImportBatch.objects.get()
    entry = batch.notifications.get(first_row=2).people.get(first_name="Lily")
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    assert "Which record is Lily Marsh (row 4)?" in page and "same date of birth" in page
    # Not answered: the question is flagged and nothing is created.
    refused = client.post(reverse("frontdoor:police_confirm", args=[batch.pk])).content.decode()
    assert "Choose a record for Lily Marsh (row 4)" in refused and f'href="#person_{entry.pk}"' in refused
    assert Contact.objects.count() == 0
    response = client.post(reverse("frontdoor:police_confirm", args=[batch.pk]), {f"person_{entry.pk}": lily.pk})
    # Confirming is a background job (run at once by the tests' task backend): its page says it finished.
    job = Job.objects.get(started_by=org.fran)
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert Contact.objects.count() == 3 and ContactChild.objects.filter(child=lily).count() == 1
    finished = client.get(response["Location"]).content.decode()
    assert "Finished" in finished and "Importing police.csv (3 incidents)" in finished
    assert f'href="{reverse("frontdoor:police_batch", args=[batch.pk])}"' in finished
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    contact = Contact.objects.get(police_notification__police_reference="WYP/26/004512")
    assert reverse("frontdoor:contact", args=[contact.pk]) in page and "Police notifications: imported" in page


def test_discarding_a_batch(client, org):
    client.force_login(org.fran)
    upload(client, example_bytes())
    batch = ImportBatch.objects.get()
    client.post(reverse("frontdoor:police_discard", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "discarded" and Contact.objects.count() == 0


@pytest.fixture
def a_week_after_the_incidents(time_machine):
    """The queue counts a household's incidents over the 12 months to today, and the files here are dated: today
    is fixed a week after their incidents (20 November 2026), or the counts change as the months go by."""
    time_machine.move_to(datetime.datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.mark.usefixtures("a_week_after_the_incidents")
def test_the_queue_lists_each_child_with_risk_history_rag_and_waiting(client, org):
    imported(org, household("DA/1", incident_datetime="2026-03-01T10:00", reported_datetime="2026-03-01T11:00"))
    ContactChild.objects.update(concluded_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC))
    Contact.objects.update(concluded_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC))
    imported(org, household("DA/2", dash_risk="high"),
             household("DA/3", surname="Reid", household_address="2 Low Road, Leeds"), name="second.csv")
    client.force_login(org.mo)
    page = client.get(reverse("frontdoor:triage_queue")).content.decode()
    assert "2 children waiting" in page
    red, amber = page.index("Lily Marsh"), page.index("Lily Reid")
    assert red < amber  # red first
    assert "High" in page and "Yes (1 named)" in page
    marsh = Contact.objects.get(police_notification__police_reference="DA/2")
    assert reverse("frontdoor:contact", args=[marsh.pk]) in page
    counts = re.findall(r'numeric">(\d+)</td>', page)
    assert counts == ["2", "1"]  # DA/1 was the same household earlier in the year
    assert "working day" in page
    # Only the standard-risk child can be ticked for bulk triage.
    reid_link = ContactChild.objects.get(child__last_name="Reid")
    marsh_link = ContactChild.objects.get(contact=marsh)
    assert f'value="{reid_link.pk}"' in page and f'value="{marsh_link.pk}"' not in page
    filtered = client.get(reverse("frontdoor:triage_queue"), {"dash": "standard"}).content.decode()
    assert "Lily Reid" in filtered and "Lily Marsh" not in filtered


def test_the_queue_hides_restricted_children(client, org):
    imported(org, household("DA/1"))
    Person.objects.filter(first_name="Lily").update(restriction=Person.Restriction.HIGH_PROFILE)
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:triage_queue")).content.decode()
    assert "Lily Marsh" not in page


def _queue_queries(client, url: str) -> int:
    """Queries to read the page; the audit trail's own writes (one event per child exported) are left out."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    audit = ("audit_auditevent", "SAVEPOINT", "pg_advisory_xact_lock")
    return sum(1 for query in queries if not any(part in query["sql"] for part in audit))


@pytest.mark.parametrize("url_name", ["frontdoor:triage_queue", "frontdoor:triage_queue_csv"])
def test_the_queue_uses_a_fixed_number_of_queries(client, org, url_name):
    imported(org, *(household(f"DA/{n}", surname=f"Family{n}") for n in range(2)))
    client.force_login(org.fran)
    url = reverse(url_name)
    _queue_queries(client, url)
    two = _queue_queries(client, url)
    imported(org, *(household(f"DB/{n}", surname=f"Other{n}") for n in range(8)), name="more.csv")
    ten = _queue_queries(client, url)
    assert ten == two


def test_the_csv_audits_every_child_in_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    """One export event per child, appended together: the CSV of a queue of thousands is one request."""
    imported(org, *(household(f"DA/{n}", surname=f"Family{n}") for n in range(2)))
    client.force_login(org.fran)
    url = reverse("frontdoor:triage_queue_csv")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    imported(org, *(household(f"DB/{n}", surname=f"Other{n}") for n in range(8)), name="more.csv")
    before = AuditEvent.objects.filter(action=Action.EXPORT).count()
    with django_assert_max_num_queries(len(queries)):
        client.get(url)
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() - before == 10


def _households(prefix: str, count: int) -> list:
    """Households of every DASH risk, so the queue holds every RAG rating."""
    risks = ("standard", "medium", "high")
    return [household(f"{prefix}/{n}", surname=f"{prefix}family{n}", dash_risk=risks[n % 3]) for n in range(count)]


@pytest.mark.parametrize("query", [{}, {"dash": "standard"}, {"page": "2"}])
def test_the_queue_page_runs_a_fixed_number_of_queries_from_10_to_200_children(client, org, query,
                                                                                 django_assert_max_num_queries):
    # An earlier file, already dealt with, at the same postcode: the household history then reads the people of
    # notifications not in the queue (one query more, once), as it will with 200.
    imported(org, *_households("DZ", 2), name="earlier.csv")
    concluded = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    ContactChild.objects.update(concluded_at=concluded)
    Contact.objects.update(concluded_at=concluded)
    imported(org, *_households("DA", 10))
    client.force_login(org.mo)
    url = reverse("frontdoor:triage_queue")
    client.get(url, query)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query)
    few = len(queries)
    imported(org, *_households("DB", 190), name="more.csv")
    with django_assert_max_num_queries(few):
        page = client.get(url, query).content.decode()
    assert page.count('name="contact_child"') <= 50


def test_every_child_in_a_long_queue_is_reachable_through_the_pages_red_first(client, org):
    imported(org, *_households("DA", 120))
    client.force_login(org.mo)
    url = reverse("frontdoor:triage_queue")
    first = client.get(url).content.decode()
    assert "Showing 1 to 50 of 120 children" in first and "120 children waiting" in first
    seen, ratings = [], []
    contact_url = reverse("frontdoor:contact", args=[1]).removesuffix("1/")
    for number in (1, 2, 3):
        page = client.get(url, {"page": number}).content.decode()
        seen += [int(pk) for pk in re.findall(re.escape(contact_url) + r'(\d+)/"', page)]
        ratings += re.findall(r'govuk-tag--(red|orange|green)">', page)
    assert sorted(seen) == sorted(Contact.objects.values_list("pk", flat=True)) and len(seen) == 120
    order = {"red": 0, "orange": 1, "green": 2}
    assert [order[rating] for rating in ratings] == sorted(order[rating] for rating in ratings)
    standard = client.get(url, {"dash": "standard", "page": "1"}).content.decode()
    assert "Showing 1 to 40 of 40 children" in standard or "Showing 40 children" in standard


def test_the_batch_preview_uses_a_fixed_number_of_queries(client, org):
    client.force_login(org.fran)
    small = imports.stage_file(actor=org.fran, data=csv_bytes(household("DA/1"), household("DA/2", surname="B")),
                               filename="a.csv")
    large = imports.stage_file(actor=org.fran, filename="b.csv",
                               data=csv_bytes(*(household(f"DB/{n}", surname=f"C{n}") for n in range(10))))
    counts = [_queue_queries(client, reverse("frontdoor:police_batch", args=[batch.pk])) for batch in (small, large)]
    assert counts[0] == counts[1]


def test_the_csv_neutralises_formulas_and_audits_an_export_per_child(client, org):
    imported(org, household("DA/1", summary="=HYPERLINK(\"http://evil.example\",\"click\")"),
             household("DA/2", surname="Reid", officer_name="@PC Smith"))
    client.force_login(org.fran)
    response = client.get(reverse("frontdoor:triage_queue_csv"))
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Child" and len(rows) == 3
    summaries = [row[-1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in summaries
    exports = AuditEvent.objects.filter(action=Action.EXPORT, actor=org.fran)
    assert sorted(event.child.last_name for event in exports) == ["Marsh", "Reid"]


@pytest.mark.usefixtures("a_week_after_the_incidents")
def test_bulk_triage_records_one_batch_with_a_decision_per_child_in_their_own_words(client, org):
    imported(org, household("DA/1"), household("DA/2", surname="Reid"), household("DA/3", surname="Stone"))
    links = {link.child.last_name: link for link in ContactChild.objects.select_related("child")}
    chosen = [links["Marsh"], links["Reid"]]
    client.force_login(org.mo)
    url = reverse("frontdoor:bulk_triage")
    page = client.get(url, {"contact_child": [link.pk for link in chosen]}).content.decode()
    assert "Lily Marsh" in page and "Lily Reid" in page and "Lily Stone" not in page
    assert f'name="rationale_{chosen[0].pk}"' in page and "Incidents in the household" in page
    # A missing child rationale is shown on that child's field; nothing is saved.
    data = {"contact_child": [link.pk for link in chosen], "outcome": "nfa", "level": "1",
            "rationale": "Standard risk, one-off verbal argument, children safe",
            f"rationale_{chosen[0].pk}": "Lily was asleep; mother has support from her sister"}
    refused = client.post(url, data).content.decode()
    assert "Enter the rationale for Lily Reid" in refused and f'href="#id_rationale_{chosen[1].pk}"' in refused
    assert BulkTriage.objects.count() == 0
    data[f"rationale_{chosen[1].pk}"] = "Lily was at her grandmother's; no earlier concerns"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("frontdoor:triage_queue")
    batch = BulkTriage.objects.get()
    decisions = {d.contact_child.child.last_name: d for d in ThresholdDecision.objects.filter(bulk_triage=batch)}
    assert set(decisions) == {"Marsh", "Reid"}
    assert decisions["Reid"].circumstances == "Lily was at her grandmother's; no earlier concerns"
    assert decisions["Marsh"].criteria_applied == "Standard risk, one-off verbal argument, children safe"
    # The three households share the default address, so each has three incidents.
    assert decisions["Marsh"].history_considered.startswith("3 police domestic-abuse incidents in the household")
    queue = client.get(response["Location"]).content.decode()
    assert "Triage decisions recorded for 2 children" in queue and "Lily Stone" in queue and "Lily Reid" not in queue


def test_bulk_triage_is_refused_to_a_practitioner_who_is_not_qualified(client, org):
    imported(org, household("DA/1"))
    link = ContactChild.objects.get()
    client.force_login(org.fran)
    page = client.post(reverse("frontdoor:bulk_triage"), {
        "contact_child": [link.pk], "outcome": "nfa", "level": "1", "rationale": "Standard risk",
        f"rationale_{link.pk}": "Asleep"}).content.decode()
    assert "qualified social worker" in page and ThresholdDecision.objects.count() == 0


PAGES = ["police_batches", "triage_queue", "triage_queue_csv", "bulk_triage"]
BATCH_PAGES = ["police_batch", "police_confirm", "police_discard"]


@pytest.mark.parametrize("username", ["ola", "sam"])
def test_people_outside_the_front_door_get_not_found_on_every_page(client, org, username):
    batch = imported(org, household("DA/1"))
    link = ContactChild.objects.get()
    client.force_login(getattr(org, username))
    urls = [reverse(f"frontdoor:{name}") for name in PAGES] + [
        reverse(f"frontdoor:{name}", args=[batch.pk]) for name in BATCH_PAGES]
    for url in urls:
        assert client.get(url, {"contact_child": link.pk}).status_code == 404, url
        assert client.post(url, {"contact_child": link.pk}).status_code == 404, url
    assert client.post(reverse("frontdoor:police_upload"),
                       {"file": SimpleUploadedFile("x.csv", example_bytes())}).status_code == 404
    assert ImportBatch.objects.count() == 1
