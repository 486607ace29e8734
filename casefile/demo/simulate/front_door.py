"""The simulated authority's front door: a contact before every referral, and about three more contacts that
end at the front door (no further action, advice, early help) for each referral, as England's volumes suggest
(large: 100,000 contacts and 25,000 referrals a year).

Every contact has a threshold decision by a qualified social worker of the front-door team, authorised by its
manager; a referral's decision is linked to the casework episode and handed over to the assessment team;
referrers are told the outcome by letter (except where planted otherwise). Police domestic-abuse notifications
(with their import batches and the people named) are generated for the final year only, when the import began,
so repeat-incident counters have something to count. Contacts from the last few working days are still at the
front door at the end date, in every stage, plus a planted few left waiting too long.

It draws from its own random stream, so adding the front door did not change the casework journeys a seed
builds (the rates test still measures the same referrals).
"""

from __future__ import annotations

import datetime
import hashlib
import random
from typing import TYPE_CHECKING

from django.db.models import F

from casefile.accounts.models import Role, User
from casefile.casework import models as cw
from casefile.demo.simulate.config import PLANTED
from casefile.demo.simulate.drawing import Strata
from casefile.demo.simulate.vocabulary import AREAS, FAMILY_HUBS, OTHER_CONCERNS, REFERRAL_SOURCES
from casefile.frontdoor import models as fd

if TYPE_CHECKING:
    from casefile.demo.simulate.authority import Simulation
    from casefile.demo.simulate.state import Child, StaffTeam
OTHER_OUTCOMES = {"nfa": 0.35, "advice": 0.35, "early_help": 0.30}
CONSENT = {"given": 0.80, "refused": 0.05, "not_sought": 0.10, "overridden": 0.05}
CONSENT_REASONS = {"not_sought": "Anonymous concern: no way to contact the family before checks",
                   "overridden": "Seeking consent could place the child at risk of significant harm"}
RAG = {"green": 0.5, "amber": 0.35, "red": 0.15}
DASH = {"standard": 0.6, "medium": 0.3, "high": 0.1}
CHILDREN_PRESENT = {"yes": 0.55, "no": 0.35, "unknown": 0.10}
LEVEL_FOR = {"nfa": "1", "advice": "1", "early_help": "2", "assessment": "3", "strategy": "4"}
CRITERIA = {"1": "Needs met by universal services", "2": "Additional needs: early help with consent",
            "3": "Complex needs: section 17 assessment needed", "4": "Reasonable cause to suspect significant harm"}
