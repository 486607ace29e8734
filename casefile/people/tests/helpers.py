"""Small helpers shared by the people tests."""

from __future__ import annotations

import datetime

from casefile.people.models import Address, Alias


def date_fields(name: str, value: datetime.date | None) -> dict:
    """The three GOV.UK date boxes a form posts for one date."""
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def add_address(person, postcode: str, *, line_1="1 High Street", start=None, end=None) -> Address:
    return Address.objects.create(person=person, line_1=line_1, postcode=postcode, start_date=start, end_date=end)


def add_alias(person, first="", last="", kind=Alias.Kind.ALIAS) -> Alias:
    return Alias.objects.create(person=person, first_name=first, last_name=last, kind=kind)
