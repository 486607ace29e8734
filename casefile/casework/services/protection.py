"""Writes for child protection conferences, and the plans they start, review and end.

An initial conference (ICPC) follows a section 47 enquiry whose outcome was "substantiated and at continuing
risk"; a "plan" decision starts a child protection plan on the day of the conference. A review conference is the
review of the open plan: it marks every action's progress, and either continues the plan (recording the latest
category of abuse) or ends it. A transfer-in conference can start a plan for a child who has moved here.

Each function validates everything first and raises ValidationError keyed by the form's field names, then writes
inside one transaction, tells django-simple-history who made the change and adds an audit event.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.models import (
    Agency,
    Conference,
    ConferenceParticipant,
    ConferenceReport,
    Episode,
    Plan,
    Section47Enquiry,
)
from casefile.casework.services.plans import (
    check_after_start,
    check_happened,
    check_progress,
    end_plan_on,
    open_episode,
    open_plan,
    plan_actions,
    save_review,
)
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.people.models import Person, Relationship
from casefile.rules import codes, plan_checks

Kind = Conference.Kind
Decision = Conference.Decision

# What each kind of conference can decide. A review continues or ends the plan; the others start one or not.
DECISIONS = {
    Kind.INITIAL: (Decision.PLAN, Decision.NO_PLAN),
    Kind.TRANSFER_IN: (Decision.PLAN, Decision.NO_PLAN),
    Kind.REVIEW: (Decision.PLAN, Decision.END_PLAN),
}


# Who can be invited --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """Someone to offer as a row on the conference form: the child, or one of the child's related people."""

    person: Person
    role: str


# How a relationship reads from the other side: if Lily is Dawn's child, Dawn is Lily's parent.
INVERSE_ROLE = {
    Relationship.Kind.PARENT: "Child",
    Relationship.Kind.STEP_PARENT: "Step-child",
    Relationship.Kind.SIBLING: "Sibling",
    Relationship.Kind.GRANDPARENT: "Grandchild",
    Relationship.Kind.CARER: "Cared for by them",
    Relationship.Kind.HOUSEHOLD_MEMBER: "Household member",
}


# Parents and carers first: the people a conference must invite.
KIND_ORDER = [Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT, Relationship.Kind.CARER,
              Relationship.Kind.GRANDPARENT, Relationship.Kind.SIBLING, Relationship.Kind.HOUSEHOLD_MEMBER]


def people_to_invite(child: Person) -> list[Invitee]:
    """The child, then everyone recorded as related to them (parents and carers first), each once."""
    to_child = Relationship.objects.filter(relative=child, end_date__isnull=True, person__merged_into__isnull=True)
    from_child = Relationship.objects.filter(person=child, end_date__isnull=True, relative__merged_into__isnull=True)
    links = [(link.kind, link.pk, link.person, link.get_kind_display()) for link in to_child.select_related("person")]
    links += [(link.kind, link.pk, link.relative, INVERSE_ROLE[link.kind])
              for link in from_child.select_related("relative")]
    invitees, seen = [Invitee(child, "The child")], {child.pk}
    for _, _, person, role in sorted(links, key=lambda link: (KIND_ORDER.index(link[0]), link[1])):
        if person.pk not in seen:
            seen.add(person.pk)
            invitees.append(Invitee(person, role))
    return invitees


def chairs() -> QuerySet:
    return permissions.conference_chairs()


def enquiries_for_icpc(child: Person) -> QuerySet:
    """Section 47 enquiries that found the child at continuing risk and have no initial conference yet."""
    return (Section47Enquiry.objects
            .filter(episode__child=child, outcome=Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK)
            .exclude(conferences__kind=Kind.INITIAL)
            .select_related("strategy_discussion").order_by("-strategy_discussion__date", "-pk"))


# Recording a conference ----------------------------------------------------------------------------------


