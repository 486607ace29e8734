"""Indicators with the DfE's and Ofsted's definitions, over plain rows of the record (issue 12, item 2).

`INDICATORS` maps each code to its `Indicator`: the definition in words, unit, polarity, source and a compute
function that returns the figure and the records (and children) behind its numerator and denominator.
`over_periods` gives a trend and `by_group` splits by team or worker. Published England figures are in
`casefile.rules.indicators.published`. No Django and no clock here.
"""

from casefile.rules.indicators.catalogue import INDICATOR_LIST, INDICATORS
from casefile.rules.indicators.core import (
    DEFAULT_SETTINGS,
    ROWS,
    Body,
    Cohort,
    Indicator,
    Item,
    Period,
    Records,
    Result,
    Settings,
    Source,
    Unit,
    by_group,
    census_years,
    months,
    over_periods,
)

__all__ = ["DEFAULT_SETTINGS", "INDICATORS", "INDICATOR_LIST", "Body", "Cohort", "Indicator", "Item", "Period",
           "ROWS", "Records", "Result", "Settings", "Source", "Unit", "by_group", "census_years", "months",
           "over_periods"]
