"""Forms for allocation and for the working calendar. The services check every rule; these only read the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from casefile.accounts.models import User
from casefile.casework.caseloads import DUE_STATUSES, Caseload
from casefile.core.forms import GovukDateField


def _worker_label(worker: User, load: Caseload | None) -> str:
    team = f" ({worker.team.name})" if worker.team_id else ""
    if load is None:
        return f"{worker}{team}"
    children = f"{load.children} {'child' if load.children == 1 else 'children'}"
    return f"{worker}{team}: {children}, caseload weight {load.weight_text}"


class AllocationForm(forms.Form):
    worker = forms.TypedChoiceField(
        label="Who will hold the case?", coerce=int, empty_value=None, required=False,
        help_text="Each worker's current caseload is shown: how many children they hold, and the weight of that "
                  "work (a child protection plan weighs more than an assessment)",
        error_messages={"invalid_choice": "Select one of the workers listed"},
    )
    reason = forms.CharField(
        label="Why are you allocating the case to this worker?", widget=forms.Textarea, required=False,
        help_text="For example: the child's needs, the worker's skills, continuity with siblings, or why the "
                  "previous worker is no longer holding the case",
    )

    def __init__(self, *args, workers: list[User], loads: dict[int, Caseload], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Select a worker"),
                                         *((worker.pk, _worker_label(worker, loads.get(worker.pk)))
                                           for worker in workers)]


class NonWorkingDayForm(forms.Form):
    date = GovukDateField(label="Date", required=False)
    description = forms.CharField(
        label="What is the day?", required=False,
        help_text="For example, Extra bank holiday for a national celebration. It is shown next to the date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].help_text = f"For example, 8 5 {timezone.localdate().year + 1}"


class TeamChildrenFilterForm(forms.Form):
    """My work's filter over the children a manager's teams hold (read from the query string: nothing is saved)."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    worker = forms.TypedChoiceField(label="Allocated worker", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="What is due", required=False,
                               choices=[("", "Anything"), *DUE_STATUSES.items()])

    def __init__(self, data, *, teams, workers):
        super().__init__(data)
        self.fields["team"].choices = [("", "All your teams"), *((team.pk, team.name) for team in teams)]
        self.fields["worker"].choices = [("", "Anyone"), *((worker.pk, str(worker)) for worker in workers)]

    def values(self) -> dict:
        """The filters to apply; a value that is not one of the choices (an old link) is left out."""
        if self.is_valid():
            return {"team_id": self.cleaned_data["team"], "worker_id": self.cleaned_data["worker"],
                    "status": self.cleaned_data["status"]}
        return {"team_id": None, "worker_id": None, "status": ""}
