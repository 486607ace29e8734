"""The same seed and end date build the same authority, whatever the day it is built on; another seed builds
another; the command builds up to today unless told otherwise."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import transaction

from casefile.accounts.models import User
from casefile.casework import models as cw
from casefile.demo import seed, simulate
from casefile.frontdoor.models import Contact, ReferrerLetter, ThresholdDecision
from casefile.people.models import Person

END = datetime.date(2026, 3, 31)


def fingerprint(seed: int, end_date: datetime.date = END) -> dict[str, list[tuple]]:
    """A few tables, row by row, from an authority built and then rolled back. 150 referrals keep it quick."""
    with transaction.atomic():
        simulate.simulate(size="small", seed=seed, end_date=end_date, referrals_per_year=150)
        rows = {
            "staff": list(User.objects.order_by("id").values_list("username", "role", "team__name")),
            "people": list(Person.objects.order_by("id").values_list(
                "first_name", "last_name", "date_of_birth", "nhs_number", "ethnicity", "restriction")),
            "episodes": list(cw.Episode.objects.order_by("id").values_list(
                "child_id", "referral_date", "referral_source", "closure_date", "closure_reason")),
            "plans": list(cw.Plan.objects.order_by("id").values_list(
                "kind", "start_date", "end_date", "initial_category")),
            "visits": list(cw.Visit.objects.order_by("id").values_list("date", "child_seen", "worker__username")),
        }
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_builds_the_same_authority_and_another_seed_a_different_one(db):
    first = fingerprint(11)
    assert all(first.values()), "every table in the fingerprint has rows"
    assert fingerprint(11) == first
    other = fingerprint(12)
    for table in first:
        assert other[table] != first[table], table


def test_the_end_date_sets_the_period_and_nothing_is_dated_after_it(db):
    end = datetime.date(2024, 3, 31)
    with transaction.atomic():
        result = simulate.simulate(size="small", seed=11, end_date=end, referrals_per_year=150)
        assert result.start_date == datetime.date(2023, 4, 1)
        referrals = list(cw.Episode.objects.values_list("referral_date", flat=True))
        assert min(referrals) >= result.start_date and max(referrals) <= end
        assert not cw.Visit.objects.filter(date__gt=end).exists()
        assert not cw.Episode.objects.filter(closure_date__gt=end).exists()
        transaction.set_rollback(True)


def test_it_loads_beside_the_demo_authority_without_clashing_names(db, settings):
    settings.DEMO_MODE = True
    seed.seed(seed=1)
    demo_staff = set(User.objects.values_list("username", flat=True))
    simulate.simulate(size="small", seed=1, end_date=END, referrals_per_year=100)
    simulated = User.objects.exclude(username__in=demo_staff)
    assert simulated.count() > 20
    # Everyone but the system account and the workers who have left (accounts turned off) signs in.
    assert all(user.check_password(seed.DEMO_PASSWORD)
               for user in simulated.exclude(username="simulator").filter(is_active=True))
    assert User.objects.filter(username__in=demo_staff).count() == len(demo_staff)


def test_the_command_simulates_up_to_today_unless_given_an_end_date(db, time_machine):
    """The demo is a live authority: its cases are open today and its clocks running, not months overdue."""
    time_machine.move_to(datetime.datetime(2026, 12, 3, 0, 30, tzinfo=ZoneInfo("Europe/London")), tick=False)
    with transaction.atomic():
        out = io.StringIO()
        call_command("simulate_la", "--size", "small", "--seed", "5", "--force", stdout=out)
        assert "2025-12-04 to 2026-12-03" in out.getvalue()
        latest = cw.Episode.objects.order_by("-referral_date").values_list("referral_date", flat=True).first()
        assert datetime.date(2026, 11, 25) <= latest <= datetime.date(2026, 12, 3)
        transaction.set_rollback(True)


def test_built_during_its_last_day_nothing_is_recorded_after_the_moment_it_was_built(db):
    """Built at 07:45 on its end date, the day's contacts, decisions and records are not waiting in the future."""
    moment = datetime.datetime(2026, 9, 1, 7, 45, tzinfo=ZoneInfo("Europe/London"))
    with transaction.atomic():
        simulate.simulate(size="small", seed=2, end_date=moment.date(), now=moment)
        assert Contact.objects.filter(received_at=moment).exists(), "the end day's contacts exist, moved back"
        for model, field in ((Contact, "received_at"), (ThresholdDecision, "decided_at"),
                             (ThresholdDecision, "authorised_at"), (ReferrerLetter, "sent_at"),
                             (cw.Episode, "recorded_at"), (cw.Visit, "recorded_at"), (Person, "created_at")):
            assert not model.objects.filter(**{f"{field}__gt": moment}).exists(), (model, field)
        transaction.set_rollback(True)


def test_run_again_on_a_later_day_it_says_the_authority_is_stale_and_how_to_rebuild(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    call_command("simulate_la", "--size", "small", "--seed", "5", "--force", stdout=io.StringIO())
    out = io.StringIO()
    call_command("simulate_la", "--size", "small", "--seed", "5", "--force", stdout=out)
    assert "ends on" not in out.getvalue()
    time_machine.move_to(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    out = io.StringIO()
    call_command("simulate_la", "--size", "small", "--seed", "5", "--force", stdout=out)
    assert "Nothing created" in out.getvalue() and "ends on 2026-12-03" in out.getvalue()
    assert "delete the database" in out.getvalue()
