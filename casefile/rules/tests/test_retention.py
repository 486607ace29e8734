"""The retention schedule: each default's date worked out by hand, the longest period winning, holds, and an
authority's changes (a statutory minimum can be lengthened, never shortened)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.rules.retention import (
    ADOPTION,
    CHILD_IN_NEED,
    CHILD_PROTECTION,
    CONTACT_ONLY,
    DEFAULT_SCHEDULE,
    LOOKED_AFTER,
    Facts,
    assess,
    schedule_from,
)

BORN = date(2001, 7, 14)


def test_every_default_names_its_source():
    for rule in DEFAULT_SCHEDULE.values():
        assert len(rule.source) > 20
    assert "SI 2005/888" in DEFAULT_SCHEDULE[ADOPTION].source
    assert "SI 2010/959" in DEFAULT_SCHEDULE[LOOKED_AFTER].source
    assert "[2015] EWHC 2134 (Admin)" in DEFAULT_SCHEDULE[CHILD_PROTECTION].source


def test_a_child_in_need_closed_young_is_kept_until_the_day_after_the_21st_birthday():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2009, 1, 5), child_in_need=True))
    assert (verdict.kind, verdict.dispose_on) == (CHILD_IN_NEED, date(2022, 7, 15))


def test_a_child_in_need_closed_at_20_is_kept_3_years_after_closure():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2021, 9, 30), child_in_need=True))
    assert verdict.dispose_on == date(2024, 9, 30)


def test_child_protection_is_kept_35_years_after_closure():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2010, 2, 1), child_in_need=True,
                           child_protection=True))
    assert (verdict.kind, verdict.dispose_on) == (CHILD_PROTECTION, date(2045, 2, 1))


def test_adoption_is_kept_100_years_from_the_order_and_wins_over_the_rest():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2004, 3, 1), adopted=True,
                           adoption_order_on=date(2004, 3, 1), child_in_need=True, child_protection=True))
    assert (verdict.kind, verdict.dispose_on) == (ADOPTION, date(2104, 3, 1))


def test_an_adoption_with_no_order_date_is_held_not_guessed():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2004, 3, 1), adopted=True,
                           child_in_need=True))
    assert verdict.dispose_on is None
    assert verdict.held_because == "adoption: no adoption order date is recorded"
    assert not verdict.is_due(date(2300, 1, 1))


def test_looked_after_until_the_75th_birthday_or_15_years_after_an_early_death():
    alive = Facts(date_of_birth=BORN, last_involvement=date(2019, 7, 14), looked_after=True)
    assert assess(alive).dispose_on == date(2076, 7, 15)
    died_at_10 = Facts(date_of_birth=BORN, date_of_death=date(2011, 8, 1), last_involvement=date(2011, 8, 1),
                       looked_after=True)
    assert assess(died_at_10).dispose_on == date(2026, 8, 1)
    died_at_30 = Facts(date_of_birth=BORN, date_of_death=date(2031, 8, 1), looked_after=True)
    assert assess(died_at_30).dispose_on == date(2076, 7, 15)


def test_contacts_that_never_became_a_referral_go_6_years_after_the_last():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2015, 11, 20)))
    assert (verdict.kind, verdict.dispose_on) == (CONTACT_ONLY, date(2021, 11, 20))


def test_open_work_or_a_missing_birth_date_holds_the_file():
    assert assess(Facts(date_of_birth=BORN, last_involvement=date(2005, 1, 1), has_open_work=True,
                        child_in_need=True)).held_because == "work on the file is still open"
    held = assess(Facts(date_of_birth=None, last_involvement=date(2005, 1, 1), child_in_need=True))
    assert held.held_because == "child in need: no date of birth is recorded"


def test_due_on_the_disposal_day_and_not_the_day_before():
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2015, 11, 20)))
    assert verdict.is_due(date(2021, 11, 20))
    assert not verdict.is_due(date(2021, 11, 19))


def test_born_on_29_february_counts_from_1_march_in_other_years():
    verdict = assess(Facts(date_of_birth=date(2004, 2, 29), last_involvement=date(2010, 1, 1),
                           child_in_need=True))
    assert verdict.dispose_on == date(2025, 3, 2)


# An authority's schedule -----------------------------------------------------------------------------------


def test_an_authority_lengthens_a_local_default_with_its_own_source():
    schedule = schedule_from({CHILD_IN_NEED: {"until_birthday": 25, "years_after": 6,
                                              "source": "Borough records policy 2026, 4.2"}})
    verdict = assess(Facts(date_of_birth=BORN, last_involvement=date(2009, 1, 5), child_in_need=True), schedule)
    assert verdict.dispose_on == date(2026, 7, 15)
    assert verdict.rule.source == "Borough records policy 2026, 4.2"
    assert DEFAULT_SCHEDULE[CHILD_IN_NEED].until_birthday == 21  # the default itself is untouched


def test_an_authority_may_shorten_a_local_default():
    schedule = schedule_from({CHILD_PROTECTION: {"years_after": 25, "source": "Borough policy"}})
    assert schedule[CHILD_PROTECTION].years_after == 25


@pytest.mark.parametrize(("change", "message"), [
    ({ADOPTION: {"years_after": 75, "source": "x"}}, "adoption.years_after: the law sets at least 100"),
    ({LOOKED_AFTER: {"until_birthday": None, "years_after": 80, "source": "x"}},
     "looked_after.until_birthday: the law sets at least 75"),
    ({LOOKED_AFTER: {"years_after_death_under_18": 10, "source": "x"}},
     "looked_after.years_after_death_under_18: the law sets at least 15"),
    ({CHILD_IN_NEED: {"years_after": 6}}, "child_in_need.source: say where"),
    ({CHILD_IN_NEED: {"years": 6, "source": "x"}}, "child_in_need: cannot set years"),
    ({"early_help": {"years_after": 6, "source": "x"}}, "early_help: not a kind of record"),
    ({CHILD_IN_NEED: {"years_after": "six", "source": "x"}}, "child_in_need.years_after: a whole number"),
    ({CONTACT_ONLY: {"years_after": None, "source": "x"}}, "contact_only: give until_birthday or years_after"),
])
def test_a_bad_or_unlawful_change_is_refused_naming_it(change, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        schedule_from(change)


def test_a_statutory_minimum_may_be_lengthened():
    schedule = schedule_from({ADOPTION: {"years_after": 125, "source": "CALGG guidance, good practice"}})
    assert schedule[ADOPTION].years_after == 125 and schedule[ADOPTION].statutory


dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31))


@given(born=dates, ended=dates, cin=st.booleans(), cp=st.booleans(), adopted=st.booleans())
def test_a_file_is_never_due_before_any_rule_that_applies_to_it_lets_it_go(born, ended, cin, cp, adopted):
    facts = Facts(date_of_birth=born, last_involvement=ended, child_in_need=cin, child_protection=cp,
                  adopted=adopted, adoption_order_on=ended if adopted else None)
    verdict = assess(facts)
    for kind, flag in ((CHILD_IN_NEED, cin), (CHILD_PROTECTION, cp), (ADOPTION, adopted)):
        if flag:
            single = assess(Facts(date_of_birth=born, last_involvement=ended, child_in_need=kind == CHILD_IN_NEED,
                                  child_protection=kind == CHILD_PROTECTION, adopted=kind == ADOPTION,
                                  adoption_order_on=facts.adoption_order_on))
            assert verdict.dispose_on >= single.dispose_on
    assert verdict.dispose_on > ended or verdict.dispose_on >= born + timedelta(days=1)
