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
