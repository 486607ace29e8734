"""Casework's chronology providers: the child's journey, and the person's own record (addresses,
relationships, households, merges), which people cannot register itself because it sits below casework.

Each provider reads one kind of record in one query and yields events with stable keys ("visit:42").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q

from casefile.casework import models as cw
from casefile.casework.chronology.registry import ChronologyEvent, Scope, event, excerpt, name, register, sentences
from casefile.core.prepared import prepared
from casefile.people.models import Address, HouseholdMember, Merge, Relationship

# The types these providers yield, in the order the filter offers them.
EVENT_TYPES: dict[str, str] = {

    "referral": "Referrals and referral decisions",
    "assessment": "Assessments",
    "strategy": "Strategy discussions",
    "section47": "Section 47 enquiries",
    "conference": "Child protection conferences",
    "plan": "Plans and plan reviews",
    "core_group": "Core groups",
    "visit": "Visits",
    "case_note": "Case notes",
    "early_help": "Step-up and step-down (early help)",
    "closure": "Case closures",
    "allocation": "Allocations",
    "record": "Personal details: addresses, relationships, households and merges",
}


# The person's record ------------------------------------------------------------------------------------


def person_created(scope: Scope) -> Iterable[ChronologyEvent]:
    for person in scope.people:
        yield event(scope, person.pk, when=person.created_at, title="Record created", by=name(person.created_by),
                    key=f"person:{person.pk}", type="record")


def _began_and_ended(scope: Scope, owner: int, row, key: str, titles: tuple[str, str],
                     description: str) -> Iterable[ChronologyEvent]:
    """A dated span of the person's record (an address, a household): one event when it began, one when it ended."""
    for when, title, suffix in ((row.start_date, titles[0], ""), (row.end_date, titles[1], "-end")):
        if when:
            yield event(scope, owner, when=when, title=title, description=description, key=f"{key}{suffix}:{row.pk}",
                        type="record")


@prepared
def _addresses(ids):
    return Address.objects.order_by().filter(person_id__in=ids)


def addresses(scope: Scope) -> Iterable[ChronologyEvent]:
    for address in _addresses(scope.ids):
        yield from _began_and_ended(scope, address.person_id, address, "address",
                                    ("Moved to a new address", "Moved out of an address"), str(address))


def _recorded_on(model, ids: list[int]) -> dict[int, datetime.datetime]:
    """When each row was first saved, from its history, for rows with no date of their own."""
    rows = model.history.filter(id__in=ids, history_type="+").values_list("id", "history_date")
    return dict(rows)


@prepared
def _relationships(ids):
    return (Relationship.objects.order_by().filter(Q(person_id__in=ids) | Q(relative_id__in=ids))
            .select_related("person", "relative"))


def relationships(scope: Scope) -> Iterable[ChronologyEvent]:
    ids = scope.ids
    links = _relationships(ids)
    recorded = _recorded_on(Relationship, [link.pk for link in links if not link.start_date])
    for link in links:
        owner = link.person_id if link.person_id in ids else link.relative_id
        when = link.start_date or recorded.get(link.pk)
        if when is not None:
            yield event(scope, owner, when=when, title="Relationship recorded", description=str(link),
                        key=f"relationship:{link.pk}", type="record")
        if link.end_date:
            yield event(scope, owner, when=link.end_date, title="Relationship ended", description=str(link),
                        key=f"relationship-end:{link.pk}", type="record")


@prepared
def _households(ids):
    return HouseholdMember.objects.order_by().filter(person_id__in=ids).select_related("household")


def households(scope: Scope) -> Iterable[ChronologyEvent]:
    for membership in _households(scope.ids):
        yield from _began_and_ended(scope, membership.person_id, membership, "household",
                                    ("Joined a household", "Left a household"), membership.household.name)


@prepared
def _merges(ids):
    return Merge.objects.order_by().filter(Q(kept_id__in=ids) | Q(merged_id__in=ids)).select_related(
        "kept", "merged", "merged_by", "reversed_by")


def merges(scope: Scope) -> Iterable[ChronologyEvent]:
    ids = scope.ids
    rows = _merges(ids)
    for merge in rows:
        owner = merge.kept_id if merge.kept_id in ids else merge.merged_id
        yield event(scope, owner, when=merge.merged_at, title="Records merged",
                    description=f"{merge.merged} was merged into {merge.kept}: {merge.reason}",
                    by=name(merge.merged_by), key=f"merge:{merge.pk}", type="record")
        if merge.reversed_at:
            yield event(scope, owner, when=merge.reversed_at, title="Merge reversed",
                        description=f"{merge.merged} was separated from {merge.kept}: {merge.reversal_reason}",
                        by=name(merge.reversed_by), key=f"merge-reversed:{merge.pk}", type="record")



