"""The census years, each a pack of rules inheriting the year before (engine.Pack).

A new census year is one addition here (and its rule modules), changing nothing else: for example 2026-27's
pre-proceedings rules would be `Pack("2026-27", parent=CIN2025_26, add=cin2026_27.RULESETS)`.
"""

from __future__ import annotations

from casefile.rules.cin import cin2022_23, cin2023_24, cin2024_25
from casefile.rules.cin.engine import Pack

CIN2022_23 = Pack("2022-23", add=cin2022_23.RULESETS, sex_element="GenderCurrent")
CIN2023_24 = Pack("2023-24", parent=CIN2022_23, add=cin2023_24.RULESETS)
CIN2024_25 = Pack("2024-25", parent=CIN2023_24, add=cin2024_25.RULESETS, sex_element="Sex")
# No rule changed for 2025-26, nor (in the community validator 0.1.13) for 2026-27.
CIN2025_26 = Pack("2025-26", parent=CIN2024_25)
CIN2026_27 = Pack("2026-27", parent=CIN2025_26)

PACKS = {pack.year: pack for pack in (CIN2022_23, CIN2023_24, CIN2024_25, CIN2025_26, CIN2026_27)}


class UnknownYear(ValueError):
    pass


def pack(year: str) -> Pack:
    """The rules for a census year written "2025-26" (the return made on 31 March 2026)."""
    try:
        return PACKS[year]
    except KeyError:
        known = ", ".join(PACKS)
        raise UnknownYear(f"There are no census rules for {year!r}. Census years known: {known}.") from None


def year_ending(reference_date) -> str:
    """"2025-26" for a census whose reference date is 31 March 2026."""
    return f"{reference_date.year - 1}-{reference_date.year % 100:02d}"
