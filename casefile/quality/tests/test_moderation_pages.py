"""Moderation, re-audit and the quality reports, as each role opens them: moderating blind and then the grades side
by side, the outcome, the re-audit told of open actions before any button, the agreement, impact, theme and
auditors pages with their figures, who may see them, and the links to them."""

import datetime

import pytest
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.quality import services
from casefile.quality.models import CaseFileAudit, Moderation
from casefile.quality.services import comment_field, grade_field
from casefile.quality.testing import complete_every_action, graded, make_audit, make_moderation, moderated
from casefile.rules.audit_grades import GOOD, INADEQUATE, REQUIRES_IMPROVEMENT

pytestmark = pytest.mark.django_db
REPORTS = ("quality:agreement", "quality:impact", "quality:themes", "quality:auditors")


def _url(audit, name="quality:moderation"):
    return reverse(name, kwargs={"person_id": audit.child_id, "audit_id": audit.pk})


@pytest.fixture
def audit(org, child):
    """Lily's monthly audit by her team manager, every section and the overall grade good."""
    return make_audit(child, org.tess, completed=True)


def _blind_post(audit, values: dict) -> dict:
    data = {"overall_grade": values["overall_grade"], "comment": values["comment"]}
    for section_id, grade in values["grades"].items():
        data[grade_field(section_id)] = grade
        data[comment_field(section_id)] = values["comments"][section_id]
    return data


def test_a_manager_is_offered_moderation_on_the_page_before_any_form(client, org, audit):
    client.force_login(org.simon)
    offer = client.get(_url(audit)).content.decode()
    assert "Start moderating" in offer and "will not see the auditor’s grades" in offer
    assert "govuk-tag--blue" not in offer
    assert client.post(_url(audit)).status_code == 200  # not without the button's word that it is blind
    assert not Moderation.objects.exists()
    assert client.post(_url(audit), {"blind": "yes"}).status_code == 302
    assert Moderation.objects.get(audit=audit).moderator == org.simon


def test_moderation_is_blind_until_submitted_then_side_by_side(client, org, audit):
    client.force_login(org.quinn)
    # A QA officer may not open Lily's record yet: the quality page offers the audit without naming her.
    assert client.get(_url(audit)).status_code == 404
    home = client.get(reverse("quality:home")).content.decode()
    start = reverse("quality:start_moderation", kwargs={"audit_id": audit.pk})
    assert start in home and audit.child.reference not in home and "Hartley" not in home
    assert client.post(start)["Location"] == reverse("quality:home")
    assert not Moderation.objects.exists()
    assert client.post(start, {"blind": "yes"})["Location"] == _url(audit)
    moderation = Moderation.objects.get(audit=audit, moderator=org.quinn)
    assert moderation.sample is not None
    blind = client.get(_url(audit)).content.decode()
    assert "Your grade for basic information" in blind
    assert "govuk-tag--blue" not in blind  # no grade of the auditor's on the page
    # The audit's own page sends the moderator back to their blind form; the child's audits list it ungraded.
    assert client.get(_url(audit, "quality:audit"))["Location"] == _url(audit)
    listed = client.get(reverse("quality:child_audits", kwargs={"person_id": audit.child_id})).content.decode()
    assert "you are moderating it" in listed and "govuk-tag--blue" not in listed
    # A section left ungraded is named on the form; nothing is submitted.
    values = moderated(audit, grade=REQUIRES_IMPROVEMENT, overall=REQUIRES_IMPROVEMENT)
    first = audit.template.sections.order_by("position", "pk").first()
    data = _blind_post(audit, values)
    data[grade_field(first.pk)] = ""
    refused = client.post(_url(audit), data)
    assert refused.status_code == 200 and f"Grade {first.get_area_display().lower()}" in refused.content.decode()
    moderation.refresh_from_db()
    assert moderation.status == Moderation.Status.IN_PROGRESS
    assert client.post(_url(audit), _blind_post(audit, values)).status_code == 302
    compared = client.get(_url(audit)).content.decode()
    assert "grades beside" in compared and "Different" in compared and "Record the outcome" in compared
    changed = {"outcome": "grade_changed", "final_grade": REQUIRES_IMPROVEMENT}
    assert client.post(_url(audit), changed).status_code == 302
    moderation.refresh_from_db()
    assert moderation.outcome == "grade_changed" and moderation.final_grade == REQUIRES_IMPROVEMENT
    assert "Grade changed: requires improvement to be good" in client.get(_url(audit)).content.decode()


