"""The simulated authority: its staff, its families, and a referral a day (more or fewer) from the start to the end
date, each followed by its whole journey (journey.py) and its front door (front_door.py)."""

from __future__ import annotations

import datetime
import heapq
import math
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from casefile.access.models import RestrictedAccessGrant
from casefile.accounts.models import Agency as StaffAgency
from casefile.accounts.models import EmploymentType, Post, Role, Team, User, WorkerRecord
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework import models as cw
from casefile.demo.names import DEMO_PASSWORD, POSTCODE_INWARD_LETTERS, STREET_KINDS
from casefile.demo.simulate.calendar import WorkingDays
from casefile.demo.simulate.config import (
    CATEGORIES,
    DAY,
    DISABILITY_CODES,
    DISABILITY_CODES_PER_CHILD,
    DISABILITY_RATE,
    PLANTED,
    RE_REFERRAL_MONTHS,
    RE_REFERRAL_RATE,
    REFERRAL_NFA_RATE,
    RESTRICTED_RATE,
    RETURNING_CHILD_RATE,
    S47_PER_REFERRAL,
    SIBLING_REFERRAL_RATE,
    SIZES,
    SYSTEM_USERNAME,
    UPN_LA_CODE,
    WORKER_CHANGES,
    Size,
)
from casefile.demo.simulate.drawing import Strata, share_of
from casefile.demo.simulate.front_door import FrontDoor
from casefile.demo.simulate.journey import Journey
from casefile.demo.simulate.state import Adult, Child, Family, Pool, Result, StaffTeam, Tally
from casefile.demo.simulate.vocabulary import (
    AREAS,
    BOYS,
    ETHNICITIES,
    FAMILY_HUBS,
    FIRST_REFERRAL_AGE,
    GIRLS,
    LANGUAGES,
    MONTH_WEIGHT,
    OTHER_CONCERNS,
    OUT_OF_HOURS_WEIGHT,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    RELIGIONS,
    RESTRICTIONS,
    THEMES,
    ascii_name,
)
from casefile.demo.simulate.writer import Writer
from casefile.people.models import Address, Disability, Household, HouseholdMember, Person, Relationship
from casefile.rules import clocks
from casefile.rules.clocks import Clock, Limit, Rule, State, add_calendar_months
from casefile.rules.codes import NO_DISABILITY
from casefile.rules.identifiers import nhs_check_digit, upn_check_letter
from casefile.rules.names import phonetic_key

# The simulator --------------------------------------------------------------------------------------------


