"""The clinic's choices, read from the query string (nothing is saved): whose children and which period."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField
from casefile.insight.models import ChildPopulation, NeighbourFigure

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


def _year(label: str, help_text: str) -> forms.CharField:
    """The year of an entered figure, checked by the service (rules/population.py, rules/neighbours.py)."""
    return forms.CharField(label=label, max_length=4, help_text=help_text,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                           error_messages={"required": f"Enter the {label[:1].lower()}{label[1:]}"})


def _source(max_length: int, help_text: str) -> forms.CharField:
    return forms.CharField(label="Source", max_length=max_length, help_text=help_text,
                           error_messages={"required": "Enter where the figure comes from"})


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
    year = _year("Year of the figure", "For example, 2021")
    source = _source(200, "For example, ONS Census 2021 table RM032, with its address")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["characteristic"].choices = [("", "Select"), *ChildPopulation.CHARACTERISTICS]


class NeighbourFigureForm(forms.Form):
    """One statistical neighbours' figure (insight.services.enter_neighbour_figure checks it)."""

    indicator = forms.ChoiceField(label="Indicator", error_messages={
        "required": "Select the indicator", "invalid_choice": "Select the indicator"})
    year = _year("Year the figure describes", "The year ending 31 March it counts: for example, 2025 for April "
                                                "2024 to March 2025")
    value = forms.CharField(label="The neighbours’ average", max_length=20,
                            help_text="In the indicator’s unit: a percentage as 21.4, a rate per 10,000 children as "
                                      "191.6", widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                            error_messages={"required": "Enter the neighbours’ average"})
    group = forms.CharField(label="Neighbour group", max_length=100,
                            help_text="For example, NFER model, 10 neighbours",
                            error_messages={"required": "Enter the neighbour group"})
    source = _source(300, "For example, the DfE statistical neighbour benchmarking tool, sent March 2026")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["indicator"].choices = [("", "Select"), *NeighbourFigure.INDICATORS]


class FigureFileForm(forms.Form):
    """A CSV file of figures: the child population's or the statistical neighbours'."""

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
