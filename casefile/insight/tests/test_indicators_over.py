"""`figures.indicators_over`: a scope's indicators worked out group by group, each group reading only its own tables,
in processes of their own where that is safe; the figures equal those of one read of the whole record."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from casefile.core.models import Job
from casefile.frontdoor.testing import make_contact
from casefile.insight import clinic, cohort, figures, tasks
from casefile.insight.tests.test_clinic import june, with_journey  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(org, june):  # noqa: F811
    """Three children: two of Sam's and one of Ola's, each from a contact in December 2023 through a plan."""
    received = datetime.datetime(2023, 12, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    for worker, first, last in ((org.sam, "Lily", "Hartley"), (org.sam, "Amir", "Khan"),
                                (org.ola, "Noah", "Elsewhere")):
        make_contact(with_journey(org, worker, first, last), by=org.fran, received_at=received)


PERIODS = [*clinic.census_year_trend("2023-24"), *clinic.twelve_months_trend(datetime.date(2024, 1, 31))]


def from_the_whole_record(scope: clinic.Scope) -> list[dict]:
    whole = cohort.load(max(period.end for period in PERIODS))
    return [figures.indicators(scope.part(whole, period), period) for period in PERIODS]


def scopes(org) -> list[clinic.Scope]:
    return [clinic.Scope(), clinic.Scope(team_ids=frozenset({org.sam.team_id})), clinic.Scope(worker_id=org.ola.pk)]


def test_each_group_read_apart_gives_the_figures_of_the_whole_record(org, record):
    for scope in scopes(org):
        assert figures.indicators_over(scope, PERIODS) == from_the_whole_record(scope), scope
    # The control: the figures are not empty, and differ by scope (2023-24 is the fourth period).
    counts = [figures.indicators_over(scope, PERIODS)[3]["contacts"][1] for scope in scopes(org)]
    assert counts == [3, 2, 1]


def test_progress_is_told_group_by_group(org, record):
    told = []
    figures.indicators_over(clinic.Scope(), PERIODS, progress=lambda *step: told.append(step))
    assert told == [(done, 5, f"Computed {done} of 5 groups of indicators") for done in range(1, 6)]


@pytest.fixture
def worked_in(tmp_path, monkeypatch):
    """The processes each group was worked out in: each writes its pid, from inside the forked process (which has
    this module as it was when forked)."""
    group_figures = figures._group_figures

    def noted(task):
        (tmp_path / str(os.getpid())).touch()
        return group_figures(task)

    monkeypatch.setattr(figures, "_group_figures", noted)
    return lambda: {int(path.name) for path in tmp_path.iterdir()}


def test_inside_a_transaction_the_groups_are_worked_out_in_this_process(org):
    # Rows written and not yet committed would be invisible to another process.
    assert connection.in_atomic_block
    assert figures._processes_allowed(4, 5) == 1


@pytest.mark.django_db(transaction=True)  # the rows committed, so other processes read them
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the test database is in SQLite's memory: one process")
def test_outside_a_transaction_the_groups_are_worked_out_in_other_processes(org, record, worked_in):
    assert figures._processes_allowed(2, 5) == 2 and figures._processes_allowed(8, 5) == 5
    assert figures._processes_allowed(1, 5) == 1 and figures._processes_allowed(2, 1) == 1
    for scope in scopes(org):
        assert figures.indicators_over(scope, PERIODS, processes=2) == from_the_whole_record(scope), scope
    assert len(worked_in()) >= 2 and os.getpid() not in worked_in()
    assert connection.cursor()  # this process's connection, closed before forking, opens again


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the test database is in SQLite's memory: one process")
def test_a_connection_still_open_when_the_processes_fork_is_never_used_by_them(org, record, monkeypatch):
    """A connection open in another context of this process (another thread's, a test's) is copied into each forked
    process, socket and all, and closing this context's connections first does not reach it. Two processes
    talking on one socket mix their messages (it happened after the browser tests, whose live server holds
    connections); so each forked process sets what it inherited aside and opens its own."""
    connection.ensure_connection()
    held = connection.connection
    monkeypatch.setattr(figures.connections, "close_all", lambda: None)  # as for a connection it cannot reach
    for scope in scopes(org):
        assert figures.indicators_over(scope, PERIODS, processes=2) == from_the_whole_record(scope), scope
    assert connection.connection is held
    with connection.cursor() as cursor:  # still this process's own, and still working
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the test database is in SQLite's memory: one process")
def test_a_real_worker_keeps_the_trend_worked_out_in_other_processes(org, record, worked_in, settings):
    """Through the database queue and `manage.py db_worker`, as in production: the worker runs the job outside a
    transaction, so the groups are worked out in processes it forks, and what it keeps is the whole record's."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = tasks.work_out_in_background(actor=org.pat, scope=clinic.Scope(), periods=PERIODS, title="the trend",
                                       back_url="/", indicators_only=True)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.error, DBTaskResult.objects.get().traceback)
    kept = figures.kept_for(clinic.Scope(), PERIODS)
    assert [row.figures for row in kept.rows] == [{"indicators": found}
                                                  for found in from_the_whole_record(clinic.Scope())]
    assert len(worked_in()) >= 2 and os.getpid() not in worked_in()
