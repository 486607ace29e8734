"""Moderation by a second auditor and the re-audit after the actions: who may, what is refused and why (nothing
half-saved), and what is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casefile.access import policy
from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.quality import services
from casefile.quality.models import CaseFileAudit, CaseSample, Moderation, ModerationGrade
from casefile.quality.testing import complete_every_action, make_audit, make_moderation, moderated
from casefile.rules.audit_grades import GOOD, INADEQUATE, REQUIRES_IMPROVEMENT
from casefile.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org, child):
    """Lily's audit by her team manager, completed with every section and the overall grade good."""
    return make_audit(child, org.tess, completed=True)


def test_a_qa_officer_moderates_blind_and_records_the_outcome(org, audit):
    moderation = services.start_moderation(actor=org.quinn, audit=audit, blind=True)
    assert moderation.status == Moderation.Status.IN_PROGRESS and moderation.sample is not None
    assert policy.can_view(org.quinn, audit.child)
    services.submit_moderation(actor=org.quinn, moderation=moderation,
                               **moderated(audit, grade=REQUIRES_IMPROVEMENT, overall=REQUIRES_IMPROVEMENT))
    moderation.refresh_from_db()
    assert moderation.status == Moderation.Status.SUBMITTED and moderation.overall_grade == REQUIRES_IMPROVEMENT
    assert set(ModerationGrade.objects.values_list("grade", flat=True)) == {REQUIRES_IMPROVEMENT}
    services.record_moderation_outcome(actor=org.quinn, moderation=moderation, outcome="grade_changed",
                                       final_grade=REQUIRES_IMPROVEMENT)
    moderation.refresh_from_db()
    assert (moderation.status, moderation.final_grade) == (Moderation.Status.CONCLUDED, REQUIRES_IMPROVEMENT)
    events = AuditEvent.objects.filter(subject_type="quality.moderation")
    assert [event.action for event in events.order_by("pk")] == [Action.CREATE, Action.UPDATE, Action.UPDATE]


def test_an_agreed_outcome_keeps_the_auditors_grade(org, audit):
    moderation = make_moderation(audit, org.simon, outcome="agreed")
    assert moderation.final_grade == audit.overall_grade == GOOD


def test_moderation_cannot_be_done_by_the_first_auditor(org, audit):
    with pytest.raises(PermissionDenied, match="you made this audit"):
        services.start_moderation(actor=org.tess, audit=audit, blind=True)
    assert not Moderation.objects.exists()


def test_an_audit_in_progress_is_not_moderated(org, child):
    in_progress = make_audit(child, org.tess)
    with pytest.raises(ValidationError, match="still in progress"):
        services.start_moderation(actor=org.quinn, audit=in_progress, blind=True)
    assert not Moderation.objects.exists()


@pytest.mark.parametrize("who", ["sam", "pat", "petra", "chris", "ada"])
def test_roles_that_do_not_moderate_are_refused(org, audit, who):
    with pytest.raises(PermissionDenied):
        services.start_moderation(actor=getattr(org, who), audit=audit, blind=True)
    assert not Moderation.objects.exists()


def test_a_moderation_is_started_only_blind(org, audit):
    with pytest.raises(ValidationError) as refused:
        services.start_moderation(actor=org.quinn, audit=audit)
    assert "blind" in refused.value.message_dict
    assert not Moderation.objects.exists() and not CaseSample.objects.exists()


def test_a_section_left_ungraded_is_named_and_nothing_is_saved(org, audit):
    moderation = services.start_moderation(actor=org.quinn, audit=audit, blind=True)
    values = moderated(audit)
    first, *rest = audit.template.sections.order_by("position", "pk")
    values["grades"][first.pk] = ""
    values["overall_grade"] = ""
    with pytest.raises(ValidationError) as refused:
        services.submit_moderation(actor=org.quinn, moderation=moderation, **values)
    errors = refused.value.message_dict
    assert set(errors) == {services.grade_field(first.pk), "overall_grade"}
    assert first.get_area_display().lower() in errors[services.grade_field(first.pk)][0]
    moderation.refresh_from_db()
    assert moderation.status == Moderation.Status.IN_PROGRESS and not ModerationGrade.objects.exists()


