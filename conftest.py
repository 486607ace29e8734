import datetime
import os

import pytest
import time_machine

from casefile import testing

# `CASEFILE_TEST_CLOCK="2027-03-30T00:30:00+01:00" pytest ...` runs the whole suite as if it were that moment
# (see docs/testing.md). The clock keeps ticking from there, so timeouts and durations still behave.
TEST_CLOCK = "CASEFILE_TEST_CLOCK"


def travel_to_test_clock(moment: str) -> time_machine.travel:
    """Start travelling to `moment` (ISO 8601 with its UTC offset) with the clock ticking; the caller stops it."""
    try:
        destination = datetime.datetime.fromisoformat(moment)
    except ValueError:
        raise pytest.UsageError(f"{TEST_CLOCK}={moment!r} is not an ISO 8601 date and time") from None
    if destination.tzinfo is None:
        raise pytest.UsageError(f"{TEST_CLOCK}={moment!r} needs its UTC offset, e.g. 2027-03-30T00:30:00+01:00")
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    return traveller


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Every process (each xdist worker configures itself too) travels before collection imports the tests,
    before the test database is created and before any test or fixture reads the time. Tests that travel
    themselves (the `time_machine` fixture) go on top of this and come back to it when they finish."""
    moment = os.environ.get(TEST_CLOCK)
    if moment:
        config._casefile_test_clock = travel_to_test_clock(moment)


def pytest_unconfigure(config):
    traveller = getattr(config, "_casefile_test_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    moment = os.environ.get(TEST_CLOCK)
    return f"{TEST_CLOCK}: the suite runs as if it were {moment} (ticking)" if moment else None


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
