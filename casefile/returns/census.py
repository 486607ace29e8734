"""The CIN census return for a year, projected straight from the record (docs/returns.md, "The CIN census").

Who is on it: every child with an episode open at any time from 1 April to 31 March. What is on it: each of
those episodes with the assessments, CIN plans, section 47 enquiries and child protection plans (and their
review conferences) of the year; anything dated after the reference date is left out. The period rules and the
row values are in casefile/rules/census_projection.py; this module reads the record in a fixed number of
queries, whole tables filtered by the period and the children (subqueries, never a list of ids), so it costs
the same few queries for 50 children or 50,000.

The return is built in the file's own values, as the parser reads a census file back (every column of every
row; text stripped or None; true/false; numbers as text; dates as dates), so `parse(write(census)) == census`
(test_census_sent_form.py) and the rules run on it see exactly what the DfE will, without writing the file and
reading it back.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from lxml import etree

from casefile.casework import deadlines
from casefile.casework.calendar import working_calendar
from casefile.casework.models import (
    Assessment,
    AssessmentFactor,
    Conference,
    Episode,
    Plan,
    PlanReview,
    Section47Enquiry,
)
from casefile.core.prepared import prepared
from casefile.core.presenters import plural
from casefile.people.models import Disability, Person
from casefile.rules import census_projection as projection
from casefile.rules import clocks
from casefile.rules.census_projection import CensusYear, UnknownYear
from casefile.rules.cin import packs
from casefile.rules.cin.census import Census
from casefile.rules.cin.engine import Issue
from casefile.rules.cin.write import write
from casefile.rules.memory import cycle_collector_paused

SCHEMAS = Path(__file__).resolve().parent / "schemas"
# The census years Casefile exports, each with its XSD (schemas/CIN_schema_2025_26.xsd ...): newest last.
YEARS = ("2025-26", "2026-27")
SOFTWARE_CODE = "Casefile"
RELEASE = "1"
STAGES = 4  # loading, building; the task adds writing and checking

Progress = Callable[[int, int, str], None]


def episodes_in(year: CensusYear):
    """The episodes on the return, unevaluated (a subquery for every other table)."""
    return Episode.objects.filter(referral_date__lte=year.reference_date).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=year.start))


class SchemaProblem(Exception):
    """The file does not match the year's XSD: the message says where, in plain words."""


def census_year(year: str) -> CensusYear:
    """The census year written "2025-26", if Casefile exports it (UnknownYear says which years it does)."""
    period = CensusYear.parse(year)
    if period.name not in YEARS:
        raise UnknownYear(f"Casefile has no census schema for {year}. Census years it exports: {', '.join(YEARS)}.")
    return period


@cache
def schema(year: str) -> etree.XMLSchema:
    """The year's XSD, kept in the repository (docs/returns.md, "The schema")."""
    census_year(year)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"CIN_schema_{year.replace('-', '_')}.xsd")))


def check_against_schema(xml: bytes, year: str) -> None:
    """Raise SchemaProblem unless the file matches the year's XSD."""
    checker = schema(year)
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise SchemaProblem(f"The census file is not well-formed XML ({error.msg}).") from None
    if not checker.validate(document):
        first = checker.error_log[0]
        raise SchemaProblem(f"The census file does not match the {year} census schema: line {first.line}: "
                            f"{first.message} ({len(checker.error_log)} problem(s) in all).")


@dataclasses.dataclass(frozen=True)
class CheckedExport:
    xml: bytes
    census: Census
    issues: list[Issue]


def export_and_validate(year: str, *, progress: Progress | None = None,
                        now: datetime.datetime | None = None) -> CheckedExport:
    """The year's census file, checked against its XSD, with every issue the year's rules find in it.

    The rules run on the return as built, which is what the file reads back as (see above), so the file is not
    read back. The XSD check runs in a thread of its own meanwhile: lxml lets go of Python's lock while it
    parses and validates, so on two cores the two take the time of the longer (the rules). SchemaProblem if the
    file does not match the XSD."""
    step = progress or (lambda done, total, stage: None)
    built = census_for_year(year, progress=step, now=now)
    step(2, STAGES, f"Writing the file for {plural(len(built.children), 'child', 'children')}")
    xml = write(built)
    step(3, STAGES, f"Checking the file against the census schema and the {year} rules")
    with ThreadPoolExecutor(max_workers=1) as pool:
        schema_checked = pool.submit(check_against_schema, xml, year)
        issues = packs.pack(year).validate(built)
        schema_checked.result()
    return CheckedExport(xml, built, issues)


