"""Every signal worked out in the background and kept (oversight/kept_signals.py, ADR 0028): the pages read the kept
findings and say when they were worked out, a child written to since is worked out again at once, kept findings
for another day or other thresholds are never used, and quality assurance can have them worked out again."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casefile.casework.models import NonWorkingDay
from casefile.casework.testing import make_journey
from casefile.core.models import Job
from casefile.oversight import kept_signals, signals
from casefile.oversight.models import KeptFinding, KeptSignals
from casefile.people.models import Relationship
from casefile.people.services import update_person
from casefile.testing import make_child

pytestmark = pytest.mark.django_db
PAGE = reverse("oversight:practice_quality")
CHILDREN = reverse("oversight:practice_children")
REFRESH = reverse("oversight:refresh_signals")


@pytest.fixture
def journey(org, child):
    return make_journey(child, org.sam, org.tess, org.chris)


def codes(found, child_id) -> set[str]:
    return {finding.code for finding in found[child_id]}


def test_the_kept_findings_are_the_findings_worked_out_from_the_record(org, child, journey):
    ctx = signals.context()
    kept = kept_signals.refresh()
    assert kept.children == 1 and kept.today == timezone.localdate()
    found, used = kept_signals.found_for([child.pk], ctx)
    assert used == kept
    assert found == signals.signals_for_children([child.pk], ctx)
    assert {"cp_plan_15_months", "missing_identity"} <= codes(found, child.pk)
    assert KeptFinding.objects.filter(kept=kept).count() == len(found[child.pk])


def test_a_child_allocated_before_any_episode_is_kept_too(org, child):
    kept_signals.refresh()
    ctx = signals.context()
    found, used = kept_signals.found_for([child.pk], ctx)
    assert used is not None and found == signals.signals_for_children([child.pk], ctx)
    assert "missing_identity" in codes(found, child.pk)


def test_no_team_and_no_child_read_nothing(client, org, child, journey):
    """A manager between teams, or a scope with nobody held: no rows, and no query the database would refuse."""
    kept = kept_signals.refresh()
    ctx = signals.context()
    assert signals.holders(ctx, teams=[]) == {}
    assert kept_signals.found_for([], ctx) == ({}, kept)
    org.assessment.manager = None
    org.assessment.save()
    client.force_login(org.tess)
    assert client.get(PAGE).status_code == 200 and client.get(CHILDREN).status_code == 200


def test_a_page_reads_the_kept_findings_and_says_when_they_were_worked_out(client, org, child, journey):
    kept = kept_signals.refresh()
    # Changed behind the record's back (no write, so no audit event): only a page reading the kept row shows it.
    KeptFinding.objects.filter(kept=kept, code="cp_plan_15_months").update(code="late_recording")
    client.force_login(org.tess)
    page = client.get(CHILDREN, {"signal": "late_recording"}).content.decode()
    assert child.display_name in page and "Signals worked out from the record at" in page
    assert "Signals worked out from the record at" in client.get(PAGE).content.decode()


def test_a_child_written_to_since_is_worked_out_again_when_the_page_opens(org, child, journey):
    kept_signals.refresh()
    ctx = signals.context()
    assert "missing_identity" in codes(kept_signals.found_for([child.pk], ctx)[0], child.pk)
    update_person(actor=org.sam, person=child, ethnicity="WBRI", religion="None", first_language="ENG")
    found, used = kept_signals.found_for([child.pk], ctx)
    assert used is not None and "missing_identity" not in codes(found, child.pk)
    assert "cp_plan_15_months" in codes(found, child.pk)


def test_a_father_written_to_since_has_his_child_worked_out_again(org, child, journey):
    kept_signals.refresh()
    father = make_child("Dan", "Hartley")  # any person the audit trail names, then linked as a parent
    Relationship.objects.create(person=father, relative=child, kind=Relationship.Kind.PARENT)
    update_person(actor=org.sam, person=father, first_name="Daniel")
    assert child.pk in kept_signals.written_to_since(KeptSignals.objects.get().computed_at)


@pytest.mark.parametrize("change", ["another day", "other thresholds", "a day closed since"])
def test_kept_findings_are_not_used_for_another_day_or_other_settings(client, org, child, journey, settings, change):
    today = timezone.localdate()
    if change == "another day":
        kept_signals.refresh(today=today - datetime.timedelta(days=1))
    else:
        kept_signals.refresh()
        if change == "other thresholds":
            settings.CASEFILE_SIGNALS = {"cp_plan_long_months": 18}
        else:
            NonWorkingDay.objects.create(date=today + datetime.timedelta(days=30), description="Council closure",
                                         added_by=org.ada)
    assert kept_signals.usable(signals.context()) is None
    client.force_login(org.tess)
    assert "Signals worked out from the record just now." in client.get(PAGE).content.decode()


def test_quality_assurance_has_every_signal_worked_out_again_in_the_background(client, org, child, journey):
    client.force_login(org.quinn)
    assert "Work out every signal again now" in client.get(PAGE).content.decode()
    response = client.post(REFRESH, {"back": f"{PAGE}?team={org.assessment.pk}"})
    job = Job.objects.get(kind="kept_signals")
    assert response.status_code == 302 and response["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
    assert job.status == Job.Status.DONE and job.details["children"] == 1
    assert KeptSignals.objects.get().findings.count() == job.details["findings"] > 0


def test_a_manager_may_not_have_every_signal_worked_out_again(client, org, child, journey):
    client.force_login(org.tess)
    assert "Work out every signal again now" not in client.get(PAGE).content.decode()
    assert client.post(REFRESH).status_code == 403
    assert not KeptSignals.objects.exists()


def test_the_nightly_command_keeps_the_findings_in_place_of_the_last(org, child, journey):
    first = kept_signals.refresh()
    out = io.StringIO()
    call_command("refresh_signals", stdout=out)
    assert "(children checked: 1)" in out.getvalue()
    assert list(KeptSignals.objects.all()) != [first] and KeptSignals.objects.count() == 1
    assert not KeptFinding.objects.filter(kept_id=first.pk).exists()

