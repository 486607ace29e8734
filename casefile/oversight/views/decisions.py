"""The Decisions pages of a child's record: the list (management decisions and the front door's threshold
decisions, newest first, paged), each decision, recording one, a service manager's sign-off of a conference
request, recording a disagreement, and the letter for the family of a decision marked shareable.

Every page is under the child and goes through @record_view (edit=True for changes), so it is audited and answers
404 to those who may not see (or change) her; a decision in the URL is fetched with the child as a filter. Who may
record, sign off or disagree is asked of access/permissions.py before the form is shown, and said if not.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_view
from casefile.audit.models import Action
from casefile.casework.models import Allocation
from casefile.core import presenters as core_presenters
from casefile.core.forms import posted, save_or_show
from casefile.core.pagination import paginate
from casefile.core.pdf import pdf_response, render_pdf
from casefile.frontdoor.models import ThresholdDecision
from casefile.oversight import evidence, presenters
from casefile.oversight.decisions import listed, management_decisions
from casefile.oversight.forms.decisions import DecisionForm, DissentForm, SignOffForm
from casefile.oversight.models import PLAIN_KIND, DecisionEvidence, ManagementDecision
from casefile.oversight.services import decisions as services
from casefile.people.models import Person

P = "people/<int:person_id>/decisions/"
ONE = P + "<int:management_decision_id>/"
T = "oversight/decisions/"
FORM = "casework/episodes/form.html"  # the journey's form page: the identity bar, the form, one button


def _page(request, template: str, person: Person, **context):
    """Render with what every page of the record needs: the identity bar's allocation and age."""
    allocation = (Allocation.objects.filter(child=person, end_date__isnull=True)
                  .select_related("worker", "team").first())
    age = core_presenters.age_text(person.date_of_birth, timezone.localdate(), person.date_of_death)
    return render(request, template, {
        "person": person, "allocation": allocation, "age": age, **context})


def _list_url(person: Person) -> str:
    return reverse("oversight:decisions", kwargs={"person_id": person.pk})


def _decision_url(decision: ManagementDecision) -> str:
    return reverse("oversight:decision", kwargs={"person_id": decision.child_id,
                                                  "management_decision_id": decision.pk})


def _decision(person: Person, management_decision_id: int) -> ManagementDecision:
    return get_object_or_404(management_decisions(person).select_related("child"), pk=management_decision_id)


def _refused(request, person: Person, *, title: str, reason: str, instead: str, back: str):
    """Said instead of a form this user may not fill in, with what to do instead."""
    return _page(request, T + "refused.html", person, page_title=title, reason=reason, instead=instead, back_url=back)


@record_view("GET")
def decisions(request, person: Person):
    page = paginate(request, listed(person))
    return _page(request, T + "list.html", person, page=page, table=presenters.decisions_table(page.object_list),
                 may_record=permissions.may_record_decision(request.user) and policy.can_edit(request.user, person),
                 page_title=f"Decisions: {person.full_name}")


@record_view("GET")
def decision(request, person: Person, management_decision_id: int):
    found = _decision(person, management_decision_id)
    points = list(found.evidence.all())
    named = evidence.described(person, points)
    weighed = {weighed_as: presenters.evidence_list([p for p in points if p.weighed_as == weighed_as], named)
               for weighed_as in DecisionEvidence.WeighedAs.values}
    return _page(request, T + "decision.html", person, decision=found, weighed=weighed,
                 dissents=list(found.dissents.select_related("recorded_by")),
                 may_sign_off=found.awaiting_sign_off and permissions.may_sign_off_conference_request(
                     request.user, found) and policy.can_edit(request.user, person),
                 may_record_dissent=permissions.may_record_dissent(request.user, person),
                 may_print=found.shareable_with_family and policy.can_export(request.user, person),
                 page_title=f"{found.get_kind_display()} decision")


@record_view("GET")
def threshold_decision(request, person: Person, threshold_decision_id: int):
    """The front door's threshold decision, read-only here: it is changed only at the front door."""
    found = get_object_or_404(ThresholdDecision.objects.select_related(
        "decided_by", "authorised_by", "contact_child__contact"), pk=threshold_decision_id,
        contact_child__child=person)
    return _page(request, T + "threshold.html", person, decision=found, page_title="Threshold decision")


