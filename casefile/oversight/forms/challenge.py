"""Forms for chair and IRO challenge. The rules (what is required, which stage may follow) are in
oversight/services.py and rules/escalation.py; these only carry the answers."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField
from casefile.oversight.models import ReportFeedback


def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea)


class ConcernForm(forms.Form):
    concern = _text("What are you worried about?", "The practice on this case that concerns you, and why it "
                                                   "matters for the child")
    asked_for = _text("What are you asking for?", "What should happen, who should do it, and by when")


class ResponseForm(forms.Form):
    response = _text("Response", "What has been or will be done about the concern, and by when")
    responded_on = GovukDateField(label="Date of the response", required=False, not_in_future=True,
                                  help_text="For example, 27 3 2024")


class EscalateForm(forms.Form):
    stage = forms.ChoiceField(label="Which stage should the concern move to?", required=False,
                              widget=forms.RadioSelect,
                              error_messages={"invalid_choice": "Select a later stage to move the concern to"})
    skip_reason = _text("Why is a stage being passed over? (only if it is)",
                        "Required when the concern goes past the next stage, for example straight to the service "
                        "manager")

    def __init__(self, *args, stages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages


class ResolutionForm(forms.Form):
    resolution = _text("How was the concern resolved?", "What changed for the child, and what was agreed")


class FeedbackForm(forms.Form):
    grade = forms.ChoiceField(label="How good was the report?", required=False, widget=forms.RadioSelect,
                              choices=ReportFeedback.Grade.choices,
                              error_messages={"invalid_choice": "Select whether the report was good, adequate or poor"})
    comment = _text("Comment", "What made it good, adequate or poor: for example, whether it was on time, shared "
                               "with the parents, and analysed what the agency knows")
