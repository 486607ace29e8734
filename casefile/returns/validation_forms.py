"""The validator's upload form and its results' filters."""

from __future__ import annotations

from django import forms

from casefile.returns import validation
from casefile.rules.cin.packs import PACKS


class YearForm(forms.Form):
    """Validating one of Casefile's own exports: only the year (its header names it)."""

    year = forms.ChoiceField(label="Census year", required=False,
                             choices=[("", "The year the file’s header names"),
                                      *[(year, f"{year} (the census on 31 March 20{year[-2:]})")
                                        for year in reversed(list(PACKS))]],
                             help_text="Whose rules to check it against")


class UploadForm(YearForm):
    file = forms.FileField(label="Upload a CIN census file", required=False)
    field_order = ["file", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"The census as XML, as sent to the DfE, up to {validation.limit_text()}"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Select the census file")
        return upload


class ResultFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Rule", required=False)
    kind = forms.ChoiceField(label="Errors or queries", required=False,
                             choices=[("", "Both"), ("error", "Errors"), ("query", "Queries")])
    child = forms.CharField(label="LA child ID", required=False, max_length=40)

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Any rule"), *[(code, code) for code in codes]]

    def filters(self) -> validation.Filters:
        if not self.is_valid():
            return validation.Filters()
        data = self.cleaned_data
        return validation.Filters(rule=data["rule"], kind=data["kind"], child=data["child"].strip())
