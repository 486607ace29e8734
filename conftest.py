import os
import sys

import pytest
import time_machine

from casefile import testing
from tests import suite_clock

_SUITE_CLOCK = pytest.StashKey[time_machine.travel]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """With CASEFILE_TEST_CLOCK set, every process (each xdist worker configures itself too) travels to that
    moment before collection imports the tests, before the test database is made and before any fixture reads
    the time (docs/testing.md)."""
    moment = suite_clock.chosen_moment()
    if moment is not None:
        config.stash[_SUITE_CLOCK] = suite_clock.travel_to(moment)


def pytest_unconfigure(config):
    if _SUITE_CLOCK in config.stash:
        config.stash[_SUITE_CLOCK].stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Fail, not slow down, if `--dist loadgroup` stops grouping: the costliest fixtures (the medium authority, the
    write sweep's run) are built once per xdist group, and pytest 9.2 with pytest-xdist 3.8 silently dropped the
    groups (pytest-dev/pytest-xdist#1386), which built them twice and put CI over its 30 minutes."""
    if not getattr(config.option, "loadgroup", False):
        return
    ungrouped = [item.nodeid for item in items
                 if item.get_closest_marker("xdist_group") and "@" not in item.nodeid.rsplit("]", 1)[-1]]
    if ungrouped:
        message = (f"--dist loadgroup is not grouping {len(ungrouped)} tests marked xdist_group (the first:"
                   f" {ungrouped[0]}): this pytest-xdist does not work with this pytest; pin the pair in"
                   " requirements/dev.in")
        print(message, file=sys.__stderr__, flush=True)  # a worker's exception reaches the terminal as a crash only
        raise pytest.UsageError(message)


def pytest_report_header(config):
    moment = suite_clock.chosen_moment()
    return f"{suite_clock.VARIABLE}: the suite runs as if it were {moment.isoformat()}, ticking" if moment else None


@pytest.fixture(scope="session")
def medium_authority_measures(django_db_setup, django_db_blocker) -> dict:
    """The medium simulated authority (seed 2025, to 31 March 2026), the costliest thing the suite builds (half a
    minute on SQLite, over a minute on PostgreSQL): built once per test process, measured by each module that
    needs it (demo/tests/test_simulate_rates.py against England's rates, oversight/tests/test_signal_rates.py
    against the planted problems, insight/tests/test_indicator_rates.py the indicators, test_narrowed_load.py the
    narrowed reads), then rolled back. Those modules share the xdist group "simulate_medium"."""
    from django.db import transaction

    from casefile.demo import simulate
    from casefile.demo.tests import test_simulate_rates
    from casefile.insight.tests import test_indicator_rates, test_narrowed_load
    from casefile.oversight.tests import test_signal_rates

    assert test_signal_rates.END == test_simulate_rates.END, "both measure the authority as at its end date"
    with django_db_blocker.unblock(), transaction.atomic():
        result = simulate.simulate(size="medium", seed=2025, end_date=test_simulate_rates.END)
        measures = {"england": test_simulate_rates.measure(result), "signals": test_signal_rates.measure(result),
                    "indicators": test_indicator_rates.measure(result), "narrowed": test_narrowed_load.measure(result)}
        transaction.set_rollback(True)
    return measures


@pytest.fixture
def org(db):
    return testing.make_org()


@pytest.fixture
def child(org):
    """Lily, allocated to Sam in the Assessment team."""
    lily = testing.make_child()
    testing.allocate(lily, org.sam, allocated_by=org.tess)
    return lily


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in rate limits count in the cache; one test's sign-ins must not throttle the next test's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _empty_audit_trail_before_flush(request):
    """Transactional and live-server tests empty every table afterwards, but the audit table refuses
    DELETE and TRUNCATE. Requesting the database helper here makes this teardown run just before its
    flush: the guards are lifted only to empty the audit table, then put back for the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    from casefile.audit import guards

    guards.empty_for_tests(connection)


# Browser tests (marked `system`): Debian's Chromium driven by Playwright against pytest-django's live server.
# Playwright's sync API runs an event loop in the test thread; the ORM calls tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"
# Quiet and offline: without these Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Never a browser that Playwright downloads: always the system one."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "locale": "en-GB", "timezone_id": "Europe/London"}
