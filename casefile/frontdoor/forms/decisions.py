"""Forms for threshold decisions, authorisation, handovers, referrer letters and the board's filters. They turn
what was typed into values; the services decide what is allowed and say why, so fields are optional here."""

from __future__ import annotations

from django import forms

from casefile.accounts.models import Team
from casefile.core.forms import GovukDateField
from casefile.frontdoor.models import DecisionOutcome, RagRating, ReferrerLetter
from casefile.frontdoor.standards import front_door_settings
from casefile.people.forms import CodeChoiceField
from casefile.rules import codes


def _text(label: str, hint: str = "", *, rows: bool = True, **kwargs):
    widget = forms.Textarea if rows else forms.TextInput
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget, **kwargs)


class DecisionForm(forms.Form):
    level = CodeChoiceField(label="Level of need", required=False, widget=forms.RadioSelect,
                            help_text="On the authority’s continuum of need")
    outcome = CodeChoiceField(label="Outcome", required=False, widget=forms.RadioSelect,
                              choices=DecisionOutcome.choices)
    criteria_applied = _text("Threshold criteria applied", "Which criteria of the threshold document this meets")
    circumstances = _text("The child’s circumstances", "What is happening for the child now, and the risks")
    history_considered = _text("History taken into account", "What the history panel above shows, and how it "
                               "weighs in the decision")
    consent_position = _text("Consent position", "The family’s consent and how it shaped the decision")
    primary_need = CodeChoiceField(label="Primary need (for a referral)", required=False,
                                   choices=[("", "Select the primary need"), *codes.choices(codes.PRIMARY_NEED)],
                                   help_text="Needed when the outcome is an assessment or a strategy discussion: "
                                             "the census code of the child’s main need")
    early_help_provider = _text("Early help provider (for early help)", "The service or team that will work with "
                                "the family, for example Family Hub North", rows=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = front_door_settings().threshold_levels
        self.fields["level"].choices = [(level.code, level.label) for level in self.levels]

    def level_items(self) -> list[dict]:
        """The levels as radios, each with the authority's description of it as a hint."""
        chosen = self["level"].value()
        return [{"value": level.code, "text": level.label, "checked": level.code == chosen,
                 **({"hint": {"text": level.description}} if level.description else {})}
                for level in self.levels]


class AuthoriseForm(forms.Form):
    comment = _text("Your comment (optional)", "Anything you add to the decision, or why you agree it")


def assessment_teams():
    return Team.objects.filter(kind=Team.Kind.ASSESSMENT).order_by("name")


class HandoverForm(forms.Form):
    to_team = forms.ModelChoiceField(label="Team taking the referral", queryset=assessment_teams(), required=False,
                                     empty_label="Select a team")
    summary = _text("Summary for the receiving team", "What they need to know first: the worries, the decision "
                    "and who the family are")
    immediate_safety = _text("Immediate safety", "Risks to the child now and what has been done about them")
    outstanding = _text("Outstanding checks and actions (optional)", "Checks not yet answered and anything "
                        "still to do")

    def __init__(self, *args, allocated_team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A child who already has a worker goes to that worker's team, and only there (services/handovers.py).
        if allocated_team is not None:
            self.fields["to_team"].queryset = Team.objects.filter(pk=allocated_team.pk)
            self.initial.setdefault("to_team", allocated_team.pk)
        else:
            self.fields["to_team"].queryset = assessment_teams()
        self.fields["to_team"].error_messages["invalid_choice"] = "Select a team from the list"


class LetterSentForm(forms.Form):
    method = CodeChoiceField(label="How was the letter sent?", required=False, widget=forms.RadioSelect,
                             choices=ReferrerLetter.Method.choices)
    sent_on = GovukDateField(label="Date sent", required=False,
                             help_text="For example, 27 3 2026")


HOLDER_CHOICES = [("", "Anyone"), ("mine", "Mine"), ("unassigned", "Not assigned")]
RAG_CHOICES = [("", "Any"), *RagRating.choices, ("none", "Not rated")]


class BoardFilterForm(forms.Form):
    holder = forms.ChoiceField(label="Who has it", choices=HOLDER_CHOICES, required=False)
    rag = forms.ChoiceField(label="RAG rating", choices=RAG_CHOICES, required=False)
    past_limit = forms.BooleanField(label="Only items past the local limit", required=False)
