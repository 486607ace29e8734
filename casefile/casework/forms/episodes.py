"""Forms for the front half of the child's journey. They turn what was typed into values; the services in
casework/services/episodes.py decide what is allowed and say why, so fields are optional here."""

from __future__ import annotations

from django import forms

from casefile.access import permissions
from casefile.casework.models import (
    Agency,
    Assessment,
    FathersViewsNotSought,
    HeardHow,
    Section47Enquiry,
    StrategyDiscussion,
)
from casefile.casework.services.episodes import REQUIRED_AGENCIES
from casefile.core.forms import GovukDateField
from casefile.people.forms import NOT_RECORDED, CodeChoiceField, CodeMultipleChoiceField, YesNoUnknownField
from casefile.rules import codes

YES_NO = {"yes": True, "no": False}


class YesNoField(forms.TypedChoiceField):
    """A yes or no question as radios, kept as True, False or None when unanswered: never a defaulted tick."""

    widget = forms.RadioSelect

    def __init__(self, *, yes: str = "Yes", no: str = "No", **kwargs):
        super().__init__(choices=[("yes", yes), ("no", no)], coerce=YES_NO.get, empty_value=None, required=False,
                         **kwargs)

    def prepare_value(self, value):
        if value is True or value is False:
            return "yes" if value else "no"
        return value


class StaffField(forms.ModelChoiceField):
    """A member of staff, chosen from those who may do the act (a queryset from access/permissions.py)."""

    def __init__(self, staff, **kwargs):
        super().__init__(queryset=staff, required=False, **kwargs)
        self.error_messages["invalid_choice"] = "Select someone from the list"

    def label_from_instance(self, obj):
        return f"{obj} ({obj.role_label.lower()})"


def _text(label: str, hint: str = "", *, rows: bool = True, **kwargs):
    widget = forms.Textarea if rows else forms.TextInput
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget, **kwargs)


# The referral -------------------------------------------------------------------------------------------


class ReferralForm(forms.Form):
    referral_date = GovukDateField(label="Date the referral was received", required=False)
    referral_source = CodeChoiceField(label="Who made the referral?", required=False,
                                      choices=[NOT_RECORDED, *codes.choices(codes.REFERRAL_SOURCE)],
                                      help_text="The census referral source")
    referrer_name = _text("Name of the referrer (optional)", "The person who contacted us, with their role or "
                          "relationship to the child", rows=False)
    referral_summary = _text("What the referral is about (optional)", "What was reported and what the referrer is "
                             "worried about")
    early_help_provider = _text("Early help provider (only for a referral from early help)",
                                "For example Family Hub North", rows=False)
    step_up_reason = _text("Why early help is stepping the child up (only for a referral from early help)")


class ChangeReferralForm(ReferralForm):
    early_help_provider = None
    step_up_reason = None


class StepUpForm(forms.Form):
    referral_date = GovukDateField(label="Date early help referred the child", required=False)
    early_help_provider = _text("Early help provider", "For example Family Hub North", rows=False)
    referrer_name = _text("Name of the early help worker (optional)", rows=False)
    step_up_reason = _text("Why early help is stepping the child up", "What has changed, and what early help has "
                           "already tried")
    referral_summary = _text("What the referral is about (optional)")


class ReferralDecisionForm(forms.Form):
    decided_by = StaffField(permissions.decision_makers(), label="Who made the decision?",
                            help_text="A qualified social worker or a manager")
    decision_date = GovukDateField(label="Date of the decision", required=False)
    nfa = YesNoField(label="What was decided?", yes="No further action", no="Further action: the child’s needs "
                     "will be assessed")
    primary_need = CodeChoiceField(label="The child’s primary need", required=False,
                                   choices=[NOT_RECORDED, *codes.choices(codes.PRIMARY_NEED)],
                                   help_text="Required when the referral leads to further action")


# The single assessment ----------------------------------------------------------------------------------


class StartAssessmentForm(forms.Form):
    start_date = GovukDateField(label="Date the assessment started", required=False)


class SeenForm(forms.Form):
    child_seen = YesNoUnknownField(label="Was the child seen during the assessment?",
                                   help_text="You can save ‘not known’ for now, but answer yes or no before you "
                                             "submit the assessment")
    child_seen_on = GovukDateField(label="Date the child was seen (if they were)", required=False)
    child_seen_alone = YesNoUnknownField(label="Was the child seen alone?",
                                         help_text="Answer ‘not known’ rather than guess")


