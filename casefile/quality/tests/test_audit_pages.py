"""The case file audit pages, as each role opens them: the quality page, starting an audit, grading it with the
evidence beside each section, completing it (refused, section by section, while any is ungraded), the completed
audit, its actions on the worker's My work, and the link from the child's record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.quality.models import CaseFileAudit, CaseSample
from casefile.quality.services import add_audit_action, answer_field, comment_field, grade_field
from casefile.quality.testing import graded, make_audit, template

pytestmark = pytest.mark.django_db


def _audit_url(audit, name="quality:audit"):
    return reverse(name, kwargs={"person_id": audit.child_id, "audit_id": audit.pk})


def _posted(audit, values: dict, client, **extra) -> dict:
    """The audit form as the page sends it: each answer under the name the page gives it."""
    assert client.get(_audit_url(audit, "quality:grade_audit")).status_code == 200
    data = dict(extra)
    for section_id, grade in values["grades"].items():
        data[grade_field(section_id)] = grade
        data[comment_field(section_id)] = values["comments"][section_id]
    for question_id, answer in values["answers"].items():
        data[answer_field(question_id)] = answer
    for name in ("overall_grade", "summary", "childs_feedback", "family_feedback"):
        data[name] = values[name]
    return data


@pytest.mark.parametrize("who, status", [("quinn", 200), ("tess", 200), ("ada", 200), ("sam", 403), ("pat", 403),
                                         ("petra", 403), ("chris", 403)])
def test_the_quality_page_is_for_those_who_audit(client, org, who, status):
    client.force_login(getattr(org, who))
    assert client.get(reverse("quality:home")).status_code == status
    assert client.get(reverse("quality:start_audit")).status_code == status


def test_a_qa_officer_starts_an_audit_by_casefile_number_and_grades_it_with_the_evidence_beside(client, org, child):
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    client.force_login(org.quinn)
    monthly = template()
    response = client.post(reverse("quality:start_audit"), {"child": child.reference, "template": monthly.pk})
    audit = CaseFileAudit.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == _audit_url(audit, "quality:grade_audit")
    assert CaseSample.objects.filter(child=child, officer=org.quinn).exists()
    grading = client.get(response["Location"])
    content = grading.content.decode()
    assert grading.status_code == 200
    assert "From the record" in content and "Last seen alone" in content and "7 February 2024" in content
    assert "Grade for basic information" in content
    assert AuditEvent.objects.filter(action=Action.VIEW, child_id=child.pk, actor=org.quinn).exists()


def test_a_number_that_names_nobody_reads_as_a_child_you_may_not_audit(client, org, child):
    client.force_login(org.tess)
    response = client.post(reverse("quality:start_audit"), {"child": "CF99999999", "template": template().pk})
    assert response.status_code == 200
    assert "whose file you may audit" in response.content.decode()
    assert not CaseFileAudit.objects.exists()


def test_completing_with_an_ungraded_section_says_which_on_its_field_and_keeps_the_answers(client, org, child):
    audit = make_audit(child, org.quinn)
    client.force_login(org.quinn)
    values = graded(audit)
    ungraded = audit.template.sections.order_by("position").last()
    values["grades"][ungraded.pk] = ""
    response = client.post(_audit_url(audit, "quality:grade_audit"),
                           _posted(audit, values, client, complete="yes"))
    assert response.status_code == 200
    content = response.content.decode()
    message = f"Grade {ungraded.get_area_display().lower()} before you complete the audit"
    assert f'<a href="#id_{grade_field(ungraded.pk)}">{message}</a>' in content
    assert f'id="id_{grade_field(ungraded.pk)}-error"' in content
    assert values["comments"][ungraded.pk] in content
    audit.refresh_from_db()
    assert not audit.is_completed


def test_the_auditor_saves_then_completes_and_sets_an_action_that_reaches_the_workers_my_work(client, org, child):
    audit = make_audit(child, org.quinn)
    client.force_login(org.quinn)
    values = graded(audit)
    saved = client.post(_audit_url(audit, "quality:grade_audit"), _posted(audit, values, client))
    assert saved.status_code == 302
    completed = client.post(_audit_url(audit, "quality:grade_audit"), _posted(audit, values, client, complete="yes"))
    assert completed.status_code == 302 and completed["Location"] == _audit_url(audit)
    audit.refresh_from_db()
    assert audit.is_completed
    page = client.get(_audit_url(audit))
    assert page.status_code == 200 and "Lily says her social worker listens to her" in page.content.decode()
    new_action = reverse("quality:add_action", kwargs={"person_id": child.pk, "audit_id": audit.pk})
    assert client.get(new_action).status_code == 200
    client.post(new_action, {"assignee": org.sam.pk, "description": "Record Lily’s views in her own words"})
    action = audit.actions.get()
    client.force_login(org.sam)
    my_work = client.get(reverse("core:my_work")).content.decode()
    assert "Actions from case file audits" in my_work and "Record Lily’s views" in my_work
    done = reverse("quality:complete_action", kwargs={"person_id": child.pk, "audit_id": audit.pk,
                                                      "audit_action_id": action.pk})
    assert done in my_work
    assert client.get(done).status_code == 200
    today = timezone.localdate()
    client.post(done, {"completed_on_day": today.day, "completed_on_month": today.month,
                       "completed_on_year": today.year, "note": "Views recorded on the visit of today"})
    action.refresh_from_db()
    assert action.completed_on == today
    assert "Actions from case file audits" not in client.get(reverse("core:my_work")).content.decode()


def test_the_worker_sees_a_completed_audit_of_their_child_but_may_not_grade_or_set_actions(client, org, child):
    audit = make_audit(child, org.quinn, completed=True)
    in_progress = make_audit(child, org.quinn)
    client.force_login(org.sam)
    assert client.get(_audit_url(audit)).status_code == 200
    assert client.get(_audit_url(in_progress)).status_code == 404
    assert client.get(_audit_url(in_progress, "quality:grade_audit")).status_code == 404
    assert client.get(reverse("quality:add_action", kwargs={"person_id": child.pk, "audit_id": audit.pk})
                      ).status_code == 403
    listed = client.get(reverse("quality:child_audits", kwargs={"person_id": child.pk})).content.decode()
    assert _audit_url(audit) in listed and _audit_url(in_progress) not in listed


def test_a_manager_who_did_not_make_the_audit_may_read_it_but_not_grade_it(client, org, child):
    audit = make_audit(child, org.quinn)
    client.force_login(org.tess)
    assert client.get(_audit_url(audit)).status_code == 200
    assert client.get(_audit_url(audit, "quality:grade_audit")).status_code == 403


@pytest.mark.parametrize("who", ["ola", "pat", "petra", "chris"])
def test_people_with_no_link_to_the_child_get_404(client, org, child, who):
    audit = make_audit(child, org.tess, completed=True)
    client.force_login(getattr(org, who))
    for name in ("quality:audit", "quality:grade_audit", "quality:add_action"):
        assert client.get(_audit_url(audit, name)).status_code == 404, name
    assert client.get(reverse("quality:child_audits", kwargs={"person_id": child.pk})).status_code == 404


def test_an_audit_of_another_child_is_not_found_under_this_childs_address(client, org, child):
    from casefile.testing import allocate, make_child

    other = make_child("Noah", "Fenwick")
    allocate(other, org.sam, allocated_by=org.tess)
    audit = make_audit(other, org.tess, completed=True)
    client.force_login(org.tess)
    url = reverse("quality:audit", kwargs={"person_id": child.pk, "audit_id": audit.pk})
    assert client.get(url).status_code == 404


def test_the_childs_record_links_to_her_audits(client, org, child):
    client.force_login(org.sam)
    record = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert reverse("quality:child_audits", kwargs={"person_id": child.pk}) in record


def test_the_quality_page_lists_audits_and_open_and_overdue_actions(client, org, child, time_machine):
    audit = make_audit(child, org.quinn, completed=True)
    make_audit(child, org.quinn)
    add_audit_action(actor=org.quinn, audit=audit, assignee=org.sam, description="Update the chronology",
                     due_date=audit.completed_on)
    time_machine.move_to(timezone.now() + timezone.timedelta(days=2))
    client.force_login(org.quinn)
    page = client.get(reverse("quality:home")).content.decode()
    assert "Audits in progress" in page and "Completed audits" in page
    assert "1 open action from your audits, 1 overdue" in page
    assert "Overdue" in page


def test_the_auditors_my_work_says_what_waits_for_them(client, org, child):
    audit = make_audit(child, org.quinn, completed=True)
    action = add_audit_action(actor=org.quinn, audit=audit, assignee=org.sam, description="Record Lily’s views")
    add_audit_action(actor=org.quinn, audit=audit, assignee=org.sam, description="Share the plan")
    # One action's day has passed (set directly: the service refuses a day before the audit).
    type(action).objects.filter(pk=action.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    make_audit(child, org.quinn)  # a second audit, in progress
    client.force_login(org.quinn)
    page = client.get(reverse("core:my_work")).content.decode()
    assert "1 audit in progress; 2 open actions from your audits, 1 overdue." in page
