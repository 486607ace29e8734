"""Ofsted Annex A lists 1 to 7 as a workbook: an analyst or administrator chooses the inspection date, a background
job makes the workbook from the record, and the download is the export, audited with every child it names."""

from __future__ import annotations

import datetime
import io
import uuid

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.core.models import Job
from casefile.frontdoor.models import Contact, ContactChild
from casefile.people.models import Disability
from casefile.returns import annex_a
from casefile.rules import annex_a as rules
from casefile.testing import make_child

# make_journey's referral is on 8 January 2024: the plan starts on 28 January, its review is on 17 April.
INSPECTION = datetime.date(2024, 6, 30)
START = reverse("returns:annex_a")


@pytest.fixture
def journey(org, child):
    cw.Allocation.objects.filter(child=child).update(start_date=datetime.date(2024, 1, 8))
    Disability.objects.create(person=child, code="LD")
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


def date_form(day: datetime.date) -> dict:
    return {"inspection_date_day": str(day.day), "inspection_date_month": str(day.month),
            "inspection_date_year": str(day.year)}


def make_workbook(client, day=INSPECTION):
    asked = client.post(START, date_form(day))
    assert asked.status_code == 302 and asked.url.startswith("/jobs/"), asked
    job = Job.objects.get(pk=asked.url.split("/")[2])
    assert job.status == Job.Status.DONE, job.error
    page = client.get(asked.url).content.decode()
    assert "Download the workbook" in page and job.result_url in page
    return job, client.get(job.result_url)


def sheets(response) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_an_analyst_gets_a_workbook_of_lists_1_to_7_with_the_standard_headers(client, org, child, journey):
    client.force_login(org.pat)
    job, response = make_workbook(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    assert 'filename="annex-a-lists-1-7-2024-06-30.xlsx"' in response["Content-Disposition"]
    book = sheets(response)
    assert list(book) == [spec.sheet for spec in rules.LISTS]
    for spec in rules.LISTS:
        assert book[spec.sheet][0] == spec.headers
    assert book["List 3 Referrals"][0][:5] == ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth",
                                               "Age of Child (Years)")
    referral = book["List 3 Referrals"][1]
    assert referral == (child.reference, "b) Female", "u) UNKNOWN", datetime.datetime(2016, 5, 14), 8,
                        datetime.datetime(2024, 1, 8), "e) 2A: Schools", "b) No", 1, "Assessment Team", "Sam Worker")
    assessment = book["List 4 Assessments"][1]
    assert assessment[5:9] == ("a) Yes", datetime.datetime(2024, 1, 9), "a) Yes", datetime.datetime(2024, 1, 17))
    enquiry = book["List 5 S47 and ICPC"][1]
    assert enquiry[6:12] == (datetime.datetime(2024, 1, 11), "b) No", datetime.datetime(2024, 1, 28), "a) Yes", 1, 1)
    cin = book["List 6 Children in Need"][1]
    assert cin[6:12] == (datetime.datetime(2024, 1, 8), "N1 - Abuse or neglect", datetime.datetime(2024, 2, 7), None,
                         None, "b) Child Protection plan")
    cp = book["List 7 Child Protection"][1]
    assert cp[6:15] == (datetime.datetime(2024, 1, 28), "a) Neglect", "a) Neglect", datetime.datetime(2024, 2, 7),
                        "a) Yes", datetime.datetime(2024, 4, 17), None, None, 0)
    # Step down to early help on 26 July 2024: after this inspection date, so not on list 2.
    assert len(book["List 2 Early Help"]) == 1
    assert job.details["rows"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1, "6": 1, "7": 1}


def test_the_lists_look_back_six_months_and_read_the_record_as_it_stood_on_the_date(client, org, child, journey):
    """On 31 August 2024 the referral (8 January) is more than 6 months back, the assessment was authorised before
    the look-back began, the plan is still open, and the step down (26 July) is on list 2."""
    client.force_login(org.ada)
    _, response = make_workbook(client, datetime.date(2024, 8, 31))
    book = sheets(response)
    assert len(book["List 3 Referrals"]) == 1 and len(book["List 4 Assessments"]) == 1
    assert book["List 2 Early Help"][1][5:] == (datetime.datetime(2024, 7, 26), None, "Family Hub North")
    assert len(book["List 7 Child Protection"]) == 2
    # Before the referral there is nothing at all.
    _, response = make_workbook(client, datetime.date(2024, 1, 7))
    assert all(len(rows) == 1 for rows in sheets(response).values())


