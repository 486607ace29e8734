"""The CIN census validator as a service: check an uploaded file, or one of Casefile's own exports, against a
census year's rules (casefile/rules/cin, yearly packs) in a background job, and keep the results for the person
who asked, to page, filter and download.

- `refuse_or_year` refuses what is plainly not a census at once (too big, not XML, not a census, a document type
  or entities, an unknown year); `keep_upload` keeps the file compressed until the job reads it, and
  validation_tasks.py queues the job. Each upload is audited (IMPORT), refused ones too (`audit_refused`).
- `check` is the job's work: read the file (progress by the bytes read), run each rule (progress per rule), and
  keep every issue. A file that turns out not to be a census (cut short, say) fails the job with the parser's
  plain message and keeps nothing. The file itself is dropped once read, whatever happened.
- `results_for`, `issues_of`, `filtered`, `linked_children` serve the results page; `table_rows`, `xlsx_bytes`
  its downloads. A child's record is linked only when the LAchildID is one of ours and the policy lets the user
  see that child.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from lxml import etree

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core import jobs
from casefile.core.batches import in_batches
from casefile.core.models import Job
from casefile.people.models import Person
from casefile.returns.models import CensusValidation
from casefile.rules.cin import packs
from casefile.rules.cin.census import Census, as_date
from casefile.rules.cin.engine import ERROR, Issue, Pack, Rule
from casefile.rules.cin.parse import CensusFileError, parse
from casefile.rules.memory import cycle_collector_paused
from casefile.rules.police_notifications import neutralise_for_spreadsheet

KIND = "cin_validation"
CANNOT_VALIDATE = "Only performance analysts and administrators can validate census files"
KIND_LABELS = {"error": "Error", "query": "Query"}
COLUMNS = ("LAchildID", "Table", "Field", "Value", "Rule", "Error or query", "Message")


def limit_text() -> str:
    return f"{settings.CASEFILE_CIN_UPLOAD_MAX_BYTES / 1024 ** 2:g} MB"


# Starting ---------------------------------------------------------------------------------------------------


def header_year(data: bytes) -> str | None:
    """The census year the file's header names ("2025-26"), or None if it names none, reading only as far as
    the header. Raises CensusFileError for a file that is plainly not a census (the same words as the parser)."""
    head = data[:64 * 1024]
    if not head.strip():
        raise CensusFileError("The file is empty.")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise CensusFileError("The file declares a document type or entities, which a CIN census never has. "
                              "It was not read.")
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False)
    found: dict[str, str] = {}
    try:
        parser.feed(head)
        for event, element in parser.read_events():
            if event == "start" and not found.get("root"):
                found["root"] = element.tag
                if element.tag != "Message":
                    raise CensusFileError(f"This is not a CIN census: it starts with <{element.tag}>, not "
                                          "<Message>.")
            elif event == "end" and element.tag in ("ReferenceDate", "Year"):
                found[element.tag] = (element.text or "").strip()
            elif event == "end" and element.tag == "Header":
                break
    except etree.XMLSyntaxError as error:
        raise CensusFileError(f"The file is not well-formed XML ({error.msg}). It is not a CIN census, or it "
                              "was damaged: export it again.") from None
    if not found.get("root"):
        raise CensusFileError("The file is not XML: a CIN census is an XML file starting with <Message>.")
    reference = as_date(found.get("ReferenceDate"))
    if reference is not None:
        return packs.year_ending(reference)
    year = found.get("Year", "")
    return f"{int(year) - 1}-{int(year) % 100:02d}" if year.isdigit() and len(year) == 4 else None


def refuse_or_year(*, actor: User, data: bytes, year: str) -> str:
    """The census year to check the file against, or a ValidationError (by field) saying why it cannot be
    checked: too big (`data` may be one byte past the limit: the view reads no more), not XML, not a census, a
    document type or entities, no year or an unknown one. `year` "" means the year the file's header names."""
    if not permissions.may_make_returns(actor):
        raise PermissionDenied(CANNOT_VALIDATE)
    if len(data) > settings.CASEFILE_CIN_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": f"The file is larger than {limit_text()}, the most the validator accepts. "
                                       "Nothing was checked."})
    try:
        named = header_year(data)
    except CensusFileError as refusal:
        raise ValidationError({"file": str(refusal)}) from None
    chosen = year or named
    if not chosen:
        raise ValidationError({"year": "The file’s header names no census year: choose the year"})
    try:
        packs.pack(chosen)
    except packs.UnknownYear as unknown:
        raise ValidationError({"year" if year else "file": str(unknown)}) from None
    return chosen