class ViewsForm(forms.Form):
    heard_how = forms.ChoiceField(label="How did you hear the child?", required=False, widget=forms.RadioSelect,
                                  choices=HeardHow.choices,
                                  help_text="Required before you submit if the child was seen. Observation is for "
                                            "babies and children who do not talk")
    childs_views = _text("The child’s views and lived experience",
                         "In the child’s own words where you can: what their day is like, what they worry about, "
                         "what they want to happen. For a child who does not use words, say how they told you")
    observations_of_child = _text("Your observations of the child",
                                  "For a baby or a child who does not talk: what you saw of them, their care and "
                                  "how they responded to the people around them")
    difference_made = _text("What difference did the child’s views make to the plan?",
                            "What you will do, or do differently, because of what the child said or showed you")


class HistoryForm(forms.Form):
    family_history = _text("Family history", "Who is in the family, significant events, and patterns over time")
    previous_involvement = _text("Previous involvement with services",
                                 "Earlier referrals, assessments and plans here or in other areas. Write ‘None "
                                 "known’ if there was none")


class IdentityForm(forms.Form):
    identity_needs = _text("Identity needs", "Ethnicity, religion, culture, language, disability, sexuality and "
                           "how they affect what the child needs")


class FactorsForm(forms.Form):
    factors = CodeMultipleChoiceField(label="Factors identified at the assessment", required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      choices=codes.choices(codes.ASSESSMENT_FACTORS),
                                      help_text="Select all that apply. Select ‘No factors identified’ only on its "
                                                "own")


class SafetyForm(forms.Form):
    worries = _text("What are we worried about?", "The harm, the danger to the child and what makes it harder")
    working_well = _text("What is working well?", "Strengths and the safety that is already there")
    needs_to_happen = _text("What needs to happen?", "Safety goals and next steps")
    scale = forms.IntegerField(label="On a scale of 0 to 10, how safe is the child?", required=False,
                               help_text="10 means everyone knows the child is safe enough for the case to close; "
                                         "0 means the child cannot live at home",
                               error_messages={"invalid": "Enter the scale as a whole number from 0 to 10"})


class OutcomeForm(forms.Form):
    analysis = _text("Analysis", "What the information means for the child, and why")
    outcome = CodeChoiceField(label="Outcome of the assessment", required=False, widget=forms.RadioSelect,
                              choices=Assessment.Outcome.choices)
    requires_support = YesNoField(label="Does the child need a plan from children’s social care?",
                                  help_text="Were they assessed as needing children’s social care support?")


SECTION_FORMS = {
    "seen": SeenForm,
    "views": ViewsForm,
    "history": HistoryForm,
    "identity": IdentityForm,
    "factors": FactorsForm,
    "safety": SafetyForm,
    "outcome": OutcomeForm,
}


class AssessmentAdultForm(forms.Form):
    role = _text("Who are they to the child?", "For example birth father, mother’s partner, grandmother",
                 rows=False)
    seen = YesNoField(label="Did you see them during the assessment?")
    seen_on = GovukDateField(label="Date you saw them (if you did)", required=False)
    not_seen_reason = _text("If you did not see them, why not?", "And what you did to try to see them")


class AuthoriseForm(forms.Form):
    authorised_on = GovukDateField(label="Date of authorisation", required=False,
                                   help_text="This is the date the assessment is complete. For example, 27 3 2024")


class SubmitAssessmentForm(forms.Form):
    answer = _text("Your answer to the manager’s comment",
                   "What you changed, or why you did not. The manager reads it with the assessment.")


class ReasonForm(forms.Form):
    reason = _text("What needs to change?")


# Strategy discussions and section 47 enquiries ----------------------------------------------------------


AGENCY_IN_SENTENCE = {Agency.SOCIAL_CARE: "children’s social care", Agency.POLICE: "the police",
                      Agency.HEALTH: "health"}


