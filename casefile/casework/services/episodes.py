"""Writes for the front half of the child's journey: the referral and its decision, the single assessment,
strategy discussions and section 47 enquiries, case notes, step-down to and step-up from early help, and closure.

Each function takes keyword-only arguments with `actor` (and optional `request`), checks everything first and
raises ValidationError keyed by field with a message that says what is expected, then writes inside one
transaction, tells django-simple-history who made the change and adds an audit event. Nothing is half-saved.
A few read-only helpers (what an assessment still needs, the ICPC due date) live here too, so pages and
services answer those questions the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.calendar import working_calendar
from casefile.casework.models import (
    Agency,
    AgreedAction,
    Assessment,
    AssessmentAdult,
    AssessmentFactor,
    CaseNote,
    EarlyHelpTransfer,
    Episode,
    FathersViewsNotSought,
    HeardHow,
    ReturnedWork,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
)
from casefile.casework.services import returns
from casefile.casework.services.voice import check_heard_how
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.people.models import Person, Relationship
from casefile.rules import clocks, codes, text_limits

# Who may decide on a referral: a qualified social worker or a manager (a front-door practitioner may not be).
# Working Together: social care, police and health take part in every strategy discussion, as a minimum.
REQUIRED_AGENCIES = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH)
OUTCOMES_WITHOUT_A_PLAN = frozenset({Assessment.Outcome.NO_FURTHER_ACTION, Assessment.Outcome.EARLY_HELP})
OUTCOMES_WITH_A_PLAN = frozenset({Assessment.Outcome.CHILD_IN_NEED_PLAN, Assessment.Outcome.CONTINUE_CHILD_PROTECTION})
# Observations may stand in for the child's own words for a child this young (in years) on the start date.
OBSERVATIONS_ENOUGH_UNDER_AGE = 2


def _today() -> datetime.date:
    return timezone.localdate()


def _delete(obj: models.Model, actor: User) -> None:
    obj._history_user = actor
    obj.delete()


def _text(value) -> str:
    return (value or "").strip()


def _check_date(errors: Errors, field: str, value, *, label: str, required: bool = True,
                not_before: datetime.date | None = None, not_before_what: str = "") -> None:
    """A date of something that has happened: entered, not in the future and not before what it follows."""
    if value is None:
        if required:
            errors.add(field, f"Enter {label}")
        return
    if value > _today():
        errors.add(field, f"{label[0].upper()}{label[1:]} must be today or in the past")
    elif not_before and value < not_before:
        errors.add(field, f"{label[0].upper()}{label[1:]} must be on or after {not_before_what} "
                          f"({govuk_date(not_before)})")


def _refuse_if_closed(episode: Episode) -> None:
    if not episode.is_open:
        raise ValidationError({"__all__": [
            f"This episode closed on {govuk_date(episode.closure_date)}: record a new referral to work with "
            f"the child again"]})


def _check_staff(errors: Errors, field: str, user, may: Callable[[User], bool], what: str) -> None:
    if not isinstance(user, User) or not user.is_active:
        errors.add(field, f"Select {what}")
    elif not may(user):
        role = user.role_label.lower()
        errors.add(field, f"Select {what}: {user} is {'an' if role[0] in 'aeiou' else 'a'} {role}")


def open_episode(child: Person) -> Episode | None:
    return Episode.objects.filter(child=child, closure_date__isnull=True).first()


# The referral -------------------------------------------------------------------------------------------


REFERRAL_FIELDS = ("referral_date", "referral_source", "referrer_name", "referral_summary")


def _check_referral(values: dict, errors: Errors) -> None:
    _check_date(errors, "referral_date", values["referral_date"], label="the date the referral was received")
    if values["referral_source"] not in codes.REFERRAL_SOURCE:
        errors.add("referral_source", "Select who made the referral, from the census list (1A to 10)")
    if len(values["referrer_name"]) > Episode._meta.get_field("referrer_name").max_length:
        errors.add("referrer_name", "Enter a referrer name of 200 characters or fewer")


def record_referral(*, actor: User, request=None, child: Person, referral_date: datetime.date | None,
                    referral_source: str, referrer_name: str = "", referral_summary: str = "",
                    early_help_provider: str = "", step_up_reason: str = "") -> Episode:
    """Open an episode with a referral. A referral from early help (5D) is a step-up, recorded both ways:
    the episode, and an early help transfer (direction up) linked to it."""
    values = {"referral_date": referral_date, "referral_source": referral_source,
              "referrer_name": _text(referrer_name), "referral_summary": _text(referral_summary)}
    early_help_provider, step_up_reason = _text(early_help_provider), _text(step_up_reason)
    if child.kind != Person.Kind.CHILD or child.merged_into_id is not None:
        raise ValidationError({"__all__": ["Record a referral on the child’s own record"]})
    with transaction.atomic():
        # Lock the child so two referrals recorded at once cannot both open an episode.
        Person.objects.select_for_update().filter(pk=child.pk).first()
        return _record_referral(actor, request, child, values, early_help_provider, step_up_reason)


def _record_referral(actor: User, request, child: Person, values: dict, early_help_provider: str,
                     step_up_reason: str) -> Episode:
    """Check and write the referral, inside the caller's transaction (which holds the child's lock)."""
    referral_date, referral_source = values["referral_date"], values["referral_source"]
    errors = Errors()
    _check_referral(values, errors)
    current = open_episode(child)
    if current:
        errors.add("__all__", f"{child.first_name} already has an open episode, from the referral on "
                              f"{govuk_date(current.referral_date)}: close it before recording a new referral")
    latest_closure = (Episode.objects.filter(child=child, closure_date__isnull=False)
                      .aggregate(latest=models.Max("closure_date"))["latest"])
    if referral_date and latest_closure and referral_date < latest_closure and "referral_date" not in errors:
        errors.add("referral_date", f"The referral date must be on or after the last episode closed "
                                    f"({govuk_date(latest_closure)}): episodes cannot overlap")
    is_step_up = referral_source == codes.STEP_UP_FROM_EARLY_HELP
    if is_step_up and not step_up_reason:
        errors.add("step_up_reason", "Enter why early help is stepping the child up to children’s social care")
    elif not is_step_up and (step_up_reason or early_help_provider):
        errors.add("step_up_reason", "Only a referral from early help (5D) is a step-up: choose Early help as "
                                     "the source, or leave the early help questions empty")
    errors.raise_if_any()
    episode = Episode(child=child, recorded_by=actor, **values)
    save_with_history(episode, actor)
    record(AuditAction.CREATE, actor=actor, request=request, subject=episode, child=child,
           details={"referral_source": referral_source, "step_up": is_step_up})
    if is_step_up:
        transfer = EarlyHelpTransfer(child=child, direction=EarlyHelpTransfer.Direction.STEP_UP, date=referral_date,
                                     episode=episode, early_help_provider=early_help_provider, reason=step_up_reason,
                                     recorded_by=actor)
        save_with_history(transfer, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=transfer, child=child,
               details={"direction": transfer.direction, "episode": episode.pk})
    return episode


def update_referral(*, actor: User, request=None, episode: Episode, **changes) -> Episode:
    """Correct the referral's details. Whether it came from early help cannot change: that is a step-up."""
    unknown = set(changes) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    current = {name: getattr(episode, name) for name in REFERRAL_FIELDS}
    values = current | {name: (_text(v) if isinstance(v, str) and name != "referral_source" else v)
                        for name, v in changes.items()}
    errors = Errors()
    _check_referral(values, errors)
    was_step_up = current["referral_source"] == codes.STEP_UP_FROM_EARLY_HELP
    if (values["referral_source"] == codes.STEP_UP_FROM_EARLY_HELP) != was_step_up:
        errors.add("referral_source", "A step-up from early help (5D) is recorded when the referral is: the source "
                                      "cannot be changed to or from Early help")
    later = _first_work_date(episode)
    if values["referral_date"] and later and values["referral_date"] > later and "referral_date" not in errors:
        errors.add("referral_date", f"The referral date must be on or before the first work on the episode "
                                    f"({govuk_date(later)})")
    errors.raise_if_any()
    changed = sorted(name for name in REFERRAL_FIELDS if values[name] != current[name])
    if not changed:
        return episode
    with transaction.atomic():
        for name in changed:
            setattr(episode, name, values[name])
        save_with_history(episode, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=episode, child=episode.child,
               details={"changed": changed})
    return episode


