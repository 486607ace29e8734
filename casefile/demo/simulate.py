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

Practice problems are planted at stated rates (late visits, drift, missing ethnicity, vague plan actions,
closures without the child's views, unseen fathers, late assessments) so the quality features have something
to find; `Result.planted` reports each rate. Contacts are not generated yet: the front door (Contact model)
comes in a later issue; each size records the contact volume it will generate then.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import json
import math
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from faker import Faker

from casefile.access.models import RestrictedAccessGrant
from casefile.accounts.models import Agency as StaffAgency
from casefile.accounts.models import Role, Team, User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework import models as cw
from casefile.demo.seed import BOYS_NAMES, DEMO_PASSWORD, GIRLS_NAMES, POSTCODE_INWARD_LETTERS, STREET_KINDS
from casefile.frontdoor import models as fd
from casefile.people.models import Address, Household, HouseholdMember, Person, Relationship
from casefile.rules.clocks import add_calendar_months
from casefile.rules.identifiers import nhs_check_digit, upn_check_letter
from casefile.rules.names import phonetic_key
from casefile.rules.working_days import ENGLAND_AND_WALES, WorkingCalendar

SYSTEM_USERNAME = "simulator"
DAY = datetime.timedelta(days=1)


# Sizes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    name: str
    years: int
    referrals_per_year: int
    contacts_per_year: int  # one before each referral, the rest end at the front door (simulate_front_door.py)
    description: str


SIZES = {
    "small": Size("small", 1, 400, 1_600,
                  "a demo: one year of a small authority, a few hundred referrals; builds in a few seconds"),
    # Four years so the last two are in steady state (re-referrals, plans lasting 2 years): the rates test
    # measures those two years, about 5,000 referrals.
    "medium": Size("medium", 4, 2_500, 10_000,
                   "four years of a smaller-than-average authority, about 10,000 referrals; enough for the rates "
                   "to match England within 2 percentage points"),
    "large": Size("large", 10, 25_000, 100_000,
                  "ten years of a large authority: about 25,000 referrals and 100,000 contacts a year"),
}


# England 2024-25 (statutory-rules.md §8: DfE Children in need 2025, tables C1, C2, C4, D1, D7) ----------------

RE_REFERRAL_RATE = 0.226  # C1: 142,900 of 632,830 referrals within 12 months of a previous referral
REFERRAL_NFA_RATE = 0.065  # C1: referrals leading to no further action
S47_PER_REFERRAL = 230_590 / 632_830  # C4: 0.364 section 47 enquiries per referral
ICPC_PER_S47 = 72_100 / 230_590  # C4: 0.313 initial conferences per section 47 enquiry
PLAN_AT_ICPC = 0.86  # D1 and C4: 61,840 plans started / 72,100 initial conferences (approximate)
# Quantile knots (share, working days) of assessment duration, start to authorisation: C2 2025 bands
# (same day 1.8%, 1-10 11.7%, 11-20 17.3%, 21-30 15.8%, 31-40 20.3%, 41-45 18.9%, 46-50 5.8%, 51-60 4.3%,
# 61+ 4.2%); median 33, quartiles 17 and 43; 85.7% within 45.
ASSESSMENT_DAYS = [(0.0, -1), (0.018, 0), (0.1345, 10), (0.3074, 20), (0.465, 30), (0.49, 32), (0.53, 33),
                   (0.6675, 40), (0.8567, 45), (0.9147, 50), (0.9576, 60), (1.0, 110)]
# Initial conference, working days from the strategy discussion that started the s47: C4 2025 bands
# (0-10 8.7%, 11-15 72.7%); median 14; 81.4% within 15. The 18.6% over 15 is split evenly (approximate).
ICPC_DAYS = [(0.0, 2), (0.0865, 10), (0.5, 14), (0.814, 15), (0.907, 20), (1.0, 40)]
# D7 2025: child protection plans ending in the year by duration. Bands in calendar months.
CP_PLAN_BANDS = [(0.159, 0, 3), (0.110, 3, 6), (0.435, 6, 12), (0.252, 12, 24), (0.044, 24, 26)]
# Initial category of abuse. Approximate: DfE (2025, "A focus on sexual abuse and exploitation") says neglect is
# around half and emotional abuse around a third of plans, sexual abuse 2,190 of 61,840 (3.5%); physical and
# multiple share the rest.
CATEGORIES = {"NEG": 0.50, "EMO": 0.35, "PHY": 0.065, "SAB": 0.035, "MUL": 0.05}

# Approximate local shares (no single national figure): what follows an assessment that is not a s47.
AFTER_ASSESSMENT = {"nfa": 0.47, "early_help": 0.18, "cin_plan": 0.35}
RETURNING_CHILD_RATE = 0.12  # referrals of a child last referred more than 12 months ago (approximate)
SIBLING_REFERRAL_RATE = 0.25  # new children who are a known family's unreferred sibling (approximate)
STEP_DOWN_TO_CIN_AFTER_CP = 0.6
RESTRICTED_RATE = 0.003

# Practice problems planted (approximate, from inspection and audit findings rather than national counts).
PLANTED = {
    "late_visits": 0.10,  # a gap between visits longer than the plan's interval
    "cin_plan_not_reviewed": 0.08,  # drift: a child in need plan never reviewed
    "plan_without_progress": 0.07,  # drift: reviews where no action is ever done
    "case_left_open": 0.03,  # drift: nothing more to do, but the episode stays open for months
    "missing_ethnicity": 0.06,
    "vague_actions": 0.15,  # an owner such as "mum" and a measure such as "ongoing"
    "closure_without_childs_views": 0.20,
    "father_not_seen": 0.35,  # a known father left out of the assessment or not seen
    "referrer_not_told": 0.10,  # the referrer never hears the outcome of their contact
    "front_door_delay": 0.02,  # a contact from the last month left waiting at the front door with no decision
    # Not planted but drawn: the C2 durations above put 14.3% of assessments over 45 working days.
    "late_assessments": 1 - 0.857,
}


# Drawing numbers -------------------------------------------------------------------------------------------


class Strata:
    """Uniform numbers in [0, 1) drawn in shuffled blocks of evenly spread strata.

    `u < p` is then true for a share p of any run of draws, within a block's rounding, while the order looks
    random: rates hold in a few hundred cases instead of drifting by sampling error.
    """

    def __init__(self, rng: random.Random, block: int = 20) -> None:
        self.rng, self.block, self.queue = rng, block, []

    def __call__(self) -> float:
        if not self.queue:
            self.queue = [(k + self.rng.random()) / self.block for k in range(self.block)]
            self.rng.shuffle(self.queue)
        return self.queue.pop()

    def chance(self, p: float) -> bool:
        return self() < p

    def pick(self, weights: dict[str, float]) -> str:
        return _share_of(list(weights), self(), share=weights.__getitem__)


def quantile(knots: Sequence[tuple[float, float]], u: float) -> int:
    """Piecewise-linear inverse distribution, rounded up so each band's boundary keeps its share."""
    index = bisect.bisect_left([share for share, _ in knots], u)
    (u0, v0), (u1, v1) = knots[max(index - 1, 0)], knots[min(index, len(knots) - 1)]
    value = v1 if u1 == u0 else v0 + (u - u0) / (u1 - u0) * (v1 - v0)
    return max(0, math.ceil(value))


def _share_of(items: Sequence, u: float, *, share: Callable) -> object:
    """The item whose slice of [0, 1) holds `u`, slices sized by each item's share in order."""
    total = 0.0
    for item in items:
        total += share(item)
        if u < total:
            return item
    return items[-1]


class WorkingDays:
    """casefile.rules.working_days, indexed: the nth working day after a date by one lookup, for millions of dates.

    Same answers as `add_working_days(start, n, calendar)` with day-0 counting (tests check this).
    """

    def __init__(self, first: datetime.date, last: datetime.date, calendar: WorkingCalendar = ENGLAND_AND_WALES):
        self.calendar = calendar
        self.days = [first + DAY * offset for offset in range((last - first).days + 1)
                     if calendar.is_working_day(first + DAY * offset)]

    def add(self, start: datetime.date, n: int) -> datetime.date:
        if n == 0:
            return start
        return self.days[bisect.bisect_right(self.days, start) + n - 1]

    def on_or_after(self, day: datetime.date) -> datetime.date:
        return self.days[bisect.bisect_left(self.days, day)]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        return bisect.bisect_right(self.days, end) - bisect.bisect_right(self.days, start)


# Writing rows ---------------------------------------------------------------------------------------------

# Parents before children, so every batch can be written (and checked) whichever database it is.
MODELS: list[type[models.Model]] = [
    Household, Person, Address, HouseholdMember, Relationship,
    cw.Episode, cw.Allocation, cw.Assessment, cw.AssessmentFactor, cw.AssessmentAdult,
    cw.StrategyDiscussion, cw.StrategyParticipant, cw.Section47Enquiry, cw.Conference, cw.ConferenceParticipant,
    cw.ConferenceReport, cw.Plan, cw.PlanOutcome, cw.PlanAction, cw.PlanReview, cw.ActionProgress, cw.CoreGroup,
    cw.Action, cw.Visit, cw.CaseNote, cw.EarlyHelpTransfer, RestrictedAccessGrant,
    fd.ImportBatch, fd.Contact, fd.ContactChild, fd.ContactAdult, fd.PoliceNotification, fd.NotificationPerson,
    fd.ThresholdDecision, fd.Handover, fd.ReferrerLetter,
]


class Writer:
    """Buffers new rows per model as plain dicts, with ids assigned up front, and writes them in batches.

    Rows stay in memory until `flush_if_full` between two referrals, so a journey can still change its own
    rows (an episode's closure, a plan's end) before they are written. On SQLite the rows go in with one
    prepared INSERT per model and executemany: the statement bulk_create would send, without its per-value
    compilation, which is most of the time for millions of rows. Other databases use bulk_create.
    """

    FLUSH_EVERY = 50_000

    def __init__(self) -> None:
        self.next_id = {model: (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 for model in MODELS}
        self.buffers: dict[type[models.Model], list[dict]] = {model: [] for model in MODELS}
        self.counts: Counter[str] = Counter()
        self.buffered = 0

    def add(self, model: type[models.Model], **values) -> dict:
        values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.buffers[model].append(values)
        self.buffered += 1
        return values

    def flush_if_full(self) -> None:
        if self.buffered >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for model in MODELS:
            rows = self.buffers[model]
            if rows:
                if connection.vendor == "sqlite":
                    _insert_sqlite(model, rows)
                else:
                    model.objects.bulk_create([model(**row) for row in rows], batch_size=2_000)
                self.counts[model._meta.label] += len(rows)
                self.buffers[model] = []
        self.buffered = 0

    def reset_sequences(self) -> None:
        """PostgreSQL sequences do not move when ids are given: move them past the new rows (SQLite needs nothing)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(sql)


def _insert_sqlite(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT every row, each field given or else its default, with values as Django's SQLite backend stores them."""
    columns = model._meta.concrete_fields
    # Table and column names come from the model, never from input.
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(  # noqa: S608
        model._meta.db_table, ", ".join(f'"{column.column}"' for column in columns), ", ".join("?" * len(columns)))
    # A field left out gets its default (computed once per batch); only date fields need converting.
    fields = [(column.attname, None if column.primary_key else column.get_default(),
               isinstance(column, models.DateField), isinstance(column, models.JSONField)) for column in columns]

    def convert(value, dated: bool, is_json: bool):
        if dated:
            return _SQLITE_TEXT[value]
        return json.dumps(value) if is_json else value

    def values(row: dict) -> list:
        return [convert(row.get(name, default), dated, is_json) for name, default, dated, is_json in fields]

    with connection.cursor() as cursor:
        cursor.executemany(sql, map(values, rows))


class _SqliteText(dict):
    """Dates as ISO text, aware datetimes as naive UTC text (as Django's SQLite operations store them), each
    converted once: a simulation has a few thousand distinct days and millions of dated rows."""

    def __missing__(self, value):
        if isinstance(value, datetime.datetime):
            text = str(value.astimezone(datetime.UTC).replace(tzinfo=None))
        else:
            text = value.isoformat()
        self[value] = text
        return text


_SQLITE_TEXT = _SqliteText({None: None})


# Invented people ------------------------------------------------------------------------------------------

# Children's names: demo/seed.py's lists plus more names given in England since about 2008.
GIRLS = GIRLS_NAMES + ["Emily", "Sophie", "Lucy", "Daisy", "Phoebe", "Scarlett", "Erin", "Megan", "Layla", "Hannah",
                       "Fatima", "Maryam", "Nevaeh", "Willow", "Harper", "Rosie", "Molly", "Esme", "Summer", "Lola"]
BOYS = BOYS_NAMES + ["James", "William", "Henry", "Joshua", "Max", "Lucas", "Theo", "Archie", "Logan", "Reggie",
                     "Ibrahim", "Yusuf", "Dylan", "Finley", "Harvey", "Lewis", "Connor", "Bailey", "Ryan", "Ollie"]
# Approximate shares for children in need (DfE CIN 2025 by ethnicity, rounded); blanks are planted separately.
ETHNICITIES = {"WBRI": 0.64, "WOTH": 0.055, "WIRI": 0.004, "WIRT": 0.004, "WROM": 0.01, "MWBC": 0.03,
               "MWBA": 0.012, "MWAS": 0.015, "MOTH": 0.035, "AIND": 0.015, "APKN": 0.03, "ABAN": 0.012,
               "AOTH": 0.022, "BCRB": 0.012, "BAFR": 0.045, "BOTH": 0.013, "CHNE": 0.003, "OOTH": 0.025,
               "REFU": 0.004, "NOBT": 0.01}
# Age at a child's first referral, in years (approximate from the CIN age profile).
FIRST_REFERRAL_AGE = {(0, 1): 0.10, (1, 5): 0.20, (5, 10): 0.28, (10, 16): 0.35, (16, 17): 0.07}
REFERRAL_SOURCES = {"6": 0.29, "2A": 0.20, "3A": 0.03, "3B": 0.025, "3C": 0.01, "3D": 0.015, "3E": 0.025,
                    "3F": 0.045, "5A": 0.03, "5B": 0.04, "5C": 0.02, "5D": 0.04, "1A": 0.035, "1B": 0.01,
                    "1C": 0.01, "1D": 0.01, "4": 0.02, "7": 0.03, "8": 0.05, "9": 0.012, "10": 0.008}
PRIMARY_NEEDS = {"N1": 0.57, "N2": 0.10, "N3": 0.03, "N4": 0.08, "N5": 0.14, "N6": 0.02, "N7": 0.003,
                 "N8": 0.03, "N9": 0.017, "N0": 0.01}
# Fewer referrals when schools are closed: schools make a fifth of them.
MONTH_WEIGHT = {1: 1.0, 2: 1.0, 3: 1.1, 4: 0.95, 5: 1.05, 6: 1.1, 7: 1.05, 8: 0.7, 9: 1.0, 10: 1.1, 11: 1.1, 12: 0.85}
OUT_OF_HOURS_WEIGHT = 0.08  # weekends and bank holidays: the emergency duty team still takes referrals

AREAS = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Valley", "Coast", "Park"]
FAMILY_HUBS = [f"Family Hub {area}" for area in AREAS]

THEMES = {
    "NEG": ("neglect", ["arrives at school hungry and in the same clothes most days",
                        "home conditions are poor: little food, dirty bedding, no working heating",
                        "missed health appointments and untreated tooth decay"]),
    "EMO": ("emotional abuse", ["domestic abuse at home, witnessed by the children",
                                "is frightened of a parent's shouting and is often told they are useless",
                                "police called to arguments at home three times this year"]),
    "PHY": ("physical abuse", ["bruising to the upper arm seen at school", "a burn with no clear explanation",
                               "told a teacher they were hit with a belt"]),
    "SAB": ("sexual abuse", ["disclosed sexual touching by an adult visitor",
                             "concerns about an older adult contacting them online"]),
    "MUL": ("several kinds of harm", ["neglect of basic care and violence between the adults",
                                      "parental drug use, neglect and bruising"]),
}
OTHER_CONCERNS = ["a parent's mental health has worsened and they are struggling to cope",
                  "attendance at school has fallen below 70%", "going missing overnight twice this month",
                  "a parent's alcohol use", "the family is homeless and sofa-surfing",
                  "behaviour at home has broken down and a parent asked for help",
                  "a young carer for a parent with a long-term illness", "anxiety and self-harm reported by school"]
FACTORS = {"3B": 0.22, "4B": 0.20, "16A": 0.14, "17A": 0.10, "2B": 0.07, "1B": 0.05, "4A": 0.05, "3A": 0.04,
           "10A": 0.02, "24A": 0.02, "11A": 0.015, "15A": 0.02, "7A": 0.015, "18C": 0.015, "20": 0.02}
CHILDS_WORDS = ["I like it when Nan comes round.", "Mum cries a lot and I make the tea.", "I don't like the shouting.",
                "School is OK. I have a friend called Jay.", "I want to stay at home with my brother.",
                "Sometimes there's no food for breakfast.", "I feel safe at Aunty's house.",
                "I wish Dad would stop drinking.", "I'm fine, I don't want to talk about it.",
                "I like football and my PlayStation.", "It's better now the police don't come."]
OBSERVATIONS = ["Smiled and babbled, reached for mum when picked up.", "Clean, well dressed and alert; played with "
                "blocks.", "Nappy very wet; quiet and watchful.", "Crawled to the worker and explored the room."]
VAGUE_OWNERS = ["mum", "Mum", "parents", "Parents", "all professionals", "family", "Dad", "professionals"]
VAGUE_MEASURES = ["", "Ongoing", "ongoing", "To be monitored", "As above", "Engagement", "TBC"]
VAGUE_DESCRIPTIONS = ["Continue to engage with services", "Mum to work with professionals",
                      "Monitor the situation", "Support to be offered"]
OUTCOMES = {
    "NEG": [("{name} is clean, fed and dressed for the weather every day",
             [("Make breakfast for {name} before school every day", "breakfast club log and school reports"),
              ("Wash {name}'s school uniform twice a week", "health visitor's and school's checks")]),
            ("{name}'s health needs are met",
             [("Take {name} to the dentist and every health appointment", "attendance confirmed by the GP")])],
    "EMO": [("{name} lives free from domestic abuse",
             [("Complete the domestic abuse programme (12 sessions)", "attendance record from the provider"),
              ("Call the police if the ex-partner comes to the house", "no missed call-outs in police checks")]),
            ("{name} feels calm and safe at home",
             [("Attend parenting sessions every Tuesday", "sessions attended and the worker's observations")])],
    "PHY": [("{name} is not hurt by anyone at home",
             [("Use the agreed safety plan when angry", "no new injuries; {name} tells the worker at each visit")])],
    "SAB": [("{name} has no contact with the alleged abuser",
             [("Keep the alleged abuser away from the house", "police checks and {name}'s own account")])],
    "CIN": [("{name} goes to school every day",
             [("Walk {name} to school each morning", "attendance above 95% on the school register")]),
            ("The family has a secure home",
             [("Bid for a two-bedroom property every week", "bids shown on the housing portal")])],
}
OUTCOMES["MUL"] = OUTCOMES["NEG"] + OUTCOMES["EMO"]
CONTINGENCIES = [
    "If the children are found alone again, hold a strategy discussion the same day.",
    "If attendance falls below 80% for two weeks, reconvene the core group within five working days.",
    "If the ex-partner returns to the home, the police will be called and a legal planning meeting held.",
    "If home conditions are poor at two visits running, the plan will be reviewed within ten working days.",
]


FACTOR_FOR_CATEGORY = {"NEG": "16A", "EMO": "17A", "PHY": "18C", "SAB": "19C", "MUL": "16A"}
NOTE_SUBJECTS = ["Call with school", "Call with the health visitor", "Call with mum", "Information from the police"]
STRATEGY_AGENCIES = [("social_care", "Social worker"), ("police", "Detective constable"), ("health", "Named nurse"),
                     ("education", "Designated safeguarding lead")]
S47_RATIONALE = {
    "substantiated_at_risk": "Concerns substantiated: continuing risk of significant harm, so an initial conference.",
    "substantiated_not_at_risk": "Concerns substantiated, but the risk is not continuing: a child in need plan.",
    "not_substantiated": "Concerns not substantiated after enquiries with the police, health and school.",
}
EVIDENCE = {"done": "Confirmed by the school and seen at visits.", "partly": "Started, but not every week.",
            "not_done": "Not started; the family say they will."}
LANGUAGES = ["Polish", "Urdu", "Romanian", "Arabic", "Somali", "Bengali", "Punjabi"]
RESTRICTIONS = ["adoption", "staff_relative", "high_profile"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


# State held while simulating ------------------------------------------------------------------------------


@dataclass
class Adult:
    id: int
    name: str
    parental_responsibility: bool | None = None


@dataclass
class Family:
    surname: str
    patch: int  # which team covers the family, and its postcode district
    mother: Adult
    father: Adult | None
    household: int
    address: dict
    children: list[Child] = field(default_factory=list)


@dataclass(eq=False)
class Child:
    id: int
    first_name: str
    dob: datetime.date
    family: Family
    restricted: bool = False
    last_referral: datetime.date | None = None
    workers: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.family.surname}"

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))

    @property
    def last_day(self) -> datetime.date:
        """The day before the 18th birthday: the journey ends by then."""
        return add_calendar_months(self.dob, 18 * 12) - DAY


