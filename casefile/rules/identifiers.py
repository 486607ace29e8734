"""Checks for NHS numbers and Unique Pupil Numbers, with messages that say what is expected."""

from __future__ import annotations

import re


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier; the message says what a valid one looks like."""


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit; None means no valid NHS number starts with these nine digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def validate_nhs_number(value: str) -> str:
    """Return the NHS number as ten digits, or raise InvalidIdentifier."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise InvalidIdentifier("Enter an NHS number of 10 digits, like 943 476 5919")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidIdentifier("This is not a valid NHS number: check each digit, like 943 476 5919")
    return digits


def format_nhs_number(digits: str) -> str:
    """Show an NHS number in the 3-3-4 groups people read it in."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


# The check letter alphabet leaves out I, O and S, which are easily misread.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2 to 13 of a UPN, weighted by position (2 to 13), modulo 23."""
    total = 0
    for position, char in enumerate(last_twelve, start=2):
        total += position * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> str:
    """Return the UPN in capitals, or raise InvalidIdentifier.

    A permanent UPN is a check letter and 12 digits; a temporary one ends in a letter instead.
    """
    upn = (value or "").strip().upper()
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[\d{UPN_LETTERS}]", upn):
        raise InvalidIdentifier(
            "Enter a UPN of 13 characters: a letter, 11 digits, then a digit or letter, like A123456789012"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise InvalidIdentifier("This UPN's first letter does not match its check letter: check each character")
    return upn


# The UK postcode shapes (outward code, space, inward code), with the letters each position may hold.
_POSTCODE = re.compile(
    r"(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" [0-9][ABD-HJLNP-UW-Z]{2})"
)


def normalise_postcode(value: str) -> str:
    """Capitals with one space before the last three characters.

    >>> normalise_postcode(" ls14ab ")
    'LS1 4AB'
    """
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> str:
    """Return the postcode normalised, or raise InvalidIdentifier."""
    postcode = normalise_postcode(value)
    if not _POSTCODE.fullmatch(postcode):
        raise InvalidIdentifier("Enter a real UK postcode, like LS1 4AB")
    return postcode
