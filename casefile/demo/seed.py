"""The demo logins and a few hand-made families, on top of the simulated authority (`make demo` runs simulate_la
first): each printed social worker is given children from it at every stage of the journey (demo/caseloads.py),
the chair, QA officer and police partner each a reason to open some of them, and the front door a contact in
every stage, made through the front-door services.

Everything is invented. NHS numbers use the 999 range NHS England keeps for testing (never issued to a
patient), UPNs use the DfE pseudo local authority number 001 (a real
authority's number would be someone's; 999 fails the census's UPN check, rule 1530), and postcodes use the area
"DB" (Demo Borough), which no real postcode area uses. The same seed always builds the same authority.
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

from casefile.access.models import AgencyShare, RestrictedAccessGrant, SharedItem
from casefile.accounts.models import Agency, Role, Team, User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.calendar import working_calendar
from casefile.casework.models import Allocation, Conference
from casefile.casework.services import allocation, episodes
from casefile.demo.caseloads import CP_PLAN, STAGES, Case, caseload_summary, give_caseloads
from casefile.demo.names import (
    BOYS_NAMES,
    DEMO_PASSWORD,
    GIRLS_NAMES,
    NICKNAMES,
    POSTCODE_INWARD_LETTERS,
    STREET_KINDS,
)
from casefile.demo.simulate import SYSTEM_USERNAME
from casefile.demo.simulate.config import UPN_LA_CODE
from casefile.frontdoor.models import CheckAgency, Consent
from casefile.frontdoor.services import checks, contacts, decisions
from casefile.people.models import Address, Household, HouseholdMember, Person, Relationship
from casefile.quality import sampling
from casefile.quality import services as quality_services
from casefile.quality.audits import action_assignees
from casefile.quality.models import AuditTemplate, CaseSample
from casefile.rules import audit_grades, codes
from casefile.rules.front_door import Outcome
from casefile.rules.identifiers import nhs_check_digit, upn_check_letter
from casefile.rules.names import phonetic_key

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
    # A qualified social worker in the MASH: threshold decisions need one (a practitioner may not decide).
    StaffSpec("sw.osei", "Kwame", "Osei", Role.SOCIAL_WORKER, team="front_door", manager="tm.ahmed",
              job_title="Social worker, front door"),
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

# The printed social workers who hold cases, given children from the simulated authority (demo/caseloads.py).
# sw.osei is left out: a front-door social worker makes threshold decisions rather than holding plans.
CASE_HOLDERS = ["sw.jones", "sw.khan", "sw.murphy", "sw.wright", "sp.taylor"]
CHAIR, QA_OFFICER, POLICE = "iro.bennett", "qa.shaw", "police.reid"



@dataclass(frozen=True)
class ContactSpec:
    """A contact waiting at the front door on the day the demo is seeded."""

    working_days_ago: int  # working days since it was received: the board's clocks run from then
    stage: str  # "waiting" (no decision), "decided" (awaiting authorisation) or "authorised" (awaiting handover)
    source: str
    referrer: tuple[str, str, str]  # name, role, organisation
    summary: str
    rag: str = ""
    holder: str | None = None  # username
    siblings: bool = False  # about the family's two eldest children rather than one
    health_check: bool = False  # a health check asked and not yet answered


FRONT_DOOR_CONTACTS = [
    ContactSpec(1, "waiting", "2A", ("Ms Helen Price", "Designated safeguarding lead", "Demo Borough Primary School"),
                "Both children have come to school hungry three days this week in the same clothes; the eldest "
                "told a teaching assistant there is no food at home.", rag="amber", holder="fd.hughes",
                siblings=True, health_check=True),
    ContactSpec(2, "decided", "3E", ("Sam Walsh", "Paediatric nurse", "Demo Borough General Hospital"),
                "Seen in the emergency department with a burn to the hand; the explanation changed between the "
                "child and the parent.", rag="red", holder="sw.osei"),
    ContactSpec(3, "authorised", "4", ("Chris Doyle", "Housing officer", "Demo Borough Homes"),
                "The family has been served notice; the mother says her partner controls the money and she is "
                "frightened of him.", rag="amber", holder="sw.osei"),
    ContactSpec(6, "waiting", "1B", ("Mr Dev Sharma", "Neighbour", ""),
                "A neighbour hears shouting most nights and has seen the children left alone in the evening.",
                rag="green"),
]
# Who does what at the front door, printed with the logins.
FRONT_DOOR_RECORDS = "fd.hughes"
FRONT_DOOR_DECIDES = "sw.osei"
FRONT_DOOR_AUTHORISES = "tm.ahmed"


def front_door_roles() -> list[str]:
    """Who records contacts, who makes threshold decisions and who authorises them, in the demo."""
    return [f"At the front door: {FRONT_DOOR_RECORDS} records contacts, {FRONT_DOOR_DECIDES} (a qualified social "
            f"worker) makes threshold decisions and {FRONT_DOOR_AUTHORISES} (the team manager) authorises them.",
            f"Its board has {len(FRONT_DOOR_CONTACTS)} contacts about the named families, received in the last few "
            f"working days: waiting for a decision, for authorisation, for handover, and one past the time limit."]


def team_name(key: str | None) -> str:
    return next((t.name for t in TEAMS if t.key == key), "")


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, team) for every demo login, in the order they are printed."""
    return [(s.username, Role(s.role).label, team_name(s.team) or "-") for s in STAFF]


