"""The simulator's building blocks: its working-day index agrees with the rules package, and its draws keep
England's shares exactly enough for a few hundred cases."""

import datetime
import random
import statistics

from casefile.demo import simulate
from casefile.rules.working_days import ENGLAND_AND_WALES, add_working_days, working_days_between


def test_the_working_day_index_gives_the_same_dates_as_the_rules_package_across_christmas_and_easter():
    index = simulate.WorkingDays(datetime.date(2021, 1, 1), datetime.date(2027, 12, 31))
    rng = random.Random(5)
    starts = [datetime.date(2022, 12, 23), datetime.date(2023, 4, 6), datetime.date(2024, 12, 24),
              datetime.date(2025, 4, 17), datetime.date(2022, 6, 1), datetime.date(2023, 5, 5)]
    starts += [datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(1400)) for _ in range(200)]
    for start in starts:
        for n in (0, 1, 10, 15, 45, 110):
            assert index.add(start, n) == add_working_days(start, n, ENGLAND_AND_WALES), (start, n)
        end = start + datetime.timedelta(days=rng.randrange(120))
        assert index.between(start, end) == working_days_between(start, end, ENGLAND_AND_WALES), (start, end)


def test_assessment_durations_drawn_evenly_match_englands_timeliness_and_median():
    evenly = [(k + 0.5) / 10_000 for k in range(10_000)]
    days = sorted(simulate.quantile(simulate.ASSESSMENT_DAYS, u) for u in evenly)
    within_45 = sum(day <= 45 for day in days) / len(days)
    assert abs(within_45 - 0.857) < 0.002
    assert statistics.median(days) == 33
    assert days[len(days) // 4] == 17 and days[3 * len(days) // 4] == 43


def test_initial_conference_delays_drawn_evenly_match_englands_81_point_4_percent_within_15_days():
    evenly = [(k + 0.5) / 10_000 for k in range(10_000)]
    days = [simulate.quantile(simulate.ICPC_DAYS, u) for u in evenly]
    assert abs(sum(day <= 15 for day in days) / len(days) - 0.814) < 0.002


def test_a_stratified_stream_hits_a_rate_in_every_block_yet_is_not_in_order():
    stream = simulate.Strata(random.Random(1))
    draws = [stream() for _ in range(200)]
    for block in range(10):
        chunk = draws[block * 20:(block + 1) * 20]
        assert sorted(int(u * 20) for u in chunk) == list(range(20))
    assert draws[:20] != sorted(draws[:20])
    picks = [stream.pick(simulate.CATEGORIES) for _ in range(1000)]
    assert picks.count("NEG") == 500 and picks.count("EMO") == 350