def test_the_first_auditor_is_told_they_may_not_moderate_and_a_post_is_refused(client, org, audit):
    client.force_login(org.tess)
    assert reverse("quality:start_moderation", kwargs={"audit_id": audit.pk}) not in client.get(
        reverse("quality:home")).content.decode()
    assert client.post(reverse("quality:start_moderation", kwargs={"audit_id": audit.pk})).status_code == 403
    page = client.get(_url(audit)).content.decode()
    assert "you may not" in page and "Start moderating" not in page
    assert "Moderate this audit" not in client.get(_url(audit, "quality:audit")).content.decode()
    assert client.post(_url(audit)).status_code == 403
    assert not Moderation.objects.exists()


def test_the_audit_page_offers_moderation_and_re_audit_only_to_those_permitted(client, org, audit):
    client.force_login(org.simon)
    page = client.get(_url(audit, "quality:audit")).content.decode()
    assert "Moderate this audit" in page and "Re-audit this file" in page
    client.force_login(org.sam)
    page = client.get(_url(audit, "quality:audit")).content.decode()
    assert "Moderate this audit" not in page and "Re-audit this file" not in page
    assert client.get(_url(audit, "quality:re_audit")).status_code == 403


def test_a_re_audit_page_names_the_open_actions_before_offering_the_button(client, org, audit):
    services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Update the chronology")
    client.force_login(org.simon)
    page = client.get(_url(audit, "quality:re_audit")).content.decode()
    assert "Update the chronology" in page and "Start the re-audit" not in page
    refused = client.post(_url(audit, "quality:re_audit"))
    assert refused.status_code == 200 and "Still open" in refused.content.decode()
    assert not CaseFileAudit.objects.filter(re_audit_of=audit).exists()
    complete_every_action(audit)
    assert "Start the re-audit" in client.get(_url(audit, "quality:re_audit")).content.decode()
    response = client.post(_url(audit, "quality:re_audit"))
    re_audit = CaseFileAudit.objects.get(re_audit_of=audit)
    assert response["Location"] == _url(re_audit, "quality:grade_audit")
    # Once started, the page leads to the re-audit instead of offering a second.
    again = client.get(_url(audit, "quality:re_audit")).content.decode()
    assert "Start the re-audit" not in again and _url(re_audit, "quality:audit") in again
    assert client.post(_url(audit, "quality:re_audit")).status_code == 200
    assert CaseFileAudit.objects.filter(re_audit_of=audit).count() == 1


def test_the_agreement_page_gives_the_rate_and_kappa_by_hand(client, org, child, audit):
    # Audit 1 (all good) moderated all good; audit 2 (all requires improvement) moderated all good.
    second = make_audit(child, org.tess)
    services.save_case_file_audit(actor=org.tess, audit=second, complete=True, **graded(second, REQUIRES_IMPROVEMENT))
    make_moderation(audit, org.quinn)
    make_moderation(second, org.quinn)
    client.force_login(org.hana)
    page = client.get(reverse("quality:agreement")).content.decode()
    assert "2 moderated audits" in page
    # Overall grades: (good, good) and (RI, good): 1 of 2 the same; the moderator always said good, so chance
    # agreement is (1*2 + 1*0) / 4 = 0.5 and kappa = (0.5 - 0.5) / 0.5 = 0.
    assert "50% (1 of 2)" in page and "0.00" in page
    assert "no better than chance" in page


def test_the_impact_page_counts_the_change_at_re_audit(client, org, child, audit):
    earlier = make_audit(child, org.tess)
    services.save_case_file_audit(actor=org.tess, audit=earlier, complete=True, **graded(earlier, INADEQUATE))
    re_audit = services.start_re_audit(actor=org.tess, audit=earlier)
    services.save_case_file_audit(actor=org.tess, audit=re_audit, complete=True, **graded(re_audit, GOOD))
    client.force_login(org.quinn)  # no sample of Lily: she is counted, not named
    page = client.get(reverse("quality:impact")).content.decode()
    assert "1 completed re-audit" in page and "counted above but not listed" in page and "Lily" not in page
    client.force_login(org.tess)
    page = client.get(reverse("quality:impact")).content.decode()
    # Overall requires improvement (the tests' grade for inadequate sections) to good: 1 step better.
    assert "Lily" in page and "Improved: 1 step better" in page
    event = AuditEvent.objects.filter(action=Action.VIEW, actor=org.tess).order_by("-pk").first()
    assert child.pk in event.details["shown"]


