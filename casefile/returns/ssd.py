"""A Standard Safeguarding Dataset-shaped export of the child-protection tables: one CSV per table, with the SSD's
table and column names (rules/ssd.py), and data_dictionary.csv, in a zip.

`load()` reads each table once with values() (a fixed number of queries, whatever the authority's size); the rows
are built in memory. Every CSV cell is made safe for spreadsheets, as every CSV the service gives out is
(core/exports.py). Identifiers are Casefile's: a child is their reference on returns (CF and 8 digits), as in the
CIN census and Annex A; a worker, a team and every record their database id.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Count
from django.utils import timezone

from casefile.accounts.models import Role, Team, User
from casefile.casework import models as cw
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Address, Disability
from casefile.returns.annex_a import children, kept, values_as
from casefile.rules import ssd as spec
from casefile.rules.police_notifications import UTF8_BOM, neutralise_for_spreadsheet


def filename(day: datetime.date) -> str:
    return f"ssd-child-protection-{day.isoformat()}.zip"


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


class _Allocations:
    """Who held each child on a day: the latest allocation started by then (team id, worker id)."""

    def __init__(self, allocations: list[dict]):
        self.by_child: dict[int, list[dict]] = defaultdict(list)
        for row in sorted(allocations, key=lambda row: (row["start_date"], row["id"])):
            self.by_child[row["child"]].append(row)
        self.starts = {child: [row["start_date"] for row in rows] for child, rows in self.by_child.items()}

    def on(self, child_id: int, day: datetime.date | None) -> tuple[object, object]:
        if day is None or child_id not in self.by_child:
            return "", ""
        index = bisect.bisect_right(self.starts[child_id], day)
        if index == 0:
            return "", ""
        row = self.by_child[child_id][index - 1]
        return row["team"], row["worker"]


@dataclasses.dataclass
class Loaded:
    made_on: datetime.date
    people: dict[int, dict]
    rows: dict[str, list[dict]]
    held: _Allocations
    children_shown: set[int] = dataclasses.field(default_factory=set)

    def ref(self, child_id: int) -> str:
        """The child's reference, and the child counted as in the export."""
        child_id = kept(child_id, self.people)
        self.children_shown.add(child_id)
        return self.people[child_id]["reference"]

    def is_child(self, person_id: int) -> bool:
        return kept(person_id, self.people) in self.people


