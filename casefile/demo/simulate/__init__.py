"""A simulated local authority: people, households and whole journeys over years, at England's rates.

`manage.py simulate_la --size small|medium|large --seed N` calls `simulate(...)`. Everything is invented (NHS
numbers in NHS England's never-issued 999 range, postcodes in the unused "DB" area, as in demo/seed.py).

How it works
------------
Referral dates are drawn for every day from the start to `end_date` (mostly working days, fewer in August and
at Christmas). Referrals are then taken in date order. Each picks a child: a re-referral of a child whose last
referral was within 12 months and whose episode has closed, a child known before, an unreferred sibling, or
a new family. The whole journey that follows (assessment, strategy discussion and section 47 enquiry, initial
conference, child protection or child in need plan with reviews, core groups and visits, closure) is generated
at once; anything dated after `end_date` is left out, so those cases are open at the end.

Rates are England 2024-25 figures (statutory-rules.md §8, DfE "Children in need" 2025). Each yes/no decision
and each duration is drawn from a *stratified* stream (`Strata`): shuffled blocks of 20 evenly spread numbers.
The order looks random, but any few hundred draws hit the rate closely, so a medium authority matches England
within a percentage point or so, as tests/test_simulate_rates.py checks from the database records.

Dates that drive clocks are computed with casefile.rules.working_days (England and Wales calendar, day-0
counting as in the DfE statistics, indexed once for speed), so the clocks package reads the same timeliness back.

Speed and history
-----------------
Rows are built in memory as plain dicts with their primary keys assigned up front (so foreign keys need no
round trip) and written in batches of about 50,000: with bulk_create, or on SQLite with the same INSERT run
through executemany, because Django's per-value compilation was three quarters of the time (see Writer).
Either way django-simple-history and signals are bypassed: generated history has no historical records and no
per-row audit events. That is deliberate: an audit trail of views and changes that never happened would be
false, and millions of rows of it would make a large authority take hours. The simulator writes one audit event,
"simulated data loaded" (size, seed, period and counts), acted by the system administrator account it creates.

Practice problems are planted at stated rates (config.PLANTED: late visits, drift, missing ethnicity, religion
or first language, vague plan actions, closures without the child's views, closures signed off without the
child's history shown, unseen fathers, late recording, quiet child protection cases, late assessments) so the
quality features have something to find. Others arise from the journeys at England's rates and are counted as
they are generated, against rules/signals.py's default thresholds (config.ARISING: overdue clocks at the end date,
plans not started after an assessment, child protection plans of 15 months and 2 years, repeat plans, repeated
strategy discussions, re-referrals within 12 months of closure, worker changes). `Result.planted` reports each as
planted (or arisen) of how many, and oversight/tests/test_signal_rates.py checks every signal reports that rate
within 2 percentage points.

Problems added after the journeys were settled draw from a side stream of their own (`Simulation.side_stream`,
seeded from the seed and the problem's name), never from the main one, so planting them changed no journey:
the same seed builds the same referrals, plans, visits and closures. A quiet case's visits and core groups after
its quiet day are still drawn, only not written. Disabilities (the census's codes, or NONE, for every child) are
drawn the same way, once all referrals are known: about 12.5% of children in need have one (config.DISABILITY_RATE),
every child referred for their disability (primary need N2) among them, several codes for some.

Modules, each importing only those above it (a test checks there is no cycle)
------------------------------------------------------------------------------
config      sizes, England's rates, the planted problems (plain data)
drawing     stratified streams and quantiles
calendar    working days, indexed
vocabulary  invented names, concerns, plan wording
writer      buffered rows, written in batches
state       families, children, pools, staff teams, the tally and the result
front_door  contacts, threshold decisions, handovers, letters, police notifications
journey     one child's episode, referral to closure
authority   the run: staff, families, referrals in date order; `simulate(...)`
"""

from casefile.demo.simulate.authority import AlreadySimulated, Simulation, simulate
from casefile.demo.simulate.calendar import WorkingDays
from casefile.demo.simulate.config import (
    ARISING,
    ASSESSMENT_DAYS,
    CATEGORIES,
    ICPC_DAYS,
    PLANTED,
    SIZES,
    SYSTEM_USERNAME,
    Size,
)
from casefile.demo.simulate.drawing import Strata, quantile
from casefile.demo.simulate.state import Result
from casefile.demo.simulate.writer import MODELS

__all__ = ["ARISING", "ASSESSMENT_DAYS", "CATEGORIES", "ICPC_DAYS", "MODELS", "PLANTED", "SIZES", "SYSTEM_USERNAME",
           "AlreadySimulated", "Result", "Simulation", "Size", "Strata", "WorkingDays", "quantile", "simulate"]
