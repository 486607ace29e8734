"""The conference form: what was decided, who was invited and who came, which reports arrived, and (for a review
conference) how far each action of the plan was done. The rules are in casework/services/protection.py."""

from __future__ import annotations

from django import forms

from casefile.casework.forms.plans import ProgressFields, YesNoField, text
from casefile.casework.models import Agency, Conference, PlanAction
from casefile.casework.services.protection import DECISIONS, Invitee
from casefile.core.forms import GovukDateField
from casefile.core.presenters import govuk_date
from casefile.people.models import Person
from casefile.rules import codes

# Agencies offered as rows for who came and which reports arrived; anyone else goes in a "someone else" row.
AGENCY_ROWS = [agency for agency in Agency if agency != Agency.OTHER]
OTHER_ROWS = 2


class AnyChoiceField(forms.TypedChoiceField):
    """A choice the service checks (and explains), so a stale or tampered value gets the service's message."""

    def validate(self, value):
        forms.Field.validate(self, value)


class ConferenceForm(ProgressFields, forms.Form):
    date = GovukDateField(label="Date of the conference", required=False, not_in_future=True)
    chair = AnyChoiceField(label="Who chaired the conference?", required=False, coerce=int, empty_value=None)
    enquiry = AnyChoiceField(label="Which section 47 enquiry led to this conference?", required=False,
                             coerce=int, empty_value=None, widget=forms.RadioSelect)
    advocacy_offered = YesNoField(label="Was the child offered an advocate?")
    childs_views = text("How were the child’s views brought to the conference?")
    decision = forms.ChoiceField(label="What did the conference decide?", required=False, widget=forms.RadioSelect)
    category = forms.ChoiceField(label="Category of abuse", required=False, widget=forms.RadioSelect,
                                 choices=codes.choices(codes.CATEGORY_OF_ABUSE),
                                 help_text="Required if the child is to have a child protection plan")
    decision_rationale = text("Why did the conference decide this?", hint="Optional")
    contingency = text("Contingency in the outline plan",
                       hint="Required if the conference agreed a plan: what will happen if the plan does not work, "
                            "and who will act")
    review_summary = text("Summary of the review", hint="Optional. What has changed for the child since the plan "
                                                       "started or was last reviewed")

    def __init__(self, *args, kind: str, child: Person, invitees: list[Invitee], chairs, enquiries=(),
                 actions: list[PlanAction] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.child, self.invitees = kind, child, invitees
        name = child.first_name
        self.fields["chair"].choices = [("", "Select the chair"),
                                        *((chair.pk, chair.get_full_name() or chair.username) for chair in chairs)]
        self.fields["enquiry"].choices = [
            (enquiry.pk, f"Section 47 enquiry started on {govuk_date(enquiry.strategy_discussion.date)}"
                         + (f", outcome recorded on {govuk_date(enquiry.outcome_date)}" if enquiry.outcome_date
                            else ""))
            for enquiry in enquiries]
        self.fields["decision"].choices = [(choice.value, choice.label) for choice in DECISIONS[kind]]
        self.fields["advocacy_offered"].label = f"Was {name} offered an advocate?"
        self.fields["childs_views"].label = f"How were {name}’s views brought to the conference?"
        self.fields["childs_views"].help_text = (f"For example: {name} came for part of it, their advocate read "
                                                 f"their letter, or the social worker shared their drawing")
        if kind != Conference.Kind.INITIAL:
            del self.fields["enquiry"]
        if kind == Conference.Kind.REVIEW:
            del self.fields["contingency"]
            self.fields["category"].help_text = "Required if the plan continues: the latest category"
        else:
            del self.fields["review_summary"]
        self._add_row_fields()
        self.add_progress_fields(list(actions))

    # Rows ------------------------------------------------------------------------------------------------

    def _add_row_fields(self) -> None:
        for invitee in self.invitees:
            person = invitee.person
            self.fields[f"invitee_{person.pk}_invited"] = YesNoField(label=f"Was {person.full_name} invited?")
            self.fields[f"invitee_{person.pk}_attended"] = YesNoField(label=f"Did {person.full_name} come?")
        for agency in AGENCY_ROWS:
            self.fields[f"agency_{agency.value}_name"] = forms.CharField(label=f"{agency.label}: name and role",
                                                                         required=False)
            self.fields[f"agency_{agency.value}_invited"] = YesNoField(label=f"Was {agency.label} invited?")
            self.fields[f"agency_{agency.value}_attended"] = YesNoField(label=f"Did {agency.label} come?")
        for number in range(1, OTHER_ROWS + 1):
            self.fields[f"other_{number}_name"] = forms.CharField(label=f"Someone else ({number}): name",
                                                                  required=False)
            self.fields[f"other_{number}_role"] = forms.CharField(label=f"Someone else ({number}): role",
                                                                  required=False)
            self.fields[f"other_{number}_invited"] = YesNoField(label=f"Was someone else ({number}) invited?")
            self.fields[f"other_{number}_attended"] = YesNoField(label=f"Did someone else ({number}) come?")
        for agency in Agency:
            self.fields[f"report_{agency.value}_received"] = YesNoField(
                label=f"Did a report from {agency.label} arrive?")
            self.fields[f"report_{agency.value}_shared"] = YesNoField(
                label=f"Was the {agency.label} report shared with the parents before the conference?",
                not_known=True)

    def invitee_rows(self) -> list[tuple[Invitee, str, str]]:
        return [(invitee, f"invitee_{invitee.person.pk}_invited", f"invitee_{invitee.person.pk}_attended")
                for invitee in self.invitees]

    def agency_rows(self) -> list[tuple[Agency, list[str]]]:
        return [(agency, [f"agency_{agency.value}_{part}" for part in ("name", "invited", "attended")])
                for agency in AGENCY_ROWS]

    def other_rows(self) -> list[tuple[int, list[str]]]:
        return [(number, [f"other_{number}_{part}" for part in ("name", "role", "invited", "attended")])
                for number in range(1, OTHER_ROWS + 1)]

    def report_rows(self) -> list[tuple[Agency, str, str]]:
        return [(agency, f"report_{agency.value}_received", f"report_{agency.value}_shared") for agency in Agency]

    # What the service takes ------------------------------------------------------------------------------

    def participants(self) -> list[dict]:
        """Every family row, and each agency or other row with anything entered. Each row names its form field,
        so the service's messages land on the right question."""
        data = self.cleaned_data
        rows = [{"field": f"invitee_{invitee.person.pk}", "label": invitee.person.full_name,
                 "person": invitee.person, "name": invitee.person.full_name, "role": invitee.role, "agency": "",
                 "invited": data.get(invited), "attended": data.get(attended)}
                for invitee, invited, attended in self.invitee_rows()]
        rows += [{"field": f"agency_{agency.value}", "label": f"the person from {agency.label}", "person": None,
                  "name": data.get(name), "role": agency.label, "agency": agency.value,
                  "invited": data.get(invited), "attended": data.get(attended)}
                 for agency, (name, invited, attended) in self.agency_rows()
                 if _any_answer(data, name, invited, attended)]
        rows += [{"field": f"other_{number}", "label": f"someone else ({number})", "person": None,
                  "name": data.get(name), "role": data.get(role), "agency": "",
                  "invited": data.get(invited), "attended": data.get(attended)}
                 for number, (name, role, invited, attended) in self.other_rows()
                 if _any_answer(data, name, role, invited, attended)]
        return rows

    def reports(self) -> list[dict]:
        data = self.cleaned_data
        return [{"field": f"report_{agency.value}", "agency": agency.value, "received": data.get(received),
                 "received_on": None, "shared_with_parents": data.get(shared)}
                for agency, received, shared in self.report_rows() if _any_answer(data, received, shared)]

    def service_values(self) -> dict:
        """Everything the record_conference service takes from the form, except the looked-up objects."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in ("date", "advocacy_offered", "childs_views", "decision",
                                                     "category", "decision_rationale")}
        values.update(contingency=data.get("contingency", ""), review_summary=data.get("review_summary", ""),
                      participants=self.participants(), reports=self.reports())
        if self.kind == Conference.Kind.REVIEW:
            values["progress"] = self.progress()
        return values


def _any_answer(data: dict, *names: str) -> bool:
    return any(data.get(name) not in (None, "") for name in names)
