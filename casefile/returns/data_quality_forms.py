"""The forms of data quality as you type: explaining a census query, and the data-quality page's filters."""

from __future__ import annotations

from django import forms

from casefile.returns.data_quality import EXPLANATION_MAX


class ExplainForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput, max_length=10)
    explanation = forms.CharField(
        label="Why the record is right", max_length=EXPLANATION_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This goes into the census return's notes, so write it for someone at the DfE")


class ProblemFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)

    def __init__(self, data, *, teams: list[str], workers: list[str]):
        super().__init__(data)
        self.fields["team"].choices = [("", "All teams"), *[(name, name) for name in teams]]
        self.fields["worker"].choices = [("", "All workers"), *[(name, name) for name in workers]]

    def chosen(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["team"], self.cleaned_data["worker"]
