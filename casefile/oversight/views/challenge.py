"""Pages for chair and IRO challenge: a child's practice concerns, raising one, the response at each stage, moving
it on, its resolution; the open escalations a chair or manager follows; and a chair's feedback on each agency's
report to a conference.

Who may do each act is asked of access/permissions.py; the rules are in oversight/services.py and
rules/escalation.py. Every page of a child's record goes through @record_view (404 for those who may not see it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown, record_view
from casefile.casework.calendar import working_calendar
from casefile.casework.models import Allocation, Conference, ConferenceReport
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.core.presenters import age_text, govuk_date
from casefile.oversight import escalations as reads
from casefile.oversight import presenters
from casefile.oversight.forms.challenge import ConcernForm, EscalateForm, FeedbackForm, ResolutionForm, ResponseForm
from casefile.oversight.models import Escalation, ReportFeedback
from casefile.oversight.services import challenge as services
from casefile.people.models import Person
from casefile.rules import escalation as rules


def _page(request, template: str, person: Person, **context):
    """Render with what every page of a child's record needs: the identity bar's allocation and age."""
    allocation = (Allocation.objects.filter(child=person, end_date__isnull=True)
                  .select_related("worker", "team").first())
    age = age_text(person.date_of_birth, timezone.localdate(), person.date_of_death)
    return render(request, f"oversight/{template}", {"person": person, "allocation": allocation, "age": age,
                                                     **context})


def _escalations_url(person: Person) -> str:
    return reverse("oversight:escalations", kwargs={"person_id": person.pk})


def _escalation(person: Person, escalation_id: int) -> Escalation:
    return get_object_or_404(reads.with_stages(Escalation.objects.select_related("resolved_by")),
                             pk=escalation_id, child=person)


def _form_page(request, person: Person, form, *, title: str, submit: str, back: str, escalation=None):
    return _page(request, "form.html", person, form=form, page_title=title, submit=submit, back_url=back,
                 escalation=escalation, summary_rows=_summary_rows(escalation) if escalation else [])


def _summary_rows(escalation: Escalation) -> list[dict]:
    return [{"key": {"text": "The concern"}, "value": {"text": escalation.concern}},
            {"key": {"text": "What is asked for"}, "value": {"text": escalation.asked_for}},
            {"key": {"text": "Raised by"}, "value": {"text": f"{escalation.raised_by} on "
                                                             f"{govuk_date(escalation.raised_on)}"}}]


# A child's practice concerns ----------------------------------------------------------------------------


@record_view("GET")
def child_escalations(request, person: Person):
    calendar = working_calendar(request)
    rows = [(row, reads.current_status(row, calendar) if row.is_open else None)
            for row in reads.child_escalations(person)]
    return _page(request, "escalations.html", person, table=presenters.child_escalations_table(rows),
                 count=len(rows), may_raise=permissions.may_raise_concern(request.user, person),
                 page_title=f"Practice concerns: {person.full_name}")


@record_view("GET", "POST", edit=True)
def raise_concern(request, person: Person):
    if not permissions.may_raise_concern(request.user, person):
        raise PermissionDenied("Only a conference chair or IRO of the child's conferences may raise a practice "
                               "concern")
    form = ConcernForm(posted(request))
    # A new record: nothing to compare a version with.
    escalation = save_or_show(request, form, lambda data: services.raise_concern(
        actor=request.user, request=request, child=person, **data))
    if escalation:
        messages.success(request, "The practice concern is raised at the informal stage")
        return redirect(presenters.escalation_url(escalation))
    return _form_page(request, person, form, title="Raise a practice concern", submit="Raise the concern",
                      back=_escalations_url(person))


@record_view("GET")
def escalation_page(request, person: Person, escalation_id: int):
    escalation = _escalation(person, escalation_id)
    calendar = working_calendar(request)
    stages = [(row, status, presenters.status_tag(status))
              for row, status in reads.stage_statuses(escalation, calendar)]
    user = request.user
    return _page(request, "escalation.html", person, escalation=escalation, stages=stages,
                 summary_rows=_summary_rows(escalation), source=presenters.deadlines_source(),
                 may_respond=permissions.may_respond_to_concern(user, escalation)
                 and reads.stage_row(escalation, escalation.stage).responded_on is None,
                 may_escalate=permissions.may_escalate_concern(user, escalation)
                 and rules.next_stage(escalation.stage) is not None,
                 may_resolve=permissions.may_resolve_concern(user, escalation),
                 page_title=f"Practice concern raised on {govuk_date(escalation.raised_on)}")


@record_view("GET", "POST", edit=True)
def respond(request, person: Person, escalation_id: int):
    escalation = _escalation(person, escalation_id)
    if not permissions.may_respond_to_concern(request.user, escalation):
        raise PermissionDenied(f"You may not answer this concern at {escalation.get_stage_display().lower()}")
    row = reads.stage_row(escalation, escalation.stage)
    form = ResponseForm(posted(request), initial={"responded_on": timezone.localdate()})
    if save_or_show(request, form, lambda data: services.respond_to_concern(
            actor=request.user, request=request, escalation=escalation, **data), record=row):
        messages.success(request, f"The response at {escalation.get_stage_display().lower()} is saved")
        return redirect(presenters.escalation_url(escalation))
    return _form_page(request, person, form, title=f"Respond to the concern: {escalation.get_stage_display()}",
                      submit="Save the response", back=presenters.escalation_url(escalation), escalation=escalation)


@record_view("GET", "POST", edit=True)
def escalate(request, person: Person, escalation_id: int):
    escalation = _escalation(person, escalation_id)
    if not permissions.may_escalate_concern(request.user, escalation):
        raise PermissionDenied("Only the chair who raised an open concern may move it to another stage")
    later = rules.ORDER[rules.ORDER.index(rules.Stage(escalation.stage)) + 1:]
    form = EscalateForm(posted(request), stages=[(stage.value, rules.LABELS[stage]) for stage in later],
                        initial={"stage": later[0].value if later else None})
    if save_or_show(request, form, lambda data: services.escalate_concern(
            actor=request.user, request=request, escalation=escalation, **data), record=escalation):
        messages.success(request, f"The concern has moved to {escalation.get_stage_display().lower()}")
        return redirect(presenters.escalation_url(escalation))
    return _form_page(request, person, form, title="Move the concern to another stage", submit="Move the concern",
                      back=presenters.escalation_url(escalation), escalation=escalation)


@record_view("GET", "POST", edit=True)
def resolve(request, person: Person, escalation_id: int):
    escalation = _escalation(person, escalation_id)
    if not permissions.may_resolve_concern(request.user, escalation):
        raise PermissionDenied("Only the chair who raised an open concern may record its resolution")
    form = ResolutionForm(posted(request))
    if save_or_show(request, form, lambda data: services.resolve_concern(
            actor=request.user, request=request, escalation=escalation, **data), record=escalation):
        messages.success(request, "The concern is resolved")
        return redirect(presenters.escalation_url(escalation))
    return _form_page(request, person, form, title="Record how the concern was resolved",
                      submit="Save the resolution", back=presenters.escalation_url(escalation), escalation=escalation)


# Open escalations for the signed-in chair or manager ------------------------------------------------------


@allow_methods("GET")
def open_escalations(request):
    if not permissions.may_see_escalations(request.user):
        raise PermissionDenied("Only conference chairs, IROs and managers follow escalations")
    page = paginate(request, reads.open_escalations_for(request.user))
    calendar = working_calendar(request)
    rows = [(row, reads.current_status(row, calendar)) for row in page.object_list]
    record_shown(request, [row.child for row, _ in rows])
    return render(request, "oversight/open_escalations.html", {
        "page": page, "table": presenters.open_escalations_table(rows),
        "overdue": sum(1 for _, status in rows if status.is_overdue), "source": presenters.deadlines_source(),
        "page_title": "Open escalations",
    })


# A chair's feedback on each agency's report -------------------------------------------------------------


def _conference(person: Person, conference_id: int) -> Conference:
    return get_object_or_404(Conference.objects.select_related("chair"), pk=conference_id, child=person)


def _feedback_url(report: ConferenceReport) -> str:
    conference = report.conference
    return reverse("oversight:report_feedback", kwargs={"person_id": conference.child_id,
                                                        "conference_id": conference.pk, "report_id": report.pk})


@record_view("GET")
def conference_reports(request, person: Person, conference_id: int):
    conference = _conference(person, conference_id)
    reports = list(conference.reports.select_related("feedback", "conference").order_by("agency", "pk"))
    may_give = permissions.may_give_report_feedback(request.user, conference)
    return _page(request, "conference_reports.html", person, conference=conference,
                 table=presenters.feedback_table(reports, may_give, _feedback_url),
                 conference_url=reverse("casework:conference", kwargs={"person_id": person.pk,
                                                                        "conference_id": conference.pk}),
                 page_title=f"Reports to the {conference.get_kind_display().lower()} on "
                            f"{govuk_date(conference.date)}")


@record_view("GET", "POST", edit=True)
def report_feedback(request, person: Person, conference_id: int, report_id: int):
    conference = _conference(person, conference_id)
    report = get_object_or_404(ConferenceReport.objects.select_related("conference"), pk=report_id,
                               conference=conference)
    if not permissions.may_give_report_feedback(request.user, conference):
        raise PermissionDenied("Only the chair of the conference may give feedback on its reports")
    feedback = ReportFeedback.objects.filter(report=report).first()
    initial = {"grade": feedback.grade, "comment": feedback.comment} if feedback else {}
    back = reverse("oversight:conference_reports", kwargs={"person_id": person.pk, "conference_id": conference.pk})
    form = FeedbackForm(posted(request), initial=initial)
    if save_or_show(request, form, lambda data: services.give_report_feedback(
            actor=request.user, request=request, report=report, **data), record=feedback):
        messages.success(request, f"Your feedback on the {report.get_agency_display()} report is saved")
        return redirect(back)
    return _form_page(request, person, form, title=f"Feedback on the {report.get_agency_display()} report",
                      submit="Save the feedback", back=back)


urlpatterns = [
    path("oversight/escalations/", open_escalations, name="open_escalations"),
    path("people/<int:person_id>/escalations/", child_escalations, name="escalations"),
    path("people/<int:person_id>/escalations/new/", raise_concern, name="raise_concern"),
    path("people/<int:person_id>/escalations/<int:escalation_id>/", escalation_page, name="escalation"),
    path("people/<int:person_id>/escalations/<int:escalation_id>/respond/", respond, name="respond_to_concern"),
    path("people/<int:person_id>/escalations/<int:escalation_id>/escalate/", escalate, name="escalate_concern"),
    path("people/<int:person_id>/escalations/<int:escalation_id>/resolve/", resolve, name="resolve_concern"),
    path("people/<int:person_id>/conferences/<int:conference_id>/reports/", conference_reports,
         name="conference_reports"),
    path("people/<int:person_id>/conferences/<int:conference_id>/reports/<int:report_id>/feedback/",
         report_feedback, name="report_feedback"),
]
