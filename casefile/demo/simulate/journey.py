"""One child's journey: from the referral decision through assessment, section 47 enquiry, conferences and plans
to closure, or to the end date, still open."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from casefile.accounts.models import User
from casefile.casework import models as cw
from casefile.demo.simulate.config import (
    AFTER_ASSESSMENT,
    ASSESSMENT_DAYS,
    CATEGORIES,
    CP_PLAN_BANDS,
    DAY,
    ICPC_DAYS,
    ICPC_PER_S47,
    LATE_RECORDING_WORKING_DAYS,
    LONG_PLAN_MONTHS,
    PLAN_AT_ICPC,
    PLAN_DUE_WORKING_DAYS,
    PLANTED,
    QUIET_WEEKS,
    STEP_DOWN_TO_CIN_AFTER_CP,
)
from casefile.demo.simulate.drawing import quantile, share_of
from casefile.demo.simulate.state import Child, StaffTeam
from casefile.demo.simulate.vocabulary import (
    AREAS,
    CHILDS_WORDS,
    CONTINGENCIES,
    DIFFERENCES,
    EVIDENCE,
    FACTOR_FOR_CATEGORY,
    FACTORS,
    FAMILY_HUBS,
    FATHERS_VIEWS,
    NOTE_SUBJECTS,
    OBSERVATIONS,
    OUTCOMES,
    S47_RATIONALE,
    STRATEGY_AGENCIES,
    THEMES,
    VAGUE_DESCRIPTIONS,
    VAGUE_MEASURES,
    VAGUE_OWNERS,
)
from casefile.rules import clocks
from casefile.rules.clocks import Limit, Unit, add_calendar_months

if TYPE_CHECKING:
    from casefile.demo.simulate.authority import Simulation


# The closure workflow adds who proposed a closure: filled in when the model has it.
EPISODE_HAS_PROPOSAL = any(field.name == "closure_proposed_by" for field in cw.Episode._meta.concrete_fields)


def _drawn_only(model, **values) -> dict:
    """A row drawn but not written (a planted quiet case's visit): its draws keep every later journey the same."""
    return values


def _voice(number: int, seen: bool | None, speaks: bool, finished: bool) -> dict:
    """How the child was heard and, for 6 in 10 finished records, what difference it made to the plan: from the
    record's own numbers (`number`: the child's id and the day), with no draw."""
    if seen is None:
        return {}
    if not seen:
        return {"heard_how": cw.HeardHow.NOT_SEEN}
    how = cw.HeardHow.OBSERVATION if not speaks else (
        cw.HeardHow.DIRECT_WORK if number % 4 == 0 else cw.HeardHow.TALKED)
    difference = DIFFERENCES[number // 10 % len(DIFFERENCES)] if finished and number % 10 < 6 else ""
    return {"heard_how": how, "difference_made": difference}


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
        self.cin_started: datetime.date | None = None
        self.father_seen: bool | None = None  # the father known and seen in the assessment (None: no father)

    def add(self, model, **values):
        return self.out.add(model, **values)

    # Closure ----------------------------------------------------------------------------------------------
    def close_after_referral(self, front_door: StaffTeam) -> datetime.date | None:
        """No further action at the referral: closed the day it is decided (RC7, as there was no assessment)."""
        if not self.sim.happened(self.decided):  # not decided yet: the assessment's clock runs
            self.sim.clock(clocks.ASSESSMENT, self.episode["referral_date"], None)
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
        # The manager signs off on the page that shows the child's history, but for a planted few (drawn from a
        # side stream, so no journey changes).
        unseen = self.sim.side_stream("closure_history").chance(PLANTED["closure_history_not_shown"])
        self.sim.tally.count("closure_history_not_shown", unseen)
        self.episode.update(closure_date=day, closure_reason=reason, closure_rationale=rationale,
                            childs_views_at_closure=views, closure_signed_off_by_id=signed_off_by.id,
                            closure_signed_off_on=day,
                            closure_history_shown=None if unseen else {"shown_on": day.isoformat()},
                            **self._fathers_views(after_assessment))
        if EPISODE_HAS_PROPOSAL:
            self.episode.update(closure_proposed_by_id=proposed_by.id, closure_proposed_on=day)
        self._end_allocation(day)
        return day

    def _fathers_views(self, after_assessment: bool) -> dict:
        """A father seen in the assessment gives his views; one left out of it was, for every other episode, not
        asked for a reason the worker records, and otherwise not asked at all (the signal "closure without the
        father's views"). From the episode's id, with no draw."""
        if not after_assessment or self.child.family.father is None:
            return {}
        number = self.episode["id"]
        self.sim.tally.count("closure_without_fathers_views", self.father_seen is False and number % 2 == 1)
        if self.father_seen is not False:
            return {"fathers_views_at_closure": FATHERS_VIEWS[number % len(FATHERS_VIEWS)]}
        if number % 2:
            return {}
        return {"fathers_views_not_sought": ("whereabouts_unknown", "not_involved")[number // 2 % 2]}

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
        sim.clock(clocks.ASSESSMENT, self.episode["referral_date"], authorised)
        sim.clock(clocks.ASSESSMENT_CENSUS, self.decided, authorised)
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
            closed = self._child_in_need(plan_from or self.wd.add(authorised, self.rng.randint(0, 8)), transfer=True)
            if sim.happened(authorised):  # the assessment said a plan was needed: did one start in time?
                started = self.cin_started if sim.happened(self.cin_started) else sim.end
                sim.tally.count("plan_not_started", started > self.wd.add(authorised, PLAN_DUE_WORKING_DAYS))
            return closed
        return self._close_after_assessment(authorised, outcome, after_s47=s47)

    def _close_after_assessment(self, authorised: datetime.date, outcome: str,
                                after_s47: bool = False) -> datetime.date | None:
        """RC8 and RC9 mean closed after the assessment and nothing else (the census refuses them beside a section
        47 enquiry or a plan, rule 2990): a case that had an enquiry closes RC7, services ceased."""
        sim = self.sim
        left_open = sim.stream("left_open").chance(PLANTED["case_left_open"])
        if sim.happened(authorised):
            sim.tally.count("case_left_open", left_open)
        closed = max(authorised, self.floor) + DAY * (self.rng.randint(150, 540) if left_open
                                                      else self.rng.randint(0, 10))
        if outcome == "early_help":
            closed = self._close(closed, "RC7" if after_s47 else "RC9",
                                 "Assessment complete: needs can be met by early help.",
                                 signed_off_by=self.team.manager, proposed_by=self.worker)
            if closed:
                self.add(cw.EarlyHelpTransfer, child_id=self.child.id,
                         direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN, date=closed, episode_id=self.episode["id"],
                         early_help_provider=FAMILY_HUBS[self.child.family.patch % len(AREAS)],
                         reason="Needs can be met by a family support worker at the family hub",
                         recorded_by_id=self.worker.id, recorded_at=sim.at(closed))
            return closed
        return self._close(closed, "RC7" if after_s47 else "RC8",
                           "Assessment complete: no further action needed from children's social care.",
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
            **_voice(child.id + start.toordinal(), seen if sim.happened(seen_on) else None, speaks, done),
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
                     recorded_by_id=self.worker.id, recorded_at=self._typed(note_day))

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
        self.father_seen = not unseen
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
        child.strategy_days.append(sd_day)
        sim.tally.settle("repeated_strategy", child.id, child.repeated_strategy())
        for agency, role in STRATEGY_AGENCIES:
            if agency == "education" and child.age_on(sd_day) < 4:
                continue
            name = self.worker.get_full_name() if agency == "social_care" else rng.choice(sim.professionals[agency])
            self.add(cw.StrategyParticipant, discussion_id=discussion["id"], agency=agency, name=name, role=role,
                     information_shared="Checks made and what is known shared.")
        visit_by = self.wd.add(sd_day, 1)
        self.add(cw.AgreedAction, strategy_discussion_id=discussion["id"],
                 description="Joint visit to see the child alone",
                 owner=f"{self.worker.get_full_name()} (social worker)", due_date=visit_by,
                 completed_on=visit_by if sim.happened(visit_by) else None)
        icpc = sim.stream("icpc").chance(ICPC_PER_S47)
        icpc_days = quantile(ICPC_DAYS, sim.stream("icpc_days")())
        outcome_day = self.wd.add(sd_day, max(0, icpc_days - rng.randint(1, 4)) if icpc else rng.randint(5, 15))
        # The initial conference's clock runs until it is held, or until the enquiry finds it is not needed.
        sim.clock(clocks.INITIAL_CONFERENCE, sd_day, self.wd.add(sd_day, icpc_days) if icpc else outcome_day)
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
        child.initial_conference_days.append(icpc_day)
        sim.tally.settle("repeated_strategy", child.id, child.repeated_strategy())
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
        self._count_cp_plan(start, end, reviews)
        quiet_from = self._quiet_from(start, end, reviews)
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
        self._core_groups(plan["id"], start, end, quiet_from)
        self._visits(plan["id"], start, end, cw.Visit.Kind.CHILD_PROTECTION, 10, quiet_from)
        if not sim.happened(end):
            return None
        self.floor = max(self.floor, end)
        if sim.stream("step_down").chance(STEP_DOWN_TO_CIN_AFTER_CP):
            return self._child_in_need(end + DAY, transfer=False)
        return self._close(self.wd.add(end, rng.randint(0, 10)), "RC7",
                           "Child protection plan ended: risk reduced; no further support needed.",
                           signed_off_by=self.team.manager, proposed_by=self.worker)

    def _count_cp_plan(self, start: datetime.date, end: datetime.date, reviews: list[datetime.date]) -> None:
        """What the tally counts of a child protection plan: the child's second or later, lasting 15 months or 2
        years by its end (or by the end date, still open), and its review clocks still running at the end date."""
        sim = self.sim
        sim.tally.count("repeat_cp_plan", self.child.cp_plans > 0)
        self.child.cp_plans += 1
        for problem, months in LONG_PLAN_MONTHS.items():
            sim.tally.count(problem, min(end, sim.end) >= add_calendar_months(start, months))
        if not sim.happened(end):
            rule = clocks.LATER_REVIEW_CONFERENCE if reviews else clocks.FIRST_REVIEW_CONFERENCE
            sim.clock(rule, reviews[-1] if reviews else start, None)

    def _quiet_from(self, start: datetime.date, end: datetime.date,
                    reviews: list[datetime.date]) -> datetime.date | None:
        """Planted: a share of the child protection plans open at the end date that started 16 weeks or more
        before it go quiet: nothing (no visit, no core group) is recorded after a day 6 to 12 weeks before the
        end, or after the last review conference if that was later (unless that leaves under 6 weeks)."""
        sim = self.sim
        if sim.happened(end) or (sim.end - start).days < 16 * 7:
            quiet = since = None
        else:
            stream = sim.side_stream("quiet_cp_case")
            quiet = stream.chance(PLANTED["quiet_cp_case"])
            since = max(start, *reviews, sim.end - DAY * stream.rng.randint(QUIET_WEEKS * 7 + 1, 12 * 7))
        quiet = bool(quiet) and (sim.end - since).days > QUIET_WEEKS * 7
        if not sim.happened(end):
            sim.tally.count("quiet_cp_case", quiet)
        return since if quiet else None

    def _cp_plan_end(self, start: datetime.date) -> datetime.date:
        """A duration from the D7 bands, in calendar months as the DfE measures it."""
        _, low, high = share_of(CP_PLAN_BANDS, self.sim.stream("cp_duration")(), share=lambda band: band[0])
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
        statuses = [rng.choice(["not_done", "partly"]) if drift else rng.choice(["done", "done", "partly", "not_done"])
                    for _ in actions]
        if not drift and statuses and "done" not in statuses:
            # Drift is planted, never drawn by chance: a plan that is not drifting gets something done at every
            # review, so oversight's "no action done at two reviews running" finds the planted rate (no extra
            # draw, so every other stream is unchanged).
            statuses[0] = "done"
        for action, status in zip(actions, statuses, strict=True):
            self.add(cw.ActionProgress, review_id=review["id"], action_id=action, status=status,
                     evidence=EVIDENCE[status])

    def _core_groups(self, plan: int, start: datetime.date, end: datetime.date,
                     quiet_from: datetime.date | None) -> None:
        """The first within 10 working days of the initial conference (most of the time), then about monthly;
        none after `quiet_from` (planted), though each is still drawn, so the journeys are the same."""
        first_late = self.rng.random() < 0.08
        day = self.wd.add(start, self.rng.randint(11, 15) if first_late else self.rng.randint(4, 10))
        first = None
        while day < end and self.sim.happened(day):
            if quiet_from is None or day <= quiet_from:
                first = first or day
                self.add(cw.CoreGroup, plan_id=plan, date=day,
                         attendees="Social worker, mother, school, health visitor",
                         summary="Plan progress checked; actions updated.", recorded_by_id=self.worker.id,
                         recorded_at=self.sim.at(day))
            day = self.wd.add(day, self.rng.randint(18, 25))
        if first is None and not self.sim.happened(end):
            self.sim.clock(clocks.FIRST_CORE_GROUP, start, None)

    def _visits(self, plan: int, start: datetime.date, end: datetime.date, kind: str, interval: int,
                quiet_from: datetime.date | None = None) -> None:
        """Visits at most `interval` working days apart, except the planted late ones. Now and then nobody is in.
        None is written after `quiet_from` (planted), though each is still drawn, so the journeys are the same."""
        sim, rng = self.sim, self.rng
        last_seen, changed_worker, last_written = start, False, start
        while True:
            late = sim.stream("late_visit").chance(PLANTED["late_visits"])
            gap = rng.randint(interval + 1, interval * 2 + 5) if late else rng.randint(max(1, interval // 2), interval)
            day = self.wd.add(last_seen, gap)
            if day > end or not sim.happened(day) or day > self.child.last_day:
                if not sim.happened(end):  # the plan is open at the end date: the visit clock runs
                    rule = clocks.CP_VISIT if kind == cw.Visit.Kind.CHILD_PROTECTION else clocks.CIN_VISIT
                    sim.clock(rule, last_written, None, Limit(interval, Unit.WORKING_DAYS))
                return
            quiet = quiet_from is not None and day > quiet_from
            if not quiet:
                sim.tally.count("late_visits", late)
                last_written = day
            if rng.random() < 0.04:
                self._visit(self.wd.add(last_seen, max(1, gap - 3)), kind, plan, seen=False, written=not quiet)
            if not changed_worker and (day - start).days > 240 and rng.random() < 0.02:
                changed_worker = True  # the worker leaves: another in the same team takes the case
                self._end_allocation(day)
                self.worker, self.allocation = sim.allocate(self.child, self.team, day, "Previous worker left the team")
            self._visit(day, kind, plan, written=not quiet)
            last_seen = day

    def _visit(self, day: datetime.date, kind: str, plan: int | None, *, seen: bool = True,
               written: bool = True) -> None:
        """A visit, drawn and written (drawn only, when the case is planted quiet)."""
        if not self.sim.happened(day):
            return
        rng, child = self.rng, self.child
        speaks = child.age_on(day) >= 4
        save_row = self.add if written else _drawn_only
        save_row(cw.Visit, child_id=child.id, episode_id=self.episode["id"], plan_id=plan, kind=kind, date=day,
                 worker_id=self.worker.id, child_seen=seen, seen_alone=(rng.random() < 0.6) if seen else None,
                 bedroom_seen=(rng.random() < 0.5) if seen else None,
                 childs_words=rng.choice(CHILDS_WORDS) if seen and speaks else "",
                 not_seen_reason="" if seen else "No answer at the door; a card was left and mum was called.",
                 observations=rng.choice(OBSERVATIONS) if seen and not speaks else "",
                 recorded_by_id=self.worker.id, recorded_at=self._typed(day) if written else None,
                 **_voice(child.id + day.toordinal(), seen, speaks, True))

    def _typed(self, day: datetime.date) -> datetime.datetime:
        """When a visit or case note dated `day` was typed: that day, or (planted) 6 to 15 working days later, but
        never after the end date."""
        stream = self.sim.side_stream("late_recording")
        typed = self.wd.add(day, stream.rng.randint(6, 15)) if stream.chance(PLANTED["late_recording"]) else day
        typed = min(typed, self.sim.end)
        self.sim.tally.count("late_recording", self.wd.between(day, typed) > LATE_RECORDING_WORKING_DAYS)
        return self.sim.at(typed)

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
        self.cin_started = start
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
