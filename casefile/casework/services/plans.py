"""Writes for plans (child protection and child in need), their reviews, core groups and statutory visits.

Each function validates everything first and raises ValidationError keyed by the form's field names, with a
message that says what is expected; then writes inside one transaction, tells django-simple-history who made
the change and adds an audit event. Nothing is half-saved.

A child protection plan is started, reviewed and ended by conferences (services/protection.py); a child in need
plan is started, reviewed and ended here. Both hold outcomes, SMART actions and a contingency. Due dates (first
core group, visits, review conferences) are never stored: casework/deadlines.py `deadlines_for_plan` computes
them from the recorded events, the same way as for the child's record and my work.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.models import (
    ActionProgress,
    AgreedAction,
    Allocation,
    CoreGroup,
    Episode,
    HeardHow,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanReview,
    ReturnedWork,
    Visit,
)
from casefile.casework.plan_quality import plan_quality
from casefile.casework.services import returns
from casefile.casework.services.voice import check_heard_how
from casefile.core.presenters import govuk_date, possessive
from casefile.core.services import Errors, save_with_history
from casefile.people.models import Person
from casefile.rules import plan_checks

# A child this old or older can say something about their life: their own words are required when seen.
WORDS_FROM_AGE = 4
# Longest visit interval a plan may set: a child in need plan visited less often than quarterly is not a plan.
MAX_VISIT_INTERVAL_WORKING_DAYS = 65


def today() -> datetime.date:
    return timezone.localdate()


def short(text: str, limit: int = 60) -> str:
    """An action or outcome as named inside a message."""
    said = " ".join(str(text).split())
    return said if len(said) <= limit else said[: limit - 1].rstrip() + "…"


def check_happened(errors: Errors, field: str, value: datetime.date | None, label: str) -> None:
    """A date of something that happened: required, and not in the future."""
    if value is None:
        errors.add(field, f"Enter the {label}")
    elif value > today():
        errors.add(field, f"The {label} must be today or in the past")


def check_text(errors: Errors, field: str, value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, message)
    return value


# Looking things up -------------------------------------------------------------------------------------


def open_episode(child: Person) -> Episode | None:
    return Episode.objects.filter(child=child, closure_date__isnull=True).order_by("-referral_date", "-pk").first()


def open_plan(child: Person, kind: str | None = None) -> Plan | None:
    plans = Plan.objects.filter(child=child, end_date__isnull=True)
    if kind:
        plans = plans.filter(kind=kind)
    return plans.order_by("-start_date", "-pk").first()


def plan_actions(plan: Plan) -> list[PlanAction]:
    """Every action of the plan, outcome by outcome, as a review marks them."""
    return list(PlanAction.objects.filter(outcome__plan=plan).select_related("outcome")
                .order_by("outcome__position", "outcome__pk", "due_date", "pk"))


def _refuse_if_ended(errors: Errors, plan: Plan) -> None:
    if not plan.is_open:
        errors.add("plan", f"This plan ended on {govuk_date(plan.end_date)}: an ended plan cannot be changed")


# Child in need plans -----------------------------------------------------------------------------------


def _check_contingency(errors: Errors, contingency: str | None) -> str:
    problem = plan_checks.contingency_problem(contingency)
    if problem:
        errors.add("contingency", problem)
    return (contingency or "").strip()


def _check_visit_interval(errors: Errors, interval: int | None) -> None:
    if interval is None:
        errors.add("visit_interval_working_days", "Enter how many working days there can be between visits")
    elif not 1 <= interval <= MAX_VISIT_INTERVAL_WORKING_DAYS:
        errors.add("visit_interval_working_days",
                   f"Visits must be between 1 and {MAX_VISIT_INTERVAL_WORKING_DAYS} working days apart")


def start_cin_plan(*, actor, request=None, child: Person, start_date: datetime.date | None,
                   visit_interval_working_days: int | None, contingency: str) -> Plan:
    errors = Errors()
    episode = open_episode(child)
    if episode is None:
        errors.add("plan", f"{child.first_name} has no open episode: record the referral before starting a plan")
    check_happened(errors, "start_date", start_date, "start date")
    if episode and start_date and start_date < episode.referral_date:
        errors.add("start_date", f"The start date must be on or after the referral on "
                                 f"{govuk_date(episode.referral_date)}")
    if open_plan(child, Plan.Kind.CHILD_PROTECTION):
        # CIN census: a child in need plan cannot run at the same time as a child protection plan.
        errors.add("plan", f"{child.first_name} has an open child protection plan, which already sets out the "
                           f"help: a child in need plan cannot run alongside it")
    elif existing := open_plan(child, Plan.Kind.CHILD_IN_NEED):
        errors.add("plan", f"{child.first_name} already has a child in need plan from "
                           f"{govuk_date(existing.start_date)}: change that plan, or end it first")
    _check_visit_interval(errors, visit_interval_working_days)
    contingency = _check_contingency(errors, contingency)
    errors.raise_if_any()
    with transaction.atomic():
        plan = save_with_history(Plan(child=child, episode=episode, kind=Plan.Kind.CHILD_IN_NEED, start_date=start_date,
                         visit_interval_working_days=visit_interval_working_days, contingency=contingency,
                         recorded_by=actor), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=plan, child=child,
               details={"kind": plan.kind, "start_date": start_date,
                        "visit_interval_working_days": visit_interval_working_days})
    return plan


def change_plan(*, actor, request=None, plan: Plan, contingency: str,
                visit_interval_working_days: int | None = None) -> Plan:
    """The contingency of any open plan, and a child in need plan's visit interval."""
    errors = Errors()
    _refuse_if_ended(errors, plan)
    contingency = _check_contingency(errors, contingency)
    if plan.kind == Plan.Kind.CHILD_IN_NEED:
        _check_visit_interval(errors, visit_interval_working_days)
    errors.raise_if_any()
    changed = {"contingency": contingency}
    if plan.kind == Plan.Kind.CHILD_IN_NEED:
        changed["visit_interval_working_days"] = visit_interval_working_days
    with transaction.atomic():
        for name, value in changed.items():
            setattr(plan, name, value)
        if plan.authorised_on:
            plan.changed_since_authorisation = True
        save_with_history(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child,
               details={"changed": sorted(changed)})
    return plan