def _first_work_date(episode: Episode) -> datetime.date | None:
    dates = [episode.referral_decision_date,
             episode.assessments.aggregate(first=models.Min("start_date"))["first"],
             episode.strategy_discussions.aggregate(first=models.Min("date"))["first"]]
    return min((d for d in dates if d), default=None)


def record_referral_decision(*, actor: User, request=None, episode: Episode, decided_by: User | None,
                             decision_date: datetime.date | None, nfa: bool | None,
                             primary_need: str = "") -> Episode:
    """Who decided, when, and whether the referral leads to further action (census rule 8610: the primary
    need code is required when it does)."""
    _refuse_if_closed(episode)
    errors = Errors()
    _check_staff(errors, "decided_by", decided_by, permissions.may_decide,
                 "the qualified social worker or manager who made the decision")
    _check_date(errors, "decision_date", decision_date, label="the date of the decision",
                not_before=episode.referral_date, not_before_what="the referral date")
    if nfa not in (True, False):
        errors.add("nfa", "Select whether the referral leads to further action")
    if primary_need and primary_need not in codes.PRIMARY_NEED:
        errors.add("primary_need", "Select the child’s primary need, from N0 to N9")
    elif nfa is False and not primary_need:
        errors.add("primary_need", "Select the child’s primary need: it is required when the referral leads to "
                                   "further action (census rule 8610)")
    if nfa is True and (episode.assessments.exists() or episode.strategy_discussions.exists()):
        errors.add("nfa", "The referral cannot be no further action: an assessment or strategy discussion has "
                          "already been recorded in this episode")
    errors.raise_if_any()
    with transaction.atomic():
        episode.referral_decided_by = decided_by
        episode.referral_decision_date = decision_date
        episode.referral_nfa = nfa
        episode.primary_need = primary_need
        save_with_history(episode, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=episode, child=episode.child,
               details={"referral_decision": "nfa" if nfa else "further_action", "primary_need": primary_need,
                        "decided_by": decided_by.pk})
    return episode


# The single assessment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]


