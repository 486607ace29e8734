"""Front-door pages for deciding and moving children on: the board, threshold decisions and their authorisation,
handover to the assessment team, the managers' weekly report and the outcome letters to referrers.

Every view goes through @front_door_view; a view about a contact loads it with `contact_for`, which checks the
access policy for every child on it. Lists come from casefile/frontdoor/board.py (a fixed number of queries,
restricted children left out). Writes go through the services; a refusal is shown on the form, nothing saved.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.calendar import working_calendar
from casefile.core import presenters
from casefile.core.exports import csv_response
from casefile.core.forms import posted, save_or_show
from casefile.core.pagination import paginate
from casefile.core.pdf import pdf_response, render_pdf
from casefile.frontdoor import board as queries
from casefile.frontdoor.access import contact_for, front_door_view
from casefile.frontdoor.forms import decisions as forms
from casefile.frontdoor.history import history_for
from casefile.frontdoor.models import ContactChild, ReferrerLetter, ThresholdDecision
from casefile.frontdoor.presenters import awaiting_table, overdue_letters_table
from casefile.frontdoor.services import decisions as services
from casefile.frontdoor.services import handovers, letters
from casefile.frontdoor.standards import front_door_settings
from casefile.rules.front_door import Outcome

WHO_MAY_DECIDE = ("A threshold decision is made by a qualified social worker, a senior practitioner or a manager, "
                  "then authorised by a different manager.")


# Helpers ------------------------------------------------------------------------------------------------


def _page(request, template: str, status: int = 200, **context):
    return render(request, f"frontdoor/{template}", {"navigation_active": "front_door", **context}, status=status)


def _contact_url(contact) -> str:
    return reverse("frontdoor:contact", kwargs={"contact_id": contact.pk})


def _contact_link(link: ContactChild) -> str:
    return reverse("frontdoor:contact", kwargs={"contact_id": link.contact_id})


def _links(*pairs: tuple[str, str]) -> list[dict]:
    return [{"text": text, "href": reverse(name)} for name, text in pairs]



def _link_on(contact, contact_child_id: int) -> ContactChild:
    return get_object_or_404(
        ContactChild.objects.select_related("child", "decision__decided_by", "decision__authorised_by",
                                            "decision__episode", "handover__to_team", "handover__handed_over_by"),
        pk=contact_child_id, contact=contact)


def _now_and_calendar(request):
    return timezone.now(), working_calendar(request)


# The board ----------------------------------------------------------------------------------------------


@front_door_view("GET")
def board(request):
    now, calendar = _now_and_calendar(request)
    form = forms.BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = queries.BoardFilters(holder=data.get("holder", ""), rag=data.get("rag", ""),
                                   past_limit=bool(data.get("past_limit")))
    # Counted and filtered in the database; only the page shown has its working time and clock worked out.
    limits = queries.Limits.at(now, calendar)
    page = paginate(request, filters.apply(queries.open_links(request.user), request.user, limits))
    rows = queries.rows_for(page.object_list, now=now, calendar=calendar)
    record_shown(request, [row.link.child_id for row in rows])
    return _page(request, "board/board.html", page_title="Front door", rows=rows, page=page, form=form,
                 filters=filters, counts=queries.summary(request.user, limits), stages=queries.STAGES,
                 contact_link=_contact_link,
                 limit=front_door_settings().open_limit_working_days,
                 links=_links(("frontdoor:triage_queue", "Police notifications to triage"),
                              ("frontdoor:checks_outstanding", "Outstanding agency checks"),
                              ("frontdoor:awaiting_authorisation", "Decisions awaiting authorisation"),
                              ("frontdoor:letters_overdue", "Referrers not yet told the outcome"),
                              ("frontdoor:weekly_report", "Weekly report of items past the limit"),
                              ("frontdoor:contact_new", "Record a new contact")))


# Deciding -----------------------------------------------------------------------------------------------


def _decision_values(data: dict) -> dict:
    """The form's values for the service; the referral and early-help fields only for those outcomes."""
    outcome = data["outcome"]
    return {**data, "primary_need": data["primary_need"] if outcome in (Outcome.ASSESSMENT, Outcome.STRATEGY) else "",
            "early_help_provider": data["early_help_provider"] if outcome == Outcome.EARLY_HELP else ""}