def test_the_workbook_counts_each_child_on_a_contact_and_makes_text_safe(client, org, child, journey):
    brother = make_child("Leo", "Hartley", date_of_birth=datetime.date(2019, 2, 1), sex="M", ethnicity="WBRI")
    contact = Contact.objects.create(
        received_at=datetime.datetime(2024, 5, 2, 9, 30, tzinfo=datetime.UTC), source="6", summary="Police call",
        consent_to_share="given", consent_to_assessment="given", recorded_by=org.fran)
    for someone in (child, brother):
        ContactChild.objects.create(contact=contact, child=someone)
    org.assessment.name = "=HYPERLINK(\"http://x\")"
    org.assessment.save()
    client.force_login(org.pat)
    _, response = make_workbook(client)
    book = sheets(response)
    contacts = book["List 1 Contacts"][1:]
    assert [(row[0], row[1], row[2], row[5], row[6]) for row in contacts] == [
        (child.reference, "b) Female", "u) UNKNOWN", datetime.datetime(2024, 5, 2), "q) 6: Police"),
        (brother.reference, "a) Male", "a) WBRI", datetime.datetime(2024, 5, 2), "q) 6: Police")]
    assert book["List 3 Referrals"][1][9] == "'=HYPERLINK(\"http://x\")"


def test_asking_and_each_download_are_audited_naming_every_child_in_the_file(client, org, child, journey):
    client.force_login(org.pat)
    job, _ = make_workbook(client)
    client.get(job.result_url)
    asked, *downloads = AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk")
    assert asked.details == {"return": "annex_a", "step": "asked", "inspection_date": "2024-06-30",
                             "job": str(job.pk)}
    assert (asked.actor, asked.subject_type, asked.subject_id) == (org.pat, "core.job", str(job.pk))
    assert len(downloads) == 2
    for event in downloads:
        assert event.actor == org.pat and event.details["step"] == "downloaded"
        assert event.details["shown"] == [child.pk]
        assert event.details["rows"]["7"] == 1


@pytest.mark.parametrize("name", ["sam", "tess", "simon", "hana", "ola", "fran", "mo", "mel", "chris", "quinn",
                                  "petra"])
def test_everyone_else_is_refused_before_filling_anything_in(client, org, child, journey, name):
    client.force_login(getattr(org, name))
    page = client.get(START)
    assert page.status_code == 403
    assert "Only performance analysts and administrators" in page.content.decode()
    assert client.post(START, date_form(INSPECTION)).status_code == 403
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_someone_else_cannot_download_an_analysts_workbook(client, org, child, journey):
    client.force_login(org.pat)
    job, _ = make_workbook(client)
    client.force_login(org.ada)
    assert client.get(job.result_url).status_code == 404
    assert client.get(reverse("returns:annex_a_download", kwargs={"job_id": uuid.uuid4()})).status_code == 404
    client.force_login(org.sam)
    assert client.get(job.result_url).status_code == 403
    assert AuditEvent.objects.filter(action=Action.EXPORT, details__step="downloaded").count() == 1


@pytest.mark.parametrize(("form", "message"), [
    ({}, "Enter inspection date"),
    ({"inspection_date_day": "31", "inspection_date_month": "2", "inspection_date_year": "2024"},
     "Inspection date must be a real date"),
    ({"inspection_date_day": "3", "inspection_date_month": "", "inspection_date_year": "2024"},
     "Inspection date must include a month"),
])
def test_a_date_that_is_not_a_date_says_which_field_and_starts_nothing(client, org, form, message):
    client.force_login(org.pat)
    page = client.post(START, form)
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text and 'href="#id_inspection_date' in text
    assert not Job.objects.exists()


def test_the_page_lists_the_analysts_own_files_and_links_to_the_ssd_export(client, org, child, journey):
    client.force_login(org.pat)
    job, _ = make_workbook(client)
    page = client.get(START).content.decode()
    assert job.result_url in page and reverse("returns:ssd") in page
    client.force_login(org.ada)
    assert job.result_url not in client.get(START).content.decode()


def test_loading_costs_the_same_queries_however_much_is_recorded(org, child, journey):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            annex_a.load(INSPECTION)
        return len(captured)

    before = queries()
    for number in range(3):
        other = make_child(f"Child{number}", "Other")
        make_journey(other, worker=org.sam, manager=org.tess, chair=org.hana,
                     referral_date=datetime.date(2024, 2, 1 + number))
    assert queries() == before
