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
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import repeat
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, F, Q
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from casefile.access.permissions import role_holds_cases
from casefile.accounts.models import EmploymentType, Post, WorkerRecord
from casefile.casework import models as cw
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Person
from casefile.rules.indicators import ROWS, Cohort
from casefile.rules.indicators.core import TABLE_FIELDS, Window
from casefile.rules.memory import cycle_collector_paused

# Queries load() runs, whatever the number of children (a test holds it to this).
QUERIES = 13
TABLES = ("contacts", "episodes", "assessments", "strategy_discussions", "enquiries", "initial_conferences", "plans",
          "cp_visits", "early_help", "allocations", "workers", "posts")


# Rows of each table for every referral, as in the large simulated authority (bench/results.md): which tables are
# the largest to read (contacts, then visits), so the work that reads them can be started first.
ROWS_PER_REFERRAL = {"contacts": 4.0, "cp_visits": 2.3, "allocations": 1.4, "early_help": 1.05, "episodes": 1.0,
                     "assessments": 0.95, "plans": 0.5, "strategy_discussions": 0.36, "enquiries": 0.36,
                     "initial_conferences": 0.11, "workers": 0.0, "posts": 0.0}


def _local_day(moment: str, zone) -> datetime.date:
    """The day, where the authority is, of a moment SQLite gives as text: UTC, without an offset."""
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC).astimezone(zone).date()


_HOUR = itemgetter(slice(0, 13))  # "2025-04-01 09:12:33.123456" -> "2025-04-01 09"


class _HourDays(dict):
    """The local day of each hour of SQLite's clock (UTC), worked out the first time it is asked for, or None where
    the hour falls on two local days (a zone whose offset is part of an hour)."""

    def __init__(self, zone):
        super().__init__()
        self.zone = zone

    def __missing__(self, hour: str) -> datetime.date | None:
        first, last = _local_day(f"{hour}:00:00", self.zone), _local_day(f"{hour}:59:59.999999", self.zone)
        day = self[hour] = first if first == last else None
        return day


def _local_days(moments: Sequence[str], zone) -> list[datetime.date]:
    """`_local_day` of each moment, each hour worked out once: ten years of contacts fall in under 90,000 hours, and
    a million contacts are then looked up without a Python call each."""
    days = list(map(_HourDays(zone).__getitem__, map(_HOUR, moments)))
    if None in days:
        return [day or _local_day(moment, zone) for day, moment in zip(days, moments, strict=True)]
    return days


class _Days(dict):
    """Each distinct date read, as a datetime.date, made once: SQLite's dates are read as text (its driver's
    conversion is a Python call for every value: a million and more over ten years), PostgreSQL's driver gives
    dates already."""

    def __missing__(self, value):
        day = self[value] = datetime.date.fromisoformat(value) if isinstance(value, str) else value
        return day


# The fields of each table's rows (rules.indicators.ROWS) that are dates, and those that are the child.
_DAY_FIELDS = {table: tuple(at for at, name in enumerate(fields) if name == "date" or name.endswith(("_date", "_on")))
               for table, fields in TABLE_FIELDS.items()}


def _shaped(table: str, rows: list[tuple], merged: dict[int, int], days: _Days) -> list:
    """A table's rows in the indicators' shape (ROWS), made column by column in C: dates as dates (`days`), a merged
    record's rows under the record it was merged into, and the fields the record does not hold as None."""
    if not rows:
        return []
    fields = TABLE_FIELDS[table]
    columns: list[Iterable] = list(zip(*rows, strict=True))
    if table == "plans":  # plans before the record began (annex_a's previous_plans) are not recorded here
        columns.insert(fields.index("previous_plans"), repeat(None, len(rows)))
    for at in _DAY_FIELDS[table]:
        columns[at] = map(days.__getitem__, columns[at])
    if fields[1] == "child":
        children = columns[1]
        columns[1] = map(merged.get, children, children)
    return list(map(partial(tuple.__new__, ROWS[table]), zip(*columns, strict=True)))


