"""Moderation's agreement between a first and a second auditor, with Cohen's kappa worked by hand."""

import pytest

from casefile.rules.audit_grades import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    agreement,
    agreement_by_section,
)


def test_kappa_on_a_two_grade_table_worked_by_hand():
    # 50 sections: both good 20, good then inadequate 5, inadequate then good 10, both inadequate 15.
    # Observed 35/50 = 0.7. First auditor good 25/50, second good 30/50: chance 0.5 x 0.6 + 0.5 x 0.4 = 0.5.
    # Kappa (0.7 - 0.5) / (1 - 0.5) = 0.4.
    pairs = [(GOOD, GOOD)] * 20 + [(GOOD, INADEQUATE)] * 5 + [(INADEQUATE, GOOD)] * 10 \
        + [(INADEQUATE, INADEQUATE)] * 15
    found = agreement(pairs)
    assert (found.pairs, found.agreed, found.rate) == (50, 35, 70.0)
    assert found.kappa == pytest.approx(0.4)


def test_full_agreement_is_1_and_agreement_no_better_than_chance_is_0():
    assert agreement([(GOOD, GOOD), (INADEQUATE, INADEQUATE), (OUTSTANDING, OUTSTANDING)]).kappa == pytest.approx(1)
    # Each auditor half good, half requires improvement, independently: chance 0.5; observed 0.5.
    pairs = [(GOOD, GOOD), (GOOD, REQUIRES_IMPROVEMENT), (REQUIRES_IMPROVEMENT, GOOD),
             (REQUIRES_IMPROVEMENT, REQUIRES_IMPROVEMENT)]
    assert agreement(pairs).kappa == pytest.approx(0)
    assert agreement([(GOOD, INADEQUATE), (INADEQUATE, GOOD)]).kappa == pytest.approx(-1)


def test_no_kappa_when_it_cannot_be_worked_out():
    assert agreement([]).kappa is None and agreement([]).rate is None
    # Both auditors gave every section the same one grade: chance alone agrees every time.
    same = agreement([(GOOD, GOOD)] * 4)
    assert (same.rate, same.kappa) == (100.0, None)


def test_by_section():
    found = agreement_by_section([("planning", GOOD, GOOD), ("planning", GOOD, INADEQUATE),
                                  ("recording", INADEQUATE, INADEQUATE)])
    assert {section: (a.pairs, a.agreed) for section, a in found.items()} == {"planning": (2, 1), "recording": (1, 1)}


def test_a_grade_off_the_scale_is_refused_naming_it():
    with pytest.raises(ValueError, match="grade: 'fine' is not on the scale"):
        agreement([(GOOD, "fine")])
