"""Who may see and who may change a person's record: the one place where that is decided.

Each rule answers twice: `check(user, person)` for one record, computed in Python from the rows it
loads, and `people(user)` as a queryset filter for lists and search. The two are written separately
on purpose, and `access/tests/test_policy_matrix.py` proves they agree for every role and relationship.

Restricted records (adoption, staff relatives, high-profile cases) override every rule: only named
users may open them, and each opening asks for a reason (see access/views.py).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils import timezone

from casefile.access.models import AgencyShare, RestrictedAccessGrant, SharedItem
from casefile.accounts.models import CASE_HOLDING_ROLES, MANAGER_ROLES, Role, Team, User
from casefile.casework.models import Allocation, Conference, Episode
from casefile.casework.open_allocation import MANAGER_LEVELS, open_allocation
from casefile.core.prepared import prepared
from casefile.frontdoor.models import ContactAdult, ContactChild
from casefile.people.models import Person, Relationship
from casefile.quality.models import CaseSample

VIEW = "view"
EDIT = "edit"
# The longest manager chain: worker -> team manager -> service manager -> head of service, and one spare.
MAX_CHAIN = MANAGER_LEVELS
# Django drops an empty Q() from an OR, so "everyone" must be a condition that is always true.
EVERYONE = Q(pk__isnull=False)
NOBODY = Q(pk__in=[])


@dataclass(frozen=True)
class Rule:
    """`people` is the queryset filter. A rule that follows the open allocation also gives `allocations`, the same
    condition over open Allocation rows (or None for nobody), so the filter can ask about every such rule in one
    subquery: building and compiling a subquery per rule took most of a list page's time (bench/results.md)."""

    name: str
    description: str
    grants: frozenset[str]
    check: Callable[[User, Person], bool]
    people: Callable[[User], Q]
    allocations: Callable[[User], Q | None] | None = None


def _allocation_rule(name: str, description: str, grants: frozenset[str], check: Callable[[User, Person], bool],
                     allocations: Callable[[User], Q | None]) -> Rule:
    return Rule(name, description, grants, check, lambda user: _allocated_where(allocations(user)), allocations)


def _allocated_where(condition: Q | None) -> Q:
    """People whose open allocation meets the condition."""
    return NOBODY if condition is None else Q(pk__in=_allocated_ids().filter(condition))


def _allocated_ids(**filters) -> QuerySet:
    return Allocation.objects.filter(end_date__isnull=True, **filters).values("child_id")


def _today() -> datetime.date:
    return timezone.localdate()


def _is_allocated_worker(user: User, person: Person) -> bool:
    allocation = open_allocation(person)
    return allocation is not None and allocation.worker_id == user.pk


def _in_allocated_team(user: User, person: Person) -> bool:
    allocation = open_allocation(person)
    return (
        user.role in CASE_HOLDING_ROLES | MANAGER_ROLES
        and user.team_id is not None
        and allocation is not None
        and allocation.team_id == user.team_id
    )


def _team_allocations(user: User) -> Q | None:
    if user.role not in CASE_HOLDING_ROLES | MANAGER_ROLES or user.team_id is None:
        return None
    return Q(team_id=user.team_id)


def _in_manager_chain(user: User, person: Person) -> bool:
    allocation = open_allocation(person)
    return allocation is not None and user in allocation.worker.manager_chain()


@prepared
def _reports_of(user_id: int) -> QuerySet:
    below = Q(manager=user_id)
    for depth in range(1, MAX_CHAIN):
        below |= Q(**{"manager" + "__manager" * depth: user_id})
    return User.objects.filter(below).values_list("pk", flat=True)


def _reports(user: User) -> list[int]:
    """Staff who report to the user, directly or through their managers (to MAX_CHAIN levels): one small query."""
    return _reports_of(user.pk)


def _manager_chain_allocations(user: User) -> Q | None:
    reports = _reports(user)
    return Q(worker_id__in=reports) if reports else None


def _is_waiting_for_a_worker(user: User, person: Person) -> bool:
    return (
        user.role in MANAGER_ROLES
        and open_allocation(person) is None
        and any(episode.closure_date is None for episode in person.episodes.all())
    )