# The child's journey ------------------------------------------------------------------------------------


@prepared
def _allocations(ids):
    return cw.Allocation.objects.order_by().filter(child_id__in=ids).select_related("worker", "team", "allocated_by")


def allocations(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _allocations(scope.ids)
    for allocation in rows:
        yield event(scope, allocation.child_id, when=allocation.start_date,
                    title=f"Allocated to {allocation.worker} ({allocation.team})",
                    description=excerpt(allocation.reason), by=name(allocation.allocated_by),
                    key=f"allocation:{allocation.pk}", type="allocation")
        if allocation.end_date:
            yield event(scope, allocation.child_id, when=allocation.end_date,
                        title=f"Allocation to {allocation.worker} ended", key=f"allocation-end:{allocation.pk}",
                        type="allocation", step=-1)


def _episode_link(scope: Scope, child_id: int, episode_id: int | None, *targets: tuple[str, dict]) -> str:
    """A record's own page if it has one, else its episode's page."""
    if episode_id is not None:
        targets = (*targets, ("casework:episode", {"episode_id": episode_id}))
    return scope.link(child_id, *targets)


@prepared
def _episodes(ids):
    return cw.Episode.objects.order_by().filter(child_id__in=ids).select_related(
        "recorded_by", "referral_decided_by", "closure_signed_off_by")


def episodes(scope: Scope) -> Iterable[ChronologyEvent]:
    """Referral received, the decision on it, and the closure of the case."""
    rows = _episodes(scope.ids)
    for episode in rows:
        child, url = episode.child_id, _episode_link(scope, episode.child_id, episode.pk)
        referrer = f" ({episode.referrer_name})" if episode.referrer_name else ""
        yield event(scope, child, when=episode.referral_date, title="Referral received",
                    description=sentences(f"From {episode.get_referral_source_display()}{referrer}.",
                                          excerpt(episode.referral_summary)),
                    by=name(episode.recorded_by), key=f"referral:{episode.pk}", type="referral", url=url,
                    significant=True)
        if episode.referral_decision_date:
            decision = "no further action" if episode.referral_nfa else "further work with the child and family"
            need = f"Primary need: {episode.get_primary_need_display()}." if episode.primary_need else ""
            yield event(scope, child, when=episode.referral_decision_date, title=f"Referral decision: {decision}",
                        description=need, by=name(episode.referral_decided_by),
                        key=f"referral-decision:{episode.pk}", type="referral", url=url, significant=True, step=1)
        if episode.closure_date:
            reason = f"Reason: {episode.get_closure_reason_display()}." if episode.closure_reason else ""
            yield event(scope, child, when=episode.closure_date, title="Case closed",
                        description=sentences(reason, excerpt(episode.closure_rationale),
                                              f"Backdated: {excerpt(episode.closure_backdated_reason)}"
                                              if episode.closure_backdated_reason else ""),
                        by=name(episode.closure_signed_off_by or episode.recorded_by), key=f"closure:{episode.pk}",
                        type="closure", url=url, significant=True, step=3)


def _seen(seen: bool | None, alone: bool | None) -> str:
    if seen is False:
        return "The child was not seen."
    if seen is None:
        return "Whether the child was seen is not recorded."
    alone_text = {True: "The child was seen alone.", False: "The child was seen, not alone."}
    return alone_text.get(alone, "The child was seen.")


HEARD_HOW = {cw.HeardHow.TALKED: "talking with them", cw.HeardHow.DIRECT_WORK: "direct work",
             cw.HeardHow.OBSERVATION: "observation"}


def _voice(record, words: str, observed: str) -> tuple[str, ...]:
    """How the child was heard, their words kept whole (never cut to an excerpt) or, for a child too young to
    say, what the worker saw of them; and what difference it made to the plan. For a visit or an assessment."""
    words = f"In their words: “{' '.join(words.split())}”" if words.strip() else ""
    how = f"How the child was heard: {HEARD_HOW[record.heard_how]}." if record.heard_how in HEARD_HOW else ""
    return (how, words, f"Seen: {excerpt(observed)}" if observed.strip() and not words else "",
            f"Difference to the plan: {excerpt(record.difference_made)}" if record.difference_made.strip() else "")


@prepared
def _assessments(ids):
    return cw.Assessment.objects.order_by().filter(episode__child_id__in=ids).select_related(
        "episode", "recorded_by", "authorised_by")


def assessments(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _assessments(scope.ids)
    for assessment in rows:
        child = assessment.episode.child_id
        url = _episode_link(scope, child, assessment.episode_id,
                            ("casework:assessment", {"assessment_id": assessment.pk}))
        common = {"type": "assessment", "url": url}
        yield event(scope, child, when=assessment.start_date, title="Assessment started",
                    by=name(assessment.recorded_by), key=f"assessment:{assessment.pk}", **common)
        if assessment.child_seen and assessment.child_seen_on:
            yield event(scope, child, when=assessment.child_seen_on, title="Child seen for the assessment",
                        description=_seen(True, assessment.child_seen_alone), by=name(assessment.recorded_by),
                        key=f"assessment-seen:{assessment.pk}", step=1, **common)
        if assessment.authorised_on:
            outcome = f"Outcome: {assessment.get_outcome_display()}." if assessment.outcome else ""
            not_seen = _seen(False, None) if assessment.child_seen is False else ""
            yield event(scope, child, when=assessment.authorised_on, title="Assessment completed and authorised",
                        description=sentences(outcome, not_seen, *_voice(assessment, assessment.childs_views,
                                                                         assessment.observations_of_child)),
                        by=name(assessment.authorised_by),
                        key=f"assessment-authorised:{assessment.pk}", significant=True, step=2, **common)


@prepared
def _strategy_discussions(ids):
    return cw.StrategyDiscussion.objects.order_by().filter(episode__child_id__in=ids).select_related(
        "episode", "chaired_by", "recorded_by")


def strategy_discussions(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _strategy_discussions(scope.ids)
    for discussion in rows:
        child = discussion.episode.child_id
        yield event(scope, child, when=discussion.date, title=discussion.get_kind_display(),
                    description=sentences(f"Decision: {discussion.get_decision_display()}.",
                                          f"Why it was held: {excerpt(discussion.reason)}",
                                          f"Chaired by {discussion.chaired_by}."),
                    by=name(discussion.recorded_by), key=f"strategy:{discussion.pk}", type="strategy",
                    url=_episode_link(scope, child, discussion.episode_id,
                                       ("casework:strategy_discussion", {"strategy_discussion_id": discussion.pk})),
                    significant=True)


@prepared
def _section47_enquiries(ids):
    return cw.Section47Enquiry.objects.order_by().filter(episode__child_id__in=ids).select_related(
        "episode", "strategy_discussion", "recorded_by")


def section47_enquiries(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _section47_enquiries(scope.ids)
    for enquiry in rows:
        child = enquiry.episode.child_id
        url = _episode_link(scope, child, enquiry.episode_id, ("casework:enquiry", {"enquiry_id": enquiry.pk}))
        common = {"by": name(enquiry.recorded_by), "type": "section47", "url": url, "significant": True}
        yield event(scope, child, when=enquiry.start_date, title="Section 47 enquiry started",
                    key=f"s47:{enquiry.pk}", step=1, **common)
        if enquiry.outcome and enquiry.outcome_date:
            yield event(scope, child, when=enquiry.outcome_date, title="Section 47 enquiry outcome",
                        description=sentences(f"{enquiry.get_outcome_display()}.",
                                              excerpt(enquiry.outcome_rationale)),
                        key=f"s47-outcome:{enquiry.pk}", step=1, **common)
        if enquiry.icpc_not_required:
            yield event(scope, child, when=enquiry.outcome_date or enquiry.start_date,
                        title="Initial child protection conference not needed",
                        description=excerpt(enquiry.icpc_not_required_reason),
                        key=f"icpc-not-required:{enquiry.pk}", step=2, **common)


def _conference_is_significant(conference: cw.Conference) -> bool:
    """Initial and transfer-in conferences always; a review only when it ends the plan or makes none."""
    if conference.kind != cw.Conference.Kind.REVIEW:
        return True
    return conference.decision in (cw.Conference.Decision.END_PLAN, cw.Conference.Decision.NO_PLAN)


@prepared
def _conferences(ids):
    return cw.Conference.objects.order_by().filter(child_id__in=ids).select_related("chair", "recorded_by")


def conferences(scope: Scope) -> Iterable[ChronologyEvent]:
    conferences = _conferences(scope.ids)
    for conference in conferences:
        decision = f"Decision: {conference.get_decision_display()}." if conference.decision else ""
        category = f"Category: {conference.get_category_display()}." if conference.category else ""
        yield event(scope, conference.child_id, when=conference.date, title=conference.get_kind_display(),
                    description=sentences(decision, category, f"Chaired by {conference.chair}."),
                    by=name(conference.recorded_by), key=f"conference:{conference.pk}", type="conference",
                    url=_episode_link(scope, conference.child_id, conference.episode_id,
                                      ("casework:conference", {"conference_id": conference.pk})),
                    significant=_conference_is_significant(conference))


def _plan_link(scope: Scope, child_id: int, plan: cw.Plan) -> str:
    return _episode_link(scope, child_id, plan.episode_id, ("casework:plan", {"plan_id": plan.pk}))


@prepared
def _plans(ids):
    return cw.Plan.objects.order_by().filter(child_id__in=ids).select_related(
        "recorded_by", "submitted_by", "authorised_by")


def plans(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _plans(scope.ids)
    for plan in rows:
        common = {"type": "plan", "url": _plan_link(scope, plan.child_id, plan), "significant": True}
        category = f"Category: {plan.get_initial_category_display()}." if plan.initial_category else ""
        yield event(scope, plan.child_id, when=plan.start_date, title=f"{plan.get_kind_display()} started",
                    description=category, by=name(plan.recorded_by), key=f"plan:{plan.pk}", step=1, **common)
        yield from _plan_authorisation(scope, plan, common)
        if plan.end_date:
            why = sentences(plan.get_end_reason_display(),
                            f"Moved to {plan.receiving_authority}" if plan.receiving_authority else "",
                            excerpt(plan.end_summary)) if plan.end_reason else ""
            yield event(scope, plan.child_id, when=plan.end_date, title=f"{plan.get_kind_display()} ended",
                        description=why, key=f"plan-end:{plan.pk}", step=1, **common)


def _plan_authorisation(scope: Scope, plan: cw.Plan, common: dict) -> Iterable[ChronologyEvent]:
    """The plan's latest submission and its authorisation (earlier rounds are in its history and its returns)."""
    kind = plan.get_kind_display()
    if plan.submitted_on:
        yield event(scope, plan.child_id, when=plan.submitted_on, title=f"{kind} submitted for authorisation",
                    by=name(plan.submitted_by), key=f"plan-submitted:{plan.pk}", step=2,
                    **(common | {"significant": False}))
    if plan.authorised_on:
        flags = (f"Authorised with {', '.join(plan.flags_at_authorisation)} still flagged: "
                 f"{excerpt(plan.authorised_despite)}" if plan.flags_at_authorisation else "")
        yield event(scope, plan.child_id, when=plan.authorised_on, title=f"{kind} authorised by a manager",
                    description=flags, by=name(plan.authorised_by), key=f"plan-authorised:{plan.pk}", step=3,
                    **common)


RETURNED_TYPES = {"plan": "plan", "assessment": "assessment", "closure": "closure", "step_down": "early_help"}
RETURNED_TITLES = {"plan": "Plan", "assessment": "Assessment", "closure": "Proposed closure",
                   "step_down": "Step-down to early help"}


@prepared
def _returned_work(ids):
    return cw.ReturnedWork.objects.order_by().filter(child_id__in=ids).select_related("returned_by", "answered_by")


def returned_work(scope: Scope) -> Iterable[ChronologyEvent]:
    """A manager's return of a plan, an assessment, a closure or a step-down with their comment, and the worker's
    answer."""
    rows = _returned_work(scope.ids)
    for returned in rows:
        what = RETURNED_TITLES[returned.kind]
        common = {"type": RETURNED_TYPES[returned.kind], "url": _returned_link(scope, returned)}
        yield event(scope, returned.child_id, when=returned.returned_at,
                    title=f"{what} returned by a manager for changes", description=f"Comment: {returned.comment}",
                    by=name(returned.returned_by), key=f"returned:{returned.pk}", significant=True, **common)
        if returned.answered_at:
            yield event(scope, returned.child_id, when=returned.answered_at,
                        title=f"{what} sent again with an answer to the manager",
                        description=f"Answer: {returned.answer}", by=name(returned.answered_by),
                        key=f"returned-answer:{returned.pk}", **common)


def _returned_link(scope: Scope, returned: cw.ReturnedWork) -> str:
    target = {"plan": ("casework:plan", {"plan_id": returned.record_id}),
              "assessment": ("casework:assessment", {"assessment_id": returned.record_id}),
              "closure": ("casework:episode", {"episode_id": returned.record_id}),
              "step_down": ("casework:early_help_transfer", {"early_help_transfer_id": returned.record_id})}[
                  returned.kind]
    return scope.link(returned.child_id, target)


@prepared
def _plan_reviews(ids):
    return cw.PlanReview.objects.order_by().filter(plan__child_id__in=ids).select_related("plan", "recorded_by")


def plan_reviews(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _plan_reviews(scope.ids)
    for review in rows:
        child = review.plan.child_id
        at_conference = "At a review conference." if review.conference_id else ""
        yield event(scope, child, when=review.date, title=f"{review.plan.get_kind_display()} reviewed",
                    description=sentences(at_conference, excerpt(review.summary)), by=name(review.recorded_by),
                    key=f"plan-review:{review.pk}", type="plan", step=1,
                    url=_episode_link(scope, child, review.plan.episode_id,
                                      ("casework:review", {"plan_id": review.plan_id, "review_id": review.pk}),
                                      ("casework:plan", {"plan_id": review.plan_id})))


@prepared
def _core_groups(ids):
    return cw.CoreGroup.objects.order_by().filter(plan__child_id__in=ids).select_related("plan", "recorded_by")


def core_groups(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _core_groups(scope.ids)
    for meeting in rows:
        child = meeting.plan.child_id
        yield event(scope, child, when=meeting.date, title="Core group meeting",
                    description=sentences(f"Attended: {excerpt(meeting.attendees)}.", excerpt(meeting.summary)),
                    by=name(meeting.recorded_by), key=f"core-group:{meeting.pk}", type="core_group",
                    url=_episode_link(scope, child, meeting.plan.episode_id,
                                      ("casework:core_group", {"plan_id": meeting.plan_id,
                                                                "core_group_id": meeting.pk}),
                                      ("casework:plan", {"plan_id": meeting.plan_id})))


@prepared
def _visits(ids):
    return cw.Visit.objects.order_by().filter(child_id__in=ids).select_related("worker", "recorded_by")


def visits(scope: Scope) -> Iterable[ChronologyEvent]:
    """Routine visits are not significant; a visit where the child was not seen is."""
    for visit in _visits(scope.ids):
        seen = _seen(visit.child_seen, visit.seen_alone)
        if visit.child_seen is False and visit.not_seen_reason:
            seen = f"The child was not seen: {excerpt(visit.not_seen_reason)}"
        # What the child said is the point of a visit (_voice).
        visitor = f"Visited by {visit.worker}." if visit.worker_id != visit.recorded_by_id else ""
        yield event(scope, visit.child_id, when=visit.date, title=visit.get_kind_display(),
                    description=sentences(visitor, seen, *_voice(visit, visit.childs_words, visit.observations)),
                    by=name(visit.recorded_by), key=f"visit:{visit.pk}", type="visit",
                    url=_episode_link(scope, visit.child_id, visit.episode_id,
                                      ("casework:visit", {"visit_id": visit.pk})),
                    significant=not visit.child_seen)


@prepared
def _case_notes(ids):
    return cw.CaseNote.objects.order_by().filter(child_id__in=ids).select_related("recorded_by")


def case_notes(scope: Scope) -> Iterable[ChronologyEvent]:
    """A case note is significant if its writer said so."""
    for note in _case_notes(scope.ids):
        yield event(scope, note.child_id, when=note.date, title=f"Case note: {note.subject}",
                    description=excerpt(note.body), by=name(note.recorded_by), key=f"case-note:{note.pk}",
                    type="case_note",
                    url=_episode_link(scope, note.child_id, note.episode_id,
                                      ("casework:case_note", {"case_note_id": note.pk})),
                    significant=note.significant)


@prepared
def _early_help_transfers(ids):
    return cw.EarlyHelpTransfer.objects.order_by().filter(child_id__in=ids).select_related("recorded_by")


def early_help_transfers(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = _early_help_transfers(scope.ids)
    for transfer in rows:
        provider_name = f"Early help provider: {transfer.early_help_provider}." if transfer.early_help_provider else ""
        yield event(scope, transfer.child_id, when=transfer.date, title=transfer.get_direction_display(),
                    description=sentences(provider_name, excerpt(transfer.reason)), by=name(transfer.recorded_by),
                    key=f"early-help:{transfer.pk}", type="early_help", step=2,
                    url=_episode_link(scope, transfer.child_id, transfer.episode_id,
                                      ("casework:early_help_transfer", {"early_help_transfer_id": transfer.pk})),
                    significant=True)


def register_providers() -> None:
    """Called from CaseworkConfig.ready()."""
    register(person_created, addresses, relationships, households, merges, allocations, episodes, assessments,
             strategy_discussions, section47_enquiries, conferences, plans, plan_reviews, core_groups, visits,
             case_notes, early_help_transfers, returned_work, types=EVENT_TYPES)