DECISION_FIELDS = ("level", "outcome", "criteria_applied", "circumstances", "history_considered", "consent_position",
                   "primary_need", "early_help_provider")


@front_door_view("GET", "POST")
def decide(request, contact_id: int, contact_child_id: int):
    """The decision for one child, with the history panel above the form: history before any decision."""
    contact = contact_for(request, contact_id, edit=True)
    link = _link_on(contact, contact_child_id)
    decision = getattr(link, "decision", None)
    initial = {name: getattr(decision, name) for name in DECISION_FIELDS} if decision else {}
    form = forms.DecisionForm(posted(request), initial=initial)
    if decision is None or not decision.is_authorised:
        if save_or_show(request, form, lambda data: services.record_decision(
                actor=request.user, request=request, contact_child=link, **_decision_values(data)),
                record=decision):
            messages.success(request, f"Decision recorded for {link.child.full_name}: a manager now needs to "
                                      f"authorise it")
            return redirect(_contact_url(contact))
    return _page(request, "decisions/decide.html", page_title=f"Threshold decision: {link.child.full_name}",
                 contact=contact, link=link, decision=decision, form=form, history=history_for(contact),
                 clock_status=services.decision_status(link, request=request), clock_text=queries.clock_text,
                 can_decide=permissions.may_decide(request.user), who_may_decide=WHO_MAY_DECIDE,
                 level_of=front_door_settings().level, back_url=_contact_url(contact))


# Authorising --------------------------------------------------------------------------------------------


def _authorise_refusal(user, decision: ThresholdDecision) -> str:
    if decision.is_authorised:
        return ""
    if not permissions.is_manager(user):
        return "Only a team manager, service manager or head of service can authorise a decision."
    if not permissions.may_authorise_decision(user, decision):
        return "You made this decision: a different manager needs to authorise it."
    return ""


@front_door_view("GET", "POST")
def authorise(request, decision_id: int):
    decision = get_object_or_404(ThresholdDecision.objects.select_related(
        "contact_child__contact", "contact_child__child", "decided_by", "authorised_by", "episode",
        "early_help_transfer"), pk=decision_id)
    contact = contact_for(request, decision.contact_child.contact_id, edit=True)
    link = decision.contact_child
    form = forms.AuthoriseForm(posted(request))
    if not decision.is_authorised and save_or_show(request, form, lambda data: services.authorise_decision(
            actor=request.user, request=request, decision=decision, comment=data["comment"])):
        messages.success(request, f"The decision for {link.child.full_name} is authorised")
        return redirect("frontdoor:authorise", decision_id=decision.pk)
    return _page(request, "decisions/authorise.html", page_title=f"Authorise the decision: {link.child.full_name}",
                 contact=contact, link=link, decision=decision, form=form, history=history_for(contact),
                 clock_status=services.decision_status(link, request=request), clock_text=queries.clock_text,
                 refusal=_authorise_refusal(request.user, decision), level_of=front_door_settings().level,
                 back_url=reverse("frontdoor:awaiting_authorisation"))


@front_door_view("GET")
def awaiting_authorisation(request):
    now, calendar = _now_and_calendar(request)
    rows = queries.awaiting_authorisation(request.user, now=now, calendar=calendar)
    record_shown(request, [row.decision.contact_child.child_id for row in rows])
    return _page(request, "decisions/awaiting.html", page_title="Decisions awaiting authorisation", rows=rows,
                 awaiting_table=awaiting_table(rows, may_authorise=permissions.is_manager(request.user)))


# Handover -----------------------------------------------------------------------------------------------


