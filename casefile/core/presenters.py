"""Formatting for pages, kept out of templates so it can be tested on its own."""

from __future__ import annotations

import datetime

from django.utils import timezone
from markupsafe import Markup, escape

from casefile.rules.identifiers import format_nhs_number

MISSING = Markup('<span class="cf-missing">Not recorded</span>')


def govuk_date(value: datetime.date | None) -> str:
    """Dates as GOV.UK style asks: 5 January 2024.

    >>> govuk_date(datetime.date(2024, 1, 5))
    '5 January 2024'
    """
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: datetime.datetime | None) -> str:
    """>>> govuk_datetime(datetime.datetime(2024, 1, 5, 14, 30, tzinfo=datetime.timezone.utc))
    '5 January 2024 at 2:30pm'
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{govuk_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def nhs_number(value: str) -> str:
    """>>> nhs_number('9434765919')
    '943 476 5919'
    """
    return format_nhs_number(value) if value else ""


def or_missing(value) -> Markup | str:
    """Show missing identity data as missing, never as a default."""
    if value is None or value == "":
        return MISSING
    return escape(value)


def age_text(date_of_birth: datetime.date | None, today: datetime.date, date_of_death=None) -> str:
    """Age in years, or months for babies.

    >>> age_text(datetime.date(2020, 3, 1), datetime.date(2024, 2, 29))
    '3 years'
    >>> age_text(datetime.date(2024, 1, 15), datetime.date(2024, 4, 1))
    '2 months'
    """
    if date_of_birth is None:
        return ""
    end = min(today, date_of_death) if date_of_death else today
    months = (end.year - date_of_birth.year) * 12 + end.month - date_of_birth.month
    if end.day < date_of_birth.day:
        months -= 1
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"
