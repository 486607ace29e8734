import datetime
import string

from hypothesis import given
from hypothesis import strategies as st

from casefile.rules import matching
from casefile.rules.matching import Name, PersonFacts, compare, name_search_reasons, score

LILY = PersonFacts(
    names=(Name("Lily", "Hartley"),),
    date_of_birth=datetime.date(2016, 5, 14),
    nhs_number="9434765919",
    postcodes=frozenset({"LS1 4AB"}),
    sex="F",
)


def facts(first="Lily", last="Hartley", **fields) -> PersonFacts:
    return PersonFacts(names=(Name(first, last),), **fields)


def test_identical_records_score_the_maximum_with_every_reason():
    match = compare(LILY, LILY)
    assert match.score == matching.MAX_SCORE
    assert match.reasons == ["same NHS number", "same date of birth", "same surname", "same first name",
                             "same postcode (LS1 4AB)"]
    assert match.is_likely


def test_a_nickname_and_a_sound_alike_surname_are_explained_in_plain_english():
    entered = facts("Bill", "Smyth", date_of_birth=datetime.date(2010, 1, 2))
    candidate = facts("William", "Smith", date_of_birth=datetime.date(2010, 1, 2))
    match = compare(entered, candidate)
    assert match.reasons == ["same date of birth", "surname sounds alike (Smyth, Smith)",
                             "first name is a known variant (Bill → William)"]
    assert match.is_likely


def test_a_different_nhs_number_counts_against_and_is_shown_as_a_difference():
    same_name = facts(nhs_number="9434765919", date_of_birth=datetime.date(2016, 5, 14))
    other_number = facts(nhs_number="4010232137", date_of_birth=datetime.date(2016, 5, 14))
    match = compare(same_name, other_number)
    assert "different NHS number" in match.differences
    assert match.score < compare(same_name, same_name).score


def test_the_same_nhs_number_is_always_worth_showing():
    match = compare(facts("Lily", "Hartley", nhs_number="9434765919"), facts("Tom", "Jones", nhs_number="9434765919"))
    assert match.score < matching.LIKELY_SCORE
    assert match.is_likely


def test_an_unrelated_person_with_the_same_birthday_is_not_likely():
    match = compare(LILY, facts("Tom", "Jones", date_of_birth=datetime.date(2016, 5, 14), sex="M"))
    assert not match.is_likely
    assert "different sex recorded" in match.differences


def test_day_and_month_swapped_is_partial_agreement():
    match = compare(facts(date_of_birth=datetime.date(2016, 5, 4)), facts(date_of_birth=datetime.date(2016, 4, 5)))
    assert "date of birth with day and month swapped" in match.reasons
    assert matching.LIKELY_SCORE <= match.score < matching.MAX_SCORE


def test_an_alias_is_compared_and_named_in_the_reason():
    candidate = PersonFacts(names=(Name("Lily", "Brown"), Name("Lily", "Hartley", "previous name")))
    match = compare(facts("Lily", "Hartley"), candidate)
    assert "same surname (previous name)" in match.reasons


def test_likely_matches_are_sorted_best_first_and_drop_unlikely_ones():
    candidates = [("jones", facts("Tom", "Jones")), ("close", facts("Lilly", "Hartly")), ("same", LILY)]
    ranked = matching.likely_matches(LILY, candidates)
    assert [key for key, _ in ranked] == ["same", "close"]


def test_a_searched_name_matches_by_variant_and_sound():
    record = PersonFacts(names=(Name("William", "Smith"), Name("Billy", "Smith", "nickname")))
    assert name_search_reasons("Bill", "Smyth", record) == [
        "surname sounds alike (Smyth, Smith)", "first name is a known variant (Bill → William)"]
    assert name_search_reasons("Tom", "Smith", record) == []


def test_a_single_searched_word_may_be_a_surname_or_a_first_name():
    record = PersonFacts(names=(Name("Katie", "Hartley"),))
    assert name_search_reasons("", "Hartly", record) == ["surname sounds alike (Hartly, Hartley)"]
    assert name_search_reasons("", "Catherine", record) == ["first name is a known variant (Catherine → Katie)"]
    assert name_search_reasons("", "Jones", record) == []


