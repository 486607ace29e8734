"""The front door's chronology provider: contacts, authorised threshold decisions, handovers, letters to
referrers and police notifications, registered from FrontDoorConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from casefile.casework.chronology.registry import (
    ChronologyEvent,
    Scope,
    event,
    excerpt,
    local_day,
    name,
    register,
    sentences,
    time_of_day,
)
from casefile.core.prepared import prepared
from casefile.frontdoor import models as fd
from casefile.frontdoor.standards import front_door_settings

EVENT_TYPES = {"front_door": "Front door: contacts, threshold decisions and police notifications"}

# Front-door events are dated by day, ordered within the day by `step`, so a contact, its decision, the
# step-down or referral it led to, the handover and the referrer's letter read as one line, in that order.


@prepared
def _contact_links(ids):
    return fd.ContactChild.objects.order_by().filter(child_id__in=ids).select_related(
        "contact__recorded_by", "decision__decided_by", "decision__authorised_by", "handover__to_team",
        "handover__handed_over_by")


@prepared
def _letters_sent(contact_ids):
    return fd.ReferrerLetter.objects.order_by().filter(
        contact_id__in=contact_ids, sent_at__isnull=False).select_related("contact", "sent_by")


def front_door(scope: Scope) -> Iterable[ChronologyEvent]:
    """Contacts, authorised threshold decisions, handovers and letters to referrers: two queries."""
    links = _contact_links(scope.ids)
    for link in links:
        yield from _contact_events(scope, link)
    contacts = {link.contact_id: [] for link in links}
    for link in links:
        contacts[link.contact_id].append(link.child_id)
    letters = _letters_sent(list(contacts))
    for letter in letters:
        method = f" by {letter.get_method_display().lower()}" if letter.method else ""
        for child_id in contacts[letter.contact_id]:
            yield event(scope, child_id, when=local_day(letter.sent_at), title="Referrer told the outcome",
                        description=sentences(f"Letter to {letter.contact.referrer_name or 'the referrer'} sent"
                                              f"{method} at {time_of_day(letter.sent_at)}"),
                        by=name(letter.sent_by), key=f"referrer-letter:{letter.pk}:{child_id}", type="front_door",
                        step=5)


def _contact_events(scope: Scope, link) -> Iterable[ChronologyEvent]:
    contact = link.contact
    referrer = ", ".join(part for part in (contact.referrer_name, contact.referrer_organisation) if part)
    source = contact.get_source_display().lower() + (f" ({referrer})" if referrer else "")
    yield event(scope, link.child_id, when=local_day(contact.received_at), title="Contact received at the front door",
                description=sentences(f"Received at {time_of_day(contact.received_at)} from {source}",
                                      excerpt(contact.summary)),
                by=name(contact.recorded_by), key=f"contact:{link.pk}", type="front_door", significant=True)
    decision = getattr(link, "decision", None)
    if decision is not None and decision.authorised_at:
        level = front_door_settings().level(decision.level)
        provider_name = (f"Early help provider: {decision.early_help_provider}"
                         if decision.outcome == "early_help" and decision.early_help_provider else "")
        yield event(scope, link.child_id, when=local_day(decision.authorised_at),
                    title=f"Front-door decision: {decision.get_outcome_display()}",
                    description=sentences(level.label if level else f"Level {decision.level}", provider_name,
                                          f"Decided by {decision.decided_by}, authorised by "
                                          f"{decision.authorised_by}"),
                    by=name(decision.authorised_by), key=f"threshold-decision:{decision.pk}", type="front_door",
                    significant=True, step=1)
    handover = getattr(link, "handover", None)
    if handover is not None:
        yield event(scope, link.child_id, when=local_day(handover.handed_over_at),
                    title=f"Handed over to {handover.to_team}", description=excerpt(handover.summary),
                    by=name(handover.handed_over_by), key=f"handover:{handover.pk}", type="front_door", step=4)


@prepared
def _notifications_naming(ids):
    """Notifications naming one of these people as a confirmed match, or on a contact (not discarded)."""
    return fd.NotificationPerson.objects.order_by().filter(person_id__in=ids).filter(
        Q(match=fd.NotificationPerson.Match.MATCHED) | Q(notification__contact__isnull=False)).exclude(
        notification__batch__status=fd.ImportBatch.Status.DISCARDED).values_list("notification_id", flat=True)


@prepared
def _notifications_on_contacts_about(ids):
    return fd.ContactChild.objects.order_by().filter(
        child_id__in=ids, contact__police_notification__isnull=False).values_list(
        "contact__police_notification", flat=True)


@prepared
def _police_notifications(notification_ids):
    return fd.PoliceNotification.objects.order_by().filter(pk__in=notification_ids).annotate(
        person_id=models.F("people__person_id"), contact_child_id=models.F("contact__children__child_id"))


def police_notifications(scope: Scope) -> Iterable[ChronologyEvent]:
    """Police notifications naming the person (a confirmed match) or on a contact about them: two queries, and a
    third when there are some."""
    seen: set[tuple[int, int]] = set()
    # The notifications' ids first, each by an index (nearly always none): as one query with both conditions as
    # subqueries, PostgreSQL read every notification, and planning it took longer than running it.
    found = sorted({*_notifications_naming(scope.ids), *_notifications_on_contacts_about(scope.ids)})
    for row in _police_notifications(found):
        for child_id in {row.person_id, row.contact_child_id} & set(scope.ids):
            if (row.pk, child_id) in seen:
                continue
            seen.add((row.pk, child_id))
            yield event(scope, child_id, when=local_day(row.incident_at),
                        title=f"Police notification: domestic abuse incident ({row.police_reference})",
                        description=sentences(f"DASH risk {row.get_dash_risk_display().lower()}",
                                              f"Children present: {row.get_children_present_display().lower()}",
                                              f"Officer: {row.officer_name}", excerpt(row.summary)),
                        key=f"police:{row.pk}:{child_id}", type="front_door", significant=row.dash_risk == "high",
                        step=-1)


def register_providers() -> None:
    """Called from FrontDoorConfig.ready()."""
    register(front_door, police_notifications, types=EVENT_TYPES)
