"""Forms for police notifications: the upload, the queue's filters and bulk triage. They only turn what was sent
into values; services/imports.py and services/decisions.py decide what is allowed and say why."""

from __future__ import annotations

from django import forms

from casefile.frontdoor.models import DecisionOutcome, ImportBatch, NotificationPerson, RagRating
from casefile.frontdoor.standards import front_door_settings
from casefile.rules.police_notifications import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(label="Upload the police notifications file", required=False,
                           help_text="The police’s daily CSV file of domestic-abuse notifications, saved as CSV UTF-8, "
                                     f"up to {MAX_BYTES // (1024 * 1024)} MB")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Select the police notifications file")
        return upload


class ResolutionsForm(forms.Form):
    """Confirming a batch: for each possible match, person_<id> is a record's id or "new". Unanswered ones are left
    to the service, which names each in its refusal under the same key."""

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        possible = NotificationPerson.objects.filter(notification__batch=batch,
                                                     match=NotificationPerson.Match.POSSIBLE)
        for entry_id in possible.values_list("pk", flat=True):
            self.fields[f"person_{entry_id}"] = forms.CharField(required=False)


class QueueFilterForm(forms.Form):
    dash = forms.ChoiceField(label="DASH risk", required=False,
                             choices=[("", "Any"), ("standard", "Standard"), ("medium", "Medium"), ("high", "High")])
    rag = forms.ChoiceField(label="RAG rating", required=False, choices=[("", "Any"), *RagRating.choices])

    def values(self) -> dict:
        return self.cleaned_data if self.is_valid() else {"dash": "", "rag": ""}


BULK_OUTCOMES = [(DecisionOutcome.NO_FURTHER_ACTION.value, DecisionOutcome.NO_FURTHER_ACTION.label),
                 (DecisionOutcome.ADVICE.value, DecisionOutcome.ADVICE.label)]


class BulkTriageForm(forms.Form):
    """The batch's outcome, level and rationale, then one rationale per child (rationale_<contact child id>)."""

    outcome = forms.ChoiceField(label="Outcome for every child selected", required=False, widget=forms.RadioSelect,
                                choices=BULK_OUTCOMES)
    level = forms.ChoiceField(label="Level of need", required=False, widget=forms.RadioSelect, choices=[])
    rationale = forms.CharField(label="Rationale for the whole batch", required=False, widget=forms.Textarea,
                                help_text="The threshold criteria applied: why these notifications need no social "
                                          "care response")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.label) for level in front_door_settings().threshold_levels]
        for row in rows:
            self.fields[f"rationale_{row.link.pk}"] = forms.CharField(
                label=f"Rationale for {row.child.full_name}", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text="This child’s circumstances, as you weighed them")

    def child_rationales(self) -> dict[int, str]:
        return {int(name.removeprefix("rationale_")): value for name, value in self.cleaned_data.items()
                if name.startswith("rationale_")}