class Pool:
    """Children to draw from at random, each removable in constant time."""

    def __init__(self) -> None:
        self.items: list[Child] = []
        self.index: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, child: Child) -> None:
        if child.id not in self.index:
            self.index[child.id] = len(self.items)
            self.items.append(child)

    def remove(self, child: Child) -> bool:
        position = self.index.pop(child.id, None)
        if position is None:
            return False
        last = self.items.pop()
        if last is not child:
            self.items[position] = last
            self.index[last.id] = position
        return True

    def any(self, rng: random.Random) -> Child | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None


@dataclass
class StaffTeam:
    team: Team
    manager: User
    workers: list[User]


@dataclass
class Tally:
    """What the generator planted, for the summary: how many of how many, per problem."""

    planted: Counter = field(default_factory=Counter)
    of: Counter = field(default_factory=Counter)

    def count(self, problem: str, planted: bool) -> None:
        self.of[problem] += 1
        self.planted[problem] += bool(planted)

    def rates(self) -> dict[str, tuple[int, int]]:
        return {problem: (self.planted[problem], self.of[problem]) for problem in PLANTED}


@dataclass
class Result:
    size: Size
    seed: int
    start_date: datetime.date
    end_date: datetime.date
    referrals: int
    counts: dict[str, int]
    planted: dict[str, tuple[int, int]]
    staff: int


