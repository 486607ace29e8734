"""A small, made-up local authority for demos and browser tests.

Everything is invented. NHS numbers use the 999 range NHS England keeps for testing (never issued to a
patient), UPNs use local authority number 999, and postcodes use the area "DB" (Demo Borough), which no
real postcode area uses. The same seed always builds the same authority.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from casefile.access.models import AgencyShare, RestrictedAccessGrant
from casefile.accounts.models import Agency, Role, Team, User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.models import Allocation, Conference
from casefile.people.models import Address, Household, HouseholdMember, Person, Relationship
from casefile.quality.models import CaseSample
from casefile.rules import codes
from casefile.rules.identifiers import nhs_check_digit, upn_check_letter
from casefile.rules.names import phonetic_key

DEMO_PASSWORD = "casefile-demo"  # noqa: S105 - printed on purpose; only ever set when DEMO_MODE is on
CHILD_COUNT = 40


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    kind: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None = None  # TeamSpec.key
    manager: str | None = None  # username
    manages: str | None = None  # TeamSpec.key
    agency: str = ""
    job_title: str = ""


TEAMS = [
    TeamSpec("front_door", "Front Door", Team.Kind.FRONT_DOOR),
    TeamSpec("assessment", "Assessment Team", Team.Kind.ASSESSMENT),
    TeamSpec("cin_cp", "Child in Need and Child Protection Team", Team.Kind.CHILD_IN_NEED),
    TeamSpec("conference", "Conference and Review", Team.Kind.CONFERENCE),
    TeamSpec("quality", "Quality Assurance", Team.Kind.QUALITY),
    TeamSpec("performance", "Performance", Team.Kind.PERFORMANCE),
]

# Listed managers first, so each person's manager already exists when they are created.
STAFF = [
    StaffSpec("hos.okafor", "Grace", "Okafor", Role.HEAD_OF_SERVICE, job_title="Head of children's social care"),
    StaffSpec("sm.patel", "Ravi", "Patel", Role.SERVICE_MANAGER, manager="hos.okafor",
              job_title="Service manager, safeguarding"),
    StaffSpec("tm.ahmed", "Yasmin", "Ahmed", Role.TEAM_MANAGER, team="front_door", manager="sm.patel",
              manages="front_door"),
    StaffSpec("tm.evans", "Gareth", "Evans", Role.TEAM_MANAGER, team="assessment", manager="sm.patel",
              manages="assessment"),
    StaffSpec("tm.clarke", "Helen", "Clarke", Role.TEAM_MANAGER, team="cin_cp", manager="sm.patel",
              manages="cin_cp"),
    StaffSpec("sw.jones", "Sarah", "Jones", Role.SOCIAL_WORKER, team="assessment", manager="tm.evans"),
    StaffSpec("sw.khan", "Imran", "Khan", Role.SOCIAL_WORKER, team="assessment", manager="tm.evans"),
    StaffSpec("sw.murphy", "Aoife", "Murphy", Role.SOCIAL_WORKER, team="cin_cp", manager="tm.clarke"),
    StaffSpec("sw.wright", "Daniel", "Wright", Role.SOCIAL_WORKER, team="cin_cp", manager="tm.clarke"),
    StaffSpec("sp.taylor", "Nicola", "Taylor", Role.SENIOR_PRACTITIONER, team="cin_cp", manager="tm.clarke"),
    StaffSpec("fd.hughes", "Owen", "Hughes", Role.FRONT_DOOR, team="front_door", manager="tm.ahmed"),
    StaffSpec("iro.bennett", "Claire", "Bennett", Role.CONFERENCE_CHAIR, team="conference", manager="sm.patel",
              manages="conference", job_title="Independent reviewing officer"),
    StaffSpec("qa.shaw", "Martin", "Shaw", Role.QA_OFFICER, team="quality", manager="hos.okafor",
              manages="quality"),
    StaffSpec("pa.lewis", "Priya", "Lewis", Role.PERFORMANCE_ANALYST, team="performance", manager="hos.okafor",
              manages="performance"),
    StaffSpec("police.reid", "Stuart", "Reid", Role.PARTNER_VIEWER, agency=Agency.POLICE,
              job_title="Detective constable, public protection unit"),
    StaffSpec("admin.cole", "Janet", "Cole", Role.ADMINISTRATOR, job_title="System administrator"),
]

# Who holds cases, by team, and who allocates them.
CASE_HOLDERS = {
    "assessment": ["sw.jones", "sw.khan"],
    "cin_cp": ["sw.murphy", "sw.wright", "sp.taylor"],
    "front_door": ["fd.hughes"],
}
ALLOCATION_REASONS = {
    "assessment": "Single assessment following a referral from school",
    "cin_cp": "Child in need plan: transferred from assessment",
    "front_door": "Contact being screened at the front door",
}
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters the inward code may use
STREET_KINDS = ["Road", "Street", "Close", "Avenue", "Lane", "Way", "Gardens", "Crescent", "Court", "Drive"]
# Faker's first names suit adults; children get names given to babies in England since 2007.
GIRLS_NAMES = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace", "Freya",
               "Poppy", "Evie", "Ella", "Ruby", "Aisha", "Maya", "Zara", "Holly", "Chloe", "Jessica", "Millie"]
BOYS_NAMES = ["Oliver", "Noah", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Jack", "Charlie",
              "Jacob", "Thomas", "Alfie", "Freddie", "Riley", "Kai", "Mason", "Tyler", "Ethan", "Callum", "Jayden"]
NICKNAMES = {"Olivia": "Liv", "Isabella": "Bella", "Jessica": "Jess", "Thomas": "Tom", "Jacob": "Jake",
             "Muhammad": "Mo", "Alfred": "Alfie", "Callum": "Cal"}


def team_name(key: str | None) -> str:
    return next((t.name for t in TEAMS if t.key == key), "")


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, team) for every demo login, in the order they are printed."""
    return [(s.username, Role(s.role).label, team_name(s.team) or "-") for s in STAFF]


