"""Every signal for the whole authority, worked out in the background and kept (ADR 0028).

Working out every signal for a large authority reads a quarter of a million episodes and assessments and every
child's identity: tens of seconds, too long for a page. `refresh` works them out from the record (nightly with
`manage.py refresh_signals`, or when quality assurance asks) and keeps the findings (`KeptSignals`,
`KeptFinding`). `found_for` reads them back for the children a page counts, in two queries, and works out again
from the record, there and then, the children whose record has been written to since (from the audit trail), so
a correction shows at once. The kept findings hold only for the day, the thresholds, the clock settings and the
calendar they were worked out with; on any other, or before the first run, `found_for` works every child out from
the record and says so. The rules and the loader are the same either way (oversight/signals.py).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from casefile.audit.models import VIEWING_ACTIONS, Action, AuditEvent
from casefile.casework.models import Allocation, Episode
from casefile.core.prepared import driver_rows, id_list
from casefile.oversight import signals
from casefile.oversight.models import KeptFinding, KeptSignals
from casefile.people.models import Relationship
from casefile.rules.signals import SIGNALS, Context, Evidence, Finding

# Events that read the record rather than write to it.
READING_ACTIONS = [*VIEWING_ACTIONS, Action.SEARCH, Action.ACCESS_DENIED]
# A write is stamped when its event is made, but may commit after the working-out began reading (PostgreSQL): the
# children written to a little before the working-out began are worked out again too.
IN_FLIGHT = datetime.timedelta(minutes=10)
BATCH = 2_000


def fingerprint(ctx: Context) -> str:
    """A digest of what the findings depend on besides the record and the day: the thresholds, the clock
    settings, the authority's own closed days and the signals there are."""
    parts = (ctx.settings, ctx.clock_settings, sorted(ctx.calendar.extra_non_working_days), sorted(SIGNALS))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def refresh(today: datetime.date | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> KeptSignals:
    """Work out every signal for the whole authority (every child with an episode or an allocation) from the
    record and keep the findings in place of the last ones, in one transaction (a page reads either the old set or
    the new)."""
    progress = progress or (lambda done, total, stage: None)
    ctx = signals.context(today=today)
    started_at, started = timezone.now(), time.perf_counter()
    progress(0, 2, "Working out every signal from the record")
    found = signals.signals_for_authority(ctx)
    # A page counts the children held, and a child can be allocated before any episode is recorded.
    unreferred = Allocation.objects.exclude(child_id__in=Episode.objects.values("child_id")).values_list(
        "child_id", flat=True).distinct()
    found.update(signals.signals_for_children(unreferred, ctx))
    progress(1, 2, "Keeping the findings")
    with transaction.atomic():
        KeptFinding.objects.all().delete()
        KeptSignals.objects.all().delete()
        kept = KeptSignals.objects.create(computed_at=started_at, today=ctx.today, since=ctx.since,
                                          fingerprint=fingerprint(ctx), children=len(found),
                                          seconds=time.perf_counter() - started)
        KeptFinding.objects.bulk_create((_row(kept, finding) for findings in found.values() for finding in findings),
                                        batch_size=BATCH)
    progress(2, 2, "Done")
    return kept


def _row(kept: KeptSignals, finding: Finding) -> KeptFinding:
    return KeptFinding(kept=kept, child_id=finding.child_id, code=finding.code, explanation=finding.explanation,
                       day=finding.day, current=finding.current, occurrences=finding.occurrences,
                       evidence=[[e.kind, e.id, e.plan_id] for e in finding.evidence])


def usable(ctx: Context) -> KeptSignals | None:
    """The kept findings if they hold for `ctx` (the same day, look-back and settings), else None."""
    kept = KeptSignals.objects.order_by("-computed_at").first()
    if kept is None or kept.today != ctx.today or kept.since != ctx.since or kept.fingerprint != fingerprint(ctx):
        return None
    return kept


def found_for(child_ids: Iterable[int], ctx: Context, *,
              evidence: bool = True) -> tuple[dict[int, list[Finding]], KeptSignals | None]:
    """Per child asked about (even with none): the findings, in the rules' order, and the kept working-out they
    came from (None: worked out from the record now). A child written to since it was worked out is worked out
    again now. `evidence=False` leaves the kept findings' evidence out (a page that only counts and names them)."""
    ids = sorted(set(child_ids))
    kept = usable(ctx)
    if kept is None or not ids:
        return signals.signals_for_children(ids, ctx), kept
    found: dict[int, list[Finding]] = {child_id: [] for child_id in ids}
    for child_id, code, explanation, day, current, occurrences, *pointers in _kept_rows(kept, ids, evidence):
        pointed_at = tuple(Evidence(*e) for e in json.loads(pointers[0])) if evidence else ()
        found[child_id].append(Finding(code, child_id, explanation, pointed_at, day, bool(current), occurrences))
    changed = written_to_since(kept.computed_at - IN_FLIGHT).intersection(ids)
    if changed:
        found.update(signals.signals_for_children(changed, ctx))
    return found, kept


def _kept_rows(kept: KeptSignals, ids: list[int], evidence: bool) -> list[tuple]:
    """The kept findings of these children as the driver returns them: for a whole authority, Django's converter
    for each value cost more than the query (a boolean comes back as 0 or 1 from SQLite, the evidence as JSON
    text)."""
    columns = ["child_id", "code", "explanation", "day", "current", "occurrences"]
    if evidence:
        columns.append(Cast("evidence", TextField()))
    rows = KeptFinding.objects.filter(kept=kept).order_by("pk").values_list(*columns)
    return driver_rows(signals.for_children(rows, "child_id", ids))


def written_to_since(moment: datetime.datetime) -> set[int]:
    """The people whose record has been written to since `moment`, as the audit trail names them, and the
    children of any of them (a father's details feed his child's signals)."""
    people = set(AuditEvent.objects.filter(occurred_at__gte=moment, child__isnull=False)
                 .exclude(action__in=READING_ACTIONS).values_list("child_id", flat=True).distinct())
    if people:
        people |= set(Relationship.objects.filter(person_id__in=id_list(sorted(people)), kind=Relationship.Kind.PARENT)
                      .values_list("relative_id", flat=True))
    return people
