"""The record as the indicators read it (casefile/rules/indicators), in a fixed number of queries whatever the size
of the authority: one values_list() over each table, everything started by the last day of the latest period.

Annex A's `returns/annex_a.load()` reads the same tables for an inspection's look-back (six and twelve months, without
the contact's decision or the records' ids), so a trend over four years cannot be read from it. A merged record's rows
count under the record it was merged into, as there (`annex_a.kept`), read from the merged records alone rather than
every child's characteristics. Rows are made straight in the indicators' own shapes (`ROWS`), so the rules use them
without a copy. No names and no free text are read: only ids, dates and codes.

A page showing one figure (the children behind it) reads only the tables that figure reads, and in each only the
rows that reach its period or the look-back it declares (`Indicator.reads`): on a large authority, a year or two
of one table rather than ten years of all of them. test_narrowed_load.py holds every figure read that way equal
to the figure from the whole record.

Workers are the staff whose employment is recorded as permanent or agency (accounts.WorkerRecord), each in their
team as it is now, case-holding when their role may hold cases; posts are the establishment (accounts.Post).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from casefile.access.permissions import role_holds_cases
from casefile.accounts.models import EmploymentType, Post, WorkerRecord
from casefile.casework import models as cw
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Person
from casefile.rules.indicators import ROWS, Cohort
from casefile.rules.indicators.core import Window

# Queries load() runs, whatever the number of children (a test holds it to this).
QUERIES = 13
TABLES = ("contacts", "episodes", "assessments", "strategy_discussions", "enquiries", "initial_conferences", "plans",
          "cp_visits", "early_help", "allocations", "workers", "posts")


def _local_day(moment: str, zone) -> datetime.date:
    """The day, where the authority is, of a moment the database gives as text: a contact's time is read as text
    and parsed here, several times faster than Django's own conversion over a year's contacts. SQLite keeps it in
    UTC without an offset; PostgreSQL gives the offset."""
    parsed = datetime.datetime.fromisoformat(moment)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)).astimezone(zone).date()


def _local_days(moments: Iterable[str], zone) -> Iterator[datetime.date]:
    """`_local_day` of each moment, each hour of the database's clock worked out once: ten years of contacts fall in
    under 90,000 hours. An hour is remembered only when it falls on one local day from its start to its end (not
    where the zone's offset from the database's is part of an hour)."""
    hours: dict[str, datetime.date] = {}
    for moment in moments:
        offset = moment[19:].lstrip(".0123456789")  # "+00" from PostgreSQL; none from SQLite
        hour = moment[:13] + offset  # "2025-04-01 09+00"
        day = hours.get(hour)
        if day is None:
            day = _local_day(moment, zone)
            if _local_day(f"{moment[:13]}:00:00{offset}", zone) == _local_day(f"{moment[:13]}:59:59{offset}", zone):
                hours[hour] = day
        yield day


def _contacts_in(rows: list[tuple], zone, merged: dict[int, int]) -> list:
    """The contacts' rows from rows giving (id, child, the moment received as text, the decision's outcome)."""
    days = _local_days([row[2] for row in rows], zone)
    child = merged.get
    return [ROWS["contacts"](pk, child(person, person), day, outcome or "")
            for (pk, person, _, outcome), day in zip(rows, days, strict=True)]


# Tables read through Django's conversion of each value: their full-time equivalents are decimals, which SQLite's
# driver gives as floats. They are a few hundred rows; every other table is read with _rows.
CONVERTED = frozenset({"workers", "posts"})


def _rows(query) -> list[tuple]:
    """A values_list() query's rows as the database driver gives them. The columns read here (ids, dates, codes,
    flags and text) come from SQLite's and PostgreSQL's drivers as the Python values Django would give, so Django's
    conversion of each value is skipped: it doubled the time to read ten years of the record (test_clinic.py holds
    the two equal)."""
    try:
        sql, params = query.query.get_compiler(query.db).as_sql()
    except EmptyResultSet:  # a filter nothing can match, such as no teams: Django itself answers with no rows
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _reaching(since: datetime.date, zone, *, starts: tuple[str, ...] = (), ends: tuple[str, ...] = ()) -> Q:
    """Rows with a start or end on or after `since`, or not ended (an end that is empty)."""
    moment = datetime.datetime.combine(since, datetime.time(), tzinfo=zone)
    found = Q()
    for name in starts:
        found |= Q(**{f"{name}__gte": moment if name.endswith("_at") else since})
    for name in ends:
        found |= Q(**{f"{name}__gte": since}) | Q(**{f"{name}__isnull": True})
    return found


# The dates each table is narrowed by when a window asks for rows from a day on (rules.indicators.core.Window).
REACH = {
    "contacts": {"starts": ("contact__received_at",)},
    "episodes": {"starts": ("referral_date",), "ends": ("closure_date",)},
    "assessments": {"starts": ("start_date",), "ends": ("authorised_on",)},
    "strategy_discussions": {"starts": ("date",)},
    "enquiries": {"starts": ("strategy_discussion__date",)},
    "initial_conferences": {"starts": ("date",)},
    "plans": {"starts": ("start_date",), "ends": ("end_date",)},
    # A plan's visits are read whole while the plan reaches the window: its last visit may be before it.
    "cp_visits": {"starts": ("date",), "ends": ("plan__end_date",)},
    "early_help": {"starts": ("date",)},
    "allocations": {"starts": ("start_date",), "ends": ("end_date",)},
}


def queries(end: datetime.date) -> dict:
    """The values_list() query of each table (TABLES) for every row started by `end`, before any narrowing."""
    # Received by the end of the day `end`, local time, compared as a moment (no date function run on every row).
    zone = timezone.get_current_timezone()
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    contacts = ContactChild.objects.filter(contact__received_at__lt=until).order_by().values_list(
        "id", "child_id", Cast("contact__received_at", CharField()), "decision__outcome")
    episodes = cw.Episode.objects.filter(referral_date__lte=end).order_by().values_list(
        "id", "child_id", "referral_date", "referral_nfa", "closure_date", "closure_reason")
    assessments = cw.Assessment.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "episode__child_id", "episode_id", "start_date", "authorised_on")
    discussions = cw.StrategyDiscussion.objects.filter(date__lte=end).order_by().values_list(
        "id", "episode__child_id", "date", "enquiry__id")
    enquiries = cw.Section47Enquiry.objects.filter(strategy_discussion__date__lte=end).order_by().values_list(
        "id", "episode__child_id", "strategy_discussion__date", "icpc_not_required")
    conferences = cw.Conference.objects.filter(kind=cw.Conference.Kind.INITIAL, date__lte=end).order_by().values_list(
        "id", "child_id", "enquiry_id", "date", "decision")
    plans = cw.Plan.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "child_id", "kind", "start_date", "end_date", "visit_interval_working_days")
    visits = cw.Visit.objects.filter(child_seen=True, kind=cw.Visit.Kind.CHILD_PROTECTION, plan__isnull=False,
                                     date__lte=end).order_by().values_list("id", "plan_id", "date", "seen_alone")
    # A step-down a worker proposed counts once a manager has signed it off (as Annex A list 2 reads it).
    step_downs = cw.EarlyHelpTransfer.objects.filter(
        direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN, date__lte=end).exclude(
        proposed_on__isnull=False, signed_off_on__isnull=True).order_by().values_list("id", "child_id", "date")
    allocations = cw.Allocation.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "child_id", "start_date", "end_date", "team_id", "worker_id")
    # The workforce census counts permanent and agency workers; "other" (students, secondees) counts in neither.
    workers = WorkerRecord.objects.filter(
        employment_type__in=[EmploymentType.PERMANENT, EmploymentType.AGENCY], started_on__lte=end).order_by(
        ).values_list("user_id", "user__team_id", "employment_type", "started_on", "left_on", "fte", "user__role")
    posts = Post.objects.filter(starts_on__lte=end).order_by().values_list(
        "id", "team_id", "fte", "starts_on", "ends_on", "holder_id")
    return {"contacts": contacts, "episodes": episodes, "assessments": assessments,
               "strategy_discussions": discussions, "enquiries": enquiries, "initial_conferences": conferences,
               "plans": plans, "cp_visits": visits, "early_help": step_downs, "allocations": allocations,
               "workers": workers, "posts": posts}


def load(end: datetime.date, reads: Window | None = None, held_by: dict | None = None) -> Cohort:
    """Every row the indicators read that started by `end` (later rows cannot count in any period up to it).

    With `reads` (rules.indicators.core.window), only those tables, and in each only the rows reaching the day given
    (all of them for None): a page showing one figure reads a year or two of one table, not ten years of all.

    With `held_by` (lookups on an allocation: {"team_id__in": ids} or {"worker_id": id}), allocations are read only
    for the children who were ever allocated that way, and every child in a merge: all a team's or a worker's
    children can then be found (rules.indicators.core.allocated_on) without reading every other child's."""
    reads = dict.fromkeys(TABLES) if reads is None else reads
    merged = dict(Person.objects.filter(merged_into__isnull=False).order_by().values_list("id", "merged_into_id"))

    # A merged record's rows count under the record it was merged into: child(person, person).
    child = merged.get

    zone = timezone.get_current_timezone()
    tables = queries(end)
    read = {}
    for table, since in reads.items():
        query = tables[table]
        if since is not None and table in REACH:  # workers and posts are few: always read whole
            query = query.filter(_reaching(since, zone, **REACH[table]))
        if table == "allocations" and held_by:
            ever = cw.Allocation.objects.filter(start_date__lte=end, **held_by).values("child_id")
            query = query.filter(Q(child_id__in=ever) | Q(child_id__in={*merged, *merged.values()}))
        read[table] = query
    made = {
        "contacts": lambda rows: _contacts_in(rows, zone, merged),
        "plans": lambda rows: [ROWS["plans"](pk, child(person, person), kind, start, ended, None, interval)
                               for pk, person, kind, start, ended, interval in rows],
        "cp_visits": lambda rows: list(map(ROWS["cp_visits"]._make, rows)),
        "workers": lambda rows: [ROWS["workers"](pk, team, kind, start, left, float(fte), role_holds_cases(role))
                                 for pk, team, kind, start, left, fte, role in rows],
        "posts": lambda rows: [ROWS["posts"](pk, team, float(fte), start, ended, holder)
                               for pk, team, fte, start, ended, holder in rows],
    }

    def by_child(table):
        return lambda rows: [ROWS[table](pk, child(person, person), *rest) for pk, person, *rest in rows]

    return Cohort(**{table: made.get(table, by_child(table))(list(query) if table in CONVERTED else _rows(query))
                     for table, query in read.items()})
