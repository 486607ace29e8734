"""Casework's list presenters: what the caseload and non-working-day tables show."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from casefile.casework.presenters import caseload_weights_text, caseloads_table, closed_days_table

KINDS = ("cp_plan", "assessment")
LABELS = {"cp_plan": "CP plan", "assessment": "Assessment"}


def test_weights_read_as_a_sentence_with_no_needless_decimals():
    assert caseload_weights_text(KINDS, LABELS, {"cp_plan": 3.0, "assessment": 1.5}) == "cp plan 3, assessment 1.5."


def test_a_caseload_row_tags_overdue_items_and_lines_up_the_numbers():
    load = SimpleNamespace(worker=None, counts={"cp_plan": 1, "assessment": 2}, children=3, weight_text="5",
                           overdue=2)
    calm = SimpleNamespace(**{**vars(load), "overdue": 0})
    load.worker = calm.worker = SimpleNamespace(role_label="Social worker")
    params = caseloads_table([load, calm], KINDS, LABELS)
    assert [cell["text"] for cell in params["head"]] == ["Name", "CP plan", "Assessment", "Children", "Weight",
                                                         "Overdue items"]
    assert all(cell.get("format") == "numeric" for cell in params["head"][1:])
    assert params["rows"][0][-1]["html"] == '<strong class="govuk-tag govuk-tag--red">2</strong>'
    assert params["rows"][1][-1] == {"text": "0", "format": "numeric"}
    assert params["captionClasses"] == "govuk-visually-hidden"


def test_a_closed_day_says_its_weekday_and_where_it_comes_from():
    days = [SimpleNamespace(date=datetime.date(2026, 12, 28), description="Boxing Day (substitute day)",
                            added_by_authority=False),
            SimpleNamespace(date=datetime.date(2026, 12, 29), description="Council closure", added_by_authority=True)]
    rows = closed_days_table(days)["rows"]
    assert rows[0] == [{"text": "Monday 28 December 2026"}, {"text": "Boxing Day (substitute day)"},
                       {"text": "England and Wales bank holiday"}]
    assert rows[1][2] == {"text": "Added by the council"}
