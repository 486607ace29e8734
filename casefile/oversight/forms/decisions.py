"""Forms for management decisions. They turn what was typed into values; oversight/services/decisions.py decides
what is allowed and says why, so every box is optional here."""

from __future__ import annotations

from django import forms

from casefile.access import permissions
from casefile.core.forms import GovukDateField
from casefile.oversight import evidence
from casefile.oversight.models import DecisionKind


def _text(label: str, hint: str = "", *, rows: bool = True):
    return forms.CharField(label=label, help_text=hint, required=False,
                           widget=forms.Textarea if rows else forms.TextInput)


def _evidence(label: str, choices):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     help_text=f"The records on the child’s file this rests on (the "
                                               f"{evidence.OFFERED_PER_KIND} most recent of each kind)")


# The evidence boxes, each after the point it supports: (box, what it is evidence for).
EVIDENCE_AFTER = {"options_considered": ("option_evidence", "options considered"),
                  "risks": ("risk_evidence", "risks weighed"), "strengths": ("strength_evidence", "strengths weighed")}


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of decision is it?", required=False, widget=forms.RadioSelect)
    decided_on = GovukDateField(label="Date of the decision", required=False, help_text="For example, 27 3 2024")
    options_considered = _text("Options considered", "Each option you considered, including doing nothing")
    risks = _text("Risks weighed", "What could harm the child, how likely and how serious")
    strengths = _text("Strengths weighed", "What is working well and who keeps the child safe")
    childs_views = _text("The child’s views", "In their own words where you can; for a baby or a child who does not "
                         "speak, what was observed")
    family_views = _text("The family’s views", "Parents, carers and others close to the child")
    views_weighed = _text("How the child’s and the family’s views were weighed")
    decision = _text("The decision")
    reasons = _text("Reasons for the decision")
    shareable_with_family = forms.BooleanField(label="This decision can be shared with the family", required=False,
                                               help_text="A letter for the parents can then be printed, with the "
                                                         "summary below and nothing else")
    family_summary = _text("Summary for the family (if shareable)", "The decision and its reasons in plain "
                           "language, as the parents will read them")
    dissent_raised_by = _text("Who disagreed (optional)", "Name, and their role or agency", rows=False)
    dissent = _text("What they disagreed with (optional)")

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in DecisionKind
                                       if permissions.may_record_decision(user, kind.value)]
        if len(self.fields["kind"].choices) < len(DecisionKind.choices):
            self.fields["kind"].help_text = ("Legal planning and pre-proceedings decisions are recorded by a service "
                                             "manager or head of service")
        offered = evidence.choices(child)
        if offered:
            # Each point weighed is followed by the records it rests on.
            ordered = {}
            for name, field in self.fields.items():
                ordered[name] = field
                if name in EVIDENCE_AFTER:
                    box, what = EVIDENCE_AFTER[name]
                    ordered[box] = _evidence(f"Evidence for the {what} (optional)", offered)
            self.fields = ordered


class DissentForm(forms.Form):
    dissent_raised_by = _text("Who disagreed", "Name, and their role or agency", rows=False)
    dissent = _text("What they disagreed with, and why")


class SignOffForm(forms.Form):
    """Nothing to fill in: the sign-off is who pressed the button, and when."""