class StrategyDiscussionForm(forms.Form):
    kind = CodeChoiceField(label="Was it a discussion or a meeting?", required=False, widget=forms.RadioSelect,
                           choices=StrategyDiscussion.Kind.choices)
    date = GovukDateField(label="Date of the strategy discussion", required=False)
    chaired_by = StaffField(permissions.strategy_chairs(), label="Who chaired it?")
    reason = _text("Why was a strategy discussion needed?", "What happened, and why there is reasonable cause to "
                   "suspect significant harm")
    decision = CodeChoiceField(label="What was decided?", required=False, widget=forms.RadioSelect,
                               choices=StrategyDiscussion.Decision.choices)
    decision_rationale = _text("Reasons for the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One set of questions for each agency that must take part, in the order the page shows them.
        for agency in REQUIRED_AGENCIES:
            self.fields[f"{agency}_name"] = _text("Name", rows=False)
            self.fields[f"{agency}_role"] = _text("Role (optional)", rows=False)
            self.fields[f"{agency}_information_shared"] = _text("What they shared")
            self.fields[f"{agency}_absence_reason"] = _text(f"If nobody from {AGENCY_IN_SENTENCE[agency]} took "
                                                            f"part, why not?")

    def agency_fields(self) -> list[tuple[str, list]]:
        """(agency label, bound fields) per required agency, for the page's fieldsets."""
        return [(Agency(agency).label, [self[f"{agency}_{name}"] for name in
                                        ("name", "role", "information_shared", "absence_reason")])
                for agency in REQUIRED_AGENCIES]

    def participants(self) -> list[dict]:
        data = self.cleaned_data
        return [{"agency": agency, **{name: data[f"{agency}_{name}"] for name in
                                      ("name", "role", "information_shared", "absence_reason")}}
                for agency in REQUIRED_AGENCIES
                if any(data[f"{agency}_{name}"] for name in ("name", "role", "information_shared", "absence_reason"))]


class ParticipantForm(forms.Form):
    agency = CodeChoiceField(label="Agency", required=False, choices=[NOT_RECORDED, *Agency.choices])
    name = _text("Name", rows=False)
    role = _text("Role (optional)", rows=False)
    information_shared = _text("What they shared")
    absence_reason = _text("If nobody from this agency took part, why not?")


class StrategyActionForm(forms.Form):
    description = _text("What needs to be done?")
    owner = _text("Who will do it?", "A named person, for example Sarah Jones (social worker)", rows=False)
    due_date = GovukDateField(label="Date it is due", required=False)


class AgreedActionDoneForm(forms.Form):
    completed_on = GovukDateField(label="Date it was done", required=False, help_text="For example, 27 3 2024")


class Section47OutcomeForm(forms.Form):
    outcome = CodeChoiceField(label="Outcome of the section 47 enquiry", required=False, widget=forms.RadioSelect,
                              choices=Section47Enquiry.Outcome.choices)
    outcome_date = GovukDateField(label="Date of the outcome", required=False)
    outcome_rationale = _text("Reasons for the outcome")
    icpc_not_required = forms.BooleanField(
        label="An initial child protection conference is not required", required=False,
        help_text="Only when concerns are substantiated and the child is at continuing risk")
    icpc_not_required_reason = _text("Why is an initial conference not required?")


# Case notes, early help and closure ---------------------------------------------------------------------


class CaseNoteForm(forms.Form):
    date = GovukDateField(label="Date", required=False, help_text="When it happened. For example, 27 3 2024")
    subject = _text("Subject", "For example Phone call from school", rows=False)
    body = _text("Note")
    significant = forms.BooleanField(label="This is a significant event for the child", required=False,
                                     help_text="Significant events appear in the chronology")


class ClosureForm(forms.Form):
    reason = CodeChoiceField(label="Why is the case closing?", required=False, widget=forms.RadioSelect,
                             choices=codes.choices(codes.REASON_FOR_CLOSURE))
    rationale = _text("Why the case can close", "What has changed for the child, and why no more social care "
                      "support is needed")
    childs_views = _text("The child’s views about the case closing",
                         "In their own words where you can. Required unless the child has died")
    fathers_views = _text("The father’s views about the case closing",
                          "If the child’s father is known: what he said. If you did not ask him, say why below")
    fathers_views_not_sought = forms.ChoiceField(
        label="If the father’s views were not sought, why not?", required=False, widget=forms.RadioSelect,
        choices=FathersViewsNotSought.choices, help_text="Leave empty if you have entered his views")
    early_help_provider = _text("Early help provider (only when closing to early help, RC9)", rows=False)
    early_help_reason = _text("Why the child is stepping down to early help (only for RC9)")
    # Asked only when a manager returned the last proposal (the view drops it otherwise).
    answer = _text("Your answer to the manager’s comment",
                   "What you changed, or why the case should still close. The manager reads it with the closure.")


class StepDownForm(forms.Form):
    early_help_provider = _text("Early help provider", "For example Family Hub North", rows=False)
    early_help_reason = _text("Why the child is stepping down to early help", "What early help will do")
    rationale = _text("Why the case can close", "What has changed for the child")
    childs_views = _text("The child’s views about stepping down", "In their own words where you can")
    fathers_views = ClosureForm.base_fields["fathers_views"]
    fathers_views_not_sought = ClosureForm.base_fields["fathers_views_not_sought"]
    answer = ClosureForm.base_fields["answer"]


class PlainStepDownForm(forms.Form):
    date = GovukDateField(label="Date of the step-down", required=False)
    early_help_provider = _text("Early help provider", "For example Family Hub North", rows=False)
    reason = _text("Why the child is stepping down to early help")


class SignOffForm(forms.Form):
    signed_off_on = GovukDateField(label="Date of sign-off", required=False,
                                   help_text="The case closes on this date unless you give an earlier one below. "
                                             "For example, 27 3 2024")
    closure_date = GovukDateField(label="Date the case closed (only if earlier than the sign-off)", required=False,
                                  not_in_future=True,
                                  help_text="To backdate the closure, for example to the day the family moved away")
    backdate_reason = _text("Why is the closure backdated? (only if it is)")