def filename(year: str) -> str:
    return f"CIN_census_{year.replace('-', '_')}.xml"


def census_for_year(year: str, *, progress: Progress | None = None, now: datetime.datetime | None = None) -> Census:
    """The return for a census year written "2025-26" (the year ending 31 March 2026)."""
    return census_for_period(census_year(year), progress=progress, now=now)


def census_for_period(period: CensusYear, *, progress: Progress | None = None,
                      now: datetime.datetime | None = None) -> Census:
    """The return for a census year, whether or not Casefile exports it (the record's check, data_quality.py,
    runs on the year in progress)."""
    step = progress or (lambda done, total, stage: None)
    step(0, STAGES, "Loading the record")
    with cycle_collector_paused():
        records = _load(period)
        step(1, STAGES, f"Building the return for {plural(len(records['people']), 'child', 'children')}")
        return _build(period, records, now or timezone.localtime())


def census_for_child(person_id: int, year: CensusYear, *, now: datetime.datetime | None = None) -> Census:
    """The part of a year's return that is about one child (with any records merged into theirs), built as the
    whole return is: for checking a record as it is typed (returns/data_quality.py)."""
    return census_and_episodes_for_child(person_id, year, now=now)[0]


def census_and_episodes_for_child(person_id: int, year: CensusYear, *,
                                  now: datetime.datetime | None = None) -> tuple[Census, list[int]]:
    """census_for_child, and the ids of the child's episodes on it in the return's order (CINdetailsID 1, 2 ...).
    A child with no episode on the return costs two queries."""
    records = _load_child(year, person_id)
    now = now or timezone.localtime()
    census = _build(year, records, now) if records["episodes"] else Census.empty(header(year, now))
    return census, [episode["pk"] for episode in records["episodes"]]


def _load(period: CensusYear) -> dict:
    """Every row the return needs, one query per table."""
    episodes = episodes_in(period)
    children = episodes.values("child_id")
    people = Person.objects.filter(Q(pk__in=children) | Q(merged_records__in=children)).distinct()
    assessments = Assessment.objects.filter(episode__in=episodes, start_date__lte=period.reference_date)
    plans = Plan.objects.filter(Q(episode__in=episodes) | Q(kind=Plan.Kind.CHILD_PROTECTION, child__in=children),
                                start_date__lte=period.reference_date)
    return {
        "episodes": list(episodes.order_by("referral_date", "pk").values(*EPISODE_FIELDS)),
        "people": list(people.values(*PERSON_FIELDS)),
        "disabilities": list(Disability.objects.filter(person__in=people).order_by("pk").values_list(
            "person_id", "code")),
        "assessments": list(assessments.order_by("start_date", "pk").values(*ASSESSMENT_FIELDS)),
        "factors": list(AssessmentFactor.objects.filter(assessment__in=assessments).order_by("code").values_list(
            "assessment_id", "code")),
        "enquiries": list(Section47Enquiry.objects.filter(episode__in=episodes).annotate(
            start=F("strategy_discussion__date")).filter(start__lte=period.reference_date).order_by(
            "start", "pk").values(*ENQUIRY_FIELDS)),
        "conferences": list(Conference.objects.filter(
            episode__in=episodes, kind=Conference.Kind.INITIAL, date__lte=period.reference_date).order_by(
            "date", "pk").values(*CONFERENCE_FIELDS)),
        "plans": list(plans.order_by("start_date", "pk").values(*PLAN_FIELDS)),
        "reviews": list(PlanReview.objects.filter(
            plan__in=plans.filter(kind=Plan.Kind.CHILD_PROTECTION), date__gte=period.start,
            date__lte=period.reference_date).order_by("date", "pk").values_list("plan_id", "date")),
        "calendar": working_calendar(),
        "clock_settings": deadlines.clock_settings(),
    }


EPISODE_FIELDS = ("pk", "child_id", "referral_date", "referral_source", "primary_need", "closure_date",
                  "closure_reason", "referral_nfa")