def test_the_re_audit_and_the_childs_audits_show_the_change_in_grade(client, org, child):
    earlier = make_audit(child, org.tess)
    services.save_case_file_audit(actor=org.tess, audit=earlier, complete=True, **graded(earlier, INADEQUATE))
    re_audit = services.start_re_audit(actor=org.tess, audit=earlier)
    audits = reverse("quality:child_audits", kwargs={"person_id": child.pk})
    client.force_login(org.simon)  # a manager who audits sees the re-audit in progress
    listed = client.get(audits).content.decode()
    assert "Change in grade at re-audit" in listed and "Not measured until both are completed" in listed
    services.save_case_file_audit(actor=org.tess, audit=re_audit, complete=True, **graded(re_audit, GOOD))

    # The worker: every section inadequate, then good (2 steps better); overall requires improvement (the tests'
    # overall grade for inadequate sections), then good (1 step better).
    overall = "Requires improvement to be good → Good (improved: 1 step better)"
    client.force_login(org.sam)
    page = client.get(_url(re_audit, "quality:audit")).content.decode()
    assert f"Overall grade at re-audit: {overall}." in page and 'id="change-in-grade"' in page
    sections = re_audit.template.sections.count()
    assert page.count("Improved: 2 steps better") == sections and page.count("Improved: 1 step better") == 1
    listed = client.get(audits).content.decode()
    assert overall in listed and "Not a re-audit" in listed
    assert "change-in-grade" not in client.get(_url(earlier, "quality:audit")).content.decode()

    # Moderation is blind: while Simon moderates the audit, its re-audit shows him no change (nor its grades).
    services.start_moderation(actor=org.simon, audit=earlier, blind=True)
    client.force_login(org.simon)
    page = client.get(_url(re_audit, "quality:audit")).content.decode()
    assert "change-in-grade" not in page and "Requires improvement to be good →" not in page
    listed = client.get(audits).content.decode()
    assert "Not shown while you moderate the audit it follows" in listed and overall not in listed


def test_the_theme_report_shows_grades_by_area_and_team_for_the_period(client, org, child, audit):
    client.force_login(org.simon)
    page = client.get(reverse("quality:themes")).content.decode()
    assert "1 completed audit" in page and "<svg" in page and "Assessment Team" in page
    assert "100% (" in page
    today = audit.completed_on
    before = today - datetime.timedelta(days=30)
    empty = client.get(reverse("quality:themes"), {"start_day": before.day, "start_month": before.month,
                                                   "start_year": before.year, "end_day": before.day,
                                                   "end_month": before.month, "end_year": before.year})
    assert "No audit was completed in the period" in empty.content.decode()
    backwards = client.get(reverse("quality:themes"), {"start_day": today.day, "start_month": today.month,
                                                       "start_year": today.year, "end_day": before.day,
                                                       "end_month": before.month, "end_year": before.year})
    assert "must be on or before" in backwards.content.decode()


def test_the_audit_of_audits_shows_each_auditor(client, org, audit):
    services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Visit")
    make_moderation(audit, org.quinn)
    client.force_login(org.ada)
    page = client.get(reverse("quality:auditors")).content.decode()
    assert "Tess Manager" in page and "100% (1 of 1)" in page and "0 days" in page


@pytest.mark.parametrize("who, status", [("quinn", 200), ("tess", 200), ("simon", 200), ("hana", 200),
                                         ("ada", 200), ("sam", 403), ("ola", 403), ("pat", 403), ("petra", 403),
                                         ("chris", 403), ("fran", 403)])
def test_who_may_see_the_reports(client, org, who, status):
    client.force_login(getattr(org, who))
    for name in REPORTS:
        assert client.get(reverse(name)).status_code == status, name


def test_the_quality_page_links_to_the_reports(client, org):
    client.force_login(org.quinn)
    page = client.get(reverse("quality:home")).content.decode()
    for name in REPORTS:
        assert reverse(name) in page