# Properties: the score does not depend on the order, and nothing beats an identical record. ----------

name_text = st.text(alphabet=string.ascii_letters + "éöç'- ", min_size=1, max_size=15).filter(
    lambda text: any(char.isalpha() for char in text)
)
known_names = st.sampled_from(["Bill", "William", "Katie", "Kathryn", "Mohammed", "Muhammad", "Smith", "Smyth"])
any_name = st.one_of(name_text, known_names)
people = st.builds(
    PersonFacts,
    names=st.lists(st.builds(Name, any_name, any_name, st.sampled_from(["", "alias", "known as"])),
                   min_size=1, max_size=3).map(tuple),
    date_of_birth=st.one_of(st.none(), st.dates(datetime.date(1990, 1, 1), datetime.date(2025, 12, 31))),
    nhs_number=st.sampled_from(["", "9434765919", "4010232137"]),
    postcodes=st.frozensets(st.sampled_from(["LS1 4AB", "LS1 5CD", "M1 1AE"]), max_size=2),
    sex=st.sampled_from(["", "M", "F", "U"]),
)


@given(people, people)
def test_the_score_is_the_same_whichever_record_comes_first(a, b):
    assert score(a, b) == score(b, a)


@given(people)
def test_a_record_compared_with_itself_scores_the_maximum(a):
    assert score(a, a) == matching.MAX_SCORE


@given(people, people)
def test_no_record_scores_higher_than_an_identical_one(a, b):
    assert 0 <= score(a, b) <= score(a, a)


# Exact matches: the only ones linked without a person choosing -------------------------------------------------


BORN = datetime.date(2019, 4, 2)


def test_the_same_name_and_date_of_birth_is_exact_whatever_the_case_or_spacing():
    assert matching.is_exact(facts("LILY", " hartley ", date_of_birth=BORN), facts("Lily", "Hartley",
                                                                                    date_of_birth=BORN))


def test_a_variant_a_sound_alike_or_an_accent_is_not_exact():
    record = facts("Zoë", "Hartley", date_of_birth=BORN)
    for first in ("Zoe", "Zoey", "Zoë-Mae"):
        assert not matching.is_exact(facts(first, "Hartley", date_of_birth=BORN), record)
    assert not matching.is_exact(facts("Jaydon", "Smith", date_of_birth=BORN), facts("Jayden", "Smith",
                                                                                     date_of_birth=BORN))


def test_a_name_alone_is_not_exact_and_anything_that_disagrees_stops_it():
    assert not matching.is_exact(facts(), facts())
    same = {"date_of_birth": BORN}
    assert not matching.is_exact(facts(**same, nhs_number="9434765919"), facts(**same, nhs_number="4010232137"))
    assert not matching.is_exact(facts(**same, sex="M"), facts(**same, sex="F"))
    assert matching.is_exact(facts(**same, sex="U"), facts(**same, sex="F"))


def test_the_same_nhs_number_and_name_is_exact_without_a_date_of_birth_but_not_with_a_different_one():
    assert matching.is_exact(facts(nhs_number="9434765919"), facts(nhs_number="9434765919", date_of_birth=BORN))
    assert not matching.is_exact(facts(nhs_number="9434765919", date_of_birth=datetime.date(2019, 4, 3)),
                                 facts(nhs_number="9434765919", date_of_birth=BORN))


def test_an_unborn_child_is_compared_by_expected_date_of_birth():
    unborn = facts("Unborn", "Okafor", expected_date_of_birth=datetime.date(2027, 3, 2))
    assert matching.is_exact(unborn, unborn)
    assert compare(unborn, unborn).reasons[0] == "same expected date of birth"
    later = facts("Unborn", "Okafor", expected_date_of_birth=datetime.date(2027, 3, 20))
    assert "expected date of birth within a month" in compare(unborn, later).reasons
    born = facts("Amara", "Okafor", date_of_birth=datetime.date(2027, 2, 25))
    assert "born within a month of the expected date of birth" in compare(unborn, born).reasons
    sibling = facts("Amara", "Okafor", date_of_birth=datetime.date(2020, 2, 1))
    assert "different expected date of birth" in compare(unborn, sibling).differences