PERSON_FIELDS = ("pk", "merged_into_id", "upn", "upn_unknown_reason", "date_of_birth", "expected_date_of_birth", "sex",
                 "ethnicity", "date_of_death")
ASSESSMENT_FIELDS = ("pk", "episode_id", "start_date", "authorised_on")
ENQUIRY_FIELDS = ("pk", "episode_id", "start", "outcome", "icpc_not_required")
CONFERENCE_FIELDS = ("pk", "episode_id", "enquiry_id", "date")
PLAN_FIELDS = ("pk", "child_id", "episode_id", "kind", "start_date", "end_date", "initial_category", "latest_category")


# One child's rows, by ids (each table read by its index for that child), each query built and compiled once: on
# every record page (the data-quality panel), building these querysets cost more than running them.

@prepared
def _merged_into(child_id: int):
    return Person.objects.filter(merged_into_id=child_id).order_by().values_list("pk", flat=True)


@prepared
def _episodes_of(child_ids: list[int], start: datetime.date, reference_date: datetime.date):
    return (Episode.objects.filter(child_id__in=child_ids, referral_date__lte=reference_date)
            .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=start))
            .order_by("referral_date", "pk").values_list(*EPISODE_FIELDS, named=True))


@prepared
def _people_of(ids: list[int]):
    return Person.objects.filter(pk__in=ids).order_by().values_list(*PERSON_FIELDS, named=True)


@prepared
def _disabilities_of(person_ids: list[int]):
    return Disability.objects.filter(person_id__in=person_ids).order_by("pk").values_list("person_id", "code")


@prepared
def _assessments_of(episode_ids: list[int], reference_date: datetime.date):
    return (Assessment.objects.filter(episode_id__in=episode_ids, start_date__lte=reference_date)
            .order_by("start_date", "pk").values_list(*ASSESSMENT_FIELDS, named=True))


@prepared
def _factors_of(assessment_ids: list[int]):
    return (AssessmentFactor.objects.filter(assessment_id__in=assessment_ids).order_by("code")
            .values_list("assessment_id", "code"))


@prepared
def _enquiries_of(episode_ids: list[int], reference_date: datetime.date):
    return (Section47Enquiry.objects.filter(episode_id__in=episode_ids).annotate(start=F("strategy_discussion__date"))
            .filter(start__lte=reference_date).order_by("start", "pk").values_list(*ENQUIRY_FIELDS, named=True))


@prepared
def _conferences_of(episode_ids: list[int], reference_date: datetime.date):
    return (Conference.objects.filter(episode_id__in=episode_ids, kind=Conference.Kind.INITIAL,
                                      date__lte=reference_date)
            .order_by("date", "pk").values_list(*CONFERENCE_FIELDS, named=True))


@prepared
def _plans_of(episode_ids: list[int], child_ids: list[int], reference_date: datetime.date):
    return (Plan.objects.filter(Q(episode_id__in=episode_ids)
                                | Q(kind=Plan.Kind.CHILD_PROTECTION, child_id__in=child_ids),
                                start_date__lte=reference_date)
            .order_by("start_date", "pk").values_list(*PLAN_FIELDS, named=True))


@prepared
def _reviews_of(plan_ids: list[int], start: datetime.date, reference_date: datetime.date):
    return (PlanReview.objects.filter(plan_id__in=plan_ids, date__gte=start, date__lte=reference_date)
            .order_by("date", "pk").values_list("plan_id", "date"))


def _dicts(rows) -> list[dict]:
    return [row._asdict() for row in rows]


def _load_child(period: CensusYear, child_id: int) -> dict:
    """_load's rows about one child and the records merged into theirs. With no episode on the return, only the
    episodes are read: the child is not on it."""
    episodes = _dicts(_episodes_of([child_id, *_merged_into(child_id)], period.start, period.reference_date))
    if not episodes:
        return {"episodes": []}
    episode_ids = [episode["pk"] for episode in episodes]
    children = sorted({episode["child_id"] for episode in episodes})
    # The records with an episode, and the one they are merged into (the child), as the whole return has them.
    people = _dicts(_people_of([*children, child_id]))
    assessments = _dicts(_assessments_of(episode_ids, period.reference_date))
    plans = _dicts(_plans_of(episode_ids, children, period.reference_date))
    protection_plans = [plan["pk"] for plan in plans if plan["kind"] == Plan.Kind.CHILD_PROTECTION]
    return {
        "episodes": episodes,
        "people": people,
        "disabilities": _disabilities_of([person["pk"] for person in people]),
        "assessments": assessments,
        "factors": _factors_of([assessment["pk"] for assessment in assessments]),
        "enquiries": _dicts(_enquiries_of(episode_ids, period.reference_date)),
        "conferences": _dicts(_conferences_of(episode_ids, period.reference_date)),
        "plans": plans,
        "reviews": _reviews_of(protection_plans, period.start, period.reference_date),
        "calendar": working_calendar(),
        "clock_settings": deadlines.clock_settings(),
    }


