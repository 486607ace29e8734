"""Every front-door page, as the people who use it see it, meets WCAG 2.2 AA according to axe-core.

Fran (front-door practitioner) records contacts and uploads police files, Mo (a qualified social worker in the
MASH) decides, and Mel (its team manager) authorises and reads the weekly report. The records each page needs
are made through the services first, so every page is checked with something on it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile import testing
from casefile.frontdoor.models import ContactChild, ImportBatch, NotificationPerson, ThresholdDecision
from casefile.frontdoor.services import checks, decisions, imports, letters
from casefile.frontdoor.testing import decide, make_contact
from casefile.frontdoor.tests.test_police_files import csv_bytes, example_bytes, household
from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def front_door(org, child):
    """A contact in each stage, a check waiting for an answer, a letter, an old item past the limit, a staged
    police file and a confirmed one whose children wait in the triage queue."""
    def days_ago(days: int) -> datetime.datetime:
        return timezone.now() - datetime.timedelta(days=days)

    waiting = make_contact(child, by=org.fran)
    checks.request_check(actor=org.fran, contact=waiting, agency="health", asked_of="Health visiting team North",
                         question="Is the family known?")
    decided = make_contact(testing.make_child("Noah", "Reid"), by=org.fran)
    decision = decide(decided.children.get(), by=org.mo)
    referred = make_contact(testing.make_child("Ava", "Stone"), by=org.fran, received_at=days_ago(14))
    referral = decide(referred.children.get(), by=org.mo)
    decisions.authorise_decision(actor=org.mel, decision=referral)
    letters.generate_letter(actor=org.fran, contact=referred)
    advised = make_contact(testing.make_child("Leo", "Khan"), by=org.fran, received_at=days_ago(20))
    advice = decide(advised.children.get(), by=org.mo, outcome="advice", level="1")
    decisions.authorise_decision(actor=org.mel, decision=advice)
    # Authorised two weeks ago and the referrer never told: on the "not yet told" list.
    ThresholdDecision.objects.filter(pk=advice.pk).update(authorised_at=days_ago(14))
    staged = imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    confirmed = imports.stage_file(actor=org.fran, data=csv_bytes(household("DA/1", surname="Quill"),
                                                                  household("DA/2", surname="Bright")),
                                   filename="night.csv")
    # The two households' adults share first names and dates of birth: the same people? No, new records.
    possible = NotificationPerson.objects.filter(notification__batch=confirmed, match="possible")
    imports.confirm_batch(actor=org.fran, batch=confirmed, resolutions={entry.pk: None for entry in possible})
    return {"waiting": waiting, "decided": decision, "referred": referred, "referral": referral, "staged": staged}


def contact_url(name: str, contact, **kwargs) -> str:
    return reverse(f"frontdoor:{name}", kwargs={"contact_id": contact.pk, **kwargs})


def shows(page, *texts: str) -> None:
    """The page just checked has what it is meant to list: an empty list would be a weaker check."""
    main = page.locator("main").inner_text()
    missing = [text for text in texts if text not in main]
    assert not missing, f"{page.url} does not show {missing}"


def test_every_front_door_page_meets_wcag_22_aa(page, live_server, org, child):
    made = front_door(org, child)
    waiting, referred = made["waiting"], made["referred"]
    waiting_link = waiting.children.get()
    referral_link = made["referral"].contact_child
    police_link = ContactChild.objects.filter(contact__police_notification__batch__status="confirmed").first()
    pages = Pages(page)

    sign_in(page, "fran")
    pages.visit("Front-door board", reverse("frontdoor:board"))
    shows(page, "Lily Hartley", "Noah Reid", "Ava Stone")
    pages.visit("Front-door board, filtered", reverse("frontdoor:board") + "?holder=unassigned&rag=none")
    pages.visit("Contact page", contact_url("contact", waiting))
    pages.visit("Record a contact: who is it about?", reverse("frontdoor:contact_new"))
    pages.visit("Record a contact, with search results", reverse("frontdoor:contact_new") + "?name=Lily+Hartley")
    details = reverse("frontdoor:contact_new") + f"?child={child.pk}&step=details"
    pages.visit("Record a contact: the details", details)
    pages.submit_empty("Record a contact: the details, with errors shown", details, "Record the contact")
    pages.visit("Request a multi-agency check", contact_url("check_new", waiting))
    pages.submit_empty("Request a check, with errors shown", contact_url("check_new", waiting), "Request the check")
    check = waiting.checks.get()
    pages.visit("Record a check response", reverse("frontdoor:check_response", kwargs={"check_id": check.pk}))
    pages.visit("Checks outstanding", reverse("frontdoor:checks_outstanding"))
    shows(page, "Health visiting team North")
    pages.visit("Letter to the referrer", contact_url("letter", referred))
    pages.visit("Letter not yet possible", contact_url("letter", waiting))
    pages.visit("Referrers not yet told", reverse("frontdoor:letters_overdue"))
    shows(page, "Leo Khan")
    pages.visit("Police notifications: upload", reverse("frontdoor:police_batches"))
    page.get_by_label("Upload the police notifications file").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv",
         "buffer": example_bytes().replace(b",high,", b",severe,", 1).replace(b"LS6 2AB", b"LS99", 1)})
    page.get_by_role("button", name="Upload and check").click()
    page.locator(".govuk-error-summary").wait_for()
    pages.check("Police notifications: a refused upload with its errors")
    pages.visit("Police notifications: a staged file's preview",
                reverse("frontdoor:police_batch", kwargs={"batch_id": made["staged"].pk}))
    pages.visit("Police notifications: an imported file",
                reverse("frontdoor:police_batch", kwargs={"batch_id": ImportBatch.objects.get(
                    filename="night.csv").pk}))
    pages.visit("Triage queue", reverse("frontdoor:triage_queue"))
    shows(page, "Lily Quill", "Lily Bright")

    page.context.clear_cookies()
    sign_in(page, "mo")
    decide_url = contact_url("decide", waiting, contact_child_id=waiting_link.pk)
    pages.visit("Threshold decision", decide_url)
    pages.submit_empty("Threshold decision, with errors shown", decide_url, "Record the decision")
    pages.visit("Bulk triage", reverse("frontdoor:bulk_triage") + f"?contact_child={police_link.pk}")
    pages.submit_empty("Bulk triage, with errors shown",
                       reverse("frontdoor:bulk_triage") + f"?contact_child={police_link.pk}", "Record 1 decision")

    page.context.clear_cookies()
    sign_in(page, "mel")
    pages.visit("Decisions awaiting authorisation", reverse("frontdoor:awaiting_authorisation"))
    shows(page, "Noah Reid")
    pages.visit("Authorise a decision", reverse("frontdoor:authorise", kwargs={"decision_id": made["decided"].pk}))
    pages.visit("An authorised decision", reverse("frontdoor:authorise", kwargs={"decision_id": made["referral"].pk}))
    handover = contact_url("handover", referred, contact_child_id=referral_link.pk)
    pages.visit("Hand over to assessment", handover)
    pages.submit_empty("Hand over, with errors shown", handover, "Hand over")
    pages.visit("Weekly report", reverse("frontdoor:weekly_report"))
    shows(page, "Ava Stone")

    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)
    assert len(pages.checked) >= 28