def record_conference(
    *, actor, request=None, child: Person, kind: str, date: datetime.date | None, chair: User | None,
    advocacy_offered: bool | None, childs_views: str, decision: str, category: str = "",
    decision_rationale: str = "", enquiry: Section47Enquiry | None = None, contingency: str = "",
    participants: Iterable[Mapping] = (), reports: Iterable[Mapping] = (),
    progress: Mapping[int, Mapping[str, str]] | None = None, review_summary: str = "",
) -> Conference:
    """Record a conference and carry out its decision: start, review or end the child protection plan.

    participants: {"person": Person or None, "name", "role", "agency", "invited": bool, "attended": bool/None}.
    reports: {"agency", "received": bool, "received_on": date or None, "shared_with_parents": bool/None}.
    Rows may also carry "field" and "label" so each message names the row and lands on its question.
    progress (review conferences): {action id: {"status", "evidence"}} for every action of the open plan.
    """
    errors = Errors()
    if kind not in DECISIONS:
        errors.add("kind", "Select whether this was an initial, review or transfer-in conference")
        errors.raise_if_any()
    check_happened(errors, "date", date, "date of the conference")
    _check_chair(errors, chair)
    if advocacy_offered is None:
        errors.add("advocacy_offered", f"Select whether {child.first_name} was offered an advocate")
    childs_views = (childs_views or "").strip()
    if not childs_views:
        errors.add("childs_views", f"Enter how {child.first_name}’s views were brought to the conference")
    _check_decision(errors, kind, decision, category)
    participants = _check_participants(errors, child, participants)
    reports = _check_reports(errors, date, reports)

    episode, plan, marked = None, None, []
    if kind == Kind.INITIAL:
        episode = _check_initial(errors, child, enquiry, date)
    elif kind == Kind.TRANSFER_IN:
        episode = open_episode(child)
        if decision == Decision.PLAN and episode is None:
            errors.add("decision", f"{child.first_name} has no open episode: record the transfer-in referral "
                                   f"before the conference starts a plan")
    else:
        plan, marked = _check_review(errors, child, date, progress or {})
        episode = plan.episode if plan else None
    if decision == Decision.PLAN and kind != Kind.REVIEW:
        _check_new_plan(errors, child, contingency)
    errors.raise_if_any()

    with transaction.atomic():
        conference = save_with_history(Conference(
            child=child, episode=episode, enquiry=enquiry if kind == Kind.INITIAL else None, kind=kind, date=date,
            chair=chair, advocacy_offered=advocacy_offered, childs_views=childs_views, decision=decision,
            category=category if decision == Decision.PLAN else "",
            decision_rationale=(decision_rationale or "").strip(), recorded_by=actor), actor)
        _save_rows(conference, participants, reports, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=conference, child=child,
               details={"kind": kind, "date": date, "decision": decision, "category": conference.category,
                        "enquiry": enquiry.pk if enquiry and kind == Kind.INITIAL else None,
                        "participants": len(participants), "reports": len(reports)})
        if kind == Kind.REVIEW:
            _carry_out_review(conference, plan, marked, review_summary, actor=actor, request=request)
        elif decision == Decision.PLAN:
            _start_plan(conference, (contingency or "").strip(), actor=actor, request=request)
    return conference


def _check_chair(errors: Errors, chair: User | None) -> None:
    if chair is None:
        errors.add("chair", "Select who chaired the conference")
    elif not permissions.may_chair_conference(chair):
        errors.add("chair", f"{chair.get_full_name() or chair.username} is not a conference chair: select one "
                            f"of the chairs listed")


def _check_decision(errors: Errors, kind: str, decision: str, category: str) -> None:
    allowed = DECISIONS[kind]
    if decision not in allowed:
        labels = " or ".join(f"‘{Decision(choice).label}’" for choice in allowed)
        errors.add("decision", f"Select the conference’s decision: {labels}")
    if decision == Decision.PLAN and not category:
        errors.add("category", "Select the category of abuse: a child protection plan needs one")
    elif category and category not in codes.CATEGORY_OF_ABUSE:
        errors.add("category", "Select a category of abuse from the list")


def _check_initial(errors: Errors, child: Person, enquiry: Section47Enquiry | None, date) -> Episode | None:
    if enquiry is None or enquiry.episode.child_id != child.pk:
        errors.add("enquiry", "Select the section 47 enquiry that led to this initial conference")
        return None
    if enquiry.outcome != Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK:
        errors.add("enquiry", "An initial conference follows a section 47 enquiry whose outcome was "
                              "‘substantiated and at continuing risk’: record that outcome first")
    if enquiry.conferences.filter(kind=Kind.INITIAL).exists():
        errors.add("enquiry", "This section 47 enquiry already has an initial conference: record a review "
                              "conference instead")
    discussion_date = enquiry.strategy_discussion.date
    if date and date < discussion_date:
        errors.add("date", f"The initial conference cannot be before the strategy discussion on "
                           f"{govuk_date(discussion_date)}, where the section 47 enquiry started")
    return enquiry.episode


def _check_new_plan(errors: Errors, child: Person, contingency: str) -> None:
    existing = open_plan(child, Plan.Kind.CHILD_PROTECTION)
    if existing:
        errors.add("decision", f"{child.first_name} already has an open child protection plan from "
                               f"{govuk_date(existing.start_date)}: a child can have only one, so record a "
                               f"review conference instead")
    problem = plan_checks.contingency_problem(contingency)
    if problem:
        errors.add("contingency", problem)


def _check_review(errors: Errors, child: Person, date, progress: Mapping) -> tuple[Plan | None, list]:
    plan = open_plan(child, Plan.Kind.CHILD_PROTECTION)
    if plan is None:
        errors.add("plan", f"{child.first_name} has no open child protection plan to review: record an initial "
                           f"or transfer-in conference instead")
        return None, []
    check_after_start(errors, plan, date)
    return plan, check_progress(errors, plan_actions(plan), progress)


# Who came and which reports arrived -------------------------------------------------------------------


