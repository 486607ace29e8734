"""A whole authority's signals load only the children (oversight/signals.py `_in_view`) and the rows (`_Trim`) that
can still make a finding, and the rules skip checks with nothing to read (rules/signals.py `NEEDS`): on a
simulated authority, all three give exactly the findings of the full record. One small authority (two years, so
the look-back leaves history out) is
built for the module and rolled back afterwards."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from casefile.oversight import kept_signals, signals
from casefile.rules import signals as rules
from casefile.rules.clocks import add_calendar_months

END = datetime.date(2026, 3, 31)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("signals_trimmed")]


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("simulate_la", "--size", "small", "--years", "2", "--seed", "5", "--end-date", END.isoformat(),
                     "--force", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def every_check(records, ctx) -> dict:
    """The findings with every check run for every child, as before NEEDS (the reference)."""
    return {record.child_id: [finding for signal in rules.SIGNALS.values() for finding in signal.check(record, ctx)
                              if finding.current or ctx.since is None or finding.day >= ctx.since]
            for record in records}


@pytest.mark.parametrize("months", [12, 3])
def test_the_trimmed_record_gives_the_same_findings_as_the_whole_record(authority, months, monkeypatch):
    monkeypatch.setattr(signals, "TRIM_FROM", 1)  # a small authority has fewer children than a trim needs
    ctx = signals.context(today=END, since=add_calendar_months(END, -months))
    whole = signals.load_records(None, ctx, trim=False)
    trimmed = signals.load_records(None, ctx)
    # The trim leaves children and rows out, or this test would prove nothing.
    assert len(trimmed) < len(whole)
    assert sum(len(r.visits) for r in trimmed) < sum(len(r.visits) for r in whole)
    assert sum(len(r.allocations) for r in trimmed) < sum(len(r.allocations) for r in whole)
    expected = every_check(whole, ctx)
    # A child left out has no findings; every other child has the same findings, in the same order.
    assert rules.findings_for_all(trimmed, ctx) == {record.child_id: expected[record.child_id] for record in trimmed}
    assert {child_id for child_id, findings in expected.items() if findings} <= {r.child_id for r in trimmed}
    assert signals.signals_for_authority(ctx) == expected
    found = {finding.code for findings in expected.values() for finding in findings}
    assert {"late_visits", "worker_changes", "re_referral", "missing_identity", "father_left_out"} <= found


def test_everything_is_loaded_when_looking_at_all_history(authority):
    ctx = signals.context(today=END, everything=True)
    whole = signals.load_records(None, ctx, trim=False)
    assert signals.load_records(None, ctx) == whole
    assert rules.findings_for_all(whole, ctx) == every_check(whole, ctx)


def test_a_few_children_are_loaded_whole(authority):
    """Below TRIM_FROM children the subqueries that trim would cost more than the rows they save."""
    ctx = signals.context(today=END, since=add_calendar_months(END, -12))
    few = sorted(record.child_id for record in signals.load_records(None, ctx, trim=False))[:20]
    assert signals.load_records(few, ctx) == signals.load_records(few, ctx, trim=False)


def test_the_kept_findings_of_a_whole_authority_are_its_findings(authority):
    ctx = signals.context(today=END)
    kept = kept_signals.refresh(today=END)
    # Nothing written since (or every child would be worked out again, and this would prove nothing).
    assert not kept_signals.written_to_since(kept.computed_at - kept_signals.IN_FLIGHT)
    everyone = signals.signals_for_authority(ctx)
    found, used = kept_signals.found_for(everyone, ctx)
    assert used == kept and found == everyone
    assert kept.findings.count() == sum(map(len, everyone.values())) > 100
