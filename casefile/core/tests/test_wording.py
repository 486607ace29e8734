"""Words on pages follow one set of rules, in presenters: counts agree with their nouns, a possessive follows the
name a person is known by, and dates are written the GOV.UK way (3 December 2026, no leading zero)."""

import datetime
import pathlib
import re

from django.urls import reverse
from django.utils import timezone

from casefile.frontdoor.testing import make_contact

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _sources(pattern: str):
    for path in sorted(ROOT.rglob(pattern)):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_no_template_writes_a_possessive_after_a_name_by_hand():
    """`{{ person.first_name }}’s` and friends: the possessive presenter knows about known-as names."""
    by_hand = re.compile(r"\}\}[’']s\b|~ \"[’']s\b")
    found = [f"{path.relative_to(ROOT)}:{number}" for path, text in _sources("*.html")
             for number, line in enumerate(text.splitlines(), 1) if by_hand.search(line)]
    assert found == []


def test_no_date_is_written_with_a_leading_zero():
    """`%d %B` gives "03 December 2026"; govuk_date and govuk_datetime give "3 December 2026"."""
    leading_zero = re.compile(r"%d %[bB]")
    found = [f"{path.relative_to(ROOT)}:{number}" for pattern in ("*.py", "*.html") for path, text in _sources(pattern)
             for number, line in enumerate(text.splitlines(), 1) if leading_zero.search(line)]
    assert found == []


def test_no_count_is_followed_by_a_fixed_plural_in_a_template():
    """"Record 1 decisions": a count joined to a plural noun must go through plural()."""
    fixed_plural = re.compile(r"(\| length|count) ~ \" [a-z]+s\"")
    found = [f"{path.relative_to(ROOT)}:{number}" for path, text in _sources("*.html")
             for number, line in enumerate(text.splitlines(), 1) if fixed_plural.search(line)]
    assert found == []


def test_the_contact_page_gives_the_date_received_without_a_leading_zero(client, org, child):
    received = timezone.make_aware(datetime.datetime(2024, 3, 5, 9, 30))
    contact = make_contact(child, by=org.fran, received_at=received)
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:contact", kwargs={"contact_id": contact.pk})).content.decode()
    assert "Contact received 5 March 2024" in page and "05 March" not in page
    assert str(contact) == "Contact received 5 March 2024 at 9:30am"
