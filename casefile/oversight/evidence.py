"""The records on a child's file that a management decision can weigh as evidence: each kind says how to find
the child's own records of it, how to name one, and where it is shown.

The service checks every piece of evidence against `of_child` (so a record of another child is refused), the
form offers `choices`, and the decision's page names each with `described`: one query per kind, whatever the
number of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from casefile.casework import models as cw
from casefile.core.presenters import govuk_date, govuk_datetime
from casefile.frontdoor import models as fd
from casefile.people.models import Person

# How many of each kind the form offers, newest first: the most recent records are what a decision weighs.
OFFERED_PER_KIND = 25


@dataclass(frozen=True)
class EvidenceKind:
    key: str
    of_child: Callable[[Person], QuerySet]
    name: Callable[[object], str]  # says what kind of record it is: "Case note on 3 May 2024: Phone call"
    page: tuple[str, str] | None = None  # the URL name showing one, and its argument for the record's id

    def url(self, child: Person, record_id: int) -> str:
        if self.page is None:
            return ""
        name, argument = self.page
        return reverse(name, kwargs={"person_id": child.pk, argument: record_id})


def _police(child: Person) -> QuerySet:
    named = fd.NotificationPerson.objects.filter(person=child, match=fd.NotificationPerson.Match.MATCHED)
    return fd.PoliceNotification.objects.filter(
        Q(pk__in=named.values("notification_id")) | Q(contact__children__child=child)).distinct().order_by(
        "-incident_at", "-pk")


KINDS: dict[str, EvidenceKind] = {kind.key: kind for kind in (
    EvidenceKind("assessment",
                 lambda child: cw.Assessment.objects.filter(episode__child=child).order_by("-start_date", "-pk"),
                 lambda row: f"Assessment started on {govuk_date(row.start_date)}",
                 ("casework:assessment", "assessment_id")),
    EvidenceKind("strategy_discussion",
                 lambda child: cw.StrategyDiscussion.objects.filter(episode__child=child).order_by("-date", "-pk"),
                 lambda row: f"{row.get_kind_display()} on {govuk_date(row.date)}",
                 ("casework:strategy_discussion", "strategy_discussion_id")),
    EvidenceKind("section47",
                 lambda child: cw.Section47Enquiry.objects.filter(episode__child=child).select_related(
                     "strategy_discussion").order_by("-strategy_discussion__date", "-pk"),
                 lambda row: f"Section 47 enquiry from {govuk_date(row.start_date)}",
                 ("casework:enquiry", "enquiry_id")),
    EvidenceKind("conference",
                 lambda child: cw.Conference.objects.filter(child=child).order_by("-date", "-pk"),
                 lambda row: f"{row.get_kind_display()} on {govuk_date(row.date)}",
                 ("casework:conference", "conference_id")),
    EvidenceKind("plan",
                 lambda child: cw.Plan.objects.filter(child=child).order_by("-start_date", "-pk"),
                 lambda row: f"{row.get_kind_display()} from {govuk_date(row.start_date)}",
                 ("casework:plan", "plan_id")),
    EvidenceKind("visit",
                 lambda child: cw.Visit.objects.filter(child=child).order_by("-date", "-pk"),
                 lambda row: f"{row.get_kind_display()} on {govuk_date(row.date)}",
                 ("casework:visit", "visit_id")),
    EvidenceKind("case_note",
                 lambda child: cw.CaseNote.objects.filter(child=child).order_by("-date", "-pk"),
                 lambda row: f"Case note on {govuk_date(row.date)}: {row.subject}",
                 ("casework:case_note", "case_note_id")),
    EvidenceKind("police_notification", _police,
                 lambda row: f"Police notification {row.police_reference}, incident on "
                             f"{govuk_datetime(row.incident_at)}"),
    EvidenceKind("threshold_decision",
                 lambda child: fd.ThresholdDecision.objects.filter(contact_child__child=child).order_by(
                     "-decided_at", "-pk"),
                 lambda row: f"Front-door decision on {govuk_datetime(row.decided_at)}: {row.get_outcome_display()}",
                 ("oversight:threshold_decision", "threshold_decision_id")),
)}


def value(kind: str, record_id: int) -> str:
    """How a piece of evidence travels in a form: "visit:42"."""
    return f"{kind}:{record_id}"


def parse(text: str) -> tuple[str, int] | None:
    """"visit:42" as ("visit", 42); None for anything that is not a kind and a number."""
    kind, _, number = str(text).partition(":")
    return (kind, int(number)) if kind in KINDS and number.isdigit() else None


def choices(child: Person) -> list[tuple[str, str]]:
    """The child's most recent records of each kind, as checkbox choices: one query per kind."""
    offered = []
    for kind in KINDS.values():
        for row in kind.of_child(child)[:OFFERED_PER_KIND]:
            offered.append((value(kind.key, row.pk), kind.name(row)))
    return offered


def not_the_childs(child: Person, wanted: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The pieces of evidence that are not records of this child (or not records at all)."""
    by_kind: dict[str, set[int]] = {}
    for kind, record_id in wanted:
        by_kind.setdefault(kind, set()).add(record_id)
    found = {(kind, pk) for kind, ids in by_kind.items()
             for pk in KINDS[kind].of_child(child).filter(pk__in=ids).values_list("pk", flat=True)}
    return [item for item in wanted if item not in found]


@dataclass(frozen=True)
class Described:
    text: str
    url: str


def described(child: Person, rows: Iterable) -> dict[tuple[str, int], Described]:
    """Each DecisionEvidence row's record named, with its page: one query per kind present."""
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, set()).add(row.record_id)
    named = {}
    for key, ids in by_kind.items():
        kind = KINDS.get(key)
        if kind is None:
            continue
        for record in kind.of_child(child).filter(pk__in=ids):
            named[key, record.pk] = Described(kind.name(record), kind.url(child, record.pk))
    return named