def end_cin_plan(*, actor, request=None, plan: Plan, end_date: datetime.date | None) -> Plan:
    errors = Errors()
    if plan.kind != Plan.Kind.CHILD_IN_NEED:
        errors.add("plan", "A child protection plan is ended by a review conference: record the conference")
    _refuse_if_ended(errors, plan)
    check_happened(errors, "end_date", end_date, "end date")
    if end_date and end_date <= plan.start_date:
        errors.add("end_date", f"The end date must be after the plan started on {govuk_date(plan.start_date)}")
    errors.raise_if_any()
    with transaction.atomic():
        end_plan_on(plan, end_date, actor=actor, request=request)
    return plan


def end_cp_plan(*, actor, request=None, plan: Plan, reason: str, end_date: datetime.date | None,
                receiving_authority: str = "", summary: str = "") -> Plan:
    """End a child protection plan without a conference: the child became looked after, moved to another authority
    (transfer out, with the receiving authority and a summary sent with the child), turned 18 or died. A manager
    records it (permissions.may_end_plan_without_conference)."""
    if not permissions.may_end_plan_without_conference(actor, plan.child):
        raise PermissionDenied("Only a manager who may change the child's record may end a child protection plan "
                               "without a conference")
    errors = Errors()
    if plan.kind != Plan.Kind.CHILD_PROTECTION:
        errors.add("plan", "A child in need plan is ended on its own page, with its end date")
    _refuse_if_ended(errors, plan)
    if reason not in Plan.EndReason.values:
        errors.add("reason", "Select why the plan ended: the child became looked after, moved to another authority, "
                             "turned 18 or died")
    check_happened(errors, "end_date", end_date, "date the plan ended")
    if end_date and end_date < plan.start_date:
        errors.add("end_date", f"The date the plan ended must be on or after it started, {govuk_date(plan.start_date)}")
    receiving_authority, summary = (receiving_authority or "").strip(), (summary or "").strip()
    _check_ending(errors, plan.child, reason, end_date, receiving_authority, summary)
    errors.raise_if_any()
    with transaction.atomic():
        plan.end_reason, plan.receiving_authority, plan.end_summary = reason, receiving_authority, summary
        end_plan_on(plan, end_date, actor=actor, request=request, reason=Plan.EndReason(reason).label)
    return plan


