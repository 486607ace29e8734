"""Forms for plans, reviews, core groups and visits. They turn what was typed into values; the services in
casework/services/plans.py decide what is allowed and say why (so most fields here are not `required`)."""

from __future__ import annotations

from django import forms

from casefile.casework.models import ActionProgress, HeardHow, Plan, PlanAction, Visit
from casefile.core.forms import GovukDateField
from casefile.core.presenters import govuk_date
from casefile.people.models import Person

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
ANSWERS = {"yes": True, "no": False, "unknown": None, "": None}


class YesNoField(forms.TypedChoiceField):
    """A yes or no question as radios, kept as True, False or None (unanswered): never a defaulted checkbox."""

    widget = forms.RadioSelect

    def __init__(self, *, not_known: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=YES_NO_UNKNOWN if not_known else YES_NO, coerce=ANSWERS.get, empty_value=None,
                         **kwargs)

    def prepare_value(self, value):
        if value is True or value is False:
            return "yes" if value else "no"
        return value


def text(label: str, *, hint: str = "", rows: bool = True) -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False,
                           widget=forms.Textarea if rows else forms.TextInput)


class CinPlanForm(forms.Form):
    start_date = GovukDateField(label="When did the plan start?", required=False, not_in_future=True,
                                help_text="Usually the day of the child in need meeting that agreed it")
    visit_interval_working_days = forms.IntegerField(
        label="How many working days can there be between visits?", required=False, min_value=1,
        help_text="The plan sets how often the child is visited. For example, 20 means at least every 4 weeks",
        error_messages={"invalid": "Enter the number of working days as a whole number, like 20",
                        "min_value": "Enter a number of working days of 1 or more"})
    contingency = text("Contingency", hint="What will happen if the plan does not work, and who will act. For "
                                           "example: ‘If Lily misses school 3 days in a row, Sam Worker visits "
                                           "the same week and calls a child in need meeting’")


