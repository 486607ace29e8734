"""Who is due supervision: the latest of either kind counts, the newly qualified are due fortnightly, the standard
is configurable, and the counts for "My work" cost the same few queries however many staff there are."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefile.accounts.models import Role, User
from casefile.oversight.presenters import due_summary
from casefile.oversight.supervision import (
    DueCounts,
    last_supervised,
    supervision_due_counts,
    supervision_due_for,
    workers_to_supervise,
)
from casefile.oversight.testing import make_case_supervision, make_staff_supervision
from casefile.rules.supervision import DUE_SOON, ON_TIME, OVERDUE
from casefile.testing import make_user

TODAY = datetime.date(2026, 3, 20)
LONG_AGO = datetime.datetime(2020, 1, 6, 9, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def on_the_day(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def staff(org):
    User.objects.update(date_joined=LONG_AGO)
    org.sam.refresh_from_db()
    return org


def test_the_latest_supervision_of_either_kind_counts(staff, child):
    make_case_supervision(child, staff.sam, staff.tess, held_on=datetime.date(2026, 2, 10))
    make_staff_supervision(staff.sam, staff.tess, held_on=datetime.date(2026, 3, 2))
    make_staff_supervision(staff.mo, staff.mel, held_on=datetime.date(2026, 1, 5))
    make_case_supervision(child, staff.mo, staff.mel, held_on=datetime.date(2026, 1, 25))
    assert last_supervised([staff.sam.pk, staff.mo.pk, staff.fran.pk]) == {
        staff.sam.pk: datetime.date(2026, 3, 2), staff.mo.pk: datetime.date(2026, 1, 25)}


def test_each_worker_s_next_supervision_overdue_first(staff, child, on_the_day):
    make_staff_supervision(staff.sam, staff.tess, held_on=datetime.date(2026, 3, 2))
    make_staff_supervision(staff.mo, staff.mel, held_on=datetime.date(2026, 1, 25))
    staff.fran.qualified_on = datetime.date(2025, 9, 1)  # newly qualified: fortnightly
    staff.fran.save()
    make_staff_supervision(staff.fran, staff.mel, held_on=datetime.date(2026, 3, 10))
    rows = supervision_due_for([staff.sam, staff.mo, staff.fran])
    assert [(row.worker.username, row.due.due_on, row.due.status, row.due.frequency) for row in rows] == [
        ("mo", datetime.date(2026, 2, 25), OVERDUE, "monthly"),
        ("fran", datetime.date(2026, 3, 24), DUE_SOON, "fortnightly"),
        ("sam", datetime.date(2026, 4, 2), ON_TIME, "monthly"),
    ]


def test_the_standard_comes_from_the_setting(staff, on_the_day, settings):
    settings.CASEFILE_SUPERVISION = {"usual": {"amount": 2, "unit": "weeks"}, "due_soon_days": 0}
    make_staff_supervision(staff.sam, staff.tess, held_on=datetime.date(2026, 3, 10))
    row = supervision_due_for([staff.sam])[0]
    assert (row.due.due_on, row.due.status, row.due.frequency) == (datetime.date(2026, 3, 24), ON_TIME,
                                                                   "fortnightly")


def test_whose_supervision_each_person_follows(staff):
    def usernames(user):
        return set(workers_to_supervise(user).values_list("username", flat=True))

    assert usernames(staff.tess) == {"sam"}
    assert usernames(staff.mel) == {"fran", "mo"}
    assert usernames(staff.simon) == {"tess", "sam", "mel", "fran", "mo"}
    assert usernames(staff.sam) == set()
    # Administrators follow everyone with a line or team manager.
    assert usernames(staff.ada) == {"tess", "sam", "mel", "fran", "mo", "simon"}


def test_my_work_counts_overdue_and_due_soon_in_the_same_queries_however_many_staff(staff, on_the_day):
    make_staff_supervision(staff.sam, staff.tess, held_on=datetime.date(2026, 1, 5))
    counts = supervision_due_counts(staff.tess)
    assert (counts.workers, counts.overdue, counts.due_soon) == (1, 1, 0)
    with CaptureQueriesContext(connection) as few:
        supervision_due_counts(staff.tess)
    for number in range(12):
        worker = make_user(f"worker{number}", Role.SOCIAL_WORKER, team=staff.assessment, manager=staff.tess)
        make_staff_supervision(worker, staff.tess, held_on=datetime.date(2026, 3, 12))
    with CaptureQueriesContext(connection) as many:
        counts = supervision_due_counts(staff.tess)
    assert (counts.workers, counts.overdue, counts.due_soon) == (13, 1, 0)
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_someone_who_supervises_nobody_has_nothing_due(staff):
    counts = supervision_due_counts(staff.sam, today=timezone.localdate())
    assert (counts.workers, counts.overdue, counts.due_soon) == (0, 0, 0)


@pytest.mark.parametrize(("overdue", "due_soon", "workers", "words"), [
    (2, 1, 9, "2 of 9 members of staff are overdue supervision; 1 is due soon"),
    (1, 0, 1, "1 of 1 member of staff is overdue supervision; 0 are due soon"),
])
def test_my_work_says_the_counts_in_words(overdue, due_soon, workers, words):
    assert due_summary(DueCounts(workers=workers, overdue=overdue, due_soon=due_soon)) == words
