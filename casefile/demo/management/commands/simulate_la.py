"""`manage.py simulate_la --size small|medium|large --seed N`: load a simulated local authority."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casefile.audit.models import AuditEvent
from casefile.demo import simulate
from casefile.demo.names import DEMO_PASSWORD

PROBLEM_LABELS = {
    "late_visits": "Visits later than the plan's interval (of gaps between visits)",
    "cin_plan_not_reviewed": "Drift: child in need plans never reviewed (of plans running 3 months or more)",
    "plan_without_progress": "Drift: plans reviewed twice or more with no action ever done",
    "case_left_open": "Drift: cases left open for months after the assessment ended",
    "missing_ethnicity": "Children with no ethnicity recorded",
    "vague_actions": "Vague plan actions (owner such as 'mum', measure such as 'ongoing')",
    "closure_without_childs_views": "Closures without the child's views (children 4 or older)",
    "father_not_seen": "Assessments where a known father was left out or not seen",
    "referrer_not_told": "Referrers never told the outcome of their contact",
    "front_door_delay": "Contacts from the last month left waiting at the front door with no decision",
    "late_assessments": "Assessments over 45 working days (drawn from England's durations)",
    "missing_religion": "Children with no religion recorded",
    "missing_first_language": "Children with no first language recorded",
    "late_recording": "Visits and case notes typed more than 5 working days after the event",
    "quiet_cp_case": "Child protection plans open at the end with nothing recorded for 6 weeks",
    # Not planted: counted as the journeys generate them.
    "overdue_clock": "Statutory clocks running at the end date that are overdue (arising)",
    "plan_not_started": "No plan 10 working days after an assessment said one was needed (arising)",
    "cp_plan_15_months": "Child protection plans lasting 15 months or more (arising)",
    "cp_plan_2_years": "Child protection plans lasting 2 years or more (arising)",
    "repeat_cp_plan": "Second or later child protection plans (arising)",
    "repeated_strategy": "Children with repeated strategy discussions and no initial conference (arising)",
    "re_referral": "Re-referrals within 12 months of the earlier episode closing (arising)",
    "worker_changes": "Children whose worker changed 3 or more times in 12 months (arising)",
    "closure_without_fathers_views": "Closures after an assessment without the father's views or why not (arising)",
}


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--end-date: expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Load a simulated local authority: staff, families and whole journeys (referral, assessment, strategy "
        "discussion and section 47 enquiry, conferences, child protection and child in need plans with reviews, "
        "core groups and visits, closure) at England's 2024-25 rates, and the front door (a contact before each "
        "referral and about three more that end there, threshold decisions, handovers, letters to referrers, "
        "police notifications in the final year), with practice problems planted for the quality features to "
        "find. Sizes: "
        + "; ".join(f"{size.name}: {size.description}" for size in simulate.SIZES.values())
        + ". The same seed and end date always build the same authority; the end date is today unless named. "
        "Does nothing if a simulated authority is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(simulate.SIZES), default="small",
                            help="small (a demo), medium (the rates test) or large (ten years of a large authority)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed builds the same data.")
        parser.add_argument("--end-date", type=_date,
                            help="Last day simulated, YYYY-MM-DD (default today, so the demo is a live authority: "
                                 "cases open today, clocks running). Name a date to build the same data on any day.")
        parser.add_argument("--years", type=int,
                            help="Simulate this many years instead of the size's own (for benchmarks).")
        parser.add_argument(
            "--force", action="store_true",
            help="Load even though CASEFILE_DEMO is off. No passwords are set then: nobody can sign in as the "
                 "simulated staff.",
        )

    def handle(self, *args, size: str, seed: int, end_date: datetime.date | None, years: int | None, force: bool,
               **options):
        if not (settings.DEMO_MODE or force):
            raise CommandError("simulate_la only runs in demo mode: set CASEFILE_DEMO=1, or pass --force to load the "
                               "data without any passwords.")
        if years is not None and years < 1:
            raise CommandError(f"--years: expected 1 or more, got {years}")
        started = time.perf_counter()
        try:
            result = simulate.simulate(size=size, seed=seed, end_date=end_date or timezone.localdate(), years=years,
                                       now=timezone.now())
        except simulate.AlreadySimulated as error:
            # Like seed_demo, so `make demo` can run again: say so and create nothing.
            self.stdout.write(f"{error} Nothing created: use a fresh database for another size or seed.")
            self._say_if_stale()
            return
        self._summary(result, time.perf_counter() - started)

    def _say_if_stale(self) -> None:
        """A demo database built on an earlier day has its clocks running on: say how to rebuild it up to today."""
        loaded = AuditEvent.objects.filter(details__what="simulated data loaded").order_by("-pk").first()
        ended = datetime.date.fromisoformat(loaded.details["end_date"]) if loaded else None
        if ended is not None and ended < timezone.localdate():
            self.stdout.write(self.style.WARNING(
                f"The simulated authority here ends on {ended}: every clock has run on since. For one up to "
                f"today, delete the database ({settings.DATABASES['default']['NAME']}) and build it again "
                f"(make demo does)."))

    def _summary(self, result: simulate.Result, seconds: float) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(
            f"Simulated a {result.size.name} authority (seed {result.seed}): {result.start_date} to "
            f"{result.end_date}, {result.referrals:,} referrals, {result.staff} staff, in {seconds:.1f} s."))
        write(f"Contacts: {result.counts.get('frontdoor.Contact', 0):,} (this size: about "
              f"{result.size.contacts_per_year:,} a year).")
        write("Rows written:")
        for label, count in sorted(result.counts.items()):
            write(f"  {label:<32} {count:>10,}")
        write("Practice problems planted, and those arising from the journeys (planted or arisen / of how many):")
        for problem, (planted, of) in result.planted.items():
            rate = f"{planted / of:6.1%}" if of else "     -"
            write(f"  {PROBLEM_LABELS[problem]:<80} {rate}  ({planted:,} / {of:,})")
        if settings.DEMO_MODE:
            write(f"Every simulated member of staff signs in with the demo password: {DEMO_PASSWORD}")
        else:
            write("No passwords are set: CASEFILE_DEMO is off, so the simulated staff cannot sign in.")
