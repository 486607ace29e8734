import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from casefile.access import policy
from casefile.access.models import AgencyShare, RestrictedAccessGrant
from casefile.accounts.models import Role, Team, User
from casefile.casework.models import Allocation, Conference
from casefile.demo import seed as demo
from casefile.people.models import Person, Relationship
from casefile.quality.models import CaseSample
from casefile.rules.identifiers import validate_nhs_number, validate_upn
from casefile.rules.names import phonetic_key


def run_seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def seeded(db, demo_mode):
    return run_seed()


def test_it_refuses_to_run_outside_demo_mode_without_force(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="CASEFILE_DEMO=1"):
        run_seed()
    assert not User.objects.exists()


def test_with_force_outside_demo_mode_it_sets_no_password_anyone_could_use(db, settings):
    settings.DEMO_MODE = False
    output = run_seed("--force")
    assert "No passwords are set" in output
    assert demo.DEMO_PASSWORD not in output
    assert User.objects.count() == len(demo.STAFF)
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_it_prints_every_login_with_its_role_and_team_and_the_demo_password(seeded):
    assert "sw.jones     Social worker              Assessment Team" in seeded
    for spec in demo.STAFF:
        assert spec.username in seeded
    assert f"Password for every demo login: {demo.DEMO_PASSWORD}" in seeded
    assert User.objects.get(username="sw.jones").check_password(demo.DEMO_PASSWORD)


def test_running_it_again_creates_nothing_and_prints_the_same_logins(seeded):
    counts = (User.objects.count(), Person.objects.count(), Allocation.objects.count())
    again = run_seed()
    assert (User.objects.count(), Person.objects.count(), Allocation.objects.count()) == counts
    assert "nothing created" in again
    assert again.splitlines()[1:] == seeded.splitlines()[1:]


def test_the_same_seed_builds_the_same_authority(db, demo_mode):
    def build(seed: int) -> list[tuple]:
        with transaction.atomic():
            demo.seed(seed=seed)
            people = list(Person.objects.order_by("id").values_list(
                "first_name", "last_name", "date_of_birth", "nhs_number", "upn", "ethnicity"))
            transaction.set_rollback(True)
        return people

    first = build(1)
    assert build(1) == first
    assert build(2) != first


def test_it_creates_the_teams_and_a_member_of_staff_for_every_role(seeded):
    assert set(Team.objects.values_list("name", flat=True)) >= {
        "Front Door", "Assessment Team", "Child in Need and Child Protection Team", "Conference and Review",
        "Quality Assurance", "Performance",
    }
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    police = User.objects.get(role=Role.PARTNER_VIEWER)
    assert police.agency == "police"


def test_every_social_worker_has_a_manager_chain_up_to_the_head_of_service(seeded):
    for worker in User.objects.filter(role=Role.SOCIAL_WORKER):
        chain = [manager.role for manager in worker.manager_chain()]
        assert chain == [Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE]
        assert worker.team.manager == worker.manager


def test_children_have_families_with_fathers_and_parental_responsibility_recorded(seeded):
    children = Person.objects.filter(kind=Person.Kind.CHILD)
    assert 38 <= children.count() <= 45
    fathers = Relationship.objects.filter(kind=Relationship.Kind.PARENT, person__sex="M")
    assert fathers.exists()
    assert Relationship.objects.filter(kind=Relationship.Kind.PARENT, parental_responsibility=True).exists()
    assert Relationship.objects.filter(kind=Relationship.Kind.SIBLING).exists()
    for link in Relationship.objects.filter(kind=Relationship.Kind.PARENT, relative__date_of_birth__isnull=False):
        years_older = (link.relative.date_of_birth - link.person.date_of_birth).days / 365
        assert years_older > 16, f"{link.person} is too young to be {link.relative}'s parent"
    assert all(child.addresses.exists() for child in children)
    assert all(child.household_memberships.exists() for child in children.exclude(restriction="adoption"))