def load(made_on: datetime.date | None = None) -> Loaded:
    """Every table the export reads, once each: 17 queries, whatever the authority's size."""
    people = children("upn_unknown_reason", "expected_date_of_birth", "date_of_death")
    step_downs = cw.EarlyHelpTransfer.objects.exclude(proposed_on__isnull=False, signed_off_on__isnull=True)
    rows = {
        "disability": values_as(Disability.objects, "id", "code", person="person_id"),
        "address": values_as(Address.objects, "id", "postcode", "start_date", "end_date", person="person_id"),
        "contacts": values_as(ContactChild.objects, "id", child="child_id", received_at="contact__received_at",
                         source="contact__source", outcome="decision__outcome",
                         authorised_at="decision__authorised_at"),
        "early_help": values_as(step_downs, "id", "direction", "date", "early_help_provider", child="child_id"),
        "episodes": values_as(cw.Episode.objects, "id", "referral_date", "referral_source", "referral_nfa",
                         "primary_need", "closure_date", "closure_reason", child="child_id"),
        "assessments": values_as(cw.Assessment.objects, "id", "episode_id", "start_date", "child_seen", "authorised_on",
                            "outcome", "requires_support", child="episode__child_id"),
        "factors": list(cw.AssessmentFactor.objects.values("assessment_id", "code")),
        "plans": values_as(cw.Plan.objects, "id", "kind", "episode_id", "start_date", "end_date", "initial_category",
                      "latest_category", "started_by_conference_id", child="child_id"),
        "visits": values_as(cw.Visit.objects.filter(kind__in=[cw.Visit.Kind.CHILD_IN_NEED,
                                                              cw.Visit.Kind.CHILD_PROTECTION]),
                       "id", "kind", "plan_id", "date", "child_seen", "seen_alone", "bedroom_seen", child="child_id"),
        "enquiries": values_as(cw.Section47Enquiry.objects, "id", "episode_id", "outcome", "outcome_date",
                          "icpc_not_required", start_date="strategy_discussion__date", child="episode__child_id"),
        "conferences": values_as(cw.Conference.objects.filter(
            kind__in=[cw.Conference.Kind.INITIAL, cw.Conference.Kind.TRANSFER_IN]),
            "id", "kind", "enquiry_id", "episode_id", "date", "decision", "category", child="child_id"),
        "reviews": values_as(cw.PlanReview.objects.filter(plan__kind=cw.Plan.Kind.CHILD_PROTECTION),
                        "id", "plan_id", "date", "conference_id", decision="conference__decision",
                        child="plan__child_id"),
        "allocations": values_as(cw.Allocation.objects, "id", "start_date", "end_date", child="child_id",
                            team="team_id", worker="worker_id", role="worker__role"),
    }
    workers = {row["worker"] for row in rows["allocations"]}
    rows["professionals"] = list(User.objects.filter(pk__in=workers).values(
        "id", "first_name", "last_name", "job_title", "role", "team_id"))
    caseloads = dict(cw.Allocation.objects.filter(end_date__isnull=True).order_by().values("worker_id").annotate(
        children=Count("child_id", distinct=True)).values_list("worker_id", "children"))
    for row in rows["professionals"]:
        row["caseload"] = caseloads.get(row["id"], 0)
    teams = {row["team"] for row in rows["allocations"]} | {row["team_id"] for row in rows["professionals"]}
    rows["teams"] = list(Team.objects.filter(pk__in=teams).values("id", "name").order_by("id"))
    held = _Allocations([{**row, "child": kept(row["child"], people)} for row in rows["allocations"]])
    return Loaded(made_on=made_on or timezone.localdate(), people=people, rows=rows, held=held)


def _json(value) -> str:
    return json.dumps(value, sort_keys=True)


def _contacts(data: Loaded) -> list[list]:
    out = []
    for row in sorted(data.rows["contacts"], key=lambda row: row["id"]):
        if not data.is_child(row["child"]):
            continue
        outcome = {"decision": row["outcome"]} if row["authorised_at"] else {}
        out.append([row["id"], data.ref(row["child"]),
                    timezone.localtime(row["received_at"]).isoformat(sep=" ", timespec="minutes"), row["source"],
                    _json(outcome) if outcome else ""])
    return out


def _early_help(data: Loaded) -> list[list]:
    step_ups = defaultdict(list)
    for row in data.rows["early_help"]:
        if row["direction"] == cw.EarlyHelpTransfer.Direction.STEP_UP:
            step_ups[row["child"]].append(row["date"])
    out = []
    for row in sorted(data.rows["early_help"], key=lambda row: (row["date"], row["id"])):
        if row["direction"] != cw.EarlyHelpTransfer.Direction.STEP_DOWN or not data.is_child(row["child"]):
            continue
        ended = min((day for day in step_ups[row["child"]] if day > row["date"]), default=None)
        out.append([row["id"], data.ref(row["child"]), _day(row["date"]), _day(ended), row["early_help_provider"]])
    return out


@dataclasses.dataclass(frozen=True)
class Table:
    name: str
    rows: Callable[[Loaded], list[list]]

    @property
    def header(self) -> list[str]:
        return [column.name for column in spec.TABLES[self.name]]


def _by_id(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: row["id"])


def _person(data: Loaded) -> list[list]:
    """Every child another table names: call it last, once the others have named them."""
    return [[person["reference"], person["sex"], person["ethnicity"], _day(person["date_of_birth"]),
             person["upn_unknown_reason"], _day(person["expected_date_of_birth"]), _day(person["date_of_death"])]
            for child_id, person in sorted(data.people.items()) if child_id in data.children_shown]


