"""The sampling pages as each role opens them: drawing a sample (and the form's refusals, by field), the round with
why each child was chosen, assigning auditors, starting a sampled audit, closing the round, audit coverage, and a
partner auditor who sees only the children sampled to them. Query counts stay the same as the round grows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.accounts.models import Agency
from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.quality import sampling, services
from casefile.quality.models import AuditRound, CaseFileAudit, SampledChild
from casefile.quality.testing import make_audit, template
from casefile.testing import allocate, make_child

pytestmark = pytest.mark.django_db


def _due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=28)


def _form(**changes) -> dict:
    due = _due()
    values = {"name": "Spring round", "method": "random", "team": "", "worker": "", "plan_type": "", "age_band": "",
              "size": "1", "template": str(template().pk), "due_by_day": str(due.day),
              "due_by_month": str(due.month), "due_by_year": str(due.year), "seed": "4711", "partner_agency": ""}
    return {**values, **changes}


def _round(org, size=1, partner_agency="", seed=4711):
    return services.draw_round(actor=org.quinn, name="Spring round", method="random", filters=sampling.Filters(),
                               size=size, template=template(), due_by=_due(), seed=seed,
                               partner_agency=partner_agency)


def _more_cases(org, count: int) -> None:
    for number in range(count):
        other = make_child("Noah", f"Fenwick{number}")
        allocate(other, org.sam, allocated_by=org.tess)


@pytest.mark.parametrize("who, status", [("quinn", 200), ("ada", 200), ("tess", 403), ("sam", 403), ("pat", 403),
                                         ("petra", 403)])
def test_drawing_a_sample_is_for_quality_assurance_and_administrators(client, org, who, status):
    client.force_login(getattr(org, who))
    assert client.get(reverse("quality:draw_round")).status_code == status
    assert client.get(reverse("quality:rounds")).status_code == status


def test_the_quality_page_links_to_sampling_for_those_who_may(client, org):
    client.force_login(org.quinn)
    page = client.get(reverse("quality:home")).content.decode()
    assert reverse("quality:rounds") in page and reverse("quality:coverage") in page
    assert reverse("quality:sampled_to_me") in page
    client.force_login(org.tess)
    page = client.get(reverse("quality:home")).content.decode()
    assert reverse("quality:rounds") not in page and reverse("quality:sampled_to_me") in page


def test_a_qa_officer_draws_a_sample_and_sees_why_each_child_was_chosen(client, org, child):
    client.force_login(org.quinn)
    response = client.post(reverse("quality:draw_round"), _form())
    drawn = AuditRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:round",
                                                                           kwargs={"round_id": drawn.pk})
    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert child.reference in content and "Chosen at random (seed 4711)." in content
    assert "Random (seed 4711), from 1 open case" in content and "Not assigned yet" in content
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.quinn,
                                     details__page="quality:round").last().details["shown"] == [child.pk]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"size": "0"}, "size", "Enter how many children to sample: 1 or more"),
    ({"size": "2"}, "size", "There is only 1 child matching these filters: enter 1 or fewer"),
    ({"size": "ten"}, "size", "Enter how many children to sample as a whole number"),
    ({"seed": "lucky"}, "seed", "Enter the seed as a whole number, for example 4711"),
    ({"method": "thematic", "plan_type": "cp"}, "__all__", "No open cases match these filters"),
    ({"name": ""}, "name", "Enter a name for the round"),
])
def test_the_draw_form_names_the_field_to_correct(client, org, child, changes, field, words):
    client.force_login(org.quinn)
    response = client.post(reverse("quality:draw_round"), _form(**changes))
    content = response.content.decode()
    assert response.status_code == 200 and words in content
    if field != "__all__":  # the message is beside the box too, linked from the summary
        assert f'href="#id_{field}"' in content or f'href="#{field}"' in content
    assert not AuditRound.objects.exists()


def test_with_no_open_cases_the_form_says_so(client, org):
    client.force_login(org.quinn)
    response = client.post(reverse("quality:draw_round"), _form())
    assert "No open cases match these filters" in response.content.decode()
    assert not AuditRound.objects.exists()


def test_assigning_an_auditor_and_starting_the_audit(client, org, child):
    drawn = _round(org)
    sampled = drawn.children.get()
    client.force_login(org.quinn)
    url = reverse("quality:assign_auditors", kwargs={"round_id": drawn.pk})
    page = client.get(url)
    assert page.status_code == 200 and child.reference in page.content.decode()
    response = client.post(url, {services.auditor_field(sampled.pk): str(org.quinn.pk)})
    assert response.status_code == 302
    sampled.refresh_from_db()
    assert sampled.auditor == org.quinn and sampled.sample is not None
    mine = client.get(reverse("quality:sampled_to_me")).content.decode()
    start = reverse("quality:start_sampled", kwargs={"round_id": drawn.pk, "sampled_id": sampled.pk})
    assert child.reference in mine and start in mine
    assert client.get(start).status_code == 200
    response = client.post(start, {})
    audit = CaseFileAudit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "quality:grade_audit", kwargs={"person_id": child.pk, "audit_id": audit.pk})
    assert client.get(response["Location"]).status_code == 200
    round_page = client.get(reverse("quality:round", kwargs={"round_id": drawn.pk})).content.decode()
    assert "Continue the audit" in round_page


def test_someone_else_may_not_start_a_childs_audit(client, org, child):
    drawn = _round(org)
    sampled = drawn.children.get()
    services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={sampled.pk: org.quinn})
    client.force_login(org.ada)
    start = reverse("quality:start_sampled", kwargs={"round_id": drawn.pk, "sampled_id": sampled.pk})
    assert client.get(start).status_code == 404 and client.post(start, {}).status_code == 404
    assert not CaseFileAudit.objects.exists()


def test_closing_the_round(client, org, child):
    drawn = _round(org)
    client.force_login(org.quinn)
    url = reverse("quality:close_round", kwargs={"round_id": drawn.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    drawn.refresh_from_db()
    assert drawn.is_closed
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["tess", "sam", "pat", "petra", "chris"])
def test_a_round_is_not_found_by_anyone_who_does_not_draw_samples(client, org, child, who):
    drawn = _round(org)
    client.force_login(getattr(org, who))
    for name in ("quality:round", "quality:assign_auditors", "quality:close_round"):
        response = client.get(reverse(name, kwargs={"round_id": drawn.pk}))
        assert response.status_code == 404, name
        assert child.last_name not in response.content.decode()


def test_a_partner_auditor_sees_only_the_children_sampled_to_them(client, org, child):
    other = make_child("Noah", "Fenwick")
    allocate(other, org.sam, allocated_by=org.tess)
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    drawn = _round(org, size=2, partner_agency=Agency.POLICE)
    mine = drawn.children.get(child=child)
    theirs = drawn.children.get(child=other)
    services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={mine.pk: org.petra,
                                                                           theirs.pk: org.quinn})
    client.force_login(org.petra)
    listed = client.get(reverse("quality:sampled_to_me")).content.decode()
    assert child.reference in listed and "Fenwick" not in listed
    assert client.get(reverse("people:record", kwargs={"person_id": child.pk})).status_code == 200
    assert client.get(reverse("people:record", kwargs={"person_id": other.pk})).status_code == 404
    start = reverse("quality:start_sampled", kwargs={"round_id": drawn.pk, "sampled_id": mine.pk})
    response = client.post(start, {})
    audit = CaseFileAudit.objects.get(child=child)
    assert response.status_code == 302 and audit.auditor == org.petra
    assert client.get(response["Location"]).status_code == 200  # grading, with the record's evidence
    # Nothing else: another child's start, the round, the child's list of audits, someone else's audit of her.
    assert client.get(reverse("quality:start_sampled", kwargs={"round_id": drawn.pk,
                                                               "sampled_id": theirs.pk})).status_code == 404
    assert client.get(reverse("quality:round", kwargs={"round_id": drawn.pk})).status_code == 404
    assert client.get(reverse("quality:child_audits", kwargs={"person_id": child.pk})).status_code == 404
    others = make_audit(child, org.tess, completed=True)
    assert client.get(reverse("quality:audit", kwargs={"person_id": child.pk,
                                                       "audit_id": others.pk})).status_code == 404
    for name in ("quality:home", "quality:rounds", "quality:draw_round", "quality:coverage", "quality:start_audit"):
        assert client.get(reverse(name)).status_code == 403, name
    # Once the round closes, her record is closed to the partner too.
    services.close_round(actor=org.quinn, audit_round=drawn)
    assert client.get(reverse("people:record", kwargs={"person_id": child.pk})).status_code == 404
    assert client.get(response["Location"]).status_code == 404


def test_audit_coverage_per_team_and_worker(client, org, child):
    other = make_child("Noah", "Fenwick")
    allocate(other, org.ola, allocated_by=org.ola)
    make_audit(child, org.tess, completed=True)
    make_audit(other, org.quinn)  # in progress: not counted
    client.force_login(org.pat)
    page = client.get(reverse("quality:coverage"))
    content = page.content.decode()
    assert page.status_code == 200
    assert f"{org.sam.team.name}: 100% (1 of 1 open case)" in content
    assert f"{org.ola.team.name}: 0% (0 of 1 open case)" in content
    report = sampling.coverage(timezone.localdate())
    assert {row.name: (row.open, row.audited) for row in report.teams} == {
        org.sam.team.name: (1, 1), org.ola.team.name: (1, 0)}
    assert (report.overall.open, report.overall.audited) == (2, 1)
    assert {row.name: (row.open, row.audited) for row in report.workers} == {
        org.sam.get_full_name(): (1, 1), org.ola.get_full_name(): (1, 0)}
    assert "All teams" in content and "50%" in content
    assert child.last_name not in content  # counts only
    client.force_login(org.tess)
    assert client.get(reverse("quality:coverage")).status_code == 403


def _count(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_the_sampling_pages_cost_the_same_queries_however_large_the_round(client, org, child):
    _more_cases(org, 2)
    small = _round(org, size=2)
    sampled = list(small.children.all())
    services.assign_auditors(actor=org.quinn, audit_round=small, auditors={row.pk: org.quinn for row in sampled})
    services.start_sampled_audit(actor=org.quinn, sampled=SampledChild.objects.get(pk=sampled[0].pk))
    pages = [reverse("quality:rounds"), reverse("quality:round", kwargs={"round_id": small.pk}),
             reverse("quality:assign_auditors", kwargs={"round_id": small.pk}), reverse("quality:sampled_to_me"),
             reverse("quality:coverage"), reverse("quality:close_round", kwargs={"round_id": small.pk})]
    client.force_login(org.quinn)
    before = [_count(client, path) for path in pages]
    _more_cases(org, 6)
    # The same round grown: more children, each assigned, some audits started and completed.
    for person in (make_child("Ava", f"Extra{number}") for number in range(4)):
        allocate(person, org.ola, allocated_by=org.ola)
        row = SampledChild.objects.create(round=small, child=person, position=10 + person.pk, reason="Chosen")
        services.assign_auditors(actor=org.quinn, audit_round=small, auditors={row.pk: org.quinn})
        services.start_sampled_audit(actor=org.quinn, sampled=SampledChild.objects.get(pk=row.pk))
    make_audit(child, org.tess, completed=True)
    _round(org, size=3, seed=1)
    after = [_count(client, path) for path in pages]
    assert after == before


def test_a_partner_may_not_be_given_a_child_in_a_round_without_their_agency(client, org, child):
    drawn = _round(org)
    sampled = drawn.children.get()
    client.force_login(org.quinn)
    url = reverse("quality:assign_auditors", kwargs={"round_id": drawn.pk})
    assert not re.search(rf'value="{org.petra.pk}"', client.get(url).content.decode())
    response = client.post(url, {services.auditor_field(sampled.pk): str(org.petra.pk)})
    assert response.status_code == 200 and SampledChild.objects.get().auditor is None
