"""The front door in the browser: from the police's CSV file to a referral for assessment and the referrer's letter.

Fran (front-door practitioner) uploads the night's police file: two incidents, one high risk with children present
about Lily, who already has a record, and one standard risk about a boy the service has never met. She checks the
preview and confirms it. Mo (a qualified social worker in the MASH) triages the standard-risk notification in bulk,
with a rationale for the batch and one for the child, then reads Lily's history and decides she needs an
assessment. Mel (the MASH team manager) authorises both decisions, which opens Lily's referral, hands her over to
the assessment team, writes the letter to the police officer who referred her, downloads it as a tagged PDF and
records that it was sent. axe checks each page on the way.
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from casefile.casework.models import Episode
from casefile.frontdoor.models import BulkTriage, Contact, ReferrerLetter, ThresholdDecision
from casefile.people.models import Person
from tests.system.accessibility import assert_accessible
from tests.system.browser import sign_in
from tests.system.journey_steps import choose, follow, submit, write

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

HEADER = ("police_reference,incident_datetime,reported_datetime,dash_risk,children_present,household_address,"
          "postcode,person_role,first_name,last_name,date_of_birth,sex,officer_name,summary")


def police_file(yesterday: datetime.date) -> bytes:
    night = f"{yesterday.isoformat()}T22:40"
    reported = f"{yesterday.isoformat()}T23:05"
    high = f'WYP/26/100001,{night},{reported},high,yes,"14 Elm Grove, Leeds",LS6 2AB'
    standard = f'WYP/26/100002,{night},{reported},standard,no,"3 Mill Lane, Leeds",LS7 1AA'
    rows = [
        f'{high},victim,Jodie,Hartley,1990-03-12,F,PC 4471 Amir Khan,"Shouting and glass breaking; children awake"',
        f'{high},perpetrator,Dean,Hartley,1988-11-02,M,PC 4471 Amir Khan,"Shouting and glass breaking; children awake"',
        f'{high},child,Lily,Hartley,2016-05-14,F,PC 4471 Amir Khan,"Shouting and glass breaking; children awake"',
        f'{standard},victim,Amy,Stone,1995-07-01,F,PC 2210 Sue Bell,"Verbal argument; the child was at his nan\'s"',
        f'{standard},child,Ben,Stone,2018-01-02,M,PC 2210 Sue Bell,"Verbal argument; the child was at his nan\'s"',
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_police_file_to_referral_and_the_referrers_letter(page, live_server, org, child):
    today = timezone.localdate()

    # Fran uploads the file and checks the preview: Lily is recognised, Ben is new.
    as_user(page, "fran")
    page.goto(reverse("frontdoor:police_batches"))
    assert_accessible(page, "police batches")
    page.get_by_label("Upload the police notifications file").set_input_files(
        {"name": "police.csv", "mimeType": "text/csv", "buffer": police_file(today - datetime.timedelta(days=1))})
    submit(page, "Upload and check")
    expect(page.get_by_role("heading", name="Check the police notifications before importing them")).to_be_visible()
    expect(page.locator("main")).to_contain_text("WYP/26/100001")
    expect(page.get_by_role("row", name="Lily Hartley")).to_contain_text("Exact match")
    expect(page.get_by_role("row", name="Ben Stone")).to_contain_text("New record")
    assert_accessible(page, "police preview")
    submit(page, "Confirm and create 2 contacts")
    # The confirmation ran as a background task (at once, in tests); its page says it finished.
    expect(page.get_by_role("heading", name="Finished")).to_be_visible()
    assert_accessible(page, "background job finished")
    assert Contact.objects.count() == 2
    page.get_by_role("button", name="Go to the police file").click()
    expect(page.get_by_role("heading", name="Police notifications: imported")).to_be_visible()

    # The queue shows both, high risk first, with the facts a triager needs.
    page.goto(reverse("frontdoor:triage_queue"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lily Hartley")
    expect(rows.nth(0)).to_contain_text("High")
    expect(rows.nth(0)).to_contain_text("Red")
    expect(rows.nth(1)).to_contain_text("Ben Stone")
    expect(rows.nth(1)).to_contain_text("Standard")
    assert_accessible(page, "triage queue")

    # Mo triages Ben's standard-risk notification in bulk: a rationale for the batch and one for Ben.
    as_user(page, "mo")
    page.goto(reverse("frontdoor:triage_queue"))
    page.get_by_label("Select Ben Stone").check()
    submit(page, "Triage the selected standard-risk notifications")
    write(page, "Rationale for Ben Stone", "Ben was not at home; no earlier incidents; mother has support.")
    choose(page, "Outcome for every child selected", "Advice, information or signposting")
    choose(page, "Level of need", "Level 1: universal")
    write(page, "Rationale for the whole batch", "Standard risk, no children present, no repeat incidents.")
    assert_accessible(page, "bulk triage")
    submit(page, "Record 1 decision")
    ben_decision = ThresholdDecision.objects.get(contact_child__child__first_name="Ben")
    assert ben_decision.bulk_triage == BulkTriage.objects.get()
    assert ben_decision.circumstances.startswith("Ben was not at home")

    # Mo opens Lily's contact: her history is there before any decision, then he decides.
    lily_contact = Contact.objects.get(children__child=child)
    page.goto(reverse("frontdoor:contact", kwargs={"contact_id": lily_contact.pk}))
    expect(page.locator("#history")).to_be_visible()
    follow(page, "Make the decision for Lily Hartley")
    expect(page.locator("#history")).to_be_visible()
    choose(page, "Level of need", "Level 3: child in need")
    choose(page, "Outcome", "Referral for a social work assessment")
    write(page, "Threshold criteria applied", "Level 3: domestic abuse with children present, high DASH")
    write(page, "The child’s circumstances", "Lily was awake upstairs during a high-risk incident")
    write(page, "History taken into account", "No earlier contacts; first police incident at this address")
    write(page, "Consent position", "Police did not seek consent; mother to be asked at first visit")
    page.get_by_label("Primary need (for a referral)").select_option(label="Abuse or neglect (N1)")
    assert_accessible(page, "decide")
    submit(page, "Record the decision")
    assert not Episode.objects.filter(child=child).exists()  # nothing happens until a manager agrees

    # Mel authorises it: the referral opens, dated the day the front door received it, from the police.
    as_user(page, "mel")
    page.goto(reverse("frontdoor:awaiting_authorisation"))
    assert_accessible(page, "awaiting authorisation")
    lily_decision = ThresholdDecision.objects.get(contact_child__child=child)
    page.goto(reverse("frontdoor:authorise", kwargs={"decision_id": lily_decision.pk}))
    expect(page.locator("main")).to_contain_text("Lily was awake upstairs")
    submit(page, "Authorise")
    episode = Episode.objects.get(child=child)
    assert (episode.referral_date, episode.referral_source, episode.primary_need) == (today, "6", "N1")
    assert episode.referral_decided_by == org.mo

    # She hands Lily over to the assessment team; Lily leaves the front-door board.
    page.goto(reverse("frontdoor:handover", kwargs={"contact_id": lily_contact.pk,
                                                    "contact_child_id": lily_decision.contact_child_id}))
    page.get_by_label("Team taking the referral").select_option(label="Assessment Team")
    write(page, "Summary for the receiving team", "High-risk domestic abuse; Lily present; assessment needed")
    write(page, "Immediate safety", "Perpetrator bailed away from the address; mother aware")
    submit(page, "Hand over")
    page.goto(reverse("frontdoor:board"))
    expect(page.locator("main")).not_to_contain_text("Lily Hartley")

    # The letter to the referring officer says what was decided, as a tagged PDF, and is recorded as sent.
    page.goto(reverse("frontdoor:letter", kwargs={"contact_id": lily_contact.pk}))
    submit(page, "Write the letter")
    body = page.locator("#letter-body")
    expect(body).to_contain_text("PC 4471 Amir Khan")
    expect(body).to_contain_text("assess")
    assert_accessible(page, "letter")
    letter = ReferrerLetter.objects.get(contact=lily_contact)
    pdf = page.request.get(reverse("frontdoor:letter_pdf", kwargs={"letter_id": letter.pk}))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Lily" in text and "assess" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    choose(page, "How was the letter sent?", "Email")
    submit(page, "Record as sent")
    letter.refresh_from_db()
    assert letter.sent_at is not None and letter.method == "email"
    assert Person.objects.filter(first_name="Ben", last_name="Stone").count() == 1
