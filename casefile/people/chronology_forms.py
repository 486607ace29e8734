"""Forms for the chronology: its filters, a worker's note on one event, and the reason for an export."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from casefile.casework.chronology import ANALYSIS_MAX_LENGTH, EVENT_TYPES, Filters
from casefile.core.forms import GovukDateField

YES_NO = {"yes": True, "no": False}


class FilterForm(forms.Form):
    """Sent with GET, so a filtered chronology has its own address, which the export and print links keep."""

    type = forms.MultipleChoiceField(
        label="Type of event", required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: list(EVENT_TYPES.items()), help_text="Leave all unticked to see every type",
        error_messages={"invalid_choice": "Select the types of event from the list"},
    )
    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)
    significant = forms.BooleanField(label="Significant events only", required=False)

    @classmethod
    def for_query(cls, query: QueryDict) -> FilterForm:
        """Bound to the query if it sets any filter, so an unfiltered page shows no errors."""
        return cls(query) if any(name in query for name in filter_parameters()) else cls()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filters(self) -> Filters | None:
        """The chosen filters; none for an unbound form; None if what was entered is wrong."""
        if not self.is_bound:
            return Filters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Filters(types=frozenset(data["type"]), date_from=data["date_from"], date_to=data["date_to"],
                       significant_only=data["significant"])


def filter_parameters() -> list[str]:
    """The query parameters the filter form reads."""
    names = ["type", "significant"]
    for date in ("date_from", "date_to"):
        names += [f"{date}_{part}" for part in ("day", "month", "year")]
    return names


def filter_query(query: QueryDict) -> str:
    """Just the filter part of a query string, to carry the filters to another page and back."""
    kept = QueryDict(mutable=True)
    for name in filter_parameters():
        values = [value for value in query.getlist(name) if value]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


class NoteForm(forms.Form):
    significant = forms.TypedChoiceField(
        label="Is this a significant event?", widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")],
        coerce=YES_NO.get,
        help_text="A significant event changed the risk to the child or their daily life, or was a key decision.",
        error_messages={"required": "Select yes if this is a significant event"},
    )
    analysis = forms.CharField(
        label="Analysis (optional)", required=False, widget=forms.Textarea, max_length=ANALYSIS_MAX_LENGTH,
        help_text="What this event tells you about the child’s experience, the risks and what has changed. "
                  "Everyone who can see the chronology will see it.",
        error_messages={"max_length": f"Analysis must be {ANALYSIS_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, significant: bool, **kwargs):
        kwargs.setdefault("initial", {})["significant"] = "yes" if significant else "no"
        super().__init__(*args, **kwargs)


class ExportForm(forms.Form):
    reason = forms.CharField(
        label="Why are you exporting this?", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text="For example, for a court statement or a child protection conference report. Your reason is "
                  "kept with your name and the time, and managers can see it.",
        error_messages={"required": "Enter why you are exporting this chronology",
                        "max_length": "Reason must be 1,000 characters or fewer"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Enter a reason of at least 10 characters, saying why you need the export")
        return reason
