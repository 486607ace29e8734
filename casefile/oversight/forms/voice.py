"""The period of the child's voice coverage page: sent with GET, so a chosen period has its own address."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict

from casefile.core.forms import GovukDateField

PARTS = ("day", "month", "year")


class PeriodForm(forms.Form):
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 9 2026")
    date_to = GovukDateField(label="To", required=False, help_text="Leave empty for today")

    @classmethod
    def for_query(cls, query: QueryDict) -> PeriodForm:
        """Bound only when the query chooses a period, so the page with no period shows no errors."""
        chosen = any(query.get(f"{name}_{part}") for name in ("date_from", "date_to") for part in PARTS)
        return cls(query) if chosen else cls()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned

    def period(self, default_start: datetime.date, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
        """The dates chosen (from `default_start` to `today` where left empty), or None if what was typed is wrong."""
        if not self.is_bound:
            return default_start, today
        if not self.is_valid():
            return None
        start, end = self.cleaned_data["date_from"] or default_start, self.cleaned_data["date_to"] or today
        if start > end:
            self.add_error("date_from", "The date from must be on or before the date to, which is today if left "
                                        "empty")
            return None
        return start, end


def period_query(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The query parameters that choose the period again, for links to the records behind a count."""
    return {f"{name}_{part}": getattr(day, part) for name, day in (("date_from", start), ("date_to", end))
            for part in PARTS}
