"""Ofsted Annex A lists 1 to 7 as an .xlsx workbook, straight from the record (rules/annex_a.py builds the rows).

`load()` reads what the lists need in a fixed number of queries, whatever the size of the authority: each is one
values() over a whole table, filtered by the inspection's dates. Nothing else is read: no names, no case notes, no
free text beyond a team's name, a worker's name and an early help provider's.
"""

from __future__ import annotations

import datetime
import io

from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from casefile.casework import models as cw
from casefile.frontdoor.models import ContactChild
from casefile.people.models import Disability, Person
from casefile.rules import annex_a, codes
from casefile.rules.annex_a import Record, Window
from casefile.rules.police_notifications import neutralise_for_spreadsheet

DATE_FORMAT = "dd/mm/yyyy"


def filename(inspection: datetime.date) -> str:
    return f"annex-a-lists-1-7-{inspection.isoformat()}.xlsx"


def children(*more: str) -> dict[int, dict]:
    """Every child's characteristics, keyed by id, with the reference they go by on returns. A merged record's
    rows count under the record it was merged into; a record emptied by a disposal run is left out."""
    rows = Person.objects.filter(kind=Person.Kind.CHILD).exclude(restriction=Person.Restriction.DISPOSED).values(
        "id", "sex", "ethnicity", "date_of_birth", "merged_into_id", *more)
    return {row["id"]: {**row, "reference": Person(pk=row["merged_into_id"] or row["id"]).reference} for row in rows}


def kept(child_id: int, people: dict[int, dict]) -> int:
    """The id a child's rows count under: the record it was merged into, if it was."""
    person = people.get(child_id)
    return (person["merged_into_id"] or child_id) if person else child_id


def disabled_children() -> set[int]:
    return set(Disability.objects.exclude(code=codes.NO_DISABILITY).values_list("person_id", flat=True))


def worker_name():
    return Concat(F("worker__first_name"), Value(" "), F("worker__last_name"))


def values_as(queryset, *fields: str, **renamed: str) -> list[dict]:
    """values() of the fields, with each of `renamed` (key: lookup, e.g. child="episode__child_id") under its
    key: values() itself refuses a name that is also a field of the model."""
    lookups = list(renamed.values())
    found = []
    for row in queryset.values(*fields, *lookups):
        found.append({**{name: row[name] for name in fields}, **{key: row[path] for key, path in renamed.items()}})
    return found


def load(inspection: datetime.date) -> Record:
    """The record as the lists read it on the inspection date: 12 queries, whatever the authority's size."""
    window = Window(inspection)
    end, since = window.inspection, window.count_start
    people = children()
    record = Record(children=people, disabled=disabled_children())
    # Everything started by the inspection date; what ended before the 12 months counted is never read.
    allocations = cw.Allocation.objects.filter(start_date__lte=end).annotate(worker_name=worker_name())
    record.allocations = values_as(allocations, "id", "start_date", "end_date", child="child_id", team="team__name",
                              worker="worker_name")
    record.contacts = [
        {"child": row["child"], "date": timezone.localtime(row["received_at"]).date(), "source": row["source"]}
        for row in values_as(ContactChild.objects.filter(contact__received_at__date__range=(window.start, end)),
                        child="child_id", received_at="contact__received_at", source="contact__source")]
    record.early_help = values_as(cw.EarlyHelpTransfer.objects.filter(
        direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN, date__range=(window.start, end)).exclude(
        proposed_on__isnull=False, signed_off_on__isnull=True), "date", child="child_id",
        provider="early_help_provider")
    record.episodes = values_as(cw.Episode.objects.filter(referral_date__lte=end).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=since)),
        "id", "referral_date", "referral_source", "referral_nfa", "primary_need", "closure_date", "closure_reason",
        child="child_id")
    record.assessments = values_as(cw.Assessment.objects.filter(start_date__lte=end).filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=window.start)),
        "id", "start_date", "child_seen", "authorised_on", "requires_support", child="episode__child_id")
    record.enquiries = values_as(cw.Section47Enquiry.objects.filter(strategy_discussion__date__lte=end).filter(
        Q(outcome_date__isnull=True) | Q(outcome_date__gte=window.start) | Q(strategy_discussion__date__gte=since)
        | Q(conferences__kind=cw.Conference.Kind.INITIAL, conferences__date__range=(window.start, end))).distinct(),
        "id", "icpc_not_required", "outcome_date", start_date="strategy_discussion__date", child="episode__child_id")
    record.initial_conferences = values_as(cw.Conference.objects.filter(
        kind=cw.Conference.Kind.INITIAL, date__lte=end).filter(
        Q(date__gte=since) | Q(enquiry_id__in=[row["id"] for row in record.enquiries])),
        "id", "date", "decision", child="child_id", enquiry="enquiry_id")
    record.plans = values_as(cw.Plan.objects.filter(start_date__lte=end),
                        "id", "kind", "start_date", "end_date", "initial_category", "latest_category", child="child_id")
    open_cp = Q(plan__kind=cw.Plan.Kind.CHILD_PROTECTION) & (
        Q(plan__end_date__isnull=True) | Q(plan__end_date__gte=window.start))
    record.reviews = values_as(cw.PlanReview.objects.filter(open_cp, date__lte=end), "date", plan="plan_id")
    # The child seen on a visit: the last day in each episode (list 6), and each visit on a child protection plan
    # open in the look-back, for its last statutory visit and whether the child was seen alone (list 7).
    seen = cw.Visit.objects.filter(child_seen=True, date__lte=end)
    record.last_seen = dict(seen.order_by().values("episode_id").annotate(last=Max("date")).values_list(
        "episode_id", "last"))
    record.cp_visits = values_as(seen.filter(open_cp, kind=cw.Visit.Kind.CHILD_PROTECTION), "date", "seen_alone",
                            plan="plan_id")
    _count_under_kept_records(record, people)
    return record


def _count_under_kept_records(record: Record, people: dict[int, dict]) -> None:
    for rows in (record.allocations, record.contacts, record.early_help, record.episodes, record.assessments,
                 record.enquiries, record.initial_conferences, record.plans):
        for row in rows:
            row["child"] = kept(row["child"], people)
    record.disabled = {kept(child, people) for child in record.disabled}
    record.children = {child: row for child, row in people.items() if not row["merged_into_id"]}


def people_in(lists: dict[int, list[list[object]]], record: Record) -> list[int]:
    """The ids of the children the workbook names, for the download's audit event."""
    by_reference = {row["reference"]: child for child, row in record.children.items()}
    return sorted({by_reference[row[0]] for rows in lists.values() for row in rows if row[0] in by_reference})


def workbook(lists: dict[int, list[list[object]]], inspection: datetime.date) -> bytes:
    """One sheet per list, the header row bold and frozen, dates as dates shown dd/mm/yyyy."""
    book = Workbook()
    book.remove(book.active)
    for spec in annex_a.LISTS:
        sheet = book.create_sheet(spec.sheet)
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in lists[spec.number]:
            # openpyxl writes a text starting "=" as a formula: every text is made safe, as in a CSV download.
            sheet.append([neutralise_for_spreadsheet(value) if isinstance(value, str) else value for value in row])
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = DATE_FORMAT
        for index, header in enumerate(spec.headers, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(max(len(header), 12),
                                                                                                40)
    book.properties.title = f"Annex A lists 1 to 7, inspection date {inspection.isoformat()}"
    book.properties.creator = "Casefile"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
