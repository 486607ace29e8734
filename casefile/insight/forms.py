"""The clinic's choices, read from the query string (nothing is saved): whose children and which period."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField

CENSUS_YEAR, TWELVE_MONTHS = "census_year", "twelve_months"


class ClinicForm(forms.Form):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    worker = forms.TypedChoiceField(label="Worker", required=False, coerce=int, empty_value=None)
    period = forms.ChoiceField(label="Period", required=False, widget=forms.RadioSelect, choices=[
        (CENSUS_YEAR, "A census year (1 April to 31 March)"), (TWELVE_MONTHS, "The 12 months to a date")])
    year = forms.ChoiceField(label="Census year", required=False)
    end = GovukDateField(label="The 12 months end on", required=False, not_in_future=True,
                         help_text="For example, 30 9 2025")

    def __init__(self, data, *, teams, workers, years, every_team: bool):
        super().__init__(data)
        everyone = "The whole authority" if every_team else "All your teams"
        self.fields["team"].choices = [("", everyone), *((team.pk, team.name) for team in teams)]
        self.fields["worker"].choices = [("", "Every worker"), *((worker.pk, str(worker)) for worker in workers)]
        self.fields["year"].choices = [(year, year) for year in years]

    def clean(self):
        data = super().clean()
        if data.get("period") == TWELVE_MONTHS and not data.get("end") and "end" not in self.errors:
            self.add_error("end", "Enter the date the 12 months end on")
        return data


class PackForm(forms.Form):
    """The period a self-evaluation pack covers. The service checks the dates against each other and today."""

    period_start = GovukDateField(label="The period starts on", help_text="For example, 1 4 2025")
    period_end = GovukDateField(label="The period ends on", help_text="For example, 31 3 2026")