OPEN_WORKING_DAYS = 2  # contacts received this close to the end may still be at the front door
STAGES_WHEN_RECENT = {"undecided": 0.45, "unauthorised": 0.25, "done": 0.30}
OFFICE_SLOTS = [datetime.time(8 + quarter // 4, 15 * (quarter % 4)) for quarter in range(4 * 9)]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class FrontDoor:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.out = sim.out
        self.rng = random.Random(sim.seed * 7919 + 1)
        self.known: list[Child] = []
        self.extra_per_referral = max(0.0, sim.size.contacts_per_year / sim.size.referrals_per_year - 1)
        self.police_from = sim.end - datetime.timedelta(days=365)
        self.batches: dict[datetime.date, dict] = {}
        self.reference = 0
        self.social_workers: dict[int, list[User]] = {}
        self.moments: dict[tuple[datetime.date, int], datetime.datetime] = {}
        self.streams: dict[str, Strata] = {}

    def stream(self, name: str) -> Strata:
        """Like Simulation.stream, but drawing from the front door's own generator."""
        if name not in self.streams:
            self.streams[name] = Strata(self.rng)
        return self.streams[name]

    # Staff: front-door teams have qualified social workers to make threshold decisions.
    def staff(self) -> None:
        for team in self.sim.teams["front_door"]:
            self.social_workers[team.team.id] = [
                self.sim._user(self.rng.choice(self.sim.women + self.sim.men), self.rng.choice(self.sim.surnames),
                               Role.SOCIAL_WORKER, team=team.team, manager=team.manager,
                               password=team.manager.password, job_title="Social worker, front door")
                for _ in range(2)]

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A time in office hours on `day`, from a fixed set of slots (so the SQLite text cache stays small)."""
        slot = self.rng.randrange(len(OFFICE_SLOTS))
        key = (day, slot)
        if key not in self.moments:
            self.moments[key] = self.sim.no_later_than_now(
                datetime.datetime.combine(day, OFFICE_SLOTS[slot], tzinfo=datetime.UTC))
        return self.moments[key]

    def child_born(self, child: Child) -> None:
        self.known.append(child)

    # The contact before a referral ---------------------------------------------------------------------------
    def referral(self, child: Child, episode: dict, day: datetime.date, decided: datetime.date, source: str,
                 team: StaffTeam, s47: bool) -> None:
        """The contact the referral came from; its decision is the one the episode records."""
        received = self.moment(day)
        outcome = "strategy" if s47 else "assessment"
        contact, link = self._contact(child, received, source, team, episode["referrer_name"],
                                      episode["referral_summary"])
        if not self.sim.happened(decided):
            return  # the episode has no referral decision yet either
        decision = self._decision(link, outcome, team, decided, authorised=True, episode_id=episode["id"])
        episode["referral_decided_by_id"] = decision["decided_by_id"]
        if self._recent(day) and self.rng.random() < 0.5:
            return  # authorised, waiting to be handed over to the assessment team
        handed = decision["authorised_at"]
        assessment_team = self.sim.team_for("assessment", child.family)
        self.out.add(fd.Handover, contact_child_id=link["id"], to_team_id=assessment_team.team.id,
                     summary=episode["referral_summary"],  # it already starts with the child's name
                     immediate_safety="No immediate risk identified at the front door"
                     if not s47 else "Strategy discussion arranged the same day",
                     handed_over_by_id=decision["decided_by_id"], handed_over_at=handed)
        self._conclude(contact, link, handed)
        self._letter(contact, source, decision["authorised_at"].date())

    # Contacts that end at the front door ---------------------------------------------------------------------
    def others(self, day: datetime.date) -> None:
        whole, part = divmod(self.extra_per_referral, 1)
        for _ in range(int(whole) + (self.rng.random() < part)):
            child = self._known_child(day)
            if child is not None:
                self._other(child, day)

    def _known_child(self, day: datetime.date) -> Child | None:
        for _ in range(4):
            child = self.rng.choice(self.known) if self.known else None
            if child is not None and child.dob <= day and child.age_on(day) < 18:
                return child
        return None

    def _other(self, child: Child, day: datetime.date) -> None:
        sim = self.sim
        team = sim.team_for("front_door", child.family)
        source = _pick(self.rng, {code: weight for code, weight in REFERRAL_SOURCES.items() if code != "5D"})
        received = self.moment(day)
        referrer = "" if source in ("9", "10") else self.rng.choice(
            sim.professionals[{"6": "police", "2A": "education", "2B": "education"}.get(source, "health")])
        summary = f"{child.first_name}: {self.rng.choice(OTHER_CONCERNS)}."
        contact, link = self._contact(child, received, source, team, referrer, summary)
        if source == "6" and day >= self.police_from:
            self._police_notification(child, contact, received)
        outcome = _pick(self.rng, OTHER_OUTCOMES)
        recent = self._recent(day)
        stage = _pick(self.rng, STAGES_WHEN_RECENT) if recent else "done"
        delayed = False
        if not recent and day >= sim.end - datetime.timedelta(days=30):
            delayed = self.stream("front_door_delay").chance(PLANTED["front_door_delay"])
            sim.tally.count("front_door_delay", delayed)
        if stage == "undecided" or delayed:
            return
        decided = sim.wd.on_or_after(day) if self.rng.random() < 0.85 else sim.wd.add(sim.wd.on_or_after(day), 1)
        if not sim.happened(decided):
            return
        decision = self._decision(link, outcome, team, decided, authorised=stage == "done")
        if decision.get("authorised_at") is None:
            return
        if outcome == "early_help":
            transfer = self.out.add(cw.EarlyHelpTransfer, child_id=child.id, direction="down", date=decided,
                                    episode_id=None, early_help_provider=_hub(child),
                                    reason="Front-door decision: needs can be met by early help",
                                    recorded_by_id=decision["authorised_by_id"], recorded_at=decision["authorised_at"])
            decision["early_help_transfer_id"] = transfer["id"]
        self._conclude(contact, link, decision["authorised_at"])
        self._letter(contact, source, decided)

    # Rows ---------------------------------------------------------------------------------------------------
    def _recent(self, day: datetime.date) -> bool:
        return self.sim.wd.between(day, self.sim.end) < OPEN_WORKING_DAYS

    def _contact(self, child: Child, received: datetime.datetime, source: str, team: StaffTeam, referrer: str,
                 summary: str) -> tuple[dict, dict]:
        share, assessment = _pick(self.rng, CONSENT), _pick(self.rng, CONSENT)
        contact = self.out.add(
            fd.Contact, received_at=received, source=source, referrer_name=referrer, summary=summary,
            referrer_organisation={"6": "Police", "2A": "School"}.get(source, ""),
            consent_to_share=share, consent_to_share_reason=CONSENT_REASONS.get(share, ""),
            consent_to_assessment=assessment, consent_to_assessment_reason=CONSENT_REASONS.get(assessment, ""),
            rag=_pick(self.rng, RAG), holder_id=self.rng.choice(team.workers).id, household_id=child.family.household,
            recorded_by_id=self.rng.choice(team.workers).id, recorded_at=received)
        link = self.out.add(fd.ContactChild, contact_id=contact["id"], child_id=child.id)
        return contact, link

    def _decision(self, link: dict, outcome: str, team: StaffTeam, decided: datetime.date, *, authorised: bool,
                  episode_id: int | None = None) -> dict:
        worker = self.rng.choice(self.social_workers[team.team.id])
        level = LEVEL_FOR[outcome]
        at = self.sim.no_later_than_now(datetime.datetime.combine(decided, datetime.time(15, 0), tzinfo=datetime.UTC))
        return self.out.add(
            fd.ThresholdDecision, contact_child_id=link["id"], level=level, outcome=outcome,
            criteria_applied=CRITERIA[level], circumstances="As the referrer described; checks completed",
            history_considered="Previous contacts and referrals reviewed", consent_position="As recorded",
            primary_need="N1" if outcome in ("assessment", "strategy") else "", decided_by_id=worker.id,
            decided_at=at, authorised_by_id=team.manager.id if authorised else None,
            authorised_at=self.sim.no_later_than_now(at + datetime.timedelta(hours=1)) if authorised else None,
            episode_id=episode_id if authorised else None)

    def _conclude(self, contact: dict, link: dict, when: datetime.datetime) -> None:
        link["concluded_at"] = when
        contact["concluded_at"] = when

    def _letter(self, contact: dict, source: str, decided: datetime.date) -> None:
        if source in ("9", "10"):
            return
        sim = self.sim
        untold = self.stream("referrer_not_told").chance(PLANTED["referrer_not_told"])
        sim.tally.count("referrer_not_told", untold)
        sent = sim.wd.add(decided, self.rng.randint(0, 3))
        if untold or not sim.happened(sent):
            return
        when = self.moment(sent)
        self.out.add(fd.ReferrerLetter, contact_id=contact["id"], body="Outcome letter (simulated)",
                     generated_by_id=contact["holder_id"], generated_at=when, sent_at=when,
                     sent_by_id=contact["holder_id"], method="email")

    def _police_notification(self, child: Child, contact: dict, received: datetime.datetime) -> None:
        day = received.date()
        if day not in self.batches:
            digest = hashlib.sha256(f"simulated police batch {day.isoformat()}".encode()).hexdigest()
            self.batches[day] = self.out.add(
                fd.ImportBatch, content_hash=digest, filename=f"police-notifications-{day.isoformat()}.csv",
                status="confirmed", uploaded_by_id=contact["recorded_by_id"], uploaded_at=received,
                decided_by_id=contact["recorded_by_id"], decided_at=received, incident_count=0, person_count=0)
        self.reference += 1
        family = child.family
        notification = self.out.add(
            fd.PoliceNotification, batch_id=self.batches[day]["id"],
            police_reference=f"DB/{day:%y}/{self.reference:06d}",
            incident_at=received - datetime.timedelta(hours=self.rng.randint(3, 30)),
            reported_at=received - datetime.timedelta(hours=2), dash_risk=_pick(self.rng, DASH),
            children_present=_pick(self.rng, CHILDREN_PRESENT),
            household_address=f"{family.address['line_1']}, {family.address['town']}",
            postcode=family.address["postcode"], officer_name=self.rng.choice(self.sim.professionals["police"]),
            summary="Verbal argument reported by a neighbour; officers attended", first_row=2,
            contact_id=contact["id"])
        people = [(child.id, "child", child.first_name, family.surname, child.dob)]
        people.append((family.mother.id, "victim", *family.mother.name.split(" ", 1), None))
        if family.father is not None:
            people.append((family.father.id, "perpetrator", *family.father.name.split(" ", 1), None))
        self._count_in_batch(self.batches[day], len(people))
        for row, (person_id, role, first, last, dob) in enumerate(people, start=2):
            self.out.add(fd.NotificationPerson, notification_id=notification["id"], row=row, role=role,
                         first_name=first, last_name=last, date_of_birth=dob, sex="U", match="matched",
                         person_id=person_id, candidates=[])
            if role != "child":
                self.out.add(fd.ContactAdult, contact_id=contact["id"], person_id=person_id, role=role.title())

    def _count_in_batch(self, batch: dict, people: int) -> None:
        """The file's incident and people counts, which the list of police files shows, kept as the import does.
        A day's batch row is usually still waiting to be written; if the writer flushed it between two referrals
        on the same day, the written row is counted up instead."""
        if any(row is batch for row in self.out.buffers[fd.ImportBatch]):
            batch["incident_count"] += 1
            batch["person_count"] += people
        else:
            fd.ImportBatch.objects.filter(pk=batch["id"]).update(incident_count=F("incident_count") + 1,
                                                                 person_count=F("person_count") + people)


def _hub(child: Child) -> str:
    return FAMILY_HUBS[child.family.patch % len(AREAS)]
