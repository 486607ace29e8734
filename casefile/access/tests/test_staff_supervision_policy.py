"""Who may see a worker's own (staff) supervision: the object check and the queryset filter agree, and say what we
expect, for every persona and every worker, as test_policy_matrix.py does for people's records.

Staff supervision is about the worker (wellbeing, caseload, learning), never a child: the worker, the managers
above them (line managers and up, and their team's manager and up) and administrators see it; nobody else.
"""

from __future__ import annotations

import pytest

from casefile.access import policy
from casefile.accounts.models import Role
from casefile.testing import make_user

ADMIN = {"ada"}
ABOVE_SAM = {"tess", "simon", "hana"}
# Each worker, and who may see their staff supervision.
EXPECTED = {
    "sam": {"sam"} | ABOVE_SAM | ADMIN,
    "tess": {"tess", "simon", "hana"} | ADMIN,
    "simon": {"simon", "hana"} | ADMIN,
    "hana": {"hana"} | ADMIN,
    "fran": {"fran", "mel", "simon", "hana"} | ADMIN,
    "mo": {"mo", "mel", "simon", "hana"} | ADMIN,
    "mel": {"mel", "simon", "hana"} | ADMIN,
    # Ola's team has no manager and Ola no line manager: only Ola and administrators.
    "ola": {"ola"} | ADMIN,
    "chris": {"chris"} | ADMIN,
    "quinn": {"quinn"} | ADMIN,
    "pat": {"pat"} | ADMIN,
    "petra": {"petra"} | ADMIN,
    "ada": ADMIN,
    # Nia is in the assessment team with no line manager recorded: its manager, and the managers above, see it.
    "nia": {"nia"} | ABOVE_SAM | ADMIN,
}


@pytest.fixture
def staff(org):
    nia = make_user("nia", Role.SOCIAL_WORKER, team=org.assessment, name="Nia Newstart")
    return {**org.everyone(), "nia": nia}


def test_the_expectations_cover_everyone(staff):
    assert set(EXPECTED) == set(staff)


@pytest.mark.parametrize("worker", sorted(EXPECTED))
def test_object_check_queryset_and_expectation_agree(staff, worker):
    subject = staff[worker]
    by_check = {name for name, viewer in staff.items() if policy.can_see_staff_supervision(viewer, subject)}
    by_query = {name for name, viewer in staff.items()
                if policy.staff_supervision_workers(viewer).filter(pk=subject.pk).exists()}
    assert by_check == EXPECTED[worker]
    assert by_query == EXPECTED[worker]


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_workers_overseen_agree_with_the_object_check(staff, viewer):
    """Whom a manager is above (whose supervision they record and follow), as a query and one by one."""
    user = staff[viewer]
    listed = set(policy.workers_overseen_by(user).values_list("username", flat=True))
    checked = {name for name, worker in staff.items() if policy.oversees_worker(user, worker)}
    assert listed == checked
    assert viewer not in listed


def test_a_deactivated_manager_sees_nobody_s_supervision(staff):
    tess = staff["tess"]
    tess.is_active = False
    tess.save()
    assert not policy.can_see_staff_supervision(tess, staff["sam"])
    assert not policy.staff_supervision_workers(tess).exists()
    assert not policy.workers_overseen_by(tess).exists()


def test_a_loop_in_the_line_management_does_not_hang_or_let_in_anyone_else(staff):
    hana, tess = staff["hana"], staff["tess"]
    hana.manager = tess  # recorded by mistake: tess -> simon -> hana -> tess
    hana.save()
    assert policy.can_see_staff_supervision(tess, hana)
    assert not policy.can_see_staff_supervision(staff["ola"], hana)
