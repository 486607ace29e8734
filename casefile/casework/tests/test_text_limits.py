"""Free text has a limit (rules/text_limits.py): a 1 MB case note is refused, naming the field and the limit, on
the page and in the service; nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.casework.models import CaseNote
from casefile.casework.services import episodes as services
from casefile.rules.text_limits import LONG_TEXT, SHORT_TEXT

ONE_MEGABYTE = "x" * 1_048_576


def note_page(client, child, **data):
    url = reverse("casework:add_case_note", kwargs={"person_id": child.pk})
    form = {"date_day": "4", "date_month": "3", "date_year": "2024", "subject": "Call from school",
            "body": "Attendance improving.", **data}
    return client.post(url, form)


def test_a_one_megabyte_case_note_is_refused_on_the_page_naming_the_field_and_limit(client, org, child):
    client.force_login(org.sam)
    page = note_page(client, child, body=ONE_MEGABYTE).content.decode()
    assert 'href="#id_body"' in page
    assert "Note must be 20,000 characters or fewer; it has 1,048,576" in page
    assert not CaseNote.objects.exists()


def test_a_note_of_exactly_the_limit_is_saved(client, org, child):
    client.force_login(org.sam)
    assert note_page(client, child, body="x" * LONG_TEXT).status_code == 302
    assert len(CaseNote.objects.get().body) == LONG_TEXT


def test_a_one_line_box_has_the_short_limit(client, org, child):
    client.force_login(org.sam)
    page = note_page(client, child, subject="s" * (SHORT_TEXT + 1)).content.decode()
    assert "Subject must be 500 characters or fewer; it has 501" in page
    assert not CaseNote.objects.exists()


def test_the_service_refuses_it_too(org, child):
    with pytest.raises(ValidationError) as refusal:
        services.record_case_note(actor=org.sam, child=child, date=datetime.date(2024, 3, 4), subject="Call",
                                  body=ONE_MEGABYTE)
    assert refusal.value.message_dict["body"] == ["Note must be 20,000 characters or fewer; it has 1,048,576"]
    assert not CaseNote.objects.exists()
