"""`make demo` shows a live authority: simulate_la up to today, then seed_demo, and every printed login lands on
children it can work with (issue 8). Built once for the module on a fixed day, the Tuesday after the spring bank
holiday, early in the morning, and rolled back afterwards."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.html import escape

from casefile.access import policy
from casefile.accounts.models import Role, User
from casefile.casework import models as cw
from casefile.casework.deadlines import deadlines_for_children
from casefile.demo import seed as demo
from casefile.frontdoor.models import Contact
from casefile.people.models import Person
from casefile.quality.models import AuditRound, CaseFileAudit, CaseSample, SampledChild
from casefile.rules.clocks import State

MOMENT = datetime.datetime(2026, 5, 26, 7, 45, tzinfo=ZoneInfo("Europe/London"))
TODAY = MOMENT.date()
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_caseloads")]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """What `make demo` builds (simulate_la --size small, then seed_demo), and what seed_demo printed."""
    with (django_db_blocker.unblock(), time_machine.travel(MOMENT, tick=False), override_settings(DEMO_MODE=True),
          transaction.atomic()):
        call_command("simulate_la", "--size", "small", "--seed", "1", stdout=io.StringIO())
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def printed(built, db):
    return built


def held_by(username: str) -> list[int]:
    return list(cw.Allocation.objects.filter(worker__username=username, end_date__isnull=True)
                .values_list("child_id", flat=True))


def stages(child_ids: list[int]) -> set[str]:
    """Worked out here from the records, not by the code under test."""
    found = set()
    for plan in cw.Plan.objects.filter(child_id__in=child_ids, end_date__isnull=True):
        found.add(plan.kind)
    if cw.Assessment.objects.filter(episode__child_id__in=child_ids, episode__closure_date__isnull=True,
                                    authorised_on__isnull=True).exists():
        found.add("assessment")
    return found


def test_the_simulated_years_end_today(printed):
    latest = cw.Episode.objects.order_by("-referral_date").values_list("referral_date", flat=True).first()
    assert latest <= TODAY and (TODAY - latest).days <= 7
    assert not cw.Visit.objects.filter(date__gt=TODAY).exists()
    assert not Contact.objects.filter(received_at__gt=MOMENT).exists()


def test_each_printed_social_worker_holds_every_stage_with_clocks_on_time_due_soon_and_overdue(printed):
    for username in demo.CASE_HOLDERS:
        children = held_by(username)
        assert stages(children) >= {"assessment", cw.Plan.Kind.CHILD_IN_NEED, cw.Plan.Kind.CHILD_PROTECTION}, username
        deadlines = [d for found in deadlines_for_children(children, today=TODAY).values() for d in found]
        states = {deadline.state for deadline in deadlines if deadline.is_open}
        assert states >= {State.ON_TIME, State.DUE_SOON, State.OVERDUE}, (username, states)
        overdue = {d.child_id for d in deadlines if d.state is State.OVERDUE}
        assert len(overdue) <= len(children) / 2, f"{username}: a few overdue, not most"
        assert f"  {username}" in printed and "on a child protection plan" in printed


def test_no_allocated_child_lacks_an_open_episode(printed):
    allocated = set(cw.Allocation.objects.filter(end_date__isnull=True).values_list("child_id", flat=True))
    with_episode = set(cw.Episode.objects.filter(child_id__in=allocated, closure_date__isnull=True)
                       .values_list("child_id", flat=True))
    assert allocated and allocated == with_episode, sorted(allocated - with_episode)[:10]


def test_the_printed_logins_sign_in_and_land_on_their_children(printed, client):
    for username, *_ in demo.login_rows():
        assert f"{username} " in printed
        client.logout()
        response = client.post("/accounts/login/", {"login": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, username
    for username in demo.CASE_HOLDERS:
        client.force_login(User.objects.get(username=username))
        page = client.get("/").content.decode()
        for child in Person.objects.filter(pk__in=held_by(username)).exclude(restriction=""):
            assert escape(child.last_name) in page
        for child in Person.objects.filter(pk__in=held_by(username), restriction=""):
            assert escape(f"{child.first_name} {child.last_name}") in page, (username, child)


def test_the_chair_qa_officer_police_and_managers_each_have_children_to_open(printed):
    children = Person.objects.filter(kind=Person.Kind.CHILD)
    chair = User.objects.get(username=demo.CHAIR)
    chaired = policy.viewable_people(chair, children)
    assert chaired.count() >= 5
    assert cw.Plan.objects.filter(child__in=chaired, kind="cp", end_date__isnull=True).exists()
    samples = CaseSample.objects.filter(officer__username=demo.QA_OFFICER)
    # Three sampled by hand, and two of the round's children the officer is assigned to audit.
    assert samples.count() == 3 + 2 and all(policy.can_view(sample.officer, sample.child) for sample in samples)
    assert SampledChild.objects.filter(auditor=samples.first().officer, round__closed_on__isnull=True).count() == 2
    assert SampledChild.objects.filter(auditor__isnull=True).exists()  # the rest wait for an auditor
    police = User.objects.get(username=demo.POLICE)
    shared = policy.viewable_people(police, children).first()
    assert shared is not None
    # A joint enquiry: the police see the enquiry, conferences and plan, never the case notes.
    assert policy.can_open_page(police, shared, "casework:plans")
    assert not policy.can_open_page(police, shared, "casework:case_notes")
    for manager, team_members in (("tm.evans", ["sw.jones", "sw.khan"]), ("tm.clarke", ["sw.murphy", "sp.taylor"])):
        viewable = set(policy.viewable_people(User.objects.get(username=manager), children).values_list("pk",
                                                                                                        flat=True))
        unrestricted = Person.objects.filter(pk__in=[c for member in team_members for c in held_by(member)],
                                             restriction="").values_list("pk", flat=True)
        assert set(unrestricted) <= viewable, manager


def test_the_front_door_logins_find_contacts_in_every_stage(printed):
    from casefile.casework.calendar import working_calendar
    from casefile.frontdoor import board

    for username in (demo.FRONT_DOOR_AUTHORISES, demo.FRONT_DOOR_RECORDS, demo.FRONT_DOOR_DECIDES):
        rows = board.board_rows(User.objects.get(username=username), now=MOMENT, calendar=working_calendar())
        assert {row.stage for row in rows} == set(board.STAGES), username
        assert all(row.contact.received_at <= MOMENT for row in rows)


def test_the_adopted_childs_record_is_open_to_the_named_worker_with_an_open_episode(printed):
    child = Person.objects.get(restriction=Person.Restriction.ADOPTION, first_name="Ellis")
    worker = User.objects.get(username="sw.murphy")
    assert policy.can_view(worker, child) and not policy.can_view(worker.manager, child)
    assert cw.Episode.objects.filter(child=child, closure_date__isnull=True).exists()
    assert child.pk in held_by("sw.murphy")


def test_the_simulated_staff_keep_the_rest_of_the_authority_and_one_is_printed(printed):
    simulated = User.objects.filter(email__endswith="@simulated.invalid", role=Role.SOCIAL_WORKER)
    assert cw.Allocation.objects.filter(worker__in=simulated, end_date__isnull=True).count() > 50
    example = next(line for line in printed.splitlines() if "own staff sign in" in line)
    assert User.objects.filter(username=example.split("example ")[1].split(" ")[0]).exists()


def test_the_qa_officer_has_a_completed_audit_of_a_sampled_child_with_an_action_open_for_her_worker(printed):
    audit = CaseFileAudit.objects.get(auditor__username=demo.QA_OFFICER)
    assert audit.is_completed and audit.completed_on == TODAY and audit.sample.officer == audit.auditor
    action = audit.actions.get()
    assert action.completed_on is None and action.due_date == TODAY + datetime.timedelta(days=28)
    assert cw.Allocation.objects.filter(child=audit.child, end_date__isnull=True, worker=action.assignee).exists()


def test_the_qa_officer_has_a_round_drawn_from_the_open_child_protection_cases(printed):
    drawn = AuditRound.objects.get(created_by__username=demo.QA_OFFICER)
    children = list(drawn.children.all())
    assert drawn.seed == 4711 and drawn.method == "thematic" and 1 <= len(children) <= 5
    assert all(cw.Plan.objects.filter(child=sampled.child, kind="cp", end_date__isnull=True).exists()
               for sampled in children)
    assert all(sampled.reason.endswith("from children matching: child protection plan.") for sampled in children)
