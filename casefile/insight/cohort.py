"""The record as the indicators read it (casefile/rules/indicators), in a fixed number of queries whatever the size
of the authority: one values_list() over each table, everything started by the last day of the latest period.

Annex A's `returns/annex_a.load()` reads the same tables for an inspection's look-back (six and twelve months, without
the contact's decision or the records' ids), so a trend over four years cannot be read from it. A merged record's rows
count under the record it was merged into, as there (`annex_a.kept`), read from the merged records alone rather than
every child's characteristics. Rows are made straight in the indicators' own shapes (`ROWS`), so the rules use them
without a copy. No names and no free text are read: only ids, dates and codes.

Workers are the staff whose employment is recorded as permanent or agency (accounts.WorkerRecord), each in their
team as it is now, case-holding when their role may hold cases; posts are the establishment (accounts.Post).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from casefile.access.permissions import role_holds_cases
from casefile.accounts.models import EmploymentType, Post, WorkerRecord
from casefile.casework import models as cw
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Person
from casefile.rules.indicators import ROWS, Cohort

# Queries load() runs, whatever the number of children (a test holds it to this).
QUERIES = 13


def load(end: datetime.date) -> Cohort:
    """Every row the indicators read that started by `end` (later rows cannot count in any period up to it)."""
    merged = dict(Person.objects.filter(merged_into__isnull=False).order_by().values_list("id", "merged_into_id"))

    def child(pk: int) -> int:
        return merged.get(pk, pk)

    # Received by the end of the day `end`, local time, compared as a moment (no date function run on every row).
    zone = timezone.get_current_timezone()
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    contacts = ContactChild.objects.filter(contact__received_at__lt=until).order_by().values_list(
        "id", "child_id", "contact__received_at", "decision__outcome")
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
    return Cohort(
        contacts=[ROWS["contacts"](pk, child(person), received.astimezone(zone).date(), outcome or "")
                  for pk, person, received, outcome in contacts],
        episodes=[ROWS["episodes"](pk, child(person), *rest) for pk, person, *rest in episodes],
        assessments=[ROWS["assessments"](pk, child(person), *rest) for pk, person, *rest in assessments],
        strategy_discussions=[ROWS["strategy_discussions"](pk, child(person), *rest)
                              for pk, person, *rest in discussions],
        enquiries=[ROWS["enquiries"](pk, child(person), *rest) for pk, person, *rest in enquiries],
        initial_conferences=[ROWS["initial_conferences"](pk, child(person), *rest)
                             for pk, person, *rest in conferences],
        plans=[ROWS["plans"](pk, child(person), kind, start, ended, None, interval)
               for pk, person, kind, start, ended, interval in plans],
        cp_visits=[ROWS["cp_visits"](*row) for row in visits],
        early_help=[ROWS["early_help"](pk, child(person), day) for pk, person, day in step_downs],
        allocations=[ROWS["allocations"](pk, child(person), *rest) for pk, person, *rest in allocations],
        workers=[ROWS["workers"](pk, team, kind, start, left, float(fte), role_holds_cases(role))
                 for pk, team, kind, start, left, fte, role in workers],
        posts=[ROWS["posts"](pk, team, float(fte), start, ended, holder)
               for pk, team, fte, start, ended, holder in posts],
    )