def _contacts_in(rows: list[tuple], zone, merged: dict[int, int]) -> list:
    """The contacts' rows from rows giving (id, child, the moment received as SQLite's text or the local day from
    PostgreSQL, the decision's outcome or None while it is awaited)."""
    if not rows:
        return []
    ids, children, received, outcomes = zip(*rows, strict=True)
    days = _local_days(received, zone) if isinstance(received[0], str) else received
    return list(map(partial(tuple.__new__, ROWS["contacts"]), zip(
        ids, map(merged.get, children, children), days, map({None: ""}.get, outcomes, outcomes), strict=True)))


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
    """The values_list() query of each table (TABLES) for every row started by `end`, before any narrowing.

    On SQLite, dates are read as text and a contact's moment as SQLite keeps it (both made into days by load(),
    each distinct value once); on PostgreSQL, as dates, a contact's worked out in the authority's zone by the
    database."""
    # Received by the end of the day `end`, local time, compared as a moment (no date function run on every row).
    zone = timezone.get_current_timezone()
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    as_text = connections[ContactChild.objects.db].vendor == "sqlite"

    def day(name: str):
        return Cast(name, CharField()) if as_text else F(name)

    received = Cast("contact__received_at", CharField()) if as_text else TruncDate("contact__received_at")
    contacts = ContactChild.objects.filter(contact__received_at__lt=until).order_by().values_list(
        "id", "child_id", received, "decision__outcome")
    episodes = cw.Episode.objects.filter(referral_date__lte=end).order_by().values_list(
        "id", "child_id", day("referral_date"), "referral_nfa", day("closure_date"), "closure_reason")
    assessments = cw.Assessment.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "episode__child_id", "episode_id", day("start_date"), day("authorised_on"))
    discussions = cw.StrategyDiscussion.objects.filter(date__lte=end).order_by().values_list(
        "id", "episode__child_id", day("date"), "enquiry__id")
    enquiries = cw.Section47Enquiry.objects.filter(strategy_discussion__date__lte=end).order_by().values_list(
        "id", "episode__child_id", day("strategy_discussion__date"), "icpc_not_required")
    conferences = cw.Conference.objects.filter(kind=cw.Conference.Kind.INITIAL, date__lte=end).order_by().values_list(
        "id", "child_id", "enquiry_id", day("date"), "decision")
    plans = cw.Plan.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "child_id", "kind", day("start_date"), day("end_date"), "visit_interval_working_days")
    visits = cw.Visit.objects.filter(child_seen=True, kind=cw.Visit.Kind.CHILD_PROTECTION, plan__isnull=False,
                                     date__lte=end).order_by().values_list("id", "plan_id", day("date"), "seen_alone")
    # A step-down a worker proposed counts once a manager has signed it off (as Annex A list 2 reads it).
    step_downs = cw.EarlyHelpTransfer.objects.filter(
        direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN, date__lte=end).exclude(
        proposed_on__isnull=False, signed_off_on__isnull=True).order_by().values_list("id", "child_id", day("date"))
    allocations = cw.Allocation.objects.filter(start_date__lte=end).order_by().values_list(
        "id", "child_id", day("start_date"), day("end_date"), "team_id", "worker_id")
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


def contacts_read(end: datetime.date, reads: Window | None = None, *, up_to: int | None = None) -> int:
    """How many contacts `load(end, reads)` reads (those of every child: a team's are found among them), in one
    count; counting stops at `up_to` (a page only asks whether there are more than so many: a million contacts
    take a second to count)."""
    query = queries(end)["contacts"]
    if reads is not None:
        if "contacts" not in reads:
            return 0
        if reads["contacts"] is not None:
            query = query.filter(_reaching(reads["contacts"], timezone.get_current_timezone(), **REACH["contacts"]))
    query = query.values("pk")  # the count needs no column of the rows
    return (query if up_to is None else query[:up_to]).count()


def load(end: datetime.date, reads: Window | None = None, held_by: dict | None = None) -> Cohort:
    """Every row the indicators read that started by `end` (later rows cannot count in any period up to it).

    With `reads` (rules.indicators.core.window), only those tables, and in each only the rows reaching the day given
    (all of them for None): a page showing one figure reads a year or two of one table, not ten years of all.

    With `held_by` (lookups on an allocation: {"team_id__in": ids} or {"worker_id": id}), allocations are read only
    for the children who were ever allocated that way, and every child in a merge: all a team's or a worker's
    children can then be found (rules.indicators.core.allocated_on) without reading every other child's."""
    reads = dict.fromkeys(TABLES) if reads is None else reads
    merged = dict(Person.objects.filter(merged_into__isnull=False).order_by().values_list("id", "merged_into_id"))

    # A merged record's rows count under the record it was merged into (_shaped).
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
    days = _Days()

    def rows_of(table: str, query) -> list:
        if table == "workers":
            return [ROWS["workers"](pk, team, kind, start, left, float(fte), role_holds_cases(role))
                    for pk, team, kind, start, left, fte, role in query]
        if table == "posts":
            return [ROWS["posts"](pk, team, float(fte), start, ended, holder)
                    for pk, team, fte, start, ended, holder in query]
        if table == "contacts":
            return _contacts_in(_rows(query), zone, merged)
        return _shaped(table, _rows(query), merged, days)

    # Millions of rows, none in a reference cycle: the cycle collector would re-scan them all as they pile up.
    with cycle_collector_paused():
        return Cohort(**{table: rows_of(table, query) for table, query in read.items()})
