"""Forms for supervision. They turn what was typed into values; oversight/services/supervision.py decides what is
allowed and says why, so the boxes here are not `required` (the service names each missing part)."""

from __future__ import annotations

from django import forms

from casefile.core.forms import GovukDateField


def text(label: str, *, hint: str = "", rows: bool = True) -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False,
                           widget=forms.Textarea if rows else forms.TextInput)


class ReflectiveForm(forms.Form):
    held_on = GovukDateField(label="Date of the supervision", required=False, help_text="For example, 27 3 2026")
    happening = text("What is happening", hint="For the child: what has happened since the last supervision, and "
                                                "what the child and the family say")
    worries = text("What we are worried about", hint="The harm the child may come to, and how likely it is")
    working_well = text("What is working well", hint="Strengths and safety: what the family and others do that "
                                                      "keeps the child safe")
    hypotheses = text("Hypotheses", hint="What might explain what is happening, and what would tell us which is "
                                         "right")
    next_steps = text("What needs to happen", hint="The direction agreed. Add each action, with who and by when, "
                                                   "on the next page")


class CaseSupervisionForm(ReflectiveForm):
    worker = forms.TypedChoiceField(label="Worker supervised", coerce=int, required=False, empty_value=None)
    field_order = ["worker", "held_on"]

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Select the worker"), *((w.pk, w.get_full_name() or w.username)
                                                                     for w in workers)]


class SupervisionActionForm(forms.Form):
    description = text("What will be done", hint="Start with what will be done, for example ‘Visit Lily at school "
                                                 "and see her alone’")
    owner = text("Who will do it", hint="A named person, for example ‘Sam Worker (social worker)’", rows=False)
    due_date = GovukDateField(label="Done by", required=False, help_text="For example, 27 4 2026")
    measure = text("How everyone will know it has been done", hint="What someone will see, count or be told, for "
                                                                   "example ‘Lily’s own words recorded on the visit’")


class CompleteActionForm(forms.Form):
    completed_on = GovukDateField(label="When was it done?", required=False, help_text="For example, 27 4 2026")


class SignOffForm(forms.Form):
    """No boxes: the button is the signature. The page says what is being signed."""


class ReopenForm(forms.Form):
    reason = text("Why does the signed record need to change?",
                  hint="Both of you sign it again once it is corrected")


class StaffSupervisionForm(forms.Form):
    held_on = ReflectiveForm.base_fields["held_on"]
    wellbeing = text("Wellbeing", hint="How the worker is, and any support agreed")
    caseload = text("Caseload", hint="The number and complexity of their cases, and any change agreed")
    learning = text("Learning and development", hint="Training, reflection and what they will learn next")
