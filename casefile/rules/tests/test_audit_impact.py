"""A re-audit's impact, worked by hand: the change in grade per section and overall in steps on Ofsted's scale
(outstanding, good, requires improvement, inadequate), and summaries across many re-audits."""

import pytest

from casefile.rules.audit_impact import (
    DECLINED,
    IMPROVED,
    SAME,
    change,
    impact,
    summarise,
    summarise_by_section,
    summarise_overall,
)

RI, GOOD, INADEQUATE, OUTSTANDING = "requires_improvement", "good", "inadequate", "outstanding"


@pytest.mark.parametrize(("before", "after", "steps", "direction"), [
    (RI, GOOD, 1, IMPROVED),
    (INADEQUATE, OUTSTANDING, 3, IMPROVED),
    (GOOD, GOOD, 0, SAME),
    (GOOD, INADEQUATE, -2, DECLINED),
    (OUTSTANDING, RI, -2, DECLINED),
])
def test_a_change_is_counted_in_steps_on_the_scale(before, after, steps, direction):
    assert change(before, after).steps == steps
    assert change(before, after).direction == direction


def test_a_grade_off_the_scale_is_refused_naming_it():
    with pytest.raises(ValueError, match="'excellent' is not on the scale"):
        change("excellent", GOOD)


def test_a_re_audit_measures_only_the_sections_graded_at_both():
    measured = impact(RI, GOOD, {"planning": RI, "recording": INADEQUATE, "voice": GOOD},
                      {"planning": GOOD, "recording": INADEQUATE, "outcomes": GOOD})
    assert measured.overall.steps == 1
    assert {key: each.steps for key, each in measured.sections.items()} == {"planning": 1, "recording": 0}


def test_summaries_across_re_audits_by_hand():
    # Three re-audits: overall RI->good (+1), good->good (0), inadequate->good (+2); planning RI->good (+1),
    # good->RI (-1); recording inadequate->RI (+1) in the third only.
    impacts = [
        impact(RI, GOOD, {"planning": RI}, {"planning": GOOD}),
        impact(GOOD, GOOD, {"planning": GOOD}, {"planning": RI}),
        impact(INADEQUATE, GOOD, {"recording": INADEQUATE}, {"recording": RI}),
    ]
    overall = summarise_overall(impacts)
    assert (overall.improved, overall.same, overall.declined, overall.total) == (2, 1, 0, 3)
    assert overall.mean_steps == pytest.approx(1.0)  # (1 + 0 + 2) / 3
    assert overall.share(IMPROVED) == pytest.approx(200 / 3)
    by_section = summarise_by_section(impacts)
    assert (by_section["planning"].improved, by_section["planning"].declined) == (1, 1)
    assert by_section["planning"].mean_steps == 0
    assert by_section["recording"].total == 1 and by_section["recording"].steps == 1


def test_nothing_to_summarise_has_no_mean():
    empty = summarise([])
    assert empty.total == 0 and empty.mean_steps is None and empty.share(SAME) is None