def test_identity_data_is_valid_or_left_missing(seeded):
    children = Person.objects.filter(kind=Person.Kind.CHILD)
    unborn = children.filter(date_of_birth__isnull=True, expected_date_of_birth__isnull=False)
    assert unborn.exists()
    assert children.filter(ethnicity="").exists(), "some ethnicity must be left unrecorded, not defaulted"
    for person in Person.objects.exclude(nhs_number=""):
        assert validate_nhs_number(person.nhs_number) == person.nhs_number
        assert person.nhs_number.startswith("999")  # NHS England's range that is never issued
    upns = list(children.exclude(upn="").values_list("upn", flat=True))
    assert upns
    assert all(validate_upn(upn) == upn for upn in upns)
    assert all(p.last_name_key == phonetic_key(p.last_name) for p in Person.objects.all())


def test_without_a_simulated_authority_it_says_so_and_allocates_only_the_adopted_child(seeded):
    """The caseloads come from the simulated authority (test_demo_caseloads.py); alone, seed_demo says what to run."""
    assert "run `manage.py simulate_la --size small` before seed_demo" in seeded
    allocation = Allocation.objects.get(end_date__isnull=True)
    assert allocation.child.first_name == "Ellis" and allocation.worker.username == "sw.murphy"
    assert allocation.child.episodes.get().closure_date is None
    assert not Conference.objects.exists() and not CaseSample.objects.exists() and not AgencyShare.objects.exists()


def test_the_adopted_child_is_open_only_to_the_named_worker(seeded):
    grant = RestrictedAccessGrant.objects.get()
    assert grant.child.restriction == Person.Restriction.ADOPTION
    assert policy.can_view(grant.user, grant.child)
    assert not policy.can_view(grant.user.manager, grant.child)
    assert policy.viewable_people(User.objects.get(username="sw.murphy"), Person.objects.all()).get() == grant.child


def test_the_front_door_has_contacts_in_every_stage_on_the_day_it_is_seeded(seeded):
    from django.utils import timezone

    from casefile.casework.calendar import working_calendar
    from casefile.frontdoor import board
    from casefile.frontdoor.models import AgencyCheck, Contact

    manager = User.objects.get(username=demo.FRONT_DOOR_AUTHORISES)
    rows = board.board_rows(manager, now=timezone.now(), calendar=working_calendar())
    stages = {row.stage for row in rows}
    assert stages == set(board.STAGES)
    assert any(row.past_limit for row in rows), "one contact should be past the open limit"
    assert all(1 <= row.waiting.working_days <= 6 for row in rows)
    assert len({row.contact.pk for row in rows}) == len(demo.FRONT_DOOR_CONTACTS)
    outstanding = AgencyCheck.objects.filter(agency="health", responded_at__isnull=True)
    assert outstanding.filter(contact__concluded_at__isnull=True).exists()
    # The authorised referral opened the child's episode, ready for handover to assessment.
    handover = next(row for row in rows if row.stage == board.AWAITING_HANDOVER)
    assert handover.link.decision.episode.child == handover.child
    # Seeding again adds nothing.
    contacts = Contact.objects.count()
    run_seed()
    assert Contact.objects.count() == contacts


def test_the_front_door_has_someone_to_decide_and_someone_to_authorise(seeded):
    from casefile.access import permissions

    decides = User.objects.get(username=demo.FRONT_DOOR_DECIDES)
    authorises = User.objects.get(username=demo.FRONT_DOOR_AUTHORISES)
    assert permissions.may_decide(decides) and decides.team.kind == Team.Kind.FRONT_DOOR
    assert authorises.role == Role.TEAM_MANAGER and authorises.team.kind == Team.Kind.FRONT_DOOR
    assert f"{demo.FRONT_DOOR_DECIDES} (a qualified social worker) makes threshold decisions" in seeded
    assert f"{demo.FRONT_DOOR_AUTHORISES} (the team manager) authorises them" in seeded