def _check_ending(errors: Errors, child: Person, reason: str, end_date, receiving_authority: str,
                  summary: str) -> None:
    """What each way of ending needs: a transfer out its receiving authority and summary; turning 18 the child's
    18th birthday; a death the date of death, recorded on the child's record."""
    name = child.first_name
    if reason == Plan.EndReason.TRANSFERRED_OUT:
        if not receiving_authority:
            errors.add("receiving_authority", f"Enter the authority {name} moved to")
        if not summary:
            errors.add("summary", "Enter the summary sent to the receiving authority: the risks, the plan and "
                                  "what is outstanding")
    elif receiving_authority or summary:
        errors.add("receiving_authority", "Leave the receiving authority and summary empty unless the child moved "
                                          "to another authority")
    if reason == Plan.EndReason.TURNED_18:
        birthday = eighteenth_birthday(child.date_of_birth)
        if birthday is None:
            errors.add("reason", f"Record {possessive(child, short=True)} date of birth before ending the plan at 18")
        elif end_date and end_date != birthday:
            errors.add("end_date", f"{name} turns 18 on {govuk_date(birthday)}: the plan ends on that day")
    if reason == Plan.EndReason.DIED:
        if child.date_of_death is None:
            errors.add("reason", f"Record {possessive(child, short=True)} date of death on their record first")
        elif end_date and end_date < child.date_of_death:
            errors.add("end_date", f"The date the plan ended must be on or after {name} died, "
                                   f"{govuk_date(child.date_of_death)}")


def eighteenth_birthday(date_of_birth: datetime.date | None) -> datetime.date | None:
    """The 18th birthday; for someone born on 29 February, 1 March in a year without one.

    >>> eighteenth_birthday(datetime.date(2008, 2, 29))
    datetime.date(2026, 3, 1)
    """
    if date_of_birth is None:
        return None
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:
        return datetime.date(date_of_birth.year + 18, 3, 1)


def end_plan_on(plan: Plan, end_date: datetime.date, *, actor, request, conference=None, reason: str = "") -> None:
    """End a plan inside the caller's transaction: a child in need plan here, a child protection plan at a
    conference (or when one starts, which ends any child in need plan)."""
    plan.end_date = end_date
    plan.ended_by_conference = conference
    save_with_history(plan, actor)
    record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child,
           details={"ended": end_date, "ended_by_conference": conference.pk if conference else None,
                    "reason": reason})


# Outcomes and SMART actions ----------------------------------------------------------------------------


def add_outcome(*, actor, request=None, plan: Plan, description: str) -> PlanOutcome:
    errors = Errors()
    _refuse_if_ended(errors, plan)
    description = check_text(errors, "description", description,
                             "Enter the outcome: what will be different for the child")
    errors.raise_if_any()
    with transaction.atomic():
        position = (plan.outcomes.aggregate(last=models.Max("position"))["last"] or 0) + 1
        outcome = save_with_history(PlanOutcome(plan=plan, description=description, position=position), actor)
        _mark_changed_since_authorisation(plan, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=outcome, child=plan.child,
               details={"plan": plan.pk})
    return outcome


ACTION_FIELDS = ("description", "owner", "due_date", "measure")


def _check_action(errors: Errors, plan: Plan, *, description, owner, due_date, measure) -> dict:
    """SMART by construction: an action cannot be saved without who, what, by when and how measured."""
    _refuse_if_ended(errors, plan)
    values = {
        "description": check_text(errors, "description", description, "Enter what will be done"),
        "owner": check_text(errors, "owner", owner, "Enter the name of the person who will do it, for example "
                                                    "‘Dawn Hartley (mother)’"),
        "measure": check_text(errors, "measure", measure,
                              "Enter how everyone will know it has been done, for example ‘the school "
                              "register shows Lily in school every day’"),
        "due_date": due_date,
    }
    if due_date is None:
        errors.add("due_date", "Enter the date it will be done by")
    elif due_date < plan.start_date:
        errors.add("due_date", f"The date it will be done by must be on or after the plan started on "
                               f"{govuk_date(plan.start_date)}")
    return values