SECTIONS = (
    Section("seen", "The child seen", ("child_seen", "child_seen_on", "child_seen_alone")),
    Section("views", "The child’s views and lived experience",
            ("heard_how", "childs_views", "observations_of_child", "difference_made")),
    Section("history", "Family history and previous involvement", ("family_history", "previous_involvement")),
    Section("adults", "Parents and significant adults", ()),
    Section("identity", "Identity needs", ("identity_needs",)),
    Section("factors", "Assessment factors", ()),
    Section("safety", "Worries, what is working well and what needs to happen",
            ("worries", "working_well", "needs_to_happen", "scale")),
    Section("outcome", "Analysis and outcome", ("analysis", "outcome", "requires_support")),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
ASSESSMENT_FIELDS = ("start_date", *(name for section in SECTIONS for name in section.fields))
ASSESSMENT_TEXT_FIELDS = ("childs_views", "observations_of_child", "difference_made", "family_history",
                          "previous_involvement",
                          "identity_needs", "worries", "working_well", "needs_to_happen", "analysis")


def _refuse_if_locked(assessment: Assessment) -> None:
    if assessment.authorised_on:
        raise ValidationError({"__all__": ["This assessment has been authorised: it cannot be changed"]})
    if assessment.submitted_on:
        raise ValidationError({"__all__": [
            "This assessment is waiting for a manager to authorise it: ask them to return it if it needs changing"]})


def start_assessment(*, actor: User, request=None, episode: Episode,
                     start_date: datetime.date | None) -> Assessment:
    _refuse_if_closed(episode)
    errors = Errors()
    if episode.referral_nfa is None:
        errors.add("__all__", "Record the referral decision before starting an assessment")
    elif episode.referral_nfa:
        errors.add("__all__", "The referral decision was no further action: change the decision before "
                              "starting an assessment")
    unfinished = episode.assessments.filter(authorised_on__isnull=True).first()
    if unfinished:
        errors.add("__all__", f"The assessment started on {govuk_date(unfinished.start_date)} is not yet "
                              f"authorised: finish it before starting another")
    _check_date(errors, "start_date", start_date, label="the date the assessment started",
                not_before=episode.referral_date, not_before_what="the referral date")
    errors.raise_if_any()
    with transaction.atomic():
        assessment = Assessment(episode=episode, start_date=start_date, recorded_by=actor)
        save_with_history(assessment, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=assessment, child=episode.child,
               details={"episode": episode.pk})
    return assessment


def check_assessment(values: dict, factors: list[str], errors: Errors, *, referral_date: datetime.date) -> None:
    """The consistency rules for an assessment's whole state: an inconsistent one cannot be saved."""
    _check_date(errors, "start_date", values["start_date"], label="the date the assessment started",
                not_before=referral_date, not_before_what="the referral date")
    for name in ("child_seen", "child_seen_alone", "requires_support"):
        if values[name] not in (True, False, None):
            errors.add(name, "Answer yes, no or not known")
    if values["child_seen_alone"] is True and values["child_seen"] is not True:
        errors.add("child_seen_alone", "The child cannot have been seen alone if they were not seen: answer "
                                       "‘Was the child seen?’ yes, or change ‘seen alone’")
    if values["child_seen"] is True:
        _check_date(errors, "child_seen_on", values["child_seen_on"], label="the date the child was seen",
                    required=False)
    elif values["child_seen_on"]:
        errors.add("child_seen_on", "Leave the date seen empty unless the child was seen")
    # Saved a section at a time: how the child was heard is asked for before submitting (missing_sections).
    check_heard_how(errors, "the child", values["child_seen"], values["heard_how"], required=False)
    scale = values["scale"]
    if scale is not None and not (isinstance(scale, int) and 0 <= scale <= 10):
        errors.add("scale", "Enter a scale from 0 to 10")
    outcome, requires_support = values["outcome"], values["requires_support"]
    if outcome and outcome not in Assessment.Outcome.values:
        errors.add("outcome", "Select the outcome of the assessment")
    elif outcome in OUTCOMES_WITHOUT_A_PLAN and requires_support is True:
        errors.add("requires_support", f"The outcome ‘{Assessment.Outcome(outcome).label}’ means no plan is "
                                       f"needed: answer no to ‘does the child need a plan?’, or change the outcome")
    elif outcome in OUTCOMES_WITH_A_PLAN and requires_support is False:
        errors.add("requires_support", f"The outcome ‘{Assessment.Outcome(outcome).label}’ needs a plan: answer "
                                       f"yes to ‘does the child need a plan?’, or change the outcome")
    _check_factors(factors, errors)
    if values.get("authorised_on") and values["start_date"] and values["authorised_on"] < values["start_date"]:
        errors.add("authorised_on", f"The authorisation date must be on or after the date the assessment started "
                                    f"({govuk_date(values['start_date'])})")


def _check_factors(factors: list[str], errors: Errors) -> None:
    if any(code not in codes.ASSESSMENT_FACTORS for code in factors):
        errors.add("factors", "Select factors from the census list")
    elif codes.NO_FACTORS in factors and len(factors) > 1:
        errors.add("factors", "Select ‘No factors identified’ (21) on its own, or select the factors identified")


def _assessment_values(assessment: Assessment) -> dict:
    return {name: getattr(assessment, name) for name in (*ASSESSMENT_FIELDS, "authorised_on")}


def update_assessment(*, actor: User, request=None, assessment: Assessment, factors: Iterable[str] | None = None,
                      **changes) -> Assessment:
    """Save one or more sections. The whole assessment is checked, so no inconsistent state is ever saved."""
    unknown = set(changes) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    _refuse_if_locked(assessment)
    _refuse_if_closed(assessment.episode)
    current = _assessment_values(assessment)
    values = current | {name: (_text(v) if name in ASSESSMENT_TEXT_FIELDS else v) for name, v in changes.items()}
    current_factors = sorted(assessment.factors.values_list("code", flat=True))
    chosen = sorted(dict.fromkeys(factors)) if factors is not None else current_factors
    errors = Errors()
    check_assessment(values, chosen, errors, referral_date=assessment.episode.referral_date)
    errors.raise_if_any()
    changed = sorted(name for name in ASSESSMENT_FIELDS if values[name] != current[name])
    factors_changed = chosen != current_factors
    if not changed and not factors_changed:
        return assessment
    with transaction.atomic():
        for name in changed:
            setattr(assessment, name, values[name])
        save_with_history(assessment, actor)
        if factors_changed:
            _replace_factors(assessment, chosen, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=assessment,
               child=assessment.episode.child,
               details={"changed": changed + (["factors"] if factors_changed else []), "factors": chosen})
    return assessment


def _replace_factors(assessment: Assessment, chosen: list[str], actor: User) -> None:
    for factor in assessment.factors.all():
        if factor.code not in chosen:
            _delete(factor, actor)
    existing = set(assessment.factors.values_list("code", flat=True))
    for code in chosen:
        if code not in existing:
            save_with_history(AssessmentFactor(assessment=assessment, code=code), actor)


def record_assessment_adult(*, actor: User, request=None, assessment: Assessment, person: Person, role: str,
                            seen: bool | None, seen_on: datetime.date | None = None,
                            not_seen_reason: str = "") -> AssessmentAdult:
    """Add a parent or significant adult to the assessment, or change what is recorded about them."""
    _refuse_if_locked(assessment)
    _refuse_if_closed(assessment.episode)
    role, not_seen_reason = _text(role), _text(not_seen_reason)
    errors = Errors()
    if person.pk == assessment.episode.child_id:
        errors.add("__all__", "Choose a parent or significant adult, not the child themselves")
    if not role:
        errors.add("role", "Enter who they are to the child, for example birth father or mother’s partner")
    elif len(role) > AssessmentAdult._meta.get_field("role").max_length:
        errors.add("role", "Enter who they are to the child in 100 characters or fewer")
    if seen is True:
        _check_date(errors, "seen_on", seen_on, label="the date they were seen")
        if not_seen_reason:
            errors.add("not_seen_reason", "Leave the reason empty: they were seen")
    elif seen is False:
        if not not_seen_reason:
            errors.add("not_seen_reason", "Enter why they were not seen, and what was done to try to see them")
        if seen_on:
            errors.add("seen_on", "Leave the date seen empty: they were not seen")
    else:
        errors.add("seen", "Select whether you saw them during the assessment")
    errors.raise_if_any()
    adult = assessment.adults.filter(person=person).first() or AssessmentAdult(assessment=assessment, person=person)
    is_new = adult.pk is None
    with transaction.atomic():
        adult.role, adult.seen, adult.seen_on, adult.not_seen_reason = role, seen, seen_on, not_seen_reason
        save_with_history(adult, actor)
        record(AuditAction.CREATE if is_new else AuditAction.UPDATE, actor=actor, request=request, subject=adult,
               child=assessment.episode.child, details={"assessment": assessment.pk, "person": person.pk,
                                                        "seen": seen})
    return adult


def remove_assessment_adult(*, actor: User, request=None, adult: AssessmentAdult) -> None:
    assessment = adult.assessment
    _refuse_if_locked(assessment)
    _refuse_if_closed(assessment.episode)
    with transaction.atomic():
        record(AuditAction.UPDATE, actor=actor, request=request, subject=assessment, child=assessment.episode.child,
               details={"removed_adult": adult.person_id})
        _delete(adult, actor)


def child_is_under(child: Person, years: int, on: datetime.date) -> bool:
    """Unborn, or younger than `years` on the day. Unknown age is not young: the child's own words are asked for."""
    if child.date_of_birth is None:
        return child.is_unborn
    return child.age_on(on) < years


def missing_sections(assessment: Assessment, adults: list[AssessmentAdult], factors: list[str]) -> list[Section]:
    """The sections not yet complete, with the pages' own rules for complete. Adults and factors are passed in so
    a page that has them already loaded asks no more of the database."""
    a = assessment
    young = child_is_under(a.episode.child, OBSERVATIONS_ENOUGH_UNDER_AGE, a.start_date)
    complete = {
        "seen": a.child_seen is False or (a.child_seen is True and a.child_seen_on is not None),
        "views": bool(a.childs_views or ((young or a.heard_how == HeardHow.OBSERVATION) and a.observations_of_child))
        and (a.child_seen is not True or bool(a.heard_how)),
        "history": bool(a.family_history and a.previous_involvement),
        "adults": bool(adults) and all(adult.seen is not None for adult in adults),
        "identity": bool(a.identity_needs),
        "factors": bool(factors),
        "safety": bool(a.worries and a.working_well and a.needs_to_happen and a.scale is not None),
        "outcome": bool(a.analysis and a.outcome and a.requires_support is not None),
    }
    return [section for section in SECTIONS if not complete[section.key]]


def submit_assessment(*, actor: User, request=None, assessment: Assessment, answer: str = "") -> Assessment:
    """Send a complete assessment to a manager to authorise, answering the manager's comment if they returned it."""
    _refuse_if_locked(assessment)
    _refuse_if_closed(assessment.episode)
    missing = missing_sections(assessment, list(assessment.adults.all()),
                               list(assessment.factors.values_list("code", flat=True)))
    if missing:
        raise ValidationError({"__all__": [
            "Complete every section before submitting. Still to do: "
            + "; ".join(section.title for section in missing)]})
    errors = Errors()
    waiting = returns.check_answer(errors, ReturnedWork.Kind.ASSESSMENT, assessment.pk, answer)
    errors.raise_if_any()
    with transaction.atomic():
        assessment.submitted_on = _today()
        save_with_history(assessment, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=assessment, child=assessment.episode.child,
               details={"submitted": True, "answered": len(waiting)})
        returns.answer_returns(waiting, actor=actor, request=request, answer=answer)
    return assessment


def return_assessment(*, actor: User, request=None, assessment: Assessment, reason: str) -> Assessment:
    """A manager sends a submitted assessment back to the worker for changes, saying why."""
    errors = Errors()
    if not permissions.may_authorise_assessment(actor):
        errors.add("__all__", "Only a team manager, service manager or head of service can return an assessment")
    if not assessment.submitted_on or assessment.authorised_on:
        errors.add("__all__", "Only an assessment waiting for authorisation can be returned")
    if not _text(reason):
        errors.add("reason", "Enter what needs to change before you can authorise it")
    errors.raise_if_any()
    with transaction.atomic():
        assessment.submitted_on = None
        save_with_history(assessment, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=assessment, child=assessment.episode.child,
               reason=_text(reason), details={"returned": True})
        returns.note_return(actor=actor, request=request, child=assessment.episode.child,
                            kind=ReturnedWork.Kind.ASSESSMENT, record_id=assessment.pk, comment=_text(reason),
                            returned_to=assessment.recorded_by)
    return assessment


def authorise_assessment(*, actor: User, request=None, assessment: Assessment,
                         authorised_on: datetime.date | None) -> Assessment:
    """A manager authorises the assessment: the authorisation date is its completion date
    (AssessmentAuthorisationDate)."""
    errors = Errors()
    if not permissions.may_authorise_assessment(actor):
        raise ValidationError({"__all__": [
            "Only a team manager, service manager or head of service can authorise an assessment"]})
    if assessment.authorised_on:
        raise ValidationError({"__all__": ["This assessment has already been authorised"]})
    if not assessment.submitted_on:
        raise ValidationError({"__all__": ["The assessment must be submitted for authorisation first"]})
    _refuse_if_closed(assessment.episode)
    _check_date(errors, "authorised_on", authorised_on, label="the date of authorisation")
    values = _assessment_values(assessment) | {"authorised_on": authorised_on}
    check_assessment(values, list(assessment.factors.values_list("code", flat=True)), errors,
                     referral_date=assessment.episode.referral_date)
    errors.raise_if_any()
    with transaction.atomic():
        assessment.authorised_on = authorised_on
        assessment.authorised_by = actor
        save_with_history(assessment, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=assessment, child=assessment.episode.child,
               details={"authorised_on": authorised_on, "outcome": assessment.outcome})
    return assessment


PARENT_KINDS = (Relationship.Kind.PARENT, Relationship.Kind.STEP_PARENT)


def parent_word(person: Person, kind: str) -> str:
    step = "step-" if kind == Relationship.Kind.STEP_PARENT else ""
    return step + {codes.SEX_MALE: "father", codes.SEX_FEMALE: "mother"}.get(person.sex, "parent")


def parent_warnings(assessment: Assessment, adults: list[AssessmentAdult]) -> list[str]:
    """Parents recorded in the child's relationships (fathers included) who are not in the assessment, or were
    not seen: inspections repeatedly find fathers left out of assessments."""
    child = assessment.episode.child
    links = (Relationship.objects.filter(relative=child, kind__in=PARENT_KINDS).select_related("person")
             .order_by("pk"))
    by_person = {adult.person_id: adult for adult in adults}
    warnings = []
    for link in links:
        if link.kind == Relationship.Kind.STEP_PARENT and link.end_date:
            continue
        who = f"{child.first_name}’s {parent_word(link.person, link.kind)}, {link.person.full_name},"
        listed = by_person.get(link.person_id)
        if listed is None:
            warnings.append(f"{who} is not included in this assessment")
        elif listed.seen is False:
            warnings.append(f"{who} was not seen during this assessment")
    return warnings


# Strategy discussions and section 47 enquiries ----------------------------------------------------------


PARTICIPANT_FIELDS = ("name", "role", "information_shared", "absence_reason")


def _check_participant(participant: dict, errors: Errors, prefix: str = "") -> dict:
    values = {name: _text(participant.get(name)) for name in PARTICIPANT_FIELDS}
    values["agency"] = participant.get("agency")
    agency_label = Agency(values["agency"]).label if values["agency"] in Agency.values else "the agency"
    if values["agency"] not in Agency.values:
        errors.add(f"{prefix}agency", "Select the agency")
    if values["absence_reason"]:
        if values["name"] or values["information_shared"]:
            errors.add(f"{prefix}absence_reason", f"Give either who took part for {agency_label} or why they did "
                                                  f"not, not both")
    elif not values["name"]:
        errors.add(f"{prefix}name", f"Enter who took part for {agency_label}, or why {agency_label} did not take "
                                    f"part")
    if len(values["name"]) > 200 or len(values["role"]) > 200:
        errors.add(f"{prefix}name", "Enter a name and role of 200 characters or fewer each")
    return values


def record_strategy_discussion(*, actor: User, request=None, episode: Episode, kind: str,
                               date: datetime.date | None, chaired_by: User | None, reason: str,
                               participants: list[dict], decision: str,
                               decision_rationale: str) -> StrategyDiscussion:
    """Record a strategy discussion or meeting. Police, health and children's social care must each be
    recorded as taking part, or with the reason they did not. Deciding on section 47 enquiries starts the
    enquiry, from the date of this discussion."""
    _refuse_if_closed(episode)
    reason, decision_rationale = _text(reason), _text(decision_rationale)
    errors = Errors()
    if kind not in StrategyDiscussion.Kind.values:
        errors.add("kind", "Select whether it was a strategy discussion or a strategy meeting")
    _check_date(errors, "date", date, label="the date of the strategy discussion",
                not_before=episode.referral_date, not_before_what="the referral date")
    _check_staff(errors, "chaired_by", chaired_by, permissions.may_chair_strategy_discussion,
                 "who chaired it: a social worker or manager")
    if not reason:
        errors.add("reason", "Enter why a strategy discussion was needed")
    cleaned = [_check_participant(p, errors, prefix=f"{p.get('agency')}_") for p in participants]
    for agency in REQUIRED_AGENCIES:
        if not any(p["agency"] == agency for p in cleaned):
            errors.add(f"{agency}_name", f"Enter who took part for {agency.label}, or why {agency.label} did not "
                                         f"take part")
    if decision not in StrategyDiscussion.Decision.values:
        errors.add("decision", "Select what was decided")
    if not decision_rationale:
        errors.add("decision_rationale", "Enter the reasons for the decision")
    open_enquiry = episode.section47_enquiries.filter(outcome="").select_related("strategy_discussion").first()
    if decision == StrategyDiscussion.Decision.SECTION_47 and open_enquiry:
        errors.add("decision", f"The section 47 enquiry started on {govuk_date(open_enquiry.start_date)} has no "
                               f"outcome yet: record its outcome before starting another")
    errors.raise_if_any()
    with transaction.atomic():
        discussion = StrategyDiscussion(episode=episode, kind=kind, date=date, chaired_by=chaired_by, reason=reason,
                                        decision=decision, decision_rationale=decision_rationale, recorded_by=actor)
        save_with_history(discussion, actor)
        for values in cleaned:
            save_with_history(StrategyParticipant(discussion=discussion, **values), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=discussion, child=episode.child,
               details={"decision": decision, "agencies": sorted({p["agency"] for p in cleaned}),
                        "absent": sorted(p["agency"] for p in cleaned if p["absence_reason"])})
        if decision == StrategyDiscussion.Decision.SECTION_47:
            enquiry = Section47Enquiry(episode=episode, strategy_discussion=discussion, recorded_by=actor)
            save_with_history(enquiry, actor)
            record(AuditAction.CREATE, actor=actor, request=request, subject=enquiry, child=episode.child,
                   details={"strategy_discussion": discussion.pk})
    return discussion


def add_strategy_participant(*, actor: User, request=None, discussion: StrategyDiscussion, **participant
                             ) -> StrategyParticipant:
    """Another agency, or another person for an agency, at a strategy discussion already recorded."""
    unknown = set(participant) - {"agency", *PARTICIPANT_FIELDS}
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    _refuse_if_closed(discussion.episode)
    errors = Errors()
    values = _check_participant(participant, errors)
    errors.raise_if_any()
    with transaction.atomic():
        row = StrategyParticipant(discussion=discussion, **values)
        save_with_history(row, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=row, child=discussion.episode.child,
               details={"strategy_discussion": discussion.pk, "agency": row.agency})
    return row


def add_strategy_action(*, actor: User, request=None, discussion: StrategyDiscussion, description: str,
                        owner: str, due_date: datetime.date | None) -> AgreedAction:
    """An action agreed at the discussion, with a named owner and a due date."""
    _refuse_if_closed(discussion.episode)
    description, owner = _text(description), _text(owner)
    errors = Errors()
    if not description:
        errors.add("description", "Enter what needs to be done")
    if not owner:
        errors.add("owner", "Enter the name of the person who will do it, for example Sarah Jones (social worker)")
    elif len(owner) > AgreedAction._meta.get_field("owner").max_length:
        errors.add("owner", "Enter the owner in 200 characters or fewer")
    if due_date is None:
        errors.add("due_date", "Enter the date it is due")
    elif due_date < discussion.date:
        errors.add("due_date", f"The due date must be on or after the discussion ({govuk_date(discussion.date)})")
    errors.raise_if_any()
    with transaction.atomic():
        action = AgreedAction(strategy_discussion=discussion, description=description, owner=owner, due_date=due_date)
        save_with_history(action, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=action, child=discussion.episode.child,
               details={"strategy_discussion": discussion.pk, "due_date": due_date})
    return action


def record_section47_outcome(*, actor: User, request=None, enquiry: Section47Enquiry, outcome: str,
                             outcome_date: datetime.date | None, outcome_rationale: str,
                             icpc_not_required: bool = False, icpc_not_required_reason: str = ""
                             ) -> Section47Enquiry:
    """The outcome of the enquiry. 'ICPC not required' is only for concerns substantiated with continuing risk,
    and needs its reason."""
    episode = enquiry.episode
    _refuse_if_closed(episode)
    outcome_rationale, icpc_not_required_reason = _text(outcome_rationale), _text(icpc_not_required_reason)
    errors = Errors()
    if outcome not in Section47Enquiry.Outcome.values:
        errors.add("outcome", "Select the outcome of the section 47 enquiry")
    _check_date(errors, "outcome_date", outcome_date, label="the date of the outcome",
                not_before=enquiry.strategy_discussion.date, not_before_what="the strategy discussion")
    if not outcome_rationale:
        errors.add("outcome_rationale", "Enter the reasons for the outcome")
    at_risk = outcome == Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
    if icpc_not_required and not at_risk:
        errors.add("icpc_not_required", "‘Initial conference not required’ only applies when concerns are "
                                        "substantiated and the child is at continuing risk: untick it, or change "
                                        "the outcome")
    elif icpc_not_required and not icpc_not_required_reason:
        errors.add("icpc_not_required_reason", "Enter why an initial child protection conference is not required")
    elif icpc_not_required_reason and not icpc_not_required:
        errors.add("icpc_not_required_reason", "Leave the reason empty, or tick ‘initial conference not required’")
    if not at_risk and enquiry.conferences.exists():
        errors.add("outcome", "An initial conference has already been held for this enquiry: the outcome must be "
                              "substantiated and at continuing risk")
    errors.raise_if_any()
    with transaction.atomic():
        enquiry.outcome, enquiry.outcome_date, enquiry.outcome_rationale = outcome, outcome_date, outcome_rationale
        enquiry.icpc_not_required = bool(icpc_not_required)
        enquiry.icpc_not_required_reason = icpc_not_required_reason
        save_with_history(enquiry, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=enquiry, child=episode.child,
               details={"outcome": outcome, "icpc_not_required": bool(icpc_not_required)})
    return enquiry


def icpc_due_date(enquiry: Section47Enquiry, request=None) -> datetime.date:
    """When the initial child protection conference is due: 15 working days from the strategy discussion that
    started the enquiry (with the authority's own days off). Always computed, never stored."""
    return clocks.due_date(clocks.INITIAL_CONFERENCE, enquiry.strategy_discussion.date, working_calendar(request))


def icpc_due(enquiry: Section47Enquiry) -> bool:
    """Whether an initial conference is still expected for this enquiry."""
    if enquiry.icpc_not_required:
        return False
    return enquiry.outcome in ("", Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK)


# Case notes ---------------------------------------------------------------------------------------------


def _check_case_note(errors: Errors, date: datetime.date | None, subject: str, body: str) -> None:
    _check_date(errors, "date", date, label="the date of the note")
    if not subject:
        errors.add("subject", "Enter a subject, for example Phone call from school")
    elif len(subject) > CaseNote._meta.get_field("subject").max_length:
        errors.add("subject", "Enter a subject of 200 characters or fewer")
    if not body:
        errors.add("body", "Enter the note")
    elif text_limits.too_long("Note", body, text_limits.LONG_TEXT):
        errors.add("body", text_limits.too_long("Note", body, text_limits.LONG_TEXT))


def record_case_note(*, actor: User, request=None, child: Person, date: datetime.date | None, subject: str,
                     body: str, significant: bool = False, episode: Episode | None = None) -> CaseNote:
    """A note on the child's record, in the open episode if there is one."""
    subject, body = _text(subject), _text(body)
    errors = Errors()
    _check_case_note(errors, date, subject, body)
    if episode is not None and episode.child_id != child.pk:
        errors.add("__all__", "The episode must be the child’s own")
    errors.raise_if_any()
    with transaction.atomic():
        note = CaseNote(child=child, episode=episode or open_episode(child), date=date, subject=subject, body=body,
                        significant=bool(significant), recorded_by=actor)
        save_with_history(note, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=note, child=child,
               details={"significant": note.significant, "episode": note.episode_id})
    return note


CASE_NOTE_FIELDS = ("date", "subject", "body", "significant")


def change_case_note(*, actor: User, request=None, note: CaseNote, date: datetime.date | None, subject: str,
                     body: str, significant: bool = False) -> CaseNote:
    """Correct or add to a note. simple-history keeps every earlier version, with who changed it and when."""
    values = {"date": date, "subject": _text(subject), "body": _text(body), "significant": bool(significant)}
    errors = Errors()
    _check_case_note(errors, values["date"], values["subject"], values["body"])
    errors.raise_if_any()
    changed = [name for name in CASE_NOTE_FIELDS if getattr(note, name) != values[name]]
    with transaction.atomic():
        for name, value in values.items():
            setattr(note, name, value)
        save_with_history(note, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=note, child=note.child,
               details={"changed": changed})
    return note


# Actions agreed at a strategy discussion or a core group ------------------------------------------------


def _agreed_action_meeting(action: AgreedAction) -> tuple[Person, datetime.date, str]:
    """The child an action is about, the date it was agreed and what agreed it."""
    if action.strategy_discussion_id:
        discussion = action.strategy_discussion
        return discussion.episode.child, discussion.date, discussion.get_kind_display().lower()
    core_group = action.core_group
    return core_group.plan.child, core_group.date, "core group"


def _refuse_if_not_the_childs(action: AgreedAction, child: Person) -> tuple[datetime.date, str]:
    owner, agreed_on, meeting = _agreed_action_meeting(action)
    if owner.pk != child.pk:
        raise ValidationError({"__all__": ["This action is not on this child’s record"]})
    return agreed_on, meeting


def complete_agreed_action(*, actor: User, request=None, child: Person, action: AgreedAction,
                           completed_on: datetime.date | None) -> AgreedAction:
    """Mark an agreed action done on the date it was done: not in the future, not before it was agreed."""
    agreed_on, meeting = _refuse_if_not_the_childs(action, child)
    errors = Errors()
    if action.completed_on:
        errors.add("__all__", f"This action was already marked done on {govuk_date(action.completed_on)}: "
                              f"reopen it first to change the date")
    _check_date(errors, "completed_on", completed_on, label="the date it was done",
                not_before=agreed_on, not_before_what=f"the {meeting}")
    errors.raise_if_any()
    return _set_completed_on(action, completed_on, actor=actor, request=request, child=child)


def reopen_agreed_action(*, actor: User, request=None, child: Person, action: AgreedAction) -> AgreedAction:
    """Undo 'done' for an action marked done by mistake, or that needs more work."""
    _refuse_if_not_the_childs(action, child)
    if not action.completed_on:
        raise ValidationError({"__all__": ["This action is not marked done, so there is nothing to reopen"]})
    return _set_completed_on(action, None, actor=actor, request=request, child=child)


def _set_completed_on(action: AgreedAction, completed_on: datetime.date | None, *, actor: User, request,
                      child: Person) -> AgreedAction:
    with transaction.atomic():
        previous, action.completed_on = action.completed_on, completed_on
        save_with_history(action, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=action, child=child,
               details={"completed_on": completed_on, "was_completed_on": previous,
                        "strategy_discussion": action.strategy_discussion_id, "core_group": action.core_group_id})
    return action


# Early help ---------------------------------------------------------------------------------------------


def _check_early_help(errors: Errors, provider: str, reason: str, *, reason_field: str = "reason") -> None:
    if not provider:
        errors.add("early_help_provider", "Enter the early help provider, for example Family Hub North")
    elif len(provider) > EarlyHelpTransfer._meta.get_field("early_help_provider").max_length:
        errors.add("early_help_provider", "Enter the early help provider in 200 characters or fewer")
    if not reason:
        errors.add(reason_field, "Enter why the child is stepping down to early help")


def record_step_down(*, actor: User, request=None, child: Person, date: datetime.date | None,
                     early_help_provider: str, reason: str) -> EarlyHelpTransfer:
    """A step-down to early help on its own, for a child with no open episode (for example after closure).
    To close an open episode and step down together, use step_down_to_early_help."""
    early_help_provider, reason = _text(early_help_provider), _text(reason)
    current = open_episode(child)
    if current:
        raise ValidationError({"__all__": [
            f"{child.first_name} has an open episode: use ‘Step down to early help’ on the episode, which closes "
            f"it and records the step-down together"]})
    latest = Episode.objects.filter(child=child).order_by("-closure_date", "-pk").first()
    errors = Errors()
    _check_date(errors, "date", date, label="the date of the step-down",
                not_before=latest.closure_date if latest else None, not_before_what="the last episode closed")
    _check_early_help(errors, early_help_provider, reason)
    errors.raise_if_any()
    with transaction.atomic():
        transfer = EarlyHelpTransfer(child=child, direction=EarlyHelpTransfer.Direction.STEP_DOWN, date=date,
                                     episode=latest, early_help_provider=early_help_provider, reason=reason,
                                     recorded_by=actor)
        save_with_history(transfer, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=transfer, child=child,
               details={"direction": transfer.direction, "episode": transfer.episode_id})
    return transfer


# Closure ------------------------------------------------------------------------------------------------


def _closure_blockers(episode: Episode, closing_on: datetime.date | None, reason: str, errors: Errors,
                      date_field: str) -> None:
    for plan in episode.plans.filter(end_date__isnull=True):
        errors.add("__all__", f"End the {plan.get_kind_display().lower()} first: a case cannot close while a plan "
                              f"is open")
    last_plan_end = episode.plans.aggregate(last=models.Max("end_date"))["last"]
    if closing_on and last_plan_end and closing_on < last_plan_end:
        errors.add(date_field, f"The closure date must be on or after the last plan ended "
                               f"({govuk_date(last_plan_end)})")
    if reason in codes.CLOSED_AFTER_ASSESSMENT and not episode.assessments.filter(authorised_on__isnull=False).exists():
        errors.add("reason", f"‘{codes.REASON_FOR_CLOSURE[reason]}’ ({reason}) is only for a case closed after "
                             f"an assessment: authorise the assessment first, or choose another reason")


def propose_closure(*, actor: User, request=None, episode: Episode, reason: str, rationale: str,
                    childs_views: str, early_help_provider: str = "", early_help_reason: str = "",
                    answer: str = "", fathers_views: str = "", fathers_views_not_sought: str = "") -> Episode:
    """A worker proposes closing the case; it stays open until a manager who is someone else signs it off.
    Closing to early help (RC9) records the step-down, with its provider and reason, at the same time. A closure
    a manager returned is proposed again with an answer to their comment. The father's views are recorded, or why
    they were not sought (a closure without either is signalled where a father is known: rules/signals.py)."""
    _refuse_if_closed(episode)
    rationale, childs_views = _text(rationale), _text(childs_views)
    fathers_views, fathers_views_not_sought = _text(fathers_views), fathers_views_not_sought or ""
    early_help_provider, early_help_reason = _text(early_help_provider), _text(early_help_reason)
    errors = Errors()
    if episode.closure_proposed_on:
        errors.add("__all__", "A closure is already waiting for a manager’s sign-off")
    if reason not in codes.REASON_FOR_CLOSURE:
        errors.add("reason", "Select the reason for closure, from RC1 to RC9")
    if not rationale:
        errors.add("rationale", "Enter why the case can close")
    if not childs_views and reason != codes.DIED:
        errors.add("childs_views", "Enter the child’s views about the case closing: a closure cannot be recorded "
                                   "without them")
    if fathers_views_not_sought and fathers_views_not_sought not in FathersViewsNotSought.values:
        errors.add("fathers_views_not_sought", "Select why the father’s views were not sought from the list")
    elif fathers_views and fathers_views_not_sought:
        errors.add("fathers_views_not_sought", "You entered the father’s views: leave ‘why not sought’ empty, or "
                                               "remove his views")
    to_early_help = reason == codes.CLOSED_TO_EARLY_HELP
    if to_early_help:
        _check_early_help(errors, early_help_provider, early_help_reason, reason_field="early_help_reason")
    elif early_help_provider or early_help_reason:
        errors.add("early_help_provider", "Leave the early help questions empty unless the case is closing to "
                                          "early help (RC9)")
    _closure_blockers(episode, _today(), reason, errors, "__all__")
    waiting = returns.check_answer(errors, ReturnedWork.Kind.CLOSURE, episode.pk, answer)
    errors.raise_if_any()
    with transaction.atomic():
        episode.closure_reason, episode.closure_rationale, episode.childs_views_at_closure = (
            reason, rationale, childs_views)
        episode.fathers_views_at_closure, episode.fathers_views_not_sought = fathers_views, fathers_views_not_sought
        episode.closure_proposed_by, episode.closure_proposed_on = actor, _today()
        save_with_history(episode, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=episode, child=episode.child,
               details={"closure": "proposed", "reason": reason, "answered": len(waiting)})
        returns.answer_returns(waiting, actor=actor, request=request, answer=answer)
        if to_early_help:
            transfer = EarlyHelpTransfer(child=episode.child, direction=EarlyHelpTransfer.Direction.STEP_DOWN,
                                         date=_today(), episode=episode, early_help_provider=early_help_provider,
                                         reason=early_help_reason, recorded_by=actor)
            save_with_history(transfer, actor)
            record(AuditAction.CREATE, actor=actor, request=request, subject=transfer, child=episode.child,
                   details={"direction": transfer.direction, "episode": episode.pk})
    return episode


def step_down_to_early_help(*, actor: User, request=None, episode: Episode, early_help_provider: str,
                            early_help_reason: str, rationale: str, childs_views: str, answer: str = "",
                            fathers_views: str = "", fathers_views_not_sought: str = "") -> Episode:
    """Close the case to early help (RC9) and record the step-down, in one go."""
    return propose_closure(actor=actor, request=request, episode=episode, reason=codes.CLOSED_TO_EARLY_HELP,
                           rationale=rationale, childs_views=childs_views, early_help_provider=early_help_provider,
                           early_help_reason=early_help_reason, answer=answer, fathers_views=fathers_views,
                           fathers_views_not_sought=fathers_views_not_sought)


def sign_off_closure(*, actor: User, request=None, episode: Episode, signed_off_on: datetime.date | None,
                     closure_date: datetime.date | None = None, backdate_reason: str = "") -> Episode:
    """A manager, not the worker who proposed it, signs off the closure; the episode closes on that date, or on an
    earlier `closure_date` the manager gives with the reason it is backdated."""
    _refuse_if_closed(episode)
    if not episode.closure_proposed_on:
        raise ValidationError({"__all__": ["No closure has been proposed for this episode"]})
    errors = Errors()
    if not permissions.is_manager(actor):
        errors.add("__all__", "Only a team manager, service manager or head of service can sign off a closure")
    elif not permissions.may_sign_off_closure(actor, episode):
        errors.add("__all__", "You proposed this closure, so another manager must sign it off")
    _check_date(errors, "signed_off_on", signed_off_on, label="the date of sign-off",
                not_before=episode.referral_date, not_before_what="the referral date")
    if "signed_off_on" not in errors and signed_off_on and signed_off_on < episode.closure_proposed_on:
        errors.add("signed_off_on", f"The date of sign-off must be on or after the closure was proposed "
                                    f"({govuk_date(episode.closure_proposed_on)})")
    backdate_reason = _check_backdating(errors, episode, signed_off_on, closure_date, backdate_reason)
    closing_on = closure_date or signed_off_on
    _closure_blockers(episode, closing_on, episode.closure_reason, errors,
                      "closure_date" if closure_date else "signed_off_on")
    errors.raise_if_any()
    with transaction.atomic():
        episode.closure_date, episode.closure_backdated_reason = closing_on, backdate_reason
        episode.closure_signed_off_by, episode.closure_signed_off_on = actor, signed_off_on
        save_with_history(episode, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=episode, child=episode.child,
               details={"closure": "signed_off", "reason": episode.closure_reason, "closure_date": closing_on,
                        "signed_off_on": signed_off_on, "backdated_reason": backdate_reason})
    return episode


def _check_backdating(errors: Errors, episode: Episode, signed_off_on, closure_date, reason: str) -> str:
    """A closure dated before its sign-off needs the manager's reason; it cannot be after the sign-off, nor before
    the referral."""
    reason = _text(reason)
    if closure_date is None:
        if reason:
            errors.add("closure_date", "Enter the date the case closed, or leave the reason for backdating empty")
        return ""
    if closure_date < episode.referral_date:
        errors.add("closure_date", f"The date the case closed must be on or after the referral, "
                                   f"{govuk_date(episode.referral_date)}")
    elif signed_off_on and closure_date > signed_off_on:
        errors.add("closure_date", "The date the case closed cannot be after the sign-off: leave it empty to close "
                                   "the case on the day of sign-off")
    elif signed_off_on and closure_date < signed_off_on and not reason:
        errors.add("backdate_reason", f"A closure backdated before its sign-off needs a reason: enter why the case "
                                      f"closed on {govuk_date(closure_date)}")
    return reason if signed_off_on and closure_date < signed_off_on else ""


def return_closure(*, actor: User, request=None, episode: Episode, reason: str) -> Episode:
    """A manager declines a proposed closure, saying why; a step-down recorded with it is withdrawn."""
    _refuse_if_closed(episode)
    errors = Errors()
    if not episode.closure_proposed_on:
        errors.add("__all__", "No closure has been proposed for this episode")
    if not permissions.may_return_closure(actor):
        errors.add("__all__", "Only a team manager, service manager or head of service can return a closure")
    if not _text(reason):
        errors.add("reason", "Enter why the case should not close yet")
    errors.raise_if_any()
    with transaction.atomic():
        withdrawn = list(episode.early_help_transfers.filter(direction=EarlyHelpTransfer.Direction.STEP_DOWN))
        for transfer in withdrawn:
            _delete(transfer, actor)
        proposed_by = episode.closure_proposed_by
        episode.closure_reason = episode.closure_rationale = episode.childs_views_at_closure = ""
        episode.fathers_views_at_closure = episode.fathers_views_not_sought = ""
        episode.closure_proposed_by = episode.closure_proposed_on = None
        save_with_history(episode, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=episode, child=episode.child,
               reason=_text(reason), details={"closure": "returned", "step_downs_withdrawn": len(withdrawn)})
        returns.note_return(actor=actor, request=request, child=episode.child, kind=ReturnedWork.Kind.CLOSURE,
                            record_id=episode.pk, comment=_text(reason), returned_to=proposed_by)
    return episode