# The simulator --------------------------------------------------------------------------------------------


class Simulation:
    def __init__(self, size: Size, *, seed: int, end_date: datetime.date,
                 years: int | None = None, referrals_per_year: int | None = None) -> None:
        self.size = size
        self.seed = seed
        self.years = years or size.years
        self.referrals_per_year = referrals_per_year or size.referrals_per_year
        self.end = end_date
        self.start = add_calendar_months(end_date, -12 * self.years) + DAY
        self.rng = random.Random(seed)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        # Faker's weighted name lists are slow to draw from one at a time: draw pools once, with the same weights.
        self.surnames = [fake.last_name() for _ in range(3_000)]
        self.women = [fake.first_name_female() for _ in range(1_000)]
        self.men = [fake.first_name_male() for _ in range(1_000)]
        self.strata: dict[str, Strata] = {}
        # Journeys are generated past the end (and cut there); so the index runs five years on.
        self.wd = WorkingDays(self.start - datetime.timedelta(days=400), self.end + datetime.timedelta(days=5 * 366))
        self.tally = Tally()
        self.used_nhs: set[str] = set()
        self.surname_keys: dict[str, str] = {}
        self.times: dict[datetime.date, datetime.datetime] = {}
        self.pending: list[tuple[datetime.date, int, Child]] = []  # (free from, order, child): episode closed
        self.expiry: list[tuple[datetime.date, int, Child, datetime.date]] = []
        self.recent, self.returning, self.unreferred = Pool(), Pool(), Pool()
        self.restricted: list[Child] = []
        self.order = 0

    def stream(self, name: str) -> Strata:
        """One stratified stream per decision, so each decision keeps its own rate whatever the others draw."""
        if name not in self.strata:
            self.strata[name] = Strata(self.rng)
        return self.strata[name]

    def at(self, day: datetime.date) -> datetime.datetime:
        """When a row dated `day` was recorded: that day, in office hours."""
        if day not in self.times:
            self.times[day] = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=datetime.UTC)
        return self.times[day]

    def happened(self, day: datetime.date | None) -> bool:
        return day is not None and day <= self.end

    # The run ----------------------------------------------------------------------------------------------
    def run(self) -> Result:
        from casefile.demo.simulate_front_door import FrontDoor  # it builds on this module's names

        self.out = Writer()
        self._staff()
        self.front = FrontDoor(self)
        self.front.staff()
        dates = self._referral_dates()
        for day in dates:
            self._referral(day)
            self.front.others(day)
            self.out.flush_if_full()
        self._restricted_grants()
        self.out.flush()
        self.out.reset_sequences()
        return Result(self.size, self.seed, self.start, self.end, len(dates), dict(self.out.counts),
                      self.tally.rates(), len(self.users))

    # Staff ------------------------------------------------------------------------------------------------
    def _staff(self) -> None:
        """Teams and workers scaled to the referral rate, with demo/seed.py's roles and manager chain."""
        per_thousand = self.referrals_per_year / 1000
        password = make_password(DEMO_PASSWORD) if settings.DEMO_MODE else make_password(None)
        self.users: list[User] = []
        self.usernames = set(User.objects.values_list("username", flat=True))
        self.system = self._user("Simulated", "Data", Role.ADMINISTRATOR, username=SYSTEM_USERNAME,
                                 job_title="System account that loaded the simulated authority",
                                 password=make_password(None))
        self.head = self._user(*self._name(), Role.HEAD_OF_SERVICE, password=password,
                               job_title="Head of children's social care")
        # Case-holding workers per 1,000 referrals a year: 2 at the front door, 7 assessing, 12 holding plans.
        kinds = [
            ("front_door", Team.Kind.FRONT_DOOR, "Front Door MASH", Role.FRONT_DOOR, 2),
            ("assessment", Team.Kind.ASSESSMENT, "Assessment Team", Role.SOCIAL_WORKER, 7),
            ("safeguarding", Team.Kind.CHILD_IN_NEED, "Safeguarding Team", Role.SOCIAL_WORKER, 12),
        ]
        counts = {key: max(1, round(per_thousand * workers / 7)) for key, *_, workers in kinds}
        services = max(2, math.ceil(sum(counts.values()) / 6))
        service_managers = [self._user(*self._name(), Role.SERVICE_MANAGER, manager=self.head, password=password,
                                       job_title=f"Service manager, safeguarding, area {index + 1}")
                            for index in range(services)]
        self.teams: dict[str, list[StaffTeam]] = {}
        made = 0
        for key, kind, label, role, per in kinds:
            self.teams[key] = []
            size = 6 if key != "front_door" else max(2, min(6, round(per_thousand * per)))
            for index in range(counts[key]):
                suffix = f" {index // len(AREAS) + 1}" if index >= len(AREAS) else ""
                name = f"{label} {AREAS[index % len(AREAS)]}{suffix}"
                self.teams[key].append(self._team(name, kind, service_managers[made % services], role, size, password))
                made += 1
        conference = Team.objects.create(name="Conference and Review Service", kind=Team.Kind.CONFERENCE)
        lead = self._user(*self._name(), Role.CONFERENCE_CHAIR, team=conference, manager=service_managers[0],
                          password=password, job_title="Lead independent reviewing officer")
        self._manage(conference, lead)
        self.chairs = [lead] + [
            self._user(*self._name(), Role.CONFERENCE_CHAIR, team=conference, manager=lead, password=password,
                       job_title="Independent reviewing officer")
            for _ in range(max(0, round(per_thousand * 0.8) - 1))]
        for label, kind, role, count in [
            ("Quality Assurance Unit", Team.Kind.QUALITY, Role.QA_OFFICER, max(1, round(per_thousand / 8))),
            ("Performance and Intelligence", Team.Kind.PERFORMANCE, Role.PERFORMANCE_ANALYST,
             max(1, round(per_thousand / 12))),
        ]:
            team = Team.objects.create(name=label, kind=kind)
            members = [self._user(*self._name(), role, team=team, manager=self.head, password=password)
                       for _ in range(count)]
            self._manage(team, members[0])
        self._user(*self._name(), Role.PARTNER_VIEWER, agency=StaffAgency.POLICE, password=password,
                   job_title="Detective constable, public protection unit")
        self._user(*self._name(), Role.ADMINISTRATOR, password=password, job_title="System administrator")
        # Partner professionals recur, as the same officers and nurses do in a real area.
        self.professionals = {agency: [f"{self.rng.choice(self.women + self.men)} {self.rng.choice(self.surnames)}"
                                        for _ in range(max(10, round(per_thousand * 8)))]
                              for agency in ("police", "health", "education")}

    def _team(self, name: str, kind: str, above: User, role: str, size: int, password: str) -> StaffTeam:
        team = Team.objects.create(name=name, kind=kind)
        manager = self._user(*self._name(), Role.TEAM_MANAGER, team=team, manager=above, password=password)
        self._manage(team, manager)
        senior = [] if role == Role.FRONT_DOOR else [
            self._user(*self._name(), Role.SENIOR_PRACTITIONER, team=team, manager=manager, password=password)]
        workers = [self._user(*self._name(), role, team=team, manager=manager, password=password)
                   for _ in range(size)]
        return StaffTeam(team, manager, senior + workers)

    @staticmethod
    def _manage(team: Team, manager: User) -> None:
        team.manager = manager
        team.save(update_fields=["manager"])

    def _name(self) -> tuple[str, str]:
        female = self.rng.random() < 0.8  # most of the children's social care workforce are women
        return self.rng.choice(self.women if female else self.men), self.rng.choice(self.surnames)

    def _user(self, first: str, last: str, role: str, *, username: str = "", job_title: str = "", **fields) -> User:
        username = username or self._username(first, last)
        user = User.objects.create(username=username, first_name=first, last_name=last, role=role,
                                   email=f"{username}@simulated.invalid", job_title=job_title or Role(role).label,
                                   **fields)
        self.users.append(user)
        return user

    def _username(self, first: str, last: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        name, number = base, 1
        while name in self.usernames:
            number += 1
            name = f"{base}{number}"
        self.usernames.add(name)
        return name

    def team_for(self, kind: str, family: Family) -> StaffTeam:
        teams = self.teams[kind]
        return teams[family.patch % len(teams)]

    # Referral dates -----------------------------------------------------------------------------------------
    def _referral_dates(self) -> list[datetime.date]:
        days = [self.start + DAY * offset for offset in range((self.end - self.start).days + 1)]
        weights = [MONTH_WEIGHT[day.month] * (1.0 if self.wd.calendar.is_working_day(day) else OUT_OF_HOURS_WEIGHT)
                   for day in days]
        total = round(self.referrals_per_year * len(days) / 365.25)
        return sorted(self.rng.choices(days, weights=weights, k=total))

    # Choosing the child -----------------------------------------------------------------------------------
    def _pick_child(self, day: datetime.date) -> Child:
        self._update_pools(day)
        if self.stream("re_referral").chance(RE_REFERRAL_RATE):
            child = self._take_recent(day)
            if child is not None:
                return child
        if self.stream("returning").chance(RETURNING_CHILD_RATE / (1 - RE_REFERRAL_RATE)):
            child = self._take(self.returning, day)
            if child is not None:
                return child
        if self.stream("sibling").chance(SIBLING_REFERRAL_RATE):
            child = self._take(self.unreferred, day)
            if child is not None:
                return child
        return self._new_family(day)

    def _update_pools(self, day: datetime.date) -> None:
        """Closed episodes join the re-referral pool; 12 months after their referral they move to `returning`."""
        while self.pending and self.pending[0][0] <= day:
            _, order, child = heapq.heappop(self.pending)
            self.recent.add(child)
            heapq.heappush(self.expiry, (add_calendar_months(child.last_referral, 12) + DAY, order, child,
                                         child.last_referral))
        while self.expiry and self.expiry[0][0] <= day:
            _, _, child, referral = heapq.heappop(self.expiry)
            if child.last_referral == referral and self.recent.remove(child):
                self.returning.add(child)

    def _take_recent(self, day: datetime.date) -> Child | None:
        """A child last referred within 12 months of `day`, as the DfE counts a re-referral, episode closed."""
        limit = add_calendar_months(day, -12)
        while self.recent:
            child = self.recent.any(self.rng)
            self.recent.remove(child)
            if child.age_on(day) >= 17:
                continue
            if child.last_referral >= limit:
                return child
            self.returning.add(child)
        return None

    def _take(self, pool: Pool, day: datetime.date) -> Child | None:
        for _ in range(6):
            child = pool.any(self.rng)
            if child is None:
                return None
            if child.age_on(day) >= 17:
                pool.remove(child)  # too old for a new journey: out of the pool for good
            elif child.dob <= day:
                pool.remove(child)
                return child
        return None

    def _release(self, child: Child, closed: datetime.date | None) -> None:
        """After the episode: may be referred again from the day after it closed (never, if it is still open)."""
        if self.happened(closed):
            self.order += 1
            heapq.heappush(self.pending, (closed + DAY, self.order, child))

    # People -----------------------------------------------------------------------------------------------
    def _new_family(self, day: datetime.date) -> Child:
        surname = self.rng.choice(self.surnames)
        ethnicity = self.stream("ethnicity").pick(ETHNICITIES)
        low, high = self._age_band()
        index_dob = day - datetime.timedelta(days=self.rng.randint(int(low * 365.25) + 1, int(high * 365.25) - 1))
        others = [index_dob + datetime.timedelta(days=self.rng.randint(-4500, 3000))
                  for _ in range(self.rng.choice([0, 0, 1, 1, 1, 2, 2, 3]))]
        births = sorted({index_dob, *(dob for dob in others if day - datetime.timedelta(days=6000) <= dob <= self.end)})
        eldest = births[0]
        patch = self.rng.randrange(10_000)
        address = self._address(patch, eldest)
        created = self.at(day)
        household = self.out.add(Household, name=f"{surname} household", created_at=created)["id"]
        mother = self._adult(surname, "F", eldest - datetime.timedelta(days=self.rng.randint(17, 32) * 365 + 200),
                             ethnicity, created, True)
        family = Family(surname, patch, mother, None, household, address)
        self._live_at(mother.id, family, eldest)
        if self.rng.random() < 0.85:
            father_surname = surname if self.rng.random() < 0.6 else self.rng.choice(self.surnames)
            father_ethnicity = ethnicity if self.rng.random() < 0.8 else self.stream("ethnicity").pick(ETHNICITIES)
            family.father = self._adult(father_surname, "M", eldest - datetime.timedelta(
                days=self.rng.randint(18, 36) * 365 + 100), father_ethnicity, created,
                self.rng.choice([True, True, True, False, None]))
            if self.rng.random() < 0.55:
                self._live_at(family.father.id, family, eldest)
            else:
                self.out.add(Address, person_id=family.father.id, **self._address(self.rng.randrange(10_000), eldest))
        index_child = None
        for dob in births:
            child = self._child(family, dob, ethnicity, self.at(max(day, dob)))
            if dob == index_dob and index_child is None:
                index_child = child
            else:
                self.unreferred.add(child)
        for position, child in enumerate(family.children):
            for parent in filter(None, (family.mother, family.father)):
                self.out.add(Relationship, person_id=parent.id, relative_id=child.id, kind=Relationship.Kind.PARENT,
                             parental_responsibility=parent.parental_responsibility, start_date=child.dob)
            for younger in family.children[position + 1:]:
                self.out.add(Relationship, person_id=child.id, relative_id=younger.id, kind=Relationship.Kind.SIBLING,
                             start_date=younger.dob)
        return index_child

    def _age_band(self) -> tuple[float, float]:
        return _share_of(list(FIRST_REFERRAL_AGE.items()), self.rng.random(), share=lambda item: item[1])[0]

    def _child(self, family: Family, dob: datetime.date, ethnicity: str, created) -> Child:
        sex = self.rng.choice("MF")
        first = self.rng.choice(GIRLS if sex == "F" else BOYS)
        missing = self.stream("missing_ethnicity").chance(PLANTED["missing_ethnicity"])
        self.tally.count("missing_ethnicity", missing)
        restricted = self.stream("restricted").chance(RESTRICTED_RATE)
        upn, upn_reason = self._upn() if (self.end - dob).days >= 4 * 365 else ("", "UN3")
        row = self.out.add(
            Person, kind=Person.Kind.CHILD, first_name=first, last_name=family.surname,
            last_name_key=self._key(family.surname), date_of_birth=dob, sex=sex,
            ethnicity="" if missing else ethnicity, nhs_number=self._nhs_number(), upn=upn,
            upn_unknown_reason=upn_reason,
            first_language="English" if self.rng.random() < 0.85 else self.rng.choice(LANGUAGES),
            restriction=self.rng.choice(RESTRICTIONS) if restricted else "",
            created_at=created, created_by_id=self.rng.choice(self.team_for("front_door", family).workers).id,
        )
        self._live_at(row["id"], family, dob)
        child = Child(row["id"], first, dob, family, restricted=restricted)
        family.children.append(child)
        self.front.child_born(child)
        if restricted:
            self.restricted.append(child)
        return child

    def _adult(self, surname: str, sex: str, dob: datetime.date, ethnicity: str, created,
               responsibility: bool | None) -> Adult:
        first = self.rng.choice(self.women if sex == "F" else self.men)
        row = self.out.add(Person, kind=Person.Kind.ADULT, first_name=first, last_name=surname,
                           last_name_key=self._key(surname), date_of_birth=dob, sex=sex, ethnicity=ethnicity,
                           nhs_number=self._nhs_number(), created_at=created, created_by_id=self.system.id)
        return Adult(row["id"], f"{first} {surname}", responsibility)

    def _key(self, surname: str) -> str:
        if surname not in self.surname_keys:
            self.surname_keys[surname] = phonetic_key(surname)
        return self.surname_keys[surname]

    def _live_at(self, person_id: int, family: Family, since: datetime.date) -> None:
        start = max(family.address["start_date"], since)
        self.out.add(Address, person_id=person_id, **{**family.address, "start_date": start})
        self.out.add(HouseholdMember, household_id=family.household, person_id=person_id, start_date=start)

    def _address(self, patch: int, since: datetime.date) -> dict:
        inward = f"{self.rng.randint(1, 9)}{''.join(self.rng.choices(POSTCODE_INWARD_LETTERS, k=2))}"
        street = f"{self.rng.choice(self.surnames)} {self.rng.choice(STREET_KINDS)}"
        return {"line_1": f"{self.rng.randint(1, 160)} {street}",
                "town": "Demo Borough", "postcode": f"DB{patch % len(AREAS) + 1} {inward}", "start_date": since}

    def _nhs_number(self) -> str:
        if len(self.used_nhs) > 800_000:  # about 900,000 valid numbers start 999: stop before searching forever
            raise RuntimeError("Too many people for the 999 test range of NHS numbers: simulate fewer years")
        while True:
            first_nine = f"999{self.rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(first_nine)
            if check is not None and first_nine not in self.used_nhs:
                self.used_nhs.add(first_nine)
                return f"{first_nine}{check}"

    def _upn(self) -> tuple[str, str]:
        digits = f"999{self.rng.randint(2000, 2999)}{self.rng.randint(0, 99):02d}{self.rng.randint(0, 999):03d}"
        return upn_check_letter(digits) + digits, ""

    # One referral and its whole journey ---------------------------------------------------------------------
    def _referral(self, day: datetime.date) -> None:
        child = self._pick_child(day)
        child.last_referral = day
        family = child.family
        source = self.stream("source").pick(REFERRAL_SOURCES)
        decided = self.wd.on_or_after(day)
        if self.rng.random() < 0.1:
            decided = self.wd.add(decided, 1)
        front_door = self.team_for("front_door", family)
        recorder = self.rng.choice(front_door.workers)
        nfa = self.stream("referral_nfa").chance(REFERRAL_NFA_RATE)
        s47 = not nfa and self.stream("s47").chance(S47_PER_REFERRAL / (1 - REFERRAL_NFA_RATE))
        # What the referral is about; a plan's category is decided later, at the initial conference.
        category = self.stream("concern").pick(CATEGORIES) if s47 else ""
        concern = self.rng.choice(THEMES[category][1] if category else OTHER_CONCERNS)
        is_decided = self.happened(decided)
        episode = self.out.add(
            cw.Episode, child_id=child.id, referral_date=day, referral_source=source,
            referrer_name=self._referrer(source), referral_summary=f"{child.first_name}: {concern}.",
            referral_decision_date=decided if is_decided else None,
            referral_decided_by_id=front_door.manager.id if is_decided else None,
            referral_nfa=nfa if is_decided else None,
            primary_need="" if nfa else ("N1" if s47 else self.stream("need").pick(PRIMARY_NEEDS)),
            recorded_by_id=recorder.id, recorded_at=self.at(day))
        if source == "5D":
            self.out.add(cw.EarlyHelpTransfer, child_id=child.id, direction=cw.EarlyHelpTransfer.Direction.STEP_UP,
                         date=day, episode_id=episode["id"], early_help_provider=FAMILY_HUBS[family.patch % len(AREAS)],
                         reason="Needs have grown beyond what early help can meet", recorded_by_id=recorder.id,
                         recorded_at=self.at(day))
        self.front.referral(child, episode, day, decided, source, front_door, s47)
        journey = Journey(self, child, episode, decided)
        closed = journey.close_after_referral(front_door) if nfa else journey.assess_and_follow(s47, category)
        self._release(child, closed)

    def _referrer(self, source: str) -> str:
        if source in ("9", "10"):
            return ""
        return self.rng.choice(self.professionals[{"6": "police", "2A": "education", "2B": "education"}
                                                  .get(source, "health")])

    def allocate(self, child: Child, team: StaffTeam, start: datetime.date, reason: str) -> tuple[User, object]:
        """A worker in `team` holds the case from `start` (the row exists only if that day has happened)."""
        worker = self.rng.choice(team.workers)
        if not self.happened(start):
            return worker, None
        child.workers.append(worker.id)
        row = self.out.add(cw.Allocation, child_id=child.id, worker_id=worker.id, team_id=team.team.id,
                           start_date=start, reason=reason, allocated_by_id=team.manager.id)
        return worker, row

    def _restricted_grants(self) -> None:
        """Every worker who held a restricted child's case is named on the record, by the head of service."""
        for child in self.restricted:
            for worker in dict.fromkeys(child.workers):
                self.out.add(RestrictedAccessGrant, child_id=child.id, user_id=worker, granted_by_id=self.head.id,
                             granted_at=self.at(self.start))


class Journey:
    """One episode for one child, from the referral decision to closure (or to the end date, still open)."""

    def __init__(self, sim: Simulation, child: Child, episode: dict, decided: datetime.date) -> None:
        self.sim, self.child, self.episode, self.decided = sim, child, episode, decided
        self.rng, self.out, self.wd = sim.rng, sim.out, sim.wd
        self.allocation = None
        self.team: StaffTeam | None = None
        self.worker: User | None = None
        self.chair = self.rng.choice(sim.chairs)
        self.icpc = None
        self.category = ""
        self.floor = decided  # nothing closes before the last thing that happened

    def add(self, model, **values):
        return self.out.add(model, **values)

    # Closure ----------------------------------------------------------------------------------------------
    def close_after_referral(self, front_door: StaffTeam) -> datetime.date | None:
        """No further action at the referral: closed the day it is decided (RC7, as there was no assessment)."""
        self._close(self.decided, "RC7", "No further action at the referral: information and advice given.",
                    signed_off_by=front_door.manager, proposed_by=self.rng.choice(front_door.workers),
                    after_assessment=False)
        return self.episode.get("closure_date")

    def _close(self, day: datetime.date, reason: str, rationale: str, *, signed_off_by: User, proposed_by: User,
               after_assessment: bool = True) -> datetime.date | None:
        """Closure date, reason and the manager's sign-off are written together, or not at all."""
        day = min(max(day, self.floor), self.child.last_day)
        if not self.sim.happened(day):
            return None
        views = ""
        if after_assessment and self.child.age_on(day) >= 4:
            left_out = self.sim.stream("closure_views").chance(PLANTED["closure_without_childs_views"])
            self.sim.tally.count("closure_without_childs_views", left_out)
            views = "" if left_out else f"{self.child.first_name} said: \"{self.rng.choice(CHILDS_WORDS)}\""
        elif after_assessment:
            views = f"Too young to say. Observed: {self.rng.choice(OBSERVATIONS)}"
        self.episode.update(closure_date=day, closure_reason=reason, closure_rationale=rationale,
                            childs_views_at_closure=views, closure_signed_off_by_id=signed_off_by.id,
                            closure_signed_off_on=day)
        if EPISODE_HAS_PROPOSAL:
            self.episode.update(closure_proposed_by_id=proposed_by.id, closure_proposed_on=day)
        self._end_allocation(day)
        return day

    def _end_allocation(self, day: datetime.date) -> None:
        if self.allocation is not None and self.sim.happened(day):
            self.allocation["end_date"] = day
            self.allocation = None

    # Assessment and what follows ----------------------------------------------------------------------------
    def assess_and_follow(self, s47: bool, category: str) -> datetime.date | None:
        sim = self.sim
        self.team = sim.team_for("assessment", self.child.family)
        self.worker, self.allocation = sim.allocate(self.child, self.team, self.decided,
                                                    "Single assessment following a referral")
        days = quantile(ASSESSMENT_DAYS, sim.stream("assessment_days")())
        authorised = self.wd.add(self.decided, days)
        if sim.happened(authorised):
            sim.tally.count("late_assessments", days > 45)
            self.floor = authorised
        plan_from = None
        if s47:
            outcome, plan_from = self._section_47(category, authorised)
        else:
            outcome = sim.stream("after_assessment").pick(AFTER_ASSESSMENT)
        self._assessment(authorised, "strategy" if outcome in ("cp", "open") else outcome, category)
        if outcome == "open":
            return None
        if outcome == "cp":
            return self._child_protection(plan_from, self.category)
        if outcome == "cin_plan":
            return self._child_in_need(plan_from or self.wd.add(authorised, self.rng.randint(0, 8)), transfer=True)
        return self._close_after_assessment(authorised, outcome)

    def _close_after_assessment(self, authorised: datetime.date, outcome: str) -> datetime.date | None:
        sim = self.sim
        left_open = sim.stream("left_open").chance(PLANTED["case_left_open"])
        if sim.happened(authorised):
            sim.tally.count("case_left_open", left_open)
        closed = max(authorised, self.floor) + DAY * (self.rng.randint(150, 540) if left_open
                                                      else self.rng.randint(0, 10))
        if outcome == "early_help":
            closed = self._close(closed, "RC9", "Assessment complete: needs can be met by early help.",
                                 signed_off_by=self.team.manager, proposed_by=self.worker)
            if closed:
                self.add(cw.EarlyHelpTransfer, child_id=self.child.id,
                         direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN, date=closed, episode_id=self.episode["id"],
                         early_help_provider=FAMILY_HUBS[self.child.family.patch % len(AREAS)],
                         reason="Needs can be met by a family support worker at the family hub",
                         recorded_by_id=self.worker.id, recorded_at=sim.at(closed))
            return closed
        return self._close(closed, "RC8", "Assessment complete: no further action needed from children's social care.",
                           signed_off_by=self.team.manager, proposed_by=self.worker)

    def _assessment(self, authorised: datetime.date, outcome: str, category: str) -> None:
        sim, child, rng = self.sim, self.child, self.rng
        start = self.decided
        if not sim.happened(start):
            return
        done = sim.happened(authorised)
        seen_on = min(self.wd.add(start, rng.randint(0, 5)), authorised)
        seen = sim.happened(seen_on) and rng.random() < 0.97
        speaks = child.age_on(start) >= 4
        theme = THEMES[category][0] if category else "the family's needs"
        assessment = self.add(
            cw.Assessment, episode_id=self.episode["id"], start_date=start,
            child_seen=seen if sim.happened(seen_on) else None, child_seen_on=seen_on if seen else None,
            child_seen_alone=(rng.random() < 0.7) if seen and speaks else None,
            childs_views=f"\"{rng.choice(CHILDS_WORDS)}\"" if seen and speaks else "",
            observations_of_child=rng.choice(OBSERVATIONS) if seen and not speaks else "",
            worries=f"Worries about {theme}.", working_well="The family are honest with the worker and want help.",
            needs_to_happen="A plan the family agrees with, and checks that it is working.",
            scale=rng.randint(1, 8), analysis=f"{child.first_name}'s needs analysed with the family and agencies.",
            outcome=outcome if done else "", requires_support=(outcome != "nfa") if done else None,
            submitted_on=max(start, authorised - DAY * rng.randint(0, 3)) if done else None,
            authorised_on=authorised if done else None, authorised_by_id=self.team.manager.id if done else None,
            recorded_by_id=self.worker.id, recorded_at=sim.at(start))
        chosen = [FACTOR_FOR_CATEGORY[category]] if category else []
        for _ in range(rng.randint(0, 2) if chosen else rng.randint(1, 2)):
            code = sim.stream("factor").pick(FACTORS)
            if code not in chosen:
                chosen.append(code)
        for code in chosen:
            self.add(cw.AssessmentFactor, assessment_id=assessment["id"], code=code)
        self._assessment_adults(assessment["id"], start, authorised)
        if seen:
            self._visit(seen_on, cw.Visit.Kind.ASSESSMENT, None)
        note_day = self.wd.add(start, rng.randint(1, 10))
        if sim.happened(note_day):
            self.add(cw.CaseNote, child_id=child.id, episode_id=self.episode["id"], date=note_day,
                     subject=rng.choice(NOTE_SUBJECTS), body="Information shared for the assessment, recorded here.",
                     recorded_by_id=self.worker.id, recorded_at=sim.at(note_day))

    def _assessment_adults(self, assessment: int, start: datetime.date, authorised: datetime.date) -> None:
        family, rng, sim = self.child.family, self.rng, self.sim
        seen_on = min(self.wd.add(start, rng.randint(1, 10)), authorised)
        mother_seen = rng.random() < 0.95
        self.add(cw.AssessmentAdult, assessment_id=assessment, person_id=family.mother.id, role="birth mother",
                 seen=mother_seen, seen_on=seen_on if mother_seen and sim.happened(seen_on) else None,
                 not_seen_reason="" if mother_seen else "Did not answer the door at three arranged visits")
        if family.father is None:
            return
        unseen = sim.stream("father_not_seen").chance(PLANTED["father_not_seen"])
        sim.tally.count("father_not_seen", unseen)
        if unseen and rng.random() < 0.45:
            return  # left out of the assessment altogether
        self.add(cw.AssessmentAdult, assessment_id=assessment, person_id=family.father.id, role="birth father",
                 seen=not unseen, seen_on=seen_on if not unseen and sim.happened(seen_on) else None)

    # Strategy discussion, section 47 enquiry and initial conference -------------------------------------------
    def _section_47(self, category: str, authorised: datetime.date) -> tuple[str, datetime.date | None]:
        """Returns what follows ("cp", "cin_plan", "nfa", "early_help", or "open" at the end date) and from when."""
        sim, rng, child = self.sim, self.rng, self.child
        sd_day = self.wd.add(self.decided, rng.choice([0, 0, 0, 1, 1, 2]))
        if not sim.happened(sd_day):
            return "open", None
        discussion = self.add(
            cw.StrategyDiscussion, episode_id=self.episode["id"], kind=rng.choice(["discussion"] * 3 + ["meeting"]),
            date=sd_day, chaired_by_id=self.team.manager.id, reason=f"Reasonable cause to suspect "
            f"{THEMES[category][0]}.", decision=cw.StrategyDiscussion.Decision.SECTION_47,
            decision_rationale="Threshold for section 47 enquiries met: joint enquiries with the police.",
            recorded_by_id=self.worker.id, recorded_at=sim.at(sd_day))
        for agency, role in STRATEGY_AGENCIES:
            if agency == "education" and child.age_on(sd_day) < 4:
                continue
            name = self.worker.get_full_name() if agency == "social_care" else rng.choice(sim.professionals[agency])
            self.add(cw.StrategyParticipant, discussion_id=discussion["id"], agency=agency, name=name, role=role,
                     information_shared="Checks made and what is known shared.")
        visit_by = self.wd.add(sd_day, 1)
        self.add(cw.Action, strategy_discussion_id=discussion["id"], description="Joint visit to see the child alone",
                 owner=f"{self.worker.get_full_name()} (social worker)", due_date=visit_by,
                 completed_on=visit_by if sim.happened(visit_by) else None)
        icpc = sim.stream("icpc").chance(ICPC_PER_S47)
        icpc_days = quantile(ICPC_DAYS, sim.stream("icpc_days")())
        outcome_day = self.wd.add(sd_day, max(0, icpc_days - rng.randint(1, 4)) if icpc else rng.randint(5, 15))
        if icpc:
            result = cw.Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
        else:
            result = rng.choice([cw.Section47Enquiry.Outcome.NOT_SUBSTANTIATED] * 2
                                + [cw.Section47Enquiry.Outcome.SUBSTANTIATED_NOT_AT_RISK])
        done = sim.happened(outcome_day)
        enquiry = self.add(
            cw.Section47Enquiry, episode_id=self.episode["id"], strategy_discussion_id=discussion["id"],
            outcome=result if done else "", outcome_date=outcome_day if done else None,
            outcome_rationale=(S47_RATIONALE[result] if done else ""), icpc_not_required=done and not icpc,
            icpc_not_required_reason="No continuing risk of significant harm." if done and not icpc else "",
            recorded_by_id=self.worker.id, recorded_at=sim.at(sd_day))
        if not done:
            return "open", None
        self.floor = max(self.floor, outcome_day)
        if not icpc:
            if result == cw.Section47Enquiry.Outcome.SUBSTANTIATED_NOT_AT_RISK:
                return "cin_plan", max(authorised, outcome_day)
            return rng.choice(["nfa", "early_help", "cin_plan"]), None
        icpc_day = self.wd.add(sd_day, icpc_days)
        if not sim.happened(icpc_day):
            return "open", None
        plan = sim.stream("plan_at_icpc").chance(PLAN_AT_ICPC)
        # Drawn only for plans (their own stream), so the plans' categories keep England's shares.
        self.category = sim.stream("category").pick(CATEGORIES) if plan else ""
        self.icpc = self._conference(cw.Conference.Kind.INITIAL, icpc_day,
                                     cw.Conference.Decision.PLAN if plan else cw.Conference.Decision.NO_PLAN,
                                     self.category, enquiry=enquiry["id"])
        return ("cp" if plan else "cin_plan"), icpc_day

    def _conference(self, kind: str, day: datetime.date, decision: str, category: str, *,
                    enquiry: int | None = None) -> dict:
        sim, rng, child, family = self.sim, self.rng, self.child, self.child.family
        age = child.age_on(day)
        conference = self.add(
            cw.Conference, child_id=child.id, episode_id=self.episode["id"], enquiry_id=enquiry, kind=kind, date=day,
            chair_id=self.chair.id, advocacy_offered=(rng.random() < 0.8) if age >= 10 else None,
            childs_views=(f"{child.first_name} met the chair before the conference." if age >= 10 else
                          f"{child.first_name}'s views were shared by the social worker." if age >= 4 else ""),
            decision=decision, category=category,
            decision_rationale="The conference considered the reports and the family's views.",
            recorded_by_id=self.chair.id, recorded_at=sim.at(day))
        people = [(None, self.worker.get_full_name(), "social_care", "social worker", True),
                  (family.mother.id, family.mother.name, "", "mother", rng.random() < 0.85),
                  (None, rng.choice(sim.professionals["health"]), "health",
                   "health visitor" if age < 5 else "school nurse", rng.random() < 0.8),
                  (None, rng.choice(sim.professionals["police"]), "police", "police officer", rng.random() < 0.5)]
        if family.father is not None:
            people.append((family.father.id, family.father.name, "", "father", rng.random() < 0.45))
        if age >= 5:
            people.append((None, rng.choice(sim.professionals["education"]), "education",
                           "designated safeguarding lead", rng.random() < 0.85))
        if age >= 12:
            people.append((child.id, child.name, "", "child", rng.random() < 0.4))
        for person, name, agency, role, attended in people:
            self.add(cw.ConferenceParticipant, conference_id=conference["id"], person_id=person, name=name,
                     agency=agency, role=role, invited=True, attended=attended)
        for agency in ("police", "health", "education"):
            received = rng.random() < 0.85
            self.add(cw.ConferenceReport, conference_id=conference["id"], agency=agency, received=received,
                     received_on=day - DAY * rng.randint(1, 4) if received else None,
                     shared_with_parents=(rng.random() < 0.7) if received else None)
        return conference

    # Plans -------------------------------------------------------------------------------------------------
    def _transfer(self, start: datetime.date) -> None:
        """The case moves from the assessment team to a safeguarding team the day the plan starts."""
        self._end_allocation(start)
        self.team = self.sim.team_for("safeguarding", self.child.family)
        self.worker, self.allocation = self.sim.allocate(self.child, self.team, start,
                                                         "Plan started: transferred from the assessment team")

    def _child_protection(self, start: datetime.date, category: str) -> datetime.date | None:
        """Started at the initial conference; reviewed at conferences; ended by the last review conference."""
        sim, rng = self.sim, self.rng
        self._transfer(start)
        end = self._cp_plan_end(start)
        plan = self.add(
            cw.Plan, child_id=self.child.id, episode_id=self.episode["id"], kind=cw.Plan.Kind.CHILD_PROTECTION,
            start_date=start, started_by_conference_id=self.icpc["id"], initial_category=category,
            latest_category=category, contingency=rng.choice(CONTINGENCIES), visit_interval_working_days=10,
            recorded_by_id=self.worker.id, recorded_at=sim.at(start))
        actions = self._outcomes(plan["id"], category, start)
        reviews = [day for day in self._cp_review_dates(start, end) if sim.happened(day)]
        drift = self._no_progress(len(reviews))
        for review_day in reviews:
            final = review_day == end
            if not final and rng.random() < 0.04:
                plan["latest_category"] = "MUL"  # new worries of another kind: the conference changes the category
            conference = self._conference(cw.Conference.Kind.REVIEW, review_day,
                                          cw.Conference.Decision.END_PLAN if final else cw.Conference.Decision.PLAN,
                                          plan["latest_category"])
            self._review(plan["id"], review_day, actions, drift, conference=conference)
            if final:
                plan["end_date"], plan["ended_by_conference_id"] = end, conference["id"]
        self._core_groups(plan["id"], start, end)
        self._visits(plan["id"], start, end, cw.Visit.Kind.CHILD_PROTECTION, 10)
        if not sim.happened(end):
            return None
        self.floor = max(self.floor, end)
        if sim.stream("step_down").chance(STEP_DOWN_TO_CIN_AFTER_CP):
            return self._child_in_need(end + DAY, transfer=False)
        return self._close(self.wd.add(end, rng.randint(0, 10)), "RC7",
                           "Child protection plan ended: risk reduced; no further support needed.",
                           signed_off_by=self.team.manager, proposed_by=self.worker)

    def _cp_plan_end(self, start: datetime.date) -> datetime.date:
        """A duration from the D7 bands, in calendar months as the DfE measures it."""
        _, low, high = _share_of(CP_PLAN_BANDS, self.sim.stream("cp_duration")(), share=lambda band: band[0])
        earliest = add_calendar_months(start, low) + DAY * (1 if low else 21)
        latest = add_calendar_months(start, high) - DAY
        end = earliest + DAY * self.rng.randint(0, max(0, (latest - earliest).days))
        return max(min(end, self.child.last_day - DAY * 7), start + DAY)

    def _cp_review_dates(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """Review conferences: the first within 3 months, then at most 6 months apart; the last ends the plan."""
        reviews, last, first = [], start, True
        while True:
            limit = add_calendar_months(last, 3 if first else 6)
            day = min(last + DAY * (self.rng.randint(70, 88) if first else self.rng.randint(150, 178)), limit)
            if day >= end:
                reviews.append(end)
                return reviews
            reviews.append(day)
            last, first = day, False

    def _no_progress(self, reviews: int) -> bool:
        """Drift: a plan reviewed twice or more where no action is ever done."""
        if reviews < 2:
            return False
        drift = self.sim.stream("no_progress").chance(PLANTED["plan_without_progress"])
        self.sim.tally.count("plan_without_progress", drift)
        return drift

    def _outcomes(self, plan: int, theme: str, start: datetime.date) -> list[int]:
        sim, rng, child = self.sim, self.rng, self.child
        actions = []
        for position, (outcome, steps) in enumerate(OUTCOMES[theme][:3], start=1):
            outcome_row = self.add(cw.PlanOutcome, plan_id=plan, description=outcome.format(name=child.first_name),
                                   position=position)
            for description, measure in steps:
                vague = sim.stream("vague").chance(PLANTED["vague_actions"])
                sim.tally.count("vague_actions", vague)
                if vague:
                    owner, measure = rng.choice(VAGUE_OWNERS), rng.choice(VAGUE_MEASURES)
                    description = rng.choice(VAGUE_DESCRIPTIONS) if rng.random() < 0.5 else description
                else:
                    owner = (f"{child.family.mother.name} (mother)" if rng.random() < 0.6 else
                             f"{self.worker.get_full_name()} (social worker)")
                actions.append(self.add(
                    cw.PlanAction, outcome_id=outcome_row["id"], description=description.format(name=child.first_name),
                    owner=owner, due_date=start + DAY * rng.randint(20, 120),
                    measure=measure.format(name=child.first_name))["id"])
        return actions

    def _review(self, plan: int, day: datetime.date, actions: list[int], drift: bool, *,
                conference: dict | None = None) -> None:
        """Every action is marked done, partly done or not done, with evidence, as the plans service requires."""
        rng = self.rng
        review = self.add(cw.PlanReview, plan_id=plan, date=day, conference_id=conference["id"] if conference else None,
                          summary="Progress reviewed with the family and the professionals.",
                          recorded_by_id=(self.chair if conference else self.worker).id, recorded_at=self.sim.at(day))
        for action in actions:
            status = rng.choice(["not_done", "partly"]) if drift else rng.choice(["done", "done", "partly", "not_done"])
            self.add(cw.ActionProgress, review_id=review["id"], action_id=action, status=status,
                     evidence=EVIDENCE[status])

    def _core_groups(self, plan: int, start: datetime.date, end: datetime.date) -> None:
        """The first within 10 working days of the initial conference (most of the time), then about monthly."""
        first_late = self.rng.random() < 0.08
        day = self.wd.add(start, self.rng.randint(11, 15) if first_late else self.rng.randint(4, 10))
        while day < end and self.sim.happened(day):
            self.add(cw.CoreGroup, plan_id=plan, date=day, attendees="Social worker, mother, school, health visitor",
                     summary="Plan progress checked; actions updated.", recorded_by_id=self.worker.id,
                     recorded_at=self.sim.at(day))
            day = self.wd.add(day, self.rng.randint(18, 25))

    def _visits(self, plan: int, start: datetime.date, end: datetime.date, kind: str, interval: int) -> None:
        """Visits at most `interval` working days apart, except the planted late ones. Now and then nobody is in."""
        sim, rng = self.sim, self.rng
        last_seen, changed_worker = start, False
        while True:
            late = sim.stream("late_visit").chance(PLANTED["late_visits"])
            gap = rng.randint(interval + 1, interval * 2 + 5) if late else rng.randint(max(1, interval // 2), interval)
            day = self.wd.add(last_seen, gap)
            if day > end or not sim.happened(day) or day > self.child.last_day:
                return
            sim.tally.count("late_visits", late)
            if rng.random() < 0.04:
                self._visit(self.wd.add(last_seen, max(1, gap - 3)), kind, plan, seen=False)
            if not changed_worker and (day - start).days > 240 and rng.random() < 0.02:
                changed_worker = True  # the worker leaves: another in the same team takes the case
                self._end_allocation(day)
                self.worker, self.allocation = sim.allocate(self.child, self.team, day, "Previous worker left the team")
            self._visit(day, kind, plan)
            last_seen = day

    def _visit(self, day: datetime.date, kind: str, plan: int | None, *, seen: bool = True) -> None:
        if not self.sim.happened(day):
            return
        rng, child = self.rng, self.child
        speaks = child.age_on(day) >= 4
        self.add(cw.Visit, child_id=child.id, episode_id=self.episode["id"], plan_id=plan, kind=kind, date=day,
                 worker_id=self.worker.id, child_seen=seen, seen_alone=(rng.random() < 0.6) if seen else None,
                 bedroom_seen=(rng.random() < 0.5) if seen else None,
                 childs_words=rng.choice(CHILDS_WORDS) if seen and speaks else "",
                 not_seen_reason="" if seen else "No answer at the door; a card was left and mum was called.",
                 observations=rng.choice(OBSERVATIONS) if seen and not speaks else "",
                 recorded_by_id=self.worker.id, recorded_at=self.sim.at(day))

    def _child_in_need(self, start: datetime.date, *, transfer: bool) -> datetime.date | None:
        """A child in need plan with reviews about every 3 months and visits at most 20 working days apart."""
        sim, rng = self.sim, self.rng
        if not sim.happened(start):
            return None
        if start > self.child.last_day - DAY * 30:  # turning 18 within a month: adult services, not a plan
            return self._close(start, "RC6", "Nearly 18: transferred to adult social care.",
                               signed_off_by=self.team.manager, proposed_by=self.worker)
        if transfer:
            self._transfer(start)
        not_reviewed = sim.stream("cin_not_reviewed").chance(PLANTED["cin_plan_not_reviewed"])
        # Drifting: nobody reviews the plan, so it runs on.
        end = start + DAY * (rng.randint(200, 420) if not_reviewed else rng.randint(90, 330))
        end = max(min(end, self.child.last_day - DAY * 7), start + DAY)
        if (min(end, sim.end) - start).days >= 92:
            sim.tally.count("cin_plan_not_reviewed", not_reviewed)
        plan = self.add(
            cw.Plan, child_id=self.child.id, episode_id=self.episode["id"], kind=cw.Plan.Kind.CHILD_IN_NEED,
            start_date=start, contingency=rng.choice(CONTINGENCIES), visit_interval_working_days=20,
            recorded_by_id=self.worker.id, recorded_at=sim.at(start))
        actions = self._outcomes(plan["id"], "CIN", start)
        day = start + DAY * rng.randint(60, 90)
        while not not_reviewed and day < end and sim.happened(day):
            self._review(plan["id"], day, actions, False)
            day += DAY * rng.randint(60, 90)
        self._visits(plan["id"], start, end, cw.Visit.Kind.CHILD_IN_NEED, 20)
        if not sim.happened(end):
            return None
        plan["end_date"] = end
        self.floor = max(self.floor, end)
        return self._close(self.wd.add(end, rng.randint(0, 10)), "RC7", "Child in need plan complete: needs met.",
                           signed_off_by=self.team.manager, proposed_by=self.worker)


# The closure workflow adds who proposed a closure: filled in when the model has it.
EPISODE_HAS_PROPOSAL = any(field.name == "closure_proposed_by" for field in cw.Episode._meta.concrete_fields)


class AlreadySimulated(Exception):
    pass


def simulate(*, size: str, seed: int, end_date: datetime.date, years: int | None = None,
             referrals_per_year: int | None = None) -> Result:
    """Build a simulated authority in one transaction, with the one audit event that says so.

    `end_date` has no default: the same seed and end date build the same authority, so a caller that must be
    reproducible (a test, a benchmark) names its date, and the demo passes today's."""
    if User.objects.filter(username=SYSTEM_USERNAME).exists():
        raise AlreadySimulated("A simulated authority is already loaded in this database.")
    simulation = Simulation(SIZES[size], seed=seed, end_date=end_date, years=years,
                            referrals_per_year=referrals_per_year)
    with transaction.atomic():
        result = simulation.run()
        record(AuditAction.CREATE, actor=simulation.system, details={
            "what": "simulated data loaded", "size": size, "seed": seed, "start_date": result.start_date,
            "end_date": result.end_date, "referrals": result.referrals, "counts": result.counts,
        })
    return result