def add_action(*, actor, request=None, outcome: PlanOutcome, description: str, owner: str,
               due_date: datetime.date | None, measure: str) -> PlanAction:
    errors = Errors()
    values = _check_action(errors, outcome.plan, description=description, owner=owner, due_date=due_date,
                           measure=measure)
    errors.raise_if_any()
    with transaction.atomic():
        action = save_with_history(PlanAction(outcome=outcome, **values), actor)
        _mark_changed_since_authorisation(outcome.plan, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=action, child=outcome.plan.child,
               details={"plan": outcome.plan_id, "outcome": outcome.pk, "due_date": due_date})
    return action


def change_action(*, actor, request=None, action: PlanAction, description: str, owner: str,
                  due_date: datetime.date | None, measure: str) -> PlanAction:
    errors = Errors()
    plan = action.outcome.plan
    values = _check_action(errors, plan, description=description, owner=owner, due_date=due_date,
                           measure=measure)
    errors.raise_if_any()
    changed = sorted(name for name, value in values.items() if getattr(action, name) != value)
    with transaction.atomic():
        for name, value in values.items():
            setattr(action, name, value)
        save_with_history(action, actor)
        if changed:
            _mark_changed_since_authorisation(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=action, child=plan.child,
               details={"plan": plan.pk, "changed": changed})
    return action


# Reviews -----------------------------------------------------------------------------------------------


def progress_field(action: PlanAction, part: str) -> str:
    """The form field (and error key) for one action's status or evidence at a review."""
    return f"progress_{action.pk}_{part}"


def check_progress(errors: Errors, actions: Iterable[PlanAction],
                   progress: Mapping[int, Mapping[str, str]]) -> list[tuple[PlanAction, str, str]]:
    """Every action marked done, partly done or not done, each with evidence: a review is nothing less."""
    statuses = set(ActionProgress.Status.values)
    marked = []
    for action in actions:
        given = progress.get(action.pk) or {}
        status = given.get("status") or ""
        evidence = (given.get("evidence") or "").strip()
        if status not in statuses:
            errors.add(progress_field(action, "status"),
                       f"Select whether ‘{short(action.description)}’ was done, partly done or not done")
        if not evidence:
            errors.add(progress_field(action, "evidence"),
                       f"Enter the evidence for ‘{short(action.description)}’: what shows how far it was done")
        marked.append((action, status, evidence))
    return marked


def check_review_date(errors: Errors, plan: Plan, date: datetime.date | None) -> None:
    check_happened(errors, "date", date, "date of the review")
    check_after_start(errors, plan, date)


def check_after_start(errors: Errors, plan: Plan, date: datetime.date | None) -> None:
    """CIN census: a plan's review is dated after the plan started."""
    if date and date <= plan.start_date:
        errors.add("date", f"The review must be after the plan started on {govuk_date(plan.start_date)}")


def save_review(plan: Plan, *, actor, request, date: datetime.date, summary: str,
                marked: list[tuple[PlanAction, str, str]], conference=None) -> PlanReview:
    """Write a checked review and its progress rows (inside the caller's transaction)."""
    review = save_with_history(
        PlanReview(plan=plan, date=date, conference=conference, summary=summary, recorded_by=actor), actor)
    for action, status, evidence in marked:
        save_with_history(ActionProgress(review=review, action=action, status=status, evidence=evidence), actor)
    record(AuditAction.CREATE, actor=actor, request=request, subject=review, child=plan.child,
           details={"plan": plan.pk, "conference": conference.pk if conference else None,
                    "progress": {str(action.pk): status for action, status, _ in marked}})
    return review