def _outstanding_checks(contact) -> str:
    return "\n".join(
        f"{check.get_agency_display()} check asked of {check.asked_of} on "
        f"{presenters.govuk_date(timezone.localtime(check.requested_at).date())}"
        + (f": {check.question}" if check.question else "")
        for check in contact.checks.filter(responded_at__isnull=True))


@front_door_view("GET", "POST")
def handover(request, contact_id: int, contact_child_id: int):
    contact = contact_for(request, contact_id, edit=True)
    link = _link_on(contact, contact_child_id)
    done = getattr(link, "handover", None)
    refusal = "" if done else handovers.handover_refusal(link)
    allocation = handovers.open_allocations([link.child]).get(link.child_id)
    form = forms.HandoverForm(posted(request), initial={"outstanding": _outstanding_checks(contact)},
                              allocated_team=allocation.team if allocation else None)
    if not done and not refusal and save_or_show(request, form, lambda data: handovers.record_handover(
            actor=request.user, request=request, contact_child=link, **data)):
        messages.success(request, f"{link.child.full_name} has been handed over and has left the front door")
        return redirect("frontdoor:handover", contact_id=contact.pk, contact_child_id=link.pk)
    decision = getattr(link, "decision", None)
    return _page(request, "decisions/handover.html", page_title=f"Hand over to assessment: {link.child.full_name}",
                 contact=contact, link=link, decision=decision, handover=done, refusal=refusal, form=form,
                 allocated=handovers.allocated_elsewhere_text(allocation) if allocation else "",
                 back_url=_contact_url(contact))


# The weekly report --------------------------------------------------------------------------------------


REPORT_COLUMNS = ("Child", "Received", "Went past the limit", "Working days at the front door", "Who has it",
                  "Status")


def _report_csv(rows, start: datetime.date) -> HttpResponse:
    return csv_response(f"front-door-past-limit-{start:%Y-%m-%d}.csv", REPORT_COLUMNS, (
        [row.link.child.full_name, f"{timezone.localtime(row.link.contact.received_at):%Y-%m-%d %H:%M}",
         f"{row.passed_limit_on:%Y-%m-%d}", row.working_days, row.holder,
         "Still open" if row.still_open else f"Concluded {row.concluded_on:%Y-%m-%d}"] for row in rows))


@front_door_view("GET")
def weekly_report(request):
    if not permissions.may_see_front_door_reports(request.user):
        record(Action.ACCESS_DENIED, request=request, details={"path": request.path})
        return _page(request, "board/refused.html", page_title="Weekly report", status=403)
    today = timezone.localdate()
    week = queries.week_for(request.GET.get("week"), today)
    if week is None:
        messages.error(request, "Enter the week as a date, for example 2026-03-02")
        return redirect("frontdoor:weekly_report")
    start, end = week
    rows, totals = queries.weekly_report(request.user, start=start, end=end, today=today,
                                         calendar=working_calendar(request))
    if request.GET.get("format") == "csv":
        for row in rows:
            record(Action.EXPORT, request=request, subject=row.link.contact, child=row.link.child,
                   details={"page": "frontdoor:weekly_report", "format": "csv", "week": start.isoformat()})
        return _report_csv(rows, start)
    previous = start - datetime.timedelta(days=start.weekday() + 7)
    record_shown(request, [row.link.child_id for row in rows])
    return _page(request, "board/weekly_report.html", page_title="Items past the front-door limit", rows=rows,
                 totals=totals, start=start, end=end, limit=front_door_settings().open_limit_working_days,
                 previous_week=previous.isoformat(), week=request.GET.get("week", ""))


# Letters to referrers -----------------------------------------------------------------------------------


def _letter_page(request, contact, sent_form=None):
    letter = contact.letters.select_related("generated_by", "sent_by").first()
    links = list(contact.children.select_related("child", "decision"))
    return _page(request, "letters/letter.html", page_title="Outcome letter to the referrer", contact=contact,
                 letter=letter, links=links, refusal=letters.letter_refusal(contact, links),
                 sent_form=sent_form or forms.LetterSentForm(initial={"sent_on": timezone.localdate()}),
                 form=sent_form, back_url=_contact_url(contact))


