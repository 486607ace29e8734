"""The child's voice coverage on crafted rows: each measure's count and percentage, and the rows behind them."""

from __future__ import annotations

from datetime import date

import pytest

from casefile.rules.voice import ASSESSMENT, VISIT, VoiceRow, behind, counted, coverage, meets, percent, total

DAY = date(2026, 10, 1)


def visit(id: int, *, seen=True, alone=None, heard=False, difference=False, worker=1, team=10) -> VoiceRow:
    return VoiceRow(VISIT, id, 100 + id, DAY, worker, team, seen, alone, heard, difference)


ROWS = [
    visit(1, alone=True, heard=True, difference=True),
    visit(2, alone=True, heard=True),
    visit(3, alone=False, heard=False),
    visit(4, seen=False),
    visit(5, alone=True, heard=True, difference=True, worker=2, team=20),
    visit(6, seen=False, worker=2, team=20),
    visit(7, seen=None, worker=2, team=20),
]


def test_each_measure_counts_its_records_and_rounds_half_up():
    team = coverage(ROWS, lambda row: row.team_id)
    first = team[10]
    assert first.records == 4
    # Seen: 3 of 4 visits; the rest of those 3 where the child was seen.
    assert (first.met["seen"], first.counted["seen"], first.percent("seen")) == (3, 4, 75)
    assert (first.met["alone"], first.counted["alone"], first.percent("alone")) == (2, 3, 67)
    assert (first.met["heard"], first.counted["heard"], first.percent("heard")) == (2, 3, 67)
    assert (first.met["difference"], first.counted["difference"], first.percent("difference")) == (1, 3, 33)
    assert first.missing("seen") == 1 and first.missing("difference") == 2
    second = team[20]
    assert second.records == 3 and second.percent("seen") == 33
    assert second.percent("alone") == 100 and second.missing("alone") == 0


def test_the_whole_is_not_the_average_of_the_parts():
    whole = total(ROWS)
    assert whole.records == 7
    assert whole.percent("seen") == 57  # 4 of 7, not (75 + 33) / 2
    assert whole.percent("difference") == 50  # 2 of 4 seen


def test_nothing_to_count_is_no_percentage_rather_than_zero():
    only_unseen = total([visit(4, seen=False)])
    assert only_unseen.percent("seen") == 0 and only_unseen.percent("alone") is None
    assert percent(0, 0) is None and percent(1, 200) == 1 and percent(1, 201) == 0


def test_a_child_not_seen_is_counted_only_for_seen():
    row = visit(4, seen=False, heard=True, difference=True)
    assert counted(row, "seen") and not meets(row, "seen")
    assert not counted(row, "heard") and not meets(row, "heard")


def test_the_rows_behind_a_count_are_the_ones_that_did_not_meet_it_newest_first():
    older = VoiceRow(ASSESSMENT, 9, 109, date(2026, 9, 1), 1, 10, True, False, True, False)
    rows = [*ROWS, older]
    assert [row.id for row in behind(rows, "alone")] == [3, 9]
    assert [row.id for row in behind(rows, "seen")] == [7, 6, 4]
    assert len(behind(rows)) == 8 and behind(rows)[-1] is older


def test_an_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="'words' is not one of seen, alone, heard, difference"):
        counted(ROWS[0], "words")
