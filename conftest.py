import pytest

from casefile import testing


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