def _tables() -> list[Table]:
    def episodes(data):
        held = data.held
        return [[row["id"], data.ref(row["child"]), _day(row["referral_date"]), row["primary_need"],
                 row["referral_source"], _yn(row["referral_nfa"]), row["closure_reason"], _day(row["closure_date"]),
                 *held.on(row["child"], row["referral_date"])]
                for row in _by_id(data.rows["episodes"]) if data.is_child(row["child"])]

    def assessments(data):
        held = data.held
        return [[row["id"], data.ref(row["child"]), row["episode_id"], _day(row["start_date"]),
                 _yn(row["child_seen"]), _day(row["authorised_on"]),
                 _json({"outcome": row["outcome"], "requires_support": row["requires_support"]})
                 if row["outcome"] or row["requires_support"] is not None else "",
                 _yn(row["outcome"] == cw.Assessment.Outcome.NO_FURTHER_ACTION) if row["outcome"] else "",
                 *held.on(row["child"], row["start_date"])]
                for row in _by_id(data.rows["assessments"]) if data.is_child(row["child"])]

    def factors(data):
        codes = defaultdict(list)
        for row in data.rows["factors"]:
            codes[row["assessment_id"]].append(row["code"])
        assessed = {row["id"] for row in data.rows["assessments"] if data.is_child(row["child"])}
        return [[assessment, assessment, _json(sorted(codes[assessment]))]
                for assessment in sorted(codes) if assessment in assessed]

    def plans(kind):
        def rows(data):
            held = data.held
            chosen = [row for row in _by_id(data.rows["plans"]) if row["kind"] == kind and data.is_child(row["child"])]
            if kind == cw.Plan.Kind.CHILD_IN_NEED:
                return [[row["id"], row["episode_id"], data.ref(row["child"]), _day(row["start_date"]),
                         _day(row["end_date"]), *held.on(row["child"], row["start_date"])] for row in chosen]
            return [[row["id"], row["episode_id"], row["started_by_conference_id"] or "", data.ref(row["child"]),
                     _day(row["start_date"]), _day(row["end_date"]), row["initial_category"],
                     row["latest_category"] or row["initial_category"]] for row in chosen]
        return rows

    def visits(kind):
        def rows(data):
            chosen = [row for row in _by_id(data.rows["visits"]) if row["kind"] == kind and data.is_child(row["child"])]
            if kind == cw.Visit.Kind.CHILD_IN_NEED:
                return [[row["id"], data.ref(row["child"]), _day(row["date"]), _yn(row["child_seen"]),
                         _yn(row["seen_alone"]), _yn(row["bedroom_seen"])] for row in chosen]
            return [[row["id"], data.ref(row["child"]), row["plan_id"] or "", _day(row["date"]),
                     _yn(row["child_seen"]), _yn(row["seen_alone"]), _yn(row["bedroom_seen"])] for row in chosen]
        return rows

    def enquiries(data):
        held = data.held
        return [[row["id"], row["episode_id"], data.ref(row["child"]), _day(row["start_date"]),
                 _day(row["outcome_date"]),
                 _yn(row["outcome"] == cw.Section47Enquiry.Outcome.NOT_SUBSTANTIATED) if row["outcome"] else "",
                 _json({"outcome": row["outcome"], "icpc_not_required": row["icpc_not_required"]})
                 if row["outcome"] else "",
                 *held.on(row["child"], row["outcome_date"])]
                for row in _by_id(data.rows["enquiries"]) if data.is_child(row["child"])]

    def conferences(data):
        held = data.held
        started = {row["started_by_conference_id"]: row["id"] for row in data.rows["plans"]
                   if row["started_by_conference_id"]}
        return [[row["id"], row["id"], row["enquiry_id"] or "", data.ref(row["child"]), started.get(row["id"], ""),
                 row["episode_id"] or "", _yn(row["kind"] == cw.Conference.Kind.TRANSFER_IN), _day(row["date"]),
                 _yn(row["decision"] == cw.Conference.Decision.PLAN) if row["decision"] else "",
                 _json({"decision": row["decision"], "category": row["category"]}) if row["decision"] else "",
                 *held.on(row["child"], row["date"])]
                for row in _by_id(data.rows["conferences"]) if data.is_child(row["child"])]

    def reviews(data):
        return [[row["id"], data.ref(row["child"]), row["plan_id"], _day(row["date"]), row["conference_id"] or "",
                 _yn(row["decision"] == cw.Conference.Decision.PLAN) if row["decision"] else ""]
                for row in _by_id(data.rows["reviews"]) if data.is_child(row["child"])]

    def involvements(data):
        episodes = defaultdict(list)
        for row in sorted(data.rows["episodes"], key=lambda row: (row["referral_date"], row["id"])):
            episodes[kept(row["child"], data.people)].append(row)

        def episode_on(child_id, day):
            open_then = [row for row in episodes[kept(child_id, data.people)] if row["referral_date"] <= day
                         and (row["closure_date"] is None or row["closure_date"] >= day)]
            return open_then[-1]["id"] if open_then else ""

        return [[row["id"], row["worker"], row["role"], row["team"], _day(row["start_date"]), _day(row["end_date"]),
                 data.ref(row["child"]), episode_on(row["child"], row["start_date"])]
                for row in _by_id(data.rows["allocations"]) if data.is_child(row["child"])]

    def professionals(data):
        return [[row["id"], row["id"], f"{row['first_name']} {row['last_name']}".strip(),
                 row["job_title"] or Role(row["role"]).label, row["caseload"], row["team_id"] or ""]
                for row in _by_id(data.rows["professionals"])]

    def department(data):
        return [[row["id"], row["name"]] for row in data.rows["teams"]]

    def disability(data):
        return [[row["id"], data.ref(row["person"]), row["code"]]
                for row in _by_id(data.rows["disability"]) if data.is_child(row["person"])]

    def address(data):
        return [[row["id"], data.ref(row["person"]), _day(row["start_date"]), _day(row["end_date"]), row["postcode"]]
                for row in _by_id(data.rows["address"]) if data.is_child(row["person"])]

    return [
        Table("ssd_contacts", _contacts), Table("ssd_early_help_episodes", _early_help),
        Table("ssd_cin_episodes", episodes), Table("ssd_cin_assessments", assessments),
        Table("ssd_assessment_factors", factors), Table("ssd_cin_plans", plans(cw.Plan.Kind.CHILD_IN_NEED)),
        Table("ssd_cin_visits", visits(cw.Visit.Kind.CHILD_IN_NEED)), Table("ssd_s47_enquiry", enquiries),
        Table("ssd_initial_cp_conference", conferences), Table("ssd_cp_plans", plans(cw.Plan.Kind.CHILD_PROTECTION)),
        Table("ssd_cp_reviews", reviews), Table("ssd_cp_visits", visits(cw.Visit.Kind.CHILD_PROTECTION)),
        Table("ssd_involvements", involvements), Table("ssd_professionals", professionals),
        Table("ssd_department", department), Table("ssd_disability", disability), Table("ssd_address", address),
        # Last: the children the other tables named.
        Table("ssd_person", _person),
    ]


TABLES = _tables()


def people_in(data: Loaded) -> list[int]:
    return sorted(data.children_shown)


def csv_bytes(header: list[str] | tuple[str, ...], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_for_spreadsheet("" if cell is None else str(cell)) for cell in row])
    return UTF8_BOM + out.getvalue().encode("utf-8")


def zip_file(tables: dict[str, list[list]]) -> bytes:
    """One CSV per table, in the order of TABLES, and the data dictionary."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            archive.writestr(f"{table.name}.csv", csv_bytes(table.header, tables[table.name]))
        archive.writestr("data_dictionary.csv", csv_bytes(spec.DICTIONARY_HEADER, spec.dictionary_rows()))
    return out.getvalue()