def _grouped(rows, key) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key] if isinstance(row, dict) else row[0]].append(row)
    return grouped


def _build(period: CensusYear, records: dict, now: datetime.datetime) -> Census:
    census = Census.empty(header(period, now))
    tables = census.tables
    people = {row["pk"]: row for row in records["people"]}
    kept = {pk: row["merged_into_id"] or pk for pk, row in people.items()}
    episodes_by_child = defaultdict(list)
    for episode in records["episodes"]:
        episodes_by_child[kept.get(episode["child_id"], episode["child_id"])].append(episode)
    disabilities = defaultdict(list)  # by the record kept: a merged record's codes go with it
    for person_id, code in records["disabilities"]:
        disabilities[kept.get(person_id, person_id)].append(code)
    assessments = _grouped(records["assessments"], "episode_id")
    factors = _grouped(records["factors"], 0)
    enquiries = _grouped(records["enquiries"], "episode_id")
    conferences = _grouped(records["conferences"], "episode_id")
    reviews = _grouped(records["reviews"], 0)
    plans_by_episode = defaultdict(list)
    cp_starts = defaultdict(list)
    for plan in records["plans"]:
        plans_by_episode[plan["episode_id"]].append(plan)
        if plan["kind"] == Plan.Kind.CHILD_PROTECTION:
            cp_starts[kept.get(plan["child_id"], plan["child_id"])].append(plan["start_date"])
    target = _icpc_target(records["calendar"], records["clock_settings"])

    for child_pk in sorted(episodes_by_child):
        person = people[child_pk]
        child_id = Person.reference_for(child_pk)
        _child(tables, period, child_id, person, disabilities.get(child_pk, []))
        for number, episode in enumerate(sorted(episodes_by_child[child_pk], key=lambda e: (e["referral_date"],
                                                                                           e["pk"])), start=1):
            keys = {"LAchildID": child_id, "CINdetailsID": number}
            _episode(tables, period, keys, episode, {
                "assessments": assessments.get(episode["pk"], ()), "factors": factors,
                "enquiries": enquiries.get(episode["pk"], ()), "conferences": conferences.get(episode["pk"], ()),
                "plans": plans_by_episode.get(episode["pk"], ()), "reviews": reviews,
                "cp_starts": cp_starts[child_pk], "target": target,
            })
    return census


def header(period: CensusYear, now: datetime.datetime) -> dict:
    """The return's header: the year, its reference date, the authority's code and when the file was made."""
    return {"Collection": "CIN", "Year": str(period.reference_date.year), "ReferenceDate": period.reference_date,
            "SourceLevel": "L", "LEA": settings.CASEFILE_LA_CODE, "SoftwareCode": SOFTWARE_CODE,
            "Release": RELEASE, "SerialNo": "001",
            "DateTime": now.replace(tzinfo=None, microsecond=0).isoformat()}


def _icpc_target(calendar, clock_settings) -> Callable[[datetime.date], datetime.date]:
    def target(strategy_date: datetime.date) -> datetime.date:
        return clocks.due_date(clocks.INITIAL_CONFERENCE, strategy_date, calendar, clock_settings)
    return target


