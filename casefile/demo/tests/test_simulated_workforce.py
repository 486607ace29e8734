"""The simulated authority has a plausible workforce: agency workers, part-time workers, leavers and vacancies, so
the clinic's workforce figures have values (insight.cohort reads them as it reads any authority's)."""

import datetime

from casefile.accounts.models import Post, User, WorkerRecord
from casefile.demo import simulate
from casefile.insight import cohort
from casefile.rules.indicators import INDICATORS, Period

END = datetime.date(2026, 3, 31)


def test_the_simulated_workforce_gives_every_workforce_figure_a_plausible_value(db):
    simulate.simulate(size="small", seed=3, end_date=END, referrals_per_year=400)
    assert WorkerRecord.objects.filter(employment_type="agency").exists()
    assert WorkerRecord.objects.filter(left_on__isnull=False, user__is_active=False).exists()
    assert WorkerRecord.objects.filter(fte__lt=1).exists()
    # Leavers hold no children: the journeys were drawn for the workers still in post.
    leavers = User.objects.filter(is_active=False, worker_record__isnull=False)
    assert not leavers.filter(allocations__isnull=False).exists()
    assert Post.objects.filter(holder__isnull=True).exists()
    record, period = cohort.load(END), Period.year_to(END)
    values = {code: INDICATORS[code](record, period).value for code in
              ("agency_share", "vacancy_rate", "turnover_rate", "caseload_per_worker")}
    assert 3 < values["agency_share"] < 40, values
    assert 5 < values["vacancy_rate"] < 45, values
    assert 0 < values["turnover_rate"] < 40, values
    assert 1 < values["caseload_per_worker"] < 40, values
