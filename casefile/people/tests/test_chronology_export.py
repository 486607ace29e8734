"""The chronology exports to a tagged, accessible PDF once the user says why; printing and exporting are audited."""

from __future__ import annotations

import datetime
import io
import uuid

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.access.models import AgencyShare
from casefile.audit.models import Action, AuditEvent
from casefile.casework.chronology import save_note
from casefile.casework.testing import make_journey
from casefile.core.models import Job
from casefile.testing import make_child, make_user

REASON = "Chronology for the court statement in care proceedings"


@pytest.fixture
def journey(org, child):
    """Hana chairs: Chris, a chair with no conference for Lily, is one of the outsiders."""
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


def export_url(child, query=""):
    return reverse("people:chronology_export", kwargs={"person_id": child.pk}) + (f"?{query}" if query else "")


def export(client, child, query="", reason=REASON):
    """Ask for the PDF, follow its background job (run at once by the tests' task backend) and download it."""
    asked = client.post(export_url(child, query), {"reason": reason})
    assert asked.status_code == 302 and asked.url.startswith("/jobs/"), asked
    job = Job.objects.get(pk=asked.url.split("/")[2])
    assert job.status == Job.Status.DONE, job.error
    page = client.get(asked.url).content.decode()
    assert "Download the PDF" in page and job.result_url in page
    return client.get(job.result_url)


def pdf_text(content: bytes) -> str:
    """The text of every page, with line breaks (wrapped table cells) made spaces."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_export_is_a_pdf_of_the_chronology_with_analysis_and_who_exported_it(client, org, child, journey):
    save_note(actor=org.sam, child=child, event_key=f"visit:{journey.visit.pk}", significant=True,
              analysis="First time Lily talked about food at home.")
    client.force_login(org.sam)
    response = export(client, child)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"chronology-{child.reference}-" in disposition
    assert "Lily" not in disposition and "Hartley" not in disposition
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    for expected in ("Chronology: Lily Hartley", "14 May 2016", child.reference, "Exported by", "Sam Worker",
                     "OFFICIAL-SENSITIVE", "Referral received", "Child protection visit",
                     "I had cereal for breakfast", "First time Lily talked about food at home.", "Analysis",
                     "Significant", "Page 1 of"):
        assert expected in text, expected


def test_the_pdf_is_tagged_for_screen_readers_with_a_language_and_title(client, org, child, journey):
    client.force_login(org.sam)
    reader = pypdf.PdfReader(io.BytesIO(export(client, child).content))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == f"Chronology: Lily Hartley ({child.reference})"
    tags = _structure_tags(catalog["/StructTreeRoot"])
    assert {"/Table", "/TH", "/TD", "/H1"} <= tags


def _structure_tags(node, seen=None) -> set[str]:
    """Every structure element type in the PDF's tag tree."""
    seen = set() if seen is None else seen
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            _structure_tags(child, seen)
        return seen
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return seen
    if "/S" in node:
        seen.add(node["/S"])
    if "/K" in node:
        _structure_tags(node["/K"], seen)
    return seen


def test_the_export_follows_the_filters(client, org, child, journey):
    client.force_login(org.sam)
    response = export(client, child, "type=visit")
    text = pdf_text(response.content)
    assert "Child protection visit" in text and "Referral received" not in text
    assert "Types: Visits" in text


def test_the_export_is_audited_with_the_reason_and_filters(client, org, child, journey):
    client.force_login(org.sam)
    download = reverse("people:chronology_download", kwargs={"person_id": child.pk, "job_id": uuid.uuid4()})
    export(client, child, "type=visit&significant=true")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.child, event.reason) == (org.sam, child, REASON)
    assert event.details["format"] == "pdf" and event.details["events"] == 0
    assert event.details["filters"] == {"types": ["visit"], "date_from": None, "date_to": None,
                                        "significant_only": True}
    # Each download is an export, with the reason given; a job that is not this person's finished PDF is not found.
    job = Job.objects.get()
    client.get(job.result_url)
    assert AuditEvent.objects.filter(action=Action.EXPORT, reason=REASON).count() == 2
    assert client.get(download).status_code == 404


