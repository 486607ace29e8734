"""Named people for tests, so each test reads as a story.

Sam is a social worker in the Assessment team, managed by Tess (team manager), who reports to Simon
(service manager), who reports to Hana (head of service). Ola is a social worker in another team with
no link to Sam's children. Fran is a front-door practitioner in the Front Door team (the MASH), with Mo, a
qualified social worker there, both managed by Mel (team manager, reporting to Simon). Chris chairs
conferences, Quinn audits cases, Pat analyses performance, Petra is a police partner, and Ada is an
administrator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casefile.accounts.models import Agency, Role, Team, User
from casefile.casework.models import Allocation
from casefile.people.models import Person

PASSWORD = "correct horse battery staple"  # noqa: S105 (test-only)


@dataclass
class Org:
    assessment: Team
    other_team: Team
    front_door_team: Team
    sam: User
    tess: User
    simon: User
    hana: User
    ola: User
    fran: User
    mo: User
    mel: User
    chris: User
    quinn: User
    pat: User
    petra: User
    ada: User

    def everyone(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in
                ("sam", "tess", "simon", "hana", "ola", "fran", "mo", "mel", "chris", "quinn", "pat", "petra",
                                 "ada")}


def make_user(username: str, role: Role, team: Team | None = None, manager: User | None = None, **extra) -> User:
    first, _, last = extra.pop("name", f"{username.title()} Tester").partition(" ")
    user = User(username=username, role=role, team=team, manager=manager, first_name=first, last_name=last, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_org() -> Org:
    assessment = Team.objects.create(name="Assessment Team", kind=Team.Kind.ASSESSMENT)
    other = Team.objects.create(name="Child in Need Team North", kind=Team.Kind.CHILD_IN_NEED)
    front_door = Team.objects.create(name="Front Door", kind=Team.Kind.FRONT_DOOR)
    hana = make_user("hana", Role.HEAD_OF_SERVICE, name="Hana Head")
    simon = make_user("simon", Role.SERVICE_MANAGER, manager=hana, name="Simon Service")
    tess = make_user("tess", Role.TEAM_MANAGER, team=assessment, manager=simon, name="Tess Manager")
    assessment.manager = tess
    assessment.save()
    mel = make_user("mel", Role.TEAM_MANAGER, team=front_door, manager=simon, name="Mel Mash")
    front_door.manager = mel
    front_door.save()
    return Org(
        assessment=assessment,
        other_team=other,
        front_door_team=front_door,
        sam=make_user("sam", Role.SOCIAL_WORKER, team=assessment, manager=tess, name="Sam Worker"),
        tess=tess,
        simon=simon,
        hana=hana,
        ola=make_user("ola", Role.SOCIAL_WORKER, team=other, name="Ola Other"),
        fran=make_user("fran", Role.FRONT_DOOR, team=front_door, manager=mel, name="Fran Frontdoor"),
        mo=make_user("mo", Role.SOCIAL_WORKER, team=front_door, manager=mel, name="Mo Mash"),
        mel=mel,
        chris=make_user("chris", Role.CONFERENCE_CHAIR, name="Chris Chair"),
        quinn=make_user("quinn", Role.QA_OFFICER, name="Quinn Quality"),
        pat=make_user("pat", Role.PERFORMANCE_ANALYST, name="Pat Analyst"),
        petra=make_user("petra", Role.PARTNER_VIEWER, agency=Agency.POLICE, name="Petra Police"),
        ada=make_user("ada", Role.ADMINISTRATOR, name="Ada Admin"),
    )


def make_child(first_name="Lily", last_name="Hartley", **fields) -> Person:
    fields.setdefault("date_of_birth", datetime.date(2016, 5, 14))
    fields.setdefault("sex", "F")
    return Person.objects.create(kind=Person.Kind.CHILD, first_name=first_name, last_name=last_name, **fields)


def make_adult(first_name="Dawn", last_name="Hartley", **fields) -> Person:
    fields.setdefault("date_of_birth", datetime.date(1988, 2, 3))
    return Person.objects.create(kind=Person.Kind.ADULT, first_name=first_name, last_name=last_name, **fields)


def allocate(child: Person, worker: User, allocated_by: User | None = None) -> Allocation:
    return Allocation.objects.create(
        child=child, worker=worker, team=worker.team, reason="Allocated for assessment",
        allocated_by=allocated_by or worker,
    )