def _people_waiting_for_a_worker(user: User) -> Q:
    if user.role not in MANAGER_ROLES:
        return NOBODY
    open_episodes = Episode.objects.filter(closure_date__isnull=True).values("child_id")
    return Q(pk__in=open_episodes) & ~Q(pk__in=_allocated_ids())


def works_at_front_door(user: User) -> bool:
    """Front-door practitioners, and the social workers and managers of a front-door team (the MASH)."""
    if user.role == Role.FRONT_DOOR:
        return True
    return (user.role in CASE_HOLDING_ROLES | MANAGER_ROLES and user.team is not None
            and user.team.kind == Team.Kind.FRONT_DOOR)


def _front_door_people(user: User) -> Q:
    return EVERYONE if works_at_front_door(user) else NOBODY


def _at_front_door(user: User, person: Person) -> bool:
    """The person is on a contact the front door holds now: a child not yet concluded, or an adult on an open
    contact. Adults related to such a child follow the child (see _check)."""
    if not works_at_front_door(user):
        return False
    if person.kind == Person.Kind.CHILD:
        return any(link.concluded_at is None for link in person.contacts.all())
    return any(link.contact.concluded_at is None for link in person.contacts_as_adult.select_related("contact"))


def _people_at_front_door(user: User) -> Q:
    if not works_at_front_door(user):
        return NOBODY
    return (Q(pk__in=ContactChild.objects.filter(concluded_at__isnull=True).values("child_id"))
            | Q(pk__in=ContactAdult.objects.filter(contact__concluded_at__isnull=True).values("person_id")))


def _has_role(*roles: Role) -> Callable[[User, Person], bool]:
    return lambda user, person: user.role in roles


def _everyone_for(*roles: Role) -> Callable[[User], Q]:
    return lambda user: EVERYONE if user.role in roles else NOBODY


def _chairs(user: User, person: Person) -> bool:
    return user.role == Role.CONFERENCE_CHAIR and any(c.chair_id == user.pk for c in person.conferences.all())


def _chaired_people(user: User) -> Q:
    if user.role != Role.CONFERENCE_CHAIR:
        return NOBODY
    return Q(pk__in=Conference.objects.filter(chair=user).values("child_id"))


def _samples(user: User, person: Person) -> bool:
    return user.role == Role.QA_OFFICER and any(
        s.officer_id == user.pk and s.closed_on is None for s in person.qa_samples.all()
    )


def _sampled_people(user: User) -> Q:
    if user.role != Role.QA_OFFICER:
        return NOBODY
    return Q(pk__in=CaseSample.objects.filter(officer=user, closed_on__isnull=True).values("child_id"))


def _audits_as_partner(user: User, person: Person) -> bool:
    """A partner auditor of a multi-agency case file audit, while the child sampled to them is (quality.SampledChild
    opens it with a CaseSample, closed when the round closes)."""
    return user.role == Role.PARTNER_VIEWER and any(
        s.officer_id == user.pk and s.closed_on is None for s in person.qa_samples.all()
    )


def _people_audited_as_partner(user: User) -> Q:
    if user.role != Role.PARTNER_VIEWER:
        return NOBODY
    return Q(pk__in=CaseSample.objects.filter(officer=user, closed_on__isnull=True).values("child_id"))


def _shared_with_agency(user: User, person: Person) -> bool:
    today = _today()
    return (
        user.role == Role.PARTNER_VIEWER
        and bool(user.agency)
        and any(s.agency == user.agency and s.expires_on >= today for s in person.agency_shares.all())
    )


def _agency_people(user: User) -> Q:
    if user.role != Role.PARTNER_VIEWER or not user.agency:
        return NOBODY
    shares = AgencyShare.objects.filter(agency=user.agency, expires_on__gte=_today())
    return Q(pk__in=shares.values("child_id"))


def _recorded_it(user: User, person: Person) -> bool:
    return person.created_by_id == user.pk and open_allocation(person) is None


def _recorded_people(user: User) -> Q:
    return Q(created_by=user) & ~Q(pk__in=_allocated_ids())