def test_only_the_moderator_submits_and_only_once(org, audit):
    moderation = services.start_moderation(actor=org.quinn, audit=audit, blind=True)
    with pytest.raises(PermissionDenied):
        services.submit_moderation(actor=org.simon, moderation=moderation, **moderated(audit))
    services.submit_moderation(actor=org.quinn, moderation=moderation, **moderated(audit))
    with pytest.raises(ValidationError, match="submitted"):
        services.submit_moderation(actor=org.quinn, moderation=moderation, **moderated(audit, grade=INADEQUATE))
    assert set(ModerationGrade.objects.values_list("grade", flat=True)) == {GOOD}


def test_the_outcome_waits_for_the_grades_and_a_changed_grade_must_differ(org, audit):
    moderation = services.start_moderation(actor=org.quinn, audit=audit, blind=True)
    with pytest.raises(ValidationError, match="Submit your grades"):
        services.record_moderation_outcome(actor=org.quinn, moderation=moderation, outcome="agreed")
    services.submit_moderation(actor=org.quinn, moderation=moderation, **moderated(audit))
    with pytest.raises(ValidationError) as refused:
        services.record_moderation_outcome(actor=org.quinn, moderation=moderation, outcome="grade_changed",
                                           final_grade=GOOD)
    assert "final_grade" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.record_moderation_outcome(actor=org.quinn, moderation=moderation, outcome="")
    assert "outcome" in refused.value.message_dict
    moderation.refresh_from_db()
    assert moderation.status == Moderation.Status.SUBMITTED and not moderation.outcome


def test_a_manager_who_may_not_see_the_child_may_not_moderate(org, audit):
    elsewhere = make_user("morgan", Role.TEAM_MANAGER, team=org.other_team, name="Morgan Elsewhere")
    with pytest.raises(PermissionDenied):
        services.start_moderation(actor=elsewhere, audit=audit, blind=True)


# Re-audit -------------------------------------------------------------------------------------------------


def test_a_re_audit_waits_for_every_action_and_names_those_open(org, audit):
    services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Update the chronology")
    with pytest.raises(ValidationError) as refused:
        services.start_re_audit(actor=org.quinn, audit=audit)
    assert "‘Update the chronology’ for Sam" in refused.value.messages[0]
    assert CaseFileAudit.objects.filter(re_audit_of=audit).count() == 0
    assert not CaseSample.objects.exists()
    complete_every_action(audit)
    re_audit = services.start_re_audit(actor=org.quinn, audit=audit)
    assert (re_audit.re_audit_of, re_audit.child, re_audit.template) == (audit, audit.child, audit.template)
    assert re_audit.status == CaseFileAudit.Status.IN_PROGRESS and re_audit.sample is not None
    assert AuditEvent.objects.filter(subject_type="quality.casefileaudit", subject_id=str(re_audit.pk),
                                     action=Action.CREATE).exists()


def test_an_audit_is_re_audited_once(org, audit):
    complete_every_action(audit)
    services.start_re_audit(actor=org.quinn, audit=audit)
    with pytest.raises(ValidationError, match="re-audited already: Quinn"):
        services.start_re_audit(actor=org.tess, audit=audit)
    assert CaseFileAudit.objects.filter(re_audit_of=audit).count() == 1


def test_an_audit_in_progress_is_not_re_audited(org, child):
    with pytest.raises(ValidationError, match="still in progress"):
        services.start_re_audit(actor=org.quinn, audit=make_audit(child, org.tess))


@pytest.mark.parametrize("who", ["sam", "pat", "petra"])
def test_roles_that_do_not_audit_may_not_re_audit(org, audit, who):
    with pytest.raises(PermissionDenied):
        services.start_re_audit(actor=getattr(org, who), audit=audit)
