"""The same seed builds the same authority, whatever the date it is built on; another seed builds another."""

import datetime

from django.db import transaction

from casefile.accounts.models import User
from casefile.casework import models as cw
from casefile.demo import seed, simulate
from casefile.people.models import Person


def fingerprint(seed: int, end_date: datetime.date = simulate.DEFAULT_END_DATE) -> dict[str, list[tuple]]:
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
    simulate.simulate(size="small", seed=1, referrals_per_year=100)
    simulated = User.objects.exclude(username__in=demo_staff)
    assert simulated.count() > 20
    assert all(user.check_password(seed.DEMO_PASSWORD) for user in simulated.exclude(username="simulator"))
    assert User.objects.filter(username__in=demo_staff).count() == len(demo_staff)
