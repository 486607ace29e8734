"""Ofsted Annex A (ILACS) lists 1 to 7 from plain rows of the record: the column headers, the "a) Male"-style
labels, the inspection's look-back windows and the rows of each list. No Django here: returns/annex_a.py loads the
rows (a few queries over whole tables, filtered by date) and writes the workbook.

Sources (../shared/reference/data-standards.md, section 3): the column lists are liia-tools' Annex A
specification (`la-agg.yml`, without its "LA" column, which liia-tools adds when it pools authorities); the labels
are those of the Standard Safeguarding Dataset's Annex A extract. Neither has been checked against the current
Ofsted workbook. Lists 8 to 11 (children in care, care leavers, adoption, adopters) are not in Casefile's record.

Every list is "as at" the inspection date: anything recorded as happening after it (a closure, a plan's end, an
authorisation) is read as not yet happened, so a workbook for a past date is what the lists would have shown then.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from casefile.rules import codes

# Months each list looks back from the inspection date, and the months the "in the last 12 months" counts cover.
LOOK_BACK_MONTHS = 6
COUNT_MONTHS = 12

COMMON = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ("Allocated Team", "Allocated Worker")


@dataclasses.dataclass(frozen=True)
class ListSpec:
    number: int
    sheet: str
    coverage: str
    headers: tuple[str, ...]


LISTS = (
    ListSpec(1, "List 1 Contacts", "All contacts received in the six months before the inspection, one row for each "
             "child on a contact", (*COMMON, "Date of Contact", "Contact Source")),
    ListSpec(2, "List 2 Early Help", "Early help started in the six months before the inspection (each step down to "
             "early help, with its provider)",
             (*COMMON, "Assessment start date", "Assessment completion date", "Organisation completing assessment")),
    ListSpec(3, "List 3 Referrals", "All referrals received in the six months before the inspection",
             (*COMMON, "Date of referral", "Referral Source", "Referral NFA?",
              "Number of Referrals in Last 12 Months", *ALLOCATED)),
    ListSpec(4, "List 4 Assessments", "Assessments open at any time in the six months before the inspection",
             (*COMMON, DISABILITY, "Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
              "Continuous Assessment Date of Authorisation",
              "Was the child assessed as requiring LA children's social care support?", *ALLOCATED)),
    ListSpec(5, "List 5 S47 and ICPC", "Section 47 enquiries open at any time in the six months before the "
             "inspection or whose initial conference was in them, one row for each enquiry",
             (*COMMON, DISABILITY, "Strategy discussion initiating Section 47 Enquiry Start Date",
              "Was an Initial Child Protection Conference deemed unnecessary?",
              "Date of Initial Child Protection Conference",
              "Did the Initial Child Protection Conference Result in a Child Protection Plan",
              "Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months",
              *ALLOCATED)),
    ListSpec(6, "List 6 Children in Need", "Children in need at the inspection or in the six months before it "
             "(their latest episode; not referrals that ended in no further action)",
             (*COMMON, DISABILITY, "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen",
              "CIN Closure Date", "Reason for Closure", "Case Status", *ALLOCATED)),
    ListSpec(7, "List 7 Child Protection", "Children subject to a child protection plan at the inspection or in the "
             "six months before it (their latest plan)",
             (*COMMON, DISABILITY, "Child Protection Plan Start Date", "Initial Category of Abuse",
              "Latest Category of Abuse", "Date of the Last Statutory Visit", "Was the Child Seen Alone?",
              "Date of latest review conference", "Child Protection Plan End Date",
              "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
              "Number of Previous Child Protection Plans", *ALLOCATED)),
)

# Labels ----------------------------------------------------------------------------------------------------

GENDER = {codes.SEX_MALE: "a) Male", codes.SEX_FEMALE: "b) Female", codes.SEX_UNKNOWN: "c) Not stated/recorded"}
NOT_STATED = "c) Not stated/recorded"
ETHNICITY = {code: f"{chr(ord('a') + index)}) {code}" for index, code in enumerate(
    ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
     "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"))}
ETHNICITY_UNKNOWN = "u) UNKNOWN"
_SOURCE_GROUPS = {"1": "Individual", "2A": "Schools", "2B": "Education services", "3": "Health services",
                  "4": "Housing", "5": "LA services", "6": "Police", "7": "Other legal agency", "8": "Other",
                  "9": "Anonymous", "10": "Unknown"}
_SOURCE_LETTERS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "p1", "q", "r",
                   "s", "t", "u")
SOURCE = {code: f"{letter}) {code}: {_SOURCE_GROUPS.get(code, _SOURCE_GROUPS.get(code[0], ''))}"
          for letter, code in zip(_SOURCE_LETTERS, codes.REFERRAL_SOURCE, strict=True)}
SOURCE_UNKNOWN = "u) 10: Unknown"
YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
CATEGORY = {"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse", "EMO": "d) Emotional abuse",
            "MUL": "e) Multiple/not recommended"}
PRIMARY_NEED = {code: f"{code} - {label}" for code, label in codes.PRIMARY_NEED.items()}
CLOSURE_REASON = {code: f"{code} - {label}" for code, label in codes.REASON_FOR_CLOSURE.items()}
CASE_STATUS_CP, CASE_STATUS_CIN = "b) Child Protection plan", "c) Child in need plan"
CASE_STATUS_ASSESSMENT, CASE_STATUS_CLOSED = "d) Open assessment", "e) Closed episode"


def yes_no(value: bool | None, *, unknown: str = "") -> str:
    return unknown if value is None else (YES if value else NO)


# Dates -----------------------------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the last day of a shorter month): 31 August less 6 months is 28 or 29
    February."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclasses.dataclass(frozen=True)
class Window:
    """The inspection date and the periods the lists look back over, both ends included."""

    inspection: datetime.date

    @property
    def start(self) -> datetime.date:
        """The first day of the six months before the inspection: 31 March 2026 looks back to 1 October 2025."""
        return months_before(self.inspection, LOOK_BACK_MONTHS) + datetime.timedelta(days=1)

    @property
    def count_start(self) -> datetime.date:
        return months_before(self.inspection, COUNT_MONTHS) + datetime.timedelta(days=1)

    def within(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.inspection

    def counted(self, day: datetime.date | None) -> bool:
        return day is not None and self.count_start <= day <= self.inspection

    def as_at(self, day: datetime.date | None) -> datetime.date | None:
        """A date that had happened by the inspection, or None for one recorded as after it."""
        return day if day is not None and day <= self.inspection else None

    def open_in(self, start: datetime.date | None, end: datetime.date | None) -> bool:
        """Whether something running from start to end (None: still running) was open during the look-back."""
        return start is not None and start <= self.inspection and (end is None or end >= self.start)


def age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# The record, as plain rows ---------------------------------------------------------------------------------


Row = Mapping[str, object]


@dataclasses.dataclass
class Record:
    """What the lists read, as dicts (the shape of Django's values()). Each list's keys are in the loader.

    children: id, reference, sex, ethnicity, date_of_birth. disabled: ids of children with a disability other than
    "no disability". allocations: child, start_date, end_date, team, worker. Dates are datetime.date."""

    children: dict[int, Row]
    disabled: set[int]
    allocations: Sequence[Row] = ()
    contacts: Sequence[Row] = ()          # child, date, source
    early_help: Sequence[Row] = ()        # child, date, provider
    episodes: Sequence[Row] = ()          # id, child, referral_date, referral_source, referral_nfa, primary_need,
    #                                       closure_date, closure_reason
    assessments: Sequence[Row] = ()       # id, child, start_date, child_seen, authorised_on, requires_support
    enquiries: Sequence[Row] = ()         # id, child, start_date, outcome_date, icpc_not_required
    initial_conferences: Sequence[Row] = ()  # id, child, enquiry, date, decision
    plans: Sequence[Row] = ()             # id, child, kind, start_date, end_date, initial_category, latest_category
    reviews: Sequence[Row] = ()           # plan, date
    last_seen: Mapping[int, datetime.date] = dataclasses.field(default_factory=dict)  # episode id: the last day
    #                                       a visit in the episode saw the child, by the inspection date
    cp_visits: Sequence[Row] = ()         # plan, date, seen_alone: visits seeing the child on a child protection plan


def _common(record: Record, child_id: int, window: Window, *, disability: bool) -> list[object]:
    child = record.children.get(child_id, {})
    born = child.get("date_of_birth")
    row = [child.get("reference", ""), GENDER.get(child.get("sex") or "", NOT_STATED),
           ETHNICITY.get(child.get("ethnicity") or "", ETHNICITY_UNKNOWN), born, age_on(born, window.inspection)]
    if disability:
        row.append(YES if child_id in record.disabled else NO)
    return row


class _Allocations:
    """Each child's allocated team and worker as at a day: the latest allocation started by then."""

    def __init__(self, allocations: Iterable[Row]):
        self.by_child: dict[int, list[Row]] = defaultdict(list)
        for allocation in sorted(allocations, key=lambda row: (row["start_date"], row.get("id") or 0)):
            self.by_child[allocation["child"]].append(allocation)

    def on(self, child_id: int, day: datetime.date) -> list[object]:
        started = [row for row in self.by_child.get(child_id, ()) if row["start_date"] <= day]
        if not started:
            return ["", ""]
        latest = started[-1]
        return [latest["team"] or "", latest["worker"] or ""]


def _counts(rows: Iterable[Row], date_key: str, window: Window) -> dict[int, int]:
    counted: dict[int, int] = defaultdict(int)
    for row in rows:
        if window.counted(row[date_key]):
            counted[row["child"]] += 1
    return counted


def _key(row: Row, *names: str):
    return tuple(row[name] or datetime.date.min if "date" in name else row[name] for name in names)


def build(record: Record, inspection: datetime.date) -> dict[int, list[list[object]]]:
    """Every list's rows, by list number, each row in its list's header order, sorted by child then date."""
    window = Window(inspection)
    allocated = _Allocations(record.allocations)
    lists = {
        1: _contacts(record, window),
        2: _early_help(record, window),
        3: _referrals(record, window, allocated),
        4: _assessments(record, window, allocated),
        5: _enquiries(record, window, allocated),
        6: _children_in_need(record, window, allocated),
        7: _child_protection(record, window, allocated),
    }
    for spec in LISTS:
        assert all(len(row) == len(spec.headers) for row in lists[spec.number]), spec.sheet
    return lists


def _contacts(record: Record, window: Window) -> list[list[object]]:
    rows = sorted((row for row in record.contacts if window.within(row["date"])),
                  key=lambda r: _key(r, "child", "date"))
    return [[*_common(record, row["child"], window, disability=False), row["date"],
             SOURCE.get(row["source"], SOURCE_UNKNOWN)] for row in rows]


def _early_help(record: Record, window: Window) -> list[list[object]]:
    rows = sorted((row for row in record.early_help if window.within(row["date"])),
                  key=lambda r: _key(r, "child", "date"))
    # Casefile records the step down to early help and its provider; the early help assessment's completion is
    # the provider's record, not ours, so it is left empty.
    return [[*_common(record, row["child"], window, disability=False), row["date"], None, row["provider"] or ""]
            for row in rows]


def _referrals(record: Record, window: Window, allocated: _Allocations) -> list[list[object]]:
    counts = _counts(record.episodes, "referral_date", window)
    rows = sorted((row for row in record.episodes if window.within(row["referral_date"])),
                  key=lambda r: _key(r, "child", "referral_date", "id"))
    return [[*_common(record, row["child"], window, disability=False), row["referral_date"],
             SOURCE.get(row["referral_source"], SOURCE_UNKNOWN), YES if row["referral_nfa"] else NO,
             counts[row["child"]], *allocated.on(row["child"], window.inspection)] for row in rows]


def _assessments(record: Record, window: Window, allocated: _Allocations) -> list[list[object]]:
    rows = sorted((row for row in record.assessments
                   if window.open_in(row["start_date"], window.as_at(row["authorised_on"]))),
                  key=lambda r: _key(r, "child", "start_date", "id"))
    out = []
    for row in rows:
        authorised = window.as_at(row["authorised_on"])
        out.append([*_common(record, row["child"], window, disability=True), row["start_date"],
                    yes_no(row["child_seen"], unknown=NO), authorised,
                    yes_no(row["requires_support"]) if authorised else "",
                    *allocated.on(row["child"], window.inspection)])
    return out


def _enquiries(record: Record, window: Window, allocated: _Allocations) -> list[list[object]]:
    s47_counts = _counts(record.enquiries, "start_date", window)
    icpc_counts = _counts(record.initial_conferences, "date", window)
    icpc_by_enquiry: dict[int, Row] = {}
    for conference in sorted(record.initial_conferences, key=lambda r: _key(r, "date", "id")):
        if conference["enquiry"] is not None and window.as_at(conference["date"]):
            icpc_by_enquiry.setdefault(conference["enquiry"], conference)
    # List 5 is the enquiries and the initial conferences of the six months: an enquiry whose outcome came before
    # them is still listed when its conference was held in them.
    rows = sorted((row for row in record.enquiries
                   if window.open_in(row["start_date"], window.as_at(row["outcome_date"]))
                   or window.within((icpc_by_enquiry.get(row["id"]) or {}).get("date"))),
                  key=lambda r: _key(r, "child", "start_date", "id"))
    out = []
    for row in rows:
        icpc = icpc_by_enquiry.get(row["id"])
        out.append([*_common(record, row["child"], window, disability=True), row["start_date"],
                    YES if row["icpc_not_required"] else NO, icpc["date"] if icpc else None,
                    (YES if icpc["decision"] == "plan" else NO) if icpc else "",
                    s47_counts[row["child"]], icpc_counts[row["child"]],
                    *allocated.on(row["child"], window.inspection)])
    return out


def _latest_per_child(rows: Iterable[Row], date_key: str) -> dict[int, Row]:
    latest: dict[int, Row] = {}
    for row in sorted(rows, key=lambda r: _key(r, date_key, "id")):
        latest[row["child"]] = row
    return latest


def _open_on(start: datetime.date | None, end: datetime.date | None, day: datetime.date) -> bool:
    return start is not None and start <= day and (end is None or end > day)


def _children_in_need(record: Record, window: Window, allocated: _Allocations) -> list[list[object]]:
    day = window.inspection
    open_episodes = [row for row in record.episodes if not row["referral_nfa"]
                     and window.open_in(row["referral_date"], window.as_at(row["closure_date"]))]
    latest = _latest_per_child(open_episodes, "referral_date")
    cp_now = {plan["child"] for plan in record.plans
              if plan["kind"] == "cp" and _open_on(plan["start_date"], window.as_at(plan["end_date"]), day)}
    cin_now = {plan["child"] for plan in record.plans
               if plan["kind"] == "cin" and _open_on(plan["start_date"], window.as_at(plan["end_date"]), day)}
    assessing = {row["child"] for row in record.assessments
                 if row["start_date"] <= day and window.as_at(row["authorised_on"]) is None}
    out = []
    for child_id in sorted(latest, key=lambda c: record.children.get(c, {}).get("reference", "")):
        episode = latest[child_id]
        closed = window.as_at(episode["closure_date"])
        last_seen = window.as_at(record.last_seen.get(episode["id"]))
        if closed:
            status = CASE_STATUS_CLOSED
        elif child_id in cp_now:
            status = CASE_STATUS_CP
        elif child_id in cin_now:
            status = CASE_STATUS_CIN
        elif child_id in assessing:
            status = CASE_STATUS_ASSESSMENT
        else:
            status = CASE_STATUS_CIN
        out.append([*_common(record, child_id, window, disability=True), episode["referral_date"],
                    PRIMARY_NEED.get(episode["primary_need"] or "", ""), last_seen, closed,
                    CLOSURE_REASON.get(episode["closure_reason"] or "", "") if closed else "", status,
                    *allocated.on(child_id, day)])
    return out


def _child_protection(record: Record, window: Window, allocated: _Allocations) -> list[list[object]]:
    day = window.inspection
    cp_plans = [plan for plan in record.plans if plan["kind"] == "cp"]
    starts: dict[int, list[datetime.date]] = defaultdict(list)
    for plan in cp_plans:
        starts[plan["child"]].append(plan["start_date"])
    latest = _latest_per_child((plan for plan in cp_plans
                                if window.open_in(plan["start_date"], window.as_at(plan["end_date"]))), "start_date")
    last_visit: dict[int, Row] = {}
    for visit in sorted(record.cp_visits, key=lambda r: _key(r, "date")):
        if visit["date"] <= day:
            last_visit[visit["plan"]] = visit
    last_review: dict[int, datetime.date] = {}
    for review in record.reviews:
        if review["date"] <= day and review["date"] >= last_review.get(review["plan"], review["date"]):
            last_review[review["plan"]] = review["date"]
    out = []
    for child_id in sorted(latest, key=lambda c: record.children.get(c, {}).get("reference", "")):
        plan = latest[child_id]
        visit = last_visit.get(plan["id"])
        previous = sum(1 for start in starts[child_id] if start < plan["start_date"])
        out.append([*_common(record, child_id, window, disability=True), plan["start_date"],
                    CATEGORY.get(plan["initial_category"] or "", ""),
                    CATEGORY.get(plan["latest_category"] or plan["initial_category"] or "", ""),
                    visit["date"] if visit else None,
                    yes_no(visit["seen_alone"], unknown=UNKNOWN) if visit else "",
                    last_review.get(plan["id"]), window.as_at(plan["end_date"]),
                    "",  # Emergency protection orders and police protection are not in Casefile's record yet.
                    previous, *allocated.on(child_id, day)])
    return out
