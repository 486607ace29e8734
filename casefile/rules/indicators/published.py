"""Published England figures to compare the indicators with, each with the year, the table and the address it
was read from. Only figures read in a retrieved copy of the source are here; none is estimated. A figure marked
`derived` was worked out from published counts in the same table (the working is in `note`).

Statistical neighbours: the DfE's Children's Services Statistical Neighbour Benchmarking Tool (an NFER model
giving each authority 10 neighbours) was published inside the Local Authority Interactive Tool (LAIT), which
gov.uk withdrew in November 2024; it is now sent on request by email (statutory-rules.md §8). No neighbour
figures are shipped: an authority enters its neighbours' average for each indicator and year as data
(insight.NeighbourFigure, rules/neighbours.py; `NEIGHBOUR_NOTE`, shown beside every comparison).

Not found in a retrievable source, so left out: the 2025 (and 2024) rate of children on a child protection plan
per 10,000, the 2025 rate of section 47 enquiries per 10,000, the percentage of plans that were a second or
subsequent plan (table D3) for any recent year, and the DfE's own workforce figures (agency rate, vacancy rate,
turnover and average caseload) from the "Children's social work workforce" release itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

EES = "https://explore-education-statistics.service.gov.uk/"
C1_2025 = EES + "data-catalogue/data-set/911dae20-ac5d-4e28-bee8-53a658761fa5"
C2_2025 = EES + "data-catalogue/data-set/3fb5a93d-1eb3-4f3a-bdd0-5caea4556ce6"
C4_2025 = EES + "data-catalogue/data-set/b0749fa2-c0e2-4a15-8c0f-23941b3b6161"
C4_2023 = EES + "data-catalogue/data-set/9cc01e71-9809-4aca-ab8a-413c91312c4a"
D1_2025 = EES + "data-catalogue/data-set/0183a28b-6a55-4eff-aa08-33cc14f3a5bb"
D7_2025 = EES + "data-catalogue/data-set/04a78d29-2196-4bea-bf95-7a2eced5d0d5"
A2_2020 = EES + "data-catalogue/data-set/6be19822-a151-4cb5-aefc-4e4054e767c8"
RE_REFERRALS_2024 = EES + "find-statistics/children-in-need-a-focus-on-re-referrals"
WORKFORCE_2024_PRESS = "https://www.cypnow.co.uk/content/news/fall-in-number-of-agency-childrens-social-workers"

NEIGHBOUR_NOTE = (
    "Statistical neighbours: the DfE's benchmarking tool (NFER model, 10 neighbours for each authority) is no "
    "longer on gov.uk since the Local Authority Interactive Tool was withdrawn in November 2024; it is sent on "
    "request. Casefile ships no neighbour figures: a performance analyst or administrator enters the neighbours' "
    "average for each indicator and year, with the group and source, on the statistical neighbours' figures page "
    "(/insight/neighbours/), one at a time or as a CSV file, and the clinic and the self-evaluation pack show it "
    "beside the England figure.")


@dataclasses.dataclass(frozen=True)
class Published:
    """One published figure. `year` is the year it describes: 2025 is the year ending 31 March 2025 for the
    children in need tables (30 September for the workforce census)."""

    indicator: str
    area: str
    year: int
    value: float
    table: str
    url: str
    derived: bool = False
    secondary: bool = False  # read in a report of the DfE's release, not in the release itself
    note: str = ""


ENGLAND = "England"

FIGURES: tuple[Published, ...] = (
    Published("referrals", ENGLAND, 2025, 632_830, "C1 Referrals and re-referrals", C1_2025),
    Published("re_referrals", ENGLAND, 2025, 22.6, "C1 Referrals and re-referrals", C1_2025,
              note="142,900 re-referrals within 12 months of 632,830 referrals."),
    Published("referrals", ENGLAND, 2024, 621_880, "Children in need: a focus on re-referrals", RE_REFERRALS_2024),
    Published("re_referrals", ENGLAND, 2024, 22.4, "Children in need: a focus on re-referrals", RE_REFERRALS_2024,
              derived=True, note="139,080 re-referrals of 621,880 referrals = 22.36%; the release rounds it to 22%."),
    Published("assessments_within_45_working_days", ENGLAND, 2025, 85.7, "C2 Completed assessments by duration",
              C2_2025, derived=True,
              note="Bands from same day to 41-45 days (11,680 + 75,590 + 112,180 + 102,260 + 131,380 + 122,730 = "
                   "555,820) of 648,830 assessments completed; median 33 working days."),
    Published("s47_per_10000", ENGLAND, 2023, 191.6, "C4 Section 47s and ICPCs (2023 release)", C4_2023,
              note="225,400 section 47 enquiries. The 2025 count is 230,590 (C4 2025); its rate was not read."),
    Published("icpc_within_15_working_days", ENGLAND, 2025, 81.4, "C4 Section 47s and ICPCs", C4_2025,
              derived=True,
              note="Bands 0-10 and 11-15 working days (6,240 + 52,430 = 58,670) of the 72,090 ICPCs with a "
                   "duration (72,100 ICPCs in all); median 14 working days."),
    Published("cpp_per_10000", ENGLAND, 2020, 42.8, "A2 Section 47s, ICPCs and child protection plans", A2_2020,
              note="51,510 plans at 31 March 2020. 2025: 49,420 plans at 31 March (D1); the rate was not read."),
    Published("plans_ending_after_2_years", ENGLAND, 2025, 4.4, "D7 Child protection plans ending by duration",
              D7_2025, note="2,710 of 62,300 plans ending in the year (counts rounded to 10; the percentage is the "
                            "DfE's, from unrounded counts)."),
    Published("turnover_rate", ENGLAND, 2024, 13.8, "Children's social work workforce 2024 (as reported)",
              WORKFORCE_2024_PRESS, secondary=True,
              note="Children and Young People Now's report of the DfE release (year to 30 September 2024)."),
)

# Counts published beside the figures, for a page that shows the scale (England totals are rounded to 10).
COUNTS: Mapping[str, Published] = MappingProxyType({
    "cpp_at_31_march_2025": Published("cpp_per_10000", ENGLAND, 2025, 49_420, "D1 Child protection plans", D1_2025,
                                      note="Number of plans at 31 March, not a rate."),
    "s47_2025": Published("s47_per_10000", ENGLAND, 2025, 230_590, "C4 Section 47s and ICPCs", C4_2025,
                          note="Number of section 47 enquiries, not a rate."),
})


def latest(indicator: str, area: str = ENGLAND) -> Published | None:
    """The most recent published figure for an indicator, or None when none is shipped."""
    found = [figure for figure in FIGURES if figure.indicator == indicator and figure.area == area]
    return max(found, key=lambda figure: figure.year, default=None)