def _child(tables: dict, period: CensusYear, child_id: str, person: dict, disability_codes: list[str]) -> None:
    born = period.known(person["date_of_birth"])
    expected = None if born else (person["expected_date_of_birth"] or person["date_of_birth"])
    unborn = born is None
    upn = _sent(person["upn"])
    tables["ChildIdentifiers"].append({
        "LAchildID": child_id, "UPN": upn, "FormerUPN": None,
        "UPNunknown": None if upn else _sent(person["upn_unknown_reason"]),
        "PersonBirthDate": born, "ExpectedPersonBirthDate": expected, "GenderCurrent": None,
        "Sex": projection.sex(person["sex"], unborn), "PersonDeathDate": period.known(person["date_of_death"]),
    })
    tables["ChildCharacteristics"].append({
        "LAchildID": child_id, "Ethnicity": _sent(person["ethnicity"]) or projection.ETHNICITY_NOT_OBTAINED})
    tables["Disabilities"].extend({"LAchildID": child_id, "Disability": code}
                                  for code in dict.fromkeys(filter(None, map(_sent, disability_codes))))


def _sent(text: str | None) -> str | None:
    """A text value as the census file gives it back: stripped, and None when empty."""
    return (text.strip() or None) if text else None


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


def _episode(tables: dict, period: CensusYear, keys: dict, episode: dict, below: dict) -> None:
    closed = period.known(episode["closure_date"])
    icpc_at_episode = None
    enquiry_rows = []
    linked = {c["enquiry_id"]: c["date"] for c in reversed(below["conferences"]) if c["enquiry_id"]}
    for enquiry in below["enquiries"]:
        conference = linked.get(enquiry["pk"])
        not_required = projection.icpc_not_required(enquiry["icpc_not_required"], enquiry["outcome"], conference)
        if projection.enquiry_in_year(period, enquiry["start"], conference, not_required):
            enquiry_rows.append({**keys, "S47ActualStartDate": enquiry["start"],
                                 "InitialCPCtarget": below["target"](enquiry["start"]),
                                 "DateOfInitialCPC": conference, "ICPCnotRequired": _yes_no(not_required)})
    if not enquiry_rows:
        # An initial conference in the year that no returned enquiry led to is recorded on the episode.
        unlinked = [c["date"] for c in below["conferences"] if period.within(c["date"])]
        icpc_at_episode = unlinked[0] if unlinked else None
    tables["CINdetails"].append({
        **keys, "CINreferralDate": episode["referral_date"], "ReferralSource": _sent(episode["referral_source"]),
        "PrimaryNeedCode": _sent(episode["primary_need"]), "CINclosureDate": closed,
        "ReasonForClosure": _sent(episode["closure_reason"]) if closed else None,
        "DateOfInitialCPC": icpc_at_episode, "ReferralNFA": _yes_no(episode["referral_nfa"]),
    })
    for number, assessment in enumerate(
            (a for a in below["assessments"]
             if projection.assessment_in_year(period, a["start_date"], a["authorised_on"])), start=1):
        authorised = period.known(assessment["authorised_on"])
        codes = tuple(filter(None, (_sent(code) for _, code in below["factors"].get(assessment["pk"], ())))
                      ) if authorised else ()
        tables["Assessments"].append({**keys, "AssessmentID": number,
                                      "AssessmentActualStartDate": assessment["start_date"],
                                      "AssessmentInternalReviewDate": None,
                                      "AssessmentAuthorisationDate": authorised, "AssessmentFactors": codes})
        tables["AssessmentFactorsList"].extend({**keys, "AssessmentID": number, "AssessmentFactor": code}
                                               for code in codes)
    tables["Section47"].extend(enquiry_rows)
    number = 0
    for plan in below["plans"]:
        end = period.known(plan["end_date"])
        if not period.overlaps(plan["start_date"], end):
            continue
        if plan["kind"] == Plan.Kind.CHILD_IN_NEED:
            tables["CINplanDates"].append({**keys, "CINPlanStartDate": plan["start_date"], "CINPlanEndDate": end})
            continue
        number += 1
        plan_keys = {**keys, "CPPID": number}
        tables["ChildProtectionPlans"].append({
            **plan_keys, "CPPstartDate": plan["start_date"], "CPPendDate": end,
            "InitialCategoryOfAbuse": _sent(plan["initial_category"]),
            "LatestCategoryOfAbuse": _sent(plan["latest_category"]) or _sent(plan["initial_category"]),
            "NumberOfPreviousCPP": str(projection.previous_plans(below["cp_starts"], plan["start_date"])),
        })
        tables["Reviews"].extend({**plan_keys, "CPPreviewDate": day} for _, day in below["reviews"].get(plan["pk"], ())
                                 if end is None or day <= end)