def is_seeded() -> bool:
    return User.objects.filter(username__in=[s.username for s in STAFF]).exists()


def is_simulated() -> bool:
    return User.objects.filter(username=SYSTEM_USERNAME).exists()


def caseload_lines(today: datetime.date) -> list[str]:
    """What each printed login finds, from the record as it is now."""
    if not is_simulated():
        return ["No simulated authority is loaded, so the demo social workers hold no cases: run "
                "`manage.py simulate_la --size small` before seed_demo, as `make demo` does."]
    holders = User.objects.filter(username__in=CASE_HOLDERS).in_bulk(field_name="username")
    lines = ["Caseloads today (children at every stage, from the simulated authority):"]
    width = max(map(len, CASE_HOLDERS))
    lines += [f"  {name.ljust(width)}  {caseload_summary(holders[name], today=today)}" for name in CASE_HOLDERS
              if name in holders]
    chaired = Conference.objects.filter(chair__username=CHAIR).values("child").distinct().count()
    sampled = CaseSample.objects.filter(officer__username=QA_OFFICER, closed_on__isnull=True).count()
    lines.append(f"Team managers see their teams' children; {CHAIR} chaired the conferences of {chaired} children; "
                 f"{QA_OFFICER} has {sampled} cases sampled for audit; {POLICE} sees the records shared with the "
                 "police; the head of service, service manager and analyst see the whole authority.")
    example = (User.objects.filter(role=Role.TEAM_MANAGER, email__endswith="@simulated.invalid",
                                   team__kind=Team.Kind.CHILD_IN_NEED)
               .select_related("team").order_by("pk").first())
    if example is not None:
        lines.append(f"The simulated authority's own staff sign in with the same password, for example "
                     f"{example.username} (team manager, {example.team.name}).")
    return lines


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
        given = self._caseloads()
        self._oversight(given)
        self._restricted_adoption_record()
        self._front_door(families)
        record(Action.CREATE, actor=self.staff["admin.cole"],
               details={"demo_seed": True, "children": len(self.children),
                        "cases_given": {name: len(cases) for name, cases in given.items()}})

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
        digits = UPN_LA_CODE + f"{self.rng.randint(2000, 2999)}" + f"{self.rng.randint(0, 99):02d}" + (
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
    def _caseloads(self) -> dict[str, list[Case]]:
        """Children at every stage, from the simulated authority, for each printed social worker."""
        if not is_simulated():
            return {}
        simulated = User.objects.exclude(pk__in=[user.pk for user in self.staff.values()]).values_list("pk", flat=True)
        return give_caseloads([self.staff[name] for name in CASE_HOLDERS], from_workers=simulated, today=self.today)

    def _oversight(self, given: dict[str, list[Case]]) -> None:
        """The chair, the QA officer and the police each have a reason to open some of those children's records."""
        cases = [case for name in CASE_HOLDERS for case in given.get(name, [])]
        protected = [case.child_id for case in cases if case.stage == CP_PLAN]
        # The children's conferences were chaired by simulated chairs: in the demo, the printed chair held them.
        Conference.objects.filter(child_id__in=protected).update(chair=self.staff[CHAIR])
        for stage in STAGES:
            case = next((case for case in cases if case.stage == stage), None)
            if case is not None:
                CaseSample.objects.create(child_id=case.child_id, officer=self.staff[QA_OFFICER],
                                          sampled_on=self.today - datetime.timedelta(days=7))
        self._audit(next((case for case in cases if case.stage == CP_PLAN), None))
        self._audit_round()
        if protected:
            AgencyShare.objects.create(
                child_id=protected[0], agency=Agency.POLICE, purpose="Joint section 47 enquiry with the police",
                shared_by=self.staff["tm.clarke"], expires_on=self.today + datetime.timedelta(days=90),
                items=[SharedItem.EPISODES, SharedItem.CONFERENCES, SharedItem.PLANS])

    def _audit_round(self) -> None:
        """A round of case file audits the QA officer drew from the open child protection cases: the first two
        children assigned to the QA officer to audit, the rest still waiting for an auditor, so the officer's My
        work, the rounds page and the round's page each have something to act on."""
        cohort = sampling.Filters(plan_type="cp")
        size = min(5, len(sampling.open_cases(cohort, self.today)))
        if size:
            officer = self.staff[QA_OFFICER]
            audit_round = quality_services.draw_round(
                actor=officer, name="Child protection plans: monthly sample", method="thematic",
                filters=cohort, size=size, template=AuditTemplate.objects.get(kind=AuditTemplate.Kind.MONTHLY),
                due_by=self.today + datetime.timedelta(days=28), seed=4711)
            first = audit_round.children.order_by("position", "pk")[:2]
            quality_services.assign_auditors(actor=officer, audit_round=audit_round,
                                             auditors={sampled.pk: officer for sampled in first})

    def _audit(self, case: Case | None) -> None:
        """A monthly audit the QA officer completed of a sampled child, with an action open for the child's worker,
        so the quality page and the worker's My work have something on them."""
        if case is None:
            return
        officer = self.staff[QA_OFFICER]
        child = Person.objects.get(pk=case.child_id)
        audit = quality_services.start_case_file_audit(
            actor=officer, child=child, template=AuditTemplate.objects.get(kind=AuditTemplate.Kind.MONTHLY))
        sections = list(audit.template.sections.all())
        quality_services.save_case_file_audit(
            actor=officer, audit=audit, complete=True, grades={section.pk: audit_grades.GOOD for section in sections},
            comments={section.pk: "Seen regularly and alone; the plan's actions are specific" for section in sections},
            answers={}, overall_grade=audit_grades.REQUIRES_IMPROVEMENT,
            summary="Visits are on time, but the chronology has not been updated since the conference",
            childs_feedback="Likes that her social worker comes to school", family_feedback="")
        worker = next((person for person in action_assignees(child)), None)
        if worker is not None:
            quality_services.add_audit_action(actor=officer, audit=audit, assignee=worker,
                                              description="Update the chronology and share it with the core group")

    def _restricted_adoption_record(self) -> None:
        """An adopted child: only the named worker may open the record, and must say why each time. The referral,
        decision, allocation and assessment go through the casework services, so the episode is open and work
        can be recorded, as for any other child."""
        worker, manager = self.staff["sw.murphy"], self.staff["tm.clarke"]
        child = self._person(
            Person.Kind.CHILD, "Ellis", "Marsh", sex="M", date_of_birth=self._birthday(6), ethnicity="WBRI",
            nhs_number=self._nhs_number(), upn=self._upn(6)[0], restriction=Person.Restriction.ADOPTION,
        )
        self.children.append(child)
        self._add_address(child, self._address())
        RestrictedAccessGrant.objects.create(child=child, user=worker, granted_by=self.staff["hos.okafor"])
        referred = _working_days_before(self.today, 8, working_calendar())
        episode = episodes.record_referral(
            actor=worker, child=child, referral_date=referred, referral_source="8",
            referrer_name="Regional adoption agency",
            referral_summary="Ellis's adoptive parents ask for support: his behaviour at home has become hard to "
                             "manage since he started school.")
        episodes.record_referral_decision(actor=manager, episode=episode, decided_by=manager, decision_date=referred,
                                          nfa=False, primary_need="N4")
        allocation.allocate(actor=manager, child=child, worker=worker, reason="Adoption support assessment")
        episodes.start_assessment(actor=worker, episode=episode, start_date=referred)

    # The front door ----------------------------------------------------------------------------------
    def _front_door(self, families: list[list[Person]]) -> None:
        """Contacts received in the last few working days, in each stage, made through the front-door services
        so every rule, history row and audit event is as if staff had recorded them."""
        # Families no one is working with yet first, as new contacts mostly are; never the unborn.
        allocated = set(Allocation.objects.values_list("child_id", flat=True))
        born = [[child for child in children if child.date_of_birth] for children in families]
        choices = sorted((children for children in born if children),
                         key=lambda children: any(child.pk in allocated for child in children))
        calendar = working_calendar()
        for spec in FRONT_DOOR_CONTACTS:
            wanted = 2 if spec.siblings else 1
            children = next(children for children in choices if len(children) >= wanted)
            choices.remove(children)
            self._contact(spec, children[:wanted], calendar)

    def _contact(self, spec: ContactSpec, children: list[Person], calendar) -> None:
        received = _working_days_before(self.today, spec.working_days_ago, calendar)
        name, role, organisation = spec.referrer
        contact = contacts.record_contact(
            actor=self.staff[FRONT_DOOR_RECORDS], children=children, adults=self._mothers(children),
            received_at=datetime.datetime.combine(received, datetime.time(10, 15),
                                                  tzinfo=timezone.get_current_timezone()),
            source=spec.source, referrer_name=name, referrer_role=role, referrer_organisation=organisation,
            referrer_email=f"{name.split()[-1].lower()}@demo.invalid",
            household=self._household_of(children[0]), summary=spec.summary,
            consent_to_share=Consent.GIVEN, consent_to_assessment=Consent.GIVEN, rag=spec.rag,
            holder=self.staff[spec.holder] if spec.holder else None)
        if spec.health_check:
            checks.request_check(actor=self.staff[FRONT_DOOR_RECORDS], contact=contact, agency=CheckAgency.HEALTH,
                                 asked_of="Health visiting team, Demo Borough Community Health",
                                 question="Is the family registered with a GP, and have appointments been missed?")
        if spec.stage == "waiting":
            return
        for link in contact.children.select_related("child"):
            decision = decisions.record_decision(
                actor=self.staff[FRONT_DOOR_DECIDES], contact_child=link, level="3", outcome=Outcome.ASSESSMENT,
                criteria_applied="Level 3: a child in need whose needs are not yet understood",
                circumstances=spec.summary, history_considered="No earlier contacts or referrals on the record",
                consent_position="The parent agrees to an assessment", primary_need="N1")
            if spec.stage == "authorised":
                decisions.authorise_decision(actor=self.staff[FRONT_DOOR_AUTHORISES], decision=decision,
                                             comment="Agreed: allocate for assessment today")

    def _mothers(self, children: list[Person]) -> list[tuple[Person, str]]:
        mothers = Person.objects.filter(relationships_from__relative__in=children, sex="F",
                                        relationships_from__kind=Relationship.Kind.PARENT).distinct()
        return [(mother, "Mother") for mother in mothers]

    def _household_of(self, child: Person) -> Household | None:
        membership = HouseholdMember.objects.filter(person=child, end_date__isnull=True).first()
        return membership.household if membership else None


def _working_days_before(today: datetime.date, count: int, calendar) -> datetime.date:
    """The working day `count` working days before `today`, as the board counts them (the day of receipt is day
    0): a contact received then has been waiting `count` working days."""
    day, counted = today, 0
    while counted < count:
        counted += calendar.is_working_day(day)
        day -= datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day