class PlanDetailsForm(forms.Form):
    contingency = CinPlanForm.base_fields["contingency"]
    visit_interval_working_days = CinPlanForm.base_fields["visit_interval_working_days"]

    def __init__(self, *args, child_in_need: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not child_in_need:
            del self.fields["visit_interval_working_days"]


class EndPlanForm(forms.Form):
    end_date = GovukDateField(label="When did the plan end?", required=False, not_in_future=True)


class EndCpPlanForm(forms.Form):
    """A child protection plan ending without a conference; the rules are in services.plans.end_cp_plan."""

    reason = forms.ChoiceField(label="Why did the plan end?", required=False, widget=forms.RadioSelect,
                               choices=Plan.EndReason.choices,
                               error_messages={"invalid_choice": "Select why the plan ended"})
    end_date = GovukDateField(label="When did the plan end?", required=False, not_in_future=True)
    receiving_authority = text("Which authority did the child move to? (only for a transfer out)", rows=False)
    summary = text("Summary sent to the receiving authority (only for a transfer out)",
                   hint="The risks, the plan and what is outstanding")
class SubmitPlanForm(forms.Form):
    answer = text("Your answer to the manager’s comment",
                  hint="What you changed, or why you did not. The manager reads it with the plan.")


class AuthorisePlanForm(forms.Form):
    reason = text("Why are you authorising the plan with these flags remaining?",
                  hint="Say why the plan is right for the child as it stands. This is kept with the authorisation.")


class ReturnPlanForm(forms.Form):
    comment = text("What needs to change?",
                   hint="The worker sees this on their work list and on the plan, and answers it when they submit "
                        "the plan again.")


class OutcomeForm(forms.Form):
    description = text("What will be different for the child?",
                       hint="Say it as the child would notice it. For example: ‘Lily goes to school every day, "
                            "clean and having had breakfast’")


class ActionForm(forms.Form):
    """One SMART action: the service refuses it without an owner, a due date and a measure."""

    description = text("What will be done?", hint="Start with what the person will do. For example: ‘Walk Lily "
                                                  "to school by 8:45am every school day’")
    owner = forms.CharField(label="Who will do it?", required=False,
                            help_text="A named person, with their role. For example: ‘Dawn Hartley (mother)’")
    due_date = GovukDateField(label="By when?", required=False, help_text="For example, 27 3 2025")
    measure = text("How will everyone know it has been done?",
                   hint="Something someone can see, count or be told. For example: ‘The school register shows "
                        "Lily in school by 9am every day’")


class ProgressFields:
    """One status and one evidence question per action of the plan, for a review (or a review conference)."""

    def add_progress_fields(self, actions: list[PlanAction]) -> None:
        self.actions = actions
        for action in actions:
            self.fields[f"progress_{action.pk}_status"] = forms.ChoiceField(
                label=f"How far has ‘{action.description}’ been done?", required=False, widget=forms.RadioSelect,
                choices=ActionProgress.Status.choices,
                help_text=f"{action.owner}, by {govuk_date(action.due_date)}. Measure: {action.measure}")
            self.fields[f"progress_{action.pk}_evidence"] = forms.CharField(
                label="Evidence", required=False, widget=forms.Textarea,
                help_text="What shows this: for example the school register, a report, or what the child said")

    def progress_rows(self) -> list[tuple[PlanAction, str, str]]:
        return [(action, f"progress_{action.pk}_status", f"progress_{action.pk}_evidence")
                for action in self.actions]

    def progress(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {action.pk: {"status": data.get(status, ""), "evidence": data.get(evidence, "")}
                for action, status, evidence in self.progress_rows()}


class ReviewForm(ProgressFields, forms.Form):
    date = GovukDateField(label="Date of the review meeting", required=False, not_in_future=True)
    summary = text("What did the meeting agree?", hint="Optional. What is changing, and what happens next")

    def __init__(self, *args, actions: list[PlanAction], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_progress_fields(actions)


CORE_GROUP_ACTION_ROWS = 3


class CoreGroupForm(forms.Form):
    date = GovukDateField(label="Date of the core group", required=False, not_in_future=True)
    attendees = text("Who came?", hint="Names with their role or agency, one per line")
    summary = text("What did the core group discuss?", hint="Optional")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, CORE_GROUP_ACTION_ROWS + 1):
            self.fields[f"action_{number}_description"] = text(f"Action {number}: what will be done?", rows=False)
            self.fields[f"action_{number}_owner"] = forms.CharField(
                label=f"Action {number}: who will do it?", required=False, help_text="A named person, with their role")
            self.fields[f"action_{number}_due_date"] = GovukDateField(label=f"Action {number}: by when?",
                                                                      required=False)

    def action_rows(self) -> list[list[str]]:
        return [[f"action_{number}_{part}" for part in ("description", "owner", "due_date")]
                for number in range(1, CORE_GROUP_ACTION_ROWS + 1)]

    def actions(self) -> list[dict]:
        """The rows with anything typed in them: an empty row is not an action."""
        data = self.cleaned_data
        rows = [{part: data.get(name) for part, name in zip(("description", "owner", "due_date"), names,
                                                              strict=True)}
                for names in self.action_rows()]
        return [{**row, "number": number} for number, row in enumerate(rows, start=1) if any(row.values())]


class VisitForm(forms.Form):
    date = GovukDateField(label="Date of the visit", required=False, not_in_future=True)
    kind = forms.ChoiceField(label="What kind of visit was it?", required=False, widget=forms.RadioSelect,
                             choices=Visit.Kind.choices)
    child_seen = YesNoField(label="Did you see the child?")
    seen_alone = YesNoField(label="Did you see the child alone?", help_text="Answer if you saw the child")
    bedroom_seen = YesNoField(label="Did you see the child’s bedroom?")
    heard_how = forms.ChoiceField(label="How did you hear the child?", required=False, widget=forms.RadioSelect,
                                  choices=HeardHow.choices)
    childs_words = text("What did the child say, in their own words?")
    observations = text("What did you observe?")
    difference_made = text("What difference did it make to the plan?")
    not_seen_reason = text("Why was the child not seen?",
                           hint="Required if you did not see the child. Say what you will do about it")

    def __init__(self, *args, child: Person, **kwargs):
        super().__init__(*args, **kwargs)
        name = child.first_name
        self.fields["child_seen"].label = f"Did you see {name}?"
        self.fields["seen_alone"].label = f"Did you see {name} alone?"
        self.fields["seen_alone"].help_text = f"Answer if you saw {name}"
        self.fields["bedroom_seen"].label = f"Did you see {name}’s bedroom?"
        self.fields["childs_words"].label = f"What did {name} say, in their own words?"
        self.fields["childs_words"].help_text = (f"Required if you saw {name} and they are 4 or older. Write what "
                                                 f"they said, as they said it")
        self.fields["observations"].help_text = (f"Required if you saw {name} and they are under 4 or do not "
                                                 f"speak: how they looked, played and responded to the people "
                                                 f"around them. Optional otherwise")
        self.fields["heard_how"].label = f"How did you hear {name}?"
        self.fields["heard_how"].help_text = (f"Required if you saw {name}. Observation is for babies and children "
                                              f"who do not talk")
        self.fields["difference_made"].label = f"What difference did what {name} said or showed make to the plan?"
        self.fields["difference_made"].help_text = ("For example an action added or changed, or why the plan stays "
                                                    "the same")
        self.fields["not_seen_reason"].label = f"Why was {name} not seen?"
        self.fields["not_seen_reason"].help_text = (f"Required if you did not see {name}. Say what you will do "
                                                    f"about it")