def finished_export(actor: User, job_id) -> Job:
    """A census file Casefile made for this person: a finished job of theirs that kept an XML file."""
    export = jobs.job_for(actor, job_id)
    if export is None or export.status != Job.Status.DONE or not export.result_file \
            or not export.result_filename.lower().endswith(".xml"):
        raise ValidationError({"file": "That export is not a finished census file of yours"})
    return export


def keep_upload(*, actor: User, request, data: bytes, filename: str, year: str, source: str) -> CensusValidation:
    """The file, compressed, until the job reads it; audited as an upload (IMPORT)."""
    validation = CensusValidation.objects.create(
        started_by=actor, source=source, filename=filename[:200], size=len(data), year=year,
        upload=zlib.compress(data, 1))
    record(Action.IMPORT, actor=actor, request=request, subject=validation,
           details={"validate": "cin_census", "filename": validation.filename, "size": len(data), "year": year,
                    "source": source})
    return validation


def audit_refused(*, request, filename: str, size: int, problems: Iterable[str]) -> None:
    """A refused upload is audited too: who tried, which file, and why it was refused."""
    record(Action.IMPORT, request=request,
           details={"validate": "cin_census", "filename": filename[:200], "size": size, "refused": list(problems)})


# The job's work -------------------------------------------------------------------------------------------


class _Reading(io.BytesIO):
    """The file as the parser reads it, telling the job how far it has got (every 5%)."""

    def __init__(self, data: bytes, progress: Callable[[int], None]):
        super().__init__(data)
        self._size, self._progress, self._shown = len(data) or 1, progress, -1

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        percent = min(100, 100 * self.tell() // self._size) // 5 * 5
        if percent > self._shown:
            self._shown = percent
            self._progress(percent)
        return chunk


def ordered_rules(pack: Pack) -> list[Rule]:
    return sorted(pack.rules.values(), key=lambda rule: (int(re.sub(r"\D", "", rule.code) or 0), rule.code))


def run_rules(census: Census, pack: Pack, progress: Callable[[int, int, str], None] | None = None) -> list[Issue]:
    """Every issue, rule by rule in code order (as Pack.validate), saying which rule it is on."""
    rules = ordered_rules(pack)
    issues: list[Issue] = []
    with cycle_collector_paused():
        for number, rule in enumerate(rules, start=1):
            if progress:
                progress(number - 1, len(rules), f"Checking rule {rule.code}")
            issues.extend(rule.issues(census))
    return issues


def check(job: Job, validation_id: int) -> jobs.Result:
    validation = CensusValidation.objects.get(pk=validation_id)
    CensusValidation.objects.filter(pk=validation.pk, job__isnull=True).update(job=job)
    try:
        if not permissions.may_make_returns(job.started_by):
            raise jobs.JobFailed("You can no longer validate census files, so this one was not checked.")
        data = zlib.decompress(bytes(validation.upload or b""))
        reading = _Reading(data, lambda percent: jobs.job_progress(job, percent, 100, "Reading the file"))
        try:
            census = parse(reading)
        except CensusFileError as refusal:
            raise jobs.JobFailed(f"{validation.filename} was not checked: {refusal} Nothing was kept.") from None
        del data, reading
        issues = run_rules(census, packs.pack(validation.year),
                           lambda done, total, stage: jobs.job_progress(job, done, total, stage))
        keep(validation, census, issues)
    finally:
        CensusValidation.objects.filter(pk=validation.pk).update(upload=None)
    jobs.job_progress(job, job.total, job.total, "Finished")
    return jobs.Result(url=reverse("returns:validation_results", kwargs={"job_id": job.pk}))


def keep_export(job: Job, *, year: str, filename: str, size: int, census: Census, issues: list[Issue]) -> None:
    """The rules' results for a census file Casefile made (census_tasks), kept as a validation of its job."""
    kept = CensusValidation.objects.create(job=job, started_by=job.started_by, source=CensusValidation.Source.EXPORT,
                                           filename=filename, size=size, year=year)
    keep(kept, census, issues)


def keep(validation: CensusValidation, census: Census, issues: list[Issue]) -> None:
    counts = Counter(issue.code for issue in issues)
    first = {}
    for issue in issues:
        first.setdefault(issue.code, issue)
    by_rule = {code: {"kind": first[code].kind, "message": first[code].message, "count": count}
               for code, count in counts.items()}
    rows = [[issue.code, issue.kind, issue.child or "", issue.table, ", ".join(issue.fields), issue.value]
            for issue in issues]
    errors = sum(1 for issue in issues if issue.kind == ERROR)
    CensusValidation.objects.filter(pk=validation.pk).update(
        checked=True, children=len(census.children), errors=errors, queries=len(issues) - errors,
        rules_run=len(packs.pack(validation.year).rules), by_rule=by_rule,
        issues=zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6))