RULES: tuple[Rule, ...] = (
    _allocation_rule("allocated_worker", "The child's allocated worker", frozenset({VIEW, EDIT}),
                     _is_allocated_worker, lambda user: Q(worker=user)),
    _allocation_rule("team", "Practitioners and managers in the allocated team", frozenset({VIEW, EDIT}),
                     _in_allocated_team, _team_allocations),
    _allocation_rule("manager_chain", "The allocated worker's managers, up to the head of service",
                     frozenset({VIEW, EDIT}), _in_manager_chain, _manager_chain_allocations),
    Rule("waiting_for_a_worker", "Managers, for children with an open case and no allocated worker",
         frozenset({VIEW, EDIT}), _is_waiting_for_a_worker, _people_waiting_for_a_worker),
    Rule("front_door", "Front-door staff, who must see history before any decision",
         frozenset({VIEW}), lambda user, person: works_at_front_door(user), _front_door_people),
    # Reading everyone's history is not changing it: the front door changes only the people on the contacts it
    # holds now (955 of 958 people were theirs to change before).
    Rule("front_door_contact", "Front-door staff, while the person is on a contact the front door holds",
         frozenset({VIEW, EDIT}), _at_front_door, _people_at_front_door),
    Rule("conference_chair", "Chairs and IROs of the child's conferences", frozenset({VIEW, EDIT}),
         _chairs, _chaired_people),
    Rule("qa_sample", "Quality-assurance officers auditing the case", frozenset({VIEW}),
         _samples, _sampled_people),
    Rule("partner_agency", "A partner agency the record is shared with, read-only", frozenset({VIEW}),
         _shared_with_agency, _agency_people),
    Rule("partner_audit_sample", "A partner agency's auditor, for a child sampled to them in a multi-agency audit",
         frozenset({VIEW}), _audits_as_partner, _people_audited_as_partner),
    # Whoever recorded someone may open what they typed, until a worker is allocated (they got a 404 before).
    Rule("recorded_by", "Recorded this person, who has no allocated worker yet", frozenset({VIEW, EDIT}),
         _recorded_it, _recorded_people),
    Rule("administrator", "Administrators", frozenset({VIEW, EDIT}),
         _has_role(Role.ADMINISTRATOR), _everyone_for(Role.ADMINISTRATOR)),
)


def _is_named_on_restriction(user: User, person: Person) -> bool:
    return any(g.user_id == user.pk and g.revoked_at is None for g in person.restricted_grants.all())


def _named_restricted_people(user: User) -> Q:
    return Q(pk__in=RestrictedAccessGrant.objects.filter(user=user, revoked_at__isnull=True).values("child_id"))


def _direct_check(user: User, person: Person, capability: str) -> bool:
    if person.is_restricted:
        return _is_named_on_restriction(user, person)
    return any(capability in rule.grants and rule.check(user, person) for rule in RULES)


def _ordinary_people(user: User, capability: str) -> Q:
    """Unrestricted people the rules open to the user: EVERYONE, NOBODY, or as few subqueries as the rules allow
    (every rule that follows the open allocation shares one)."""
    rules = [rule for rule in RULES if capability in rule.grants]
    on_allocations = [rule.allocations(user) for rule in rules if rule.allocations is not None]
    conditions = [rule.people(user) for rule in rules if rule.allocations is None]
    if any(condition is EVERYONE for condition in conditions):
        return EVERYONE
    conditions = [condition for condition in conditions if condition is not NOBODY]
    allocation_conditions = [condition for condition in on_allocations if condition is not None]
    if allocation_conditions:
        conditions.insert(0, _allocated_where(reduce(operator.or_, allocation_conditions)))
    return reduce(operator.or_, conditions) if conditions else NOBODY


def _direct_people(user: User, capability: str, ordinary: Q | None = None) -> Q:
    ordinary = _ordinary_people(user, capability) if ordinary is None else ordinary
    if ordinary is NOBODY:
        return ~Q(restriction="") & _named_restricted_people(user)
    return (Q(restriction="") & ordinary) | (~Q(restriction="") & _named_restricted_people(user))


# Adults are seen through the children they are related to: a parent's record opens to whoever may open
# the child's. A child's record opens only through the rules above.
def _related_children(person: Person) -> list[Person]:
    links = Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative")
    return [
        other
        for link in links
        for other in (link.person, link.relative)
        if other.pk != person.pk and other.kind == Person.Kind.CHILD
    ]


