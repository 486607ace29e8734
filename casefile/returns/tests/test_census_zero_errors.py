"""The census export of a simulated authority passes the community validator and ours with no error, and only the
queries the simulator plants or lets arise (issue 11, item 3: the zero-error test).

A small authority (one year, about 400 referrals, 35 to 40 child protection plans) for the census year ending
on its end date. Queries it raises, and why:
- 8670Q: assessments still not authorised 45 working days after they started at 31 March (the simulator's late
  assessments, config.PLANTED "late_assessments", and the assessment clock drawn at England's rates);
- 8675Q: section 47 enquiries with no initial conference 15 working days after the strategy discussion at 31 March
  (the initial conference clock at England's rates, of which 18.6% run over 15 days).
"""

import datetime
from collections import Counter

import pytest

from casefile.demo import simulate
from casefile.returns import census
from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests.oracle import oracle_or_skip, run_oracle

END = datetime.date(2026, 3, 31)
EXPECTED_QUERIES = {"8670Q", "8675Q"}
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_small_census")]


def test_the_census_of_a_simulated_authority_has_no_error_and_only_the_planted_queries():
    oracle_or_skip()
    simulate.simulate(size="small", seed=2025, end_date=END)
    xml = census.export_and_validate("2025-26").xml  # checked against the XSD on the way
    rows = run_oracle(xml, "2025-26")
    found = Counter(row["rule_code"] for row in rows)
    errors = {code: count for code, count in found.items() if not code.endswith("Q")}
    assert errors == {}
    assert set(found) <= EXPECTED_QUERIES, found
    assert xml.count(b"<ChildProtectionPlans>") >= 20  # the test covers child protection, not only referrals
    ours = Counter(issue.code for issue in pack("2025-26").validate(parse(xml)))
    # Our validator finds no error either, and no query beyond the planted ones: every child has disability codes
    # or NONE (8540), and the simulator uses more than 7 codes (2887Q) and several for some children (2888Q).
    assert {code for code in ours if not code.endswith("Q")} == set(), ours
    assert set(ours) <= EXPECTED_QUERIES, ours
    no_disability = xml.count(b"<Disability>NONE</Disability>")
    assert 0 < xml.count(b"<Disability>") - no_disability < no_disability  # codes recorded; most children have none
