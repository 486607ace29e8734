"""Every change to a case record keeps who, when, and the record before and after."""

from django.apps import apps

from casefile.people.models import Person

# Append-only records of decisions: they are never changed, so they need no history of changes.
NO_HISTORY_NEEDED = {"people.matchdecision", "people.merge", "quality.casesample", "access.restrictedaccessgrant",
                     "access.agencyshare"}
CASE_RECORD_APPS = ("people", "casework")


def test_every_case_record_model_keeps_its_history():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in CASE_RECORD_APPS and not label.startswith(tuple(
                f"{app}.historical" for app in CASE_RECORD_APPS)) and label not in NO_HISTORY_NEEDED:
            assert hasattr(model, "history"), f"{label} has no history: add HistoricalRecords()"


def test_a_change_keeps_who_made_it_and_the_values_before_and_after(org, child):
    child.ethnicity = "WBRI"
    child._history_user = org.sam
    child.save()
    latest, before = Person.history.filter(id=child.pk).order_by("-history_id")[:2]
    assert latest.history_user == org.sam
    assert (before.ethnicity, latest.ethnicity) == ("", "WBRI")
    assert [change.field for change in latest.diff_against(before).changes] == ["ethnicity"]