def test_only_the_person_who_asked_may_follow_or_download_their_pdf(client, org, child, journey):
    client.force_login(org.sam)
    export(client, child)
    job = Job.objects.get()
    client.force_login(org.tess)  # Sam's manager may export Lily's record, but this is Sam's file
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(job.result_url).status_code == 404
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1


def test_a_pdf_that_fails_says_what_failed(client, org, child, journey, monkeypatch):
    from casefile.core import pdf

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client.force_login(org.sam)
    asked = client.post(export_url(child), {"reason": REASON})
    page = client.get(asked.url).content.decode()
    assert "This did not finish" in page and "unexpected problem (OSError)" in page
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_an_export_without_a_reason_is_refused(client, org, child, journey):
    client.force_login(org.sam)
    response = client.post(export_url(child), {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "There is a problem" in page and "Enter why you are exporting this chronology" in page
    page = client.post(export_url(child), {"reason": "court"}).content.decode()
    assert "Enter a reason of at least 10 characters" in page
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_export_page_asks_why(client, org, child, journey):
    client.force_login(org.sam)
    page = client.get(export_url(child)).content.decode()
    assert "Why are you exporting this?" in page and "OFFICIAL-SENSITIVE" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, details__page="people:chronology_export").exists()


def test_the_print_view_is_audited_as_printing_and_shows_the_marking(client, org, child, journey):
    client.force_login(org.sam)
    response = client.get(reverse("people:chronology_print", kwargs={"person_id": child.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("OFFICIAL-SENSITIVE") == 2
    for expected in ("Printed by", "Sam Worker", child.reference, "14 May 2016", "Referral received",
                     '<th scope="col" class="govuk-table__header">Analysis</th>'):
        assert expected in page, expected
    assert "govuk-service-navigation" not in page  # nothing to print but the chronology
    event = AuditEvent.objects.get(action=Action.PRINT)
    assert (event.actor, event.child) == (org.sam, child)
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_printing_only_answers_get(client, org, child, journey):
    client.force_login(org.sam)
    assert client.post(reverse("people:chronology_print", kwargs={"person_id": child.pk})).status_code == 405
    assert client.post(reverse("people:chronology", kwargs={"person_id": child.pk})).status_code == 405


CHRONOLOGY_URLS = ["people:chronology", "people:chronology_note", "people:chronology_export",
                   "people:chronology_print"]


@pytest.mark.parametrize("name", CHRONOLOGY_URLS)
def test_someone_with_no_link_to_the_child_gets_not_found_on_every_chronology_url(client, org, child, journey, name):
    outsiders = [org.ola, org.pat, org.petra, org.chris, org.quinn,
                 make_user("morgan", "team_manager", team=org.other_team, name="Morgan Elsewhere")]
    url = reverse(name, kwargs={"person_id": child.pk}) + f"?event=visit:{journey.visit.pk}"
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
        assert client.post(url, {"reason": REASON, "significant": "yes", "analysis": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action__in=[Action.VIEW, Action.EXPORT, Action.PRINT]).exists()
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).count() == 2 * len(outsiders)


def test_the_merged_duplicates_export_is_the_kept_records(client, org, child, journey):
    from casefile.people import services

    duplicate = make_child("Lilly", "Hartly")
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Same girl")
    client.force_login(org.fran)  # the front door may open both records
    response = client.get(export_url(duplicate))
    assert response.status_code == 302 and response.url == export_url(child)
    text = pdf_text(export(client, child).content)
    assert "Records merged" in text and duplicate.reference in text


def test_a_partner_agency_may_read_a_shared_record_but_not_export_or_print_it(client, org, child):
    AgencyShare.objects.create(child=child, agency=org.petra.agency, purpose="Joint enquiry", shared_by=org.tess,
                               expires_on=timezone.localdate() + datetime.timedelta(days=7), items=["chronology"])
    client.force_login(org.petra)
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}))
    assert page.status_code == 200 and "Export as PDF" not in page.content.decode()
    for name in ("people:chronology_export", "people:chronology_print"):
        assert client.get(reverse(name, kwargs={"person_id": child.pk})).status_code == 403
    assert client.post(reverse("people:chronology_export", kwargs={"person_id": child.pk}),
                       {"reason": "Taking it back to the station"}).status_code == 403