def is_seeded() -> bool:
    return User.objects.filter(username__in=[s.username for s in STAFF]).exists()


@dataclass
class SeedResult:
    created: bool
    passwords_set: bool


def seed(*, seed: int = 1) -> SeedResult:
    """Build the demo authority unless it is already there. All or nothing."""
    if is_seeded():
        return SeedResult(created=False, passwords_set=False)
    with transaction.atomic():
        _Builder(seed).build()
    return SeedResult(created=True, passwords_set=settings.DEMO_MODE)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = timezone.localdate()
        self.teams: dict[str, Team] = {}
        self.staff: dict[str, User] = {}
        self.children: list[Person] = []

    def build(self) -> None:
        self._teams_and_staff()
        families = self._families()
        self._allocations(families)
        self._conferences_and_qa()
        self._restricted_adoption_record()
        self._police_share()
        record(Action.CREATE, actor=self.staff["admin.cole"],
               details={"demo_seed": True, "children": len(self.children)})

    # Staff -------------------------------------------------------------------------------------
    def _teams_and_staff(self) -> None:
        for spec in TEAMS:
            self.teams[spec.key] = Team.objects.create(name=spec.name, kind=spec.kind)
        # One hash for everyone: the demo shares one password, and hashing it 16 times is slow.
        password = make_password(DEMO_PASSWORD) if settings.DEMO_MODE else make_password(None)
        for spec in STAFF:
            user = User.objects.create(
                username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                email=f"{spec.username}@demo.invalid", role=spec.role,
                team=self.teams.get(spec.team), manager=self.staff.get(spec.manager),
                agency=spec.agency, job_title=spec.job_title or Role(spec.role).label, password=password,
            )
            self.staff[spec.username] = user
            if spec.manages:
                team = self.teams[spec.manages]
                team.manager = user
                team.save(update_fields=["manager"])

    # People ------------------------------------------------------------------------------------
    def _families(self) -> list[list[Person]]:
        """Households of parents and siblings until there are CHILD_COUNT children. Returns the children."""
        families = []
        while len(self.children) < CHILD_COUNT:
            size = min(self.rng.choice([1, 1, 2, 2, 2, 3, 3, 4]), CHILD_COUNT - len(self.children))
            # Every fifth family is expecting a baby: its youngest child is not born yet.
            families.append(self._family(size, expecting=len(families) % 5 == 2))
        return families

    def _family(self, child_count: int, *, expecting: bool) -> list[Person]:
        surname = self.fake.last_name()
        household = Household.objects.create(name=f"{surname} household")
        address = self._address()
        # Ages first (None for an unborn baby), so parents are old enough to be their parents.
        ages: list[int | None] = sorted(self.rng.sample(range(18), child_count), reverse=True)
        if expecting:
            ages[-1] = None
        eldest = ages[0] or 0
        mother = self._adult(surname, sex="F", age=eldest + self.rng.randint(18, 30))
        parents = [(mother, True)]
        self._live_at(mother, household, address)
        if self.rng.random() < 0.85:
            father_surname = surname if self.rng.random() < 0.6 else self.fake.last_name()
            father = self._adult(father_surname, sex="M", age=eldest + self.rng.randint(19, 35))
            # Fathers with parental responsibility or not, and sometimes not yet known: all real situations.
            responsibility = self.rng.choice([True, True, True, False, None])
            parents.append((father, responsibility))
            if self.rng.random() < 0.6:
                self._live_at(father, household, address)
            else:
                self._add_address(father, self._address())
        children = [self._child(surname, age=age) for age in ages]
        for child in children:
            self._live_at(child, household, address)
            for parent, responsibility in parents:
                Relationship.objects.create(person=parent, relative=child, kind=Relationship.Kind.PARENT,
                                            parental_responsibility=responsibility)
        for index, child in enumerate(children):
            for sibling in children[index + 1:]:
                Relationship.objects.create(person=child, relative=sibling, kind=Relationship.Kind.SIBLING)
        return children

    def _adult(self, surname: str, *, sex: str, age: int) -> Person:
        first = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
        return self._person(Person.Kind.ADULT, first, surname, sex=sex,
                            date_of_birth=self._birthday(age), ethnicity=self._ethnicity(),
                            nhs_number=self._nhs_number())

    def _child(self, surname: str, *, age: int | None) -> Person:
        if age is None:
            # Recorded before birth as "Baby <surname>": sex and identifiers are not known yet.
            expected = self.today + datetime.timedelta(days=self.rng.randint(20, 150))
            child = self._person(Person.Kind.CHILD, "Baby", surname, sex="U", expected_date_of_birth=expected,
                                 upn_unknown_reason="UN6")
        else:
            sex = self.rng.choice("MF")
            first = self.rng.choice(GIRLS_NAMES if sex == "F" else BOYS_NAMES)
            upn, upn_reason = self._upn(age)
            child = self._person(
                Person.Kind.CHILD, first, surname, sex=sex, date_of_birth=self._birthday(age),
                ethnicity=self._ethnicity(), nhs_number=self._nhs_number(), upn=upn, upn_unknown_reason=upn_reason,
                known_as=NICKNAMES.get(first, "") if self.rng.random() < 0.5 else "",
                first_language="English" if self.rng.random() < 0.8 else self.rng.choice(["Polish", "Urdu", "Somali"]),
            )
        self.children.append(child)
        return child

    def _person(self, kind: str, first_name: str, last_name: str, **fields) -> Person:
        # Set here as the people service would, so sounds-alike search finds demo people.
        return Person.objects.create(kind=kind, first_name=first_name, last_name=last_name,
                                     last_name_key=phonetic_key(last_name),
                                     created_by=self.staff["admin.cole"], **fields)

    def _birthday(self, age: int) -> datetime.date:
        return self.today - datetime.timedelta(days=age * 365 + self.rng.randint(1, 364))

    def _ethnicity(self) -> str:
        """Often not recorded at all: left empty, never guessed."""
        if self.rng.random() < 0.15:
            return ""
        return self.rng.choice(["WBRI"] * 6 + [code for code in codes.ETHNICITY if code not in ("REFU", "NOBT")])

    def _nhs_number(self) -> str:
        while True:
            first_nine = "999" + "".join(str(self.rng.randint(0, 9)) for _ in range(6))
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def _upn(self, age: int) -> tuple[str, str]:
        if age < 4:
            return "", "UN3"
        digits = "999" + f"{self.rng.randint(2000, 2999)}" + f"{self.rng.randint(0, 99):02d}" + (
            f"{self.rng.randint(0, 999):03d}")
        return upn_check_letter(digits) + digits, ""

    # Addresses and households -----------------------------------------------------------------
    def _address(self) -> dict:
        inward = f"{self.rng.randint(1, 9)}{''.join(self.rng.choices(POSTCODE_INWARD_LETTERS, k=2))}"
        return {
            "line_1": f"{self.rng.randint(1, 140)} {self.fake.last_name()} {self.rng.choice(STREET_KINDS)}",
            "town": "Demo Borough",
            "postcode": f"DB{self.rng.randint(1, 9)} {inward}",
            "start_date": self.today - datetime.timedelta(days=self.rng.randint(60, 2500)),
        }

    def _add_address(self, person: Person, address: dict) -> None:
        Address.objects.create(person=person, **address)

    def _live_at(self, person: Person, household: Household, address: dict) -> None:
        self._add_address(person, address)
        HouseholdMember.objects.create(household=household, person=person, start_date=address["start_date"])

    # Casework ----------------------------------------------------------------------------------
    def _allocations(self, families: list[list[Person]]) -> None:
        """Siblings share a worker. About one family in six waits unallocated."""
        teams = ["assessment", "assessment", "cin_cp", "cin_cp", "cin_cp", "front_door"]
        for index, children in enumerate(families):
            if index % 6 == 5:
                continue
            team_key = teams[index % len(teams)]
            worker = self.staff[CASE_HOLDERS[team_key][index % len(CASE_HOLDERS[team_key])]]
            start = self.today - datetime.timedelta(days=self.rng.randint(3, 300))
            for child in children:
                Allocation.objects.create(
                    child=child, worker=worker, team=worker.team, start_date=start,
                    reason=ALLOCATION_REASONS[team_key], allocated_by=worker.team.manager,
                )

    def _conferences_and_qa(self) -> None:
        chair = self.staff["iro.bennett"]
        cin_children = [a.child for a in Allocation.objects.filter(team=self.teams["cin_cp"]).select_related("child")
                        if a.child.date_of_birth is not None]
        for child in cin_children[:4]:
            initial = self.today - datetime.timedelta(days=self.rng.randint(100, 200))
            Conference.objects.create(child=child, kind=Conference.Kind.INITIAL, date=initial, chair=chair,
                                      recorded_by=chair)
            Conference.objects.create(child=child, kind=Conference.Kind.REVIEW,
                                      date=initial + datetime.timedelta(days=90), chair=chair,
                                      recorded_by=chair)
        sampled = cin_children[4] if len(cin_children) > 4 else cin_children[0]
        CaseSample.objects.create(child=sampled, officer=self.staff["qa.shaw"],
                                  sampled_on=self.today - datetime.timedelta(days=7))

    def _restricted_adoption_record(self) -> None:
        """An adopted child: only the named worker may open the record, and must say why each time."""
        worker = self.staff["sw.murphy"]
        child = self._person(
            Person.Kind.CHILD, "Ellis", "Marsh", sex="M", date_of_birth=self._birthday(6), ethnicity="WBRI",
            nhs_number=self._nhs_number(), upn=self._upn(6)[0], restriction=Person.Restriction.ADOPTION,
        )
        self.children.append(child)
        self._add_address(child, self._address())
        Allocation.objects.create(child=child, worker=worker, team=worker.team, reason="Adoption support",
                                  start_date=self.today - datetime.timedelta(days=40),
                                  allocated_by=worker.team.manager)
        RestrictedAccessGrant.objects.create(child=child, user=worker, granted_by=self.staff["hos.okafor"])

    def _police_share(self) -> None:
        allocation = (Allocation.objects.filter(team=self.teams["cin_cp"], child__restriction="")
                      .select_related("child").order_by("id").first())
        AgencyShare.objects.create(
            child=allocation.child, agency=Agency.POLICE, purpose="Joint section 47 enquiry with the police",
            shared_by=self.staff["tm.clarke"], expires_on=self.today + datetime.timedelta(days=90),
        )
