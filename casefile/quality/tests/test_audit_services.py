"""Starting, grading and completing a case file audit: who may, what is refused and why, and what is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casefile.access import policy
from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.quality import services
from casefile.quality.models import CaseFileAudit, CaseSample, QuestionAnswer, SectionGrade
from casefile.quality.testing import graded, make_audit, template
from casefile.rules.audit_grades import GOOD, INADEQUATE
from casefile.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_qa_officer_starting_an_audit_samples_the_child_and_so_may_open_her_record(org, child):
    assert not policy.can_view(org.quinn, child)
    audit = services.start_case_file_audit(actor=org.quinn, child=child, template=template())
    assert audit.status == CaseFileAudit.Status.IN_PROGRESS and audit.auditor == org.quinn
    assert audit.sample == CaseSample.objects.get(child=child, officer=org.quinn, closed_on__isnull=True)
    child.refresh_from_db()
    assert policy.can_view(org.quinn, child) and not policy.can_edit(org.quinn, child)
    events = AuditEvent.objects.filter(child_id=child.pk, action=Action.CREATE)
    assert {event.subject_type for event in events} >= {"quality.casesample", "quality.casefileaudit"}


def test_a_second_audit_by_the_same_officer_reuses_her_open_sample(org, child):
    first = make_audit(child, org.quinn)
    second = make_audit(child, org.quinn)
    assert first.sample_id == second.sample_id
    assert CaseSample.objects.filter(child=child, officer=org.quinn).count() == 1


def test_a_manager_audits_a_child_they_may_see_without_a_sample(org, child):
    audit = make_audit(child, org.tess)
    assert audit.sample is None and not CaseSample.objects.exists()


def test_a_manager_may_not_audit_a_child_they_may_not_see(org, child):
    elsewhere = make_user("morgan", Role.TEAM_MANAGER, team=org.other_team, name="Morgan Elsewhere")
    with pytest.raises(ValidationError) as refused:
        services.start_case_file_audit(actor=elsewhere, child=child, template=template())
    assert "children’s records you may open" in refused.value.message_dict["child"][0]


@pytest.mark.parametrize("who", ["sam", "pat", "petra", "chris", "fran"])
def test_roles_that_do_not_audit_are_refused(org, child, who):
    with pytest.raises(PermissionDenied):
        services.start_case_file_audit(actor=getattr(org, who), child=child, template=template())
    assert not CaseFileAudit.objects.exists()


def test_a_missing_child_and_tool_are_named(org):
    with pytest.raises(ValidationError) as refused:
        services.start_case_file_audit(actor=org.quinn, child=None, template=None)
    assert set(refused.value.message_dict) == {"child", "template"}


def test_saving_keeps_the_grades_and_answers_given_so_far(org, child):
    audit = make_audit(child, org.quinn)
    values = graded(audit)
    first = next(iter(values["grades"]))
    services.save_case_file_audit(actor=org.quinn, audit=audit, grades={first: INADEQUATE},
                                  comments={first: "No chronology"}, answers={})
    row = SectionGrade.objects.get(audit=audit, section_id=first)
    assert (row.grade, row.comment) == (INADEQUATE, "No chronology")
    assert audit.status == CaseFileAudit.Status.IN_PROGRESS
    assert not QuestionAnswer.objects.filter(audit=audit).exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE, subject_type="quality.casefileaudit",
                                     subject_id=str(audit.pk)).count() == 1


def test_completion_is_refused_naming_each_ungraded_section(org, child):
    audit = make_audit(child, org.quinn)
    values = graded(audit)
    sections = list(audit.template.sections.order_by("position"))
    ungraded = sections[1]
    del values["grades"][ungraded.pk]
    values["overall_grade"] = ""
    with pytest.raises(ValidationError) as refused:
        services.save_case_file_audit(actor=org.quinn, audit=audit, complete=True, **values)
    errors = refused.value.message_dict
    assert set(errors) == {services.grade_field(ungraded.pk), "overall_grade"}
    assert errors[services.grade_field(ungraded.pk)] == [
        f"Grade {ungraded.get_area_display().lower()} before you complete the audit"]
    audit.refresh_from_db()
    assert audit.status == CaseFileAudit.Status.IN_PROGRESS and not SectionGrade.objects.exists()


def test_a_completed_audit_keeps_its_grades_feedback_and_date_and_is_closed_to_changes(org, child):
    audit = make_audit(child, org.quinn, completed=True)
    audit.refresh_from_db()
    assert audit.is_completed and audit.completed_on is not None
    assert audit.overall_grade == GOOD and "listens" in audit.childs_feedback and audit.family_feedback
    assert SectionGrade.objects.filter(audit=audit, grade=GOOD).count() == audit.template.sections.count()
    with pytest.raises(ValidationError) as refused:
        services.save_case_file_audit(actor=org.quinn, audit=audit, **graded(audit))
    assert "completed" in refused.value.messages[0]


def test_only_the_auditor_grades_the_audit(org, child):
    audit = make_audit(child, org.quinn)
    with pytest.raises(PermissionDenied):
        services.save_case_file_audit(actor=org.tess, audit=audit, **graded(audit))


def test_a_grade_that_is_not_on_the_scale_is_refused_on_its_section(org, child):
    audit = make_audit(child, org.quinn)
    values = graded(audit)
    first = next(iter(values["grades"]))
    values["grades"][first] = "excellent"
    with pytest.raises(ValidationError) as refused:
        services.save_case_file_audit(actor=org.quinn, audit=audit, **values)
    assert list(refused.value.message_dict) == [services.grade_field(first)]


def test_a_sample_does_not_open_a_restricted_record_so_a_qa_officer_may_not_audit_one(org):
    from casefile.people.models import Person
    from casefile.testing import make_child

    ruby = make_child("Ruby", "Restricted", restriction=Person.Restriction.ADOPTION)
    with pytest.raises(ValidationError) as refused:
        services.start_case_file_audit(actor=org.quinn, child=ruby, template=template())
    assert list(refused.value.message_dict) == ["child"]
    assert not CaseSample.objects.exists()


def test_a_casefile_number_typed_with_or_without_its_letters_finds_the_child(org, child):
    for typed in (child.reference, str(child.pk), f" cf{child.pk:08d} "):
        audit = services.start_case_file_audit(actor=org.quinn, child_reference=typed, template=template())
        assert audit.child == child
    with pytest.raises(ValidationError) as refused:
        services.start_case_file_audit(actor=org.quinn, child_reference="CF99999999", template=template())
    assert "whose file you may audit" in refused.value.message_dict["child"][0]
