import pytest

from casefile.rules.identifiers import (
    InvalidIdentifier,
    format_nhs_number,
    nhs_check_digit,
    normalise_postcode,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

# Nine digits whose modulus 11 check comes out as 10, so no NHS number can start with them.
NO_VALID_CHECK_DIGIT = "401023217"


@pytest.mark.parametrize("value", ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 "])
def test_it_accepts_a_valid_nhs_number_written_in_any_usual_way(value):
    assert validate_nhs_number(value) == "9434765919"


def test_the_check_digit_is_modulus_11_of_the_weighted_digits():
    # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9
    assert nhs_check_digit("943476591") == 9


def test_a_remainder_of_zero_gives_check_digit_zero():
    # 1*9 + 1*2 = 11, a multiple of 11: 11 - 0 would be 11, which stands for 0.
    assert nhs_check_digit("010000001") == 0
    assert validate_nhs_number("0100000010") == "0100000010"


def test_check_digit_10_means_the_number_is_invalid():
    assert nhs_check_digit(NO_VALID_CHECK_DIGIT) is None
    for last in "0123456789":
        with pytest.raises(InvalidIdentifier, match="not a valid NHS number"):
            validate_nhs_number(NO_VALID_CHECK_DIGIT + last)


def test_it_refuses_an_nhs_number_with_a_wrong_check_digit():
    with pytest.raises(InvalidIdentifier, match="not a valid NHS number: check each digit"):
        validate_nhs_number("9434765918")


@pytest.mark.parametrize("value", ["943476591", "94347659190", "94347659AB", "", "nhs"])
def test_it_refuses_an_nhs_number_that_is_not_10_digits_and_says_so(value):
    with pytest.raises(InvalidIdentifier, match="Enter an NHS number of 10 digits, like 943 476 5919"):
        validate_nhs_number(value)


def test_nhs_numbers_are_shown_in_groups_of_3_3_and_4():
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("123") == "123"


def test_the_upn_check_letter_is_the_weighted_sum_modulo_23():
    # 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 % 23 = 1, the second letter: B
    assert upn_check_letter("801200005001") == "B"
    assert validate_upn("b801200005001") == "B801200005001"


def test_it_refuses_a_upn_whose_check_letter_does_not_match():
    with pytest.raises(InvalidIdentifier, match="first letter does not match its check letter"):
        validate_upn("A801200005001")


def test_a_temporary_upn_ends_in_a_letter_that_counts_in_the_check():
    # The final A counts as 0: 80 % 23 = 11, the letter M (I, O and S are left out of the alphabet).
    assert upn_check_letter("80120000500A") == "M"
    assert validate_upn("M80120000500A") == "M80120000500A"
    # A final B adds 13: 93 % 23 = 1, so the check letter becomes B.
    assert validate_upn("B80120000500B") == "B80120000500B"
    with pytest.raises(InvalidIdentifier, match="check letter"):
        validate_upn("M80120000500B")


@pytest.mark.parametrize("value", ["B80120000500", "B8012000050011", "I801200005001", "B80120000500I",
                                   "B80120000A001", "", "801200005001B"])
def test_it_refuses_a_upn_of_the_wrong_shape_and_describes_the_right_one(value):
    with pytest.raises(InvalidIdentifier, match="Enter a UPN of 13 characters: a letter, 11 digits, then a digit"):
        validate_upn(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("ls14ab", "LS1 4AB"), (" sw1a  1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE"), ("dn551pt", "DN55 1PT"),
    ("W1A 0AX", "W1A 0AX"), ("EC1A1BB", "EC1A 1BB"), ("GIR0AA", "GIR 0AA"),
])
def test_it_accepts_uk_postcodes_in_capitals_with_one_space(value, expected):
    assert validate_postcode(value) == expected


@pytest.mark.parametrize("value", ["LS1", "12345", "LS1 4AC", "QS1 4AB", "LS14 4ABC", "BFPO 1", ""])
def test_it_refuses_something_that_is_not_a_uk_postcode(value):
    with pytest.raises(InvalidIdentifier, match="Enter a real UK postcode, like LS1 4AB"):
        validate_postcode(value)


def test_normalising_a_postcode_only_changes_case_and_spacing():
    assert normalise_postcode("l s 1 4 a b") == "LS1 4AB"
