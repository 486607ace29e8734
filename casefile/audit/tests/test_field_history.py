"""Every change to a case record keeps who, when, and the record before and after."""

from django.apps import apps

from casefile.people.models import Person

# Every model in these apps is part of a child's case record (or opens one, like a QA case sample).
CASE_RECORD_APPS = ("people", "casework", "frontdoor", "quality", "oversight")
# Records of a decision that carry their own who-and-when and are never edited (a merge's reversal is written on
# the merge itself, by whom and when), so they need no history of changes.
NO_HISTORY_NEEDED = {
    "people.matchdecision", "people.merge",
    # Derived from the record, never typed, and replaced whole at each working-out (ADR 0028): no edit to keep.
    "oversight.keptsignals", "oversight.keptfinding",
}


def case_record_models() -> list:
    return [model for app in CASE_RECORD_APPS for model in apps.get_app_config(app).get_models()
            if not model._meta.label_lower.startswith(f"{app}.historical")]


def test_the_check_covers_every_app_that_holds_case_records():
    labels = {model._meta.label_lower for model in case_record_models()}
    assert {"people.person", "casework.episode", "casework.visit", "frontdoor.contact", "frontdoor.thresholddecision",
            "quality.casesample"} <= labels
    assert NO_HISTORY_NEEDED <= labels  # an exemption for a model that no longer exists is a stale exemption


def test_every_case_record_model_keeps_its_history():
    missing = [model._meta.label_lower for model in case_record_models()
               if model._meta.label_lower not in NO_HISTORY_NEEDED and not hasattr(model, "history")]
    assert missing == [], f"add HistoricalRecords() to {missing}"


def test_every_history_keeps_who_made_the_change():
    for model in case_record_models():
        if hasattr(model, "history"):
            assert "history_user" in {field.name for field in model.history.model._meta.fields}, model


def test_a_change_keeps_who_made_it_and_the_values_before_and_after(org, child):
    child.ethnicity = "WBRI"
    child._history_user = org.sam
    child.save()
    latest, before = Person.history.filter(id=child.pk).order_by("-history_id")[:2]
    assert latest.history_user == org.sam
    assert (before.ethnicity, latest.ethnicity) == ("", "WBRI")
    assert [change.field for change in latest.diff_against(before).changes] == ["ethnicity"]