def record_review(*, actor, request=None, plan: Plan, date: datetime.date | None, summary: str,
                  progress: Mapping[int, Mapping[str, str]]) -> PlanReview:
    """A child in need review meeting. A child protection plan's review is its review conference."""
    errors = Errors()
    if plan.kind == Plan.Kind.CHILD_PROTECTION:
        errors.add("plan", "A child protection plan is reviewed at a review conference: record the conference")
    _refuse_if_ended(errors, plan)
    check_review_date(errors, plan, date)
    marked = check_progress(errors, plan_actions(plan), progress)
    errors.raise_if_any()
    with transaction.atomic():
        return save_review(plan, actor=actor, request=request, date=date, summary=(summary or "").strip(),
                           marked=marked)


# Core groups --------------------------------------------------------------------------------------------


def record_core_group(*, actor, request=None, plan: Plan, date: datetime.date | None, attendees: str,
                      summary: str, actions: Iterable[Mapping] = ()) -> CoreGroup:
    """A core group meeting of a child protection plan, with the actions it agreed (each named and dated).

    actions: {"description", "owner", "due_date"}, and "number" (the row on the form, for the messages).
    """
    errors = Errors()
    if plan.kind != Plan.Kind.CHILD_PROTECTION:
        errors.add("plan", "Core groups meet for child protection plans: for a child in need plan, record a "
                           "review meeting")
    _refuse_if_ended(errors, plan)
    check_happened(errors, "date", date, "date of the core group")
    if date and date < plan.start_date:
        errors.add("date", f"The core group must be on or after the plan started on {govuk_date(plan.start_date)}")
    attendees = check_text(errors, "attendees", attendees, "Enter who came to the core group, with their agency")
    agreed = [_check_core_group_action(errors, row.get("number", number), row)
              for number, row in enumerate(actions, start=1)]
    errors.raise_if_any()
    with transaction.atomic():
        core_group = save_with_history(
            CoreGroup(plan=plan, date=date, attendees=attendees, summary=(summary or "").strip(), recorded_by=actor),
            actor)
        for values in agreed:
            save_with_history(AgreedAction(core_group=core_group, **values), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=core_group, child=plan.child,
               details={"plan": plan.pk, "actions": len(agreed)})
    return core_group


def _check_core_group_action(errors: Errors, number: int, row: Mapping) -> dict:
    prefix = f"action_{number}"
    values = {
        "description": check_text(errors, f"{prefix}_description", row.get("description"),
                                  f"Enter what action {number} is"),
        "owner": check_text(errors, f"{prefix}_owner", row.get("owner"),
                            f"Enter the name of the person who will do action {number}"),
        "due_date": row.get("due_date"),
    }
    if values["due_date"] is None:
        errors.add(f"{prefix}_due_date", f"Enter the date action {number} will be done by")
    return values


# Statutory visits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRefusal:
    """Why a visit cannot be recorded, said before the form: `instead` is what to do ("referral": record the
    referral first; "ask": ask `ask` (the allocated worker, or None) to record it)."""

    reason: str
    instead: str
    ask: object = None

    def __str__(self) -> str:
        return self.reason


def visit_refusal(actor, child: Person) -> VisitRefusal | None:
    """Why this user cannot record a visit to this child now, or None. Who may is the access policy's rule."""
    if not permissions.may_record_visit(actor, child):
        allocation = Allocation.objects.filter(child=child, end_date__isnull=True).select_related("worker").first()
        return VisitRefusal("Visits are recorded by the social worker who made them, or their manager", "ask",
                            allocation.worker if allocation else None)
    if open_episode(child) is None:
        return VisitRefusal(f"{child.first_name} has no open episode: record the referral before a visit",
                            "referral")
    return None