def _row_key(row: Mapping, part: str, *, default: str) -> str:
    """The error key for one question of a row: the form's field when the row names it, else the list's name."""
    return f"{row['field']}_{part}" if row.get("field") else default


def _check_participants(errors: Errors, child: Person, rows: Iterable[Mapping]) -> list[dict]:
    """Each row: who, their role, whether invited and (if invited) whether they came.

    A row may carry "field" (the form's prefix for it, so a message lands on the right question) and "label"
    (how to name the row when its name is missing, such as "Health").
    """
    invitable = {invitee.person.pk for invitee in people_to_invite(child)}
    checked = []
    for row in rows:
        key = functools.partial(_row_key, row, default="participants")
        person = row.get("person")
        name, role = (row.get("name") or "").strip(), (row.get("role") or "").strip()
        who = name or row.get("label") or "each person"
        agency = row.get("agency") or ""
        if person is not None and person.pk not in invitable:
            errors.add(key("name"), f"{person.full_name} is not {child.first_name} or someone related to them")
        if not name:
            errors.add(key("name"), f"Enter the name of {who}" if row.get("label") else
                       "Enter the name of everyone invited")
        if not role:
            errors.add(key("role"), f"Enter the role of {who}, such as advocate or interpreter")
        if agency and agency not in Agency.values:
            errors.add(key("agency"), f"Select {who}’s agency")
        if row.get("invited") is None:
            errors.add(key("invited"), f"Select whether {who} was invited")
        elif row.get("invited") and row.get("attended") is None:
            errors.add(key("attended"), f"Select whether {who} came to the conference")
        checked.append({"person": person, "name": name, "role": role, "agency": agency,
                        "invited": bool(row.get("invited")), "attended": row.get("attended")})
    return checked


def _check_reports(errors: Errors, date, rows: Iterable[Mapping]) -> list[dict]:
    """Each agency's report: whether it arrived and, if so, whether the parents saw it beforehand.

    A row may carry "field", the form's prefix for it, so a message lands on the right question.
    """
    checked, agencies = [], set()
    for row in rows:
        agency = row.get("agency")
        key = functools.partial(_row_key, row, default="reports")
        if agency not in Agency.values:
            errors.add(key("agency"), "Select the agency each report came from")
            continue
        label = Agency(agency).label
        if agency in agencies:
            errors.add(key("agency"), f"Record the {label} report once")
        agencies.add(agency)
        received, received_on = bool(row.get("received")), row.get("received_on")
        if received_on and not received:
            errors.add(key("received"), f"The {label} report has a date received, so say it arrived")
        if received_on and date and received_on > date:
            errors.add(key("received"), f"The {label} report must have arrived on or before the conference")
        if row.get("shared_with_parents") and not received:
            errors.add(key("shared"), f"Say the {label} report arrived before saying it was shared with the parents")
        checked.append({"agency": agency, "received": received, "received_on": received_on,
                        "shared_with_parents": row.get("shared_with_parents") if received else None})
    return checked


def _save_rows(conference: Conference, participants: list[dict], reports: list[dict], actor) -> None:
    for row in participants:
        save_with_history(ConferenceParticipant(conference=conference, **row), actor)
    for row in reports:
        save_with_history(ConferenceReport(conference=conference, **row), actor)


# What the decision does to the plan --------------------------------------------------------------------


def _start_plan(conference: Conference, contingency: str, *, actor, request) -> Plan:
    """A "plan" decision at an initial or transfer-in conference starts the plan on the conference day."""
    child = conference.child
    cin_plan = open_plan(child, Plan.Kind.CHILD_IN_NEED)
    if cin_plan is not None:
        # CIN census: a child in need plan cannot run at the same time as a child protection plan.
        end_plan_on(cin_plan, conference.date, actor=actor, request=request,
             reason="A child protection plan started at a conference")
    plan = save_with_history(Plan(child=child, episode=conference.episode, kind=Plan.Kind.CHILD_PROTECTION,
                     start_date=conference.date, started_by_conference=conference,
                     initial_category=conference.category, latest_category=conference.category,
                     contingency=contingency, recorded_by=actor), actor)
    record(AuditAction.CREATE, actor=actor, request=request, subject=plan, child=child,
           details={"kind": plan.kind, "start_date": plan.start_date, "started_by_conference": conference.pk,
                    "initial_category": plan.initial_category})
    return plan


def _carry_out_review(conference: Conference, plan: Plan, marked: list, summary: str, *, actor, request) -> None:
    """A review conference reviews the plan; it then continues it (with the latest category) or ends it."""
    save_review(plan, actor=actor, request=request, date=conference.date, summary=(summary or "").strip(),
                marked=marked, conference=conference)
    if conference.decision == Decision.END_PLAN:
        end_plan_on(plan, conference.date, actor=actor, request=request, conference=conference,
             reason="Ended at a review conference")
    elif conference.category != plan.latest_category:
        previous = plan.latest_category
        plan.latest_category = conference.category
        save_with_history(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child,
               details={"latest_category": [previous, conference.category], "conference": conference.pk})