@record_view("GET", "POST", edit=True)
def record_decision(request, person: Person):
    if not permissions.may_record_decision(request.user):
        return _refused(request, person, title="You cannot record a management decision",
                        reason="Only a team manager, service manager or head of service can record a management "
                               "decision", instead="Ask your manager to record the decision. You can record what "
                                                  "you think should happen in a case note.",
                        back=_list_url(person))
    form = DecisionForm(posted(request), user=request.user, child=person,
                        initial={"decided_on": timezone.localdate()})
    saved = save_or_show(request, form, lambda data: services.record_decision(
        actor=request.user, request=request, child=person, **data))
    if saved:
        messages.success(request, f"The {saved.get_kind_display().lower()} decision is recorded")
        return redirect(_decision_url(saved))
    return _page(request, FORM, person, form=form, page_title="Record a management decision",
                 submit="Record the decision", back_url=_list_url(person))


@record_view("GET", "POST", edit=True)
def sign_off(request, person: Person, management_decision_id: int):
    found = _decision(person, management_decision_id)
    back = _decision_url(found)
    if not (found.awaiting_sign_off and permissions.may_sign_off_conference_request(request.user, found)):
        return _refused(request, person, title="You cannot sign off this decision",
                        reason=_sign_off_refusal(request.user, found),
                        instead="A service manager or head of service who did not make the decision signs it off.",
                        back=back)
    form = SignOffForm(posted(request))
    if save_or_show(request, form, lambda data: services.sign_off_conference_request(
            actor=request.user, request=request, decision=found), record=found):
        messages.success(request, "The request for an initial child protection conference is signed off")
        return redirect(back)
    return _page(request, T + "sign_off.html", person, form=form, decision=found, back_url=back,
                 page_title="Sign off the request for an initial conference")


def _sign_off_refusal(user, found: ManagementDecision) -> str:
    if not found.needs_sign_off:
        return "Only a request for an initial child protection conference needs a sign-off"
    if not found.awaiting_sign_off:
        return (f"It was signed off by {found.signed_off_by} on "
                f"{core_presenters.govuk_datetime(found.signed_off_at)}")
    if found.decided_by_id == user.pk:
        return "You made this decision, so someone else must sign it off"
    return "Only a service manager or head of service can sign off a request for an initial conference"


@record_view("GET", "POST", edit=True)
def record_dissent(request, person: Person, management_decision_id: int):
    found = _decision(person, management_decision_id)
    back = _decision_url(found)
    if not permissions.may_record_dissent(request.user, person):
        return _refused(request, person, title="You cannot record a disagreement",
                        reason="A disagreement is recorded by a practitioner, manager or chair working with the child",
                        instead="Tell the child’s social worker or their manager, who can record it with your name.",
                        back=back)
    form = DissentForm(posted(request), initial={
        "dissent_raised_by": f"{request.user}, {request.user.role_label.lower()}"})
    if save_or_show(request, form, lambda data: services.record_dissent(
            actor=request.user, request=request, decision=found, **data)):
        messages.success(request, "The disagreement is recorded with the decision")
        return redirect(back)
    return _page(request, FORM, person, form=form, page_title="Record a disagreement with the decision",
                 submit="Record the disagreement", back_url=back)


@record_view("GET", audit_action=Action.EXPORT)
def family_letter(request, person: Person, management_decision_id: int):
    """The decision for the child's parents, as a tagged PDF: the plain-language summary marked shareable, and
    nothing of the internal reasoning. Each download is audited as an export of the child's record."""
    found = _decision(person, management_decision_id)
    if not found.shareable_with_family:
        raise Http404("No letter for this decision")
    if not policy.can_export(request.user, person):
        raise PermissionDenied("Partner agencies cannot print a child's record")
    pdf = render_pdf(T + "family_letter_pdf.html", {
        "decision": found, "person": person, "what": PLAIN_KIND[found.kind],
        "paragraphs": [part for part in found.family_summary.split("\n\n") if part.strip()]}, request=request)
    return pdf_response(pdf, f"decision-{found.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


urlpatterns = [
    path(P, decisions, name="decisions"),
    path(P + "new/", record_decision, name="record_decision"),
    path(P + "threshold/<int:threshold_decision_id>/", threshold_decision, name="threshold_decision"),
    path(ONE, decision, name="decision"),
    path(ONE + "sign-off/", sign_off, name="sign_off_decision"),
    path(ONE + "disagreement/", record_dissent, name="record_dissent"),
    path(ONE + "letter/", family_letter, name="family_letter"),
]