def record_visit(*, actor, request=None, child: Person, date: datetime.date | None, kind: str,
                 child_seen: bool | None, seen_alone: bool | None = None, bedroom_seen: bool | None = None,
                 childs_words: str = "", observations: str = "", not_seen_reason: str = "", heard_how: str = "",
                 difference_made: str = "") -> Visit:
    """A visit to the child, linked to the plan open on the day. What the child said is the point of it: how they
    were heard, their words (or what was observed of a baby) and what difference it made to the plan."""
    errors = Errors()
    if refusal := visit_refusal(actor, child):
        errors.add("visit", str(refusal))
        errors.raise_if_any()
    episode = open_episode(child)
    check_happened(errors, "date", date, "date of the visit")
    if kind not in Visit.Kind.values:
        errors.add("kind", "Select what kind of visit it was")
    childs_words, observations = (childs_words or "").strip(), (observations or "").strip()
    not_seen_reason, difference_made = (not_seen_reason or "").strip(), (difference_made or "").strip()
    heard_how = heard_how or ""
    if child_seen is None:
        errors.add("child_seen", f"Select whether you saw {child.first_name}")
    elif child_seen:
        _check_child_seen(errors, child, date, seen_alone, childs_words, observations, heard_how)
    else:
        check_text(errors, "not_seen_reason", not_seen_reason,
                   f"Enter why {child.first_name} was not seen, and what you will do about it")
    if child_seen is not None:
        check_heard_how(errors, child.first_name, child_seen, heard_how)
    if child_seen is False:
        seen_alone, childs_words, heard_how = None, "", HeardHow.NOT_SEEN
    errors.raise_if_any()
    plan = open_plan(child)
    if plan is not None and date < plan.start_date:
        plan = None
    with transaction.atomic():
        visit = save_with_history(Visit(child=child, episode=episode, plan=plan, kind=kind, date=date, worker=actor,
                           child_seen=child_seen, seen_alone=seen_alone, bedroom_seen=bedroom_seen,
                           childs_words=childs_words, observations=observations, heard_how=heard_how,
                           difference_made=difference_made,
                           not_seen_reason="" if child_seen else not_seen_reason, recorded_by=actor), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=visit, child=child,
               details={"kind": kind, "date": date, "child_seen": child_seen, "plan": plan.pk if plan else None})
    return visit


def can_give_words(child: Person, on: datetime.date | None) -> bool:
    """Whether the child was old enough on the day to be asked what they think (4 or older)."""
    age = child.age_on(on) if on else None
    return age is not None and age >= WORDS_FROM_AGE


def _check_child_seen(errors: Errors, child: Person, date, seen_alone, childs_words: str, observations: str,
                      heard_how: str = ""):
    """Seen alone, yes or no; the child's own words from 4, unless they were heard by observation (a child who
    does not talk); otherwise their words or what was observed."""
    if seen_alone is None:
        errors.add("seen_alone", f"Select whether you saw {child.first_name} alone")
    if can_give_words(child, date) and heard_how != HeardHow.OBSERVATION:
        if not childs_words:
            errors.add("childs_words", f"Enter what {child.first_name} said, in their own words: they are 4 or "
                                       f"older")
    elif not childs_words and not observations:
        errors.add("observations", f"Enter what you observed of {child.first_name}: how they looked, played and "
                                   f"responded to the people around them")


# Authorisation ------------------------------------------------------------------------------------------
# A worker submits the plan; a manager who did not submit it authorises it, or returns it with a comment the
# worker answers when they submit it again (ReturnedWork). The quality checks run before authorising: a manager
# may authorise a plan with flags remaining only by saying why.
#
# A plan is a living document: core groups and reviews change its actions every few weeks. So a change to an
# authorised plan's outcomes, actions or contingency keeps the authorisation (who agreed what, and when, stays
# true of the plan as it was) and marks the plan "changed since authorisation", which the plan page shows; the
# worker may submit it again. Clearing the authorisation instead would leave most live plans unauthorised and
# hide that a manager had agreed them.


def submit_refusal(actor, plan: Plan) -> str:
    """Why this user cannot submit this plan now, or ''. Said before the form and again by the service."""
    if not policy.can_edit(actor, plan.child):
        return "Only the child’s social worker or their team can submit the plan for authorisation"
    if not plan.is_open:
        return f"This plan ended on {govuk_date(plan.end_date)}: an ended plan cannot be submitted"
    if plan.submitted_on and not plan.authorised_on:
        return f"This plan has been waiting for a manager to authorise it since {govuk_date(plan.submitted_on)}"
    if plan.authorised_on and not plan.changed_since_authorisation:
        return (f"This plan was authorised on {govuk_date(plan.authorised_on)} and has not changed since: there is "
                f"nothing new to authorise")
    return ""