@front_door_view("GET", "POST")
def letter(request, contact_id: int):
    contact = contact_for(request, contact_id, edit=request.method == "POST")
    if request.method == "POST":
        form = Form(request.POST)  # a button: no fields, but a refusal still comes back on the form
        if save_or_show(request, form, lambda data: letters.generate_letter(
                actor=request.user, request=request, contact=contact)):
            messages.success(request, "The letter has been written: check it, send it, then record that it was sent")
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("frontdoor:letter", contact_id=contact.pk)
    return _letter_page(request, contact)


def _letter(letter_id: int) -> ReferrerLetter:
    return get_object_or_404(ReferrerLetter.objects.select_related("contact", "generated_by"), pk=letter_id)


@front_door_view("GET")
def letter_pdf(request, letter_id: int):
    """The letter as a tagged, accessible PDF; each child's record shows it was exported."""
    found = _letter(letter_id)
    contact = contact_for(request, found.contact_id, audit=False)
    pdf = render_pdf("frontdoor/letters/letter_pdf.html", {"letter": found, "contact": contact,
                                                           "paragraphs": found.body.split("\n\n")},
                     request=request)
    for link in contact.children.select_related("child"):
        record(Action.EXPORT, request=request, subject=found, child=link.child,
               details={"page": "frontdoor:letter_pdf", "format": "pdf"})
    return pdf_response(pdf, f"outcome-letter-{found.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


def _sent_at(day: datetime.date | None) -> datetime.datetime | None:
    """The moment to record for a date: now for today, midday for an earlier day."""
    if day is None:
        return None
    if day == timezone.localdate():
        return timezone.now()
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=timezone.get_current_timezone())


@front_door_view("POST")
def letter_sent(request, letter_id: int):
    found = _letter(letter_id)
    contact = contact_for(request, found.contact_id, edit=True)
    if found != contact.letters.first():
        messages.error(request, "A newer letter has been written for this contact: record that one as sent")
        return redirect("frontdoor:letter", contact_id=contact.pk)
    form = forms.LetterSentForm(request.POST)
    if save_or_show(request, form, lambda data: letters.record_sent(
            actor=request.user, request=request, letter=found, method=data["method"],
            sent_at=_sent_at(data["sent_on"]))):
        messages.success(request, "Recorded that the referrer has been told the outcome")
        return redirect("frontdoor:letter", contact_id=contact.pk)
    return _letter_page(request, contact, sent_form=form)


@front_door_view("GET")
def letters_overdue(request):
    rows = queries.letters_overdue(request.user, today=timezone.localdate(), calendar=working_calendar(request))
    record_shown(request, [child for row in rows for child in row.children])
    return _page(request, "letters/overdue.html", page_title="Referrers not yet told the outcome", rows=rows,
                 overdue_table=overdue_letters_table(rows),
                 allowed=front_door_settings().referrer_feedback_working_days)


C = "contacts/<int:contact_id>/"
urlpatterns = [
    path("", board, name="board"),
    path(C + "children/<int:contact_child_id>/decision/", decide, name="decide"),
    path("decisions/<int:decision_id>/authorise/", authorise, name="authorise"),
    path("decisions/awaiting-authorisation/", awaiting_authorisation, name="awaiting_authorisation"),
    path(C + "children/<int:contact_child_id>/handover/", handover, name="handover"),
    path("weekly-report/", weekly_report, name="weekly_report"),
    path(C + "letter/", letter, name="letter"),
    path("letters/<int:letter_id>/pdf/", letter_pdf, name="letter_pdf"),
    path("letters/<int:letter_id>/sent/", letter_sent, name="letter_sent"),
    path("referrers-not-told/", letters_overdue, name="letters_overdue"),
]
