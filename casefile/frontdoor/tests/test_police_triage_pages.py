"""The triage queue and bulk triage as a user meets them: links that are links, who may triage said before any form,
and a CSV that a spreadsheet reads as UTF-8."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from casefile.frontdoor.models import BulkTriage, ContactChild, ThresholdDecision
from casefile.frontdoor.tests.test_police_files import household, incident, person
from casefile.frontdoor.tests.test_police_pages import imported


def test_the_police_reference_on_bulk_triage_is_a_link_not_html_shown_as_text(client, org):
    imported(org, household("DA/1"))
    link = ContactChild.objects.get()
    client.force_login(org.mo)
    page = client.get(reverse("frontdoor:bulk_triage"), {"contact_child": [link.pk]}).content.decode()
    contact_url = reverse("frontdoor:contact", args=[link.contact_id])
    assert f'<a class="govuk-link" href="{contact_url}">DA/1</a>' in page
    assert "&lt;a" not in page


def test_a_user_who_may_not_decide_is_told_before_the_form_with_what_to_do_instead(client, org):
    imported(org, household("DA/1"))
    link = ContactChild.objects.get()
    client.force_login(org.fran)  # a front-door practitioner: not a qualified social worker
    page = client.get(reverse("frontdoor:bulk_triage"), {"contact_child": [link.pk]}).content.decode()
    assert 'id="who-may-bulk-triage"' in page and "You are signed in as a front-door practitioner" in page
    assert 'name="rationale"' not in page and '<form method="post" novalidate>' not in page
    assert reverse("frontdoor:contact", args=[link.contact_id]) in page  # what to do instead
    assert reverse("frontdoor:triage_queue") in page
    # The queue offers no ticking or button either, and says why.
    queue = client.get(reverse("frontdoor:triage_queue")).content.decode()
    assert f'value="{link.pk}"' not in queue and "Triage the selected" not in queue
    assert 'id="who-may-bulk-triage"' in queue
    # A post made anyway is still refused by the service, and nothing is saved.
    client.post(reverse("frontdoor:bulk_triage"), {"contact_child": [link.pk], "outcome": "nfa", "level": "1",
                                                   "rationale": "x", f"rationale_{link.pk}": "y"})
    assert BulkTriage.objects.count() == ThresholdDecision.objects.count() == 0


def test_a_social_worker_at_the_front_door_gets_the_form_and_the_queue_ticks(client, org):
    imported(org, household("DA/1"))
    link = ContactChild.objects.get()
    client.force_login(org.mo)
    page = client.get(reverse("frontdoor:bulk_triage"), {"contact_child": [link.pk]}).content.decode()
    assert 'name="rationale"' in page and 'id="who-may-bulk-triage"' not in page
    queue = client.get(reverse("frontdoor:triage_queue")).content.decode()
    assert f'value="{link.pk}"' in queue and "Triage the selected" in queue


def test_the_triage_csv_starts_with_a_byte_order_mark_so_excel_shows_accents(client, org):
    imported(org, incident("DA/1", person("victim", "Ann", "Okafor", "1990-01-01"),
                           person("child", "Zoë", "Okafor", "2015-02-03")))
    client.force_login(org.fran)
    content = client.get(reverse("frontdoor:triage_queue_csv")).content
    assert content.startswith(b"\xef\xbb\xbfChild,")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == "Zoë Okafor"