class Simulation:
    def __init__(self, size: Size, *, seed: int, end_date: datetime.date,
                 years: int | None = None, referrals_per_year: int | None = None,
                 now: datetime.datetime | None = None) -> None:
        self.size = size
        self.now = now
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
        self.side_strata: dict[str, Strata] = {}
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
        self.children: list[Child] = []
        self.order = 0

    def stream(self, name: str) -> Strata:
        """One stratified stream per decision, so each decision keeps its own rate whatever the others draw."""
        if name not in self.strata:
            self.strata[name] = Strata(self.rng)
        return self.strata[name]

    def side_stream(self, name: str) -> Strata:
        """A stream with its own random numbers, seeded from the seed and its name: a problem planted from one
        draws nothing from the main stream, so planting it changes no journey."""
        if name not in self.side_strata:
            self.side_strata[name] = Strata(random.Random(f"{self.seed}:{name}"))
        return self.side_strata[name]

    def clock(self, rule: Rule, anchor: datetime.date, met: datetime.date | None, limit: Limit | None = None) -> None:
        """A statutory clock started on `anchor` and met on `met` (None: never, or stopped by the plan's end after
        the end date): one still running at the end date is counted, and whether it is overdue then."""
        if self.happened(anchor) and not self.happened(met):
            status = Clock(rule, anchor, plan_limit=limit).status(self.end, self.wd.calendar)
            self.tally.count("overdue_clock", status.state is State.OVERDUE)

    def at(self, day: datetime.date) -> datetime.datetime:
        """When a row dated `day` was recorded: that day, in office hours."""
        if day not in self.times:
            self.times[day] = self.no_later_than_now(datetime.datetime.combine(day, datetime.time(10, 30),
                                                                               tzinfo=datetime.UTC))
        return self.times[day]

    def no_later_than_now(self, moment: datetime.datetime) -> datetime.datetime:
        """A simulation ending today is built during the day: nothing is recorded after the moment it is built
        (a contact received at 3 pm would otherwise be waiting in the future at 9 am). With an end date in the
        past this never applies, so a named date still builds the same authority whenever it is run."""
        return min(moment, self.now) if self.now is not None else moment
    def happened(self, day: datetime.date | None) -> bool:
        return day is not None and day <= self.end

    # The run ----------------------------------------------------------------------------------------------
    def run(self) -> Result:
        self.out = Writer()
        self._staff()
        self._workforce()
        self.front = FrontDoor(self)
        self.front.staff()
        dates = self._referral_dates()
        for day in dates:
            self._referral(day)
            self.front.others(day)
            self.out.flush_if_full()
        self._restricted_grants()
        self._disabilities()
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

    def _workforce(self) -> None:
        """Each case-holding worker's employment and the establishment's posts, for the clinic's workforce figures:
        about one in six agency workers (each covering a post, which stays vacant in the figures), some part-time,
        a few permanent workers who left in the last two years (accounts turned off, holding no children), and an
        unfilled post in about one team in five. From a side stream, so no journey changes."""
        rng = self.side_stream("workforce").rng
        employments, posts = [], []
        for team in (team for teams in self.teams.values() for team in teams):
            for member in [team.manager, *team.workers]:
                agency = member is not team.manager and rng.random() < 0.17
                fte = 1 if agency or rng.random() < 0.8 else rng.choice(("0.5", "0.6", "0.8"))
                if agency:
                    started = self.end - datetime.timedelta(days=rng.randint(30, 700))
                else:
                    started = self.start - datetime.timedelta(days=rng.randint(30, 4000))
                employments.append(WorkerRecord(user=member, employment_type=EmploymentType.AGENCY if agency
                                                else EmploymentType.PERMANENT, fte=fte, started_on=started))
                posts.append(Post(team=team.team, title=member.job_title, fte=fte,
                                  starts_on=min(started, self.start), holder=member))
            for _ in range(rng.choice((0, 1, 1, 2))):  # permanent workers who left: their posts wait to be filled
                first, last = rng.choice(self.women + self.men), rng.choice(self.surnames)
                username = self._username(first, last)
                leaver = User.objects.create(username=username, first_name=first, last_name=last,
                                             role=Role.SOCIAL_WORKER, team=team.team, manager=team.manager,
                                             is_active=False,
                                             email=f"{username}@simulated.invalid", job_title="Social worker",
                                             password=make_password(None))
                left = self.end - datetime.timedelta(days=rng.randint(20, 450))
                employments.append(WorkerRecord(user=leaver, employment_type=EmploymentType.PERMANENT, fte=1,
                                                started_on=left - datetime.timedelta(days=rng.randint(200, 3000)),
                                                left_on=left))
                if rng.random() < 0.5:  # else the post was filled by a worker already counted
                    posts.append(Post(team=team.team, title="Social worker", starts_on=self.start))
            if rng.random() < 0.2:
                posts.append(Post(team=team.team, title="Social worker", starts_on=self.end - datetime.timedelta(
                    days=rng.randint(30, 300))))
        WorkerRecord.objects.bulk_create(employments)
        Post.objects.bulk_create(posts)

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
        base = f"{ascii_name(first)}.{ascii_name(last)}"
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
            child.last_closed = closed
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
        return share_of(list(FIRST_REFERRAL_AGE.items()), self.rng.random(), share=lambda item: item[1])[0]

    def _child(self, family: Family, dob: datetime.date, ethnicity: str, created) -> Child:
        sex = self.rng.choice("MF")
        first = self.rng.choice(GIRLS if sex == "F" else BOYS)
        missing = self.stream("missing_ethnicity").chance(PLANTED["missing_ethnicity"])
        self.tally.count("missing_ethnicity", missing)
        no_religion = self.side_stream("missing_religion").chance(PLANTED["missing_religion"])
        self.tally.count("missing_religion", no_religion)
        no_language = self.side_stream("missing_first_language").chance(PLANTED["missing_first_language"])
        self.tally.count("missing_first_language", no_language)
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
        row["religion"] = "" if no_religion else RELIGIONS[row["id"] % len(RELIGIONS)]
        if no_language:
            row["first_language"] = ""
        self._live_at(row["id"], family, dob)
        child = Child(row["id"], first, dob, family, restricted=restricted)
        family.children.append(child)
        self.children.append(child)
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
        school, serial = f"{self.rng.randint(2000, 2999)}{self.rng.randint(0, 99):02d}", self.rng.randint(0, 999)
        digits = f"{UPN_LA_CODE}{school}{serial:03d}"
        return upn_check_letter(digits) + digits, ""

    # One referral and its whole journey ---------------------------------------------------------------------
    def _referral(self, day: datetime.date) -> None:
        child = self._pick_child(day)
        child.last_referral = day
        if child.last_closed is not None:
            self.tally.count("re_referral", day <= add_calendar_months(child.last_closed, RE_REFERRAL_MONTHS))
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
        self.clock(clocks.REFERRAL_DECISION, day, decided)
        episode = self.out.add(
            cw.Episode, child_id=child.id, referral_date=day, referral_source=source,
            referrer_name=self._referrer(source), referral_summary=f"{child.first_name}: {concern}.",
            referral_decision_date=decided if is_decided else None,
            referral_decided_by_id=front_door.manager.id if is_decided else None,
            referral_nfa=nfa if is_decided else None,
            primary_need="" if nfa else ("N1" if s47 else self.stream("need").pick(PRIMARY_NEEDS)),
            recorded_by_id=recorder.id, recorded_at=self.at(day))
        if not nfa:
            child.in_need = True
            child.referred_for_disability |= episode["primary_need"] == "N2"
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
        if not child.workers:
            self.tally.settle("worker_changes", child.id, False)
        elif child.workers[-1] != worker.id:
            child.worker_changes.append(start)
            changes, months = WORKER_CHANGES
            if sum(add_calendar_months(start, -months) < day for day in child.worker_changes) >= changes:
                self.tally.settle("worker_changes", child.id, True)
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


    def _disabilities(self) -> None:
        """Each child's disability codes, or NONE, once every referral is known: a child referred for their
        disability has one, and the others are drawn at the rate that brings children in need to DISABILITY_RATE.
        Drawn from side streams, so recording disabilities changed no journey."""
        in_need = [child for child in self.children if child.in_need]
        referred_for_it = sum(child.referred_for_disability for child in in_need)
        rate = (DISABILITY_RATE * len(in_need) - referred_for_it) / max(1, len(in_need) - referred_for_it)
        # Children in need draw from a stream of their own, so the rate holds among them and not only overall.
        in_need_drawn, others_drawn, how_many, which = (self.side_stream(f"disability_{name}") for name in (
            "in_need", "others", "count", "codes"))
        for child in self.children:
            stream = in_need_drawn if child.in_need else others_drawn
            if child.referred_for_disability or stream.chance(rate):
                left = dict(DISABILITY_CODES)
                for _ in range(how_many.pick(DISABILITY_CODES_PER_CHILD)):
                    total = sum(left.values())
                    code = which.pick({code: share / total for code, share in left.items()})
                    del left[code]
                    self.out.add(Disability, person_id=child.id, code=code)
            else:
                self.out.add(Disability, person_id=child.id, code=NO_DISABILITY)


class AlreadySimulated(Exception):
    pass


def simulate(*, size: str, seed: int, end_date: datetime.date, years: int | None = None,
             referrals_per_year: int | None = None, now: datetime.datetime | None = None) -> Result:
    """Build a simulated authority in one transaction, with the one audit event that says so.

    `end_date` has no default: the same seed and end date build the same authority, so a caller that must be
    reproducible (a test, a benchmark) names its date, and the demo passes today's, with `now`, the moment
    nothing may be recorded after."""
    if User.objects.filter(username=SYSTEM_USERNAME).exists():
        raise AlreadySimulated("A simulated authority is already loaded in this database.")
    simulation = Simulation(SIZES[size], seed=seed, end_date=end_date, years=years,
                            referrals_per_year=referrals_per_year, now=now)
    with transaction.atomic():
        result = simulation.run()
        record(AuditAction.CREATE, actor=simulation.system, details={
            "what": "simulated data loaded", "size": size, "seed": seed, "start_date": result.start_date,
            "end_date": result.end_date, "referrals": result.referrals, "counts": result.counts,
        })
    return result
