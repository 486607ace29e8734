"""The clinic's choices, read from the query string (nothing is saved): whose children and which period."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField
from casefile.insight.models import ChildPopulation

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


class PopulationFigureForm(forms.Form):
    """One figure of the child population (insight.services.enter_population checks it)."""

    characteristic = forms.ChoiceField(label="Characteristic", error_messages={
        "required": "Select the characteristic", "invalid_choice": "Select the characteristic"})
    category = forms.CharField(label="Category", max_length=100, help_text="As the diversity page names it, for "
                               "example Female, Disabled, White British (or its CIN census code WBRI), or a religion",
                               error_messages={"required": "Enter the category"})
    count = forms.CharField(label="Number of children aged 0 to 17", max_length=12,
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                            error_messages={"required": "Enter the number of children"})
    year = forms.CharField(label="Year of the figure", max_length=4, help_text="For example, 2021",
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                           error_messages={"required": "Enter the year of the figure"})
    source = forms.CharField(label="Source", max_length=200,
                             help_text="For example, ONS Census 2021 table RM032, with its address",
                             error_messages={"required": "Enter where the figure comes from"})

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["characteristic"].choices = [("", "Select"), *ChildPopulation.CHARACTERISTICS]


class PopulationFileForm(forms.Form):
    file = forms.FileField(label="Upload a CSV file", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Select the CSV file")
        return upload


class PackForm(forms.Form):
    """The period a self-evaluation pack covers. The service checks the dates against each other and today."""

    period_start = GovukDateField(label="The period starts on", help_text="For example, 1 4 2025")
    period_end = GovukDateField(label="The period ends on", help_text="For example, 31 3 2026")