def _check(user: User, person: Person, capability: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if _direct_check(user, person, capability):
        return True
    if person.kind == Person.Kind.ADULT and not person.is_restricted:
        return any(_direct_check(user, child, capability) for child in _related_children(person))
    return False


def _people(user: User, capability: str, queryset: QuerySet | None, children_only: bool = False,
            ordinary: Q | None = None) -> QuerySet:
    queryset = Person.objects.all() if queryset is None else queryset
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    ordinary = _ordinary_people(user, capability) if ordinary is None else ordinary
    if ordinary is EVERYONE:  # every unrestricted person, adults included: no need to go through the children
        return queryset.filter(Q(restriction="") | _named_restricted_people(user))
    direct = _direct_people(user, capability, ordinary)
    if children_only:
        return queryset.filter(direct, kind=Person.Kind.CHILD)
    direct_children = Person.objects.filter(direct, kind=Person.Kind.CHILD).values("pk")
    related_adults = Q(kind=Person.Kind.ADULT, restriction="") & (
        Q(pk__in=Relationship.objects.filter(relative__in=direct_children).values("person_id"))
        | Q(pk__in=Relationship.objects.filter(person__in=direct_children).values("relative_id"))
    )
    return queryset.filter(direct | related_adults)


def can_view(user: User, person: Person) -> bool:
    return _check(user, person, VIEW)


def can_edit(user: User, person: Person) -> bool:
    return _check(user, person, EDIT)


def viewable_people(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Every list or search of people goes through this filter."""
    return _people(user, VIEW, queryset)


def editable_people(user: User, queryset: QuerySet | None = None) -> QuerySet:
    return _people(user, EDIT, queryset)


def viewable_children(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """viewable_people for lists of children only: the same answer, without the adults' half of the filter."""
    return _people(user, VIEW, queryset, children_only=True)


def viewable_ids(user: User, ids: Iterable[int], children_only: bool = False) -> set[int]:
    """Which of these people the user may see: the access filter over these ids alone, for rows read first and
    checked after (a few escalations or returns). Built over everyone a manager may see, the filter cost a manager's
    my work 60 ms a list on the medium authority. No query when there are no ids. `children_only` (for ids of
    children) leaves out the adults' half of the filter, as viewable_children does."""
    ids = set(ids)
    if not ids:
        return set()
    asked = Person.objects.filter(pk__in=ids)
    if children_only or not (user.is_authenticated and user.is_active):
        return set(_people(user, VIEW, asked, children_only).values_list("pk", flat=True))
    ordinary = _ordinary_people(user, VIEW)  # built once: it reads the user's reports (_reports_of)
    if ordinary is EVERYONE:
        return set(_people(user, VIEW, asked, ordinary=ordinary).values_list("pk", flat=True))
    # An adult is seen through a related child (see _people). Asked in one query, the database works out every
    # child the user may see and every adult related to one, whatever the ids: so the children asked about are
    # those related to these adults only (up to four queries, each by the ids).
    direct = _direct_people(user, VIEW, ordinary)
    seen = set(asked.filter(direct).values_list("pk", flat=True))
    adults = set(Person.objects.filter(pk__in=ids - seen, kind=Person.Kind.ADULT, restriction="")
                 .values_list("pk", flat=True))
    if not adults:
        return seen
    related: dict[int, set[int]] = {adult: set() for adult in adults}
    for person_id, relative_id in Relationship.objects.filter(Q(person__in=adults) | Q(relative__in=adults)) \
            .values_list("person_id", "relative_id"):
        related.get(person_id, set()).add(relative_id)
        related.get(relative_id, set()).add(person_id)
    others = set().union(*related.values())
    children = set(Person.objects.filter(direct, pk__in=others, kind=Person.Kind.CHILD)
                   .values_list("pk", flat=True)) if others else set()
    return seen | {adult for adult, people in related.items() if people & children}


def viewable_beside(user: User, child: Person, relatives: Iterable[Person], others: Iterable[int] = ()) -> set[int]:
    """Which of the people shown on a child's record the user may see: `relatives` (each with a relationship to the
    child) and `others` (ids: the household's members). An unrestricted adult related to a child the user may see
    is seen through that child (see _people), so when the user may see `child` its related adults are known
    without a query; the rest are asked of viewable_ids."""
    relatives = list(relatives)
    known: set[int] = set()
    if child.kind == Person.Kind.CHILD and can_view(user, child):
        known = {person.pk for person in relatives if person.kind == Person.Kind.ADULT and not person.is_restricted}
    return known | viewable_ids(user, ({person.pk for person in relatives} | set(others)) - known)


def matchable_people(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Records that may count in this user's duplicate checks, shown or not: never a restricted record unless
    the user is named on it, so a match (or the page that asks about one) does not reveal that it exists."""
    queryset = Person.objects.all() if queryset is None else queryset
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(Q(restriction="") | _named_restricted_people(user))


def can_change_contact_about(user: User, person: Person) -> bool:
    """A contact is the front door's own record, kept after its children leave (the referrer's letter is written
    then): front-door staff and administrators change a contact about anyone they may see. The child's own
    record they change only while the child is at the front door (the front_door_contact rule)."""
    return (works_at_front_door(user) or user.role == Role.ADMINISTRATOR) and can_view(user, person)


# The pages of a record a partner agency may open, and the shared item each needs (None: who the child is, always
# shared). Any other page of the record answers 404 to a partner, as one never shared would.
PARTNER_PAGES: dict[str, str | None] = {
    "people:record": None,
    "people:chronology": SharedItem.CHRONOLOGY,
    # Partners never take the record away: these answer 403 saying so (can_export).
    "people:chronology_export": SharedItem.CHRONOLOGY,
    "people:chronology_print": SharedItem.CHRONOLOGY,
    "people:chronology_download": SharedItem.CHRONOLOGY,
    "casework:episodes": SharedItem.EPISODES,
    "casework:episode": SharedItem.EPISODES,
    "casework:assessment": SharedItem.EPISODES,
    "casework:strategy_discussion": SharedItem.EPISODES,
    "casework:enquiry": SharedItem.EPISODES,
    "casework:conference": SharedItem.CONFERENCES,
    "casework:plans": SharedItem.PLANS,
    "casework:plan": SharedItem.PLANS,
    "casework:review": SharedItem.PLANS,
    "casework:core_group": SharedItem.PLANS,
    "casework:visit": SharedItem.VISITS,
    "casework:case_notes": SharedItem.CASE_NOTES,
    "casework:case_note": SharedItem.CASE_NOTES,
}


# The pages of a case file audit a partner auditor opens, for a child sampled to them: grading it, and seeing it.
# Never the list of the child's other audits, nor setting actions (the authority's own).
AUDIT = "case_file_audit"
PARTNER_AUDIT_PAGES: dict[str, str | None] = {
    "quality:grade_audit": AUDIT,
    "quality:audit": AUDIT,
}


def shared_items(user: User, person: Person) -> frozenset[str]:
    """The items of this record shared with the user's agency now, across its current shares. A partner auditing
    the child in a multi-agency case file audit reads the whole record, as a QA officer sampling it does, and opens
    the audit's pages."""
    if user.role != Role.PARTNER_VIEWER:
        return frozenset()
    if _audits_as_partner(user, person):
        return frozenset({*SharedItem.values, AUDIT})
    if not user.agency:
        return frozenset()
    today = _today()
    return frozenset(item for share in person.agency_shares.all()
                     if share.agency == user.agency and share.expires_on >= today for item in share.items)


# The chronology's event types a partner agency with the chronology shared sees, and the item each also needs
# (None: who the child is, always shared). A type not named here is never in a partner's chronology, as a page not
# in PARTNER_PAGES is never open: case supervision, chair and IRO challenge, the front door's own records, and any
# type added later. A management decision is shown only when it is marked shareable with the family (the event
# says so), in the family's words.
PARTNER_CHRONOLOGY_TYPES: dict[str, str | None] = {
    "record": None,
    "allocation": None,
    "referral": SharedItem.EPISODES,
    "assessment": SharedItem.EPISODES,
    "strategy": SharedItem.EPISODES,
    "section47": SharedItem.EPISODES,
    "early_help": SharedItem.EPISODES,
    "closure": SharedItem.EPISODES,
    "conference": SharedItem.CONFERENCES,
    "plan": SharedItem.PLANS,
    "core_group": SharedItem.PLANS,
    "visit": SharedItem.VISITS,
    "case_note": SharedItem.CASE_NOTES,
    "management_decision": None,
}


@dataclass(frozen=True)
class ChronologyShare:
    """What of a record's chronology a partner agency is shown: the event types, and the pages it may follow."""

    types: frozenset[str]
    items: frozenset[str]

    def may_follow(self, page: str) -> bool:
        return page in PARTNER_PAGES and (PARTNER_PAGES[page] is None or PARTNER_PAGES[page] in self.items)


def chronology_share(user: User, person: Person) -> ChronologyShare | None:
    """What of the record's chronology the user is shown: None (all of it) for anyone but a partner agency; a
    partner, the types of the items shared with it (nothing unless the chronology itself is shared)."""
    if user.role != Role.PARTNER_VIEWER:
        return None
    items = shared_items(user, person)
    types = frozenset(kind for kind, needed in PARTNER_CHRONOLOGY_TYPES.items()
                      if SharedItem.CHRONOLOGY in items and (needed is None or needed in items))
    return ChronologyShare(types, items)


def can_open_page(user: User, person: Person, page: str) -> bool:
    """Whether this page of a record the user may see is theirs to open: a partner agency sees who the child is
    and the pages of the items shared with it, never every case note of a shared child; anyone else, every page
    of a record they may see."""
    if user.role != Role.PARTNER_VIEWER:
        return True
    pages = {**PARTNER_PAGES, **PARTNER_AUDIT_PAGES}
    if page not in pages:
        return False
    needed = pages[page]
    return needed is None or needed in shared_items(user, person)


def can_export(user: User, person: Person) -> bool:
    """Exporting or printing a whole record: anyone who may see it, except partner agencies, who are shown
    only what is shared with them and never take the full record away."""
    return user.role != Role.PARTNER_VIEWER and can_view(user, person)


def can_see_viewers(user: User) -> bool:
    """Who may see "who has viewed this record" (for a record they may already open): managers and admins."""
    return user.role in MANAGER_ROLES or user.role == Role.ADMINISTRATOR


def reasons_for_access(user: User, person: Person) -> list[str]:
    """Plain-English reasons this user may see this record, for the record page and for audits."""
    if person.is_restricted:
        return ["Named on this restricted record"] if _is_named_on_restriction(user, person) else []
    return [rule.description for rule in RULES if rule.check(user, person)]


# Staff supervision ---------------------------------------------------------------------------------------
# A worker's own supervision (wellbeing, caseload, learning and development) is about them, never a child, so it
# is on no child's file and follows none of the rules above: the worker sees it, so do the managers above them
# (their line manager and up, and the manager of their team and up) and administrators; nobody else.

# The paths from a worker to the managers above them: line managers, and their team's manager and theirs.
OVERSIGHT_PATHS = tuple(["manager" + "__manager" * depth for depth in range(MAX_CHAIN)]
                        + ["team__manager" + "__manager" * depth for depth in range(MAX_CHAIN)])


def oversees_worker(user: User, worker: User) -> bool:
    """Whether the user is above the worker: in their line management chain, or their team's manager's."""
    if user.pk == worker.pk:
        return False
    if user in worker.manager_chain():
        return True
    team_manager = worker.team.manager if worker.team_id else None
    return team_manager is not None and (team_manager == user or user in team_manager.manager_chain())


def workers_overseen_by(user: User) -> QuerySet:
    """Active staff the user is above (oversees_worker, as a queryset): whom they supervise, or whose
    supervisors they manage."""
    if not (user.is_authenticated and user.is_active):
        return User.objects.none()
    above = NOBODY
    for path in OVERSIGHT_PATHS:
        above |= Q(**{path: user})
    return User.objects.filter(above, is_active=True).exclude(pk=user.pk)


def can_see_staff_supervision(user: User, worker: User) -> bool:
    """The worker themselves, the managers above them, and administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.pk == worker.pk or user.role == Role.ADMINISTRATOR or oversees_worker(user, worker)


def staff_supervision_workers(user: User) -> QuerySet:
    """Whose staff supervision the user may see (can_see_staff_supervision, as a queryset of staff)."""
    if not (user.is_authenticated and user.is_active):
        return User.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return User.objects.all()
    above = Q(pk=user.pk)
    for path in OVERSIGHT_PATHS:
        above |= Q(**{path: user})
    return User.objects.filter(above)