# Results --------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class IssueRow:
    code: str
    kind: str
    child: str
    table: str
    fields: str
    value: str
    message: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def cells(self) -> list[str]:
        return [self.child, self.table, self.fields, self.value, self.code, self.kind_label, self.message]


def results_for(user: User, job_id) -> CensusValidation | None:
    """A finished validation, for the person who started it only (and only while they may make returns)."""
    if not permissions.may_make_returns(user):
        return None
    return (CensusValidation.objects.select_related("job")
            .filter(job_id=job_id, started_by=user, checked=True).first())


def issues_of(validation: CensusValidation) -> list[IssueRow]:
    messages = {code: entry["message"] for code, entry in validation.by_rule.items()}
    rows = json.loads(zlib.decompress(bytes(validation.issues))) if validation.issues else []
    return [IssueRow(*row, messages.get(row[0], "")) for row in rows]


@dataclasses.dataclass(frozen=True)
class Filters:
    rule: str = ""
    kind: str = ""
    child: str = ""

    @property
    def active(self) -> bool:
        return bool(self.rule or self.kind or self.child)

    def apply(self, rows: list[IssueRow]) -> list[IssueRow]:
        return [row for row in rows if (not self.rule or row.code == self.rule)
                and (not self.kind or row.kind == self.kind) and (not self.child or row.child == self.child)]

    def as_details(self) -> dict:
        return {name: value for name, value in dataclasses.asdict(self).items() if value}


def rule_counts(validation: CensusValidation) -> list[tuple[str, dict]]:
    return sorted(validation.by_rule.items(), key=lambda item: (int(re.sub(r"\D", "", item[0]) or 0), item[0]))


_REFERENCE = re.compile(r"CF(\d{8,})")


def linked_children(user: User, child_ids: Iterable[str]) -> dict[str, int]:
    """LAchildID -> person id, for the ids that are Casefile's own references of children the user may see; any
    other id (another authority's, a record the user may not see) gets no link, and nothing says which it was."""
    ours = {}
    for child_id in child_ids:
        match = _REFERENCE.fullmatch(child_id or "")
        if match and Person.reference_for(int(match.group(1))) == child_id:
            ours[int(match.group(1))] = child_id
    if not ours:
        return {}
    return {ours[pk]: pk for batch in in_batches(ours)
            for pk in policy.viewable_people(user, Person.objects.filter(pk__in=batch)).values_list("pk", flat=True)}


def audit_download(*, request, validation: CensusValidation, file_format: str, filters: Filters, rows: int) -> None:
    record(Action.EXPORT, request=request, subject=validation,
           details={"format": file_format, "filename": validation.filename, "rows": rows,
                    "filters": filters.as_details()})


def download_name(validation: CensusValidation, extension: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", validation.filename.rsplit(".", 1)[0])[:80] or "census"
    return f"{stem}-issues.{extension}"


def xlsx_bytes(rows: list[IssueRow]) -> bytes:
    """The issues as a workbook, each cell made safe for spreadsheets as the CSV's are."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Issues")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([neutralise_for_spreadsheet(cell) for cell in row.cells()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