def manager_refusal(actor, plan: Plan, what: str) -> str:
    """Why this user cannot authorise or return (`what`) this plan now, or ''."""
    if not permissions.is_manager(actor):
        return f"Only a team manager, service manager or head of service can {what} a plan"
    if not permissions.may_authorise_plan(actor, plan):
        return f"You submitted this plan, so another manager must {what} it"
    if not plan.is_open:
        return f"This plan ended on {govuk_date(plan.end_date)}: an ended plan cannot be authorised or returned"
    if not plan.submitted_on or plan.authorised_on:
        return f"Only a plan waiting for authorisation can be {'authorised' if what == 'authorise' else 'returned'}"
    return ""


def submit_plan(*, actor, request=None, plan: Plan, answer: str = "") -> Plan:
    """Send the plan to a manager to authorise, answering the manager's comment if they returned it."""
    errors = Errors()
    if refusal := submit_refusal(actor, plan):
        errors.add("__all__", refusal)
    waiting = returns.check_answer(errors, ReturnedWork.Kind.PLAN, plan.pk, answer)
    errors.raise_if_any()
    with transaction.atomic():
        plan.submitted_on, plan.submitted_by = today(), actor
        plan.authorised_on, plan.authorised_by, plan.authorised_despite = None, None, ""
        plan.flags_at_authorisation, plan.changed_since_authorisation = [], False
        save_with_history(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child,
               details={"submitted": True, "answered": len(waiting)})
        returns.answer_returns(waiting, actor=actor, request=request, answer=answer)
    return plan


def return_plan(*, actor, request=None, plan: Plan, comment: str) -> Plan:
    """A manager sends a submitted plan back to the worker, with a comment the worker sees and answers."""
    errors = Errors()
    if refusal := manager_refusal(actor, plan, "return"):
        errors.add("__all__", refusal)
    comment = check_text(errors, "comment", comment, "Enter what needs to change before you can authorise the plan")
    errors.raise_if_any()
    submitted_by = plan.submitted_by
    with transaction.atomic():
        plan.submitted_on, plan.submitted_by = None, None
        save_with_history(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child, reason=comment,
               details={"returned": True})
        returns.note_return(actor=actor, request=request, child=plan.child, kind=ReturnedWork.Kind.PLAN,
                            record_id=plan.pk, comment=comment, returned_to=submitted_by)
    return plan


def authorise_plan(*, actor, request=None, plan: Plan, reason: str = "") -> Plan:
    """A manager authorises a submitted plan. The quality checks run first: with any flag remaining, the manager
    must say why they authorise it anyway, and the flags are kept with the authorisation."""
    errors = Errors()
    if refusal := manager_refusal(actor, plan, "authorise"):
        errors.add("__all__", refusal)
    flags = sorted({flag.warning.code for flag in plan_quality(plan)}, key=lambda code: int(code[2:]))
    reason = (reason or "").strip()
    if flags and not reason:
        errors.add("reason", f"Enter why you authorise the plan with {', '.join(flags)} still flagged, or return "
                             f"it to the worker to put right")
    errors.raise_if_any()
    with transaction.atomic():
        plan.authorised_on, plan.authorised_by = today(), actor
        plan.authorised_despite = reason if flags else ""
        plan.flags_at_authorisation, plan.changed_since_authorisation = flags, False
        save_with_history(plan, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=plan, child=plan.child,
               reason=plan.authorised_despite, details={"authorised_on": plan.authorised_on, "flags": flags})
    return plan


def _mark_changed_since_authorisation(plan: Plan, actor) -> None:
    """Inside a change's transaction: an authorised plan whose outcomes, actions or contingency change is marked
    (the change's own audit event says what changed)."""
    if plan.authorised_on and not plan.changed_since_authorisation:
        plan.changed_since_authorisation = True
        save_with_history(plan, actor)
